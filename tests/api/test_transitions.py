from decimal import Decimal

import pytest

from projects.enums import ProjectState
from projects.services import document_upload
from tests.factories import pdf_upload

from .conftest import returned_draft

WENDENG = "《威海市文登区“智慧文登”项目建设管理办法》"
VALID_UNTIL = "2099-12-31"  # the approval's validity, which wendeng-2021 第十七条 needs


def _url(project, name: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/transitions/" + (f"{name}/" if name else "")


def _ready_to_submit(world, project):
    world.ready_to_submit(project)


def test_transitions_of_a_draft_for_its_department_with_checks_and_sources(world, api):
    project = world.project()
    response = api(world.dept).get(_url(project))
    assert response.status_code == 200
    by_name = {t["name"]: t for t in response.json()}
    assert list(by_name) == ["submit", "cancel"]
    submit = by_name["submit"]
    assert submit["label"] == "提交申报"
    assert submit["target"] == "declared"
    assert submit["allowed"] is False
    checks = {c["code"]: c for c in submit["checks"]}
    assert checks["WD-12-docs"] == {
        "code": "WD-12-docs",
        "severity": "block",
        "passed": False,
        "message": "缺少建设方案、可行性研究报告。",
        "source": f"{WENDENG}第十二条",
    }
    assert checks["WD-21-catalogue"]["source"] == f"{WENDENG}第二十一条"
    assert checks["WD-5-prohibited"]["passed"] is True
    assert by_name["cancel"]["allowed"] is True
    assert by_name["cancel"]["fields"] == [
        {"name": "comment", "label": "理由", "type": "text", "required": True, "max_length": 2000}
    ]


def test_transitions_become_allowed_once_the_rules_are_met(world, api):
    project = world.project()
    _ready_to_submit(world, project)
    submit = next(t for t in api(world.dept).get(_url(project)).json() if t["name"] == "submit")
    assert submit["allowed"] is True
    assert all(c["passed"] is True for c in submit["checks"])


def test_transitions_list_only_what_the_callers_role_may_run(world, api):
    project = world.project_in_state(ProjectState.REVIEWING)
    assert [t["name"] for t in api(world.finance).get(_url(project)).json()] == ["approve"]
    assert [t["name"] for t in api(world.bdc).get(_url(project)).json()] == ["return_for_revision", "reject"]
    assert api(world.dept).get(_url(project)).json() == []
    assert api(world.auditor).get(_url(project)).json() == []
    assert api(world.experts[0].user).get(_url(project)).json() == []
    approve = api(world.finance).get(_url(project)).json()[0]
    budget = next(c for c in approve["checks"] if c["code"] == "ANY-budget")
    assert budget["passed"] is None  # depends on the amount entered: checked on submit
    assert budget["source"] == f"{WENDENG}第十四条"
    assert {i["name"]: i["type"] for i in approve["fields"]} == {
        "comment": "text",
        "approved_amount": "decimal",
        "basis": "text",
        "valid_until": "date",
    }


def test_transitions_of_an_invisible_project_are_404(world, api):
    project = world.project()
    assert api(world.dept2).get(_url(project)).status_code == 404
    assert api(world.dept2).post(_url(project, "submit"), {}, format="json").status_code == 404


def test_transition_submit_is_200_with_the_project(world, api):
    project = world.project()
    _ready_to_submit(world, project)
    response = api(world.dept).post(_url(project, "submit"), {"comment": "请审核"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == project.pk
    assert response.json()["state"] == "declared"
    assert response.json()["declared_at"] is not None
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED
    entry = project.timeline.order_by("-seq").first()
    assert (entry.action, entry.from_state, entry.to_state, entry.comment) == (
        "projects.project.submit",
        "draft",
        "declared",
        "请审核",
    )


def test_transition_blocked_by_a_rule_is_409_with_the_failing_checks(world, api):
    project = world.project()
    response = api(world.dept).post(_url(project, "submit"), {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("不能提交申报：缺少建设方案、可行性研究报告。")
    assert [c["code"] for c in body["checks"]] == ["WD-12-docs", "WD-21-catalogue"]
    assert all(c["severity"] == "block" and c["passed"] is False for c in body["checks"])
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_transition_prohibited_content_is_409_citing_article_5(world, api):
    project = world.project(construction_kinds=["new_server_room", "business_app"])
    _ready_to_submit(world, project)
    response = api(world.dept).post(_url(project, "submit"), {}, format="json")
    assert response.status_code == 409
    [check] = response.json()["checks"]
    assert check["code"] == "WD-5-prohibited"
    assert check["source"] == f"{WENDENG}第五条"
    assert "新建机房" in check["message"]


def test_transition_over_the_declared_amount_is_409(world, api):
    project = world.project_in_state(ProjectState.REVIEWING)
    from tests.factories.records import opinion_record

    version = document_upload(project=project, by=world.bdc, kind="review_opinion", file=pdf_upload())
    opinion_record(
        project=project, by=world.bdc, conclusion="pass", summary="同意建设。", document_version=version
    )
    response = api(world.finance).post(
        _url(project, "approve"),
        {"approved_amount": "150.01", "basis": "财政评审", "valid_until": VALID_UNTIL},
        format="json",
    )
    assert response.status_code == 409
    assert [c["code"] for c in response.json()["checks"]] == ["ANY-budget"]
    ok = api(world.finance).post(
        _url(project, "approve"),
        {"approved_amount": "150.00", "basis": "财政评审", "valid_until": VALID_UNTIL},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["state"] == "approved"
    assert ok.json()["approved_amount"] == "150.00"
    project.refresh_from_db()
    assert project.approved_amount == Decimal("150.00")


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        pytest.param("bdc", "submit", 403, id="bdc-submit"),
        # Finance never sees a draft, not even one returned for revision.
        pytest.param("finance", "submit", 404, id="finance-submit"),
        pytest.param("auditor", "cancel", 403, id="auditor-cancel"),
    ],
)
def test_transition_by_a_role_that_may_not_is_403(world, api, role, name, status):
    # Ready to submit again, and a draft the BDC and the auditor see: submitted once, returned for revision.
    project = returned_draft(world)
    response = api(getattr(world, role)).post(_url(project, name), {"comment": "试试"}, format="json")
    assert response.status_code == status
    if status == 403:
        assert "只能由建设单位办理" in response.json()["detail"]
    else:
        assert response.json() == {"detail": "项目不存在或无权查看。"}
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_transition_by_a_co_builder_is_403(world, api):
    project = world.project(co_builders=[world.dept2_org.pk])
    _ready_to_submit(world, project)
    response = api(world.dept2).post(_url(project, "submit"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "“提交申报”只能由项目的申报单位办理。"


def test_transition_not_legal_from_the_current_state_is_409(world, api):
    project = returned_draft(world)  # a draft the BDC sees
    response = api(world.bdc).post(_url(project, "start_review"), {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "项目当前状态为“草稿”，不能启动评审。", "checks": []}


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("reject", {}, "理由：请填写理由：理由将记入项目档案。"),
        ("approve", {"approved_amount": "很多", "basis": "x"}, "批复金额（万元）："),
    ],
)
def test_transition_malformed_input_is_400(world, api, name, data, expected):
    project = world.project_in_state(ProjectState.REVIEWING)
    user = world.finance if name == "approve" else world.bdc
    response = api(user).post(_url(project, name), data, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(expected)
    project.refresh_from_db()
    assert project.state == ProjectState.REVIEWING


def test_transition_body_must_be_an_object(world, api):
    project = world.project()
    response = api(world.dept).post(_url(project, "cancel"), ["需求取消"], format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容须为 JSON 对象。"


def test_transition_unknown_name_is_404(world, api):
    project = world.project()
    response = api(world.dept).post(_url(project, "teleport"), {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "没有名为“teleport”的流转。"


def test_transition_return_for_revision_reopens_editing(world, api):
    project = world.project_in_state(ProjectState.DECLARED)
    response = api(world.bdc).post(
        _url(project, "return_for_revision"), {"comment": "补充投资测算"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    patched = api(world.dept).patch(
        f"/api/v1/projects/{project.pk}/", {"declared_amount": "120"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["declared_amount"] == "120.00"
