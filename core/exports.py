"""Large exports out of the request: the page asks, a worker builds, the one who asked downloads.

An app registers each export it offers (`export_register(ExportSpec(...))`, in its `AppConfig.ready()`): a
name, a title, who may have it, how its parameters are read, and what it holds — columns and a generator of
rows (with lines above the header and rows after the data, such as totals). `export_request` checks the
permission, records an `ExportJob` and queues `core.tasks.export_build` once the transaction commits; the task
writes the workbook in openpyxl's write-only mode (rows streamed to the file, never a sheet of cells in memory),
every text through `core.cells.cell_text`, and records its progress as it goes. Only the requester reads the
job or downloads the file (anyone else: not found), and only while the export's permission still holds."""

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .cells import cell_text
from .errors import NotFound, NotPermitted
from .models import ExportJob

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 500  # rows between two progress updates
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 12
    number_format: str = ""  # e.g. "#,##0.00" for 万元, "yyyy-mm-dd" for a date


@dataclass(frozen=True)
class Formatted:
    """A value of a heading or footer row with a number format of its own (a footer's budget in 万元)."""

    value: object
    number_format: str


@dataclass
class ExportContent:
    """What one export holds. `rows` is consumed once, as the file is written; `footer` is called after it (so
    it may report what the rows added up to); `total` is the number of rows, for the progress bar."""

    file_name: str
    sheet_title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    total: int | None = None
    heading: Sequence[str] = ()
    footer: Callable[[], Iterable[Sequence]] = field(default=lambda: ())


@dataclass(frozen=True)
class ExportSpec:
    name: str
    title: str
    # The refusal (a Chinese sentence) for this user and these parameters, or "" when they may have it.
    refusal: Callable[[object, dict], str]
    # The request's parameters, read and checked (raises InvalidInput); kept on the job as JSON.
    clean: Callable[[object, dict], dict]
    build: Callable[[dict], ExportContent]
    # The page the export belongs to (for the job page's link back).
    back_url: Callable[[dict], str] = field(default=lambda params: "/")


EXPORTS: dict[str, ExportSpec] = {}


def export_register(*specs: ExportSpec) -> None:
    for spec in specs:
        EXPORTS[spec.name] = spec


def export_spec(name: str) -> ExportSpec:
    spec = EXPORTS.get(name)
    if spec is None:
        raise NotFound("没有这种导出。")
    return spec


def export_request(*, name: str, by, data: dict) -> ExportJob:
    """Record the job and hand it to the workers when the transaction commits; the request answers at once."""
    spec = export_spec(name)
    params = spec.clean(by, data)
    refused = spec.refusal(by, params)
    if refused:
        raise NotPermitted(refused)
    with transaction.atomic():
        job = ExportJob.objects.create(name=name, title=spec.title, params=params, requested_by=by)
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from .publish import pdf_queue_options, tasks_publish
    from .tasks import export_build

    if not tasks_publish(export_build, [{"job_id": job_id}], **pdf_queue_options()):
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED,
            error="任务队列暂时不可用，未能开始生成；请稍后重新导出。",
            finished_at=timezone.now(),
        )


def export_job_get(*, user, pk: int) -> ExportJob:
    """The user's own job; another's, or one whose export they may no longer have, is not found."""
    job = ExportJob.objects.filter(pk=pk, requested_by_id=user.pk).first() if user.is_authenticated else None
    if job is None or job.name not in EXPORTS or EXPORTS[job.name].refusal(user, job.params):
        raise NotFound("导出任务不存在或无权查看。")
    return job


# ---- the worker's side ----------------------------------------------------------------------------------


def export_job_build(*, job_id: int) -> str:
    """Build the job's file (the task's body). A job already built or being built elsewhere is left alone."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.get(pk=job_id)
    if not claimed:
        return job.status
    started = time.perf_counter()
    try:
        content = EXPORTS[job.name].build(job.params)
        if content.total is not None:
            ExportJob.objects.filter(pk=job_id).update(rows_total=content.total)
        with tempfile.TemporaryFile(suffix=".xlsx") as out:
            rows = workbook_write(content, out, progress=lambda n: _progress(job_id, n))
            out.seek(0)
            job.file.save("export.xlsx", File(out), save=False)
            size = job.file.size
    except Exception as exc:
        log.exception("导出任务 %s 生成失败", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=f"生成时出错（{type(exc).__name__}）。"[:500],
            finished_at=timezone.now(),
            task_seconds=time.perf_counter() - started,
        )
        return ExportJob.Status.FAILED
    job.status = ExportJob.Status.READY
    job.file_name = content.file_name[:255]
    job.size = size
    job.rows_done = rows
    job.rows_total = content.total if content.total is not None else rows
    job.finished_at = timezone.now()
    job.task_seconds = time.perf_counter() - started
    job.save(
        update_fields=[
            "status",
            "file",
            "file_name",
            "size",
            "rows_done",
            "rows_total",
            "finished_at",
            "task_seconds",
        ]
    )
    return job.status


def _progress(job_id: int, rows: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(rows_done=rows)


def _value(value):
    """A cell's value: user text always as text (never a formula), numbers, dates and dates-times as such."""
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return value
    if hasattr(value, "as_tuple"):  # Decimal: 万元 stay numbers
        return value
    return cell_text(value)


def workbook_write(content: ExportContent, out, *, progress: Callable[[int], None] | None = None) -> int:
    """Stream the export into `out` as an .xlsx (write-only: each row is written and forgotten); the rows
    written. Heading lines in bold above the header, the header boxed, data rows with each column's
    number format, the grid printed, the footer rows in bold."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(cell_text(content.sheet_title)[:31] or "Sheet1")
    width = len(content.columns)
    for col, column in enumerate(content.columns, 1):
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    heading = list(content.heading)
    header_row = len(heading) + 1
    sheet.freeze_panes = f"A{header_row + 1}"  # (write-only: set before the first row is written)
    for index, line in enumerate(heading):
        cell = WriteOnlyCell(sheet, value=cell_text(line))
        cell.font = Font(bold=True, size=14) if index == 0 else Font()
        sheet.append([cell])
        sheet.merged_cells.ranges.add(f"A{index + 1}:{get_column_letter(width)}{index + 1}")
    header = []
    for column in content.columns:
        cell = WriteOnlyCell(sheet, value=cell_text(column.header))
        cell.font = BOLD
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)

    # A data cell carries a style only where its column has a number format (万元, dates): openpyxl writes a
    # styled cell several times slower than a bare value, and a styled cell on every column was most of the
    # time of a large export. One cell per such column is reused from row to row (write-only mode writes each
    # row as it is appended); the grid is printed (and shown on screen, as Excel does) instead of a border
    # drawn round every cell.
    sheet.print_options.gridLines = True
    formatted = {}
    for index, column in enumerate(content.columns):
        if column.number_format:
            cell = WriteOnlyCell(sheet)
            cell.number_format = column.number_format
            formatted[index] = cell
    rows = 0
    for row in content.rows:
        values = [_value(value) for value in row]
        for index, cell in formatted.items():
            if index < len(values):
                cell.value = values[index]
                values[index] = cell
        sheet.append(values)
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
    for row in content.footer():
        cells = []
        for index, value in enumerate(row):
            number_format = ""
            if isinstance(value, Formatted):
                value, number_format = value.value, value.number_format
            elif index < width and not isinstance(value, str):
                number_format = content.columns[index].number_format
            cell = WriteOnlyCell(sheet, value=_value(value))
            cell.font = BOLD
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    book.save(out)
    return rows
