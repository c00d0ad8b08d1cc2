"""Supervision: who sees what, the structured 四控三管 report, and the department's score of the supervisor."""

import pytest
from rest_framework.test import APIClient

from core.enums import OrganisationKind, Role
from projects.enums import ProjectState
from tests.factories import OrganisationFactory, UserFactory, pdf_upload

from .conftest import procurement

ITEMS = ("schedule", "quality", "cost", "change", "contract", "document", "security")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def report_fields(period="2025-01", rating="good") -> dict:
    fields = {"period": period, "issues": "接口文档滞后。", "follow_up": "上期问题已整改。"}
    for code in ITEMS:
        fields[f"finding:{code}"] = f"{code}：符合要求。"
        fields[f"rating:{code}"] = rating
    return fields


def other_supervisor(world, name="另一监理公司"):
    org = OrganisationFactory(jurisdiction=world.jurisdiction, kind=OrganisationKind.SUPERVISION, name=name)
    return org, UserFactory(username=f"sup-{org.pk}", role=Role.SUPERVISOR, organisation=org)


def test_supervisor_sees_exactly_the_projects_it_supervises(building):
    world, project = building("laohekou-2024")
    unsupervised = procurement(world, name="另一个项目")
    _, stranger = other_supervisor(world)
    assert api(world.supervisor).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert api(world.supervisor).get(f"/api/v1/projects/{unsupervised.pk}/").status_code == 404
    assert api(stranger).get(f"/api/v1/projects/{project.pk}/").status_code == 404
    listed = {p["id"] for p in api(world.supervisor).get("/api/v1/projects/").json()["results"]}
    assert listed == {project.pk}


def test_supervisor_replaced_no_longer_sees_the_project(building):
    world, project = building("fangchenggang-2022")
    org, newcomer = other_supervisor(world)
    world.act(project, "assign_supervisor", world.dept, {"organisation": org.pk})
    assert api(world.supervisor).get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert api(newcomer).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    response = api(world.supervisor).post(
        f"/api/v1/projects/{project.pk}/actions/supervision_report/", report_fields(), format="json"
    )
    assert response.status_code == 404


def test_supervision_report_is_structured_and_on_the_timeline(building):
    world, project = building("laohekou-2024")
    fields = {**report_fields(rating="poor"), "file": pdf_upload("监理月报.pdf")}
    response = api(world.supervisor).post(
        f"/api/v1/projects/{project.pk}/actions/supervision_report/", fields, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body["items"]) == set(ITEMS) and body["items"]["quality"]["rating"] == "poor"
    entry = project.timeline.filter(action="acceptance.supervision.report").get()
    assert entry.documents and entry.documents[0]["kind"] == "supervision_report"
    assert len(entry.data["poor"]) == len(ITEMS)


def test_supervision_report_missing_an_item_is_a_chinese_400(building):
    world, project = building("laohekou-2024")
    fields = report_fields()
    del fields["finding:security"]
    response = api(world.supervisor).post(
        f"/api/v1/projects/{project.pk}/actions/supervision_report/", fields, format="json"
    )
    assert response.status_code == 400
    assert "安全管理" in response.json()["detail"]


@pytest.mark.parametrize("who", ["dept", "bdc", "auditor"])
def test_only_the_supervisor_files_supervision_reports(building, who):
    world, project = building("laohekou-2024")
    response = api(getattr(world, who)).post(
        f"/api/v1/projects/{project.pk}/actions/supervision_report/", report_fields(), format="json"
    )
    assert response.status_code == 403, response.json()
    assert "监理" in response.json()["detail"]


def test_supervision_report_refused_where_no_supervisor_arranged(building):
    world, project = building("wendeng-2021", supervised=False)
    response = api(world.supervisor).get(f"/api/v1/projects/{project.pk}/actions/")
    assert response.status_code == 404  # a supervisor of no assignment does not see the project at all


def _built(world, project):
    from projects.services import project_transition

    project_transition(
        project_id=project.pk,
        name="complete_construction",
        by=world.dept,
        data=world.transition_data("complete_construction", project),
    )
    project.refresh_from_db()
    assert project.state == ProjectState.PRELIMINARY_ACCEPTANCE


def test_department_scores_the_supervisor_at_completion_into_its_history(building, client):
    from acceptance.construction_selectors import supervisor_history

    world, project = building("laohekou-2024")
    url = f"/api/v1/projects/{project.pk}/actions/score_supervisor/"
    # Not before the project is built (第二十条: 项目建设完成后).
    assert api(world.dept).post(url, {"score": "90", "comment": "尽职。"}, format="json").status_code == 409
    _built(world, project)
    assert api(world.bdc).post(url, {"score": "90", "comment": "尽职。"}, format="json").status_code == 403
    refused = api(world.dept2).post(url, {"score": "90", "comment": "尽职。"}, format="json")
    assert refused.status_code in (403, 404)
    assert api(world.dept).post(url, {"score": "101", "comment": "尽职。"}, format="json").status_code == 400
    response = api(world.dept).post(url, {"score": "88.5", "comment": "监理尽职，文档规范。"}, format="json")
    assert response.status_code == 201, response.json()
    again = api(world.dept).post(url, {"score": "60", "comment": "再打一次。"}, format="json")
    assert again.status_code == 409 and "不能重复打分" in again.json()["detail"]
    history = supervisor_history(organisation=world.supervisor_org)
    assert [(h.project_id, str(h.score)) for h in history] == [(project.pk, "88.50")]
    entry = project.timeline.get(action="acceptance.supervisor.score")
    assert entry.data["score"] == "88.50"


def test_score_refusal_names_the_article_under_laohekou(building):
    world, project = building("laohekou-2024")
    _built(world, project)
    response = api(world.bdc).post(
        f"/api/v1/projects/{project.pk}/actions/score_supervisor/",
        {"score": "90", "comment": "好"},
        format="json",
    )
    assert response.status_code == 403
    assert "老河口" in response.json()["detail"] and "第二十条" in response.json()["detail"]


def test_supervisor_history_shown_when_choosing_a_supervisor(building):
    world, project = building("laohekou-2024")
    _built(world, project)
    world.act(project, "score_supervisor", world.dept, {"score": "80", "comment": "良好。"})
    second = procurement(world, name="第二个项目")
    world.act(second, "apply_supervisor", world.dept, files={"file": pdf_upload("申请.pdf")})
    actions = api(world.bdc).get(f"/api/v1/projects/{second.pk}/actions/").json()
    assign = next(a for a in actions if a["name"] == "assign_supervisor")
    choices = next(f for f in assign["fields"] if f["name"] == "organisation")["choices"]
    assert any("历史评分均分80.0分，1个项目" in c["label"] for c in choices), choices
