"""The dashboard answers in a fixed number of queries however many projects: pinned at one project and at
thirty, with contracts, progress reports, warnings and 督办单 on many of them."""

import pytest
from django.test import Client

from projects.enums import ProjectState
from tests.api.conftest import submit

from .conftest import leader_of, overdue

BACKEND = "django.contrib.auth.backends.ModelBackend"
# The session and the user (2), the user's organisation (1, whose jurisdiction bounds what it sees), the two
# lists of choices (2), the seven figures (7), the jurisdiction's name for the heading (1). The session's
# idle renewal writes at most once a minute (core.middleware.SessionIdleRenewal), not here. The template adds
# none.
PAGE_QUERIES = 13
# The API client is authenticated without a session: the organisation, the choices and the figures.
API_QUERIES = 10


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _building(world, **overrides):
    """A project under construction with a progress report, a 督办单 and an overdue warning."""
    project = world.project_in_state(ProjectState.CONSTRUCTION, **overrides)
    period = project.contract_filings.get().signed_on.strftime("%Y-%m")
    world.act(
        project, "progress_report", world.dept, {"period": period, "percent_done": 10, "paid_amount": "5.00"}
    )
    world.act(
        project,
        "escalate",
        world.bdc,
        {"reason": "进度滞后。", "items": "报送整改计划", "owner": world.dept_org.name, "workdays": 5},
    )
    overdue(project, f"Q{project.pk}")
    return project


def _grow(world, n: int) -> None:
    """n more projects over three years and both departments; every fifth one under construction."""
    for i in range(n):
        if i % 5 == 0:
            _building(world, name=f"在建项目{i}", year=2024 + i % 3)
        else:
            owner = world.dept if i % 2 else world.dept2
            submit(world, world.project(name=f"申报项目{i}", year=2024 + i % 3, by=owner))


@pytest.mark.parametrize("extra", [0, 29])
def test_the_page_and_the_api_in_constant_queries(world, api, django_assert_max_num_queries, extra):
    leader = leader_of(world)
    _building(world)
    _grow(world, extra)
    client = _client(leader)
    client.get("/dashboard/")  # the session's first load
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr>") >= 5
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get("/dashboard/export/money_departments.xlsx?year=2025").status_code == 200
    with django_assert_max_num_queries(API_QUERIES):
        body = api(leader).get("/api/v1/dashboard/").json()
    stages = {t["key"]: t for t in body["tables"]}["stages"]
    assert stages["total"][1] == 1 + extra
