"""A real Celery worker, in its own process, renders the 评审意见 that the BDC issued in this one."""

import re
import subprocess
import time

import pytest

from core.models import Letter, TimelineEntry
from reviews.issuing import review_opinion_issue
from reviews.models import ReviewOpinion

from .conftest import bdc_with_short_name, opinion_for, pdf_fonts, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_ready(letter: Letter, timeout: float = 120) -> Letter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letter.refresh_from_db()
        if letter.status != Letter.Status.PENDING:
            return letter
        time.sleep(0.5)
    raise AssertionError(f"{letter.number} was not rendered within {timeout}s")


def test_a_real_worker_renders_the_review_opinion(world, worker, tmp_path, monkeypatch):
    import core.letters

    def not_here(letter):
        raise AssertionError("rendered in the test process, not by the worker")

    monkeypatch.setattr(core.letters, "letter_pdf", not_here)  # only the worker's process can render
    bdc_with_short_name(world)
    opinion = opinion_for(world, conclusion="pass_with_changes", summary="建议补充数据共享分析篇后实施。")

    letter = review_opinion_issue(opinion=opinion, by=world.bdc)  # committed: the task goes to the worker
    assert letter.status == Letter.Status.PENDING

    letter = _wait_ready(letter)
    assert letter.status == Letter.Status.READY, letter.error
    opinion = ReviewOpinion.objects.get(pk=opinion.pk)
    assert opinion.document_id == letter.document_id
    entry = TimelineEntry.objects.get(project=opinion.project, action="reviews.opinion.issue")
    assert entry.data["number"] == letter.number
    assert entry.documents[0]["sha256"] == letter.document.sha256

    path = tmp_path / "opinion.pdf"
    with letter.document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    flat = re.sub(r"\s+", "", pdf_text(path))
    assert opinion.project.name in flat
    assert "评审结论为“修改后通过”" in flat
    assert letter.number in flat

    fonts, warnings = pdf_fonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert all("CJK" in f["name"] for f in fonts), fonts
    assert warnings.strip() == ""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True
    )
    assert next(tmp_path.glob("p*.png")).stat().st_size > 5_000
