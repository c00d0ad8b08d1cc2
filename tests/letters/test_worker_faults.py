"""The 评审意见's PDF through a broker outage and a killed worker, with real workers (and beat) in processes of
their own against the real Redis: each time the letter completes with no one pressing anything, under one
发文字号, as one PDF version, read back."""

import io
import os
import re
import signal
import time

import pytest
from pypdf import PdfReader

from core.letters import letters_requeue_due
from core.models import Letter, TimelineEntry
from projects.models import DocumentVersion
from reviews.issuing import review_opinion_issue
from tests.conftest import closed_port

from .conftest import BACKEND, QUEUED, bdc_with_short_name, opinion_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout}s")


def _done(letter: Letter, timeout: float) -> Letter:
    def finished():
        letter.refresh_from_db()
        return letter.status != Letter.Status.PENDING

    _until(finished, timeout, f"{letter.number} rendered")
    return letter


def _one_number_one_pdf(letter: Letter) -> str:
    """The project holds this one letter under its one number, one PDF version of its kind and one timeline
    entry of the issue; the PDF's text, read back."""
    assert letter.status == Letter.Status.READY, letter.error
    assert list(Letter.objects.filter(project=letter.project_id).values_list("number", flat=True)) == [
        letter.number
    ]
    assert letter.serial == 1
    versions = DocumentVersion.objects.filter(document__project=letter.project_id, document__kind=letter.kind)
    assert list(versions.values_list("pk", flat=True)) == [letter.document_id]
    assert (
        TimelineEntry.objects.filter(project=letter.project_id, action="reviews.opinion.issue").count() == 1
    )
    with letter.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert letter.number in text and letter.project.name in text
    return text


def test_a_letter_issued_while_the_broker_is_down_is_made_once_it_is_back(
    world, workers, client, monkeypatch
):
    bdc_with_short_name(world)
    opinion = opinion_for(world)
    workers.start()  # the worker is up; the broker the portal publishes to is not
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/11")  # read before settings
    client.force_login(world.bdc, backend=BACKEND)
    assert "出具评审意见（生成PDF）" in client.get(f"/projects/{opinion.project_id}/").content.decode()

    started = time.monotonic()  # the BDC presses the button
    response = client.post(f"/projects/{opinion.project_id}/review/opinions/{opinion.pk}/issue/")
    took = time.monotonic() - started

    assert response.status_code == 302
    assert took < 2, f"the issue took {took:.2f}s with the broker down"
    letter = Letter.objects.get(project=opinion.project_id)
    assert letter.status == Letter.Status.PENDING and letter.queued_at is None
    page = client.get(response["Location"]).content.decode()
    assert f"已编发文字号 {letter.number}，{QUEUED}" in page  # the message
    assert f'data-status="pending">\n          <span class="tag tag-orange">{QUEUED}</span>' in page
    status = client.get(f"/projects/{opinion.project_id}/letters/{letter.pk}/status/").json()
    assert status["status"] == "pending" and status["status_label"] == QUEUED
    assert letters_requeue_due() == []  # a sweep while it is still down takes nothing, and returns
    time.sleep(1)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING and letter.attempts == 0  # nothing reached the worker

    monkeypatch.undo()  # the broker is back; beat's sweep (every second here) hands the letter over
    workers.beat(env={"CELERY_PDF_REQUEUE_EVERY": "1"})
    back = time.monotonic()
    letter = _done(letter, timeout=60)
    print(f"issue with the broker down: {took:.2f}s; ready {time.monotonic() - back:.1f}s after it came back")

    _one_number_one_pdf(letter)
    assert letter.attempts == 1  # queued once by the sweep, rendered once
    assert letter.queued_at is not None


def test_a_worker_killed_mid_render_is_replaced_and_the_letter_completes(world, workers, tmp_path):
    """`kill -9` of the whole worker mid-render: its message stays in Redis's `unacked` until the visibility
    timeout (5 s here, 300 s in production), then a new worker gets it."""
    marker = tmp_path / "render-begun"
    fast = {"CELERY_VISIBILITY_TIMEOUT": "5", "SLOW_RENDER_MARKER": str(marker)}
    first = workers.start(app="tests.letters.slow_worker", env=fast)
    bdc_with_short_name(world)
    letter = review_opinion_issue(opinion=opinion_for(world), by=world.bdc)  # committed: handed to the broker
    letter.refresh_from_db()
    assert letter.queued_at is not None

    _until(marker.exists, 60, "the rendering begun")
    assert int(marker.read_text()) == first.pid
    first.kill()  # SIGKILL, mid-render
    first.wait()
    killed = time.monotonic()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING and letter.attempts == 1

    workers.start(env=fast)
    letter = _done(letter, timeout=90)
    print(f"worker killed mid-render: ready {time.monotonic() - killed:.1f}s later, with a new worker")

    _one_number_one_pdf(letter)
    assert letter.attempts == 2


def test_a_pool_process_killed_mid_render_gives_its_message_back_at_once(world, workers, tmp_path):
    """`kill -9` of the prefork pool's process mid-render, under a worker that lives on: reject_on_worker_lost
    puts the message back at once and the worker's next pool process renders it."""
    marker = tmp_path / "render-begun"
    parent = workers.start(
        app="tests.letters.slow_worker", pool="prefork", env={"SLOW_RENDER_MARKER": str(marker)}
    )
    bdc_with_short_name(world)
    letter = review_opinion_issue(opinion=opinion_for(world), by=world.bdc)

    child = int(_until(lambda: marker.exists() and marker.read_text(), 60, "the rendering begun"))
    assert child != parent.pid
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    letter = _done(letter, timeout=60)
    print(f"pool process killed mid-render: ready {time.monotonic() - killed:.1f}s later")

    assert parent.poll() is None  # the same worker, a new pool process
    _one_number_one_pdf(letter)
    assert letter.attempts == 2
