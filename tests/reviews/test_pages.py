"""The review's pages: each role refused what it must not do (4xx, Chinese, the form as typed), experts seeing
only what is assigned to them, and query counts that do not grow with the records."""

import pytest

from core.enums import Role
from projects.enums import ProjectState
from reviews.enums import ExpertField
from reviews.models import Draw, ExpertConflict, ExpertProfile, PanelMember, ReviewOpinion, ScoreSheet
from reviews.services import expert_panel_draw, score_sheet_submit

from .test_scores import answers

EXPERT_DATA = {
    "username": "newexpert",
    "full_name": "周新",
    "title": "教授",
    "fields": ["software", "data"],
    "employer_name": "某大学",
    "phone": "13800000000",
    "email": "zhou@example.cn",
    "available": "on",
}


def _score_post(project, note="意见", **kw):
    data = answers(project, note=note, **kw)
    post = {f"criterion:{k}": v for k, v in data["grades"].items()}
    post.update({f"comment:{k}": v for k, v in data["comments"].items()})
    post.update(opinion=data["opinion"], recommendation=data["recommendation"])
    post["correction_reason"] = data.get("correction_reason", "")
    return post


@pytest.fixture
def reviewing(world):
    return world.project_in_state(ProjectState.REVIEWING)


# ---- the library ------------------------------------------------------------------------------------


