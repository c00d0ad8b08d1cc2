"""In a real browser: the BDC presses 出具评审意见（生成PDF）, the page says 正在生成…, and updates itself
(static/js/letters.js polling the status endpoint) once the PDF is stored."""

import os
from pathlib import Path

import pytest
from django.db import connections

from core.letters import letter_render_store
from core.models import Letter
from tests.factories import PASSWORD, World

from .conftest import bdc_with_short_name, opinion_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "letters"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("未安装 Chromium（/usr/bin/chromium）")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            connections.close_all()


@pytest.mark.browser
def test_the_page_updates_itself_when_the_pdf_is_ready(
    transactional_db, live_server, browser_page, monkeypatch
):
    import core.letters

    queued = []
    monkeypatch.setattr(
        core.letters, "letter_queue", lambda letter: queued.append(letter.pk)
    )  # no worker here
    world = World()
    bdc_with_short_name(world)
    opinion = opinion_for(world)
    page, url = browser_page, live_server.url

    page.goto(f"{url}/login/")
    page.fill("#id_username", world.bdc.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/projects/{opinion.project_id}/")
    page.click("text=出具评审意见（生成PDF）")
    page.wait_for_selector("text=正在生成…")
    page.screenshot(path=str(ARTIFACTS / "01-pending.png"), full_page=True)
    assert queued and Letter.objects.get().status == "pending"

    letter_render_store(letter_id=queued[0])  # what the worker does

    page.wait_for_selector("a:has-text('下载PDF')")  # the page reloaded itself after polling
    assert page.locator("text=正在生成…").count() == 0
    letter = Letter.objects.get()
    assert letter.number in page.content()
    page.screenshot(path=str(ARTIFACTS / "02-ready.png"), full_page=True)
