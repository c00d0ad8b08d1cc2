"""The baseline fixed at 合同备案, changed only through an approved change; variance against it."""

from datetime import date
from decimal import Decimal

from rest_framework.test import APIClient

from acceptance.models import Baseline, ChangeRequest, ProgressReport
from acceptance.variance import report_variance

from .conftest import at


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def progress(world, project, **fields):
    body = {
        "period": "2025-03",
        "milestone:1": 100,
        "milestone:2": 50,
        "milestone:3": 0,
        "paid_amount": "90.00",
        "problems": "开发进度滞后。",
        "next_steps": "增加人手。",
        **fields,
    }
    response = api(world.dept).post(
        f"/api/v1/projects/{project.pk}/actions/progress_report/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_baseline_fixed_at_contract_filing(building):
    _world, project = building("fangchenggang-2022")
    baseline = Baseline.objects.get(project=project)
    assert baseline.number == 1 and baseline.contract_amount == Decimal("150.00")
    assert baseline.planned_completion_on == date(2025, 6, 30)
    assert [m["name"] for m in baseline.milestones] == ["需求调研完成", "系统开发完成", "上线试运行"]
    entry = project.timeline.get(action="projects.project.file_contract")
    assert entry.data["records"]["baseline"] == baseline.pk if "records" in entry.data else True


def test_bad_milestones_are_a_chinese_400(building):
    world, _project = building("wendeng-2021", supervised=False)
    from tests.construction.conftest import procurement

    other = procurement(world, name="另一个项目")
    world.upload(other, "contract")
    world.upload(other, "award_notice")
    response = api(world.dept).post(
        f"/api/v1/projects/{other.pk}/transitions/file_contract/",
        {
            "contract_amount": "100.00",
            "awarded_on": "2025-01-03",
            "signed_on": "2025-01-06",
            "supplier": "某公司",
            "milestones": "上线 2025-13-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "里程碑第1行" in response.json()["detail"]


def test_rebaseline_through_an_approved_change_keeps_the_old_values(building, time_machine):
    world, project = building("fangchenggang-2022")
    time_machine.move_to(at(date(2025, 5, 20)), tick=False)
    before = progress(world, project, period="2025-05", users_opinion="同意。", supervisor_opinion="属实。")
    # 系统开发完成 due 2025-04-30, half done on 2025-05-20: 20 days behind; 150 × 50% − 90 = −15 paid beyond.
    assert before["schedule_variance_days"] == 20
    assert Decimal(before["cost_variance"]) == Decimal("-15.00")

    change = world.act(
        project,
        "request_change",
        world.dept,
        {
            "aspects": ["schedule"],
            "description": "需求增加，开发工期顺延两个月。",
            "new_planned_completion_on": "2025-08-31",
            "new_milestones": "需求调研完成 2025-02-28\n系统开发完成 2025-06-30\n上线试运行 2025-07-31",
        },
    )
    # A schedule change within 15% would be filed only (第二十六条); moving the baseline needs approval.
    assert change.needs_approval and "基线" in change.rule
    assert Baseline.objects.filter(project=project).count() == 1  # not before it is approved
    world.act(
        project,
        "decide_change",
        world.bdc,
        {"change": change.pk, "decision": "approve", "note": "同意顺延。"},
    )

    old, new = Baseline.objects.filter(project=project).order_by("number")
    assert (old.number, new.number) == (1, 2)
    assert old.planned_completion_on == date(2025, 6, 30)  # the old values stay
    assert new.planned_completion_on == date(2025, 8, 31)
    assert (
        new.reason == "需求增加，开发工期顺延两个月。"
        and new.approved_by == world.bdc
        and new.change == change
    )
    entry = project.timeline.get(action="acceptance.baseline.rebase")
    assert entry.data["old"]["planned_completion_on"] == "2025-06-30"
    assert entry.data["new"]["planned_completion_on"] == "2025-08-31"

    # The report filed before keeps its variance against baseline 1; against baseline 2 it is on time.
    report = ProgressReport.objects.get(pk=before["id"])
    assert report.baseline == old and report.schedule_variance_days == 20
    assert report_variance(report, new).schedule_days == 0
    after = progress(world, project, period="2025-05", users_opinion="同意。", supervisor_opinion="属实。")
    assert after["baseline"] == 2 and after["schedule_variance_days"] == 0

    # The page shows both: the old baseline, the reason, the variance at filing and against today's baseline.
    client = world_client(world.bdc)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "基线调整记录" in page and "需求增加，开发工期顺延两个月。" in page
    assert "2025-06-30" in page and "2025-08-31" in page
    assert "第1版基线：成本 -15.00 万元，滞后 20 天" in page


def test_rejected_or_filed_changes_leave_the_baseline(building):
    world, project = building("fangchenggang-2022")
    change = world.act(
        project,
        "request_change",
        world.dept,
        {"aspects": ["schedule"], "description": "想延期。", "new_planned_completion_on": "2025-12-31"},
    )
    world.act(
        project, "decide_change", world.bdc, {"change": change.pk, "decision": "reject", "note": "理由不足。"}
    )
    filed = world.act(
        project, "request_change", world.dept, {"aspects": ["content"], "description": "调整界面。"}
    )
    assert filed.status == ChangeRequest.Status.FILED
    assert list(Baseline.objects.filter(project=project).values_list("number", flat=True)) == [1]


def world_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_construction_read_over_the_api(building, time_machine):
    world, project = building("laohekou-2024")
    time_machine.move_to(at(date(2025, 3, 10)), tick=False)
    progress(world, project, period="2025-03")
    world.act(project, "rate_risk", world.bdc, {"rating": "2", "comment": "滞后。"})
    body = api(world.auditor).get(f"/api/v1/projects/{project.pk}/construction/").json()
    assert body["contract"]["supplier"] == "某某科技有限公司"
    assert body["supervisor"]["organisation"] == world.supervisor_org.name
    assert [b["number"] for b in body["baselines"]] == [1]
    report = body["progress_reports"][0]
    assert report["schedule_variance_days"] == report["schedule_variance_days_now"] == 0
    assert body["risk_ratings"][0]["rating"] == 2
    assert body["escalations"][0]["number"] == 1
    assert api(world.dept2).get(f"/api/v1/projects/{project.pk}/construction/").status_code == 404


def test_project_page_shows_the_contract_and_the_baseline(building):
    world, project = building("gongshu-draft")
    page = world_client(world.dept).get(f"/projects/{project.pk}/").content.decode()
    section = page[page.index('id="contract"') : page.index('id="supervision"')]
    for text in (
        "某某科技有限公司",
        "150.00 万元",
        "2025-01-05",
        "2025-01-06",
        "2025-06-30",
        "系统开发完成（2025-04-30）",
    ):
        assert text in section, text