def test_bdc_manages_the_library(world, login):
    client = login(world.bdc)
    page = client.get("/reviews/experts/").content.decode()
    assert str(world.experts[0]) in page and "添加专家" in page
    response = client.post("/reviews/experts/new/", EXPERT_DATA)
    assert response.status_code == 302
    expert = ExpertProfile.objects.get(user__username="newexpert")
    assert expert.jurisdiction == world.jurisdiction and expert.fields == [
        ExpertField.SOFTWARE,
        ExpertField.DATA,
    ]
    assert expert.user.role == Role.EXPERT and not expert.user.has_usable_password()
    assert expert.user.phone == "13800000000" and expert.user.email == "zhou@example.cn"

    response = client.post(
        f"/reviews/experts/{expert.pk}/",
        {**EXPERT_DATA, "available": "", "availability_note": "借调外地至年底"},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert not expert.available and expert.availability_note == "借调外地至年底"

    response = client.post(
        f"/reviews/experts/{expert.pk}/conflicts/",
        {"organisation": world.dept_org.pk, "reason": "配偶在该局任职"},
    )
    assert response.status_code == 302
    assert ExpertConflict.objects.get(expert=expert).recorded_by == world.bdc
    again = client.post(
        f"/reviews/experts/{expert.pk}/conflicts/", {"organisation": world.dept_org.pk, "reason": "重复"}
    )
    assert again.status_code == 409 and "已登记" in again.content.decode()


def test_library_refusals_keep_what_was_typed(world, login):
    client = login(world.bdc)
    response = client.post("/reviews/experts/new/", {**EXPERT_DATA, "fields": []})
    body = response.content.decode()
    assert response.status_code == 400 and "请至少选择一个专家领域" in body
    assert 'value="周新"' in body and 'value="某大学"' in body
    response = client.post("/reviews/experts/new/", {**EXPERT_DATA, "username": world.dept.username})
    assert response.status_code == 400 and "已被使用" in response.content.decode()
    response = client.post("/reviews/experts/new/", {**EXPERT_DATA, "employer_name": ""})
    assert response.status_code == 400 and "工作单位" in response.content.decode()


@pytest.mark.parametrize("who", ["dept", "finance", "auditor", "supervisor"])
def test_library_is_the_bdcs(world, login, who):
    client = login(getattr(world, who))
    assert client.get("/reviews/experts/").status_code == 403
    assert client.post("/reviews/experts/new/", EXPERT_DATA).status_code == 403
    assert client.get(f"/reviews/experts/{world.experts[0].pk}/").status_code == 403
    assert not ExpertProfile.objects.filter(user__username="newexpert").exists()


def test_expert_cannot_open_the_library(world, login):
    client = login(world.experts[0].user)
    response = client.get("/reviews/experts/")
    assert response.status_code == 403 and "专家库由大数据中心管理" in response.content.decode()


def test_foreign_bdc_does_not_see_this_library(world, login):
    from tests.factories import JurisdictionFactory, OrganisationFactory, UserFactory

    other = JurisdictionFactory(code="laohekou", policy_code="laohekou-2024", project_prefix="LHK")
    foreign = UserFactory(role=Role.BDC, organisation=OrganisationFactory(jurisdiction=other, kind="bdc"))
    client = login(foreign)
    assert str(world.experts[0]) not in client.get("/reviews/experts/").content.decode()
    assert client.get(f"/reviews/experts/{world.experts[0].pk}/").status_code == 404


# ---- the review organisation page ------------------------------------------------------------------------


def test_bdc_draws_the_panel_in_the_browser(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    client = login(world.bdc)
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "组建评审专家组" in detail and f"/reviews/projects/{project.pk}/" in detail
    page = client.get(f"/reviews/projects/{project.pk}/").content.decode()
    assert "随机抽取" in page and "软件与应用系统" in page
    response = client.post(
        f"/reviews/projects/{project.pk}/draw/",
        {"size": "3", "fields": ["software"], "bidder_names": "某某科技有限公司\n另一公司"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    draw = Draw.objects.get(project=project)
    assert "某某科技有限公司" in draw.parameters["excluded_by_name"]
    assert PanelMember.objects.filter(project=project, active=True).count() == 3
    verify = client.get(f"/reviews/draws/{draw.pk}/").content.decode()
    assert "结果与记录一致" in verify and draw.seed in verify


def test_draw_refusal_names_the_field_and_keeps_the_form(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    client = login(world.bdc)
    response = client.post(
        f"/reviews/projects/{project.pk}/draw/",
        {"size": "3", "fields": ["software", "video"], "bidder_names": "某某科技有限公司"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "视频监控与物联网" in body and "某某科技有限公司</textarea>" in body
    assert not Draw.objects.exists()


def test_decline_and_replace_in_the_browser(world, login, make_expert):
    for i in range(3):
        make_expert(f"spare{i}")
    project = world.project_in_state(ProjectState.DECLARED)
    draw = expert_panel_draw(project=project, by=world.bdc)
    member = PanelMember.objects.get(project=project, expert_id=draw.result[1])
    client = login(world.bdc)
    refused = client.post(f"/reviews/projects/{project.pk}/members/{member.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400 and "请填写原因" in refused.content.decode()
    response = client.post(
        f"/reviews/projects/{project.pk}/members/{member.pk}/decline/",
        {"reason": "时间冲突", "replace": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.active and member.deactivated_reason == "时间冲突"
    replacement = Draw.objects.get(project=project, original=draw)
    assert PanelMember.objects.filter(project=project, active=True).count() == 3
    assert client.get(f"/reviews/draws/{replacement.pk}/").status_code == 200


def test_review_page_refused_to_the_department(world, login, reviewing):
    client = login(world.dept)
    assert client.get(f"/reviews/projects/{reviewing.pk}/").status_code == 403
    assert (
        client.post(
            f"/reviews/projects/{reviewing.pk}/opinion/", {"conclusion": "pass", "summary": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["finance", "auditor"])
def test_finance_and_auditor_read_but_do_not_act(world, login, reviewing, who):
    score_sheet_submit(project=reviewing, by=world.experts[0].user, **answers(reviewing, note="甲专家意见"))
    client = login(getattr(world, who))
    page = client.get(f"/reviews/projects/{reviewing.pk}/").content.decode()
    assert "甲专家意见0" in page and "汇总评审意见</button>" not in page
    response = client.post(
        f"/reviews/projects/{reviewing.pk}/opinion/", {"conclusion": "pass", "summary": "同意"}
    )
    assert response.status_code == 403 and not ReviewOpinion.objects.exists()


def test_consolidate_in_the_browser(world, login, reviewing):
    for e in world.experts[:2]:
        score_sheet_submit(project=reviewing, by=e.user, **answers(reviewing))
    missing = PanelMember.objects.get(project=reviewing, expert=world.experts[2], active=True)
    client = login(world.bdc)
    refused = client.post(
        f"/reviews/projects/{reviewing.pk}/opinion/", {"conclusion": "pass", "summary": "同意建设。"}
    )
    body = refused.content.decode()
    assert refused.status_code == 409 and "尚未提交评分" in body and "同意建设。</textarea>" in body
    done = client.post(
        f"/reviews/projects/{reviewing.pk}/opinion/",
        {"conclusion": "pass", "summary": "同意建设。", f"absent_{missing.pk}": "病假"},
    )
    assert done.status_code == 302
    assert ReviewOpinion.objects.get().absences[0]["reason"] == "病假"


# ---- the expert ------------------------------------------------------------------------------------------


def test_expert_sees_only_assigned_projects(world, login, reviewing):
    other = world.project_in_state(ProjectState.DECLARED, name="未分配的项目")
    client = login(world.outsider_expert.user)
    for path in (
        f"/projects/{reviewing.pk}/",
        f"/reviews/projects/{reviewing.pk}/score/",
        f"/reviews/projects/{reviewing.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/reviews/projects/{reviewing.pk}/score/", _score_post(reviewing)).status_code == 404
    assert not ScoreSheet.objects.exists()
    client = login(world.experts[0].user)
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    assert client.get(f"/reviews/projects/{reviewing.pk}/").status_code == 302  # to the score form
    home = client.get("/").content.decode()
    assert reviewing.name in home and other.name not in home and "待评分" in home
    mine = client.get("/reviews/mine/").content.decode()
    assert reviewing.name in mine and other.name not in mine


def test_expert_scores_and_sees_others_only_after(world, login, reviewing):
    a, b = world.experts[0].user, world.experts[1].user
    score_sheet_submit(project=reviewing, by=b, **answers(reviewing, note="乙专家的保密意见"))
    client = login(a)
    page = client.get(f"/reviews/projects/{reviewing.pk}/score/").content.decode()
    assert "项目必要性" in page and "乙专家的保密意见" not in page
    assert "乙专家的保密意见" not in client.get(f"/projects/{reviewing.pk}/").content.decode()
    draw_page = client.get(f"/reviews/projects/{reviewing.pk}/score/").content.decode()
    assert "乙专家" not in draw_page.split("逐项评价")[-1] or "乙专家的保密意见" not in draw_page

    incomplete = _score_post(reviewing, note="甲的意见")
    incomplete["criterion:economy"] = ""
    refused = client.post(f"/reviews/projects/{reviewing.pk}/score/", incomplete)
    body = refused.content.decode()
    assert refused.status_code == 400 and "项目经济性" in body and "甲的意见0</textarea>" in body
    assert "乙专家的保密意见" not in body

    assert (
        client.post(
            f"/reviews/projects/{reviewing.pk}/score/", _score_post(reviewing, note="甲的意见")
        ).status_code
        == 302
    )
    page = client.get(f"/reviews/projects/{reviewing.pk}/score/").content.decode()
    assert "乙专家的保密意见0" in page and "甲的意见0" in page and "提交更正" in page
    again = client.post(f"/reviews/projects/{reviewing.pk}/score/", _score_post(reviewing, note="改"))
    assert again.status_code == 409 and "提交后不能修改" in again.content.decode()
    assert ScoreSheet.objects.filter(expert__user=a).count() == 1


@pytest.mark.parametrize("who", ["bdc", "dept", "finance"])
def test_only_experts_score(world, login, reviewing, who):
    client = login(getattr(world, who))
    response = client.post(f"/reviews/projects/{reviewing.pk}/score/", _score_post(reviewing))
    assert response.status_code == 403 and "只有评审专家组的专家可以评分" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_expert_cannot_draw_or_consolidate(world, login, reviewing):
    client = login(world.experts[0].user)
    assert (
        client.post(
            f"/reviews/projects/{reviewing.pk}/opinion/", {"conclusion": "pass", "summary": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"/reviews/projects/{reviewing.pk}/draw/", {"size": "3"}).status_code == 403
    assert client.get("/reviews/mine/").status_code == 200
    assert login(world.dept).get("/reviews/mine/").status_code == 403


# ---- query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 12])
def test_library_query_count_is_flat(world, login, make_expert, django_assert_max_num_queries, count):
    for i in range(count):
        e = make_expert(f"q{i}")
        ExpertConflict.objects.create(expert=e, organisation=world.dept_org, reason="兼职")
    client = login(world.bdc)
    with django_assert_max_num_queries(8):
        response = client.get("/reviews/experts/")
    assert response.content.decode().count("/reviews/experts/") >= count


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200, path
    return len(ctx)


def test_review_pages_query_counts_do_not_grow(world, login, make_expert, django_assert_max_num_queries):
    """The same number of queries with one score sheet as with three sheets, a correction and a member who
    declined; the review's own pages within a fixed bound."""
    from projects.services import project_transition
    from reviews.services import panel_member_decline, prereview_record

    for i in range(3):
        make_expert(f"spare{i}")
    project = world.project_in_state(ProjectState.DECLARED)
    expert_panel_draw(project=project, by=world.bdc)
    prereview_record(project=project, by=world.bdc, passed=True, opinion="同意。")
    project_transition(project_id=project.pk, name="start_review", by=world.bdc)
    members = list(PanelMember.objects.filter(project=project, active=True).select_related("expert__user"))
    first = members[0].expert.user
    score_sheet_submit(project=project, by=first, **answers(project))
    review_path, detail_path, score_path = (
        f"/reviews/projects/{project.pk}/",
        f"/projects/{project.pk}/",
        f"/reviews/projects/{project.pk}/score/",
    )
    bdc = login(world.bdc)
    bdc_before = [_queries(bdc, review_path), _queries(bdc, detail_path)]
    expert = login(first)
    expert_before = [_queries(expert, score_path), _queries(expert, detail_path)]

    for m in members[1:]:
        score_sheet_submit(project=project, by=m.expert.user, **answers(project))
    score_sheet_submit(project=project, by=first, **answers(project), correction_reason="更正笔误")
    late = PanelMember.objects.create(project=project, expert=make_expert("late"), assigned_by=world.bdc)
    panel_member_decline(member=late, by=world.bdc, reason="回避")

    bdc = login(world.bdc)
    assert [_queries(bdc, review_path), _queries(bdc, detail_path)] == bdc_before
    with django_assert_max_num_queries(18):
        assert bdc.get(review_path).status_code == 200
    expert = login(first)
    assert [_queries(expert, score_path), _queries(expert, detail_path)] == expert_before
    with django_assert_max_num_queries(12):
        assert expert.get(score_path).status_code == 200


@pytest.mark.parametrize("assignments", [1, 4])
def test_my_reviews_query_count_is_flat(world, login, django_assert_max_num_queries, assignments):
    for i in range(assignments):
        world.project_in_state(ProjectState.REVIEWING, name=f"第{i}号测试工程")
    client = login(world.experts[0].user)
    with django_assert_max_num_queries(10):
        body = client.get("/reviews/mine/").content.decode()
    assert body.count("号测试工程") == assignments


def test_expert_declares_a_conflict_and_is_not_drawn_for_it(world, login):
    expert = world.experts[0]
    client = login(expert.user)
    refused = client.post("/reviews/mine/", {"organisation": world.dept_org.pk, "reason": ""})
    assert refused.status_code == 400 and "请填写原因" in refused.content.decode()
    done = client.post("/reviews/mine/", {"organisation": world.dept_org.pk, "reason": "曾参与该局项目设计"})
    assert done.status_code == 302
    assert ExpertConflict.objects.get(expert=expert).recorded_by == expert.user
    project = world.project_in_state(ProjectState.DECLARED)
    from tests.factories import ExpertFactory, UserFactory

    ExpertFactory(user=UserFactory(role=Role.EXPERT, organisation=None), employer=world.expert_org)
    draw = expert_panel_draw(project=project, by=world.bdc)
    assert expert.pk not in draw.candidates
    # The department may check the draw but does not read who was left out and why.
    page = login(world.dept).get(f"/reviews/draws/{draw.pk}/").content.decode()
    assert "结果与记录一致" in page and "曾参与" not in page and "回避的专家" not in page
    assert "回避的专家" in login(world.bdc).get(f"/reviews/draws/{draw.pk}/").content.decode()


def test_participation_in_the_browser(world, login):
    project = world.project_in_state(ProjectState.DECLARED, is_classified=True)
    client = login(world.bdc)
    assert client.post(f"/reviews/projects/{project.pk}/agencies/").status_code == 302
    invitation = project.agency_invitations.get()
    assert invitation.organisation == world.secrecy_org
    path = f"/reviews/projects/{project.pk}/agencies/{invitation.pk}/participation/"
    refused = client.post(path, {"participated": "0", "note": ""})
    assert refused.status_code == 400 and "请填写说明" in refused.content.decode()
    assert client.post(path, {"participated": "1", "note": "派员到会"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.participated and invitation.participation_note == "派员到会"
    assert login(world.finance).post(path, {"participated": "0", "note": "x"}).status_code == 403


def test_library_changes_are_in_the_audit_log(world, login):
    from auditlog.models import LogEntry

    client = login(world.bdc)
    client.post("/reviews/experts/new/", EXPERT_DATA)
    expert = ExpertProfile.objects.get(user__username="newexpert")
    client.post(f"/reviews/experts/{expert.pk}/", {**EXPERT_DATA, "available": ""})
    entries = LogEntry.objects.get_for_object(expert)
    assert entries.count() == 2 and "available" in entries.order_by("-timestamp").first().changes_dict


@pytest.mark.parametrize("who", ["finance", "auditor", "dept", "expert"])
def test_every_bdc_action_is_refused_to_other_roles(world, login, make_expert, who):
    for i in range(2):
        make_expert(f"pool{i}", fields=[ExpertField.SECURITY])
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    draw = expert_panel_draw(project=project, by=world.bdc)
    member = PanelMember.objects.filter(project=project, active=True).first()
    from reviews.services import agencies_invite_required

    (invitation,) = agencies_invite_required(project=project, by=world.bdc)
    user = member.expert.user if who == "expert" else getattr(world, who)
    client = login(user)
    base = f"/reviews/projects/{project.pk}"
    for path, data in (
        (f"{base}/draw/", {"size": "3"}),
        (f"{base}/members/{member.pk}/decline/", {"reason": "x", "replace": "on"}),
        (f"{base}/replace/", {}),
        (f"{base}/agencies/", {}),
        (f"{base}/agencies/{invitation.pk}/participation/", {"participated": "1"}),
        (f"{base}/opinion/", {"conclusion": "pass", "summary": "x"}),
    ):
        response = client.post(path, data)
        assert response.status_code == 403, (who, path, response.status_code)
    assert Draw.objects.filter(project=project).count() == 1 and Draw.objects.get() == draw
    member.refresh_from_db()
    invitation.refresh_from_db()
    assert member.active and invitation.participation_recorded_at is None
