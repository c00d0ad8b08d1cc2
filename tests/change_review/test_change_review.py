"""The expert re-review of a major change: the draw, the experts' sheets, the decision with the panel's tally."""

import pytest
from django.test import Client

from acceptance.models import ChangeRequest, ChangeReview, ChangeReviewSheet
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from reviews.services import draw_verify

from .conftest import ARTICLES, api, major_change, score_over_api, seated_users, sheet

pytestmark = pytest.mark.django_db


def _page(user, project) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("policy_code", ["wendeng-2021", "zhaoyuan-2021"])
def test_major_change_walk_draw_score_decide_with_tally(building, policy_code):
    world, project = building(policy_code)
    article = ARTICLES[policy_code]
    assert project.policy.change_review_article == article
    change = major_change(world, project)
    assert change.status == ChangeRequest.Status.SUBMITTED and change.expert_review

    # Not decided before a panel is drawn: the refusal says what is missing and cites the article.
    with pytest.raises(Conflict) as refused:
        world.act(
            project, "decide_change", world.bdc, {"change": change.pk, "decision": "approve", "note": "同意"}
        )
    assert "尚未抽取变更评审专家组" in str(refused.value) and article in str(refused.value)
    [failing] = refused.value.extra["checks"]
    assert failing["code"].endswith("-change-review") and failing["source"].endswith(article)

    # Only the reviewing body draws.
    for user in (world.dept, world.experts[0].user):
        with pytest.raises((NotPermitted, NotFound)):
            world.act(project, "draw_change_panel", user, {"change": change.pk})
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    draw = review.draw
    assert draw.purpose == "change" and draw.size == 3 and review.source.endswith(article)
    assert draw_verify(draw=draw, by=world.auditor)["ok"]
    labels = draw.parameters["excluded_labels"]
    assert "某某科技有限公司（投标单位）" in labels
    assert any(world.supervisor_org.name in label for label in labels)
    assert any(world.dept_org.name in label for label in labels)
    members = list(review.members.all())
    assert len(members) == 3 and all(m.unit == world.expert_org.name for m in members)
    entry = project.timeline.get(action="acceptance.change_review.draw")
    assert entry.data["seed"] == draw.seed and len(entry.data["experts"]) == 3
    with pytest.raises(InvalidInput, match="已抽取"):
        world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})

    seated = seated_users(review)
    everyone = [e.user for e in (*world.experts, world.outsider_expert)]
    [outsider] = [u for u in everyone if u not in seated]
    # An expert not drawn sees neither the project nor the step; the department may not score.
    assert score_over_api(project, outsider, sheet(project, change)).status_code == 404
    assert Client().get(f"/projects/{project.pk}/").status_code in (302, 404)
    assert score_over_api(project, world.dept, sheet(project, change)).status_code == 403

    # Each drawn expert scores over the API; until the last has, the decision names who is missing.
    first = score_over_api(project, seated[0], sheet(project, change))
    assert first.status_code == 201, first.json()
    assert first.json()["change"] == change.pk
    with pytest.raises(Conflict) as refused:
        world.act(
            project, "decide_change", world.bdc, {"change": change.pk, "decision": "approve", "note": "同意"}
        )
    assert members[1].name in str(refused.value) and article in str(refused.value)
    again = score_over_api(project, seated[0], sheet(project, change))
    assert again.status_code == 409 and "更正原因" in again.json()["detail"]
    # Blind: the second expert sees who submitted, never what.
    page = _page(seated[1], project)
    assert "已提交" in page and "同意变更。" not in page
    for user in seated[1:]:
        assert score_over_api(project, user, sheet(project, change)).status_code == 201
    entries = project.timeline.filter(action="acceptance.change_review.submit")
    assert entries.count() == 3
    assert all(set(e.data) == {"change", "sheet", "supersedes"} for e in entries)

    decided = world.act(
        project,
        "decide_change",
        world.bdc,
        {"change": change.pk, "decision": "approve", "note": "同意变更。"},
    )
    assert decided.status == ChangeRequest.Status.APPROVED
    tally = decided.review_tally
    assert (tally["agree"], tally["disagree"], tally["summary"]) == (3, 0, "3 同意 / 0 不同意")
    assert [c["label"] for c in tally["criteria"]] == [c.label for c in project.policy.change_review_criteria]
    assert all(c["average"] == "2.00" and c["article"] == article for c in tally["criteria"])
    assert tally["against_panel"] is False
    entry = project.timeline.get(action="acceptance.change.approve")
    assert "3 同意 / 0 不同意" in entry.label and entry.data["review_tally"]["agree"] == 3
    page = _page(world.dept, project)
    assert "3 同意 / 0 不同意" in page and members[0].name in page and members[0].unit in page
    # Decided: no more sheets.
    late = score_over_api(project, seated[0], sheet(project, change, correction_reason="补充。"))
    assert late.status_code in (400, 409)


