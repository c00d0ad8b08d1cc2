"""The letters' outbox (core.letters): a broker fault answers at once and leaves the letter registered and
queued; the sweep hands it over once the broker is back, and again if it is lost; renderings are
idempotent, transient database errors are retried, and a rendering that never finishes is given up.
Tasks run inline here; the real broker and worker faults are in test_worker_faults.py."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from core.errors import Conflict
from core.letters import MAX_ATTEMPTS, letter_publish, letters_requeue_due
from core.models import Letter, TimelineEntry
from core.publish import PUBLISH_TRANSPORT_OPTIONS
from core.tasks import letter_render
from projects.models import DocumentVersion
from reviews.issuing import review_letter_retry, review_opinion_issue, review_opinion_issued_message
from tests.concurrency import run_together

from .conftest import BACKEND, QUEUED, bdc_with_short_name, opinion_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """A broker that takes every rendering task and keeps it (no worker): the letter ids as sent."""
    sent: list[int] = []
    monkeypatch.setattr(
        letter_render, "apply_async", lambda kwargs, **options: sent.append(kwargs["letter_id"])
    )
    return sent


def _issue(world, opinion, capture) -> Letter:
    with capture(execute=True):
        letter = review_opinion_issue(opinion=opinion, by=world.bdc)
    letter.refresh_from_db()
    return letter


def _ago(letter: Letter, seconds: int) -> None:
    Letter.objects.filter(pk=letter.pk).update(queued_at=timezone.now() - timedelta(seconds=seconds))
    letter.refresh_from_db()


def test_a_broker_fault_answers_at_once_and_the_letter_waits_registered(
    world, opinion, broker_down, client, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2  # no connection retries, no publish retries

    assert letter.status == Letter.Status.PENDING and letter.number.endswith("〕1号")
    assert letter.queued_at is None and letter.attempts == 0
    assert letter.status_text == QUEUED and not letter.can_retry
    assert review_opinion_issued_message(letter).startswith(f"已编发文字号 {letter.number}，{QUEUED}")
    client.force_login(world.bdc, backend=BACKEND)
    page = client.get(f"/projects/{opinion.project_id}/").content.decode()
    assert QUEUED in page and "恢复后自动生成" in page
    assert "重新生成</button>" not in page
    listed = client.get(f"/api/v1/projects/{opinion.project_id}/letters/").json()
    assert listed[0]["status"] == "pending" and listed[0]["status_label"] == QUEUED
    assert listed[0]["queued_at"] is None

    started = time.monotonic()
    assert letters_requeue_due() == []  # the sweep, the broker still down: nothing taken, nothing raised
    assert time.monotonic() - started < 2


def test_publishing_gives_up_at_once(world, opinion, broker_down, django_capture_on_commit_callbacks):
    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    started = time.monotonic()
    assert letter_publish([letter.pk]) == []
    assert time.monotonic() - started < 2
    assert PUBLISH_TRANSPORT_OPTIONS["max_retries"] == 0


def test_the_sweep_hands_over_what_the_broker_never_took_and_again_what_it_lost(
    world, opinion, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(*args, **kwargs):
        raise ConnectionError("Redis 不可用")

    monkeypatch.setattr(letter_render, "apply_async", refused)
    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    assert letter.queued_at is None
    assert letters_requeue_due() == []

    sent = []  # the broker is back
    monkeypatch.setattr(letter_render, "apply_async", lambda kwargs, **o: sent.append(kwargs["letter_id"]))
    assert letters_requeue_due() == [letter.pk] and sent == [letter.pk]
    letter.refresh_from_db()
    assert letter.queued_at is not None and letter.status_text == "正在生成"
    assert letters_requeue_due() == []  # just handed over: left alone

    _ago(letter, Letter.STALE_AFTER_SECONDS - 10)
    assert letters_requeue_due() == [] and not letter.can_retry
    _ago(letter, Letter.STALE_AFTER_SECONDS + 1)  # taken, and no result since: lost on the way
    assert letter.is_stale and letter.can_retry
    assert letters_requeue_due() == [letter.pk] and sent == [letter.pk, letter.pk]
    letter.refresh_from_db()
    assert not letter.is_stale


def test_a_ready_letter_is_never_queued_again(world, opinion, broker, django_capture_on_commit_callbacks):
    from core.letters import letter_render_store

    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    assert broker == [letter.pk]
    assert letter_render_store(letter_id=letter.pk) == Letter.Status.READY
    _ago(letter, 3600)
    assert letters_requeue_due() == [] and broker == [letter.pk]


def test_retry_is_offered_after_the_short_timeout_and_starts_afresh(
    world, opinion, broker, django_capture_on_commit_callbacks
):
    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    _ago(letter, Letter.STALE_AFTER_SECONDS - 10)
    with pytest.raises(Conflict, match="无需重新生成"):
        review_letter_retry(letter=letter, by=world.bdc)
    _ago(letter, Letter.STALE_AFTER_SECONDS + 1)  # two minutes, no longer ten
    Letter.objects.filter(pk=letter.pk).update(attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        review_letter_retry(letter=letter, by=world.bdc)
    letter.refresh_from_db()
    assert broker == [letter.pk, letter.pk]
    assert letter.attempts == 0 and letter.queued_at is not None and not letter.is_stale
    assert letter.serial == 1 and Letter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_renderings_at_once_store_one_version(monkeypatch):
    """The same letter delivered twice and rendered by two workers at the same instant: one PDF version,
    one timeline entry; the second finds it stored under the lock."""
    import core.letters
    from core.letters import letter_render_store
    from tests.factories import World

    monkeypatch.setattr(core.letters, "letter_queue", lambda letter: None)  # the two deliveries are below
    world = World()
    bdc_with_short_name(world)
    letter = review_opinion_issue(opinion=opinion_for(world), by=world.bdc)

    results = run_together(2, lambda i: letter_render_store(letter_id=letter.pk))

    assert results == [("ok", Letter.Status.READY)] * 2
    letter.refresh_from_db()
    versions = DocumentVersion.objects.filter(document__project=letter.project_id, document__kind=letter.kind)
    assert list(versions.values_list("pk", flat=True)) == [letter.document_id]
    assert (
        TimelineEntry.objects.filter(project=letter.project_id, action="reviews.opinion.issue").count() == 1
    )
    assert letter_render_store(letter_id=letter.pk) == Letter.Status.READY  # a third delivery: nothing to do
    assert versions.count() == 1


def test_a_letter_numbered_before_archiving_still_gets_its_pdf(monkeypatch):
    """The broker took the letter late (or lost it) and the project reached 已归档 meanwhile: the rendering
    completes a document issued before, so the read-only archive does not stop it."""
    import core.letters
    from core.letters import letter_render_store
    from projects.enums import ProjectState
    from projects.models import Project
    from tests.factories import World

    monkeypatch.setattr(core.letters, "letter_queue", lambda letter: None)  # delivered only below
    world = World()
    bdc_with_short_name(world)
    letter = review_opinion_issue(opinion=opinion_for(world), by=world.bdc)
    # Only the state, as the walk to 已归档 would leave it: the point is what the rendering meets.
    Project.objects.filter(pk=letter.project_id).update(state=ProjectState.ARCHIVED)

    assert letter_render_store(letter_id=letter.pk) == Letter.Status.READY
    letter.refresh_from_db()
    assert letter.document_id is not None
    assert TimelineEntry.objects.filter(project=letter.project_id, action="reviews.opinion.issue").exists()


def test_a_transient_database_error_is_retried_not_shown(
    world, opinion, broker, monkeypatch, django_capture_on_commit_callbacks
):
    import core.letters

    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    real, calls = core.letters.letter_pdf, []

    def flaky(letter):
        calls.append(letter.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(letter)

    monkeypatch.setattr(core.letters, "letter_pdf", flaky)
    letter_render.apply(kwargs={"letter_id": letter.pk}, throw=False)  # the retry runs inline here

    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.error == ""
    assert calls == [letter.pk, letter.pk] and letter.attempts == 2
    assert not TimelineEntry.objects.filter(project=opinion.project, action="core.letter.fail").exists()


def test_a_renderer_error_is_the_letters_visible_failure_at_once(
    world, opinion, broker, monkeypatch, django_capture_on_commit_callbacks
):
    import core.letters

    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    monkeypatch.setattr(
        core.letters, "letter_pdf", lambda letter: (_ for _ in ()).throw(ValueError("坏模板"))
    )
    letter_render.apply(kwargs={"letter_id": letter.pk})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED and "坏模板" in letter.error and letter.attempts == 1
    assert letter.status_text == "生成失败"


def test_a_rendering_that_never_finishes_is_given_up(
    world, opinion, broker, django_capture_on_commit_callbacks
):
    """A letter whose rendering kills its worker every time comes back (reject_on_worker_lost, the sweep):
    after MAX_ATTEMPTS beginnings it is failed, visibly, instead of looping; 重新生成 starts afresh."""
    letter = _issue(world, opinion, django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=letter.pk).update(attempts=MAX_ATTEMPTS)
    letter_render.apply(kwargs={"letter_id": letter.pk})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert f"已尝试 {MAX_ATTEMPTS} 次" in letter.error and letter.document_id is None
    assert TimelineEntry.objects.filter(project=opinion.project, action="core.letter.fail").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        review_letter_retry(letter=letter, by=world.bdc)
    letter_render.apply(kwargs={"letter_id": letter.pk})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.attempts == 1


def test_the_outbox_settings_hold_together():
    """The sweep is scheduled every minute; every task's hard limit stays below Redis's visibility timeout
    (or a running task would be handed out twice), and a rendering under way is never taken for lost."""
    from config.celery import app
    from core.tasks import letters_requeue

    entry = settings.CELERY_BEAT_SCHEDULE["letters-requeue"]
    assert entry["task"] == letters_requeue.name == "core.tasks.letters_requeue"
    assert entry["schedule"] == 60
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert letter_render.soft_time_limit < letter_render.time_limit < Letter.STALE_AFTER_SECONDS
    assert letter_render.time_limit < app.conf.task_time_limit < visibility <= 600
    assert letter_render.acks_late and letter_render.reject_on_worker_lost and letter_render.ignore_result
