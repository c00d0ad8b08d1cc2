"""Handing tasks to the broker without ever holding the caller (a request, a sweep).

A connection of its own (not the pool's), refused at once rather than retried (kombu retries a connection for
seconds by default, then Celery retries the publish), short socket timeouts for a broker that does not answer;
a broker fault is logged and reported, never raised. What was not taken stays where the caller recorded it
(an issued letter, an archive package) for a sweep to queue again. `CELERY_PDF_QUEUE` routes the PDF work
(letters, archive packages) to workers of its own when a deployment wants that."""

import logging

from django.conf import settings

log = logging.getLogger(__name__)

PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2}


def pdf_queue_options() -> dict:
    queue = getattr(settings, "CELERY_PDF_QUEUE", None)
    return {"queue": queue} if queue else {}


def tasks_publish(task, kwargs_list: list[dict], **options) -> int:
    """Send `task` once for each kwargs, in order; how many the broker took (those after a fault were not)."""
    taken = 0
    try:
        with task.app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
            for kwargs in kwargs_list:
                task.apply_async(kwargs=kwargs, connection=connection, retry=False, **options)
                taken += 1
    except Exception as exc:  # whatever the broker answered, the caller's record stays for the sweep
        log.warning(
            "任务 %s 未能送入队列（%s: %s），%d 件留待重新排队",
            task.name,
            type(exc).__name__,
            exc,
            len(kwargs_list) - taken,
        )
    return taken
