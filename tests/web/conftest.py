import pytest

from projects.enums import DocumentKind, ProjectState
from tests.api.conftest import returned_draft, submit  # noqa: F401 (for the pages' tests)
from tests.factories import PASSWORD, pdf_upload
from tests.factories.records import opinion_record


@pytest.fixture
def login(client):
    """Log the client in as one of the World's users (through the real login page, axes and all)."""

    def _login(user):
        client.logout()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return _login


def reviewing_with_opinion(world, conclusion="pass", **overrides):
    """A project under review whose BDC opinion is issued: what finance waits for."""
    from projects.services import document_upload

    project = world.project_in_state(ProjectState.REVIEWING, **overrides)
    version = document_upload(
        project=project, by=world.bdc, kind=DocumentKind.REVIEW_OPINION, file=pdf_upload("opinion.pdf")
    )
    opinion_record(
        project=project, by=world.bdc, conclusion=conclusion, summary="同意建设。", document_version=version
    )
    return project
