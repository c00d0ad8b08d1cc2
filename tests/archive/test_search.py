"""Search as people search, in Chinese: a department's name, a phrase from a chapter, a letter's number, a
two-character term, a one-character term, and a term that must not match across two words; nothing the caller
may not see; facets with counts; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.search import search, terms_of
from core.models import Letter
from projects.enums import ProjectState
from tests.api.conftest import submit

pytestmark = pytest.mark.django_db

CHAPTER = "依托区域卫生信息平台，建设远程会诊与分级诊疗系统，接入各镇街卫生院。"


@pytest.fixture
def health(world):
    """Two projects of 区卫生健康局, submitted (so the centre and the auditor see them), one with chapter 3."""
    first = world.project(by=world.dept2, name="全民健康信息平台（一期）", content=CHAPTER)
    second = world.project(by=world.dept2, name="基层医疗数据中心")
    for project in (first, second):
        submit(world, project)
    return first, second


def codes(result) -> set[str]:
    return {hit["code"] for hit in result.hits}


def test_a_department_name_finds_its_projects(world, health):
    result = search(user=world.auditor, query="卫生健康局")
    assert codes(result) == {p.code for p in health}
    assert {hit["type"] for hit in result.hits} == {"project"}


def test_a_phrase_from_a_chapter_is_found_and_marked(world, health):
    result = search(user=world.bdc, query="远程会诊")
    assert codes(result) == {health[0].code}
    assert "<mark>远程会诊</mark>" in result.hits[0]["snippet"]


def test_two_characters_and_one_character(world, health):
    assert codes(search(user=world.auditor, query="平台")) >= {health[0].code}
    assert codes(search(user=world.auditor, query="诊")) == {health[0].code}


def test_a_term_does_not_match_across_two_words(world, health):
    """数据中心 is 数据|中心: "据中" straddles the two words and finds nothing; 数据 and 中心 each find it."""
    assert terms_of("据中").words == ("据", "中")
    projects = {"kind": "project"}  # (the other's catalogue resource is a 数据库表: it holds 数据 too)
    assert search(user=world.auditor, query="据中").total == 0
    assert codes(search(user=world.auditor, query="数据", filters=projects)) == {health[1].code}
    assert codes(search(user=world.auditor, query="中心", filters=projects)) == {health[1].code}


def test_a_letter_is_found_by_its_number(world):
    project = world.project_in_state(ProjectState.APPROVED)
    letter = Letter.objects.filter(project=project).get()
    result = search(user=world.auditor, query=letter.number)
    assert ("letter", project.code) in [(hit["type"], hit["code"]) for hit in result.hits]
    assert {item["value"] for item in result.facets["kind"]} >= {"letter"}


def test_nothing_the_caller_may_not_see(world, health):
    assert search(user=world.dept, query="卫生健康局").total == 0  # another department's projects
    draft = world.project(by=world.dept2, name="未提交的远程会诊草稿", content=CHAPTER)
    assert draft.code not in codes(
        search(user=world.auditor, query="远程会诊")
    )  # a draft is its department's
    assert draft.code in codes(search(user=world.dept2, query="远程会诊"))


def test_a_classified_projects_documents_are_found_only_by_who_may_read_them(world):
    project = world.project(name="涉密指挥调度系统", is_classified=True)
    world.ready_to_submit(project)
    submit(world, project)
    result = search(user=world.bdc, query="可行性研究报告", filters={"kind": "document"})
    assert project.code not in codes(result)
    assert project.code in codes(
        search(user=world.dept, query="可行性研究报告", filters={"kind": "document"})
    )


def test_facets_count_the_hits_and_filters_narrow_them(world, health):
    result = search(user=world.auditor, query="卫生健康局")
    assert result.facets["organisation"] == [
        {"value": world.dept2_org.pk, "label": "区卫生健康局", "count": 2}
    ]
    assert result.facets["year"] == [{"value": 2027, "label": "2027", "count": 2}]
    assert search(user=world.auditor, query="卫生健康局", filters={"year": 2026}).total == 0
    kinds = search(user=world.auditor, query="卫生健康局", filters={"kind": "project"})
    assert kinds.total == 2 and kinds.facets["kind"] == [{"value": "project", "label": "项目", "count": 2}]


def test_the_api_answers_in_the_shape_api_md_fixes(world, api, health):
    body = api(world.auditor).get("/api/v1/search/", {"q": "远程会诊"}).json()
    assert body["count"] == 1
    assert {"type", "project_id", "code", "title", "snippet"} <= set(body["results"][0])
    response = api(world.auditor).get("/api/v1/search/", {"q": "平台", "year": "去年"})
    assert response.status_code == 400 and "年度" in response.json()["detail"]
    assert api(None).get("/api/v1/search/", {"q": "平台"}).status_code in (401, 403)


def test_the_page_shows_hits_facets_and_marks(client, world, health):
    client.force_login(world.auditor)
    page = client.get("/archive/search/", {"q": "远程会诊"}).content.decode()
    assert "<mark>远程会诊</mark>" in page and health[0].code in page and "区卫生健康局" in page
    assert client.get("/archive/search/", {"q": "x", "year": "abc"}).status_code == 400


def test_queries_stay_constant_as_hits_grow(world, health):
    def count():
        with CaptureQueriesContext(connection) as queries:
            search(user=world.auditor, query="卫生健康局")
        return len(queries.captured_queries)

    few = count()
    for i in range(6):
        submit(world, world.project(by=world.dept2, name=f"卫生健康局第{i}个项目"))
    assert count() == few


def test_every_role_finds_exactly_the_projects_it_may_see(world, health):
    """The index applies the jurisdiction-wide roles' rule to its own copies of the projects' state, declared_at
    and organisation: for every role, the projects a broad search finds are the ones it may see."""
    from archive.models import SearchEntry
    from projects.selectors import project_visible_to

    draft = world.project(by=world.dept2, name="卫生健康局草稿")
    returned = world.project(by=world.dept2, name="卫生健康局退回的项目")
    submit(world, returned)
    from projects.services import project_transition

    project_transition(
        project_id=returned.pk, name="return_for_revision", by=world.bdc, data={"comment": "补充材料"}
    )
    assert SearchEntry.objects.filter(project=returned, kind="project").get().state == "draft"
    everyone = ["dept", "dept2", "bdc", "finance", "auditor", "supervisor", "fgw", "sysadmin", "auditadmin"]
    for name in everyone:
        user = getattr(world, name)
        found = {
            hit["project_id"]
            for hit in search(user=user, query="卫生健康局", filters={"kind": "project"}, limit=50).hits
        }
        visible = set(
            project_visible_to(user).filter(organisation=world.dept2_org).values_list("pk", flat=True)
        )
        assert found == visible, name
    assert draft.pk not in {
        h["project_id"] for h in search(user=world.bdc, query="卫生健康局", limit=50).hits
    }
