"""The agencies (公安、保密、发改、财政) invited to take part in a project's review, and whether they did."""

from django.db import transaction
from django.utils import timezone

from core.enums import OrganisationKind
from core.errors import Conflict, InvalidInput
from core.models import Organisation
from core.timeline import timeline_append
from projects.enums import ProjectState

from ..models import AgencyInvitation
from ._common import REVIEW_OPEN, _lock


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


def agencies_invite_required(*, project, by) -> list[AgencyInvitation]:
    """Invite every agency the project's policy requires (`reviews.selectors.agencies_required`)."""
    from ..selectors import agencies_required

    required = agencies_required(project)
    if not required:
        raise Conflict("按适用的管理办法，该项目无须邀请其他部门参与审核。")
    jurisdiction_id = project.organisation.jurisdiction_id
    invitations = []
    with transaction.atomic():
        for kind, _reason in required:
            organisation = (
                Organisation.objects.filter(jurisdiction_id=jurisdiction_id, kind=kind).order_by("id").first()
            )
            if organisation is None:
                raise InvalidInput(
                    f"本行政区划尚未登记{OrganisationKind(kind).label}，不能邀请；请联系系统管理员添加该单位。"
                )
            invitations.append(agency_invite(project=project, by=by, organisation=organisation))
    return invitations


def agency_participation_record(
    *, invitation: AgencyInvitation, by, participated: bool, note: str = ""
) -> AgencyInvitation:
    """Whether an invited agency took part in the review, and who recorded it."""
    note = (note or "").strip()
    if not participated and not note:
        raise InvalidInput("记录部门未参与审核时，请填写说明。", extra={"errors": {"note": ["请填写说明。"]}})
    with transaction.atomic():
        locked = _lock(invitation.project, by, REVIEW_OPEN, "记录部门参与审核情况")
        current = (
            AgencyInvitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        )
        current.participated = participated
        current.participation_note = note
        current.participation_recorded_by = by
        current.participation_recorded_at = timezone.now()
        current.save(
            update_fields=[
                "participated",
                "participation_note",
                "participation_recorded_by",
                "participation_recorded_at",
            ]
        )
        timeline_append(
            project=locked,
            action="reviews.agency.participation",
            label="记录部门参与审核情况",
            actor=by,
            comment=note,
            data={"organisation": current.organisation.name, "participated": participated},
        )
    return current
