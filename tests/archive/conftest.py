import pytest

from projects.enums import ProjectState
from tests.api.conftest import api  # noqa: F401 - the API client fixture, shared


@pytest.fixture
def archived(world):
    """An archived project, built through the services (its letters rendered inline, as the factories do) —
    so before any fixture that starts a worker or takes the broker down."""
    return world.project_in_state(ProjectState.ARCHIVED)
