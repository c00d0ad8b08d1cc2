"""A real Celery worker, in its own process, against the real Redis, reading the test database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from core.tasks import timeline_verify_project

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs the PostgreSQL test database (set DATABASE_URL)")
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker():
    """Starts `celery worker` on a queue of its own, so no other run's tasks reach it."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if process.returncode not in (0, -15):
            print(output)


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

    assert result.get(timeout=90) == [f"第{submitted.seq}条内容与其哈希不符（已被改动）"]
