"""The 评审意见 PDF read back: its text, its fonts (all embedded, CJK), its page geometry (GB/T 9704-2012),
and page 1 as a PNG (test-artifacts/letters/ keeps the last one, for a person to look at)."""

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT

from .conftest import issued_pdf, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db
POINTS_PER_MM = 72 / 25.4


@pytest.fixture
def issued(world, opinion, django_capture_on_commit_callbacks, tmp_path):
    return issued_pdf(opinion, world.bdc, django_capture_on_commit_callbacks, tmp_path / "opinion.pdf")


def test_the_pdf_says_what_the_opinion_says(issued, opinion):
    letter, path = issued
    text = pdf_text(path)
    flat = re.sub(r"\s+", "", text)
    assert letter.number in flat
    assert "关于智慧教育综合服务平台项目的评审意见" in flat
    assert opinion.project.name in flat and opinion.project.code in flat
    assert "评审结论为“通过”" in flat
    assert "项目建设必要，方案可行，投资估算基本合理。" in flat
    assert "区教育和体育局、区财政局：" in flat  # 主送机关, ending in a full-width colon
    assert "附件：1.评审专家组名单" in flat and "2.评审要点及依据" in flat
    assert "《威海市文登区“智慧文登”项目建设管理办法》第十二条" in flat
    for expert in opinion.project.panel.filter(active=True):
        assert str(expert.expert) in flat
    date_text = letter.content["date_text"]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date_text) and date_text in flat
    assert "— 1 —" in text and "— 2 —" in text  # page numbers at the foot
    assert "〔" in letter.number and "第" not in letter.number


def test_every_font_is_embedded_and_cjk(issued):
    _, path = issued
    fonts, warnings = pdf_fonts(path)
    assert fonts, "no fonts in the PDF"
    assert all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts]
    assert all("CJK" in f["name"] or "FangSong" in f["name"] or "Song" in f["name"] for f in fonts), fonts
    assert warnings.strip() == ""


def test_the_page_is_a4_with_the_gb9704_text_block(issued):
    _, path = issued
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (
        abs(float(box.width) - 210 * POINTS_PER_MM) < 1 and abs(float(box.height) - 297 * POINTS_PER_MM) < 1
    )
    # The words' boxes on page 1: the text block starts 28 mm from the left and 37 mm from the top,
    # and nothing of the body passes 28 + 156 mm.
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = [
        (float(x0), float(y0), float(x1), w)
        for x0, y0, x1, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', html
        )
    ]
    addressee = next(w for w in words if w[3].startswith("区教育和体育局"))
    assert abs(addressee[0] - 28 * POINTS_PER_MM) < 1.5, addressee  # flush left at the binding margin
    body = [w for w in words if not w[3].startswith("—")]
    assert min(w[1] for w in body) > 37 * POINTS_PER_MM - 3
    assert max(w[2] for w in body) < (28 + 156) * POINTS_PER_MM + 1.5
    page_number = next(w for w in words if w[3] == "—")
    assert page_number[1] > (37 + 225) * POINTS_PER_MM  # below the text block


def test_body_lines_are_22_to_the_block_and_28_characters_wide(issued):
    _, path = issued
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [
        (float(x0), float(y0), float(x1), "".join(re.findall(r">([^<]+)</word>", inner)))
        for x0, y0, x1, inner in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', xml, re.S
        )
    ]
    start = next(i for i, line in enumerate(lines) if line[3].startswith("根据"))
    body = lines[start : start + 6]
    pitches = [b[1] - a[1] for a, b in pairwise(body)]
    assert all(abs(p - 225 / 22 * POINTS_PER_MM) < 0.6 for p in pitches), pitches  # 22 lines in 225 mm
    # A character of 3号 in a 156 mm line of 28: the first line is 2 characters of indent and 26 of text.
    assert abs(body[0][0] - (28 * POINTS_PER_MM + 2 * 156 / 28 * POINTS_PER_MM)) < 1.5
    widths = [
        (x1 - x0) / len(text)
        for x0, _, x1, text in body
        if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef“”]+", text)
    ]
    assert widths and all(abs(w - 156 / 28 * POINTS_PER_MM) < 0.3 for w in widths), widths


def test_page_one_renders_to_png(issued):
    _, path = issued
    out = path.parent / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(out)], check=True)
    png = next(path.parent.glob("page*.png"))
    assert png.stat().st_size > 10_000
    keep = ROOT / "test-artifacts" / "letters"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, keep / "review-opinion-page1.png")
    shutil.copy(path, keep / "review-opinion.pdf")
    assert Path(keep / "review-opinion-page1.png").exists()
