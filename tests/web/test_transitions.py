import re

from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from projects.services import document_upload
from sharing.services import resource_add
from tests.factories import pdf_upload

from .conftest import returned_draft

POLICY = "《威海市文登区“智慧文登”项目建设管理办法》"
RESOURCE = {
    "name": "学籍数据",
    "source": "学籍系统",
    "format": "数据库表",
    "update_frequency": "每日",
    "share_type": "无条件共享",
    "open_type": "不开放",
}


def test_project_page_lists_the_available_transitions(world, login):
    project = world.project()
    body = login(world.dept).get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/transitions/submit/"' in body
    assert f'href="/projects/{project.pk}/transitions/cancel/"' in body
    assert "有未满足的条件" in body


def test_confirm_page_lists_checks_with_their_articles(world, login):
    project = world.project()
    response = login(world.dept).get(f"/projects/{project.pk}/transitions/submit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "提交申报" in body
    sources = re.findall(r"依据：(《[^》]+》第[^<\s]+条)", body)
    assert (
        f"{POLICY}第十二条" in sources and f"{POLICY}第二十一条" in sources and f"{POLICY}第五条" in sources
    )
    assert "check-fail" in body and "缺少建设方案、可行性研究报告" in body
    assert "check-pass" in body  # 第五条: nothing prohibited
    assert 'name="comment"' in body


def test_confirm_page_marks_checks_that_wait_for_the_input(world, login):
    project = world.project_in_state(ProjectState.REVIEWING)
    version = document_upload(
        project=project, by=world.bdc, kind=DocumentKind.REVIEW_OPINION, file=pdf_upload("o.pdf")
    )
    from tests.factories.records import opinion_record

    opinion_record(
        project=project, by=world.bdc, conclusion="pass", summary="同意。", document_version=version
    )
    body = login(world.finance).get(f"/projects/{project.pk}/transitions/approve/").content.decode()
    assert "待提交时核验" in body and f"{POLICY}第十四条" in body
    assert 'name="approved_amount"' in body


def test_refused_submit_shows_the_failing_check(world, login):
    project = world.project()
    response = login(world.dept).post(f"/projects/{project.pk}/transitions/submit/", {"comment": "请审核"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "未能提交申报" in body
    assert "缺少建设方案、可行性研究报告" in body and f"{POLICY}第十二条" in body
    assert "请审核" in body  # the comment typed is kept
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_submit_through_the_confirm_page(world, login):
    project = world.project()
    for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
        document_upload(project=project, by=world.dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))
    resource_add(project=project, by=world.dept, data=RESOURCE)
    client = login(world.dept)
    response = client.post(f"/projects/{project.pk}/transitions/submit/", {"comment": "请审核"}, follow=True)
    assert response.redirect_chain[-1] == (f"/projects/{project.pk}/", 302)
    body = response.content.decode()
    assert "已办理“提交申报”，项目状态：已申报" in body
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED
    assert project.timeline.get(action="projects.project.submit").comment == "请审核"


def test_transition_invalid_input_is_400_and_keeps_input(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    response = login(world.bdc).post(
        f"/projects/{project.pk}/transitions/return_for_revision/", {"comment": ""}
    )
    assert response.status_code == 400
    assert "请填写理由" in response.content.decode()
    response = login(world.bdc).post(f"/projects/{project.pk}/transitions/reject/", {"comment": "   "})
    assert response.status_code == 400


def test_approve_amount_over_declared_is_refused(world, login):
    project = world.project_in_state(ProjectState.REVIEWING)
    version = document_upload(
        project=project, by=world.bdc, kind=DocumentKind.REVIEW_OPINION, file=pdf_upload("o.pdf")
    )
    from tests.factories.records import opinion_record

    opinion_record(
        project=project, by=world.bdc, conclusion="pass", summary="同意。", document_version=version
    )
    client = login(world.finance)
    response = client.post(
        f"/projects/{project.pk}/transitions/approve/", {"approved_amount": "999.00", "basis": "财政评审"}
    )
    assert response.status_code == 409
    assert "超过申报金额" in response.content.decode() and 'value="999.00"' in response.content.decode()
    response = client.post(
        f"/projects/{project.pk}/transitions/approve/", {"approved_amount": "abc", "basis": ""}
    )
    assert response.status_code == 400


def test_transition_of_another_role_or_state_is_refused(world, login):
    project = returned_draft(world)  # a draft the BDC sees: submitted once, returned for revision
    client = login(world.bdc)
    response = client.get(f"/projects/{project.pk}/transitions/submit/")
    assert response.status_code == 403
    assert "只能由建设单位办理" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/transitions/start_review/")
    assert response.status_code == 409
    assert client.get(f"/projects/{project.pk}/transitions/fly_to_moon/").status_code == 404
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT
