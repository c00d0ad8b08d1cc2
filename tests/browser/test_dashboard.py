"""Issue 15 §5's browser step, in Debian's Chromium on the demo data (seed_demo --with-projects): the 领导 logs in,
its home page is the dashboard, every chart is drawn (a canvas with pixels on it) under the site's CSP, the
filters work, and an export downloads. Screenshots: test-artifacts/browser/dashboard-*.png."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core.models import User
from projects.actions import project_action
from projects.enums import ProjectState
from projects.models import Project

from .support import login, shot

CHARTS = ("stages", "years", "money_years", "oversight", "durations")

# How many pixels of a canvas are painted (alpha > 0): 0 for a canvas nothing was drawn on.
PAINTED = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { n += 1; } }
  return n;
}"""


@pytest.mark.browser
def test_a_leader_opens_the_dashboard_and_the_charts_are_drawn(transactional_db, live_server, browser_page):
    call_command("seed_demo", "--with-projects", stdout=io.StringIO())
    # A 督办单 on the sample under construction, opened by the centre as on its page.
    building = Project.objects.get(state=ProjectState.CONSTRUCTION)
    project_action(
        project_id=building.pk,
        name="escalate",
        by=User.objects.get(username="bdc"),
        data={
            "reason": "进度滞后。",
            "items": "报送整改计划",
            "owner": building.organisation.name,
            "workdays": 5,
        },
    )
    page, url = browser_page, live_server.url
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)))

    login(page, url, "leader")  # the 领导's home page is the dashboard
    shot(page, "dashboard-0-first-paint")
    assert page.locator("h1").inner_text() == "数据看板"
    response = page.request.get(f"{url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#chart-durations[data-drawn]")
    for key in CHARTS:
        canvas = page.locator(f"#chart-{key}")
        assert canvas.get_attribute("data-drawn"), key
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 150, key
        assert canvas.evaluate(PAINTED) > 500, key  # bars, axes and labels, not an empty canvas
        assert page.locator(f"#table-{key} table tbody tr").count() >= 1, key
    assert refused == []
    shot(page, "dashboard-1-leader-home")

    # Filter by a year: the tables follow, the charts are drawn again.
    year = page.locator("#dashboard-year option").nth(1).get_attribute("value")
    page.select_option("#dashboard-year", year)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(f"{url}/dashboard/?year={year}*")
    page.wait_for_selector("#chart-stages[data-drawn]")
    assert f"{year}年度" in page.locator(".page-head p").inner_text()
    shot(page, "dashboard-2-filtered-by-year")

    # The export of the money table: the same rows as the page's table.
    with page.expect_download() as info:
        page.click("#table-money_years a:has-text('导出 Excel')")
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[2][0] == "计划年度" and cells[2][2] == "申报金额（万元）"
    first_row = page.locator("#table-money_years tbody tr").first.locator("td").all_inner_texts()
    assert cells[3][0] == first_row[0] and f"{cells[3][2]:.2f}" == first_row[2]
    assert refused == []
