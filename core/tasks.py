from celery import shared_task

from .models import TimelineEntry
from .timeline import timeline_verify


@shared_task
def timeline_verify_project(*, project_id: int) -> list[str]:
    """Verify one project's timeline chain; returns the problems found (none when intact)."""
    return timeline_verify(project_id=project_id)


@shared_task
def timeline_verify_all() -> dict[str, list[str]]:
    """The daily integrity check of every project's timeline; logs and returns the broken ones."""
    import logging

    log = logging.getLogger(__name__)
    broken = {}
    for project_id in TimelineEntry.objects.values_list("project_id", flat=True).distinct():
        problems = timeline_verify(project_id=project_id)
        if problems:
            broken[str(project_id)] = problems
            log.error("项目 %s 时间线校验失败：%s", project_id, "；".join(problems))
    return broken


@shared_task(acks_late=True)
def letter_render(*, letter_id: int) -> str:
    """Render an issued letter to PDF and store it as a new document version; returns the letter's status."""
    from .letters import letter_render_store

    return letter_render_store(letter_id=letter_id)
