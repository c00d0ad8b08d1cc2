"""Issued official documents (公文): numbering, rendering to PDF, storing the PDF as a document version.

`letter_issue` takes the 发文字号 from a gapless counter (per issuing body, kind and year) in the caller's
transaction and queues the rendering with `on_commit`; `letter_render_store` (run by the Celery task
`core.tasks.letter_render`) lays the letter out as GB/T 9704-2012 asks (LETTERS.md), stores the PDF under
its SHA-256 as a new version of the project's document of that kind, and writes the timeline entry. What
the letter says is its `content` snapshot, so the same PDF text can be made again from the record.

A pending letter is its own outbox entry, committed with the issue: `letter_publish` hands its task to the
broker after the commit and fails fast, and the beat job's sweep `letters_requeue_due` queues whatever the
broker never took or lost (docs/operations.md)."""

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .errors import Conflict, InvalidInput
from .models import Letter, Organisation, User
from .publish import pdf_queue_options, tasks_publish
from .sequences import sequence_next
from .timeline import timeline_append
from .workdays import chinese_date

log = logging.getLogger(__name__)


# 发文字号 = 机关代字 + the kind's suffix + 〔年份〕 + 序号 + 号, e.g. 文大数据评〔2026〕3号.
NUMBER_SUFFIX: dict[str, str] = {
    Letter.Kind.REVIEW_OPINION: "评",
    Letter.Kind.ACCEPTANCE_LETTER: "验",
    Letter.Kind.PREREVIEW_OPINION: "预审",
    Letter.Kind.RECTIFICATION_NOTICE: "改",
}
# The timeline action and label written when a letter of the kind is ready, and what else must follow
# (for a review opinion: the opinion cites its PDF).
KIND_ACTIONS: dict[str, tuple[str, str]] = {
    Letter.Kind.REVIEW_OPINION: ("reviews.opinion.issue", "印发评审意见"),
    Letter.Kind.ACCEPTANCE_LETTER: ("acceptance.letter.issue", "印发竣工验收意见函"),
    Letter.Kind.PREREVIEW_OPINION: ("reviews.prereview.issue", "印发预审意见书"),
    Letter.Kind.RECTIFICATION_NOTICE: ("acceptance.rectification_notice.issue", "印发整改通知"),
}
# What else follows once a letter of a kind is ready (for a review opinion: the opinion cites its PDF), and how
# the project's row is locked and the PDF stored as its document: filled by the apps in their
# AppConfig.ready() (`letter_ready_register`, `letter_storage_register`), so core imports none of them.
ON_READY: dict[str, Callable] = {}
_STORAGE: dict[str, Callable] = {}


def letter_ready_register(kind: str, on_ready: Callable) -> None:
    ON_READY[kind] = on_ready


def letter_storage_register(*, lock_project: Callable, store: Callable) -> None:
    """`lock_project(project_id)` locks the project's row in the caller's transaction; `store(project=, kind=,
    file=, name=, content_type=, size=, sha256=, by=, title=)` stores the PDF as its next document version."""
    _STORAGE.update(lock_project=lock_project, store=store)


# Every kind is laid out by pdf/letter.html unless it names a template of its own here.
TEMPLATES: dict[str, str] = {}


def letter_number(*, short_name: str, kind: str, year: int, serial: int) -> str:
    """机关代字〔年份〕序号号: hexagonal brackets, no leading zeros, no 第."""
    return f"{short_name}{NUMBER_SUFFIX[kind]}〔{year}〕{int(serial)}号"


