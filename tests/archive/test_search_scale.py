"""Search past archive.search.EXACT hits (a one- or two-character term over a province's archive): the total
and the facets are estimated from a sample of the index's pages, the hits come most recent first, and the
work stays bounded. EXACT is lowered here so that a handful of projects is "many"; with the whole table
sampled (MAX_SAMPLE_PERCENT 100) the estimates must equal the exact counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import search as search_module
from archive.models import SearchEntry
from archive.search import search
from tests.api.conftest import submit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the estimates are PostgreSQL's (TABLESAMPLE)"
    ),
]


@pytest.fixture
def many(world, monkeypatch):
    """Seven submitted 平台 projects of two departments, two years; EXACT lowered to 3, the whole table sampled."""
    monkeypatch.setattr(search_module, "EXACT", 3)
    monkeypatch.setattr(search_module, "MAX_SAMPLE_PERCENT", 100.0)
    monkeypatch.setattr(search_module, "SAMPLE", 10**9)
    made = []
    for i in range(7):
        by = world.dept if i % 2 else world.dept2
        project = world.project(by=by, name=f"共享交换平台第{i}期", year=2027 + i % 2)
        submit(world, project)
        made.append(project)
    return made


def test_many_hits_are_estimated_listed_most_recent_first_and_counted_as_sampled(world, many):
    exact = SearchEntry.objects.filter(kind="project", project__in=many).count()
    result = search(user=world.auditor, query="平台", filters={"kind": "project"})
    assert result.estimated
    assert result.total == exact == 7  # every page sampled: the estimate is the count
    years = {f["value"]: f["count"] for f in result.facets["year"]}
    assert years == {2027: 4, 2028: 3}
    shown = [hit["project_id"] for hit in result.hits]
    by_recency = sorted(many, key=lambda p: (p.year, p.pk), reverse=True)
    assert shown == [p.pk for p in by_recency]


def test_estimated_hits_are_still_only_what_the_caller_may_see(world, many, monkeypatch):
    monkeypatch.setattr(search_module, "EXACT", 2)  # the department sees three
    mine = {p.pk for p in many if p.organisation_id == world.dept_org.pk}
    result = search(user=world.dept, query="平台", filters={"kind": "project"})
    assert result.estimated and {hit["project_id"] for hit in result.hits} == mine


def test_a_few_hits_are_exact_and_ranked(world, many, monkeypatch):
    monkeypatch.setattr(search_module, "EXACT", 5000)
    result = search(user=world.auditor, query="平台", filters={"kind": "project"})
    assert not result.estimated and result.total == 7


def test_the_planner_settings_are_put_back_and_queries_stay_bounded(world, many):
    with CaptureQueriesContext(connection) as queries:
        search(user=world.auditor, query="平台")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on", "on")
    first = len(queries.captured_queries)
    for i in range(5):
        submit(world, world.project(by=world.dept2, name=f"数据共享平台{i}"))
    with CaptureQueriesContext(connection) as queries:
        search(user=world.auditor, query="平台")
    assert len(queries.captured_queries) <= first + 2  # the way taken may differ by a query or two, not grow


def test_the_page_and_the_api_say_the_counts_are_estimates(client, api, world, many):
    body = api(world.auditor).get("/api/v1/search/", {"q": "平台", "kind": "project"}).json()
    assert body["count_estimated"] is True and body["count"] == 7
    client.force_login(world.auditor)
    page = client.get("/archive/search/", {"q": "平台"}).content.decode()
    assert "约" in page and "按时间由近及远" in page
    assert "(约7)" in page  # each facet's count is marked an estimate too
