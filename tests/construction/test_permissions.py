"""Who may take each construction-watch step (laohekou-2024, a supervisor assigned; the project built for
score_supervisor): everyone else is refused before the input is read — 403 for a role that sees the project,
404 for one that does not."""

import pytest
from rest_framework.test import APIClient

from core.enums import OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory

from .test_supervision import _built

OWNER = {
    "supervision_report": "supervisor",
    "progress_report": "dept",
    "report_delay": "dept",
    "rate_risk": "bdc",
    "escalate": "bdc",
    "score_supervisor": "dept",
}
USERS = ("dept", "dept2", "bdc", "finance", "auditor", "supervisor", "fgw", "stranger")


def _user(world, name):
    if name == "stranger":  # a supervisor of another company
        org = OrganisationFactory(
            jurisdiction=world.jurisdiction, kind=OrganisationKind.SUPERVISION, name="别家监理"
        )
        return UserFactory(username="stranger", role=Role.SUPERVISOR, organisation=org)
    return getattr(world, name)


@pytest.mark.parametrize("name", sorted(OWNER))
def test_each_step_refused_to_every_other_role(building, name):
    world, project = building("laohekou-2024")
    if name == "score_supervisor":
        _built(world, project)
    for who in USERS:
        client = APIClient()
        client.force_authenticate(user=_user(world, who))
        response = client.post(f"/api/v1/projects/{project.pk}/actions/{name}/", {}, format="json")
        if who == OWNER[name]:
            # Theirs: the empty input is malformed.
            assert response.status_code == 400, (name, who, response.json())
        elif who in ("dept2", "stranger"):
            assert response.status_code == 404, (name, who, response.json())  # does not see the project
        else:
            assert response.status_code == 403, (name, who, response.json())
            assert response.json()["detail"], (name, who)
