"""The performance actions (API.md, *Actions*: `set_targets`, `self_evaluation`, `finance_evaluation`, and
`third_party_evaluation` where the policy names who commissions one), registered in PerformanceConfig.ready()."""

from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec, form_plain

from . import services
from .forms import FinanceEvaluationForm, SelfEvaluationForm, TargetsForm, ThirdPartyEvaluationForm
from .models import SampleMember
from .selectors import targets_current

DEPARTMENT, BDC, FINANCE = frozenset({Role.DEPARTMENT}), frozenset({Role.BDC}), frozenset({Role.FINANCE})


def _page(project):
    return reverse("projects:detail", kwargs={"pk": project.pk}) + "#performance"


def _targets_form(project, user, data=None, files=None):
    return TargetsForm(data, files, current=targets_current(project))


def _self_evaluation_form(project, user, data=None, files=None):
    return SelfEvaluationForm(data, files, target_set=targets_current(project))


def _targets_record(target_set) -> dict:
    return {
        "id": target_set.pk,
        "number": target_set.number,
        "goal": target_set.goal,
        "indicators": [
            {
                "id": i.pk,
                "category": i.category,
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline,
                "direction": i.direction,
                "target": i.target,
            }
            for i in target_set.indicators.all()
        ],
    }


def _text(value):
    """A Decimal as the API writes amounts and scores: a string (None stays None)."""
    return None if value is None else str(value)


def _self_evaluation_record(e) -> dict:
    return {
        "id": e.pk,
        "evaluated_on": e.evaluated_on,
        "summary": e.summary,
        "score": _text(e.score),
        "results": [
            {
                "indicator": r.indicator_id,
                "name": r.indicator.name,
                "target": r.indicator.target,
                "actual": r.actual,
                "met": r.met,
                "rate": _text(r.rate),
            }
            for r in e.results.select_related("indicator")
        ],
    }


def _awaiting_finance(project) -> bool:
    return SampleMember.objects.filter(project=project, evaluation__isnull=True).exists()


PERFORMANCE_ACTIONS = (
    ActionSpec(
        "set_targets",
        "设定绩效目标",
        services.TARGET_STATES,
        DEPARTMENT,
        form=_targets_form,
        run=lambda project, data, by: services.targets_set(
            project=project, by=by, goal=data["goal"], indicators=data["indicators"]
        ),
        describe=_targets_record,
        owner_only=True,
        audit_actions=("performance.targets.set",),
        back=_page,
        section="performance",
        help="按产出（数量、质量、时效、成本）、效益（经济、社会、生态、可持续）、满意度分类设定绩效指标；再次设定保存为新版本。",
        done=lambda t: f"已保存绩效目标（第{t.number}版，{len(t.indicators.all())}项指标）。",
    ),
    ActionSpec(
        "self_evaluation",
        "绩效自评",
        services.SELF_EVALUATION_STATES,
        DEPARTMENT,
        form=_self_evaluation_form,
        run=lambda project, data, by: services.self_evaluation_record(
            project=project,
            by=by,
            summary=data["summary"],
            score=data["score"],
            users_opinion=data["users_opinion"],
            supervisor_opinion=data["supervisor_opinion"],
            actuals=data["actuals"],
            report=data["report"],
        ),
        describe=_self_evaluation_record,
        owner_only=True,
        audit_actions=("performance.self_evaluation.record",),
        back=_page,
        section="performance",
        help="逐项填写绩效指标的实际完成值，系统对照申报时设定的目标值判断是否达成并计算完成率。",
    ),
    ActionSpec(
        "finance_evaluation",
        "财政再评价",
        services.LATER_EVALUATION_STATES,
        FINANCE,
        form=form_plain(FinanceEvaluationForm),
        run=lambda project, data, by: services.finance_evaluation_record(
            project=project, by=by, score=data["score"], findings=data["findings"], report=data["report"]
        ),
        describe=lambda e: {
            "id": e.pk,
            "score": _text(e.score),
            "findings": e.findings,
            "year": e.member.draw.year,
        },
        repeatable=False,
        optional=True,
        ready=_awaiting_finance,
        audit_actions=("performance.finance_evaluation.record",),
        back=_page,
        section="performance",
    ),
    ActionSpec(
        "third_party_evaluation",
        "记录第三方绩效评价",
        services.LATER_EVALUATION_STATES,
        BDC,
        form=form_plain(ThirdPartyEvaluationForm),
        run=lambda project, data, by: services.third_party_evaluation_record(
            project=project,
            by=by,
            evaluator=data["evaluator"],
            evaluated_on=data["evaluated_on"],
            score=data["score"],
            conclusion=data["conclusion"],
            report=data["report"],
        ),
        describe=lambda e: {
            "id": e.pk,
            "evaluator": e.evaluator,
            "evaluated_on": e.evaluated_on,
            "score": _text(e.score),
            "conclusion": e.conclusion,
        },
        optional=True,
        audit_actions=("performance.third_party_evaluation.record",),
        back=_page,
        section="performance",
    ),
)
