import pytest

from core.enums import OrganisationKind, Role
from projects.enums import ProjectState
from reviews.enums import ExpertField
from tests.factories import ExpertFactory, OrganisationFactory, UserFactory


@pytest.fixture
def make_expert(world):
    """An expert of the World's library: `make_expert("name", [fields], employer=org)`."""

    def _make(username, fields=(ExpertField.SOFTWARE,), employer=None, **kw):
        return ExpertFactory(
            user=UserFactory(
                username=username, role=Role.EXPERT, organisation=None, full_name=kw.pop("name", username)
            ),
            employer=employer or world.expert_org,
            fields=list(fields),
            **kw,
        )

    return _make


@pytest.fixture
def bidder_org(world):
    return OrganisationFactory(
        jurisdiction=world.jurisdiction, kind=OrganisationKind.EXTERNAL, name="某某科技有限公司"
    )


@pytest.fixture
def declared(world):
    """A declared project (教育局, co-built with 卫健局) whose panel is still to be drawn."""
    return world.project_in_state(ProjectState.DECLARED, co_builders=[world.dept2_org])


@pytest.fixture
def login(client):
    """Log the client in through the real login page. Experts made by the library have no password: give one."""
    from tests.factories import PASSWORD

    def _login(user):
        if not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save()
        client.logout()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return _login
