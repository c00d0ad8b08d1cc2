"""Issuing the 评审意见: the number, the PDF as a new document version, the opinion citing it, the timeline,
corrections, failures and refusals. Tasks run inline (CELERY_TASK_ALWAYS_EAGER) as in the embedded default."""

import hashlib

import pytest

from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.letters import letter_number
from core.models import Letter, TimelineEntry
from core.verification import timeline_verify
from core.workdays import chinese_date
from projects.enums import DocumentKind
from projects.models import DocumentVersion
from projects.services import project_transition
from reviews.issuing import review_letter_retry, review_opinion_issue
from tests.factories.records import opinion_record

from .conftest import opinion_for

pytestmark = pytest.mark.django_db


def _issue(opinion, by, capture, **kwargs) -> Letter:
    with capture(execute=True):
        letter = review_opinion_issue(opinion=opinion, by=by, **kwargs)
    letter.refresh_from_db()
    return letter


def test_letter_number_is_organ_code_year_and_serial_without_zeros_or_di():
    assert (
        letter_number(short_name="文大数据", kind="review_opinion", year=2026, serial=3)
        == "文大数据评〔2026〕3号"
    )
    assert (
        letter_number(short_name="文大数据", kind="acceptance_letter", year=2027, serial=12)
        == "文大数据验〔2027〕12号"
    )


def test_chinese_date_uses_arabic_numerals_without_padding():
    from datetime import date

    assert chinese_date(date(2026, 11, 2)) == "2026年11月2日"


def test_issue_renders_stores_and_attaches_the_pdf(world, opinion, django_capture_on_commit_callbacks):
    letter = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)

    assert letter.status == Letter.Status.READY, letter.error
    assert letter.number.startswith("文大数据评〔") and letter.number.endswith("〕1号")
    assert letter.serial == 1 and letter.source_id == opinion.pk
    assert letter.addressee == "区教育和体育局、区财政局"
    assert letter.title == "关于智慧教育综合服务平台项目的评审意见"
    version = letter.document
    assert version.document.kind == DocumentKind.REVIEW_OPINION
    assert version.content_type == "application/pdf"
    with version.file.open("rb") as handle:
        body = handle.read()
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == version.sha256
    assert version.file.name.endswith(version.sha256)
    assert version.size == len(body)
    opinion.refresh_from_db()
    assert opinion.document_id == version.pk

    entries = list(TimelineEntry.objects.filter(project=opinion.project).order_by("seq"))
    numbered = [e for e in entries if e.action == "reviews.opinion.number"]
    issued = [e for e in entries if e.action == "reviews.opinion.issue"]
    assert len(numbered) == 1 and numbered[0].data["number"] == letter.number
    assert len(issued) == 1
    assert issued[0].data["number"] == letter.number
    assert issued[0].data["conclusion"] == "pass"
    assert issued[0].documents == [version.as_record()]
    assert issued[0].documents[0]["sha256"] == version.sha256
    assert timeline_verify(project_id=opinion.project_id) == []


def test_the_snapshot_holds_what_the_letter_says(world, opinion, django_capture_on_commit_callbacks):
    letter = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    c = letter.content
    assert c["number"] == letter.number
    assert c["project"]["code"] == opinion.project.code
    assert c["conclusion_label"] == "通过"
    assert [e["name"] for e in c["experts"]] == [str(e) for e in world.experts]
    assert [x["label"] for x in c["criteria"]] == ["项目必要性", "项目可行性", "项目经济性"]
    assert c["criteria"][0]["source"] == "《威海市文登区“智慧文登”项目建设管理办法》第十二条"
    assert "第十二条" in c["body"][0]["text"]
    assert [a["title"] for a in c["attachments"]] == ["评审专家组名单", "评审要点及依据"]


def _opinion_check(project):
    from projects.checks import evaluate_checks

    return next(c for c in evaluate_checks(project, "approve") if c.code == "ANY-opinion")


def test_the_issued_opinion_meets_the_approve_check(world, opinion, django_capture_on_commit_callbacks):
    assert _opinion_check(opinion.project).passed is not True  # recorded, not yet issued
    _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    from projects.models import Project

    assert _opinion_check(Project.objects.get(pk=opinion.project_id)).passed is True


def test_numbers_follow_on_without_gaps_across_projects(world, issuer, django_capture_on_commit_callbacks):
    numbers = []
    for i in range(3):
        op = opinion_for(world, name=f"项目{i}")
        numbers.append(_issue(op, world.bdc, django_capture_on_commit_callbacks).serial)
    assert numbers == [1, 2, 3]


def test_a_refused_issue_gives_its_number_back(
    world, opinion, django_capture_on_commit_callbacks, monkeypatch
):
    import reviews.issuing

    def broken(**kwargs):
        raise RuntimeError("记录失败")

    monkeypatch.setattr(reviews.issuing, "timeline_append", broken)
    with pytest.raises(RuntimeError):
        review_opinion_issue(opinion=opinion, by=world.bdc)
    assert not Letter.objects.exists()
    monkeypatch.undo()
    assert _issue(opinion, world.bdc, django_capture_on_commit_callbacks).serial == 1


def test_a_letter_is_never_changed_or_deleted(world, opinion, django_capture_on_commit_callbacks):
    letter = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    letter.title = "改过的标题"
    with pytest.raises(TypeError):
        letter.save()
    with pytest.raises(TypeError):
        letter.save(update_fields=["title"])
    with pytest.raises(TypeError):
        letter.delete()


