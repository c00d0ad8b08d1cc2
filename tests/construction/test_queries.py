"""Pages with reports and ratings keep a constant query count with 1 and 24 months of history."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from acceptance.models import Escalation, EscalationItem, ProgressReport, RiskRating, SupervisionReport
from core.workdays import add_months

from .conftest import at

# The project page reads each record kind once (the construction watch adds its nine: the contract, the
# assignments, the baselines, the two kinds of report, the ratings, the 督办单 and their items, delay reports;
# issue 14 adds the performance targets and the asset handover).
PAGE_BOUND = 48
HOME_BOUND = 26


def history(world, project, months: int) -> None:
    """`months` months of supervision reports, progress reports, ratings and closed 督办单, written as the
    services would have (rows, not steps: the test is about reading them)."""
    from acceptance.construction import SUPERVISION_ITEMS

    assignment = project.supervisor_assignments.get()
    baseline = project.baselines.get()
    start = date(2025, 1, 1)
    for i in range(months):
        month = add_months(start, i)
        key = month.strftime("%Y-%m")
        SupervisionReport.objects.create(
            project=project,
            assignment=assignment,
            period=key,
            items={c: {"finding": "符合要求", "rating": "good"} for c, _ in SUPERVISION_ITEMS},
            by=world.supervisor,
        )
        ProgressReport.objects.create(
            project=project,
            baseline=baseline,
            period=key,
            reported_on=month + timedelta(days=20),
            milestones=[{**m, "percent": 50} for m in baseline.milestones],
            percent_done=50,
            paid_amount=10 + i,
            cost_variance=0,
            schedule_variance_days=0,
            by=world.dept,
        )
        RiskRating.objects.create(project=project, month=key, rating=1 + i % 5, comment="说明", by=world.bdc)
        esc = Escalation.objects.create(
            project=project,
            number=i + 1,
            trigger="rating",
            reason="评级",
            opened_by=world.bdc,
            status="closed",
        )
        EscalationItem.objects.create(escalation=esc, text="整改", owner="建设单位", due_on=month)


@pytest.mark.parametrize("months", [1, 24])
@pytest.mark.parametrize("role", ["dept", "bdc", "supervisor", "auditor"])
def test_project_page_query_count_flat_with_history(
    building, django_assert_max_num_queries, client, months, role, time_machine
):
    world, project = building("laohekou-2024")
    history(world, project, months)
    time_machine.move_to(at(add_months(date(2025, 1, 6), months)), tick=False)
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(PAGE_BOUND):
        response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<circle cx=") == min(months, 24)
    assert "月度风险评级" in page and "监理报告（四控三管）" in page


@pytest.mark.parametrize("months", [1, 24])
@pytest.mark.parametrize("role", ["dept", "bdc", "supervisor"])
def test_home_query_count_flat_with_history(
    building, django_assert_max_num_queries, client, months, role, time_machine
):
    world, project = building("laohekou-2024")
    history(world, project, months)
    time_machine.move_to(at(add_months(date(2025, 1, 6), months)), tick=False)
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(HOME_BOUND):
        response = client.get("/")
    assert response.status_code == 200
    assert timezone.localdate()  # the page was computed as of the moved clock
