"""Issue 12 §4 in Debian's Chromium: finance asks for the 台账 on the plan page, lands on the job's page, sees it
ready and downloads it; a job still being built shows its progress bar and refreshes itself. Screenshots:
test-artifacts/browser/export-*.png."""

import pytest
from openpyxl import load_workbook

from core.models import ExportJob
from projects.enums import ProjectState
from tests.factories import PASSWORD, World

from .support import shot


@pytest.mark.browser
def test_finance_exports_the_ledger_in_the_browser(transactional_db, live_server, browser_page, tmp_path):
    world = World()
    for i in range(2):
        world.project_in_state(ProjectState.APPROVED, name=f"库内项目{i}")
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.finance.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/plan/?year=2027")
    shot(page, "export-plan")
    page.click("#ledger-export")  # the task runs inline here (eager): the job is ready when the page opens
    job = ExportJob.objects.get()
    page.wait_for_url(f"{live_server.url}/exports/{job.pk}/")
    assert page.get_attribute("#export-job", "data-status") == "ready"
    shot(page, "export-ready")
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename.endswith("年度政务信息化项目库台账.xlsx")
    saved = tmp_path / "ledger.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet["A1"].value.endswith("2027年度政务信息化项目库台账")

    # A job being built: its progress, and the page asking again by itself.
    running = ExportJob.objects.create(
        name="ledger",
        title=job.title,
        params=job.params,
        requested_by=world.finance,
        status=ExportJob.Status.RUNNING,
        rows_done=4000,
        rows_total=10000,
    )
    response = page.goto(f"{live_server.url}/exports/{running.pk}/")
    assert response.headers.get("refresh") == "2"
    assert page.get_attribute("#export-progress", "value") == "40"
    assert "已写入 4000 / 10000 行" in page.inner_text("#export-job")
    shot(page, "export-running")
