"""Pages whose query count must not grow with the number of projects or records."""

import pytest

from projects.enums import ProjectState

from .conftest import submit

LIST_BOUND = 10
# The home page also computes the deadlines of the user's projects: their records are prefetched once.
HOME_BOUND = 20
# The project page reads each of its record kinds once (documents, catalogue, review, procurement, acceptance,
# deadlines, timeline): one query per kind, whatever their number.
PAGE_BOUND = 32


@pytest.mark.parametrize("count", [1, 20])
def test_project_list_query_count_is_flat(world, login, django_assert_max_num_queries, count):
    for i in range(count):
        submit(world, world.project(name=f"项目{i}"))  # submitted: the auditor lists them
    client = login(world.auditor)
    with django_assert_max_num_queries(LIST_BOUND):
        response = client.get("/projects/")
    assert response.content.decode().count("/projects/") >= count


@pytest.mark.parametrize("count", [1, 20])
def test_home_query_count_is_flat(world, login, django_assert_max_num_queries, count):
    for i in range(count):
        world.project(name=f"项目{i}")
    client = login(world.dept)
    with django_assert_max_num_queries(HOME_BOUND):
        client.get("/")


@pytest.mark.parametrize("role", ["dept", "bdc", "finance", "auditor"])
def test_project_page_query_count(world, login, django_assert_max_num_queries, role):
    project = world.project_in_state(ProjectState.APPROVED)
    client = login(getattr(world, role))
    with django_assert_max_num_queries(PAGE_BOUND):
        response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
