"""laohekou-2024 第二十四条: 凡未经验收或验收未通过的项目，财政部门不支付后续费用 — after 完工自检 and before a
passed acceptance, a progress report whose 累计支付 rises is flagged (a warning on the record, with the article);
and the 验收报告 the department sends to 财政局 after acceptance is needed before 归档."""

from decimal import Decimal

import pytest
from django.utils import timezone

from acceptance.models import Baseline, ProgressReport
from core.models import TimelineEntry
from projects.enums import ProjectState
from tests.factories import World

from .conftest import at_state, check, upload

LAOHEKOU_24 = "《老河口市本级信息化和智慧城市项目管理办法》第二十四条"


@pytest.fixture
def laohekou(db):
    return World("laohekou-2024")


def reported(world, project, paid: str) -> ProgressReport:
    """A progress report already filed (during construction) with `paid` 万元 paid."""
    baseline = Baseline.objects.create(
        project=project, number=1, contract_amount=Decimal("100.00"), set_by=world.dept
    )
    return ProgressReport.objects.create(
        project=project,
        baseline=baseline,
        period="2026-01",
        reported_on=timezone.localdate(),
        milestones=[],
        percent_done=Decimal("90"),
        paid_amount=Decimal(paid),
        cost_variance=Decimal("0"),
        schedule_variance_days=0,
        by=world.dept,
    )


@pytest.mark.parametrize(
    ("state", "paid", "passed"),
    [
        (ProjectState.PRELIMINARY_ACCEPTANCE, "60.00", True),  # unchanged: the boundary
        (ProjectState.PRELIMINARY_ACCEPTANCE, "60.01", False),  # one fen more
        (ProjectState.FINAL_ACCEPTANCE, "59.00", True),
        (ProjectState.FINAL_ACCEPTANCE, "70.00", False),
        (ProjectState.RECTIFYING, "60.01", False),
        (ProjectState.CONSTRUCTION, "80.00", None),  # during construction payments follow the contract
    ],
)
def test_payment_rising_before_passed_acceptance_is_flagged(laohekou, state, paid, passed):
    project = laohekou.project()
    reported(laohekou, project, "60.00")
    at_state(project, state)
    result = check(
        project, "progress_report", "LHK-24-payment", today=timezone.localdate(), params={"paid_amount": paid}
    )
    if passed is None:
        assert result is None
        return
    assert result.passed is passed and result.severity == "warn" and result.source == LAOHEKOU_24
    if not passed:
        assert (
            "60.00万元" in result.message
            and f"{paid}万元" in result.message
            and "不支付后续费用" in result.message
        )


def test_payment_warning_stays_on_the_timeline_and_the_report_is_kept(laohekou):
    project = laohekou.project()
    reported(laohekou, project, "60.00")
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    report = laohekou.act(
        project,
        "progress_report",
        laohekou.dept,
        {"period": timezone.localdate().strftime("%Y-%m"), "percent_done": "100", "paid_amount": "75.00"},
    )
    assert report.paid_amount == Decimal("75.00")
    entry = TimelineEntry.objects.get(project=project, action="acceptance.progress.report")
    flagged = [c for c in entry.checks if c["code"] == "LHK-24-payment"]
    assert flagged and flagged[0]["passed"] is False and flagged[0]["source"] == LAOHEKOU_24


def test_payment_check_only_under_laohekou(db):
    world = World("wendeng-2021")
    project = world.project()
    reported(world, project, "60.00")
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    params = {"paid_amount": "90.00"}
    assert (
        check(project, "progress_report", "LHK-24-payment", today=timezone.localdate(), params=params) is None
    )


def test_archive_needs_the_acceptance_report_sent_to_finance(laohekou):
    project = at_state(laohekou.project(), ProjectState.EVALUATION)
    result = check(project, "archive", "LHK-24-report", today=timezone.localdate())
    assert result.passed is False and result.source == LAOHEKOU_24 and "验收报告" in result.message
    upload(laohekou, project, "acceptance_report")
    assert check(project, "archive", "LHK-24-report", today=timezone.localdate()).passed is True
