import pytest

from projects.enums import ProjectState
from projects.services import project_transition
from tests.api.conftest import api  # noqa: F401 - the API client fixture, shared


def archived_project(world, department=None, **overrides):
    """An archived project of `department` (default the world's), walked through the services with it acting
    as the department: to 绩效评价, what the policy asks before 归档 (the self-evaluation, and the asset
    handover where the policy names one and the walk has not recorded it), then 归档."""
    saved = world.dept
    world.dept = department or saved
    try:
        project = world.project_in_state(ProjectState.EVALUATION, by=world.dept, **overrides)
        world.prepare(project, "archive")
        project_transition(
            project_id=project.pk,
            name="archive",
            by=world.bdc,
            data=world.transition_data("archive", project),
        )
    finally:
        world.dept = saved
    project.refresh_from_db()
    assert project.state == ProjectState.ARCHIVED
    return project


@pytest.fixture
def archived(world):
    """An archived project, built through the services (its letters rendered inline, as the factories do) —
    so before any fixture that starts a worker or takes the broker down."""
    return archived_project(world)
