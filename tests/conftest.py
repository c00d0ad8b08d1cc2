import io
import os
import socket
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


def closed_port() -> int:
    """A port on this machine that nothing listens on: a broker that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    """The broker the portal publishes to is a closed port (Celery reads CELERY_BROKER_URL first), and tasks
    are published for real, not run inline."""
    from config.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/11")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


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


class Workers:
    """Real `celery worker` processes (and `celery beat`), each in its own process, against the real Redis,
    reading the test database, on a queue of their own (so no other run's tasks reach them) and writing to
    this test's MEDIA_ROOT; the letters' PDF tasks are routed to it too (CELERY_PDF_QUEUE), in this process
    and in theirs. A test may kill one (`kill -9`) and start another on the same queue."""

    def __init__(self, settings, logs: Path):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.logs = logs
        self.processes: list[tuple[subprocess.Popen, Path]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_PDF_QUEUE": self.queue,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }

    def start(self, *, app: str = "config", pool: str = "solo", env: dict | None = None) -> subprocess.Popen:
        """A worker of `app` (a module with the Celery app, e.g. one whose rendering waits to be killed)."""
        return self._spawn(
            "worker",
            [
                "-A",
                app,
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "--loglevel=WARNING",
            ],
            env,
        )

    def beat(self, *, env: dict | None = None) -> subprocess.Popen:
        """`celery beat` with the project's schedule (a schedule file of its own, no pid file)."""
        schedule = self.logs / f"beat-schedule-{len(self.processes)}"
        return self._spawn(
            "beat",
            ["-A", "config", "beat", f"--schedule={schedule}", "--pidfile=", "--loglevel=WARNING"],
            env,
        )

    def _spawn(self, kind: str, arguments: list[str], env: dict | None) -> subprocess.Popen:
        log = self.logs / f"{kind}-{len(self.processes)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", *arguments],
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        self.processes.append((process, log))
        return process

    def stop(self) -> None:
        """Stop them, the last started first (beat before the workers), and drop what is left on the queue."""
        import redis

        for process, log in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.returncode not in (0, -15, -9):
                print(log.read_text())
        redis.Redis.from_url(self.env["CELERY_BROKER_URL"]).delete(self.queue)


@pytest.fixture
def workers(settings, tmp_path):
    """Start real workers with `workers.start()` (and beat with `workers.beat()`); all are stopped at the end."""
    from config.celery import app

    started = Workers(settings, tmp_path)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_PDF_QUEUE = started.queue
    try:
        yield started
    finally:
        app.conf.task_always_eager = eager
        started.stop()


@pytest.fixture
def worker(workers):
    """One real `celery worker` (see `Workers`); the name of its queue."""
    workers.start()
    return workers.queue


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
