"""Each table of the dashboard as an Excel workbook (openpyxl, write-only): a title, the filters, the header,
the rows, the total and the note. Text through `core.cells.cell_text` (never read as a formula); counts and
amounts as numbers, amounts in 万元 with two decimals as the header says."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.cells import cell_text

from .dashboard import Dashboard, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"money": "#,##0.00", "days": "0.0", "count": "0"}
BOLD = Font(bold=True)


def _cell(sheet, value, kind: str = "text", bold: bool = False) -> WriteOnlyCell:
    if kind == "text" or value in (None, ""):
        cell = WriteOnlyCell(sheet, value=cell_text(value))
    else:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = NUMBER_FORMATS[kind]
    if bold:
        cell.font = BOLD
    return cell


def table_workbook(dashboard: Dashboard, table: Table, *, jurisdiction: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.title[:31])
    sheet.column_dimensions["A"].width = 16
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 18
    sheet.append([_cell(sheet, f"{jurisdiction}政务信息化项目数据看板：{table.title}", bold=True)])
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append([_cell(sheet, f"{dashboard.filters.caption()} · 导出时间 {generated}（北京时间）")])
    sheet.append([_cell(sheet, c.label, bold=True) for c in table.columns])
    for row in table.rows:
        sheet.append([_cell(sheet, v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    if table.total:
        sheet.append(
            [
                _cell(sheet, v, c.kind if i else "text", bold=True)
                for i, (v, c) in enumerate(zip(table.total, table.columns, strict=True))
            ]
        )
    if table.note:
        sheet.append([])
        sheet.append([_cell(sheet, f"说明：{table.note}")])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def table_file_name(dashboard: Dashboard, table: Table) -> str:
    year = f"{dashboard.filters.year}年度" if dashboard.filters.year else "全部年度"
    return f"数据看板-{table.title}-{year}.xlsx"


def table_response(dashboard: Dashboard, table: Table, *, jurisdiction: str) -> HttpResponse:
    response = HttpResponse(table_workbook(dashboard, table, jurisdiction=jurisdiction), content_type=XLSX)
    name = table_file_name(dashboard, table)
    response["Content-Disposition"] = (
        f"attachment; filename=\"dashboard-{table.key}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
