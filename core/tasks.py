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
def timeline_anchor_daily() -> str:
    """The daily anchor: verify, then fix every project's head in a numbered, sealed anchor; its number."""
    return timeline_anchor_issue().number


@shared_task(acks_late=True)
def letter_render(*, letter_id: int) -> str:
    """Render an issued letter to PDF and store it as a new document version; returns the letter's status."""
    from .letters import letter_render_store

    return letter_render_store(letter_id=letter_id)
