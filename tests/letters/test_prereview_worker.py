"""A real Celery worker, in its own process, renders the 预审意见书 (gongshu-draft 四(二)) the BDC issued here."""

import io
import re
import subprocess
import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.models import Letter
from projects.enums import ProjectState
from projects.models import Project
from reviews.services import prereview_record
from tests.factories import World

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def declared_gongshu(db):
    world = World("gongshu-draft")
    world.bdc_org.short_name = "拱数据"
    world.bdc_org.save(update_fields=["short_name"])
    world.bdc.organisation.refresh_from_db()
    project = world.project(name="拱墅区城市大脑协同办公平台")
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())
    project.refresh_from_db()
    return world, project


def test_a_real_worker_renders_the_prereview_opinion(declared_gongshu, worker, tmp_path, monkeypatch):
    import core.letters

    def not_here(letter):
        raise AssertionError("rendered in the test process, not by the worker")

    monkeypatch.setattr(core.letters, "letter_pdf", not_here)
    world, project = declared_gongshu
    pre = prereview_record(
        project=project,
        by=world.bdc,
        outcome="split",
        opinion="平台建设与数据治理两部分宜拆分建设、分别申报。",
    )
    letter = pre.letter
    assert letter.status == Letter.Status.PENDING
    deadline = time.monotonic() + 120
    while letter.status == Letter.Status.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        letter.refresh_from_db()
    assert letter.status == Letter.Status.READY, letter.error
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT  # 拆分: back to the department

    with letter.document.file.open("rb") as handle:
        pdf = handle.read()
    flat = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "预审结论为“拆分项目建设”" in flat
    assert letter.number in flat and letter.number.startswith("拱数据预审〔")
    assert "拱墅区城市大脑协同办公平台" in flat
    path = tmp_path / "prereview.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    assert (
        next(tmp_path.glob("page*.png")).stat().st_size > 5_000
    )  # page 1 looked at: no boxes, 〔〕 in place
