import pytest

from projects.enums import ProjectState


@pytest.mark.parametrize("state", list(ProjectState))
def test_project_in_state_reaches_every_state(world, state):
    project = world.project_in_state(state)
    assert project.state == state
    assert project.timeline.count() >= 1
