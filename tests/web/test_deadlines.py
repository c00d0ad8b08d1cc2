"""Deadlines and the checks before each action, as a civil servant sees them in the browser."""

import re
from datetime import date

import pytest

from acceptance.models import AcceptanceApplication, ChangeRequest
from projects.attention import pending_deadlines_refresh
from projects.enums import ProjectState
from projects.models import Project

WENDENG = "《威海市文登区“智慧文登”项目建设管理办法》"


def _awaiting_group(world, applied_on):
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    AcceptanceApplication.objects.filter(project=project).update(applied_on=applied_on)
    # Back-dated behind the services' back: recompute its stored pending deadlines as the daily job would.
    pending_deadlines_refresh([project.pk])
    return project


def test_project_page_shows_the_checks_of_each_action_with_their_articles(world, login):
    project = world.project()
    page = login(world.dept).get(f"/projects/{project.pk}/").content.decode()
    actions = page[page.index("可办理事项") :]
    assert "提交申报的规则核验" in actions
    assert f"依据：{WENDENG}第十二条" in actions  # WD-12-docs, not met yet
    assert f"依据：{WENDENG}第二十一条" in actions
    assert "未满足" in actions


def test_a_refused_action_explains_itself(world, login):
    project = world.project()
    response = login(world.dept).post(f"/projects/{project.pk}/transitions/submit/", {"comment": ""})
    assert response.status_code == 409
    text = response.content.decode()
    assert "缺少建设方案、可行性研究报告" in text
    assert f"{WENDENG}第十二条" in text
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT


def test_project_page_shows_its_deadlines(world, login, settings):
    project = _awaiting_group(world, date(2020, 1, 2))  # long overdue
    page = login(world.bdc).get(f"/projects/{project.pk}/").content.decode()
    section = page[page.index('id="deadlines"') :]
    assert "组成验收组" in section and "已逾期" in section
    assert f"依据：{WENDENG}第三十五条" in section


@pytest.mark.parametrize(
    ("user", "sees"), [("bdc", True), ("dept", False), ("auditor", True), ("dept2", False)]
)
def test_home_page_lists_what_needs_attention_for_the_role(world, login, user, sees):
    project = _awaiting_group(world, date(2020, 1, 2))  # the BDC's duty, overdue
    page = login(getattr(world, user)).get("/").content.decode()
    assert ("期限提醒" in page and project.code in page[page.index("期限提醒") :]) is sees


def test_department_files_a_change_in_the_browser_and_the_bdc_decides(world, login):
    project = world.project_in_state(ProjectState.CONSTRUCTION)
    client = login(world.dept)
    refused = client.post(f"/projects/{project.pk}/changes/", {"description": "迁址"})
    assert refused.status_code == 400 and "请至少选择一项变更事项" in refused.content.decode()
    assert 'value="迁址"' in refused.content.decode() or "迁址</textarea>" in refused.content.decode()

    response = client.post(
        f"/projects/{project.pk}/changes/",
        {"aspects": ["site"], "description": "迁至新址", "amount_change": ""},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(project=project)
    assert change.status == ChangeRequest.Status.SUBMITTED

    assert (
        client.post(
            f"/projects/{project.pk}/changes/{change.pk}/decision/", {"decision": "approve"}
        ).status_code
        == 403
    )
    # 第十七条 重新履行审核手续: reviewed by the experts drawn for the change before the BDC decides (issue 13).
    bdc = login(world.bdc)
    refused = bdc.post(f"/projects/{project.pk}/changes/{change.pk}/decision/", {"decision": "approve"})
    assert refused.status_code == 409 and "第十七条" in refused.content.decode()
    drawn = login(world.bdc).post(f"/projects/{project.pk}/actions/draw_change_panel/", {"change": change.pk})
    assert drawn.status_code == 302
    from tests.change_review.conftest import seated_users, sheet

    for expert in seated_users(change.review):
        scored = login(expert).post(f"/projects/{project.pk}/actions/score_change/", sheet(project, change))
        assert scored.status_code == 302
    bdc = login(world.bdc)
    assert (
        bdc.post(f"/projects/{project.pk}/changes/{change.pk}/decision/", {"decision": "approve"}).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    other = login(world.dept2)
    assert (
        other.post(f"/projects/{project.pk}/changes/", {"aspects": ["site"], "description": "x"}).status_code
        == 404
    )


def test_bdc_confirms_a_resource_connected(world, login):
    project = world.project_in_state(ProjectState.CONSTRUCTION)
    resource = project.resources.get()
    assert (
        login(world.dept)
        .post(f"/projects/{project.pk}/resources/connect/", {"resource": resource.pk, "registered": "on"})
        .status_code
        == 403
    )
    response = login(world.bdc).post(
        f"/projects/{project.pk}/resources/connect/",
        {"resource": resource.pk, "registered": "on", "connected": "on"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.registered, resource.connected) == (True, True)


@pytest.mark.parametrize("count", [1, 15])
def test_home_deadlines_query_count_is_flat(world, login, django_assert_max_num_queries, count):
    for _ in range(count):
        _awaiting_group(world, date(2020, 1, 2))
    client = login(world.bdc)
    # 20, plus the construction watch's prefetches (supervisors, the two kinds of report, ratings, the
    # jurisdiction's oversight settings) and the BDC's changes and 督办单 awaiting: flat in the count all the same.
    with django_assert_max_num_queries(27):
        page = client.get("/").content.decode()
    assert len(re.findall(r"deadline-overdue", page)) >= count


def test_only_the_bdc_confirms_bidding_requirements(world, login):
    project = world.project_in_state(ProjectState.APPROVED)
    url = f"/projects/{project.pk}/procurement/bidding/"
    data = {"experts": "陈建国、刘芳", "ceiling_price": "100.00"}
    for user, status in ((world.dept, 403), (world.finance, 403), (world.auditor, 403), (world.dept2, 404)):
        assert login(user).post(url, data).status_code == status, user
    assert not project.bidding_confirmations.exists()
    refused = login(world.bdc).post(url, {**data, "ceiling_price": "9999.00"})
    assert refused.status_code == 400 and "不能超过批复金额" in refused.content.decode()
    assert login(world.bdc).post(url, data).status_code == 302
    [confirmation] = project.bidding_confirmations.all()
    assert (confirmation.experts, str(confirmation.ceiling_price)) == ("陈建国、刘芳", "100.00")
    assert project.timeline.filter(action="acceptance.bidding.confirm").count() == 1
