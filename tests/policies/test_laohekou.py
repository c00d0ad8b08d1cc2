"""《老河口市本级信息化和智慧城市项目管理办法》: supervision, trial operation, acceptance conditions and the
self-evaluation window."""

from datetime import date

import pytest

from acceptance.models import AcceptanceResult, ConstructionCompletion, SupervisorAssignment
from projects.enums import DocumentKind, ProjectState
from tests.factories import World

from .conftest import at_state, check, deadline, on, upload

TITLE = "《老河口市本级信息化和智慧城市项目管理办法》"
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(db):
    return World("laohekou-2024")


@pytest.mark.parametrize(
    ("kinds", "passed"),
    [
        (["new_server_room"], True),  # 第十四条 names server storage and compute, not server rooms
        (["server_room_expansion", "business_app"], True),
        (["servers_storage"], False),
        (["cloud_service"], True),  # the centre's cloud is what the article sends departments to
    ],
)
def test_prohibited_own_server_storage_and_compute(world, kinds, passed):
    project = world.project(construction_kinds=kinds)
    result = check(project, "submit", "LHK-14-prohibited", today=TODAY)
    assert (result.passed, result.severity, result.source) == (passed, "block", f"{TITLE}第十四条")
    if not passed:
        assert "服务器及存储设备" in result.message


@pytest.mark.parametrize(("category", "applies"), [("new", True), ("upgrade", True), ("service", False)])
def test_supervisor_for_hardware_and_software_construction(world, category, applies):
    project = at_state(world.project(category=category), ProjectState.PROCUREMENT)
    result = check(project, "file_contract", "LHK-18-supervisor", today=TODAY)
    if not applies:
        assert result is None
        return
    assert (result.passed, result.source) == (False, f"{TITLE}第十七条")
    SupervisorAssignment.objects.create(
        project=project, organisation=world.supervisor_org, assigned_by=world.bdc
    )
    assert check(project, "file_contract", "LHK-18-supervisor", today=TODAY).passed is True


@pytest.mark.parametrize(
    ("applied_on", "passed"),
    # bid result Friday 2026-11-20: the fifth working day after is Friday 11-27
    [(date(2026, 11, 27), True), (date(2026, 11, 30), False)],
)
def test_supervisor_application_within_five_working_days_of_the_bid(world, applied_on, passed):
    project = at_state(world.project(), ProjectState.PROCUREMENT)
    upload(world, project, DocumentKind.SUPERVISOR_APPLICATION, day=applied_on)
    result = check(
        project, "file_contract", "LHK-18-application", today=TODAY, params={"awarded_on": "2026-11-20"}
    )
    assert (result.passed, result.severity, result.source) == (passed, "warn", f"{TITLE}第十八条")


def _completed(world, project, *, on_day: date, trial_from: date):
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    with on(on_day):
        ConstructionCompletion.objects.create(
            project=project,
            goals_met=True,
            functions_complete=True,
            hardware_matches=True,
            trial_started_on=trial_from,
            by=world.dept,
        )


@pytest.mark.parametrize(("today", "passed"), [(date(2026, 5, 29), False), (date(2026, 5, 30), True)])
def test_one_month_of_trial_operation_after_preliminary_acceptance(world, today, passed):
    project = world.project()
    # trial started before the preliminary acceptance of 2026-04-30: the month counts from that acceptance
    # and ends on the same date a month later, May 30
    _completed(world, project, on_day=date(2026, 4, 30), trial_from=date(2026, 4, 1))
    result = check(project, "apply_acceptance", "LHK-23-trial", today=today)
    assert (result.passed, result.source) == (passed, f"{TITLE}第二十三条(二)")
    assert deadline(project, "LHK-23-trial", today=today).opens_on == date(2026, 5, 30)


def test_acceptance_conditions_by_kind_of_project(world):
    project = world.project(construction_kinds=["platform", "data_collection"])
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    result = check(
        project, "apply_acceptance", "LHK-23-conditions", today=TODAY, params={"deployed_on_cloud": False}
    )
    assert result.passed is False
    for expected in ("用户报告", "培训记录", "软件测评报告", "数据质检报告", "政务云"):
        assert expected in result.message
    for kind in (
        DocumentKind.USER_REPORT,
        DocumentKind.TRAINING_RECORD,
        DocumentKind.SOFTWARE_TEST,
        DocumentKind.DATA_QUALITY,
    ):
        upload(world, project, kind)
    ok = check(
        project, "apply_acceptance", "LHK-23-conditions", today=TODAY, params={"deployed_on_cloud": True}
    )
    assert ok.passed is True
    plain = at_state(world.project(construction_kinds=["business_app"]), ProjectState.PRELIMINARY_ACCEPTANCE)
    for kind in (DocumentKind.USER_REPORT, DocumentKind.TRAINING_RECORD):
        upload(world, plain, kind)
    assert check(
        plain, "apply_acceptance", "LHK-23-conditions", today=TODAY, params={"deployed_on_cloud": True}
    ).passed


@pytest.mark.parametrize(
    ("uploaded", "passed"),
    [
        (date(2026, 3, 30), False),  # accepted 2025-03-31: the window opens 2026-03-31
        (date(2026, 3, 31), True),
        (date(2027, 3, 31), True),  # …and closes 2027-03-31
        (date(2027, 4, 1), False),
    ],
)
def test_self_evaluation_twelve_to_twenty_four_months_after_acceptance(world, uploaded, passed):
    project = at_state(world.project(), ProjectState.EVALUATION)
    AcceptanceResult.objects.create(
        project=project,
        conclusion=AcceptanceResult.Conclusion.PASSED,
        group_members="专家组",
        decided_on=date(2025, 3, 31),
        by=world.bdc,
    )
    from performance.services import self_evaluation_record
    from tests.factories import pdf_upload

    # The record the check reads is the self-evaluation (performance), dated the day it is made.
    with on(uploaded):
        self_evaluation_record(project=project, by=world.dept, summary="自评", report=pdf_upload("自评.pdf"))
    result = check(project, "archive", "LHK-26-window", today=uploaded)
    assert (result.passed, result.source) == (passed, f"{TITLE}第二十六条")
    window = deadline(project, "LHK-26-window", today=uploaded)
    assert (window.opens_on, window.due_on) == (date(2026, 3, 31), date(2027, 3, 31))
