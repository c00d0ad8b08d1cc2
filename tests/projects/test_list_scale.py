"""The project list at a province's scale: visibility as a semi-join, a capped count on the page, keyset pages
on the API, `q=` on an index (terms of one and two characters too), and on PostgreSQL the plan itself: the
list read off its index in order, never a Sort over the table."""

import pytest
from django.db import connection
from django.db.models import Q
from rest_framework.test import APIClient

from core.pages import CappedPaginator
from projects.enums import ProjectState
from projects.models import Project
from projects.selectors import project_list

pytestmark = pytest.mark.django_db
URL = "/api/v1/projects/"


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return client_for


def _ids(response) -> list[int]:
    return [p["id"] for p in response.json()["results"]]


def test_a_co_built_project_is_listed_once_without_distinct(world):
    project = world.project(by=world.dept2, name="共建平台", co_builders=[world.dept_org, world.bdc_org])
    own = world.project(name="自建平台")
    listed = project_list(user=world.dept)
    assert list(listed.values_list("pk", flat=True)) == [own.pk, project.pk]
    sql = str(listed.query).upper()
    # Its own or a co-built one, one condition on each row (read off the list's index), not a DISTINCT over
    # wide rows nor a union of every one of its projects to sort.
    assert "DISTINCT" not in sql and "UNION" not in sql and "PROJECTS_PROJECT_CO_BUILDERS" in sql


def test_the_department_home_merges_its_own_and_co_built_newest_first(world):
    """Its own and co-built projects in one list, newest first, read as a page (`limit` kept)."""

    def department_latest(user, limit):
        return list(project_list(user=user)[:limit])

    older = world.project(name="自建一")
    co_built = world.project(by=world.dept2, name="共建", co_builders=[world.dept_org])
    newer = world.project(name="自建二")
    world.project(by=world.dept2, name="别人的")  # neither its own nor co-built
    assert [p.pk for p in department_latest(world.dept, 5)] == [newer.pk, co_built.pk, older.pk]
    assert [p.pk for p in department_latest(world.dept, 2)] == [newer.pk, co_built.pk]
    assert [p.pk for p in department_latest(world.dept, 5)] == list(
        project_list(user=world.dept).values_list("pk", flat=True)
    )


def test_the_page_counts_no_further_than_its_cap(world, login, monkeypatch):
    for i in range(3):
        world.project(name=f"项目{i}")
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    page = login(world.dept).get("/projects/").content.decode()
    assert "共 2+ 个项目" in page and "请用筛选条件缩小范围" in page
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    page = login(world.dept).get("/projects/").content.decode()
    assert "共 3 个项目" in page and "请用筛选条件缩小范围" not in page


@pytest.mark.parametrize("term", ["慧", "智慧", "智慧城市", "code"])
def test_q_finds_one_and_two_character_terms(world, api, term):
    hit = world.project(name="智慧城市运行平台")
    other = world.project(name="教育资源公共服务")
    if term == "code":  # two characters of the code, in another case
        term = hit.code[-2:].lower()
        assert term not in other.code.lower()
    assert _ids(api(world.dept).get(URL, {"q": term})) == [hit.pk]


def test_the_api_pages_by_cursor_through_every_project(world, api):
    made = [world.project(name=f"项目{i}") for i in range(5)]
    client = api(world.dept)
    body = client.get(URL, {"limit": 2}).json()
    assert body["count"] == 5 and body["count_exact"] is True
    seen = [p["id"] for p in body["results"]]
    while body["next"]:
        assert "cursor=" in body["next"] and "offset=" not in body["next"]
        body = client.get(body["next"]).json()
        assert body["previous"] is None
        seen += [p["id"] for p in body["results"]]
    assert seen == [p.pk for p in reversed(made)]


def test_the_cursor_keeps_filters_and_a_bad_one_is_a_400(world, api):
    for i in range(3):
        world.project(name=f"平台{i}")
    world.project(name="其他")
    client = api(world.dept)
    first = client.get(URL, {"limit": 2, "q": "平台"}).json()
    assert "q=" in first["next"]
    assert len(_ids(client.get(first["next"]))) == 1
    for bad in ("xyz", "W10", "WyJub3QgYSBkYXRlIiwgMV0"):  # not base64 JSON; []; ["not a date", 1]
        response = client.get(URL, {"cursor": bad})
        assert response.status_code == 400, bad
        assert "cursor" in response.json()["detail"]


def test_the_api_count_is_capped(world, api, monkeypatch):
    from core.api_fields import KeysetPagination

    for i in range(3):
        world.project(name=f"项目{i}")
    monkeypatch.setattr(KeysetPagination, "count_cap", 2)
    body = api(world.dept).get(URL, {"limit": 1}).json()
    assert (body["count"], body["count_exact"]) == (2, False)


def test_list_query_counts_stay_flat(world, login, api):
    """The page and the API cost the same for one project as for four (co-built ones included)."""
    from django.test.utils import CaptureQueriesContext

    def counts():
        client = login(world.dept2)
        with CaptureQueriesContext(connection) as page:
            assert client.get("/projects/").status_code == 200
        with CaptureQueriesContext(connection) as listed:
            api(world.dept2).get(URL)
        return len(page.captured_queries), len(listed.captured_queries)

    world.project(name="项目0", co_builders=[world.dept2_org])
    one = counts()
    for i in range(1, 4):
        world.project(name=f"项目{i}", co_builders=[world.dept2_org])
    assert counts() == one
    assert one[1] <= 6  # the API: the token's user, the capped count, the page, the co-builders


# ---- the plans (PostgreSQL) ------------------------------------------------------------------------------


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database holds a handful of rows, where a scan is cheapest: forbid it, and forbid sorting,
        # so the plan shows whether an index gives the list's rows in the list's order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("role", "filters", "index"),
    [
        ("auditor", {}, "project_list_idx"),
        ("dept", {}, "project_list_idx"),
        ("bdc", {"state": ProjectState.DECLARED}, "project_state_list_idx"),
        ("finance", {"year": 2027}, "project_year_list_idx"),
    ],
)
def test_the_list_is_read_off_its_index_in_order(world, postgresql_only, role, filters, index):
    for i in range(3):
        world.project(name=f"项目{i}")
    plan = _plan(project_list(user=getattr(world, role), filters=filters)[:30])
    assert index in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan  # no Sort node: rows come in index order


def test_q_uses_the_trigram_indexes(world, postgresql_only):
    world.project(name="智慧城市运行平台")
    term = "城市平"
    plan = _plan(Project.objects.filter(Q(name__icontains=term) | Q(code__icontains=term)).order_by())
    assert "project_name_trgm_idx" in plan and "project_code_trgm_idx" in plan, plan
