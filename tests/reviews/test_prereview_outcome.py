"""The pre-review's outcome and its 预审意见书 (gongshu-draft 四(二)): each outcome does what docs/policies.md says
(预审合格 → on to review; 完善 / 拆分 / 合并 → back to the department; 取消 → 不予立项), the letter is numbered and
rendered with the outcome, and the roles that must not pre-review are refused."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from core.models import Letter, TimelineEntry
from projects.checks import evaluate_checks
from projects.enums import ProjectState
from projects.models import Project
from reviews.models import PreReview
from tests.factories import World
from tests.letters.conftest import bdc_with_short_name

GONGSHU = "《拱墅区信息化项目管理办法（征求意见稿）》四(二)"


def declared(world):
    """A project of `world` in 已申报, declared now (the way there is tested by the walks)."""
    project = world.project()
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())
    project.refresh_from_db()
    return project


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def post_prereview(user, project, capture, **data):
    with capture(execute=True):
        return api(user).post(f"/api/v1/projects/{project.pk}/actions/prereview/", data, format="json")


def pdf_flat_text(letter: Letter) -> str:
    with letter.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def gongshu(db):
    world = World("gongshu-draft")
    world.bdc_org.short_name = "拱数据"
    world.bdc_org.save(update_fields=["short_name"])
    return world


@pytest.mark.parametrize(
    ("outcome", "label", "state"),
    [
        ("pass", "预审合格", ProjectState.DECLARED),
        ("revise", "完善需求方案", ProjectState.DRAFT),
        ("split", "拆分项目建设", ProjectState.DRAFT),
        ("merge", "合并项目建设", ProjectState.DRAFT),
        ("cancel", "取消项目建设", ProjectState.REJECTED),
    ],
)
def test_prereview_outcome_issues_the_letter_and_moves_the_project(
    gongshu, django_capture_on_commit_callbacks, outcome, label, state
):
    project = declared(gongshu)
    response = post_prereview(
        gongshu.bdc,
        project,
        django_capture_on_commit_callbacks,
        outcome=outcome,
        opinion="意见一。\n意见二。",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == outcome and body["project_state"] == state

    letter = Letter.objects.get(project=project, kind=Letter.Kind.PREREVIEW_OPINION)
    year = timezone.localdate().year
    assert letter.number == f"拱数据预审〔{year}〕1号" and body["letter"]["number"] == letter.number
    assert letter.status == Letter.Status.READY, letter.error  # tasks run inline under the test settings
    assert letter.source_id == PreReview.objects.get(project=project).pk
    flat = pdf_flat_text(letter)
    assert f"预审结论为“{label}”" in flat and letter.number in flat and "四(二)" in flat

    project.refresh_from_db()
    assert project.state == state
    moved = {
        ProjectState.DRAFT: "projects.project.return_for_revision",
        ProjectState.REJECTED: "projects.project.reject",
    }.get(state)
    actions = list(
        TimelineEntry.objects.filter(project=project).order_by("seq").values_list("action", flat=True)
    )
    # recorded, numbered, the transition in the same transaction; the PDF stored once it committed.
    expected = ["reviews.prereview.record", "reviews.prereview.number", *([moved] if moved else [])]
    assert actions[1:] == [*expected, "reviews.prereview.issue"]
    if moved:
        entry = TimelineEntry.objects.get(project=project, action=moved)
        assert letter.number in entry.comment and label in entry.comment
    else:
        assert (
            not TimelineEntry.objects.filter(project=project, from_state=ProjectState.DECLARED)
            .exclude(to_state=ProjectState.DECLARED)
            .exists()
        )


def test_prereview_pass_lets_review_start_and_revise_needs_a_new_one(
    gongshu, django_capture_on_commit_callbacks
):
    project = declared(gongshu)

    def prereview_check():
        found = [c for c in evaluate_checks(Project.objects.get(pk=project.pk), "start_review", params={})]
        return next(c for c in found if c.code == "ANY-prereview")

    assert not prereview_check().passed and prereview_check().source == GONGSHU
    post_prereview(
        gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="revise", opinion="补充需求。"
    )
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT
    # The department declares again: the 完善 opinion stands until the project is pre-reviewed again.
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())
    check = prereview_check()
    assert not check.passed and "完善需求方案" in check.message and check.source == GONGSHU
    post_prereview(
        gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="pass", opinion="已完善。"
    )
    assert prereview_check().passed
    numbers = list(Letter.objects.filter(project=project).order_by("serial").values_list("serial", flat=True))
    assert numbers == [1, 2]  # no gaps, no repeats
    listed = api(gongshu.bdc).get(f"/api/v1/projects/{project.pk}/letters/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["kind"] for r in rows] == ["prereview_opinion", "prereview_opinion"]


def test_prereview_outcome_required_under_gongshu_and_passed_still_means_pass(
    gongshu, django_capture_on_commit_callbacks
):
    project = declared(gongshu)
    response = post_prereview(gongshu.bdc, project, django_capture_on_commit_callbacks, opinion="无结论。")
    assert response.status_code == 400 and "预审结论" in response.json()["detail"]
    response = post_prereview(
        gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="bogus", opinion="x"
    )
    assert response.status_code == 400
    assert not PreReview.objects.filter(project=project).exists()
    response = post_prereview(
        gongshu.bdc, project, django_capture_on_commit_callbacks, passed="1", opinion="同意。"
    )
    assert response.status_code == 201 and response.json()["outcome"] == "pass"


def test_prereview_without_a_short_name_is_refused_and_nothing_is_kept(
    gongshu, django_capture_on_commit_callbacks
):
    gongshu.bdc_org.short_name = ""
    gongshu.bdc_org.save(update_fields=["short_name"])
    project = declared(gongshu)
    response = post_prereview(
        gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="cancel", opinion="x"
    )
    assert response.status_code == 409 and "机关代字" in response.json()["detail"]
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED and not PreReview.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("dept", 403), ("finance", 403), ("auditor", 403), ("dept2", 404)]
)
def test_prereview_refused_for_roles_that_must_not(gongshu, django_capture_on_commit_callbacks, who, status):
    project = declared(gongshu)
    response = post_prereview(
        getattr(gongshu, who), project, django_capture_on_commit_callbacks, outcome="cancel", opinion="x"
    )
    assert response.status_code == status, response.json()
    if status == 403:  # the body 四(二) names: 领导小组办公室
        assert GONGSHU in response.json()["detail"] and "大数据中心" in response.json()["detail"]
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED and not Letter.objects.filter(project=project).exists()


def test_prereview_refused_for_an_expert(gongshu, django_capture_on_commit_callbacks):
    project = declared(gongshu)
    response = post_prereview(
        gongshu.experts[0].user, project, django_capture_on_commit_callbacks, outcome="pass", opinion="x"
    )
    assert response.status_code == 404


def test_prereview_elsewhere_passes_or_fails_without_a_letter(db, django_capture_on_commit_callbacks):
    world = World("wendeng-2021")
    bdc_with_short_name(world)
    project = declared(world)
    response = post_prereview(
        world.bdc, project, django_capture_on_commit_callbacks, outcome="cancel", opinion="x"
    )
    assert response.status_code == 400  # wendeng-2021 names no such opinion
    response = post_prereview(
        world.bdc, project, django_capture_on_commit_callbacks, passed="0", opinion="需补充。"
    )
    assert response.status_code == 201 and response.json()["outcome"] == "fail"
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED and not Letter.objects.filter(project=project).exists()
    check = next(c for c in evaluate_checks(project, "start_review", params={}) if c.code == "ANY-prereview")
    assert not check.passed and "不通过" in check.message


def test_prereview_block_on_the_page_with_a_flat_query_count(
    gongshu, client, django_capture_on_commit_callbacks
):
    project = declared(gongshu)
    client.force_login(gongshu.bdc)

    def page():
        with CaptureQueriesContext(connection) as seen:
            response = client.get(f"/projects/{project.pk}/")
        assert response.status_code == 200
        return len(seen), response.content.decode()

    _, shown = page()
    for label in (
        "预审合格",
        "完善需求方案",
        "拆分项目建设",
        "合并项目建设",
        "取消项目建设",
        "出具预审意见书",
    ):
        assert label in shown
    post_prereview(gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="pass", opinion="同意。")
    one, shown = page()
    first = Letter.objects.get(project=project)
    assert first.number in shown and f"/documents/{first.document_id}/download/" in shown
    for _ in range(2):
        post_prereview(
            gongshu.bdc, project, django_capture_on_commit_callbacks, outcome="pass", opinion="同意。"
        )
    three, shown = page()
    assert three == one and shown.count('预审意见书 <span class="mono">拱数据预审〔') == 3
