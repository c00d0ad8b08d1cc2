"""《防城港市政务信息化项目建设管理办法（试行）》: each check at its boundary, both ways."""

from datetime import date
from decimal import Decimal

import pytest

from acceptance.models import ChangeRequest, ConstructionCompletion, SupervisorAssignment
from acceptance.services import change_request_submit
from projects.enums import DocumentKind, ProjectState
from tests.factories import World

from .conftest import at_state, check, deadline, on, upload

TITLE = "《防城港市政务信息化项目建设管理办法（试行）》"
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(db):
    return World("fangchenggang-2022")


def _with(world, project, *kinds):
    for kind in kinds:
        upload(world, project, kind)


@pytest.mark.parametrize(
    ("amount", "documents", "passed"),
    [
        ("200.00", [DocumentKind.PROPOSAL], True),  # "200万元（含）以下": 项目建议书
        ("200.01", [DocumentKind.PROPOSAL], False),  # over 200万: the feasibility report too
        ("200.01", [DocumentKind.PROPOSAL, DocumentKind.FEASIBILITY_REPORT], True),
        ("400.00", [DocumentKind.PROPOSAL, DocumentKind.FEASIBILITY_REPORT], True),  # "400万元（含）以下"
        (
            "400.01",
            [DocumentKind.PROPOSAL, DocumentKind.FEASIBILITY_REPORT],
            False,
        ),  # "400万元以上": design and estimate too
        (
            "400.01",
            [
                DocumentKind.PROPOSAL,
                DocumentKind.FEASIBILITY_REPORT,
                DocumentKind.PRELIMINARY_DESIGN,
                DocumentKind.INVESTMENT_ESTIMATE,
            ],
            True,
        ),
    ],
)
def test_tier_documents_by_total_investment(world, amount, documents, passed):
    project = world.project(declared_amount=Decimal(amount))
    _with(world, project, *documents)
    result = check(project, "submit", "FCG-10-tier", today=TODAY)
    assert result.passed is passed
    assert result.source == f"{TITLE}第十条"
    if not passed:
        assert f"总投资{amount}万元" in result.message and "缺少" in result.message


def test_tier_a_planned_project_may_start_at_the_feasibility_report(world):
    project = world.project(declared_amount=Decimal("300.00"), in_plan=True)
    _with(world, project, DocumentKind.FEASIBILITY_REPORT)
    assert check(project, "submit", "FCG-10-tier", today=TODAY).passed is True
    unplanned = world.project(declared_amount=Decimal("300.00"))
    _with(world, unplanned, DocumentKind.FEASIBILITY_REPORT)
    assert check(unplanned, "submit", "FCG-10-tier", today=TODAY).passed is False


def test_tier_an_emergency_goes_straight_to_feasibility_design_and_estimate(world):
    project = world.project(declared_amount=Decimal("500.00"), is_emergency=True)
    _with(world, project, DocumentKind.FEASIBILITY_REPORT, DocumentKind.PRELIMINARY_DESIGN)
    result = check(project, "submit", "FCG-10-tier", today=TODAY)
    assert result.passed is False and "紧急项目" in result.message and "投资概算" in result.message
    _with(world, project, DocumentKind.INVESTMENT_ESTIMATE)
    assert check(project, "submit", "FCG-10-tier", today=TODAY).passed is True


def test_chapters_of_sharing_and_security_are_declared_per_document(world):
    from projects.services import document_upload
    from tests.factories import pdf_upload

    project = world.project(declared_amount=Decimal("300.00"))
    document_upload(
        project=project,
        by=world.dept,
        kind=DocumentKind.FEASIBILITY_REPORT,
        file=pdf_upload(),
        has_sharing_chapter=True,
        has_security_chapter=False,
    )
    result = check(project, "submit", "FCG-14-chapters", today=TODAY)
    assert result.passed is False and "项目系统安全分析篇" in result.message
    document_upload(
        project=project,
        by=world.dept,
        kind=DocumentKind.FEASIBILITY_REPORT,
        file=pdf_upload("v2.pdf"),
        has_sharing_chapter=True,
        has_security_chapter=True,
    )
    assert check(project, "submit", "FCG-14-chapters", today=TODAY).passed is True


def test_every_project_has_a_supervisor_before_the_contract(world):
    project = at_state(world.project(), ProjectState.PROCUREMENT)
    result = check(project, "file_contract", "FCG-22-supervisor", today=TODAY)
    assert (result.passed, result.severity, result.source) == (False, "block", f"{TITLE}第二十二条")
    SupervisorAssignment.objects.create(
        project=project, organisation=world.supervisor_org, assigned_by=world.bdc
    )
    assert check(project, "file_contract", "FCG-22-supervisor", today=TODAY).passed is True


