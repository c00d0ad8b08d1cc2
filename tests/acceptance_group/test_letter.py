"""The 竣工验收意见函 through the letter machinery: a real worker renders it, its text read back (pypdf); 12
conclusions at the same instant get gapless numbers; a correction names the letter it replaces."""

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from acceptance.group import acceptance_conclude
from acceptance.models import AcceptanceVerdict
from core.errors import InvalidInput
from core.models import Letter, TimelineEntry
from projects.enums import ProjectState
from tests.concurrency import run_together

SHORT_NAME = "文大数据"
# Where the rendered first page is left for a person to look at (LETTERS.md: no boxes in place of glyphs).
PNG_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "acceptance-letter"


def _ready_for_conclusion(world, **overrides):
    """A project in 竣工验收 with its group formed and every drawn expert's opinion (all conditions met)."""
    world.bdc_org.short_name = SHORT_NAME
    world.bdc_org.save(update_fields=["short_name"])
    world.bdc.organisation.refresh_from_db()
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE, **overrides)
    parties = {}
    for p in project.policy.acceptance_parties:
        parties[f"party:{p.code}"] = {"owner": "区教育和体育局", "designer": "省电子政务研究院"}.get(
            p.code, f"{p.label}某某公司"
        )
        parties[f"name:{p.code}"] = "赵六"
    world.act(project, "draw_acceptance_group", world.bdc, parties)
    for member in project.acceptance_members.filter(kind="expert").select_related("expert__user"):
        world.act(
            project,
            "acceptance_opinion",
            member.expert.user,
            {
                **{f"condition:{c.code}": "met" for c in project.policy.acceptance_conditions},
                "recommendation": "passed",
                "opinion": "同意通过验收。",
            },
        )
    return project


def _wait(letter: Letter, timeout: float = 120) -> Letter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letter.refresh_from_db()
        if letter.status != Letter.Status.PENDING:
            return letter
        time.sleep(0.5)
    raise AssertionError(f"{letter.number} was not rendered within {timeout}s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_acceptance_letter_read_back(world, tmp_path, monkeypatch, request):
    project = _ready_for_conclusion(world)  # built before the worker starts (eager until then)
    request.getfixturevalue("worker")
    import core.letters

    monkeypatch.setattr(
        core.letters, "letter_pdf", lambda letter: pytest.fail("rendered in the test process")
    )
    verdict = acceptance_conclude(
        project=project, by=world.bdc, conclusion="passed", summary="项目按批复内容建成。\n同意通过竣工验收。"
    )
    letter = _wait(verdict.letter)
    assert letter.status == Letter.Status.READY, letter.error
    assert re.fullmatch(rf"{SHORT_NAME}验〔\d{{4}}〕1号", letter.number)
    entry = TimelineEntry.objects.get(project=project, action="acceptance.letter.issue")
    assert entry.data["number"] == letter.number and entry.documents[0]["sha256"] == letter.document.sha256

    path = tmp_path / "acceptance.pdf"
    with letter.document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))
    assert letter.number in text
    assert "验收结论为“合格”" in text
    members = list(verdict.group.members.all())
    assert len(members) == 7  # three experts and the four parties of 第三十五条
    for member in members:
        assert re.sub(r"\s+", "", member.unit) in text, member.unit
    assert "项目验收资料齐全（第三十六条(四)）：满足" in text

    PNG_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(PNG_DIR / "page")], check=True)
    shutil.copy(path, PNG_DIR / "letter.pdf")
    assert next(PNG_DIR.glob("page*.png")).stat().st_size > 5_000


@pytest.mark.django_db(transaction=True)
def test_twelve_conclusions_at_once_get_gapless_numbers(monkeypatch):
    import core.letters
    from tests.factories import World

    world = World()
    projects = [_ready_for_conclusion(world, name=f"并发验收项目{i}") for i in range(12)]
    monkeypatch.setattr(core.letters, "letter_queue", lambda letter: None)  # numbering is under test here

    results = run_together(
        12,
        lambda i: acceptance_conclude(
            project=projects[i], by=world.bdc, conclusion="passed", summary="同意。"
        ),
    )

    assert [kind for kind, _ in results] == ["ok"] * 12, [v for k, v in results if k == "error"]
    letters = Letter.objects.filter(kind=Letter.Kind.ACCEPTANCE_LETTER)
    assert sorted(letters.values_list("serial", flat=True)) == list(range(1, 13))
    assert len(set(letters.values_list("number", flat=True))) == 12
    assert AcceptanceVerdict.objects.count() == 12


