"""The project library and annual plan: the BDC's ranking on each project's timeline, finance's budget,
what finance waits for (待立项), and the Excel ledger read back."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.errors import InvalidInput, NotPermitted
from core.models import AnnualBudget, TimelineEntry
from core.verification import timeline_verify
from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from projects.services import document_upload
from reviews.ledger import ledger_workbook
from reviews.plan import (
    annual_budget_set,
    plan_projects,
    plan_rank_set,
    plan_summary,
    projects_awaiting_approval,
)
from tests.factories import pdf_upload
from tests.factories.records import opinion_record

pytestmark = pytest.mark.django_db
YEAR = 2027


@pytest.fixture
def approved(world):
    """Three approved projects of 2027 (150.00 万元 each, declared = approved) and one of 2028."""
    projects = [world.project_in_state(ProjectState.APPROVED, name=f"库内项目{i}") for i in range(3)]
    world.project_in_state(ProjectState.APPROVED, name="明年项目", year=2028)
    world.project_in_state(ProjectState.REVIEWING, name="评审中项目")
    return projects


def test_plan_lists_the_years_approved_projects_only(world, approved):
    listed = list(plan_projects(jurisdiction=world.jurisdiction, year=YEAR))
    assert {p.pk for p in listed} == {p.pk for p in approved}


def test_ranking_is_recorded_on_each_moved_projects_timeline(world, approved):
    a, b, c = approved
    changed = plan_rank_set(
        year=YEAR, jurisdiction=world.jurisdiction, ordered_project_ids=[c.pk, a.pk, b.pk], by=world.bdc
    )
    assert {p.pk for p in changed} == {a.pk, b.pk, c.pk}
    ranks = dict(Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "plan_rank"))
    assert ranks == {c.pk: 1, a.pk: 2, b.pk: 3}
    assert [p.pk for p in plan_projects(jurisdiction=world.jurisdiction, year=YEAR)] == [c.pk, a.pk, b.pk]
    entry = TimelineEntry.objects.get(project=c, action="reviews.plan.rank")
    assert entry.data == {"year": YEAR, "rank": 1, "previous": None, "count": 3}
    assert entry.actor_id == world.bdc.pk

    # Swapping two: only those two get an entry, naming the place they had.
    changed = plan_rank_set(
        year=YEAR, jurisdiction=world.jurisdiction, ordered_project_ids=[c.pk, b.pk, a.pk], by=world.bdc
    )
    assert {p.pk for p in changed} == {a.pk, b.pk}
    assert TimelineEntry.objects.filter(project=c, action="reviews.plan.rank").count() == 1
    moved = TimelineEntry.objects.filter(project=b, action="reviews.plan.rank").order_by("-seq").first()
    assert moved.data["rank"] == 2 and moved.data["previous"] == 3
    assert "原第3位" in moved.comment
    for p in approved:
        assert timeline_verify(project_id=p.pk) == []


@pytest.mark.parametrize("role", ["finance", "auditor", "dept", "supervisor", "sysadmin"])
def test_only_the_bdc_ranks(world, approved, role):
    with pytest.raises(NotPermitted):
        plan_rank_set(
            year=YEAR,
            jurisdiction=world.jurisdiction,
            ordered_project_ids=[p.pk for p in approved],
            by=getattr(world, role),
        )
    assert not Project.objects.filter(plan_rank__isnull=False).exists()


def test_ranking_must_list_every_project_of_the_year_once(world, approved):
    a, b, c = approved
    other = Project.objects.get(name="明年项目")
    for ids, message in (
        ([a.pk, b.pk], "缺少"),
        ([a.pk, b.pk, c.pk, other.pk], "不属于2027年度"),
        ([a.pk, a.pk, b.pk, c.pk], "重复"),
        (["x"], "列表"),
    ):
        with pytest.raises(InvalidInput, match=message):
            plan_rank_set(year=YEAR, jurisdiction=world.jurisdiction, ordered_project_ids=ids, by=world.bdc)
    assert not Project.objects.filter(plan_rank__isnull=False).exists()


def test_budget_is_finances_and_kept_as_history(world, approved):
    annual_budget_set(jurisdiction=world.jurisdiction, year=YEAR, amount="500", by=world.finance)
    annual_budget_set(
        jurisdiction=world.jurisdiction, year=YEAR, amount="400.50", by=world.finance, note="预算调整"
    )
    summary = plan_summary(jurisdiction=world.jurisdiction, year=YEAR)
    assert summary.budget_amount == Decimal("400.50")
    assert summary.approved_total == Decimal("450.00")
    assert summary.remaining == Decimal("-49.50") and summary.over_budget
    assert AnnualBudget.objects.filter(year=YEAR).count() == 2
    for role in ("bdc", "auditor", "dept"):
        with pytest.raises(NotPermitted):
            annual_budget_set(jurisdiction=world.jurisdiction, year=YEAR, amount="1", by=getattr(world, role))
    budget = AnnualBudget.objects.first()
    budget.amount = Decimal("1")
    with pytest.raises(TypeError):
        budget.save()


@pytest.mark.parametrize("amount", ["-1", "abc", "1.234", "NaN", ""])
def test_budget_refuses_what_is_not_an_amount(world, amount):
    with pytest.raises(InvalidInput):
        annual_budget_set(jurisdiction=world.jurisdiction, year=YEAR, amount=amount, by=world.finance)


def _opinion(world, project, conclusion, issued: bool):
    version = None
    if issued:
        version = document_upload(
            project=project,
            by=world.bdc,
            kind=DocumentKind.REVIEW_OPINION,
            file=pdf_upload(f"{conclusion}.pdf"),
        )
    return opinion_record(
        project=project, by=world.bdc, conclusion=conclusion, summary="意见。", document_version=version
    )


def test_finance_waits_for_projects_whose_latest_opinion_passes_and_is_issued(world):
    ready = world.project_in_state(ProjectState.REVIEWING, name="通过已出具")
    _opinion(world, ready, "pass", issued=True)
    overturned = world.project_in_state(ProjectState.REVIEWING, name="先通过后不通过")
    _opinion(world, overturned, "pass", issued=True)
    _opinion(world, overturned, "fail", issued=True)
    unissued = world.project_in_state(ProjectState.REVIEWING, name="通过未出具")
    _opinion(world, unissued, "pass", issued=False)
    newer_unissued = world.project_in_state(ProjectState.REVIEWING, name="新意见未出具")
    _opinion(world, newer_unissued, "pass", issued=True)
    _opinion(world, newer_unissued, "pass_with_changes", issued=False)
    revised = world.project_in_state(ProjectState.REVIEWING, name="先不通过后修改后通过")
    _opinion(world, revised, "fail", issued=True)
    _opinion(world, revised, "pass_with_changes", issued=True)
    world.project_in_state(ProjectState.REVIEWING, name="无意见")

    names = set(projects_awaiting_approval(Project.objects.all()).values_list("name", flat=True))
    assert names == {"通过已出具", "先不通过后修改后通过"}


def test_the_ledger_reads_back_with_numbers_and_totals(world, approved):
    a, b, c = approved
    Project.objects.filter(pk=b.pk).update(approved_amount=Decimal("99.99"))
    plan_rank_set(
        year=YEAR, jurisdiction=world.jurisdiction, ordered_project_ids=[b.pk, c.pk, a.pk], by=world.bdc
    )
    annual_budget_set(jurisdiction=world.jurisdiction, year=YEAR, amount="1000.00", by=world.finance)

    book = load_workbook(BytesIO(ledger_workbook(plan_summary(jurisdiction=world.jurisdiction, year=YEAR))))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"{world.jurisdiction.name}2027年度政务信息化项目库台账"
    header = rows[2]
    assert header[:3] == ["排序", "项目编号", "项目名称"]
    assert header[6:9] == ["申报金额（万元）", "批复金额（万元）", "合同金额（万元）"]
    body = rows[3:6]
    assert [r[2] for r in body] == [b.name, c.name, a.name]
    assert [r[0] for r in body] == [1, 2, 3]
    assert body[0][7] == pytest.approx(99.99) and body[1][7] == pytest.approx(150.00)
    assert all(isinstance(r[6], int | float) for r in body)
    assert sheet.cell(row=4, column=7).number_format == "#,##0.00"
    total = rows[6]
    assert total[0] == "合计" and total[2] == "共3个项目"
    assert total[6] == pytest.approx(450.00) and total[7] == pytest.approx(399.99)
    assert sheet.cell(row=7, column=8).number_format == "#,##0.00"
    tail = {r[0]: r[2] for r in rows[8:] if r and r[0]}
    assert tail["年度预算（万元）"] == pytest.approx(1000.00)
    assert tail["已批复合计（万元）"] == pytest.approx(399.99)
    assert tail["预算结余（万元）"] == pytest.approx(600.01)


FORMULA_PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "＝1+1"]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_the_ledger_writes_user_text_as_text(world, approved, payload):
    """OWASP formula injection: a project named like a formula is text in the ledger, never a live formula."""
    a, _b, _c = approved
    Project.objects.filter(pk=a.pk).update(name=payload)
    book = load_workbook(BytesIO(ledger_workbook(plan_summary(jurisdiction=world.jurisdiction, year=YEAR))))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert f"'{payload}" in [c.value for c in cells]
