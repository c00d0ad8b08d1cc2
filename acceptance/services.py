"""Writes of the construction and acceptance stage. The *_record functions run inside
`project_transition`'s transaction; the rest are the department's and the BDC's own actions."""

from django.db import transaction
from django.utils import timezone

from core.enums import OrganisationKind, Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timeline import timeline_append
from projects.enums import ProjectState
from projects.models import Project

from .models import (
    AcceptanceApplication,
    AcceptanceResult,
    ConstructionCompletion,
    ContractFiling,
    Evaluation,
    SupervisorAssignment,
)


def contract_filing_record(project, data: dict, by) -> dict:
    filing = ContractFiling.objects.create(
        project=project,
        amount=data["contract_amount"],
        signed_on=data["signed_on"],
        supplier=data["supplier"],
        filed_by=by,
    )
    return {"contract_filing": filing.pk}


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
        project=project, applied_on=timezone.localdate(), by=by
    )
    return {"acceptance_application": application.pk}


def acceptance_passed_record(project, data: dict, by) -> dict:
    result = AcceptanceResult.objects.create(
        project=project,
        conclusion=AcceptanceResult.Conclusion.PASSED,
        group_members=data["group_members"],
        decided_on=timezone.localdate(),
        by=by,
    )
    return {"acceptance_result": result.pk}


def acceptance_failed_record(project, data: dict, by) -> dict:
    result = AcceptanceResult.objects.create(
        project=project,
        conclusion=AcceptanceResult.Conclusion.FAILED,
        group_members=data.get("group_members", ""),
        rectification_items=data["rectification_items"],
        rectification_deadline=data["rectification_deadline"],
        decided_on=timezone.localdate(),
        by=by,
    )
    return {"acceptance_result": result.pk}


def _locked(project, by, perm_check, what, states):
    if not perm_check:
        raise NotPermitted(f"无权{what}。")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked


def supervisor_assign(*, project, by, organisation):
    """The BDC assigns (派驻) a supervision company to the project."""
    if organisation.kind != OrganisationKind.SUPERVISION:
        raise InvalidInput("所选单位不是监理单位。")
    with transaction.atomic():
        locked = _locked(
            project,
            by,
            by.role == Role.BDC and by.has_perm("projects.view_project", project),
            "派驻监理",
            {ProjectState.APPROVED, ProjectState.PROCUREMENT, ProjectState.CONSTRUCTION},
        )
        assignment = SupervisorAssignment.objects.create(
            project=locked, organisation=organisation, assigned_by=by
        )
        timeline_append(
            project=locked,
            action="acceptance.supervisor.assign",
            label="派驻监理",
            actor=by,
            data={"organisation": organisation.name},
        )
    return assignment


def evaluation_record(*, project, by, summary: str, score=None):
    """The department's performance self-evaluation against the targets set at declaration."""
    if not (summary or "").strip():
        raise InvalidInput("请填写绩效自评结论。")
    with transaction.atomic():
        locked = _locked(
            project,
            by,
            by.role == Role.DEPARTMENT and project.organisation_id == by.organisation_id,
            "填报绩效自评",
            {ProjectState.EVALUATION},
        )
        evaluation = Evaluation.objects.create(project=locked, summary=summary.strip(), score=score, by=by)
        timeline_append(
            project=locked,
            action="acceptance.evaluation.record",
            label="填报绩效自评",
            actor=by,
            comment=evaluation.summary,
            data={"score": score},
        )
    return evaluation
