"""The daily job raises each missing report and each stale rating once, however often it runs."""

from datetime import date

from projects.models import DeadlineWarning
from projects.warnings import deadlines_check

from .conftest import at


def warnings_of(project, code):
    return sorted(DeadlineWarning.objects.filter(project=project, code=code).values_list("period", "level"))


def test_missing_supervision_reports_and_stale_ratings_warned_once(building, time_machine):
    _world, project = building("laohekou-2024")
    time_machine.move_to(at(date(2025, 3, 3)), tick=False)
    first = deadlines_check(today=date(2025, 3, 3))
    second = deadlines_check(today=date(2025, 3, 3))
    assert first["warnings"] > 0 and second["warnings"] == 0
    assert warnings_of(project, "LHK-19-supervision") == [("2025-01", "overdue"), ("2025-02", "overdue")]
    assert sorted(warnings_of(project, "LHK-19-rating")) == [("2025-01", "overdue"), ("2025-02", "overdue")]
    timeline = project.timeline.filter(action="projects.deadline.warn")
    assert timeline.count() == DeadlineWarning.objects.filter(project=project).count()


def test_a_filed_report_and_a_rating_stop_the_warning(building, time_machine):
    world, project = building("gongshu-draft")
    from tests.construction.test_supervision import report_fields

    world.act(project, "supervision_report", world.supervisor, report_fields("2025-01"))
    world.act(project, "rate_risk", world.bdc, {"rating": "5"})
    world.act(
        project,
        "progress_report",
        world.dept,
        {"period": "2025-01", "milestone:1": 10, "milestone:2": 0, "milestone:3": 0, "paid_amount": "10"},
    )
    deadlines_check(today=date(2025, 2, 3))
    assert warnings_of(project, "GS-5-supervision") == []
    assert warnings_of(project, "GS-5-rating") == []
    assert warnings_of(project, "GS-5-dual") == []
    deadlines_check(today=date(2025, 3, 3))
    deadlines_check(today=date(2025, 3, 3))
    assert warnings_of(project, "GS-5-supervision") == [("2025-02", "overdue")]
    assert warnings_of(project, "GS-5-dual") == [("2025-02", "overdue")]
    assert warnings_of(project, "GS-5-rating") == [("2025-02", "overdue")]


def test_year_end_progress_report_counts_the_structured_report(building, time_machine):
    world, project = building("zhaoyuan-2021", supervised=False)
    time_machine.move_to(at(date(2025, 12, 15)), tick=False)
    world.act(
        project,
        "progress_report",
        world.dept,
        {
            "period": "2025-12",
            "milestone:1": 100,
            "milestone:2": 100,
            "milestone:3": 100,
            "paid_amount": "150",
        },
    )
    deadlines_check(today=date(2026, 1, 5))
    assert warnings_of(project, "ZY-11-report") == []


def test_fangchenggang_report_needs_the_users_and_supervisors_opinions(building):
    from rest_framework.test import APIClient

    world, project = building("fangchenggang-2022")
    client = APIClient()
    client.force_authenticate(user=world.dept)
    body = {"period": "2025-01", "milestone:1": 10, "milestone:2": 0, "milestone:3": 0, "paid_amount": "10"}
    response = client.post(f"/api/v1/projects/{project.pk}/actions/progress_report/", body, format="json")
    assert response.status_code == 409
    check = {c["code"]: c for c in response.json()["checks"]}["FCG-23-opinions"]
    assert check["source"].endswith("第二十三条") and "监理单位" in check["message"]
    body.update(users_opinion="系统好用。", supervisor_opinion="进度属实。")
    assert (
        client.post(
            f"/api/v1/projects/{project.pk}/actions/progress_report/", body, format="json"
        ).status_code
        == 201
    )
