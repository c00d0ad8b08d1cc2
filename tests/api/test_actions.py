import re

import pytest
from django.test import Client

from projects.actions import ACTIONS
from projects.enums import ProjectState
from sharing.services import resource_add
from tests.factories import CATALOGUE_ENTRY

from .conftest import returned_draft

DATA_ACTION = re.compile(r'data-action="([^"]+)"')

STATES = [
    ProjectState.DRAFT,
    ProjectState.DECLARED,
    ProjectState.REVIEWING,
    ProjectState.APPROVED,
    ProjectState.PROCUREMENT,
    ProjectState.CONSTRUCTION,
    ProjectState.FINAL_ACCEPTANCE,
    ProjectState.EVALUATION,
]
ROLES = ("dept", "dept2", "bdc", "finance", "auditor", "supervisor", "fgw")


def _page_actions(user, project) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/projects/{project.pk}/")
    if response.status_code == 404:
        return set()
    assert response.status_code == 200, response.status_code
    return set(DATA_ACTION.findall(response.content.decode()))


def _api_actions(api, user, project) -> set[str]:
    response = api(user).get(f"/api/v1/projects/{project.pk}/actions/")
    if response.status_code == 404:
        return set()
    assert response.status_code == 200, response.status_code
    return {a["name"] for a in response.json()}


@pytest.mark.parametrize("state", STATES)
def test_page_and_api_list_the_same_actions(world, api, state):
    project = world.project_in_state(state)
    users = {name: getattr(world, name) for name in ROLES}
    if project.panel.exists():
        users["expert"] = world.experts[0].user
    mismatches = {}
    for name, user in users.items():
        page, listed = _page_actions(user, project), _api_actions(api, user, project)
        if page != listed:
            mismatches[name] = {"page only": sorted(page - listed), "api only": sorted(listed - page)}
    assert not mismatches, (state, mismatches)


def test_schema_lists_every_action(world, api):
    response = api(world.dept).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    description = response.json()["paths"]["/api/v1/projects/{id}/actions/{name}/"]["post"]["description"]
    missing = [name for name in ACTIONS if f"`{name}`" not in description]
    assert not missing, missing


def test_action_refusals_in_order(world, api):
    draft = returned_draft(world)  # a draft the BDC sees: submitted once, returned for revision
    declared = world.project_in_state(ProjectState.DECLARED)
    url = f"/api/v1/projects/{declared.pk}/actions/prereview/"

    # Not the auditor's to take: 403 before the (empty, so invalid) input is looked at.
    assert api(world.auditor).post(url, {}, format="json").status_code == 403
    # Another department does not see the project at all.
    assert api(world.dept2).post(url, {}, format="json").status_code == 404
    # The BDC may pre-review, but not a draft.
    response = api(world.bdc).post(f"/api/v1/projects/{draft.pk}/actions/prereview/", {}, format="json")
    assert response.status_code == 409, response.json()
    # Malformed input: passed without the opinion.
    response = api(world.bdc).post(url, {"passed": "1"}, format="json")
    assert response.status_code == 400, response.json()
    detail = response.json()["detail"]
    assert re.search(r"[\u4e00-\u9fff]", detail), detail
    # Valid.
    response = api(world.bdc).post(url, {"passed": "1", "opinion": "符合规划，同意进入评审。"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id"]
    timeline = api(world.bdc).get(f"/api/v1/projects/{declared.pk}/timeline/")
    assert timeline.status_code == 200
    assert "reviews.prereview.record" in [e["action"] for e in timeline.json()]


def test_actions_list_query_count_is_flat(world, api, django_assert_max_num_queries):
    project = world.project_in_state(ProjectState.REVIEWING)
    assert project.resources.count() == 1
    url = f"/api/v1/projects/{project.pk}/actions/"
    client = api(world.bdc)
    client.get(url)  # warm caches (policy, content types) so both measurements are alike

    with django_assert_max_num_queries(10_000) as one:
        assert client.get(url).status_code == 200
    baseline = len(one.captured_queries)

    for i in (2, 3):
        resource_add(project=project, by=world.dept, data={**CATALOGUE_ENTRY, "name": f"数据资源{i}"})
    assert project.resources.count() == 3

    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
