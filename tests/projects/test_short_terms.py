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
def test_only_one_or_two_characters_without_a_space_take_the_index():
    assert short_term_match("平台") is not None and short_term_match("局") is not None
    assert short_term_match("停车场") is None and short_term_match("平 ") is not None  # stripped: 平
    assert short_term_match("a b") is None and short_term_match("") is None
