"""What an uploaded file really is, judged by its content (libmagic), never by its name or header.

Beyond its type, the whole file is read for active content, and refused when it holds any: Office macros,
PDF script, launch and embedded-file actions, HTML or script anywhere (polyglots, script after the first
bytes of a text file), archives that would expand past a limit or that hold executables. Every refusal is
an `InvalidInput` saying what was found; the callers sniff before the transaction that stores the file.
"""

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

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
OLE_TYPES = frozenset({"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"})
# Macro-enabled Office formats, refused by their name whatever is inside.
MACRO_EXTENSIONS = frozenset(
    {".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppsm", ".ppam", ".sldm"}
)
# Members of an archive refused by their name alone.
EXECUTABLE_EXTENSIONS = frozenset(
    {
        ".exe", ".dll", ".bat", ".cmd", ".com", ".scr", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh",
        ".ps1", ".psm1", ".msi", ".msp", ".jar", ".sh", ".hta", ".cpl", ".pif", ".lnk", ".reg", ".apk",
    }
)  # fmt: skip
# Members of an archive refused by their first bytes.
EXECUTABLE_MAGIC = (
    (b"MZ", "Windows 可执行程序（MZ）"),
    (b"\x7fELF", "Linux 可执行程序（ELF）"),
    (b"#!", "脚本（#!）"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序（Mach-O）"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序（Mach-O）"),
    (b"\xfe\xed\xfa\xcf", "macOS 可执行程序（Mach-O）"),
    (b"\xfe\xed\xfa\xce", "macOS 可执行程序（Mach-O）"),
)

MIB = 1024 * 1024
CHUNK_BYTES = MIB
HEAD_BYTES = 8192  # what libmagic is shown; the checks below read the whole file
NAME_MAX = 255  # the length of DocumentVersion.original_name


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def archive_max_uncompressed() -> int:
    """The most an archive (zip, Office Open XML, OFD) may expand to, all members together."""
    return _limit("UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES", 200 * MIB)


def archive_max_ratio() -> int:
    """The most an archive may expand relative to its compressed members (checked once it expands past
    `archive_ratio_floor`, so a small, very compressible file is not a bomb)."""
    return _limit("UPLOAD_ARCHIVE_MAX_RATIO", 100)


def archive_ratio_floor() -> int:
    return _limit("UPLOAD_ARCHIVE_RATIO_FLOOR_BYTES", 8 * MIB)


ARCHIVE_MAX_MEMBERS = 10_000
NESTED_ARCHIVE_MAX_BYTES = 32 * MIB  # a zip inside a zip is read into memory to be checked in turn
NESTED_ARCHIVE_MAX_DEPTH = 3
CONTENT_TYPES_MAX_BYTES = 2 * MIB
PDF_OBJECT_STREAMS_MAX_BYTES = 200 * MIB  # total decompressed object streams of one PDF


def _utf16(text: str) -> bytes:
    return b"".join(re.escape(c.encode()) + b"\\x00" for c in text)


# HTML and script in a file that claims to be a document, an image or plain text: a polyglot that a
# browser (or a careless viewer) would run. Case-insensitive (searched in the lowered bytes), anywhere in
# the file. Each regex starts with a literal, so that it runs at memchr speed over binary data.
_HTML_MARKERS = {
    rb"script[\s>/]": "<script",
    rb"html[\s>]": "<html",
    rb"!doctype\s+html": "<!DOCTYPE html",
    rb"svg[^>]{0,1024}?\bon[a-z]+\s*=": "<svg on…=",
    rb"iframe[\s>/]": "<iframe",
    rb"\?php": "<?php",
}
_HTML_RE = re.compile(
    b"<(?:" + b"|".join(b"(?P<h%d>%s)" % (i, p) for i, p in enumerate(_HTML_MARKERS)) + b")"
)
_HTML_LABELS = list(_HTML_MARKERS.values())
_UTF16_MARKERS = {"script": "<script（UTF-16）", "html": "<html（UTF-16）", "iframe": "<iframe（UTF-16）"}
_UTF16_RE = re.compile(
    b"<\\x00(?:" + b"|".join(b"(?P<u%d>%s)" % (i, _utf16(m)) for i, m in enumerate(_UTF16_MARKERS)) + b")"
)
_UTF16_LABELS = list(_UTF16_MARKERS.values())
_URL_RE = re.compile(rb"script:")  # javascript:, vbscript:, told apart by what precedes
_URL_UTF16_RE = re.compile(_utf16("script:"))


