"""`q=` of one or two characters on the project list: answered off the index of characters and character pairs
(projects 0008) on PostgreSQL, it finds exactly what "name or code contains it, any case" finds."""

import pytest
from django.db import connection

from projects.models import Project
from projects.selectors import project_list, short_term_match
from tests.api.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    for name in ("信访综合业务平台", "网格化管理平台", "河长制管理系统", "智慧停车"):
        submit(world, world.project(by=world.dept2, name=name))


@pytest.mark.parametrize(
    "q", ["信访", "平台", "台", "管理", "理系", "we", "N-", "7-", "停车", "车场", "访综", "x"]
)
def test_a_short_term_finds_what_a_substring_search_finds(world, listed, q):
    found = set(project_list(user=world.auditor, filters={"q": q}).values_list("code", flat=True))
    expected = {
        p.code
        for p in Project.objects.exclude(state="draft")
        if q.upper() in p.name.upper() or q.upper() in p.code.upper()
    }
    assert found == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_only_rare_terms_of_one_or_two_characters_without_a_space_take_the_index(world, listed, monkeypatch):
    assert short_term_match("平台") and short_term_match("局")
    import projects.selectors

    rare = short_term_match("平台")
    monkeypatch.setattr(projects.selectors, "SHORT_TERM_COMMON", 0)  # every term is common
    assert short_term_match("平台") == ()  # over a jurisdiction: the plain LIKE, walking the list's order
    few = short_term_match("平台", few=True)  # over a department's projects: a LIKE on no index
    assert few and str(few) != str(rare)


@pytest.mark.parametrize("q", ["平台", "管理", "we", "N-", "车"])
def test_a_common_short_term_over_a_departments_projects_finds_the_same(world, listed, q, monkeypatch):
    import projects.selectors

    monkeypatch.setattr(projects.selectors, "SHORT_TERM_COMMON", 0)  # the department's LIKE on no index
    found = set(project_list(user=world.dept2, filters={"q": q}).values_list("code", flat=True))
    own = Project.objects.filter(organisation=world.dept2_org)
    assert found == {p.code for p in own if q.upper() in p.name.upper() or q.upper() in p.code.upper()}
