"""The agencies a policy requires in the review: invited, and their participation on the record."""

import pytest
from django.utils import timezone

from core.enums import OrganisationKind
from core.errors import Conflict, InvalidInput, NotPermitted
from core.models import TimelineEntry
from projects.checks import evaluate_checks
from projects.enums import ProjectState
from projects.models import Project
from reviews.models import AgencyInvitation
from reviews.selectors import agencies_required
from reviews.services import agencies_invite_required, agency_participation_record
from tests.factories import OrganisationFactory, World


@pytest.mark.parametrize(
    ("flags", "kinds"),
    [
        ({}, []),
        ({"is_security": True}, [OrganisationKind.POLICE]),
        ({"has_video": True}, [OrganisationKind.POLICE]),
        ({"is_classified": True}, [OrganisationKind.SECRECY]),
        ({"is_classified": True, "is_security": True}, [OrganisationKind.POLICE, OrganisationKind.SECRECY]),
    ],
)
def test_wendeng_requires_police_and_secrecy_by_flag(world, flags, kinds):
    project = world.project(**flags)
    required = agencies_required(project)
    assert sorted(k for k, _ in required) == sorted(kinds)
    assert all("第十二条" in source for _, source in required)


def test_gongshu_requires_development_and_finance(db):
    world = World("gongshu-draft")
    # This jurisdiction has not registered its 发改 body yet (its demo user sits elsewhere for now).
    world.fgw.organisation = world.bdc_org
    world.fgw.save(update_fields=["organisation"])
    world.development_org.delete()
    project = world.project()
    assert [k for k, _ in agencies_required(project)] == [
        OrganisationKind.DEVELOPMENT,
        OrganisationKind.FINANCE,
    ]
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())
    project.refresh_from_db()
    with pytest.raises(InvalidInput, match="发展改革部门"):
        agencies_invite_required(project=project, by=world.bdc)
    assert not AgencyInvitation.objects.exists()  # all or nothing
    OrganisationFactory(
        jurisdiction=world.jurisdiction, kind=OrganisationKind.DEVELOPMENT, name="区发改经信局"
    )
    invited = agencies_invite_required(project=project, by=world.bdc)
    assert [i.organisation.kind for i in invited] == [OrganisationKind.DEVELOPMENT, OrganisationKind.FINANCE]


def test_invite_required_and_record_participation(world):
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    police_check = next(c for c in evaluate_checks(project, "start_review") if c.code == "WD-12-police")
    assert police_check.passed is False
    (invitation,) = agencies_invite_required(project=project, by=world.bdc)
    assert invitation.organisation == world.police_org
    project = Project.objects.get(
        pk=project.pk
    )  # a fresh instance: the page's checks are cached per instance
    police_check = next(c for c in evaluate_checks(project, "start_review") if c.code == "WD-12-police")
    assert police_check.passed is True
    with pytest.raises(InvalidInput, match="说明"):
        agency_participation_record(invitation=invitation, by=world.bdc, participated=False)
    with pytest.raises(NotPermitted):
        agency_participation_record(invitation=invitation, by=world.dept, participated=True)
    done = agency_participation_record(
        invitation=invitation, by=world.bdc, participated=True, note="派员到会"
    )
    assert done.participated and done.participation_recorded_by == world.bdc
    assert done.participation_recorded_at is not None
    entry = TimelineEntry.objects.filter(project=project, action="reviews.agency.participation").get()
    assert entry.data == {"organisation": world.police_org.name, "participated": True}
    assert TimelineEntry.objects.filter(project=project, action="reviews.agency.invite").count() == 1


def test_nothing_to_invite(world):
    project = world.project_in_state(ProjectState.DECLARED)
    with pytest.raises(Conflict, match="无须邀请"):
        agencies_invite_required(project=project, by=world.bdc)
