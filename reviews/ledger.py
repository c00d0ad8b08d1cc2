"""The project library as an Excel ledger (台账) for finance and the auditor: one row a project in the
BDC's order of priority, amounts in 万元 as numbers with two decimals, a totals row, the year's budget.

Built by a worker (core.exports, export `ledger`): the plan page asks for it, the job page shows its progress
and offers the download. `ledger_content` streams the rows from the database in chunks, so a year of ten
thousand projects is written in seconds and never held in memory as a sheet."""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone

from core.exports import Column, ExportContent, ExportSpec, Formatted, workbook_write
from core.models import Jurisdiction
from projects.enums import ProjectCategory, ProjectState

from .plan import PlanSummary, annual_budget_get, can_view_plan, plan_projects

MONEY_FORMAT = "#,##0.00"
COLUMNS = (
    Column("排序", 6),
    Column("项目编号", 16),
    Column("项目名称", 36),
    Column("建设单位", 22),
    Column("项目类别", 10),
    Column("状态", 10),
    Column("申报金额（万元）", 16, MONEY_FORMAT),
    Column("批复金额（万元）", 16, MONEY_FORMAT),
    Column("合同金额（万元）", 16, MONEY_FORMAT),
    Column("立项日期", 12, "yyyy-mm-dd"),
)
HEADERS = tuple((c.header, c.width) for c in COLUMNS)
LEDGER_FIELDS = (
    "plan_rank",
    "code",
    "name",
    "organisation__name",
    "category",
    "state",
    "declared_amount",
    "approved_amount",
    "contract_amount",
    "approved_at",
)


def _title(jurisdiction, year: int) -> str:
    return f"{jurisdiction.name}{year}年度政务信息化项目库台账"


def ledger_content(*, jurisdiction, year: int, projects=None) -> ExportContent:
    """The ledger of the year: the rows streamed from `plan_projects` (or the projects given), the totals
    and the budget after them."""
    zero = Decimal("0.00")
    totals = {"n": 0, "declared": zero, "approved": zero, "contract": zero}
    if projects is None:
        queryset = plan_projects(jurisdiction=jurisdiction, year=year)
        total = queryset.count()
        # The ten columns as tuples (not model instances: reading those was a third of the task's time), in
        # chunks from a server-side cursor.
        records = queryset.values_list(*LEDGER_FIELDS).iterator(chunk_size=2000)
    else:
        total = len(projects)
        records = (
            [getattr(p, f) if "__" not in f else p.organisation.name for f in LEDGER_FIELDS] for p in projects
        )
    categories, states = dict(ProjectCategory.choices), dict(ProjectState.choices)

    def rows():
        tz = timezone.get_current_timezone()
        for (
            rank,
            code,
            name,
            organisation,
            category,
            state,
            declared,
            approved,
            contract,
            approved_at,
        ) in records:
            totals["n"] += 1
            totals["declared"] += declared
            totals["approved"] += approved or zero
            totals["contract"] += contract or zero
            yield (
                rank,
                code,
                name,
                organisation,
                categories.get(category, category),
                states.get(state, state),
                declared,
                approved,
                contract,
                approved_at.astimezone(tz).date() if approved_at else None,
            )

    def footer():
        # Totals as values (not formulas), so any reader sees the numbers without recalculating.
        yield (
            "合计",
            None,
            f"共{totals['n']}个项目",
            None,
            None,
            None,
            totals["declared"],
            totals["approved"],
            totals["contract"],
            None,
        )
        yield ()
        budget = annual_budget_get(jurisdiction=jurisdiction, year=year)
        amount = budget.amount if budget is not None else None
        remaining = amount - totals["approved"] if amount is not None else None
        for label, value in (
            ("年度预算（万元）", amount),
            ("已批复合计（万元）", totals["approved"]),
            ("预算结余（万元）", remaining),
        ):
            yield (label, None, Formatted(value, MONEY_FORMAT) if value is not None else "未录入")

    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return ExportContent(
        file_name=f"{_title(jurisdiction, year)}.xlsx",
        sheet_title=f"{year}年度项目库",
        columns=COLUMNS,
        rows=rows(),
        total=total,
        heading=(_title(jurisdiction, year), f"金额单位：万元　导出时间：{generated}（北京时间）"),
        footer=footer,
    )


def ledger_workbook(summary: PlanSummary) -> bytes:
    """The ledger of a summary already read (as the worker writes it), as bytes."""
    out = BytesIO()
    workbook_write(
        ledger_content(jurisdiction=summary.jurisdiction, year=summary.year, projects=summary.projects), out
    )
    return out.getvalue()


# ---- the export (core.exports) ------------------------------------------------------------------------


def _ledger_clean(user, data: dict) -> dict:
    from .plan import _clean_year

    year = data.get("year")
    return {
        "year": _clean_year(year if year not in (None, "") else timezone.localdate().year),
        "jurisdiction_id": user.organisation.jurisdiction_id if user.organisation_id else None,
    }


def _ledger_refusal(user, params: dict) -> str:
    jurisdiction_id = params.get("jurisdiction_id")
    mine = user.organisation.jurisdiction_id if user.is_authenticated and user.organisation_id else None
    if jurisdiction_id is None or jurisdiction_id != mine:
        return "项目库与年度计划仅供大数据中心、财政局和审计局查阅。"
    if not can_view_plan(user, user.organisation.jurisdiction):
        return "项目库与年度计划仅供大数据中心、财政局和审计局查阅。"
    return ""


def _ledger_build(params: dict) -> ExportContent:
    jurisdiction = Jurisdiction.objects.get(pk=params["jurisdiction_id"])
    return ledger_content(jurisdiction=jurisdiction, year=params["year"])


LEDGER_EXPORT = ExportSpec(
    name="ledger",
    title="项目库台账（Excel）",
    refusal=_ledger_refusal,
    clean=_ledger_clean,
    build=_ledger_build,
    back_url=lambda params: f"/plan/?year={params.get('year', '')}",
)


def ledger_file_name(summary: PlanSummary) -> str:
    return f"{summary.jurisdiction.name}{summary.year}年度政务信息化项目库台账.xlsx"
