"""The BDC's review work before 立项: pre-review, the panel, invited agencies, the opinion."""

from django.db import transaction

from core.enums import OrganisationKind, Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.models import Organisation
from core.timeline import timeline_append
from projects.enums import DocumentKind, ProjectState

from .enums import Conclusion
from .models import AgencyInvitation, ExpertProfile, PanelMember, PreReview, ReviewOpinion


def _lock(project, by, states, what):
    from projects.selectors import project_visible_to

    if by.role != Role.BDC or not by.has_perm("projects.view_project", project):
        raise NotPermitted(f"只有大数据中心可以{what}。")
    locked = project_visible_to(by).select_for_update(of=("self",)).get(pk=project.pk)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked


def prereview_record(*, project, by, passed: bool, opinion: str) -> PreReview:
    if not (opinion or "").strip():
        raise InvalidInput("请填写预审意见。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "预审")
        pre = PreReview.objects.create(project=locked, passed=passed, opinion=opinion.strip(), by=by)
        timeline_append(
            project=locked,
            action="reviews.prereview.record",
            label="预审",
            actor=by,
            comment=pre.opinion,
            data={"passed": passed},
        )
    return pre


def panel_assign(*, project, by, experts: list[ExpertProfile]) -> list[PanelMember]:
    """Form the panel from chosen experts (the random draw of the expert library builds on this)."""
    if not experts:
        raise InvalidInput("请至少选择一名专家。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "组建评审专家组")
        PanelMember.objects.filter(project=locked, active=True).update(active=False)
        members = [PanelMember.objects.create(project=locked, expert=e, assigned_by=by) for e in experts]
        timeline_append(
            project=locked,
            action="reviews.panel.assign",
            label="组建评审专家组",
            actor=by,
            data={"experts": [str(e) for e in experts]},
        )
    return members


def agency_invite(*, project, by, organisation: Organisation) -> AgencyInvitation:
    if organisation.kind not in (
        OrganisationKind.POLICE,
        OrganisationKind.SECRECY,
        OrganisationKind.DEVELOPMENT,
        OrganisationKind.FINANCE,
    ):
        raise InvalidInput("只能邀请公安、保密、发改、财政等部门参与审核。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED, ProjectState.REVIEWING}, "邀请部门参与审核")
        invitation, created = AgencyInvitation.objects.get_or_create(
            project=locked, organisation=organisation, defaults={"invited_by": by}
        )
        if created:
            timeline_append(
                project=locked,
                action="reviews.agency.invite",
                label="邀请部门参与审核",
                actor=by,
                data={"organisation": organisation.name},
            )
    return invitation


def opinion_record(*, project, by, conclusion: str, summary: str, document_version=None) -> ReviewOpinion:
    """The consolidated review opinion. Issuing it as a numbered PDF builds on this record."""
    if conclusion not in Conclusion.values:
        raise InvalidInput("评审结论须为通过、修改后通过或不通过。")
    if not (summary or "").strip():
        raise InvalidInput("请填写评审意见。")
    if document_version is not None and (
        document_version.document.project_id != project.pk
        or document_version.document.kind != DocumentKind.REVIEW_OPINION
    ):
        raise InvalidInput("评审意见文件须为本项目的“评审意见”文档。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.REVIEWING}, "出具评审意见")
        opinion = ReviewOpinion.objects.create(
            project=locked,
            conclusion=conclusion,
            summary=summary.strip(),
            document=document_version,
            issued_by=by,
        )
        timeline_append(
            project=locked,
            action="reviews.opinion.record",
            label="出具评审意见",
            actor=by,
            comment=opinion.summary,
            data={"conclusion": conclusion},
            documents=[document_version.as_record()] if document_version else [],
        )
    return opinion
