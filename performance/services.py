"""Writes of performance management, each in one transaction with its timeline entry: the targets set at
declaration, the self-evaluation against them, finance's sample draw and re-evaluation, third-party
evaluations. The pages and the API reach them through the actions (`performance.actions`) and the sample page;
each checks again who acts, so a direct call cannot take a step its regulation gives to someone else."""

import secrets
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timeline import timeline_append
from projects.actions import actor_allowed
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock

from .enums import Direction
from .models import (
    FinanceEvaluation,
    Indicator,
    IndicatorResult,
    SampleDraw,
    SampleMember,
    SelfEvaluation,
    TargetSet,
    ThirdPartyEvaluation,
)
from .sampling import ALGORITHM, sample_from_record
from .scoring import indicator_compare, number_parse
from .selectors import sample_candidates, targets_current

TARGET_STATES = frozenset({ProjectState.DRAFT})  # the department's to edit (projects.rules.EDITABLE_STATES)
SELF_EVALUATION_STATES = frozenset({ProjectState.EVALUATION})
# Re-evaluation and third-party evaluation outlive the archive: they add to the record of an archived project.
LATER_EVALUATION_STATES = frozenset({ProjectState.EVALUATION, ProjectState.ARCHIVED})


def _locked(project, by, name: str, label: str, states, archived_ok: bool = False):
    if not actor_allowed(project, name, by):
        raise NotPermitted(f"无权办理“{label}”。")
    locked = project_lock(project.pk, by, archived_ok=archived_ok)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能办理“{label}”。")
    return locked


def _stored(locked, by, kind: str, file, title: str):
    from projects.services import document_step_store

    return document_step_store(project=locked, by=by, kind=kind, file=file, title=title)


# ---- 绩效目标 ---------------------------------------------------------------------------------------------


def targets_set(*, project, by, goal: str, indicators: list[dict]) -> TargetSet:
    """The 绩效目标 and its indicators, as a new version (the earlier ones stay on the record). Each indicator:
    `category`, `name`, `unit`, `baseline`, `direction`, `target` (a number unless qualitative)."""
    if not (goal or "").strip():
        raise InvalidInput("请填写绩效目标。")
    if not indicators:
        raise InvalidInput("请至少填写一项绩效指标。")
    rows = []
    for position, row in enumerate(indicators, start=1):
        value = number_parse(row["target"])
        if row["direction"] != Direction.QUALITATIVE and value is None:
            raise InvalidInput(f"第{position}项指标“{row['name']}”的目标值须为数字（定性指标请选择“定性”）。")
        rows.append((position, row, value))
    with transaction.atomic():
        locked = _locked(project, by, "set_targets", "设定绩效目标", TARGET_STATES)
        previous = targets_current(locked)
        target_set = TargetSet.objects.create(
            project=locked, number=(previous.number + 1) if previous else 1, goal=goal.strip(), by=by
        )
        Indicator.objects.bulk_create(
            Indicator(
                target_set=target_set,
                position=position,
                category=row["category"],
                name=row["name"].strip(),
                unit=(row.get("unit") or "").strip(),
                baseline=(row.get("baseline") or "").strip(),
                direction=row["direction"],
                target=row["target"].strip(),
                target_value=value,
            )
            for position, row, value in rows
        )
        timeline_append(
            project=locked,
            action="performance.targets.set",
            label="设定绩效目标",
            actor=by,
            comment=target_set.goal,
            data={
                "target_set": target_set.pk,
                "number": target_set.number,
                "indicators": [
                    {
                        "name": r["name"],
                        "unit": r.get("unit", ""),
                        "target": r["target"],
                        "direction": r["direction"],
                    }
                    for _, r, _ in rows
                ],
            },
        )
    return target_set


# ---- 绩效自评价 ------------------------------------------------------------------------------------------


