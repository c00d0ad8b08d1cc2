"""Writes of the construction and acceptance stage. The *_record functions run inside
`project_transition`'s transaction; the rest are the department's and the BDC's own actions."""

from django.db import transaction
from django.utils import timezone

from core.enums import OrganisationKind, Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.money import money_parse
from core.timeline import timeline_append
from projects.actions import actor_allowed
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock

from .models import (
    AcceptanceApplication,
    AcceptanceResult,
    BiddingConfirmation,
    ChangeRequest,
    ConstructionCompletion,
    ContractFiling,
    SupervisorAssignment,
)


def contract_filing_record(project, data: dict, by) -> dict:
    filing = ContractFiling.objects.create(
        project=project,
        amount=data["contract_amount"],
        signed_on=data["signed_on"],
        awarded_on=data.get("awarded_on"),
        supplier=data["supplier"],
        filed_by=by,
    )
    from .construction.baseline import baseline_fix

    baseline = baseline_fix(project, data, by)  # the baseline, fixed with the contract (issue 13)
    return {
        "contract_filing": filing.pk,
        "baseline": baseline.pk,
        "planned_completion_on": baseline.planned_completion_on,
        "milestones": baseline.milestones,
    }


def completion_record(project, data: dict, by) -> dict:
    completion = ConstructionCompletion.objects.create(
        project=project,
        goals_met=data["goals_met"],
        functions_complete=data["functions_complete"],
        hardware_matches=data["hardware_matches"],
        note=data.get("comment", ""),
        trial_started_on=data["trial_started_on"],
        by=by,
    )
    return {"completion": completion.pk}


def acceptance_application_record(project, data: dict, by) -> dict:
    application = AcceptanceApplication.objects.create(
        project=project,
        applied_on=timezone.localdate(),
        deployed_on_cloud=bool(data.get("deployed_on_cloud")),
        by=by,
    )
    return {"acceptance_application": application.pk}


def _result_from_verdict(project, conclusion: str, by) -> dict:
    """The result beside 验收合格 / 验收不合格, from the round's conclusion and its issued letter (ANY-letter has
    checked they agree): the group's members with their units, the items and their last deadline."""
    from .group import current_verdict

    verdict = current_verdict(project)
    members = verdict.group.members.order_by("kind", "id") if verdict else []
    items = list(verdict.items.all()) if verdict else []
    result = AcceptanceResult.objects.create(
        project=project,
        conclusion=conclusion,
        group_members="、".join(f"{m.name}（{m.unit}）" for m in members),
        rectification_items="\n".join(
            f"{i.number}. {i.text}（{i.owner}，{i.due_on:%Y-%m-%d}前）" for i in items
        ),
        rectification_deadline=max((i.due_on for i in items), default=None),
        decided_on=timezone.localdate(),
        by=by,
    )
    return {
        "acceptance_result": result.pk,
        "verdict": verdict.pk if verdict else None,
        "letter": verdict.letter.number if verdict else "",
    }


def acceptance_passed_record(project, data: dict, by) -> dict:
    return _result_from_verdict(project, AcceptanceResult.Conclusion.PASSED, by)


def acceptance_failed_record(project, data: dict, by) -> dict:
    return _result_from_verdict(project, AcceptanceResult.Conclusion.FAILED, by)


