"""A corpus of files an upload must refuse, and a few it must accept, all generated as small bytes.

Each bad file is a `Case`: the name it is uploaded under, its bytes, and a word the refusal must contain
(so it is refused for what it holds, not by chance). The zip bombs are real: their members inflate to the
sizes their central directory declares, but are built from one Flate block of a few MB of zeros repeated,
so making them takes milliseconds.
"""

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MIB = 1024 * 1024

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)
DOCUMENT_XML = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>建设方案</w:t></w:r></w:p></w:body></w:document>"
)


def windows_exe() -> bytes:
    """A minimal PE: the DOS header (MZ, e_lfanew at 0x3c), the PE signature, COFF and optional header."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    dos[0x3C:0x40] = struct.pack("<I", 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    optional = struct.pack("<H", 0x10B) + bytes(0xE0 - 2)
    return bytes(dos) + b"PE\0\0" + coff + optional


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(40)


def zip_bytes(members: dict[str, bytes | str], *, comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
        archive.comment = comment
    return buffer.getvalue()


def docx_bytes(extra: dict[str, bytes | str] | None = None, *, content_types: str = CONTENT_TYPES) -> bytes:
    """A clean Word document (what libmagic and the sniffer take for .docx), plus any `extra` members."""
    return zip_bytes(
        {"[Content_Types].xml": content_types, "word/document.xml": DOCUMENT_XML, **(extra or {})}
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(64)) + b"\xff\xd9"


def pdf_with(catalog_extra: bytes, *objects: bytes) -> bytes:
    """A small PDF whose catalog carries `catalog_extra`, with further objects numbered from 4."""
    body = b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>endobj\n"
    body += b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    body += b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    for number, obj in enumerate(objects, start=4):
        body += b"%d 0 obj" % number + obj + b"endobj\n"
    return body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 4 lives, Flate-compressed, in an object stream: the raw bytes never show it."""
    stream = zlib.compress(b"4 0 " + hidden)
    return pdf_with(
        b"/OpenAction 4 0 R",
        b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(stream)
        + stream
        + b"\nendstream",
    )


# --- zip bombs ---------------------------------------------------------------------------------------

_ZEROS_BLOCK = 4 * MIB


@functools.cache
def _zeros_flate() -> tuple[bytes, int]:
    """One full-flushed raw Deflate block of 4 MiB of zeros (identical every time it is repeated, since a
    full flush resets the window) and the CRC-32 of 64 MiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(_ZEROS_BLOCK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zeros = bytes(_ZEROS_BLOCK)
    for _ in range(16):
        crc = zlib.crc32(zeros, crc)
    return block, crc


def _zip_raw(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written entry by entry: (name, raw Deflate data, CRC-32, uncompressed size) for each member."""
    out = io.BytesIO()
    central = b""
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(encoded),
            0, 0, 0, 0, 0, offset,
        ) + encoded  # fmt: skip
    start = out.tell()
    out.write(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0))
    return out.getvalue()