def test_correction_is_a_new_sheet_with_its_reason(building):
    world, project = building()
    change = major_change(world, project)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    expert = seated_users(review)[0]
    first = world.act(project, "score_change", expert, sheet(project, change))
    second = world.act(
        project,
        "score_change",
        expert,
        sheet(project, change, "disagree", correction_reason="投资测算有误。"),
    )
    assert second.supersedes == first and second.correction_reason == "投资测算有误。"
    first.refresh_from_db()
    with pytest.raises(TypeError):
        first.save()
    assert project.timeline.filter(action="acceptance.change_review.correct").count() == 1


def test_deciding_against_the_majority_needs_a_reason(building):
    world, project = building("zhaoyuan-2021")
    change = major_change(world, project)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    for user, recommendation in zip(seated_users(review), ("disagree", "disagree", "agree"), strict=True):
        world.act(project, "score_change", user, sheet(project, change, recommendation, grade="fails"))
    with pytest.raises(InvalidInput) as refused:
        world.act(
            project, "decide_change", world.bdc, {"change": change.pk, "decision": "approve", "note": ""}
        )
    assert "1 同意 / 2 不同意" in str(refused.value)
    decided = world.act(
        project,
        "decide_change",
        world.bdc,
        {"change": change.pk, "decision": "approve", "note": "市政府已明确须按期调整，同意变更。"},
    )
    assert decided.review_tally["against_panel"] is True
    assert all(c["average"] == "0.00" for c in decided.review_tally["criteria"])


def test_policy_without_expert_re_review_decides_directly(building):
    world, project = building("laohekou-2024")
    assert project.policy.change_review_article == ""
    change = major_change(world, project)
    assert change.needs_approval and not change.expert_review
    with pytest.raises(NotFound):
        world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    names = [a["name"] for a in api(world.bdc).get(f"/api/v1/projects/{project.pk}/actions/").json()]
    assert "decide_change" in names and "draw_change_panel" not in names
    decided = world.act(
        project, "decide_change", world.bdc, {"change": change.pk, "decision": "approve", "note": "同意。"}
    )
    assert decided.status == ChangeRequest.Status.APPROVED and decided.review_tally is None
    assert not ChangeReview.objects.exists()


def test_actions_listed_for_who_takes_them(building):
    world, project = building()
    change = major_change(world, project)
    listed = lambda user: [  # noqa: E731
        a["name"] for a in api(user).get(f"/api/v1/projects/{project.pk}/actions/").json()
    ]
    assert "draw_change_panel" in listed(world.bdc)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    assert "draw_change_panel" not in listed(world.bdc)
    expert = seated_users(review)[0]
    [action] = [
        a
        for a in api(expert).get(f"/api/v1/projects/{project.pk}/actions/").json()
        if a["name"] == "score_change"
    ]
    fields = {f["name"]: f for f in action["fields"]}
    assert fields["recommendation"]["type"] == "choice"
    assert {c["label"] for c in fields["recommendation"]["choices"]} == {"同意变更", "不同意变更"}
    assert "criterion:necessity" in fields and "符合" in {
        c["label"] for c in fields["criterion:necessity"]["choices"]
    }
    assert not ChangeReviewSheet.objects.exists()


def _reviewed_change(world, project):
    change = major_change(world, project)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    for user in seated_users(review):
        world.act(project, "score_change", user, sheet(project, change))
    return change


# The project page under construction (tests/construction/test_queries.py: PAGE_BOUND) with the change section's
# panels: the changes, their members, their sheets and the sheets' grades read once whatever their number.
PAGE_BOUND = 52


def test_project_page_with_change_panels_keeps_its_queries(building, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, project = building()
    _reviewed_change(world, project)
    client = Client()
    client.force_login(world.bdc)
    client.get(f"/projects/{project.pk}/")  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as one:
        client.get(f"/projects/{project.pk}/")
    for _ in range(2):
        _reviewed_change(world, project)
    with django_assert_max_num_queries(PAGE_BOUND):
        page = client.get(f"/projects/{project.pk}/").content.decode()
    with CaptureQueriesContext(connection) as three:
        client.get(f"/projects/{project.pk}/")
    assert len(three) == len(one)
    assert page.count("变更评审专家组：") == 3 and page.count('tag-green">已提交') == 9


def test_changes_read_over_the_api_blind_until_decided(building):
    world, project = building()
    change = major_change(world, project)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    seated = seated_users(review)
    world.act(project, "score_change", seated[0], sheet(project, change, opinion="意见甲。"))
    response = api(seated[1]).get(f"/api/v1/projects/{project.pk}/changes/")
    assert response.status_code == 200
    [body] = response.json()
    assert body["expert_review"] and body["panel"]["draw"] == review.draw_id
    assert [m["submitted"] for m in body["panel_members"]] == [True, False, False]
    assert "意见甲" not in response.content.decode() and body["review_tally"] is None
    for user in seated[1:]:
        world.act(project, "score_change", user, sheet(project, change))
    world.act(
        project, "decide_change", world.bdc, {"change": change.pk, "decision": "approve", "note": "同意。"}
    )
    [body] = api(world.dept).get(f"/api/v1/projects/{project.pk}/changes/").json()
    assert body["status"] == "approved" and body["review_tally"]["summary"] == "3 同意 / 0 不同意"
    assert api(world.dept2).get(f"/api/v1/projects/{project.pk}/changes/").status_code == 404