def self_evaluation_record(
    *,
    project,
    by,
    summary: str,
    report,
    score: Decimal | None = None,
    users_opinion: str = "",
    supervisor_opinion: str = "",
    actuals: dict[int, dict] | None = None,
) -> SelfEvaluation:
    """The department's self-evaluation, dated today (the window of its policy is a check of the action),
    scoring each indicator of the targets in force: `actuals` maps the indicator's id to its `actual` (and, for
    a qualitative one, `met`; optionally a `note` on the deviation)."""
    if not (summary or "").strip():
        raise InvalidInput("请填写绩效自评结论。")
    actuals = actuals or {}
    with transaction.atomic():
        locked = _locked(project, by, "self_evaluation", "绩效自评", SELF_EVALUATION_STATES)
        target_set = targets_current(locked)
        indicators = list(target_set.indicators.all()) if target_set else []
        missing = [i.name for i in indicators if not (actuals.get(i.pk, {}).get("actual") or "").strip()]
        if missing:
            raise InvalidInput(f"请填写以下指标的实际完成值：{'、'.join(missing)}。")
        compared = []
        for indicator in indicators:
            entry = actuals[indicator.pk]
            try:
                result = indicator_compare(
                    direction=indicator.direction,
                    target_value=indicator.target_value,
                    actual=entry["actual"],
                    judged_met=entry.get("met"),
                )
            except ValueError:
                raise InvalidInput(f"指标“{indicator.name}”的实际完成值须为数字。") from None
            compared.append((indicator, entry, result))
        version = _stored(locked, by, DocumentKind.SELF_EVALUATION, report, "绩效自评价报告")
        evaluation = SelfEvaluation.objects.create(
            project=locked,
            target_set=target_set,
            evaluated_on=timezone.localdate(),
            summary=summary.strip(),
            score=score,
            users_opinion=(users_opinion or "").strip(),
            supervisor_opinion=(supervisor_opinion or "").strip(),
            report=version,
            by=by,
            at=timezone.now(),
        )
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                evaluation=evaluation,
                indicator=indicator,
                actual=entry["actual"].strip(),
                actual_value=result.actual_value,
                met=result.met,
                rate=result.rate,
                note=(entry.get("note") or "").strip(),
            )
            for indicator, entry, result in compared
        )
        met = sum(1 for _, _, r in compared if r.met)
        timeline_append(
            project=locked,
            action="performance.self_evaluation.record",
            label="填报绩效自评",
            actor=by,
            comment=evaluation.summary,
            data={
                "self_evaluation": evaluation.pk,
                "score": score,
                "evaluated_on": evaluation.evaluated_on,
                "indicators": len(compared),
                "met": met,
                "results": [
                    {
                        "indicator": i.name,
                        "target": i.target,
                        "actual": e["actual"],
                        "met": r.met,
                        "rate": r.rate,
                    }
                    for i, e, r in compared
                ],
            },
            documents=[version.as_record()],
        )
    return evaluation


# ---- 财政再评价: the year's sample and the evaluation of each sampled project ----------------------------


def sample_draw(
    *, jurisdiction, year: int, size: int, by, seed: str | None = None, note: str = ""
) -> SampleDraw:
    """Finance draws the year's sample from the projects self-evaluated that year, once per year, the seed and
    the candidates on the record; each sampled project's timeline shows it."""
    from projects.policies import policy_get

    policy = policy_get(jurisdiction.policy_code)
    if policy.actor_for("finance_evaluation", None) is None:
        raise NotPermitted(f"《{policy.title}》未规定财政部门抽取项目再评价。")
    if (
        by.role != Role.FINANCE
        or by.organisation_id is None
        or by.organisation.jurisdiction_id != jurisdiction.pk
    ):
        raise NotPermitted("只有本行政区划的财政局可以抽取再评价项目。")
    with transaction.atomic():
        candidates = list(sample_candidates(jurisdiction=jurisdiction, year=year, lock=True))
        if not candidates:
            raise Conflict(f"{year}年度尚无已填报绩效自评价的项目，无可抽取的项目。")
        if not 1 <= size <= len(candidates):
            raise InvalidInput(
                f"抽取数量须在1至{len(candidates)}之间（{year}年度共{len(candidates)}个候选项目）。"
            )
        seed = seed or secrets.token_hex(16)
        ids = [p.pk for p in candidates]
        drawn = sample_from_record(seed, ids, size)
        try:
            with transaction.atomic():
                draw = SampleDraw.objects.create(
                    jurisdiction=jurisdiction,
                    year=year,
                    seed=seed,
                    algorithm=ALGORITHM,
                    candidates=ids,
                    size=size,
                    drawn=drawn,
                    note=(note or "").strip(),
                    by=by,
                )
        except IntegrityError:
            raise Conflict(f"{year}年度的再评价项目已抽取，抽样结果不可重抽。") from None
        by_id = {p.pk: p for p in candidates}
        for position, pk in enumerate(drawn, start=1):
            project = project_lock(pk, None, archived_ok=True)
            SampleMember.objects.create(draw=draw, project=project, position=position)
            timeline_append(
                project=project,
                action="performance.sample.draw",
                label="抽取为财政再评价项目",
                actor=by,
                comment=f"{year}年度财政再评价抽样，第{position}个抽中（共{len(ids)}个候选，抽取{size}个）。",
                data={
                    "sample_draw": draw.pk,
                    "year": year,
                    "seed": seed,
                    "algorithm": ALGORITHM,
                    "candidates": ids,
                    "drawn": drawn,
                    "code": by_id[pk].code,
                },
            )
    return draw