def _deflated(name: str, body: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(body) + compressor.flush(), zlib.crc32(body), len(body)


def _zeros_member(name: str, mib: int) -> tuple[str, bytes, int, int]:
    """`mib` MiB of zeros (a multiple of 64), ~1000:1."""
    block, crc64 = _zeros_flate()
    assert mib % 64 == 0
    crc = crc64 if mib == 64 else _crc_of_zeros(mib)
    return name, block * (mib * MIB // _ZEROS_BLOCK) + b"\x03\x00", crc, mib * MIB


@functools.cache
def _crc_of_zeros(mib: int) -> int:
    crc, zeros = 0, bytes(_ZEROS_BLOCK)
    for _ in range(mib * MIB // _ZEROS_BLOCK):
        crc = zlib.crc32(zeros, crc)
    return crc


def zip_bomb(mib: int = 1024, *, docx: bool = False) -> bytes:
    """`mib` MiB declared (and really inflating to that), in 64 MiB members, a few hundred kB on disk."""
    members = [_zeros_member(f"data/part{i:03}.bin", 64) for i in range(mib // 64)]
    if docx:
        members = [_deflated("[Content_Types].xml", CONTENT_TYPES.encode()), _deflated("word/document.xml", DOCUMENT_XML.encode()), *members]  # fmt: skip
    return _zip_raw(members)


def zip_ratio_bomb() -> bytes:
    """Under the size limit (64 MiB) but ~1000 times its compressed size."""
    return _zip_raw([_zeros_member("zeros.bin", 64)])


# --- the corpus --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    body: bytes
    reason: str  # a word the refusal must contain


def _text_with_script_after(offset: int, script: bytes) -> bytes:
    line = "项目建设方案说明，纯文本。\n".encode()
    text = (line * (offset // len(line) + 1))[:offset]
    return text + script + b"\n" + line


def bad_files() -> list[Case]:
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    return [
        Case("docx-vbaproject", "宏.docx", docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}), "宏"),
        Case("docx-macro-content-type", "宏类型.docx", docx_bytes(content_types=MACRO_CONTENT_TYPES), "宏"),
        Case("docm-extension", "宏.docm", docx_bytes(), "宏"),
        Case("xlsm-extension", "表.xlsm", zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "宏"),
        Case(
            "xlsx-macrosheet", "宏表.xlsx",
            zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}),
            "宏",
        ),
        Case("pdf-openaction-js", "打开脚本.pdf", pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
        Case("pdf-js-escaped-name", "转义.pdf", pdf_with(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), "JavaScript"),
        Case("pdf-aa-js", "附加动作.pdf", pdf_with(b"/AA<</O<</S/JavaScript/JS 4 0 R>>>>", b"(app.alert(1))"), "JavaScript"),
        Case("pdf-launch", "启动.pdf", pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>"), "Launch"),
        Case(
            "pdf-embedded-file", "附件.pdf",
            pdf_with(b"/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>", b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream\n"),
            "嵌入文件",
        ),
        Case("pdf-js-in-object-stream", "对象流.pdf", pdf_with_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>"), "JavaScript"),
        Case("pdf-uri-javascript", "链接.pdf", pdf_with(b"/OpenAction<</S/URI/URI(javascript:alert(1))>>"), "javascript:"),
        Case("zip-bomb", "炸弹.zip", zip_bomb(), "压缩炸弹"),
        Case("docx-bomb", "炸弹.docx", zip_bomb(docx=True), "压缩炸弹"),
        Case("zip-ratio-bomb", "高压缩比.zip", zip_ratio_bomb(), "倍"),
        Case("zip-exe", "资料.zip", zip_bytes({"说明.txt": "见附件", "evil.exe": windows_exe()}), "evil.exe"),
        Case("zip-exe-renamed", "资料2.zip", zip_bytes({"readme.txt": windows_exe()}), "MZ"),
        Case("zip-elf", "资料3.zip", zip_bytes({"tool": ELF}), "ELF"),
        Case("zip-shebang", "资料4.zip", zip_bytes({"install": b"#!/bin/sh\nrm -rf /\n"}), "#!"),
        Case("zip-script-name", "资料5.zip", zip_bytes({"run.bat": b"@echo off\r\n", "a.vbs": b"x"}), "可执行程序或脚本"),
        Case("zip-nested-exe", "嵌套.zip", zip_bytes({"inner.zip": zip_bytes({"payload.bin": windows_exe()})}), "MZ"),
        Case("docx-with-exe", "附件.docx", docx_bytes({"word/embeddings/setup.exe": windows_exe()}), "setup.exe"),
        Case("pdf-html-polyglot", "多格式.pdf", PDF + html, "网页脚本"),
        Case("png-html-polyglot", "图片.png", png_bytes() + html, "网页脚本"),
        Case("jpeg-svg-polyglot", "照片.jpg", jpeg_bytes()[:-2] + b'<svg xmlns="x" onload="alert(1)"/>' + b"\xff\xd9", "<svg"),
        Case("docx-html-in-comment", "批注.docx", zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT_XML}, comment=b"<iframe src=x>"), "<iframe"),
        Case("pdf-javascript-uri-uppercase", "大写.pdf", PDF + b"%JAVASCRIPT:alert(1)\n", "javascript:"),
        Case("txt-script-after-8k", "说明.txt", _text_with_script_after(9000, b"<script>alert(1)</script>"), "<script"),
        Case("csv-script-late", "数据.csv", _text_with_script_after(200_000, b'"=1",<SCRIPT src=//x></SCRIPT>'), "<script"),
        Case("txt-utf16-script", "说明16.txt", "\ufeff说明文字\n".encode("utf-16-le") * 1200 + "<script>alert(1)</script>".encode("utf-16-le"), "<script"),
        Case("exe-as-pdf", "方案.pdf", windows_exe(), "可执行程序"),
        Case("html-as-txt", "网页.txt", b"<!DOCTYPE html>" + html, "网页脚本"),
    ]  # fmt: skip


def good_files() -> list[Case]:
    return [
        Case("pdf-with-openaction-fit", "目录跳转.pdf", pdf_with(b"/OpenAction[3 0 R/Fit]"), ""),
        Case("docx", "设计.docx", docx_bytes(), ""),
        Case("png", "截图.png", png_bytes(), ""),
        Case("jpeg", "照片.jpg", jpeg_bytes(), ""),
        Case(
            "txt-long",
            "说明.txt",
            _text_with_script_after(20_000, b"plain words: script, html, javascript"),
            "",
        ),
        Case("zip-of-documents", "资料.zip", zip_bytes({"方案.pdf": PDF, "设计.docx": docx_bytes()}), ""),
        Case("pdf-name-prefix", "名称.pdf", pdf_with(b"/JSON 1/Launched 2/EmbeddedFileX 3"), ""),
    ]
