from itertools import pairwise

from projects.enums import ProjectState


def test_timeline_is_oldest_first_and_chained(world, api):
    project = world.project_in_state(ProjectState.DECLARED)
    response = api(world.auditor).get(f"/api/v1/projects/{project.pk}/timeline/")
    assert response.status_code == 200
    entries = response.json()
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert [e["action"] for e in entries] == [
        "projects.project.create",
        "projects.document.upload",
        "projects.document.upload",
        "sharing.resource.add",
        "projects.project.submit",
    ]
    assert entries == sorted(entries, key=lambda e: e["at"])
    assert entries[0]["prev_hash"] == ""
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in pairwise(entries))
    submit = entries[-1]
    assert submit["actor"] == str(world.dept)
    assert submit["actor_role"] == "department"
    assert submit["actor_role_label"] == "建设单位"
    assert submit["label"] == "提交申报"
    assert (submit["from_state"], submit["to_state"]) == ("draft", "declared")
    assert {c["code"] for c in submit["checks"]} == {"WD-5-prohibited", "WD-12-docs", "WD-21-catalogue"}
    assert all(c["passed"] is True and c["source"].startswith("《威海市文登区") for c in submit["checks"])
    upload = entries[1]
    assert upload["documents"][0]["kind"] == "construction_plan"
    assert upload["documents"][0]["name"] == "construction_plan.pdf"
    assert len(upload["documents"][0]["sha256"]) == 64
    assert entries[0]["data"]["policy"] == "wendeng-2021"


def test_timeline_of_an_invisible_project_is_404(world, api):
    project = world.project()
    assert api(world.dept2).get(f"/api/v1/projects/{project.pk}/timeline/").status_code == 404
    assert api(world.outsider_expert.user).get(f"/api/v1/projects/{project.pk}/timeline/").status_code == 404
