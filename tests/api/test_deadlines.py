"""GET /api/v1/projects/{id}/deadlines/: the project's deadlines with their status and articles."""

from datetime import date

from acceptance.models import AcceptanceApplication
from projects.enums import ProjectState

WENDENG = "《威海市文登区“智慧文登”项目建设管理办法》"


def _awaiting_group(world, applied_on):
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    AcceptanceApplication.objects.filter(project=project).update(applied_on=applied_on)
    return project


def test_deadlines_api(world, api):
    project = _awaiting_group(world, date(2020, 1, 2))
    body = api(world.bdc).get(f"/api/v1/projects/{project.pk}/deadlines/").json()
    [group] = [d for d in body["deadlines"] if d["code"] == "WD-35-group"]
    assert (group["status"], group["due_on"], group["source"]) == (
        "overdue",
        "2020-01-09",
        f"{WENDENG}第三十五条",
    )
    assert body["warnings"] == []
    assert api(world.dept2).get(f"/api/v1/projects/{project.pk}/deadlines/").status_code == 404
