"""Exports out of the request (core.exports): a real Celery worker, in its own process, builds the 台账 the
plan page asked for; the page shows the job and its progress, the requester alone downloads it, the job is
on the audit log; a broker that is down leaves a job that says so."""

import time
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from core.exports import EXPORTS, ExportContent, workbook_write
from core.models import ExportJob
from projects.enums import ProjectState
from projects.models import Project

YEAR = 2027
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def approved(world):
    return [world.project_in_state(ProjectState.APPROVED, name=f"库内项目{i}") for i in range(2)]


def _as(client, user):
    client.logout()
    client.force_login(user, backend=BACKEND)
    return client


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_ledger_and_only_the_requester_downloads(world, approved, worker, client):
    Project.objects.filter(pk=approved[0].pk).update(
        name='=HYPERLINK("http://x")'
    )  # user text, never a formula
    finance = _as(client, world.finance)
    started = time.monotonic()
    response = finance.post(f"/plan/ledger.xlsx?year={YEAR}")
    assert response.status_code == 302 and time.monotonic() - started < 5  # the request answers at once
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"

    deadline = time.monotonic() + 120
    while job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) and time.monotonic() < deadline:
        page = finance.get(f"/exports/{job.pk}/")
        if job.status != ExportJob.Status.READY:
            assert page.status_code == 200 and "Refresh" in page  # the page asks again until it is done
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == ExportJob.Status.READY, job.error
    assert (job.rows_done, job.rows_total) == (2, 2) and job.task_seconds is not None

    page = finance.get(f"/exports/{job.pk}/").content.decode()
    assert "已生成" in page and "下载" in page
    download = finance.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].endswith(f"{YEAR}年度政务信息化项目库台账")
    names = [r[2] for r in rows[3:]]
    assert "库内项目1" in names and '\'=HYPERLINK("http://x")' in names and "共2个项目" in names
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    # The BDC may export the ledger, but this job is finance's: not found, as a job that does not exist.
    bdc = _as(client, world.bdc)
    assert bdc.get(f"/exports/{job.pk}/").status_code == 404
    assert bdc.get(f"/exports/{job.pk}/download/").status_code == 404
    # On the audit log: asked for by finance, and what became of it.
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ExportJob), object_pk=str(job.pk)
    ).order_by("timestamp")
    assert entries.first().actor == world.finance
    assert any("ready" in str(e.changes) for e in entries)


@pytest.mark.django_db
def test_a_department_may_not_export_the_ledger(world, client):
    response = _as(client, world.dept).post(f"/exports/ledger/?year={YEAR}", {"year": YEAR})
    assert response.status_code == 403
    assert "仅供大数据中心、财政局和审计局查阅" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_bad_year_is_refused_before_any_job(world, client):
    response = _as(client, world.finance).post("/exports/ledger/", {"year": "二〇二七"})
    assert response.status_code == 400 and "年度" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_an_unknown_export_is_not_found(world, client):
    assert _as(client, world.finance).post("/exports/nonesuch/").status_code == 404


@pytest.mark.django_db
def test_a_broker_down_leaves_a_failed_job_that_says_so(
    world, client, django_capture_on_commit_callbacks, broker_down
):
    finance = _as(client, world.finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = finance.post("/exports/ledger/", {"year": YEAR})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and "任务队列暂时不可用" in job.error
    page = finance.get(response["Location"]).content.decode()
    assert "生成失败" in page and "请返回后重新导出" in page


def test_write_only_rows_are_streamed_with_their_formats(tmp_path):
    """The writer consumes the rows once, writes user text as text and keeps each column's format."""
    from datetime import date
    from decimal import Decimal

    from core.exports import Column

    content = ExportContent(
        file_name="x.xlsx",
        sheet_title="表",
        columns=(Column("名称", 20), Column("金额", 12, "#,##0.00"), Column("日期", 12, "yyyy-mm-dd")),
        rows=iter([("@SUM(A1)", Decimal("1.50"), date(2027, 1, 2)), ("普通", None, None)]),
        heading=("标题",),
        footer=lambda: [("合计", Decimal("1.50"))],
    )
    out = tmp_path / "x.xlsx"
    with out.open("wb") as handle:
        assert workbook_write(content, handle) == 2
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "标题" and sheet["A2"].value == "名称"
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["B3"].value == 1.5
    assert sheet["B3"].number_format == "#,##0.00" and sheet["C3"].number_format == "yyyy-mm-dd"
    # The formatted columns' cells are reused from row to row: a row's value never leaks into the next.
    assert (sheet["A4"].value, sheet["B4"].value, sheet["C4"].value) == ("普通", None, None)
    assert sheet["B4"].number_format == "#,##0.00" and sheet.print_options.gridLines
    assert sheet["A5"].value == "合计" and sheet["B5"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A3"
    assert "ledger" in EXPORTS
