"""In a real browser: the BDC presses 出具评审意见（生成PDF）, the page says 正在生成…, and updates itself
(static/js/letters.js polling the status endpoint) once the PDF is stored."""

from pathlib import Path

import pytest
from django.utils import timezone

from core.letters import letter_render_store
from core.models import Letter
from tests.browser.support import shot
from tests.factories import PASSWORD, World

from .conftest import bdc_with_short_name, opinion_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "letters"


@pytest.mark.browser
def test_the_page_updates_itself_when_the_pdf_is_ready(
    transactional_db, live_server, browser_page, monkeypatch
):
    import core.letters

    queued = []

    def taken(letter_ids):  # the broker takes the task; no worker here
        queued.extend(letter_ids)
        Letter.objects.filter(pk__in=letter_ids).update(queued_at=timezone.now())
        return letter_ids

    monkeypatch.setattr(core.letters, "letter_publish", taken)
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
    shot(page, "01-pending", ARTIFACTS)
    assert queued and Letter.objects.get().status == "pending"

    letter_render_store(letter_id=queued[0])  # what the worker does

    page.wait_for_selector("a:has-text('下载PDF')")  # the page reloaded itself after polling
    assert page.locator("text=正在生成…").count() == 0
    letter = Letter.objects.get()
    assert letter.number in page.content()
    shot(page, "02-ready", ARTIFACTS)
