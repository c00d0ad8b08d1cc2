"""Letters: a BDC with its 机关代字, a project under review with its consolidated opinion, a real worker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from projects.enums import ProjectState
from reviews.services import opinion_record

ROOT = Path(__file__).resolve().parents[2]
SHORT_NAME = "文大数据"


def bdc_with_short_name(world):
    world.bdc_org.short_name = SHORT_NAME
    world.bdc_org.save(update_fields=["short_name"])
    world.bdc.organisation.refresh_from_db()
    return world.bdc_org


def opinion_for(
    world,
    conclusion="pass",
    summary="项目建设必要，方案可行，投资估算基本合理。\n建议加强数据共享。",
    **overrides,
):
    project = world.project_in_state(ProjectState.REVIEWING, **overrides)
    return opinion_record(project=project, by=world.bdc, conclusion=conclusion, summary=summary)


@pytest.fixture
def issuer(world):
    return bdc_with_short_name(world)


@pytest.fixture
def opinion(world, issuer):
    return opinion_for(world)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs the PostgreSQL test database (set DATABASE_URL)")
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(settings):
    """A real `celery worker` in its own process on a queue of its own, writing to this test's MEDIA_ROOT;
    the letters' PDF tasks are routed to it (CELERY_PDF_QUEUE)."""
    from config.celery import app

    queue = f"test-letters-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
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
    settings.CELERY_PDF_QUEUE = queue
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


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(path) -> tuple[list[dict], str]:
    """pdffonts' table as dicts (name, type, emb, uni) and its stderr (where missing glyphs would be warned)."""
    done = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = []
    for line in done.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3], "line": line})
    return rows, done.stderr