def finance_evaluation_record(*, project, by, score: Decimal, findings: str, report) -> FinanceEvaluation:
    """Finance's own re-evaluation of a project its draw chose, once per draw."""
    if not (findings or "").strip():
        raise InvalidInput("请填写评价发现与整改意见。")
    with transaction.atomic():
        locked = _locked(
            project, by, "finance_evaluation", "财政再评价", LATER_EVALUATION_STATES, archived_ok=True
        )
        member = (
            SampleMember.objects.select_for_update(of=("self",))
            .filter(project=locked, evaluation__isnull=True)
            .select_related("draw")
            .order_by("-draw__year")
            .first()
        )
        if member is None:
            raise Conflict("本项目未被抽取为财政再评价项目，或已完成再评价。")
        version = _stored(locked, by, DocumentKind.PERFORMANCE_REPORT, report, "财政再评价报告")
        evaluation = FinanceEvaluation.objects.create(
            project=locked, member=member, score=score, findings=findings.strip(), report=version, by=by
        )
        timeline_append(
            project=locked,
            action="performance.finance_evaluation.record",
            label="财政再评价",
            actor=by,
            comment=evaluation.findings,
            data={"finance_evaluation": evaluation.pk, "year": member.draw.year, "score": score},
            documents=[version.as_record()],
        )
    return evaluation


def third_party_evaluation_record(
    *, project, by, evaluator: str, evaluated_on: date, conclusion: str, report, score: Decimal | None = None
) -> ThirdPartyEvaluation:
    """A third party's evaluation commissioned by the body the policy names, recorded with its report."""
    if not (evaluator or "").strip() or not (conclusion or "").strip():
        raise InvalidInput("请填写第三方机构和评价结论。")
    if evaluated_on > timezone.localdate():
        raise InvalidInput("评价日期不能晚于今天。")
    with transaction.atomic():
        locked = _locked(
            project, by, "third_party_evaluation", "第三方绩效评价", LATER_EVALUATION_STATES, archived_ok=True
        )
        version = _stored(
            locked, by, DocumentKind.PERFORMANCE_REPORT, report, f"第三方绩效评价报告（{evaluator}）"
        )
        evaluation = ThirdPartyEvaluation.objects.create(
            project=locked,
            evaluator=evaluator.strip(),
            evaluated_on=evaluated_on,
            score=score,
            conclusion=conclusion.strip(),
            report=version,
            by=by,
        )
        timeline_append(
            project=locked,
            action="performance.third_party_evaluation.record",
            label="第三方绩效评价",
            actor=by,
            comment=f"{evaluation.evaluator}：{evaluation.conclusion}",
            data={"third_party_evaluation": evaluation.pk, "evaluated_on": evaluated_on, "score": score},
            documents=[version.as_record()],
        )
    return evaluation