def _script_hits(buffer: bytes):
    """(end, label) of each HTML or script marker in `buffer`."""
    lowered = buffer.lower()
    for match in _HTML_RE.finditer(lowered):
        yield match.end(), _HTML_LABELS[int(match.lastgroup[1:])]
    for match in _UTF16_RE.finditer(lowered):
        yield match.end(), _UTF16_LABELS[int(match.lastgroup[1:])]
    for match in _URL_RE.finditer(lowered):
        before = lowered[max(0, match.start() - 4) : match.start()]
        if before.endswith((b"java", b"vb")):
            yield match.end(), ("javascript:" if before.endswith(b"java") else "vbscript:")
    for match in _URL_UTF16_RE.finditer(lowered):
        if lowered[max(0, match.start() - 8) : match.start()] == "java".encode("utf-16-le"):
            yield match.end(), "javascript:（UTF-16）"


def _regex_hits(pattern: re.Pattern, labels: list[str]):
    def hits(buffer: bytes):
        for match in pattern.finditer(buffer):
            yield match.end(), labels[int(match.lastgroup[1:])]

    return hits


def _pdf_name(name: str) -> bytes:
    """A PDF name as the regex that also matches its #xx-escaped spellings (/J#61vaScript)."""
    letters = b"".join(b"(?:" + re.escape(c.encode()) + b"|#" + _hex(ord(c)) + b")" for c in name)
    return b"/" + letters + rb"(?![^\s()<>\[\]{}/%\x00])"


def _hex(code: int) -> bytes:
    high, low = f"{code:02x}"
    return f"[{high}{high.upper()}][{low}{low.upper()}]".encode()


# PDF names that run code or carry a file. PDF names are case-sensitive.
_PDF_NAMES = {
    "JavaScript": "JavaScript 脚本（/JavaScript）",
    "JS": "JavaScript 脚本（/JS）",
    "Launch": "启动外部程序的动作（/Launch）",
    "EmbeddedFile": "嵌入文件（/EmbeddedFile）",
    "EmbeddedFiles": "嵌入文件（/EmbeddedFiles）",
}
_PDF_RE = re.compile(
    b"/(?:" + b"|".join(b"(?P<p%d>%s)" % (i, _pdf_name(name)[1:]) for i, name in enumerate(_PDF_NAMES)) + b")"
)
_PDF_LABELS = list(_PDF_NAMES.values())
# Inside a stream's data (images, fonts: random-looking bytes) a two-letter name would turn up by chance
# in a large file, so there only the long names are looked for; an action's /S /JavaScript is long.
_PDF_LONG_RE = re.compile(
    b"/(?:"
    + b"|".join(
        b"(?P<p%d>%s)" % (i, _pdf_name(name)[1:]) for i, name in enumerate(_PDF_NAMES) if len(name) > 2
    )
    + b")"
)
# The name of the VBA project stream of a legacy (OLE) Office file, as its directory stores it.
_OLE_VBA_RE = re.compile(b"(?P<v0>" + _utf16("_VBA_PROJECT") + b")", re.IGNORECASE)
_OBJSTM_RE = re.compile(_pdf_name("ObjStm"))
_STREAM_RE = re.compile(rb"obj\s*<<(.{0,4096}?)>>\s*stream(?:\r\n|\n|\r)", re.DOTALL)


