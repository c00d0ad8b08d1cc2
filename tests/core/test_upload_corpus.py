"""The corpus of active content (tests/core/upload_corpus.py) is refused, all of it, by the real upload
service, with a Chinese reason and nothing left behind; the good files still go through."""

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import InvalidInput
from core.files import sniff_upload
from projects.enums import DocumentKind
from projects.models import Document, DocumentVersion
from projects.services import document_upload
from tests.core import upload_corpus
from tests.factories import pdf_upload

BAD = upload_corpus.bad_files()
GOOD = upload_corpus.good_files()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _upload(world, project, file):
    return document_upload(project=project, by=world.dept, kind=DocumentKind.OTHER, file=file)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _nothing_stored(project, settings) -> bool:
    return (
        not Document.objects.filter(project=project).exists()
        and not DocumentVersion.objects.filter(document__project=project).exists()
        and not _stored_files(settings)
    )


def test_the_corpus_is_big_enough_and_quick_to_build():
    start = time.monotonic()
    bad = upload_corpus.bad_files()
    assert time.monotonic() - start < 1
    assert len({case.id for case in bad}) == len(bad) >= 15


def test_the_zip_bomb_is_real():
    """Its members inflate to what the central directory says (read a little of one to see)."""
    with zipfile.ZipFile(io.BytesIO(upload_corpus.zip_bomb())) as archive:
        infos = archive.infolist()
        assert sum(info.file_size for info in infos) == 1024 * 1024 * 1024
        assert sum(info.compress_size for info in infos) < 2 * 1024 * 1024
        with archive.open(infos[0]) as member:
            assert member.read(5 * 1024 * 1024) == bytes(5 * 1024 * 1024)


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_file_is_refused_by_the_upload_service(world, settings, case):
    project = world.project()
    with pytest.raises(InvalidInput) as caught:
        _upload(world, project, SimpleUploadedFile(case.name, case.body))
    message = caught.value.message
    assert CHINESE.search(message), message
    assert case.name in message
    assert case.reason.lower() in message.lower(), message
    assert _nothing_stored(project, settings)


def test_the_whole_corpus_is_refused(world, settings):
    project = world.project()
    accepted = []
    for case in BAD:
        try:
            _upload(world, project, SimpleUploadedFile(case.name, case.body))
        except InvalidInput:
            continue
        accepted.append(case.id)
    assert accepted == []
    assert _nothing_stored(project, settings)


@pytest.mark.parametrize("case", GOOD, ids=[case.id for case in GOOD])
def test_good_file_is_accepted(world, case):
    version = _upload(world, world.project(), SimpleUploadedFile(case.name, case.body))
    assert version.original_name == case.name
    with version.file.open("rb") as stored:
        assert stored.read() == case.body


def test_plain_pdf_upload_is_accepted(world):
    version = _upload(world, world.project(), pdf_upload("建设方案.pdf"))
    assert version.content_type == "application/pdf"


def test_clean_docx_is_a_docx():
    sniffed = sniff_upload(SimpleUploadedFile("设计.docx", upload_corpus.docx_bytes()))
    assert sniffed.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_png_is_a_png():
    assert sniff_upload(SimpleUploadedFile("截图.png", upload_corpus.png_bytes())).content_type == "image/png"


@pytest.mark.parametrize("wrap", ["uploaded", "file"])
def test_a_300_character_name_keeps_its_extension(world, wrap):
    long_name = "建" * 300 + ".pdf"
    body = upload_corpus.PDF
    # Django's UploadedFile shortens a name itself; a plain File (as other callers may pass) does not.
    file = (
        SimpleUploadedFile(long_name, body) if wrap == "uploaded" else File(io.BytesIO(body), name=long_name)
    )
    assert sniff_upload(file).name == "建" * 251 + ".pdf"
    version = _upload(world, world.project(), file)
    assert version.original_name.endswith(".pdf")
    assert len(version.original_name) == 255


def test_a_script_across_a_chunk_boundary_is_found():
    """The file is read in 1 MiB chunks; a marker split by the boundary is still seen."""
    body = upload_corpus.PDF + b"%" + b"0" * (1024 * 1024 - len(upload_corpus.PDF) - 4) + b"<script>x"
    assert body.index(b"<script") < 1024 * 1024 < body.index(b"<script") + 7
    with pytest.raises(InvalidInput, match="<script"):
        sniff_upload(SimpleUploadedFile("跨块.pdf", body))


def test_a_pdf_name_across_a_chunk_boundary_is_not_misread():
    """/JSON cut at a chunk boundary after /JS is not /JS."""
    prefix = upload_corpus.pdf_with(b"")
    body = prefix + b"%" + b"0" * (1024 * 1024 - len(prefix) - 4) + b"/JSON 1\n"
    assert body.index(b"/JSON") + 3 == 1024 * 1024
    assert sniff_upload(SimpleUploadedFile("边界.pdf", body)).content_type == "application/pdf"
