"""The whole road to 立项 in the browser: dept declares, BDC reviews, finance approves."""

from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from tests.factories import pdf_upload

from .test_declare import declaration
from .test_transitions import RESOURCE


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_walk_to_approved_in_the_browser(world, login):
    # 建设单位: declare, upload what the policy requires, register a resource, submit.
    client = login(world.dept)
    _ok(client.post("/projects/new/", declaration()))
    project = Project.objects.get()
    base = f"/projects/{project.pk}"
    for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
        _ok(client.post(f"{base}/documents/", {"kind": kind, "file": pdf_upload(f"{kind}.pdf")}))
    _ok(client.post(f"{base}/resources/", RESOURCE))
    confirm = _ok(client.get(f"{base}/transitions/submit/"), 200).content.decode()
    assert "check-fail" not in confirm
    _ok(client.post(f"{base}/transitions/submit/", {"comment": "请予审核"}))
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED

    # 大数据中心: pre-review, panel, start the review, issue the opinion.
    client = login(world.bdc)
    page = _ok(client.get(f"{base}/"), 200).content.decode()
    assert "记录预审意见" in page and "组建评审专家组" in page
    refused = client.post(f"{base}/transitions/start_review/", {})
    assert refused.status_code == 409 and "尚未进行预审" in refused.content.decode()
    _ok(client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": "符合规划，同意进入评审。"}))
    _ok(client.post(f"{base}/review/panel/", {"experts": [e.pk for e in world.experts]}))
    _ok(client.post(f"{base}/transitions/start_review/", {"comment": "启动专家评审"}))
    project.refresh_from_db()
    assert project.state == ProjectState.REVIEWING
    _ok(
        client.post(
            f"{base}/review/opinion/",
            {"conclusion": "pass", "summary": "同意建设。", "file": pdf_upload("评审意见.pdf")},
        )
    )

    # 财政局: approve within the declared amount.
    client = login(world.finance)
    assert project.name in _ok(client.get("/"), 200).content.decode()
    _ok(
        client.post(
            f"{base}/transitions/approve/",
            {"approved_amount": "140.00", "basis": "财政投资评审意见", "valid_until": "2099-12-31"},
        )
    )
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    assert str(project.approved_amount) == "140.00"

    body = _ok(client.get(f"{base}/"), 200).content.decode()
    assert "已立项" in body and "140.00 万元" in body
    labels = list(project.timeline.order_by("seq").values_list("label", flat=True))
    assert labels[-1] == "立项"
    for label in ("提交申报", "预审", "组建评审专家组", "启动评审", "出具评审意见"):
        assert label in labels


def test_panel_and_prereview_refusals(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    base = f"/projects/{project.pk}"
    client = login(world.bdc)
    response = client.post(f"{base}/review/panel/", {})
    assert response.status_code == 400 and "请至少选择一名专家" in response.content.decode()
    response = client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": ""})
    assert response.status_code == 400 and "请填写预审意见" in response.content.decode()
    response = client.post(
        f"{base}/review/opinion/", {"conclusion": "pass", "summary": "x", "file": pdf_upload("o.pdf")}
    )
    assert response.status_code == 409  # no opinion before the review starts
    assert not project.documents.filter(kind=DocumentKind.REVIEW_OPINION).exists()
    response = login(world.dept).post(f"{base}/review/prereview/", {"passed": "1", "opinion": "自己预审"})
    assert response.status_code == 403


def test_security_project_needs_the_police(world, login):
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    base = f"/projects/{project.pk}"
    client = login(world.bdc)
    _ok(client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": "同意。"}))
    _ok(client.post(f"{base}/review/panel/", {"experts": [e.pk for e in world.experts]}))
    refused = client.post(f"{base}/transitions/start_review/", {})
    assert refused.status_code == 409 and "须邀请区公安部门参与审核" in refused.content.decode()
    _ok(client.post(f"{base}/review/agencies/", {"organisation": world.police_org.pk}))
    _ok(client.post(f"{base}/transitions/start_review/", {}))
