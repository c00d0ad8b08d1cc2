import pytest

from projects.enums import DocumentKind, ProjectState
from projects.models import DocumentVersion
from projects.services import document_upload
from tests.factories import pdf_upload

from .conftest import submit


@pytest.fixture
def declared(world):
    return world.project_in_state(ProjectState.DECLARED, has_video=False)


def test_project_page_shows_everything(world, login, declared):
    response = login(world.dept).get(f"/projects/{declared.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert declared.code in body and declared.name in body and "已申报" in body
    assert "威海市文登区“智慧文登”项目建设管理办法" in body
    assert "第一章 项目背景及必要性" in body and "第七章 项目绩效目标和风险分析" in body
    assert "建设方案" in body and "可行性研究报告" in body  # the uploaded documents
    assert "学生学籍信息" in body  # the catalogue
    assert "提交申报" in body and "创建草稿" in body  # the timeline
    version = DocumentVersion.objects.filter(document__project=declared).first()
    assert f"/projects/{declared.pk}/documents/{version.pk}/download/" in body
    assert version.sha256[:12] in body


def test_timeline_is_oldest_first_in_shanghai_time(world, login, declared):
    body = login(world.auditor).get(f"/projects/{declared.pk}/").content.decode()
    timeline = body[body.index('id="timeline"') :]
    assert timeline.index("创建草稿") < timeline.index("提交申报")
    first = declared.timeline.order_by("seq").first()
    from zoneinfo import ZoneInfo

    assert first.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S") in timeline
    assert "依据：《威海市文登区“智慧文登”项目建设管理办法》第十二条" in timeline


def test_other_department_gets_404(world, login, declared):
    version = DocumentVersion.objects.filter(document__project=declared).first()
    client = login(world.dept2)
    assert client.get(f"/projects/{declared.pk}/").status_code == 404
    assert client.get(f"/projects/{declared.pk}/documents/{version.pk}/download/").status_code == 404
    assert client.get(f"/projects/{declared.pk}/transitions/cancel/").status_code == 404
    assert client.post(f"/projects/{declared.pk}/resources/", {"name": "x"}).status_code == 404
    response = client.get("/projects/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_download_returns_the_file(world, login, declared):
    version = DocumentVersion.objects.filter(
        document__project=declared, document__kind=DocumentKind.CONSTRUCTION_PLAN
    ).get()
    response = login(world.auditor).get(f"/projects/{declared.pk}/documents/{version.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_of_another_projects_version_is_404(world, login, declared):
    other = world.project(name="另一个项目")
    version = document_upload(
        project=other, by=world.dept, kind=DocumentKind.CONSTRUCTION_PLAN, file=pdf_upload("x.pdf")
    )
    assert (
        login(world.dept).get(f"/projects/{declared.pk}/documents/{version.pk}/download/").status_code == 404
    )


def test_classified_documents_hidden_without_grant(world, login):
    project = world.project_in_state(ProjectState.DECLARED, is_classified=True)  # the auditor sees it
    version = document_upload(
        project=project, by=world.dept, kind=DocumentKind.CONSTRUCTION_PLAN, file=pdf_upload("secret.pdf")
    )
    client = login(world.auditor)
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert "未经大数据中心授权不能查阅" in body and "secret.pdf" not in body
    assert client.get(f"/projects/{project.pk}/documents/{version.pk}/download/").status_code == 403


def test_upload_document(world, login):
    project = world.project()
    client = login(world.dept)
    response = client.post(
        f"/projects/{project.pk}/documents/",
        {"kind": "construction_plan", "file": pdf_upload("方案.pdf"), "title": "建设方案（送审稿）"},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    body = response.content.decode()
    assert "已上传“建设方案”第1版" in body and "方案.pdf" in body


def test_upload_refusals_are_messages(world, login):
    project = world.project()
    client = login(world.dept)
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'value="review_opinion"' not in body  # a department does not issue review opinions
    response = client.post(
        f"/projects/{project.pk}/documents/", {"kind": "review_opinion", "file": pdf_upload("o.pdf")}
    )
    assert response.status_code == 400
    assert "上传失败" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(f"/projects/{project.pk}/documents/", {"kind": "construction_plan", "file": exe})
    assert response.status_code == 400
    assert "上传失败" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/documents/", {"kind": "construction_plan"})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()
    assert not project.documents.exists()


def test_upload_refused_for_auditor(world, login):
    project = world.project_in_state(ProjectState.DECLARED)  # submitted, so the auditor sees it
    filed = project.documents.count()  # what submitting needed
    response = login(world.auditor).post(
        f"/projects/{project.pk}/documents/", {"kind": "construction_plan", "file": pdf_upload("a.pdf")}
    )
    assert response.status_code == 403  # the auditor uploads nothing: refused before the form is read
    assert project.documents.count() == filed


def test_changes_are_post_only(world, login):
    project = world.project()
    client = login(world.dept)
    for path in ("documents/", "resources/", "review/prereview/", "review/agencies/"):
        response = client.get(f"/projects/{project.pk}/{path}")
        assert response.status_code == 405, path
        assert "POST" in response["Allow"] and "不能直接打开" in response.content.decode()  # not a blank page


def test_catalogue_add_and_refusal(world, login):
    project = world.project()
    client = login(world.dept)
    data = {
        "name": "学籍数据",
        "source": "学籍系统",
        "format": "数据库表",
        "update_frequency": "每日",
        "share_type": "有条件共享",
        "open_type": "不开放",
    }
    response = client.post(f"/projects/{project.pk}/resources/", data)
    assert response.status_code == 400
    assert "有条件共享的资源须写明共享条件" in response.content.decode()
    assert "学籍系统" in response.content.decode()  # what was typed is kept
    response = client.post(f"/projects/{project.pk}/resources/", {**data, "share_condition": "仅限教育系统"})
    assert response.status_code == 302
    assert project.resources.get().share_condition == "仅限教育系统"
    submit(world, project)  # the BDC sees it once submitted
    response = login(world.bdc).post(f"/projects/{project.pk}/resources/", data)
    assert response.status_code == 403
    assert "只有项目申报单位可以填报数据资源目录" in response.content.decode()
