from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task
def deadlines_check_daily(*, today: str | None = None) -> dict[str, int]:
    """The daily 预警 job (celery beat): new warnings recorded once, expired approvals cancelled."""
    from .warnings import deadlines_check

    return deadlines_check(today=date.fromisoformat(today) if today else timezone.localdate())
