from celery import shared_task


# Acknowledged when done, so a killed worker's package is built again; its time limit (CELERY_TASK_TIME_LIMIT)
# stays below the broker's visibility timeout, and the build is idempotent (archive.services.package_build).
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=200)
def package_build(*, package_id: int) -> str:
    """Build an archive package (archive.services.package_build); its status."""
    from .services import package_build as build

    return build(package_id=package_id)


@shared_task(ignore_result=True)
def packages_requeue() -> int:
    """The beat job `archive-packages-requeue`: the packages pending past their timeout queued again."""
    from .services import packages_requeue_due

    return packages_requeue_due()