def _locked(project, by, perm_check, what, states):
    if not perm_check:
        raise NotPermitted(f"无权{what}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked


SUPERVISION_STATES = {ProjectState.APPROVED, ProjectState.PROCUREMENT, ProjectState.CONSTRUCTION}


def _stored(locked, by, kind: str, file, title: str = ""):
    """A file the step brings, stored as the next version of the project's document of `kind`."""
    from projects.services import document_step_store

    return document_step_store(project=locked, by=by, kind=kind, file=file, title=title)


def supervisor_application_submit(*, project, by, file, note: str = ""):
    """The department's written application for a supervisor (laohekou-2024 第十八条: within 5 working days of
    the bid result, to the centre, which then assigns one)."""
    with transaction.atomic():
        locked = _locked(
            project, by, actor_allowed(project, "apply_supervisor", by), "申请派驻监理", SUPERVISION_STATES
        )
        version = _stored(locked, by, DocumentKind.SUPERVISOR_APPLICATION, file, "派驻监理申请")
        timeline_append(
            project=locked,
            action="acceptance.supervisor.apply",
            label="申请派驻监理",
            actor=by,
            comment=(note or "").strip(),
            documents=[version.as_record()],
        )
    return version


def supervisor_assign(*, project, by, organisation, note: str = "", starts_on=None, ends_on=None):
    """A supervision company for the project, arranged by the body its policy names: assigned (派驻) by the
    centre on the department's application (laohekou-2024 第十八条), or commissioned (委托) by the department
    (fangchenggang-2022 第二十二条, gongshu-draft 五(四))."""
    if organisation.kind != OrganisationKind.SUPERVISION:
        raise InvalidInput("所选单位不是监理单位。")
    if organisation.jurisdiction_id != project.organisation.jurisdiction_id:
        raise InvalidInput("监理单位须为本行政区划登记的监理单位。")
    with transaction.atomic():
        locked = _locked(
            project, by, actor_allowed(project, "assign_supervisor", by), "落实监理单位", SUPERVISION_STATES
        )
        if starts_on and ends_on and ends_on < starts_on:
            raise InvalidInput("监理服务期止不能早于服务期起。")
        # The company it replaces no longer supervises the project (nor sees it).
        replaced = list(
            SupervisorAssignment.objects.filter(project=locked, ended_at__isnull=True)
            .exclude(organisation=organisation)
            .values_list("organisation__name", flat=True)
        )
        SupervisorAssignment.objects.filter(project=locked, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        assignment = SupervisorAssignment.objects.create(
            project=locked, organisation=organisation, assigned_by=by, starts_on=starts_on, ends_on=ends_on
        )
        commissioned = by.role == Role.DEPARTMENT
        timeline_append(
            project=locked,
            action="acceptance.supervisor.assign",
            label="委托监理单位" if commissioned else "派驻监理",
            actor=by,
            comment=(note or "").strip(),
            data={
                "organisation": organisation.name,
                "assignment": assignment.pk,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "replaces": replaced,
            },
        )
    return assignment


# The self-evaluation moved to the performance app (performance.services.self_evaluation_record, 0008).


ARCHIVE_ACCEPTANCE_STATES = {ProjectState.FINAL_ACCEPTANCE, ProjectState.RECTIFYING}


def archive_acceptance_record(*, project, by, file, note: str = ""):
    """The project's archive acceptance (档案验收, fangchenggang-2022 第二十八条), with its opinion document, by
    the body its policy names."""
    with transaction.atomic():
        locked = _locked(
            project,
            by,
            actor_allowed(project, "archive_acceptance", by),
            "记录档案验收",
            ARCHIVE_ACCEPTANCE_STATES,
        )
        version = _stored(locked, by, DocumentKind.ARCHIVE_ACCEPTANCE, file, "档案验收意见")
        timeline_append(
            project=locked,
            action="acceptance.archive.accept",
            label="档案验收",
            actor=by,
            comment=(note or "").strip(),
            documents=[version.as_record()],
        )
    return version


def bidding_confirm(*, project, by, experts: str, ceiling_price=None, note: str = "") -> BiddingConfirmation:
    """The reviewing body has the bidding requirements confirmed by experts and sets the ceiling price
    (gongshu-draft 五(一)、五(二)); a later confirmation supersedes the earlier one, both stay on record."""
    if not (experts or "").strip():
        raise InvalidInput("请填写确认招标需求的专家。")
    ceiling = money_parse(ceiling_price, "采购最高限价") if ceiling_price not in (None, "") else None
    if ceiling is not None and ceiling < 0:
        raise InvalidInput("采购最高限价不能为负数。")
    with transaction.atomic():
        locked = _locked(
            project,
            by,
            by.role == Role.BDC and by.has_perm("projects.view_project", project),
            "确认招标需求",
            {ProjectState.APPROVED, ProjectState.PROCUREMENT},
        )
        if ceiling is not None and locked.approved_amount is not None and ceiling > locked.approved_amount:
            raise InvalidInput(f"采购最高限价{ceiling}万元不能超过批复金额{locked.approved_amount}万元。")
        confirmation = BiddingConfirmation.objects.create(
            project=locked, experts=experts.strip(), ceiling_price=ceiling, note=(note or "").strip(), by=by
        )
        timeline_append(
            project=locked,
            action="acceptance.bidding.confirm",
            label="确认招标需求和最高限价",
            actor=by,
            comment=confirmation.note,
            data={"experts": confirmation.experts, "ceiling_price": ceiling},
        )
    return confirmation


CHANGE_STATES = {ProjectState.PROCUREMENT, ProjectState.CONSTRUCTION, ProjectState.SUSPENDED}


def _clean_change(aspects, description: str, amount_change, new_total) -> tuple[list[str], object, object]:
    """The change's aspects (known, each once), a description, the amount it changes and the new total."""
    aspects = [a for a in dict.fromkeys(aspects or [])]
    unknown = [a for a in aspects if a not in ChangeRequest.Aspect.values]
    if unknown or not aspects:
        raise InvalidInput("请选择变更事项（建设目标、地点、预算、主要内容、进度或技术方案）。")
    if not (description or "").strip():
        raise InvalidInput("请填写变更内容及理由。")
    change_amount = money_parse(amount_change or 0, "资金调整数额")
    total = money_parse(new_total, "调整后总投资") if new_total not in (None, "") else None
    if total is not None and total < 0:
        raise InvalidInput("调整后总投资不能为负数。")
    return aspects, change_amount, total


def change_request_submit(
    *,
    project,
    by,
    aspects,
    description: str,
    amount_change=0,
    new_total=None,
    new_contract_amount=None,
    new_planned_completion_on=None,
    new_milestones=None,
) -> ChangeRequest:
    """A change during procurement or construction. The project's regulation decides at once whether
    filing suffices (备案) or it needs approval (重新履行审核手续), and says why."""
    aspects, change_amount, total = _clean_change(aspects, description, amount_change, new_total)
    own_department = by.role == Role.DEPARTMENT and project.organisation_id == by.organisation_id
    with transaction.atomic():
        locked = _locked(project, by, own_department, "提出项目变更", CHANGE_STATES)
        needs, reason, source = locked.policy.change_decide(locked, aspects, change_amount, total)
        # Re-reviewed by drawn experts where the regulation's re-review is theirs (Policy.change_review_article).
        expert_review = needs and bool(locked.policy.change_review_article)
        rebaselines = (new_contract_amount, new_planned_completion_on, new_milestones) != (None, None, None)
        if rebaselines and not needs:
            # No silent reset: the baseline fixed at 合同备案 changes only through an approved change.
            needs, reason, source = (
                True,
                f"{reason}变更涉及调整项目基线（合同金额、里程碑或计划完工日期），须经审核批准后方可调整基线。",
                source,
            )
        if rebaselines and new_contract_amount is not None and new_contract_amount < 0:
            raise InvalidInput("调整后合同金额不能为负数。")
        change = ChangeRequest.objects.create(
            new_contract_amount=new_contract_amount,
            new_planned_completion_on=new_planned_completion_on,
            new_milestones=new_milestones,
            project=locked,
            aspects=aspects,
            description=description.strip(),
            amount_change=change_amount,
            new_total=total,
            needs_approval=needs,
            expert_review=expert_review,
            rule=f"{reason}（{source}）" if source else reason,
            status=ChangeRequest.Status.SUBMITTED if needs else ChangeRequest.Status.FILED,
            submitted_by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.change.submit" if needs else "acceptance.change.file",
            label="提交变更申请" if needs else "变更备案",
            actor=by,
            comment=change.description,
            data={
                "change": change.pk,
                "aspects": aspects,
                "amount_change": change_amount,
                "new_total": total,
                "needs_approval": needs,
                "expert_review": expert_review,
                "rule": change.rule,
                "new_contract_amount": new_contract_amount,
                "new_planned_completion_on": new_planned_completion_on,
                "new_milestones": new_milestones,
            },
        )
    return change


def change_request_decide(*, change: ChangeRequest, by, approve: bool, note: str = "") -> ChangeRequest:
    """The reviewing body approves or refuses a change that needs approval, with its opinion. A change its
    policy has re-reviewed by experts is decided once its panel has reviewed it, the panel's tally on the
    record (acceptance.change_review)."""
    if not approve and not (note or "").strip():
        raise InvalidInput("不予批准变更须写明理由。")
    with transaction.atomic():
        locked = _locked(
            change.project,
            by,
            by.role == Role.BDC and by.has_perm("projects.view_project", change.project),
            "审核项目变更",
            CHANGE_STATES,
        )
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk, project=locked)
        if change.status != ChangeRequest.Status.SUBMITTED:
            raise Conflict(f"该变更当前为“{change.get_status_display()}”，不能再审核。")
        tally = None
        if change.expert_review:
            from .change_review import change_review_decision_tally

            tally = change_review_decision_tally(locked, change, approve, note)
        change.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
        change.decided_by, change.decided_at = by, timezone.now()
        change.decision_note = (note or "").strip()
        change.review_tally = tally
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "review_tally"])
        timeline_append(
            project=locked,
            action="acceptance.change.approve" if approve else "acceptance.change.reject",
            label=("批准变更" if approve else "不予批准变更")
            + (f"（变更评审专家组 {tally['summary']}）" if tally else ""),
            actor=by,
            comment=change.decision_note,
            data={"change": change.pk, "aspects": change.aspects, "review_tally": tally},
        )
        if approve:
            from .construction.baseline import baseline_rebase

            baseline_rebase(project=locked, change=change, by=by)
    return change
