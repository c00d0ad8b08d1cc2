"""《招远市政务信息系统项目管理实施细则》: the July–August window, its documents and its deadlines."""

from datetime import date
from decimal import Decimal

import pytest

from acceptance.models import ContractFiling
from projects.enums import DocumentKind, ProjectState
from tests.factories import World

from .conftest import at_state, check, deadline, upload

TITLE = "《招远市政务信息系统项目管理实施细则》"


@pytest.fixture
def world(db):
    return World("zhaoyuan-2021")


@pytest.mark.parametrize(
    ("today", "passed"),
    [
        (date(2026, 6, 30), False),  # the day before the window
        (date(2026, 7, 1), True),  # its first day
        (date(2026, 8, 31), True),  # its last day
        (date(2026, 9, 1), False),  # the day after
    ],
)
def test_declaration_window_july_to_august(world, today, passed):
    project = world.project(year=2027)
    result = check(project, "submit", "ZY-7-window", today=today)
    assert (result.passed, result.severity, result.source) == (passed, "block", f"{TITLE}第七条")


def test_window_is_for_next_years_plan(world):
    project = world.project(year=2026)
    result = check(project, "submit", "ZY-7-window", today=date(2026, 7, 15))
    assert result.passed is False and "2027年度" in result.message


def test_an_emergency_project_has_no_exemption_from_the_window(world):
    emergency = world.project(year=2027, is_emergency=True)
    result = check(emergency, "submit", "ZY-7-window", today=date(2026, 11, 20))
    assert (result.passed, result.source) == (False, f"{TITLE}第七条")
    assert "紧急" not in result.message and "第六条" in result.message
    assert "紧急" not in result.requirement
    assert check(emergency, "submit", "ZY-6-filing", today=date(2026, 11, 20)) is None
    assert check(emergency, "submit", "ZY-7-docs", today=date(2026, 11, 20)).passed is False
    assert deadline(emergency, "ZY-7-window", today=date(2026, 11, 20)).status == "overdue"


def test_a_leader_approved_project_is_filed_outside_the_window_with_the_approval(world):
    project = world.project(year=2027)
    # without the 领导批示 it is an ordinary declaration, refused outside July–August
    refused = check(project, "submit", "ZY-7-window", today=date(2026, 11, 20))
    assert refused.passed is False and "领导批示" in refused.message
    assert check(project, "submit", "ZY-6-filing", today=date(2026, 11, 20)) is None
    upload(world, project, DocumentKind.LEADER_APPROVAL)
    filing = check(project, "submit", "ZY-6-filing", today=date(2026, 11, 20))
    assert (filing.passed, filing.severity, filing.source) == (True, "block", f"{TITLE}第六条")
    assert "领导批示" in filing.requirement
    # 第六条: filed with the centre, not declared under 第七条 — neither its window nor its materials
    assert check(project, "submit", "ZY-7-window", today=date(2026, 11, 20)) is None
    assert check(project, "submit", "ZY-7-docs", today=date(2026, 11, 20)) is None
    assert deadline(project, "ZY-7-window", today=date(2026, 11, 20)) is None


def test_a_project_arranged_and_funded_by_the_state_or_province_is_filed(world):
    project = world.project(year=2027, higher_level_arranged=True)
    filing = check(project, "submit", "ZY-6-filing", today=date(2026, 11, 20))
    assert (filing.passed, filing.source) == (True, f"{TITLE}第六条")
    assert "国家、省统筹安排" in filing.requirement
    assert check(project, "submit", "ZY-7-window", today=date(2026, 11, 20)) is None
    assert check(project, "submit", "ZY-7-docs", today=date(2026, 11, 20)) is None
    assert deadline(project, "ZY-7-window", today=date(2026, 9, 1)) is None


def test_window_is_a_deadline_of_the_draft(world):
    project = world.project(year=2027)
    window = deadline(project, "ZY-7-window", today=date(2026, 8, 28))
    assert (window.opens_on, window.due_on, window.status) == (
        date(2026, 7, 1),
        date(2026, 8, 31),
        "due_soon",
    )
    assert deadline(project, "ZY-7-window", today=date(2026, 9, 1)).status == "overdue"


def test_declaration_documents_of_non_classified_projects(world):
    project = world.project()
    result = check(project, "submit", "ZY-7-docs", today=date(2026, 7, 1))
    assert result.passed is False and "云平台服务资源审核表" in result.message
    for kind in (
        DocumentKind.APPLICATION_FORM,
        DocumentKind.CONSTRUCTION_PLAN,
        DocumentKind.CATALOGUE_TABLE,
        DocumentKind.CLOUD_DEMAND,
        DocumentKind.CLOUD_REVIEW,
    ):
        upload(world, project, kind)
    assert check(project, "submit", "ZY-7-docs", today=date(2026, 7, 1)).passed is True
    classified = world.project(is_classified=True)  # 第二十六条: handled under the secrecy rules
    assert check(classified, "submit", "ZY-7-docs", today=date(2026, 7, 1)) is None


def test_prohibited_categories_of_article_nine(world):
    project = world.project(construction_kinds=["website", "business_app"])
    result = check(project, "submit", "ZY-9-prohibited", today=date(2026, 7, 1))
    assert result.passed is False and "政府网站" in result.message


@pytest.mark.parametrize(
    ("filed_on", "passed"),
    # signed Tuesday 2026-09-29: National Day 10-01…10-07 off, Saturday 10-10 worked: the 5th working day is 10-12
    [(date(2026, 10, 12), True), (date(2026, 10, 13), False)],
)
def test_contract_filed_within_five_working_days(world, filed_on, passed):
    project = at_state(world.project(), ProjectState.PROCUREMENT)
    result = check(
        project, "file_contract", "ZY-21-deadline", today=filed_on, params={"signed_on": "2026-09-29"}
    )
    assert (result.passed, result.severity, result.source) == (passed, "warn", f"{TITLE}第二十一条")


def test_contract_deadline_into_an_unknown_year_says_so(world):
    project = at_state(world.project(), ProjectState.PROCUREMENT)
    result = check(
        project,
        "file_contract",
        "ZY-21-deadline",
        today=date(2026, 12, 31),
        params={"signed_on": "2026-12-28"},
    )
    assert result.passed is False and "2027年的法定节假日安排尚未录入" in result.message


def test_security_assessment_before_acceptance_under_its_own_code(world):
    project = at_state(world.project(), ProjectState.PRELIMINARY_ACCEPTANCE)
    result = check(project, "apply_acceptance", "ZY-18-security", today=date(2026, 11, 20))
    assert (result.passed, result.source) == (False, f"{TITLE}第十八条")


def test_progress_report_by_each_year_end(world):
    project = at_state(world.project(), ProjectState.CONSTRUCTION)
    ContractFiling.objects.create(
        project=project,
        amount=Decimal("90.00"),
        signed_on=date(2025, 6, 2),
        supplier="某公司",
        filed_by=world.dept,
    )
    report_2025 = deadline(project, "ZY-11-report", today=date(2026, 1, 5), period="2025")
    assert (report_2025.due_on, report_2025.status) == (date(2025, 12, 31), "overdue")
    upload(world, project, DocumentKind.PROGRESS_REPORT, day=date(2026, 12, 31))
    report_2026 = deadline(project, "ZY-11-report", today=date(2027, 1, 1), period="2026")
    assert report_2026.status == "met"