@pytest.mark.parametrize(
    ("aspects", "amount_change", "new_total", "needs_approval"),
    [
        (["content"], "15.00", "100.00", False),  # exactly 15% of the approved estimate: adjust and file
        (["content"], "15.01", "100.00", True),  # over 15%: a change application
        (["content"], "-15.00", "85.00", False),  # a saving of 15% likewise
        (["content"], "0", "100.01", True),  # over the approved estimate
        (["goals"], "0", "100.00", True),  # the goals change
        (["technical"], "5.00", "100.00", False),
    ],
)
def test_change_within_fifteen_percent_is_filed_else_applied_for(
    world, aspects, amount_change, new_total, needs_approval
):
    project = world.project(declared_amount=Decimal("120.00"))
    project.approved_amount = Decimal("100.00")
    project.save(update_fields=["approved_amount"])
    at_state(project, ProjectState.CONSTRUCTION)
    change = change_request_submit(
        project=project,
        by=world.dept,
        aspects=aspects,
        description="调整建设内容",
        amount_change=amount_change,
        new_total=new_total,
    )
    assert change.needs_approval is needs_approval
    assert change.status == (ChangeRequest.Status.SUBMITTED if needs_approval else ChangeRequest.Status.FILED)
    assert change.rule.endswith(f"（{TITLE}第二十六条）")
    blocking = check(project, "complete_construction", "FCG-26-change", today=TODAY)
    assert blocking.passed is (not needs_approval)


def _completed(world, project, day: date):
    at_state(project, ProjectState.FINAL_ACCEPTANCE)
    with on(day):
        ConstructionCompletion.objects.create(
            project=project,
            goals_met=True,
            functions_complete=True,
            hardware_matches=True,
            trial_started_on=day,
            by=world.dept,
        )


@pytest.mark.parametrize(
    ("today", "passed"),
    [(date(2026, 9, 30), True), (date(2026, 10, 1), False)],  # completed 2026-03-31: six months end on 9-30
)
def test_acceptance_within_six_months_of_completion(world, today, passed):
    project = world.project()
    _completed(world, project, date(2026, 3, 31))
    result = check(project, "pass_acceptance", "FCG-27-timing", today=today)
    assert (result.passed, result.severity) == (passed, "warn")
    assert deadline(project, "FCG-27-timing", today=today).due_on == date(2026, 9, 30)


def test_acceptance_late_with_an_extension_application_is_not_warned(world):
    project = world.project()
    _completed(world, project, date(2026, 3, 31))
    upload(world, project, DocumentKind.EXTENSION_APPLICATION)
    assert check(project, "pass_acceptance", "FCG-27-timing", today=date(2026, 10, 1)).passed is True


def test_archive_acceptance_and_security_documents_before_acceptance(world):
    project = at_state(world.project(), ProjectState.FINAL_ACCEPTANCE)
    assert check(project, "pass_acceptance", "FCG-28-archive", today=TODAY).passed is False
    upload(world, project, DocumentKind.ARCHIVE_ACCEPTANCE, by=world.bdc)
    assert check(project, "pass_acceptance", "FCG-28-archive", today=TODAY).passed is True

    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    upload(world, project, DocumentKind.CRYPTO_ASSESSMENT)
    result = check(project, "apply_acceptance", "FCG-20-security", today=TODAY)
    assert result.passed is False and "产品安全可靠情况说明" in result.message
    assert result.source == f"{TITLE}第十九、二十条"
    upload(world, project, DocumentKind.PRODUCT_SECURITY)
    assert check(project, "apply_acceptance", "FCG-20-security", today=TODAY).passed is True


def test_unshared_data_warns_of_no_operation_money_but_does_not_block_acceptance(world):
    from sharing.services import resource_add, resource_mark_connected
    from tests.factories import CATALOGUE_ENTRY

    project = world.project()
    resource = resource_add(project=project, by=world.dept, data=dict(CATALOGUE_ENTRY))
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    resource_mark_connected(resource=resource, by=world.bdc, registered=True, connected=False)
    assert check(project, "apply_acceptance", "ANY-connected", today=TODAY) is None
    result = check(project, "apply_acceptance", "FCG-29-sharing", today=TODAY)
    assert (result.passed, result.severity, result.source) == (False, "warn", f"{TITLE}第二十九条")
    assert not result.blocking_failure and CATALOGUE_ENTRY["name"] in result.message
    assert "原则上不安排运行维护经费" in result.requirement
    resource_mark_connected(resource=resource, by=world.bdc, registered=True, connected=True)
    assert check(project, "apply_acceptance", "FCG-29-sharing", today=TODAY).passed is True


def test_performance_report_due_by_each_year_end_during_construction(world):
    from acceptance.models import ContractFiling

    project = at_state(world.project(), ProjectState.CONSTRUCTION)
    ContractFiling.objects.create(
        project=project,
        amount=Decimal("100.00"),
        signed_on=date(2026, 3, 2),
        supplier="某公司",
        filed_by=world.dept,
    )
    due = deadline(project, "FCG-23-report", today=date(2026, 12, 1), period="2026")
    assert (due.due_on, due.status) == (date(2026, 12, 31), "due_soon")
    assert deadline(project, "FCG-23-report", today=date(2026, 11, 30), period="2026").status == "due"
    upload(world, project, DocumentKind.PERFORMANCE_REPORT, day=date(2026, 12, 20))
    assert deadline(project, "FCG-23-report", today=date(2026, 12, 31), period="2026").status == "met"