class _Scanner:
    """Finds markers in a file fed in chunks: each chunk is searched with the tail of the one before, and a
    hit that reaches the last bytes of a chunk is left for the next (it may go on there, /JS into /JSON).
    `hits(buffer)` yields the (end, label) of each marker in the buffer."""

    OVERLAP = 2048
    MARGIN = 64

    def __init__(self, hits):
        self.hits = hits
        self.tail = b""
        self.found: str | None = None

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if self.found is not None:
            return
        buffer = self.tail + chunk
        limit = len(buffer) if final else len(buffer) - self.MARGIN
        for end, label in self.hits(buffer):
            if end <= limit:
                self.found = label
                return
        self.tail = buffer[-self.OVERLAP :]


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    size: int
    sha256: str
    name: str


def safe_name(raw: str) -> str:
    """The file's own name, without any path, at most 255 characters: a longer stem is cut, its extension
    kept."""
    name = PurePath((raw or "").replace("\\", "/")).name
    if len(name) <= NAME_MAX:
        return name
    suffix = PurePath(name).suffix
    if not suffix or len(suffix) >= NAME_MAX:
        return name[:NAME_MAX]
    return name[: NAME_MAX - len(suffix)] + suffix


def sniff_upload(uploaded) -> SniffedFile:
    """Read the upload once, whole: its real size, SHA-256 and content type. Refuses what it must not store."""
    name = safe_name(uploaded.name or "")
    extension = PurePath(name).suffix.lower()
    if extension in MACRO_EXTENSIONS:
        raise InvalidInput(
            f"文件“{name}”是启用宏的 Office 文档（{extension}），宏可以执行代码，不能上传；"
            "请另存为不含宏的格式（如 .docx、.xlsx、.pptx）后重新上传。"
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    scripts = _Scanner(_script_hits)
    ole_vba = _Scanner(_regex_hits(_OLE_VBA_RE, ["VBA 宏工程（_VBA_PROJECT）"]))
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK_BYTES):
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > settings.DOCUMENT_MAX_BYTES:
            uploaded.seek(0)
            raise InvalidInput(f"文件“{name}”超过{settings.DOCUMENT_MAX_BYTES // MIB}MB的大小上限。")
        digest.update(chunk)
        for scanner in (scripts, ole_vba):
            scanner.feed(chunk)
    for scanner in (scripts, ole_vba):
        scanner.feed(b"", final=True)
    uploaded.seek(0)
    if size == 0:
        raise InvalidInput(f"文件“{name}”是空文件。")
    detected = magic.from_buffer(head, mime=True)
    detected = ALIASES.get(detected, detected)
    if detected.startswith(DANGEROUS_PREFIXES):
        raise InvalidInput(f"文件“{name}”的内容是可执行程序或网页脚本（{detected}），不能作为项目文档上传。")
    is_pdf = detected == "application/pdf" or b"%PDF-" in head[:1024]
    if is_pdf:
        _check_pdf(uploaded, name)
    if scripts.found:
        raise InvalidInput(
            f"文件“{name}”中含有网页脚本标记“{scripts.found}”，可能是伪装成{_kind(detected)}的网页或脚本，"
            "不能上传。"
        )
    if detected in OLE_TYPES and ole_vba.found:
        raise InvalidInput(f"文件“{name}”是含有{ole_vba.found}的 Office 文档，宏可以执行代码，不能上传。")
    names = _check_archive(uploaded, name, detected)
    # Office Open XML and OFD are zip containers; libmagic sees the zip when the first entry is not telling.
    if detected == "application/zip" and extension in {".docx", ".xlsx", ".pptx", ".ofd"}:
        detected = _zip_member_type(names or set(), extension) or detected
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


def _kind(detected: str) -> str:
    if detected == "application/pdf":
        return " PDF "
    if detected.startswith("image/"):
        return "图片"
    if detected.startswith("text/"):
        return "文本"
    return "文档"


# --- PDF ---------------------------------------------------------------------------------------------