def letter_issue(
    *,
    project,
    kind: str,
    organisation: Organisation,
    addressee: str,
    title: str,
    content: dict,
    by: User,
    source_id: int | None = None,
    replaces: Letter | None = None,
) -> Letter:
    """Number and record a letter, and queue its PDF. The caller runs this inside its transaction with
    the project's row locked and has checked that `by` may issue it; a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("letter_issue must run inside the transaction that records the issue")
    _check_issuable(project=project, kind=kind, organisation=organisation, replaces=replaces)
    now = timezone.now()
    year = timezone.localdate(now).year
    serial = sequence_next(f"letter:{organisation.pk}:{kind}:{year}")
    number = letter_number(short_name=organisation.short_name, kind=kind, year=year, serial=serial)
    snapshot = _snapshot(
        content, number=number, kind=kind, issuer=organisation.name, addressee=addressee, title=title
    )
    snapshot["replaces"] = (
        {"id": replaces.pk, "number": replaces.number, "title": replaces.title} if replaces else None
    )
    letter = Letter.objects.create(
        project=project,
        kind=kind,
        source_id=source_id,
        organisation=organisation,
        year=year,
        serial=serial,
        number=number,
        addressee=addressee,
        title=title,
        content=snapshot,
        replaces=replaces,
        issued_by=by,
        issued_at=now,
    )
    letter_queue(letter)
    return letter


def _check_issuable(*, project, kind: str, organisation: Organisation, replaces: Letter | None) -> None:
    if kind not in Letter.Kind.values:
        raise InvalidInput(f"未知的文种：{kind}。")
    if not organisation.short_name:
        raise Conflict(
            f"“{organisation.name}”尚未设置机关代字，不能编发文字号；请系统管理员在运维管理中设置。"
        )
    if replaces is not None and (replaces.project_id != project.pk or replaces.kind != kind):
        raise InvalidInput("更正件须更正本项目同一文种的文件。")


def _snapshot(content: dict, *, number: str, kind: str, issuer: str, addressee: str, title: str) -> dict:
    """What the letter says, with its heading as issued: the PDF can be made again from this alone."""
    today = timezone.localdate()
    return {
        **content,
        "number": number,
        "kind": kind,
        "kind_label": Letter.Kind(kind).label,
        "issuer": issuer,
        "addressee": addressee,
        "title": title,
        "date": today.isoformat(),
        "date_text": chinese_date(today),
    }


def letter_queue(letter: Letter) -> None:
    """Hand the rendering to the broker once the issuing transaction commits (inline when tasks run eagerly).

    The pending letter is itself the outbox entry, committed with the issue: if the broker is down the
    request is answered at once all the same, the letter waits (已登记，生成排队中) and the sweep
    `letters_requeue_due` queues it when the broker is back."""
    letter_id = letter.pk
    # robust: nothing after the commit may turn the committed issue into an error page.
    transaction.on_commit(lambda: letter_publish([letter_id]), robust=True)


def letter_publish(letter_ids: list[int]) -> list[int]:
    """Send the letters' rendering tasks to the broker (to `CELERY_PDF_QUEUE` when a deployment routes PDF
    work to workers of its own) and note when it took each; returns the ids it took. A broker fault is
    logged, never raised: the letters not taken stay in the outbox for the sweep."""
    from .tasks import letter_render

    count = tasks_publish(letter_render, [{"letter_id": pk} for pk in letter_ids], **pdf_queue_options())
    taken = letter_ids[:count]
    if taken:
        Letter.objects.filter(pk__in=taken).update(queued_at=timezone.now())
    return taken


def letters_requeue_due(*, limit: int = 200) -> list[int]:
    """The outbox sweep (the beat job `letters-requeue`, every minute): queue every pending letter the broker
    never took, and queue again every one it took more than `Letter.STALE_AFTER_SECONDS` ago that is still
    pending (its message lost, its worker killed). A letter queued twice is still rendered and stored once."""
    due = timezone.now() - timedelta(seconds=Letter.STALE_AFTER_SECONDS)
    ids = list(
        Letter.objects.filter(status=Letter.Status.PENDING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=due))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    taken = letter_publish(ids)
    log.info("发文 PDF 重新排队：%d 件待生成，%d 件已送入队列", len(ids), len(taken))
    return taken


def letter_retry(*, letter: Letter, by: User) -> Letter:
    """Render a letter whose PDF failed (or never came) again, under the number it already has (no new
    number, no gap)."""
    with transaction.atomic():
        _STORAGE["lock_project"](letter.project_id)  # the project first, then its letter
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if not locked.can_retry:
            raise Conflict(f"“{locked.number}”当前状态为“{locked.get_status_display()}”，无需重新生成。")
        locked.status, locked.error, locked.queued_at, locked.attempts = Letter.Status.PENDING, "", None, 0
        locked.save(update_fields=["status", "error", "queued_at", "attempts"])
        timeline_append(
            project=locked.project,
            action="core.letter.retry",
            label=f"重新生成{locked.get_kind_display()}",
            actor=by,
            data={"number": locked.number, "letter_id": locked.pk},
        )
        letter_queue(locked)
    return locked


# ---- rendering ----------------------------------------------------------------------------------------


# 2号 (22 pt) characters on the 156 mm line of the text block: 20 (GB/T 9704-2012 7.3.1).
TITLE_CHARACTERS = 20
_NO_LINE_START = set("，。、；：？！）」』》〉”’%·—")
_NO_LINE_END = set("（「『《〈“‘")
# Where a line of a title reads best ending: after the words that close a phrase of our titles (关于…, the
# project's name, 项目). Without a dictionary a break elsewhere may split a word, so these are preferred.
_PHRASE_ENDS = ("关于", "项目", "平台", "系统", "工程", "中心", "建设", "改造", "升级", "）")
_PREFERRED = 3  # characters of imbalance a phrase end is worth


def _may_break(title: str, at: int) -> bool:
    before, after = title[at - 1], title[at]
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False  # inside a Latin word or a number
    return after not in _NO_LINE_START and before not in _NO_LINE_END


def title_lines(title: str, width: int = TITLE_CHARACTERS) -> list[str]:
    """The title in lines of nearly equal length, as GB/T 9704 asks of a title that takes more than one
    (排列对称，长短适宜): a title the browser wrapped would leave one or two characters alone on its last line.
    No line breaks a Latin word or a number, starts with closing punctuation or ends with opening; a line
    ends after a phrase (`_PHRASE_ENDS`) where that costs little balance."""
    lines, rest = [], title
    while len(rest) > width:
        count = -(-len(rest) // width)  # lines still to make
        target = -(-len(rest) // count)
        allowed = [at for at in range(1, min(width, len(rest) - 1) + 1) if _may_break(rest, at)]
        phrase = {at for at in allowed if rest[:at].endswith(_PHRASE_ENDS)}
        at = min(
            allowed,
            key=lambda at: (abs(at - target) - _PREFERRED * (at in phrase), at not in phrase, -at),
            default=width,
        )
        lines.append(rest[:at])
        rest = rest[at:]
    return [*lines, rest]


def letter_html(letter: Letter) -> str:
    """The letter's HTML, from its snapshot only (the record, not today's data)."""
    template = TEMPLATES.get(letter.kind, "pdf/letter.html")
    content = letter.content
    context = {"c": content, "letter": letter, "title_lines": title_lines(content.get("title", ""))}
    return render_to_string(template, context)


def letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    return HTML(string=letter_html(letter), base_url=str(settings.BASE_DIR)).write_pdf()


def _file_name(letter: Letter) -> str:
    safe = "".join(ch for ch in f"{letter.number}{letter.title}" if ch not in '\\/:*?"<>|')
    return f"{safe[:200]}.pdf"


def _store_version(*, project, letter: Letter, pdf: bytes):
    """A new version of the project's document of the letter's kind, stored under its hash; nothing before
    it is replaced."""
    return _STORAGE["store"](
        project=project,
        kind=letter.kind,
        file=ContentFile(pdf),
        name=_file_name(letter),
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        by=letter.issued_by,
        title=letter.get_kind_display(),
    )


# Errors that pass (the database restarting, a deadlock): `core.tasks.letter_render` retries them with
# backoff and the letter stays pending; any other failure of the renderer is the letter's visible error.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# The renderings a worker may begin for one letter: one that kills its worker every time (redelivered by
# reject_on_worker_lost, or queued again by the sweep) is given up as failed instead of looping for ever.
MAX_ATTEMPTS = 8


def letter_render_store(*, letter_id: int) -> str:
    """Render the letter and store it. Idempotent: only a pending letter is rendered, and only one still
    pending under the lock is stored, so a task delivered twice, or two renderings at once, make one PDF
    version under the one number."""
    letter = Letter.objects.select_related("organisation", "issued_by").get(pk=letter_id)
    if letter.status != Letter.Status.PENDING:
        return letter.status
    Letter.objects.filter(pk=letter_id).update(attempts=F("attempts") + 1)
    if letter.attempts >= MAX_ATTEMPTS:
        return _letter_fail(
            letter_id=letter_id, error=f"PDF 生成已尝试 {letter.attempts} 次均未完成（生成进程中断或超时）。"
        )
    try:
        pdf = letter_pdf(letter)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # any other failure of the renderer becomes the letter's visible error
        log.exception("发文 %s 生成 PDF 失败", letter.number)
        return _letter_fail(letter_id=letter_id, error=f"PDF 生成失败：{type(exc).__name__}: {exc}")
    with transaction.atomic():
        project = _STORAGE["lock_project"](letter.project_id)  # the project first, then its letter
        locked = Letter.objects.select_for_update().get(pk=letter_id)
        if locked.status != Letter.Status.PENDING:  # stored meanwhile by another delivery, or given up
            return locked.status
        version = _store_version(project=project, letter=locked, pdf=pdf)
        locked.status, locked.error, locked.document = Letter.Status.READY, "", version
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["status", "error", "document", "rendered_at"])
        if locked.kind in ON_READY:
            ON_READY[locked.kind](letter=locked, version=version)
        action, label = KIND_ACTIONS[locked.kind]
        timeline_append(
            project=project,
            action=action,
            label=label,
            actor=locked.issued_by,
            comment=f"{locked.number}《{locked.title}》",
            data={
                "number": locked.number,
                "letter_id": locked.pk,
                "conclusion": locked.content.get("conclusion", ""),
                "replaces": (locked.content.get("replaces") or {}).get("number", ""),
            },
            documents=[version.as_record()],
        )
    return Letter.Status.READY


def _letter_fail(*, letter_id: int, error: str) -> str:
    project_id = Letter.objects.values_list("project_id", flat=True).get(pk=letter_id)
    with transaction.atomic():
        project = _STORAGE["lock_project"](project_id)  # the project first, then its letter
        locked = Letter.objects.select_for_update().get(pk=letter_id)
        if locked.status != Letter.Status.PENDING:
            return locked.status
        locked.status, locked.error = Letter.Status.FAILED, error[:2000]
        locked.save(update_fields=["status", "error"])
        timeline_append(
            project=project,
            action="core.letter.fail",
            label=f"{locked.get_kind_display()}生成失败",
            actor=None,
            comment=locked.error,
            data={"number": locked.number, "letter_id": locked.pk},
        )
    return Letter.Status.FAILED
