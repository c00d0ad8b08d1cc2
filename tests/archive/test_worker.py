"""A real Celery worker (its own process, the application's database role, the real Redis) builds the package."""

import io
import time

import pytest

from archive.services import package_verify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_package_and_it_verifies(world, archived, worker, api):
    project = archived
    created = api(world.auditor).post(
        f"/api/v1/projects/{project.pk}/actions/export_archive/", {}, format="json"
    )
    assert created.status_code == 201 and created.json()["download_url"] is None
    url = f"/api/v1/archive-packages/{created.json()['id']}/"
    deadline = time.monotonic() + 90
    while (body := api(world.auditor).get(url).json())["status"] not in ("ready", "failed"):
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    assert body["status"] == "ready", body["error"]
    data = b"".join(api(world.auditor).get(body["download_url"]).streaming_content)
    check = package_verify(io.BytesIO(data))
    assert check.intact, check.problems
    assert check.recorded.pk == body["id"]