@pytest.mark.django_db
def test_a_correction_names_what_it_replaces_and_needs_a_reason(world, django_capture_on_commit_callbacks):
    project = _ready_for_conclusion(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = acceptance_conclude(project=project, by=world.bdc, conclusion="passed", summary="同意。")
    first.letter.refresh_from_db()
    with pytest.raises(InvalidInput):
        acceptance_conclude(project=project, by=world.bdc, conclusion="passed", summary="同意。")
    with django_capture_on_commit_callbacks(execute=True):
        second = acceptance_conclude(
            project=project,
            by=world.bdc,
            conclusion="passed",
            summary="同意，补充意见。",
            reason="补充验收意见",
        )
    second.letter.refresh_from_db()
    assert second.letter.replaces_id == first.letter_id
    assert second.letter.content["replaces"]["number"] == first.letter.number
    assert second.letter.serial == first.letter.serial + 1
    # the first PDF stays as it was: a new version, never overwritten
    assert first.letter.document_id != second.letter.document_id
    assert first.letter.document.sha256 != second.letter.document.sha256


@pytest.mark.django_db
def test_a_failed_conclusion_issues_the_rectification_notice_with_its_items(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    """不合格: beside the 竣工验收意见函, the 整改通知 (its own sequence, 机关代字改〔年〕n号) lists each item with its
    owner and deadline and cites the letter it follows from; a corrected conclusion's notice names the notice
    it replaces; the page offers both."""
    from datetime import timedelta

    from django.utils import timezone

    project = _ready_for_conclusion(world)
    due = timezone.localdate() + timedelta(days=30)
    items = [
        {"text": "补充数据库设计文档", "owner": "区教育和体育局", "due_on": due},
        {"text": "完成等级保护测评整改", "owner": "承建单位某某公司", "due_on": due + timedelta(days=10)},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        verdict = acceptance_conclude(
            project=project, by=world.bdc, conclusion="failed", summary="资料不全。", items=items
        )
    notice = Letter.objects.get(project=project, kind=Letter.Kind.RECTIFICATION_NOTICE)
    verdict.letter.refresh_from_db()
    assert notice.status == Letter.Status.READY, notice.error
    assert notice.source_id == verdict.pk
    assert re.fullmatch(rf"{SHORT_NAME}改〔\d{{4}}〕1号", notice.number)
    assert notice.document.document.kind == "rectification_notice"
    entry = TimelineEntry.objects.get(project=project, action="acceptance.rectification_notice.issue")
    assert entry.data["number"] == notice.number

    path = tmp_path / "notice.pdf"
    with notice.document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))
    assert notice.number in text and verdict.letter.number in text
    for item in items:
        assert item["text"] in text and item["owner"] in text
    assert f"{due.year}年{due.month}月{due.day}日" in text
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(PNG_DIR / "notice")], check=True)

    client.force_login(world.dept)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'整改通知 <span class="mono">{notice.number}</span>' in page

    with django_capture_on_commit_callbacks(execute=True):
        corrected = acceptance_conclude(
            project=project,
            by=world.bdc,
            conclusion="failed",
            summary="资料不全，补充一项。",
            items=[*items, {"text": "补充培训记录", "owner": "区教育和体育局", "due_on": due}],
            reason="补充整改事项",
        )
    second = Letter.objects.get(
        project=project, kind=Letter.Kind.RECTIFICATION_NOTICE, source_id=corrected.pk
    )
    assert second.replaces_id == notice.pk and second.serial == notice.serial + 1
    assert Letter.objects.filter(kind=Letter.Kind.RECTIFICATION_NOTICE).count() == 2
