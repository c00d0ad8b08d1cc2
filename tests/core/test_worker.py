"""A real Celery worker, in its own process, against the real Redis, reading the test database."""

import pytest
from django.db import connection

from core.tasks import timeline_verify_project

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_verifies_a_projects_timeline(world, worker):
    project = world.project_in_state("declared")
    entries = project.timeline.count()
    assert entries >= 4  # created, documents, submitted

    result = timeline_verify_project.apply_async(kwargs={"project_id": project.pk}, queue=worker)

    # The worker in the other process read the committed rows and recomputed the whole hash chain.
    assert result.get(timeout=90) == []
    assert result.state == "SUCCESS"


def test_a_real_worker_finds_a_row_changed_behind_the_applications_back(world, worker):
    """Someone with database superuser rights bypasses the append-only trigger and edits a comment:
    the worker's recomputation of the chain names the entry."""
    project = world.project_in_state("declared")
    submitted = project.timeline.get(action="projects.project.submit")
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers off for this session only
        cursor.execute("UPDATE core_timelineentry SET comment = %s WHERE id = %s", ["事后篡改", submitted.pk])
        cursor.execute("SET session_replication_role = DEFAULT")

    result = timeline_verify_project.apply_async(kwargs={"project_id": project.pk}, queue=worker)

    assert result.get(timeout=90) == [f"第{submitted.seq}条内容与其封存值不符（已被改动或被重新计算）"]
