"""The project library as an Excel ledger (台账) for finance and the auditor: one row a project in the
BDC's order of priority, amounts in 万元 as numbers with two decimals, a totals row, the year's budget."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.cells import cell_text

from .plan import PlanSummary

MONEY_FORMAT = "#,##0.00"
HEADERS = (
    ("排序", 6),
    ("项目编号", 16),
    ("项目名称", 36),
    ("建设单位", 22),
    ("项目类别", 10),
    ("状态", 10),
    ("申报金额（万元）", 16),
    ("批复金额（万元）", 16),
    ("合同金额（万元）", 16),
    ("立项日期", 12),
)
MONEY_COLUMNS = (7, 8, 9)


def ledger_file_name(summary: PlanSummary) -> str:
    return f"{summary.jurisdiction.name}{summary.year}年度政务信息化项目库台账.xlsx"


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


def ledger_workbook(summary: PlanSummary) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{summary.year}年度项目库"
    _write_title(sheet, summary)
    header_row = _write_headers(sheet)
    for project in summary.projects:
        _write_project_row(sheet, project)
    _write_totals_row(sheet, summary)
    sheet.append([])
    _write_budget_rows(sheet, summary)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write_title(sheet, summary: PlanSummary) -> None:
    sheet.append([f"{summary.jurisdiction.name}{summary.year}年度政务信息化项目库台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append([f"金额单位：万元　导出时间：{generated}（北京时间）"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))


def _write_headers(sheet) -> int:
    sheet.append([h for h, _ in HEADERS])
    header_row = sheet.max_row
    for col, (_, width) in enumerate(HEADERS, 1):
        cell = sheet.cell(row=header_row, column=col)
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        sheet.column_dimensions[get_column_letter(col)].width = width
    return header_row


def _write_project_row(sheet, project) -> None:
    approved_on = timezone.localtime(project.approved_at).date() if project.approved_at else None
    sheet.append(
        [
            project.plan_rank,
            cell_text(project.code),
            cell_text(project.name),
            cell_text(project.organisation.name),
            project.get_category_display(),
            project.get_state_display(),
            project.declared_amount,
            project.approved_amount,
            project.contract_amount,
            approved_on,
        ]
    )
    row = sheet.max_row
    for col in range(1, len(HEADERS) + 1):
        sheet.cell(row=row, column=col).border = BOX
    for col in MONEY_COLUMNS:
        sheet.cell(row=row, column=col).number_format = MONEY_FORMAT
    sheet.cell(row=row, column=len(HEADERS)).number_format = "yyyy-mm-dd"


def _write_totals_row(sheet, summary: PlanSummary) -> None:
    # Totals as values (not formulas), so any reader sees the numbers without recalculating.
    sheet.append(
        [
            "合计",
            None,
            f"共{len(summary.projects)}个项目",
            None,
            None,
            None,
            summary.declared_total,
            summary.approved_total,
            summary.contract_total,
            None,
        ]
    )
    total_row = sheet.max_row
    for col in range(1, len(HEADERS) + 1):
        cell = sheet.cell(row=total_row, column=col)
        cell.font = BOLD
        cell.border = BOX
    for col in MONEY_COLUMNS:
        sheet.cell(row=total_row, column=col).number_format = MONEY_FORMAT


def _write_budget_rows(sheet, summary: PlanSummary) -> None:
    for label, value in (
        ("年度预算（万元）", summary.budget_amount),
        ("已批复合计（万元）", summary.approved_total),
        ("预算结余（万元）", summary.remaining),
    ):
        sheet.append([label, None, value if value is not None else "未录入"])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=1).font = BOLD
        if value is not None:
            sheet.cell(row=row, column=3).number_format = MONEY_FORMAT
