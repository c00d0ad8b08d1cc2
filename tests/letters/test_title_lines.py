"""A title longer than a line is set in lines of nearly equal length (GB/T 9704-2012: 排列对称，长短适宜),
not wrapped by the renderer with a character or two left alone on its last line."""

import re
import subprocess

import pytest

from core.letters import TITLE_CHARACTERS, title_lines
from tests.conftest import ROOT
from tests.factories.records import opinion_record

from .conftest import bdc_with_short_name, issued_pdf

LONG_NAME = "文登区全域视频监控联网共享平台二期建设"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于教育平台项目的函", ["关于教育平台项目的函"]),
        # 21 characters: wrapped, 知 would stand alone; set as two, ending after a phrase.
        ("关于智慧城市综合治理平台项目限期整改的通知", ["关于智慧城市综合治理平台", "项目限期整改的通知"]),
        # Neither a number nor a Latin word is split; no line starts with closing punctuation.
        (
            "关于某某区5G智慧园区（二期）工程建设项目竣工验收意见的函",
            ["关于某某区5G智慧园区（二期）", "工程建设项目竣工验收意见的函"],
        ),
    ],
)
def test_title_lines(title, lines):
    assert title_lines(title) == lines


@pytest.mark.parametrize("length", range(1, 70))
def test_every_line_fits_and_the_lines_keep_the_title(length):
    title = ("关于全区政务信息化项目2026年度第三批评审结果（汇总）的通知" * 3)[:length]
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(0 < len(line) <= TITLE_CHARACTERS for line in lines)
    assert len(lines) == -(-length // TITLE_CHARACTERS) or length > 40  # as few lines as the width allows
    if len(lines) > 1:
        assert min(map(len, lines)) >= 5, lines  # no line of a few characters left alone


@pytest.mark.django_db
def test_the_pdf_sets_a_long_title_in_balanced_lines(world, django_capture_on_commit_callbacks, tmp_path):
    bdc_with_short_name(world)
    from projects.enums import ProjectState

    project = world.project_in_state(ProjectState.REVIEWING, name=LONG_NAME)
    opinion = opinion_record(project=project, by=world.bdc, conclusion="pass", summary="项目建设必要。")
    letter, path = issued_pdf(
        opinion, world.bdc, django_capture_on_commit_callbacks, tmp_path / "opinion.pdf"
    )
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    printed = [
        "".join(re.findall(r">([^<]+)</word>", inner))
        for inner in re.findall(r"<line [^>]*>(.*?)</line>", xml, re.S)
    ]
    expected = title_lines(letter.content["title"])
    assert len(expected) > 1
    start = printed.index(expected[0])
    assert printed[start : start + len(expected)] == expected
    keep = ROOT / "test-artifacts" / "letters"
    keep.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(keep / "long-title-page1"),
        ],
        check=True,
    )
