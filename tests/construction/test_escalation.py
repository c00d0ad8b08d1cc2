"""Risk ratings and 督办单: what opens one, who answers, who closes, and what 暂停/终止 do."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from acceptance.models import Escalation
from core.workdays import add_workdays
from projects.enums import ProjectState

from .conftest import at


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def post(user, project, name, **fields):
    return api(user).post(f"/api/v1/projects/{project.pk}/actions/{name}/", fields, format="json")


def test_rating_needs_a_comment_for_1_to_3(building):
    world, project = building("wendeng-2021", supervised=False)
    response = post(world.bdc, project, "rate_risk", rating="3")
    assert response.status_code == 400 and "评级说明" in response.json()["detail"]
    assert post(world.bdc, project, "rate_risk", rating="6").status_code == 400
    assert post(world.bdc, project, "rate_risk", rating="4").status_code == 201
    assert not Escalation.objects.filter(project=project).exists()


@pytest.mark.parametrize("who", ["dept", "supervisor", "auditor", "finance"])
def test_only_the_bdc_rates(building, who):
    world, project = building("laohekou-2024")
    response = post(getattr(world, who), project, "rate_risk", rating="4")
    assert response.status_code == 403, response.json()


def test_rating_2_opens_a_duban_answered_by_the_department_closed_by_the_bdc(building):
    world, project = building("wendeng-2021", supervised=False)
    response = post(world.bdc, project, "rate_risk", rating="2", comment="开发严重滞后，监理评价较差。")
    assert response.status_code == 201, response.json()
    opened = response.json()["escalation"]
    assert opened["number"] == 1 and opened["status"] == "open"
    # Due in working days (the day itself not counted): 10 working days after 2025-01-06.
    assert opened["items"][0]["due_on"] == add_workdays(date(2025, 1, 6), 10).isoformat()
    esc = Escalation.objects.get(project=project)

    assert post(world.dept2, project, "answer_escalation", escalation=esc.pk, answer="x").status_code in (
        403,
        404,
    )
    assert post(world.bdc, project, "answer_escalation", escalation=esc.pk, answer="x").status_code == 403
    # Not closed unanswered before its items are due.
    early = post(world.bdc, project, "close_escalation", escalation=esc.pk, outcome="continue", note="继续。")
    assert early.status_code == 409 and "尚未答复" in early.json()["detail"]
    assert post(world.dept, project, "answer_escalation", escalation=esc.pk, answer="").status_code == 400
    answered = post(
        world.dept, project, "answer_escalation", escalation=esc.pk, answer="已增派人员，月底追回进度。"
    )
    assert answered.status_code == 201 and answered.json()["status"] == "answered"
    assert (
        post(
            world.dept, project, "close_escalation", escalation=esc.pk, outcome="continue", note="x"
        ).status_code
        == 403
    )
    assert (
        post(world.bdc, project, "close_escalation", escalation=esc.pk, outcome="maybe", note="x").status_code
        == 400
    )
    closed = post(
        world.bdc, project, "close_escalation", escalation=esc.pk, outcome="continue", note="同意继续建设。"
    )
    assert closed.status_code == 201 and closed.json()["outcome"] == "continue"
    actions = [e.action for e in project.timeline.order_by("seq")]
    assert actions[-4:] == [
        "acceptance.risk.rate",
        "acceptance.escalation.open",
        "acceptance.escalation.answer",
        "acceptance.escalation.close",
    ]


@pytest.mark.parametrize(
    "outcome,state,transition",
    [("suspend", ProjectState.SUSPENDED, "suspend"), ("terminate", ProjectState.TERMINATED, "terminate")],
)
def test_suspend_and_terminate_go_through_the_transition_with_the_duban_as_reason(
    building, outcome, state, transition
):
    world, project = building("zhaoyuan-2021", supervised=False)
    post(world.bdc, project, "rate_risk", rating="1", comment="投资重大损失。")
    esc = Escalation.objects.get(project=project)
    post(world.dept, project, "answer_escalation", escalation=esc.pk, answer="无法挽回。")
    response = post(
        world.bdc, project, "close_escalation", escalation=esc.pk, outcome=outcome, note="依督办结果处理。"
    )
    assert response.status_code == 201, response.json()
    project.refresh_from_db()
    assert project.state == state
    entry = project.timeline.get(action=f"projects.project.{transition}")
    assert "督办单第1号" in entry.comment and entry.actor == world.bdc


def test_rectify_opens_a_follow_up_duban(building):
    world, project = building("wendeng-2021", supervised=False)
    post(world.bdc, project, "rate_risk", rating="2", comment="质量问题。")
    esc = Escalation.objects.get(project=project)
    post(world.dept, project, "answer_escalation", escalation=esc.pk, answer="已制定整改方案。")
    post(
        world.bdc,
        project,
        "close_escalation",
        escalation=esc.pk,
        outcome="rectify",
        note="三十日内完成整改并复测。",
    )
    follow = Escalation.objects.get(project=project, number=2)
    assert follow.status == "open" and follow.items.get().text == "三十日内完成整改并复测。"


def test_delay_report_opens_a_duban_and_cites_the_article(building):
    world, project = building("wendeng-2021", supervised=False)
    response = post(
        world.dept, project, "report_delay", kind="delay", description="供货延迟三个月。", days_late=90
    )
    assert response.status_code == 201, response.json()
    assert response.json()["escalation"]["number"] == 1
    refused = post(world.bdc, project, "report_delay", kind="delay", description="x")
    assert refused.status_code == 403 and "第十八条" in refused.json()["detail"]


def test_schedule_variance_past_the_threshold_opens_a_duban(building, time_machine):
    world, project = building("wendeng-2021", supervised=False)
    time_machine.move_to(at(date(2025, 6, 10)), tick=False)
    # 系统开发完成 due 2025-04-30 and half done on 2025-06-10: 41 days behind > 30.
    body = {"period": "2025-06", "milestone:1": 100, "milestone:2": 50, "milestone:3": 0, "paid_amount": "60"}
    response = post(world.dept, project, "progress_report", **body)
    assert response.status_code == 201, response.json()
    assert response.json()["schedule_variance_days"] == 41
    esc = Escalation.objects.get(project=project)
    assert esc.trigger == "variance" and "41天" in esc.reason


def test_bdc_escalates_by_hand_with_items_owner_and_working_days(building):
    world, project = building("laohekou-2024")
    assert (
        post(world.bdc, project, "escalate", reason="x", items="", owner=world.dept_org.name).status_code
        == 400
    )
    response = post(
        world.bdc,
        project,
        "escalate",
        reason="监理报告反映安全管理薄弱。",
        items="完善安全管理制度\n提交等保整改计划",
        owner=world.supervisor_org.name,
        workdays=5,
    )
    assert response.status_code == 201, response.json()
    items = response.json()["items"]
    assert [i["owner"] for i in items] == [world.supervisor_org.name] * 2
    assert items[0]["due_on"] == add_workdays(date(2025, 1, 6), 5).isoformat()
    bad_owner = post(world.bdc, project, "escalate", reason="x", items="y", owner="随便哪家")
    assert bad_owner.status_code == 400
