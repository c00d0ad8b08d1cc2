import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.enums import ProjectState
from projects.models import DocumentVersion
from tests.factories import pdf_upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


def _docs(project) -> str:
    return f"/api/v1/projects/{project.pk}/documents/"


def test_document_upload_is_201_with_the_version(world, api):
    project = world.project()
    upload = pdf_upload("可研报告.pdf")
    body = upload.read()
    upload.seek(0)
    response = api(world.dept).post(
        _docs(project),
        {"kind": "feasibility_report", "file": upload, "has_sharing_chapter": "true"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "feasibility_report"
    assert data["kind_label"] == "可行性研究报告"
    assert data["number"] == 1
    assert data["original_name"] == "可研报告.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(body)
    assert data["sha256"] == hashlib.sha256(body).hexdigest()
    assert data["has_sharing_chapter"] is True
    assert data["has_security_chapter"] is False
    assert data["download_url"] == f"{_docs(project)}versions/{data['id']}/download/"
    assert project.timeline.order_by("-seq").first().action == "projects.document.upload"


def test_document_upload_again_adds_a_version(world, api):
    project = world.project()
    client = api(world.dept)
    client.post(
        _docs(project), {"kind": "construction_plan", "file": pdf_upload("方案v1.pdf")}, format="multipart"
    )
    response = client.post(
        _docs(project), {"kind": "construction_plan", "file": pdf_upload("方案v2.pdf")}, format="multipart"
    )
    assert response.json()["number"] == 2
    listing = client.get(_docs(project))
    assert listing.status_code == 200
    [document] = listing.json()
    assert document["kind"] == "construction_plan"
    assert [v["original_name"] for v in document["versions"]] == ["方案v2.pdf", "方案v1.pdf"]
    assert [v["number"] for v in document["versions"]] == [2, 1]


def test_document_upload_exe_renamed_pdf_is_400_in_chinese(world, api):
    project = world.project()
    fake = SimpleUploadedFile("报告.pdf", EXE, content_type="application/pdf")
    response = api(world.dept).post(
        _docs(project), {"kind": "feasibility_report", "file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "文件“报告.pdf”的内容是可执行程序或网页脚本（application/x-dosexec），不能作为项目文档上传。"
    )
    assert not DocumentVersion.objects.exists()


def test_document_upload_unknown_kind_is_400(world, api):
    project = world.project()
    response = api(world.dept).post(
        _docs(project), {"kind": "novel", "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "文档类型：未知的文档类型：novel。"


def test_document_upload_missing_file_is_400(world, api):
    project = world.project()
    response = api(world.dept).post(_docs(project), {"kind": "contract"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("文件：")


def test_document_upload_by_department_of_an_issued_kind_is_403(world, api):
    project = world.project()
    response = api(world.dept).post(
        _docs(project), {"kind": "review_opinion", "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 403
    assert "评审意见" in response.json()["detail"]


def test_document_upload_by_outsider_is_404_and_by_auditor_403(world, api):
    project = world.project_in_state(ProjectState.DECLARED)  # submitted, so the auditor sees it
    filed = DocumentVersion.objects.count()  # what submitting needed
    assert (
        api(world.dept2)
        .post(_docs(project), {"kind": "contract", "file": pdf_upload()}, format="multipart")
        .status_code
        == 404
    )
    response = api(world.auditor).post(
        _docs(project), {"kind": "contract", "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 403
    assert DocumentVersion.objects.count() == filed


def test_document_download_returns_the_file_as_attachment(world, api):
    project = world.project_in_state(ProjectState.DECLARED)  # submitted, so the auditor sees it
    upload = pdf_upload("建设方案.pdf")
    content = upload.read()
    upload.seek(0)
    created = (
        api(world.dept)
        .post(_docs(project), {"kind": "construction_plan", "file": upload}, format="multipart")
        .json()
    )
    response = api(world.auditor).get(created["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    response.close()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E5%BB%BA%E8%AE%BE%E6%96%B9%E6%A1%88.pdf" in response["Content-Disposition"]


def test_document_download_refused_for_outsiders(world, api):
    project = world.project()
    version = (
        api(world.dept)
        .post(_docs(project), {"kind": "construction_plan", "file": pdf_upload()}, format="multipart")
        .json()
    )
    for user in (world.dept2, world.supervisor, world.outsider_expert.user):
        response = api(user).get(version["download_url"])
        assert response.status_code == 404
        assert response.json() == {"detail": "项目不存在或无权查看。"}
        assert api(user).get(_docs(project)).status_code == 404


def test_document_download_of_another_projects_version_is_404(world, api):
    mine = world.project()
    theirs = world.project(by=world.dept2)
    version = (
        api(world.dept2)
        .post(_docs(theirs), {"kind": "contract", "file": pdf_upload()}, format="multipart")
        .json()
    )
    response = api(world.dept).get(f"{_docs(mine)}versions/{version['id']}/download/")
    assert response.status_code == 404


def test_classified_project_documents_refused_without_a_grant(world, api):
    from projects.services import document_access_grant

    project = world.project_in_state(ProjectState.DECLARED, is_classified=True)  # the auditor sees it
    version = (
        api(world.dept)
        .post(_docs(project), {"kind": "construction_plan", "file": pdf_upload()}, format="multipart")
        .json()
    )
    assert api(world.auditor).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    for path in (_docs(project), version["download_url"]):
        response = api(world.auditor).get(path)
        assert response.status_code == 403
        assert response.json() == {"detail": "无权查看该项目的文档。"}
    # Nor does the record give the documents' names and hashes away.
    upload = api(world.auditor).get(f"/api/v1/projects/{project.pk}/timeline/").json()[-1]
    assert upload["documents"] == [{"kind": "construction_plan"}]
    document_access_grant(project=project, user=world.auditor, by=world.bdc)
    entries = api(world.auditor).get(f"/api/v1/projects/{project.pk}/timeline/").json()
    upload = next(e for e in reversed(entries) if e["action"] == "projects.document.upload")
    assert upload["documents"][0]["sha256"] == version["sha256"]
    response = api(world.auditor).get(version["download_url"])
    assert response.status_code == 200
    response.close()  # last: closing a streamed response in a test closes the test's connection


def test_document_upload_refused_on_a_finished_project(world, api):
    project = world.project_in_state(ProjectState.CANCELLED)
    response = api(world.dept).post(
        _docs(project), {"kind": "other", "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 403