def _check_pdf(uploaded, name: str) -> None:
    """The PDF's objects are read for script, launch and embedded-file names: outside stream data all of
    them, inside stream data the long ones, and the objects a PDF keeps Flate-compressed in object streams
    (/Type /ObjStm), where the raw bytes do not show them, once decompressed."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    budget = [PDF_OBJECT_STREAMS_MAX_BYTES]
    position = 0
    while position < len(data):
        match = _STREAM_RE.search(data, position)
        body_start = match.end() if match else len(data)
        _refuse_pdf_name(_PDF_RE.search(data, position, body_start), name)
        if match is None:
            break
        body_end = data.find(b"endstream", body_start)
        body_end = len(data) if body_end < 0 else body_end
        _refuse_pdf_name(_PDF_LONG_RE.search(data, body_start, body_end), name)
        if _OBJSTM_RE.search(match.group(1)):
            _check_pdf_object_stream(memoryview(data)[body_start:body_end], name, budget)
        position = body_end


def _refuse_pdf_name(match: re.Match | None, name: str) -> None:
    if match is not None:
        found = _PDF_LABELS[int(match.lastgroup[1:])]
        raise InvalidInput(f"文件“{name}”是含有{found}的 PDF，打开时可能执行代码，不能上传。")


def _check_pdf_object_stream(body: memoryview, name: str, budget: list[int]) -> None:
    scanner = _Scanner(_regex_hits(_PDF_RE, _PDF_LABELS))
    decompressor = zlib.decompressobj()
    position = 0
    try:
        while position < len(body) and not decompressor.eof:
            pending = bytes(body[position : position + 64 * 1024])
            position += len(pending)
            while pending and not decompressor.eof:
                out = decompressor.decompress(pending, CHUNK_BYTES)
                pending = decompressor.unconsumed_tail
                budget[0] -= len(out)
                if budget[0] < 0:
                    raise InvalidInput(
                        f"文件“{name}”的压缩对象流解压后超过{PDF_OBJECT_STREAMS_MAX_BYTES // MIB}MB，"
                        "可能是“压缩炸弹”，不能上传。"
                    )
                scanner.feed(out)
    except zlib.error:
        pass  # not Flate, or damaged: no reader gets objects out of it either
    scanner.feed(b"", final=True)
    if scanner.found:
        raise InvalidInput(
            f"文件“{name}”是含有{scanner.found}的 PDF（藏在压缩对象流中），打开时可能执行代码，不能上传。"
        )


# --- archives ----------------------------------------------------------------------------------------

_ZIP_LIKE = frozenset(
    {
        "application/zip",
        "application/ofd",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)


def _check_archive(uploaded, name: str, detected: str) -> set[str] | None:
    """The member names of a zip container (zip, Office Open XML, OFD), once it is found safe; None for
    what is not a zip. A file of another type that is a zip as well is checked the same way."""
    uploaded.seek(0)
    try:
        is_zip = zipfile.is_zipfile(uploaded)
    finally:
        uploaded.seek(0)
    if not is_zip and detected not in _ZIP_LIKE:
        return None
    try:
        archive = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        uploaded.seek(0)
        if detected in _ZIP_LIKE:
            raise InvalidInput(
                f"文件“{name}”是已损坏的压缩包（或 Office/OFD 文档），无法检查其内容，不能上传。"
            ) from exc
        return None
    try:
        with archive:
            _Totals(name).check(archive, depth=0)
            return set(archive.namelist())
    finally:
        uploaded.seek(0)


class _Totals:
    """What the archives of one upload add up to, nested ones included."""

    def __init__(self, name: str):
        self.name = name
        self.uncompressed = 0
        self.compressed = 0
        self.members = 0

    def refuse(self, what: str) -> NoReturn:
        raise InvalidInput(f"文件“{self.name}”{what}，不能上传。")

    def check(self, archive: zipfile.ZipFile, depth: int) -> None:
        infos = archive.infolist()
        self.members += len(infos)
        if self.members > ARCHIVE_MAX_MEMBERS:
            self.refuse(f"所含文件超过{ARCHIVE_MAX_MEMBERS}个")
        # Sizes from the central directory: nothing is extracted to judge them.
        self.uncompressed += sum(info.file_size for info in infos)
        self.compressed += sum(info.compress_size for info in infos)
        limit = archive_max_uncompressed()
        if self.uncompressed > limit:
            self.refuse(f"解压后共{_mib(self.uncompressed)}，超过{limit // MIB}MB的上限，可能是“压缩炸弹”")
        ratio = archive_max_ratio()
        if self.uncompressed > archive_ratio_floor() and self.uncompressed > ratio * max(self.compressed, 1):
            self.refuse(
                f"解压后（{_mib(self.uncompressed)}）是压缩数据的"
                f"{self.uncompressed // max(self.compressed, 1)}倍，超过{ratio}倍的上限，可能是“压缩炸弹”"
            )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            self.check_office(archive, infos)
        for info in infos:
            self.check_member(archive, info, depth)

    def check_office(self, archive: zipfile.ZipFile, infos) -> None:
        for info in infos:
            lowered = info.filename.lower()
            if lowered.endswith(("vbaproject.bin", "vbadata.xml")):
                self.refuse(f"是含有宏（{info.filename}）的 Office 文档，宏可以执行代码")
            if "/macrosheets/" in f"/{lowered}":
                self.refuse(f"是含有 Excel 4.0 宏表（{info.filename}）的 Office 文档，宏可以执行代码")
            if "/activex/" in f"/{lowered}":
                self.refuse(f"是含有 ActiveX 控件（{info.filename}）的 Office 文档，控件可以执行代码")
        info = archive.getinfo("[Content_Types].xml")
        content_types = self.read(archive, info, CONTENT_TYPES_MAX_BYTES).lower()
        for marker, what in (
            (b"macroenabled", "启用宏的内容类型（macroEnabled）"),
            (b"vbaproject", "宏工程的内容类型（vbaProject）"),
            (b"macrosheet", "宏表的内容类型（macrosheet）"),
        ):
            if marker in content_types:
                self.refuse(f"是声明了{what}的 Office 文档，宏可以执行代码")

    def check_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> None:
        member = info.filename
        suffix = PurePath(member.replace("\\", "/")).suffix.lower()
        if suffix in EXECUTABLE_EXTENSIONS:
            self.refuse(f"内含可执行程序或脚本“{member}”")
        if info.is_dir() or info.file_size == 0:
            return
        first = self.read(archive, info, 4)
        for prefix, what in EXECUTABLE_MAGIC:
            if first.startswith(prefix):
                self.refuse(f"内含可执行程序“{member}”（{what}）")
        if first.startswith(b"PK\x03\x04"):
            self.check_nested(archive, info, depth)

    def check_nested(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> None:
        import io

        if depth + 1 >= NESTED_ARCHIVE_MAX_DEPTH:
            self.refuse(f"内嵌的压缩包超过{NESTED_ARCHIVE_MAX_DEPTH}层（“{info.filename}”）")
        if info.file_size > NESTED_ARCHIVE_MAX_BYTES:
            self.refuse(f"内嵌的压缩包“{info.filename}”超过{NESTED_ARCHIVE_MAX_BYTES // MIB}MB，无法检查")
        body = self.read(archive, info, NESTED_ARCHIVE_MAX_BYTES)
        try:
            inner = zipfile.ZipFile(io.BytesIO(body))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            return  # starts like a zip but is none: nothing can unpack it either
        with inner:
            self.check(inner, depth + 1)

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
        if info.flag_bits & 0x1:
            self.refuse(f"内含加密的文件“{info.filename}”，无法检查其内容")
        try:
            with archive.open(info) as member:
                return member.read(limit)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
            self.refuse(f"内含无法读取的文件“{info.filename}”，无法检查其内容")


def _mib(size: int) -> str:
    return f"{size / MIB:.0f}MB" if size >= MIB else f"{size}字节"


def _zip_member_type(names: set[str], extension: str) -> str | None:
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
