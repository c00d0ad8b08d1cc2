"""More than one machine (docs/operations.md): two web processes (gunicorn, production settings, each on its
own port) and two Celery workers against one PostgreSQL database, one Redis and one S3-compatible store
(moto_server, run here as a real server over HTTP). Nothing the portal needs stays on a node: a login on one
node is valid on the other (sessions in Redis, written through to the database), a document uploaded through
one is served by the other, and a letter queued on one is rendered by a worker and downloaded from the other.
The nodes' own MEDIA_ROOT stays empty: every byte went to the store."""

import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from core.models import Letter
from projects.enums import DocumentKind
from tests.conftest import ROOT, _database_url, closed_port
from tests.factories import PASSWORD
from tests.letters.conftest import bdc_with_short_name, opinion_for, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent


def _wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url}: the process ended ({process.returncode}):\n{log.read_text()}")
        try:
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s:\n{log.read_text()}")


class Processes:
    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def spawn(self, name: str, command: list[str], env: dict) -> tuple[subprocess.Popen, Path]:
        log = self.logs / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.started.append((process, log))
        return process, log

    def stop(self) -> None:
        for process, _ in reversed(self.started):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def store(settings, tmp_path):
    """A real S3-compatible server on a free port with a fresh bucket; this process stores through it too."""
    if shutil.which("moto_server", path=str(BIN)) is None:
        pytest.skip("moto[server] is not installed (requirements-dev.txt)")
    import boto3

    processes = Processes(tmp_path)
    port = closed_port()
    process, log = processes.spawn(
        "moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], {**os.environ}
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/", process, log)
        env = {
            "STORAGE_BUCKET": f"portal-{uuid.uuid4().hex[:8]}",
            "STORAGE_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "STORAGE_ACCESS_KEY_ID": "test-access-key",
            "STORAGE_SECRET_ACCESS_KEY": "test-secret-key",
            "STORAGE_REGION": "us-east-1",
            "STORAGE_ADDRESSING_STYLE": "path",
        }
        client = boto3.client(
            "s3",
            endpoint_url=env["STORAGE_ENDPOINT_URL"],
            aws_access_key_id=env["STORAGE_ACCESS_KEY_ID"],
            aws_secret_access_key=env["STORAGE_SECRET_ACCESS_KEY"],
            region_name=env["STORAGE_REGION"],
        )
        client.create_bucket(Bucket=env["STORAGE_BUCKET"])
        # The same STORAGES the settings build from these variables (config/settings/base.py).
        options = {
            "bucket_name": env["STORAGE_BUCKET"],
            "endpoint_url": env["STORAGE_ENDPOINT_URL"],
            "access_key": env["STORAGE_ACCESS_KEY_ID"],
            "secret_key": env["STORAGE_SECRET_ACCESS_KEY"],
            "region_name": env["STORAGE_REGION"],
            "addressing_style": "path",
            "default_acl": None,
            "file_overwrite": False,
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }
        yield env, client
    finally:
        processes.stop()


def _keys(client, bucket: str) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


HTTPS = {"X-Forwarded-Proto": "https"}  # as the reverse proxy says; production settings redirect plain HTTP


def _token(base: str, user) -> dict:
    response = requests.post(
        f"{base}/api/v1/auth/token/",
        json={"username": user.username, "password": PASSWORD},
        headers=HTTPS,
        timeout=20,
    )
    assert response.status_code == 200, response.text
    return {**HTTPS, "Authorization": f"Token {response.json()['token']}"}


def _session_login(base: str, user) -> str:
    """Log in through the login page; the session cookie (Secure, so sent by hand over this plain HTTP)."""
    page = requests.get(f"{base}/login/", headers=HTTPS, timeout=20)
    csrf = page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = requests.post(
        f"{base}/login/",
        data={"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={**HTTPS, "Origin": base.replace("http://", "https://"), "Cookie": f"csrftoken={csrf}"},
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code == 302, response.text[:2000]
    return response.cookies["sessionid"]


def test_two_web_nodes_and_two_workers_share_database_redis_and_store(
    world, store, workers, settings, tmp_path
):
    env_store, s3 = store
    bucket = env_store["STORAGE_BUCKET"]
    bdc_with_short_name(world)
    opinion = opinion_for(world)  # a project under review with its consolidated opinion, ready to issue
    draft = world.project()
    assert _keys(s3, bucket), "the fixtures' own uploads went to the store"
    # The nodes run the production settings, whose hashers do not read the test suite's fast MD5 hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (world.dept, world.bdc):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    node_media = tmp_path / "node-media"  # where a node would write if anything still used the file system
    node_media.mkdir()
    shared = {
        **env_store,
        "MEDIA_ROOT": str(node_media),
        "CELERY_PDF_QUEUE": workers.queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TIMELINE_KEYS": settings.TIMELINE_KEYS,
    }
    workers.start(env=shared)
    workers.start(env=shared)

    processes = Processes(tmp_path)
    nodes = []
    node_env = {
        **os.environ,
        **shared,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CACHE_URL": settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/8",
        "CACHE_KEY_PREFIX": f"multinode-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY": "multinode-test-only-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "0",
    }
    try:
        for name in ("a", "b"):
            port = closed_port()
            command = [
                str(BIN / "python"), "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}",
                "--workers=1", "--timeout=60",
            ]  # fmt: skip
            process, log = processes.spawn(f"web-{name}", command, node_env)
            nodes.append((f"http://127.0.0.1:{port}", process, log))
        for base, process, log in nodes:
            _wait_http(f"{base}/login/", process, log)
        a, b = nodes[0][0], nodes[1][0]

        # A login on A is a login on B (the session is in Redis and the database, not in a node).
        session = _session_login(a, world.dept)
        page = requests.get(
            f"{b}/projects/{draft.pk}/", headers={**HTTPS, "Cookie": f"sessionid={session}"}, timeout=20
        )
        assert page.status_code == 200 and draft.name in page.text, page.status_code

        # A document uploaded through A is served by B, over the API and on the page.
        body = (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\nmultinode "
            + uuid.uuid4().bytes
        )
        dept = _token(a, world.dept)
        uploaded = requests.post(
            f"{a}/api/v1/projects/{draft.pk}/documents/",
            data={"kind": DocumentKind.PROPOSAL},
            files={"file": ("建议书（两节点）.pdf", io.BytesIO(body), "application/pdf")},
            headers=dept,
            timeout=30,
        )
        assert uploaded.status_code == 201, uploaded.text
        version = uploaded.json()
        assert f"documents/{draft.pk}/{version['sha256']}" in _keys(s3, bucket)
        served = requests.get(
            f"{b}/api/v1/projects/{draft.pk}/documents/versions/{version['id']}/download/",
            headers=_token(b, world.dept),
            timeout=30,
        )
        assert served.status_code == 200, served.text
        assert served.content == body
        on_page = requests.get(
            f"{b}/projects/{draft.pk}/documents/{version['id']}/download/",
            headers={**HTTPS, "Cookie": f"sessionid={session}"},
            timeout=30,
        )
        assert on_page.status_code == 200 and on_page.content == body

        # A letter queued on A is rendered by one of the workers and downloaded from B.
        issued = requests.post(
            f"{a}/api/v1/projects/{opinion.project_id}/actions/issue_opinion/",
            json={},
            headers=_token(a, world.bdc),
            timeout=30,
        )
        assert issued.status_code == 201, issued.text
        # Answered before any PDF exists: A only queued it (WeasyPrint takes far longer than the answer).
        assert issued.json()["status"] == Letter.Status.PENDING, issued.json()
        letter = Letter.objects.get(pk=issued.json()["id"])
        assert letter.queued_at is not None  # taken by Redis, for whichever worker is free
        deadline = time.monotonic() + 90
        while letter.status == Letter.Status.PENDING and time.monotonic() < deadline:
            time.sleep(0.5)
            letter.refresh_from_db()
        assert letter.status == Letter.Status.READY, letter.error or "not rendered within 90 s"
        pdf_version = letter.document  # the DocumentVersion the PDF was stored as
        assert pdf_version.file.name in _keys(s3, bucket)
        pdf = requests.get(
            f"{b}/api/v1/projects/{opinion.project_id}/documents/versions/{pdf_version.pk}/download/",
            headers=_token(b, world.bdc),
            timeout=30,
        )
        assert pdf.status_code == 200, pdf.text
        assert pdf.content.startswith(b"%PDF")
        path = tmp_path / "letter.pdf"
        path.write_bytes(pdf.content)
        assert letter.number in re.sub(r"\s+", "", pdf_text(path))

        # A node keeps nothing: no file was written on the nodes' or the workers' file system.
        assert not any(node_media.rglob("*")), list(node_media.rglob("*"))
    finally:
        processes.stop()
        for _, _, log in nodes:
            text = log.read_text()
            if "Traceback" in text:
                print(text)
