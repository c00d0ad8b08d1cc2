"""Archived means read-only (issue 15 §1; wendeng-2021 第十九条, zhaoyuan-2021 第二十条, fangchenggang-2022
第二十八条: the full-process electronic archive is the record as it stood). Once a project is 已归档 nothing of
it changes for anyone: its declaration, documents, catalogue, reports, records, transitions and actions.

`project_writable` is the one check. Every door a write goes through asks it: the services' authorisations
(`action_authorise`, `transition_authorise`, `project_update_authorise`, `document_upload_authorise`,
`resource_add_authorise`), which the pages and the API call before they read what was sent, and `project_lock`,
which every service takes before it writes, so a service called directly cannot change an archived project
either. For an archived project the refusal (409) comes before "not your role" (403): the state forbids it to
everyone, and a 403 would suggest that someone else could.

What is still done on an archived project is what leaves the record as it was and adds to it, each an action
whose states include 已归档: a correction as an addendum (补记, `add_addendum`), an archive package
(`export_archive`), and a reading right to a classified project's documents (`grant_access`) — the auditor who
reads the archive years later may need one, and the grant is access to the record, not a change of it."""

from core.errors import Conflict

from .enums import ProjectState

ARCHIVED = ProjectState.ARCHIVED
ARCHIVED_REFUSAL = "项目已归档，档案只读，不能{what}；归档后的更正请以“补记”记入档案。"


def project_writable(project, what: str = "修改本项目") -> None:
    """409 when the project is archived: nothing of it may change."""
    if project.state == ARCHIVED:
        raise Conflict(ARCHIVED_REFUSAL.format(what=what), extra={"checks": [], "archived": True})


def step_writable(project, states, label: str) -> None:
    """For a step (an action) with the states it belongs to: one whose states include 已归档 leaves the record
    as it was (an addendum, a package, a reading right); any other is refused on an archived project."""
    if ARCHIVED not in states:
        project_writable(project, f"办理“{label}”")
