"""Helpers for the tests of each regulation's checks and deadlines at their edges.

A check is a pure function of the project's records and "today", so these tests put a project's records
in place (through the real services, or with the state set directly where the path to it is not what is
tested) and ask `evaluate_checks` with an explicit date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from projects.checks import evaluate_checks
from projects.deadlines import project_deadlines
from projects.models import Project
from tests.factories import World, pdf_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at_state(project, state: str):
    """Put the project in `state` without walking there (the walk is tested elsewhere)."""
    Project.objects.filter(pk=project.pk).update(state=state)
    project.refresh_from_db()
    return project


def check(project, transition: str, code: str, *, today: date, params: dict | None = None):
    """The result of one check, or None when it does not apply."""
    project = Project.objects.get(pk=project.pk)
    found = [
        r for r in evaluate_checks(project, transition, params=params or {}, today=today) if r.code == code
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


def deadline(project, code: str, *, today: date, period: str | None = None):
    project = Project.objects.get(pk=project.pk)
    found = [d for d in project_deadlines(project, today=today) if d.code == code]
    if period is not None:
        found = [d for d in found if d.period == period]
    assert len(found) <= 1, found
    return found[0] if found else None


def on(day: date, hour: int = 10):
    """Run the block as if it were `day` in Shanghai (uploads and records are dated then)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def upload(world, project, kind, by=None, day: date | None = None):
    from projects.services import document_upload

    def go():
        return document_upload(
            project=project, by=by or world.dept, kind=kind, file=pdf_upload(f"{kind}.pdf")
        )

    if day is None:
        return go()
    with on(day):
        return go()


@pytest.fixture
def world_for(db):
    return World
