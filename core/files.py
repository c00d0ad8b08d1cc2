"""What an uploaded file really is, judged by its content (libmagic), never by its name or header."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings

from .errors import InvalidInput

# Content type → the extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({".pdf"}),
    "application/ofd": frozenset({".ofd"}),
    "application/msword": frozenset({".doc", ".wps"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({".docx"}),
    "application/vnd.ms-excel": frozenset({".xls", ".et"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({".xlsx"}),
    "application/vnd.ms-powerpoint": frozenset({".ppt", ".dps"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": frozenset({".pptx"}),
    "application/zip": frozenset({".zip", ".ofd"}),
    "image/png": frozenset({".png"}),
    "image/jpeg": frozenset({".jpg", ".jpeg"}),
    "text/plain": frozenset({".txt", ".csv"}),
    "text/csv": frozenset({".csv"}),
}
# libmagic names some formats several ways; these are the same thing.
ALIASES = {
    "application/x-ole-storage": "application/msword",
    "application/CDFV2": "application/msword",
    "application/vnd.ms-office": "application/msword",
    "application/x-zip-compressed": "application/zip",
}
DANGEROUS_PREFIXES = (
    "application/x-dosexec",
    "application/vnd.microsoft.portable-executable",
    "application/x-executable",
    "application/x-sharedlib",
    "application/x-mach-binary",
    "application/x-pie-executable",
    "text/x-shellscript",
    "application/x-msdownload",
    "text/html",
    "image/svg",
)


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    size: int
    sha256: str
    name: str


def sniff_upload(uploaded) -> SniffedFile:
    """Read the upload once: its real size, SHA-256 and content type. Refuses what it must not store."""
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name).suffix.lower()
    digest = hashlib.sha256()
    size = 0
    head = b""
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        size += len(chunk)
        if size > settings.DOCUMENT_MAX_BYTES:
            raise InvalidInput(
                f"文件“{name}”超过{settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}MB的大小上限。"
            )
        digest.update(chunk)
    uploaded.seek(0)
    if size == 0:
        raise InvalidInput(f"文件“{name}”是空文件。")
    detected = magic.from_buffer(head, mime=True)
    detected = ALIASES.get(detected, detected)
    if detected.startswith(DANGEROUS_PREFIXES):
        raise InvalidInput(f"文件“{name}”的内容是可执行程序或网页脚本（{detected}），不能作为项目文档上传。")
    # Office Open XML and OFD are zip containers; libmagic sees the zip when the first entry is not telling.
    if detected == "application/zip" and extension in {".docx", ".xlsx", ".pptx", ".ofd"}:
        detected = _zip_member_type(uploaded, extension) or detected
    allowed = ALLOWED_TYPES.get(detected)
    if allowed is None:
        raise InvalidInput(
            f"文件“{name}”的内容类型（{detected}）不在允许范围内：请上传 PDF、OFD、Word、Excel、图片等文档。"
        )
    if extension not in allowed:
        raise InvalidInput(
            f"文件“{name}”的扩展名{extension or '（无）'}与其实际内容（{detected}）不符，请检查后重新上传。"
        )
    return SniffedFile(content_type=detected, size=size, sha256=digest.hexdigest(), name=name)


def _zip_member_type(uploaded, extension: str) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        uploaded.seek(0)
    markers = {
        ".docx": (
            "word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ".xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ".pptx": (
            "ppt/presentation.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ".ofd": ("OFD.xml", "application/ofd"),
    }
    member, content_type = markers[extension]
    return content_type if member in names else None
