"""The number of SQL queries of a read does not grow with the number of rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.enums import ProjectState
from tests.factories import pdf_upload

from .conftest import returned_draft, submit

LIST_BOUND = 4  # count, page, co-builders, and one for the caller's organisation at most
DETAIL_BOUND = 3


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _projects(world, n: int) -> None:
    """`n` submitted projects: the department's own, which the auditor sees too."""
    for i in range(n):
        submit(world, world.project(name=f"项目{i}", co_builders=[world.dept2_org.pk] if i % 2 else []))


@pytest.mark.parametrize("role", ["dept", "auditor"])
@pytest.mark.parametrize("n", [1, 20])
def test_project_list_queries_are_bounded(world, api, django_assert_max_num_queries, role, n):
    _projects(world, n)
    client = api(getattr(world, role))
    with django_assert_max_num_queries(LIST_BOUND):
        response = client.get("/api/v1/projects/")
    assert response.json()["count"] == n


@pytest.mark.parametrize("role", ["dept", "auditor"])
def test_project_list_queries_do_not_grow_from_1_to_20(world, api, role):
    client = api(getattr(world, role))
    _projects(world, 1)
    client.get("/api/v1/projects/")  # warm the caller's own organisation
    one = _queries(client, "/api/v1/projects/")
    _projects(world, 19)
    assert _queries(client, "/api/v1/projects/") == one


@pytest.mark.parametrize("n", [1, 20])
def test_project_detail_queries_are_bounded(world, api, django_assert_max_num_queries, n):
    _projects(world, n)
    project = world.project_in_state(ProjectState.DECLARED, co_builders=[world.dept2_org.pk])
    client = api(world.auditor)
    client.get(f"/api/v1/projects/{project.pk}/")
    with django_assert_max_num_queries(DETAIL_BOUND):
        response = client.get(f"/api/v1/projects/{project.pk}/")
    assert response.json()["co_builders"] == [{"id": world.dept2_org.pk, "name": "区卫生健康局"}]


def test_document_list_queries_do_not_grow_with_documents(world, api):
    from projects.services import document_upload

    project = world.project()
    client = api(world.dept)
    document_upload(project=project, by=world.dept, kind="construction_plan", file=pdf_upload())
    one = _queries(client, f"/api/v1/projects/{project.pk}/documents/")
    for kind in ("feasibility_report", "contract", "award_notice", "construction_plan", "construction_plan"):
        document_upload(project=project, by=world.dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))
    assert _queries(client, f"/api/v1/projects/{project.pk}/documents/") == one


def test_timeline_queries_do_not_grow_with_entries(world, api):
    project = returned_draft(world)  # the department edits it again, the auditor sees it
    client = api(world.auditor)
    client.get(f"/api/v1/projects/{project.pk}/timeline/")
    one = _queries(client, f"/api/v1/projects/{project.pk}/timeline/")
    for i in range(5):
        api(world.dept).patch(f"/api/v1/projects/{project.pk}/", {"name": f"改名{i}"}, format="json")
    assert _queries(client, f"/api/v1/projects/{project.pk}/timeline/") == one
