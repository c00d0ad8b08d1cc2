import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """`api(user)`: a client acting as `user` (None: anonymous)."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for


def submit(world, project):
    """Submit a draft as its own department does (提交申报), filing what wendeng-2021 needs first: the plan, the
    feasibility report and, unless the draft has one, a catalogue entry. A draft never submitted is its
    department's alone; once submitted the BDC, finance and the auditor see the project."""
    from projects.enums import DocumentKind
    from projects.services import project_transition
    from sharing.services import resource_add
    from tests.factories import CATALOGUE_ENTRY

    owner = world.dept2 if project.organisation_id == world.dept2_org.pk else world.dept
    for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
        world.upload(project, kind, by=owner)
    if not project.resources.exists():
        resource_add(project=project, by=owner, data=dict(CATALOGUE_ENTRY))
    project_transition(project_id=project.pk, name="submit", by=owner, data={})
    project.refresh_from_db()
    return project


def returned_draft(world, **overrides):
    """A draft submitted and returned for revision by the BDC (退回修改): a draft its department edits again,
    which the BDC and the auditor still see (finance and the 发展改革 body do not)."""
    from projects.services import project_transition

    project = submit(world, world.project(**overrides))
    project_transition(
        project_id=project.pk,
        name="return_for_revision",
        by=world.bdc,
        data=world.transition_data("return_for_revision"),
    )
    project.refresh_from_db()
    return project
