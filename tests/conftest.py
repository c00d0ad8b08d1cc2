import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.factories import World

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def postgresql_only():
    """For what only PostgreSQL can show (tampering as its superuser would, the application's role)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL test database (set DATABASE_URL)")


# The role the workers connect as, as the application does in production (docs/operations.md): it owns nothing
# and may only read and append the timeline. The test process itself stays the owner (it creates and empties
# the test database).
APP_ROLE = "portal_app"


def _database_url() -> str:
    """The test database as the application's role sees it; the role's grants are brought up to date first."""
    from django.core.management import call_command

    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs the PostgreSQL test database (set DATABASE_URL)")
    call_command("db_app_role", APP_ROLE, stdout=io.StringIO())
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{APP_ROLE}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(settings):
    """A real `celery worker` in its own process, against the real Redis, reading the test database, on a
    queue of its own (so no other run's tasks reach it) and writing to this test's MEDIA_ROOT; the letters'
    PDF tasks are routed to it too (CELERY_PDF_QUEUE)."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
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


@pytest.fixture
def browser_page():
    """A page of Debian's Chromium (no browser download), in Chinese and Shanghai time."""
    from tests.browser.support import CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("未安装 Chromium（/usr/bin/chromium）")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # While Playwright's event loop runs, Django's connection-per-context local hands the test body a
            # connection of its own; close it here, or the test database cannot be dropped at the end.
            connections.close_all()