def test_issuing_twice_is_refused_and_a_correction_names_the_original(
    world, opinion, django_capture_on_commit_callbacks
):
    first = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict, match="已出具"):
        review_opinion_issue(opinion=opinion, by=world.bdc)
    with pytest.raises(InvalidInput, match="更正原因"):
        review_opinion_issue(opinion=opinion, by=world.bdc, replaces=first)

    second = _issue(
        opinion, world.bdc, django_capture_on_commit_callbacks, replaces=first, reason="专家姓名有误"
    )

    assert second.status == Letter.Status.READY
    assert second.replaces_id == first.pk and second.serial == 2
    assert second.content["replaces"]["number"] == first.number
    first.refresh_from_db()
    assert first.status == Letter.Status.READY and first.document_id != second.document_id
    versions = DocumentVersion.objects.filter(
        document__project=opinion.project, document__kind="review_opinion"
    )
    assert sorted(versions.values_list("number", flat=True)) == [1, 2]
    opinion.refresh_from_db()
    assert opinion.document_id == second.document_id
    with pytest.raises(Conflict, match="已有更正件"):
        review_opinion_issue(opinion=opinion, by=world.bdc, replaces=first, reason="再次更正")


def test_only_the_latest_opinion_is_issued(world, opinion):
    newer = opinion_record(project=opinion.project, by=world.bdc, conclusion="fail", summary="复议后不同意。")
    with pytest.raises(Conflict, match="取代"):
        review_opinion_issue(opinion=opinion, by=world.bdc)
    assert review_opinion_issue(opinion=newer, by=world.bdc).status == Letter.Status.PENDING


@pytest.mark.parametrize("role", ["finance", "auditor", "dept", "supervisor", "sysadmin"])
def test_only_the_bdc_issues(world, opinion, role):
    with pytest.raises((NotPermitted, NotFound)):
        review_opinion_issue(opinion=opinion, by=getattr(world, role))
    assert not Letter.objects.exists()


def test_a_bdc_of_another_jurisdiction_cannot_issue(world, opinion):
    from core.enums import OrganisationKind, Role
    from tests.factories import JurisdictionFactory, OrganisationFactory, UserFactory

    other = JurisdictionFactory(code="zhaoyuan", policy_code="zhaoyuan-2021", project_prefix="ZY")
    org = OrganisationFactory(jurisdiction=other, kind=OrganisationKind.BDC, short_name="招大数据")
    stranger = UserFactory(username="bdc-zy", role=Role.BDC, organisation=org)
    with pytest.raises(NotFound):
        review_opinion_issue(opinion=opinion, by=stranger)


def test_issue_outside_review_is_refused(world, issuer):
    op = opinion_for(world)
    project_transition(project_id=op.project_id, name="reject", by=world.bdc, data={"comment": "不符合规划"})
    op.refresh_from_db()
    with pytest.raises(Conflict, match="不予立项"):
        review_opinion_issue(opinion=op, by=world.bdc)


def test_issue_without_organ_code_is_refused(world):
    op = opinion_for(world)  # the BDC has no 机关代字
    with pytest.raises(Conflict, match="机关代字"):
        review_opinion_issue(opinion=op, by=world.bdc)
    assert not Letter.objects.exists()


def test_a_failed_rendering_is_shown_and_retried_under_the_same_number(
    world, opinion, django_capture_on_commit_callbacks, monkeypatch
):
    import core.letters

    def broken(letter):
        raise OSError("字体文件不可读")

    monkeypatch.setattr(core.letters, "letter_pdf", broken)
    letter = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    assert letter.status == Letter.Status.FAILED
    assert "字体文件不可读" in letter.error
    assert letter.document_id is None
    failed = TimelineEntry.objects.get(project=opinion.project, action="core.letter.fail")
    assert failed.data["number"] == letter.number
    with pytest.raises(Conflict, match="重新生成"):
        review_opinion_issue(opinion=opinion, by=world.bdc)
    with pytest.raises(NotPermitted):
        review_letter_retry(letter=letter, by=world.finance)

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        review_letter_retry(letter=letter, by=world.bdc)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.serial == 1
    assert Letter.objects.count() == 1
    assert timeline_verify(project_id=opinion.project_id) == []


def test_a_task_delivered_twice_stores_one_version(world, opinion, django_capture_on_commit_callbacks):
    from core.tasks import letter_render

    letter = _issue(opinion, world.bdc, django_capture_on_commit_callbacks)
    assert letter_render(letter_id=letter.pk) == "ready"
    assert DocumentVersion.objects.filter(document__kind="review_opinion").count() == 1


def test_a_letter_lost_on_its_way_to_the_workers_can_be_queued_again(
    world, opinion, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    letter = review_opinion_issue(opinion=opinion, by=world.bdc)  # its task never ran
    with pytest.raises(Conflict, match="无需重新生成"):
        review_letter_retry(letter=letter, by=world.bdc)
    Letter.objects.filter(pk=letter.pk).update(issued_at=letter.issued_at - timedelta(minutes=11))
    letter.refresh_from_db()
    assert letter.is_stale and letter.can_retry
    with django_capture_on_commit_callbacks(execute=True):
        review_letter_retry(letter=letter, by=world.bdc)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.serial == 1


def test_a_broker_that_is_down_does_not_undo_the_issue(
    world, opinion, django_capture_on_commit_callbacks, monkeypatch
):
    from core.tasks import letter_render

    def down(*args, **kwargs):
        raise ConnectionError("Redis 不可用")

    monkeypatch.setattr(letter_render, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        letter = review_opinion_issue(opinion=opinion, by=world.bdc)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING and letter.number.endswith("〕1号")
