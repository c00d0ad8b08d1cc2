"""Uploads are judged by their content: sniff_upload and document_upload."""

import hashlib
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import InvalidInput, NotPermitted
from core.files import sniff_upload
from projects.enums import DocumentKind, ProjectState
from projects.models import Document, DocumentVersion
from projects.services import document_upload
from tests.factories import pdf_upload

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def windows_exe() -> bytes:
    """A minimal PE: the DOS header (MZ, e_lfanew at 0x3c), the PE signature, COFF and optional header."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    dos[0x3C:0x40] = struct.pack("<I", 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    optional = struct.pack("<H", 0x10B) + bytes(0xE0 - 2)
    return bytes(dos) + b"PE\0\0" + coff + optional


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def project(world):
    return world.project_in_state(ProjectState.DRAFT)


def _upload_count(project) -> tuple[int, int]:
    return (
        Document.objects.filter(project=project).count(),
        DocumentVersion.objects.filter(document__project=project).count(),
    )


def test_sniff_accepts_a_real_pdf_with_its_hash_and_size():
    sniffed = sniff_upload(SimpleUploadedFile("方案.pdf", PDF))
    assert sniffed.content_type == "application/pdf"
    assert sniffed.size == len(PDF)
    assert sniffed.sha256 == hashlib.sha256(PDF).hexdigest()
    assert sniffed.name == "方案.pdf"


def test_sniff_drops_any_path_from_the_name_and_ignores_extension_case():
    sniffed = sniff_upload(SimpleUploadedFile("../../etc/方案.PDF", PDF))
    assert sniffed.name == "方案.PDF"
    assert sniffed.content_type == "application/pdf"


def test_sniff_accepts_a_real_docx():
    body = docx_bytes()
    sniffed = sniff_upload(SimpleUploadedFile("设计.docx", body))
    assert sniffed.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sniffed.size == len(body)


def test_document_upload_stores_the_pdf_under_its_hash(world, project):
    version = document_upload(
        project=project,
        by=world.dept,
        kind=DocumentKind.CONSTRUCTION_PLAN,
        file=SimpleUploadedFile("建设方案.pdf", PDF),
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert (version.number, version.size, version.sha256) == (1, len(PDF), digest)
    assert (version.content_type, version.original_name) == ("application/pdf", "建设方案.pdf")
    assert version.file.name == f"documents/{project.pk}/{digest}"
    with version.file.open("rb") as stored:
        assert stored.read() == PDF
    entry = project.timeline.order_by("-seq").first()
    assert entry.action == "projects.document.upload"
    assert entry.documents == [
        {
            "version_id": version.pk,
            "kind": "construction_plan",
            "name": "建设方案.pdf",
            "number": 1,
            "sha256": digest,
            "size": len(PDF),
        }
    ]


def test_exe_renamed_pdf_is_refused(world, project):
    with pytest.raises(InvalidInput) as caught:
        document_upload(
            project=project,
            by=world.dept,
            kind=DocumentKind.CONSTRUCTION_PLAN,
            file=SimpleUploadedFile("建设方案.pdf", windows_exe()),
        )
    assert "可执行程序" in caught.value.message
    assert "建设方案.pdf" in caught.value.message
    assert _upload_count(project) == (0, 0)


def test_dos_stub_renamed_pdf_is_refused():
    with pytest.raises(InvalidInput, match="可执行程序"):
        sniff_upload(SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + bytes(60) + b"This program cannot be run"))


def test_html_renamed_pdf_is_refused():
    with pytest.raises(InvalidInput, match="网页脚本"):
        sniff_upload(SimpleUploadedFile("a.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"))


def test_pdf_renamed_docx_is_refused(world, project):
    with pytest.raises(InvalidInput) as caught:
        document_upload(
            project=project,
            by=world.dept,
            kind=DocumentKind.CONSTRUCTION_PLAN,
            file=SimpleUploadedFile("建设方案.docx", PDF),
        )
    assert (
        caught.value.message
        == "文件“建设方案.docx”的扩展名.docx与其实际内容（application/pdf）不符，请检查后重新上传。"
    )
    assert _upload_count(project) == (0, 0)


def test_zip_renamed_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InvalidInput, match="不符"):
        sniff_upload(SimpleUploadedFile("设计.docx", buffer.getvalue()))


def test_oversize_is_refused(world, project, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        document_upload(
            project=project,
            by=world.dept,
            kind=DocumentKind.CONSTRUCTION_PLAN,
            file=SimpleUploadedFile("大文件.pdf", big),
        )
    assert caught.value.message == "文件“大文件.pdf”超过1MB的大小上限。"
    assert _upload_count(project) == (0, 0)


def test_exactly_the_limit_is_accepted(settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    body = PDF + b"%" + b"0" * (1024 * 1024 - len(PDF) - 1)
    assert len(body) == settings.DOCUMENT_MAX_BYTES
    assert sniff_upload(SimpleUploadedFile("刚好.pdf", body)).size == 1024 * 1024


def test_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="空文件"):
        sniff_upload(SimpleUploadedFile("空.pdf", b""))


def test_second_upload_adds_version_two_and_keeps_version_one(world, project):
    first_body, second_body = PDF + b"%v1\n", PDF + b"%v2\n"
    first = document_upload(
        project=project,
        by=world.dept,
        kind=DocumentKind.CONSTRUCTION_PLAN,
        file=SimpleUploadedFile("方案v1.pdf", first_body),
    )
    second = document_upload(
        project=project,
        by=world.dept,
        kind=DocumentKind.CONSTRUCTION_PLAN,
        file=SimpleUploadedFile("方案v2.pdf", second_body),
    )
    assert (first.number, second.number) == (1, 2)
    assert first.document_id == second.document_id
    assert _upload_count(project) == (1, 2)
    first.refresh_from_db()
    assert first.sha256 == hashlib.sha256(first_body).hexdigest()
    with first.file.open("rb") as stored:
        assert stored.read() == first_body
    with second.file.open("rb") as stored:
        assert stored.read() == second_body
    assert first.file.name != second.file.name


def test_repeatable_kind_adds_a_document_each_time(world):
    project = world.project_in_state(ProjectState.CONSTRUCTION)
    from acceptance.services import supervisor_assign

    supervisor_assign(project=project, by=world.dept, organisation=world.supervisor_org)
    for month in (1, 2):
        version = document_upload(
            project=project,
            by=world.supervisor,
            kind=DocumentKind.SUPERVISION_REPORT,
            file=pdf_upload(f"监理月报{month}.pdf"),
        )
        assert version.number == 1
    assert Document.objects.filter(project=project, kind=DocumentKind.SUPERVISION_REPORT).count() == 2


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        ("dept", DocumentKind.REVIEW_OPINION),
        ("dept", DocumentKind.ACCEPTANCE_LETTER),
        ("dept", DocumentKind.BUDGET_APPROVAL),
        ("dept", DocumentKind.SUPERVISION_REPORT),
        ("finance", DocumentKind.CONTRACT),
        ("bdc", DocumentKind.CONTRACT),
        ("auditor", DocumentKind.OTHER),
        ("dept2", DocumentKind.CONSTRUCTION_PLAN),
    ],
)
def test_role_not_allowed_the_kind_is_refused(world, project, who, kind):
    with pytest.raises(NotPermitted) as caught:
        document_upload(project=project, by=getattr(world, who), kind=kind, file=pdf_upload())
    assert caught.value.message
    assert _upload_count(project) == (0, 0)


def test_issuing_roles_upload_their_own_kinds(world):
    project = world.project_in_state("declared")  # a draft is its department's own until submitted
    assert (
        document_upload(
            project=project, by=world.bdc, kind=DocumentKind.PREREVIEW_OPINION, file=pdf_upload()
        ).number
        == 1
    )
    assert (
        document_upload(
            project=project, by=world.finance, kind=DocumentKind.BUDGET_APPROVAL, file=pdf_upload()
        ).number
        == 1
    )


def test_unknown_kind_is_invalid(world, project):
    with pytest.raises(InvalidInput, match="未知的文档类型"):
        document_upload(project=project, by=world.dept, kind="virus", file=pdf_upload())


def test_no_upload_to_a_closed_project(world):
    project = world.project_in_state(ProjectState.CANCELLED)
    with pytest.raises(NotPermitted):
        document_upload(project=project, by=world.dept, kind=DocumentKind.OTHER, file=pdf_upload())
