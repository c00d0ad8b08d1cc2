"""An archive package asked for while the broker is down: the request answers at once, the package waits
排队中 on the record, and the sweep builds it once the broker is back."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from archive import services
from archive.models import ArchivePackage
from archive.services import packages_requeue_due

pytestmark = pytest.mark.django_db


def test_a_package_asked_for_with_the_broker_down_waits_then_is_built(
    world, archived, api, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    project = archived
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.auditor).post(
            f"/api/v1/projects/{project.pk}/actions/export_archive/", {}, format="json"
        )
    assert time.monotonic() - started < 2
    assert response.status_code == 201 and response.json()["status"] == "pending"
    package = ArchivePackage.objects.get()
    assert packages_requeue_due() == 0  # not yet due

    ArchivePackage.objects.filter(pk=package.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
    started = time.monotonic()
    assert packages_requeue_due() == 0  # due, but the broker is still down: nothing taken, nothing raised
    assert time.monotonic() - started < 2

    built = []
    monkeypatch.setattr(
        services,
        "tasks_publish",
        lambda task, kwargs_list, **o: built.extend(kwargs_list) or len(kwargs_list),
    )
    assert packages_requeue_due() == 1  # the broker is back
    services.package_build(**built[0])
    package.refresh_from_db()
    assert package.status == "ready" and package.files > 0
