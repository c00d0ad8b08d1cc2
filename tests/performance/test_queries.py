"""The pages and reads this app adds keep a constant number of SQL queries as the data grows: the project page
with its targets, evaluations and the department's past results, the samples page, and the performance read."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project

from .conftest import act, api, in_evaluation, on
from .test_sample import SAMPLES, _evaluated
from .test_self_evaluation import BACKEND

# Measured 2026-12: the project page of an evaluated project 51 (the whole page, every app's panel; this app's
# part: targets 2, evaluations with their results 2, re-evaluations 1, third parties 1, samples 1, past
# results 2), a declaration 40; the samples page 12. The page's other panels change under other hands: some room.
PROJECT_PAGE_MAX = 60
SAMPLES_PAGE_MAX = 12


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(world, n, year):
    projects = _evaluated(world, n, day=date(year, 6, 1))
    with on(date(year, 9, 1)):
        assert api(world.finance).post(SAMPLES, {"year": year, "size": n}, format="json").status_code == 201
    for p in projects:
        act(p, "finance_evaluation", world.finance, {"score": "80", "findings": "良好。", "report": _pdf()})
    return projects


def _pdf():
    from tests.factories import pdf_upload

    return pdf_upload("r.pdf")


def test_project_page_queries_do_not_grow(lhk, client, django_assert_max_num_queries):
    client.force_login(lhk.bdc, backend=BACKEND)
    following = lhk.project(name="新申报")
    Project.objects.filter(pk=following.pk).update(state="declared")
    evaluated = in_evaluation(lhk, name="已评价")
    with on(date(2026, 6, 1)):
        from .test_self_evaluation import _fields

        act(evaluated, "self_evaluation", lhk.dept, _fields(evaluated))
    url_new, url_done = f"/projects/{following.pk}/", f"/projects/{evaluated.pk}/"
    small = (_count(lambda: client.get(url_new)), _count(lambda: client.get(url_done)))
    _grow(lhk, 3, 2027)
    with on(date(2026, 7, 1)):
        second = act(evaluated, "self_evaluation", lhk.dept, _fields(evaluated))  # the same project again
    assert second.status_code == 201
    large = (_count(lambda: client.get(url_new)), _count(lambda: client.get(url_done)))
    assert large == small, (small, large)
    with django_assert_max_num_queries(PROJECT_PAGE_MAX):
        client.get(url_done)


def test_samples_page_and_read_queries_do_not_grow(lhk, client, django_assert_max_num_queries):
    client.force_login(lhk.finance, backend=BACKEND)
    _grow(lhk, 1, 2026)
    small = (
        _count(lambda: client.get("/performance/samples/")),
        _count(lambda: api(lhk.finance).get(SAMPLES)),
    )
    _grow(lhk, 3, 2027)
    large = (
        _count(lambda: client.get("/performance/samples/")),
        _count(lambda: api(lhk.finance).get(SAMPLES)),
    )
    assert large == small, (small, large)
    with django_assert_max_num_queries(SAMPLES_PAGE_MAX):
        client.get("/performance/samples/")
    html = client.get("/performance/samples/").content.decode()
    assert "按种子和候选重新抽取，结果一致" in html and "2027年度" in html and "2026年度" in html


def test_performance_read_queries_do_not_grow(lhk):
    project = in_evaluation(lhk)
    with on(date(2026, 6, 1)):
        from .test_self_evaluation import _fields

        act(project, "self_evaluation", lhk.dept, _fields(project))
    url = f"/api/v1/projects/{project.pk}/performance/"
    small = _count(lambda: api(lhk.auditor).get(url))
    with on(date(2026, 7, 1)):
        act(project, "self_evaluation", lhk.dept, _fields(project))
    _grow(lhk, 2, 2027)
    assert _count(lambda: api(lhk.auditor).get(url)) == small
