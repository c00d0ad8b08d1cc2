"""《拱墅区信息化项目管理办法（征求意见稿）》: thresholds where "以上" includes the number, and its windows."""

from datetime import date
from decimal import Decimal

import pytest

from acceptance.models import SupervisorAssignment
from acceptance.services import bidding_confirm, change_request_submit
from core.errors import InvalidInput
from projects.enums import ProjectState
from reviews.models import AgencyInvitation, PreReview
from tests.factories import World

from .conftest import at_state, check, deadline, on

TITLE = "《拱墅区信息化项目管理办法（征求意见稿）》"
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(db):
    return World("gongshu-draft")


def _approved(world, amount: str):
    project = world.project(declared_amount=Decimal(amount))
    project.approved_amount = Decimal(amount)
    project.save(update_fields=["approved_amount"])
    return at_state(project, ProjectState.APPROVED)


@pytest.mark.parametrize(("amount", "applies"), [("49.99", False), ("50.00", True)])
def test_bidding_requirements_confirmed_from_fifty_wan(world, amount, applies):
    project = _approved(world, amount)
    requirements = check(project, "start_procurement", "GS-5-requirements", today=TODAY)
    ceiling = check(project, "start_procurement", "GS-5-ceiling", today=TODAY)
    if not applies:
        assert requirements is None and ceiling is None
        return
    assert (requirements.passed, requirements.source) == (False, f"{TITLE}五(一)")
    assert (ceiling.passed, ceiling.source) == (False, f"{TITLE}五(二)")
    bidding_confirm(project=project, by=world.bdc, experts="陈建国、刘芳、黄志远", ceiling_price="48.00")
    assert check(project, "start_procurement", "GS-5-requirements", today=TODAY).passed is True
    assert check(project, "start_procurement", "GS-5-ceiling", today=TODAY).passed is True


@pytest.mark.parametrize(("contract", "passed"), [("48.00", True), ("48.01", False)])
def test_contract_amount_within_the_ceiling_price(world, contract, passed):
    project = _approved(world, "60.00")
    bidding_confirm(project=project, by=world.bdc, experts="专家组", ceiling_price="48.00")
    at_state(project, ProjectState.PROCUREMENT)
    result = check(
        project, "file_contract", "GS-5-ceiling", today=TODAY, params={"contract_amount": contract}
    )
    assert result.passed is passed
    if not passed:
        assert "超过采购最高限价48.00万元" in result.message


def test_ceiling_price_cannot_exceed_the_approved_budget(world):
    project = _approved(world, "60.00")
    with pytest.raises(InvalidInput, match="不能超过批复金额"):
        bidding_confirm(project=project, by=world.bdc, experts="专家组", ceiling_price="60.01")


@pytest.mark.parametrize(("amount", "applies"), [("99.99", False), ("100.00", True)])
def test_supervision_from_one_hundred_wan(world, amount, applies):
    project = at_state(_approved(world, amount), ProjectState.PROCUREMENT)
    result = check(project, "file_contract", "GS-5-supervisor", today=TODAY)
    if not applies:
        assert result is None
        return
    assert (result.passed, result.source) == (False, f"{TITLE}五(四)")
    SupervisorAssignment.objects.create(
        project=project, organisation=world.supervisor_org, assigned_by=world.bdc
    )
    assert check(project, "file_contract", "GS-5-supervisor", today=TODAY).passed is True


@pytest.mark.parametrize(
    ("filed_on", "passed"),
    # signed Friday 2026-11-27: the fifth working day after is Friday 12-04 (weekend not counted)
    [(date(2026, 12, 4), True), (date(2026, 12, 5), False), (date(2026, 12, 7), False)],
)
def test_contract_filed_within_five_working_days(world, filed_on, passed):
    project = at_state(_approved(world, "30.00"), ProjectState.PROCUREMENT)
    result = check(
        project, "file_contract", "GS-5-deadline", today=filed_on, params={"signed_on": "2026-11-27"}
    )
    assert (result.passed, result.severity) == (passed, "warn")


@pytest.mark.parametrize(
    ("prereview_on", "passed"),
    # declared Tuesday 2026-09-29; 10-01…10-07 National Day off, Saturday 10-10 a working day (调休):
    # the fifth working day after is Monday 10-12.
    [(date(2026, 10, 12), True), (date(2026, 10, 13), False)],
)
def test_prereview_within_five_working_days_of_declaration(world, prereview_on, passed):
    from datetime import datetime

    from .conftest import SHANGHAI

    project = world.project()
    project.declared_at = datetime(2026, 9, 29, 9, tzinfo=SHANGHAI)
    project.save(update_fields=["declared_at"])
    at_state(project, ProjectState.DECLARED)
    with on(prereview_on):
        PreReview.objects.create(project=project, passed=True, opinion="同意", by=world.bdc)
    result = check(project, "start_review", "GS-4-prereview", today=prereview_on)
    assert (result.passed, result.severity, result.source) == (passed, "warn", f"{TITLE}四(二)")
    due = deadline(project, "GS-4-prereview", today=prereview_on)
    assert (due.due_on, due.owner, due.status) == (date(2026, 10, 12), "bdc", "met" if passed else "late")


def test_development_and_finance_bureaus_sit_on_the_panel(world):
    project = at_state(world.project(), ProjectState.DECLARED)
    result = check(project, "start_review", "GS-4-agencies", today=TODAY)
    assert result.passed is False and "发展改革部门" in result.message and "财政局" in result.message
    from core.enums import OrganisationKind
    from tests.factories import OrganisationFactory

    development = OrganisationFactory(jurisdiction=world.jurisdiction, kind=OrganisationKind.DEVELOPMENT)
    for organisation in (development, world.finance_org):
        AgencyInvitation.objects.create(project=project, organisation=organisation, invited_by=world.bdc)
    assert check(project, "start_review", "GS-4-agencies", today=TODAY).passed is True


def test_a_budget_change_is_an_application_other_changes_are_filed(world):
    project = at_state(_approved(world, "80.00"), ProjectState.CONSTRUCTION)
    budget = change_request_submit(
        project=project, by=world.dept, aspects=["budget"], description="追加预算", amount_change="5.00"
    )
    schedule = change_request_submit(
        project=project, by=world.dept, aspects=["schedule"], description="延期一个月"
    )
    assert (budget.needs_approval, schedule.needs_approval) == (True, False)
    assert budget.rule.endswith(f"（{TITLE}四(三)）")


def test_classified_projects_need_no_public_catalogue(world):
    open_project = world.project()
    assert check(open_project, "submit", "GS-2-catalogue", today=TODAY).passed is False
    classified = world.project(is_classified=True)
    assert check(classified, "submit", "GS-2-catalogue", today=TODAY) is None
