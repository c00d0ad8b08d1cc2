from celery import shared_task

from .verification import timeline_anchor_issue, timeline_check_record, timeline_verify


@shared_task
def timeline_verify_project(*, project_id: int) -> list[str]:
    """Verify one project's record; returns the problems found (none when intact)."""
    return timeline_verify(project_id=project_id)


# The whole-record jobs run longer than the broker's visibility timeout allows an unacknowledged task: they are
# acknowledged on receipt (a worker lost mid-run leaves it to the next night or the next request), with a time
# limit of their own.
@shared_task(acks_late=False, time_limit=3600, soft_time_limit=3500)
def timeline_verify_all(*, requested_by: int | None = None) -> int:
    """Verify every project's record and keep the result (a TimelineCheck, shown to the auditor); its id."""
    from .models import User

    by = User.objects.filter(pk=requested_by).first() if requested_by else None
    return timeline_check_record(by=by).pk


@shared_task(acks_late=False, time_limit=3600, soft_time_limit=3500)
def timeline_anchor_daily(*, full: bool = True) -> str:
    """The daily anchor: verify (in full, or from the last anchor on: `full=False`), then fix every project's
    head in a numbered, sealed anchor; its number."""
    return timeline_anchor_issue(full=full).number


@shared_task(
    bind=True,
    # Acknowledged once done: a worker killed mid-render leaves the message to Redis, which hands it to another
    # worker after the visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS); a pool process killed under a
    # living worker gives it back at once.
    acks_late=True,
    reject_on_worker_lost=True,
    # The letter row is the result; nothing waits on the result backend (and publishing need not reach it).
    ignore_result=True,
    # WeasyPrint takes seconds. The soft limit becomes the letter's 生成失败; the hard one (the process
    # killed) leaves it to the sweep. Both stay below Letter.STALE_AFTER_SECONDS and the visibility timeout.
    soft_time_limit=60,
    time_limit=90,
    max_retries=5,
)
def letter_render(self, *, letter_id: int) -> str:
    """Render an issued letter to PDF and store it as a new document version; returns the letter's status.

    Delivered twice, or rendered by two workers at once, it stores one version (`letter_render_store`)."""
    from celery.utils.time import get_exponential_backoff_interval

    from .letters import TRANSIENT_ERRORS, letter_render_store

    try:
        return letter_render_store(letter_id=letter_id)
    except TRANSIENT_ERRORS as exc:
        # The database restarting, a deadlock: again within 2, 4, 8 … seconds (jittered, at most a minute), the
        # letter pending meanwhile; past the last retry the sweep queues it again.
        countdown = get_exponential_backoff_interval(
            factor=2, retries=self.request.retries, maximum=60, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(ignore_result=True)
def letters_requeue() -> int:
    """The beat job `letters-requeue` (every minute): hand the broker every pending letter it never took, or
    took too long ago without result; how many it took (`core.letters.letters_requeue_due`)."""
    from .letters import letters_requeue_due

    return len(letters_requeue_due())


@shared_task(ignore_result=True, acks_late=True)
def export_build(*, job_id: int) -> str:
    """Build a queued export (core.exports): the workbook streamed to storage, its progress on the job."""
    from .exports import export_job_build

    return export_job_build(job_id=job_id)
