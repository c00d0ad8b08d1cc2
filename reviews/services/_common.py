"""What the review services share: the states a review is open in and the BDC's lock on the project."""

from core.enums import Role
from core.errors import Conflict, NotPermitted
from projects.enums import ProjectState
from projects.locks import project_lock

REVIEW_OPEN = {ProjectState.DECLARED, ProjectState.REVIEWING}


def _lock(project, by, states, what):
    if by.role != Role.BDC or not by.has_perm("projects.view_project", project):
        raise NotPermitted(f"只有本行政区划的大数据中心可以{what}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked
