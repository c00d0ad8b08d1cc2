"""Projects for the performance tests: targets set through `set_targets` in the draft, then put in 绩效评价 with
an acceptance passed on a known day (the walk there is tested in tests/walks)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from acceptance.models import AcceptanceResult
from projects.models import Project
from tests.factories import TARGETS, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTED = date(2025, 3, 31)


def on(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def act(project, name, user, data):
    """POST an action over the API (multipart where a file travels)."""
    client = api(user)
    url = f"/api/v1/projects/{project.pk}/actions/{name}/"
    if any(hasattr(v, "read") for v in data.values()):
        return client.post(url, data, format="multipart")
    return client.post(url, data, format="json")


def in_evaluation(
    world: World, accepted: date = ACCEPTED, targets: dict | None = TARGETS, by=None, **overrides
):
    """A project with its targets (set in the draft, as the department does), accepted on `accepted`."""
    by = by or world.dept
    project = world.project(by=by, **overrides)
    if targets:
        world.act(project, "set_targets", by, dict(targets))
    Project.objects.filter(pk=project.pk).update(state="evaluation")
    project.refresh_from_db()
    AcceptanceResult.objects.create(
        project=project,
        conclusion=AcceptanceResult.Conclusion.PASSED,
        group_members="验收专家组",
        decided_on=accepted,
        by=world.bdc,
    )
    return project


@pytest.fixture
def lhk(db) -> World:
    return World("laohekou-2024")
