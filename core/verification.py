"""Verifying the timelines and anchoring them.

A project's record is intact when its entries run 1…n without a gap, each sealed (core.seal) over its content
and the seal before it, and its head (sealed apart from the rows) says n entries ending in the last seal. The
daily anchor fixes every head as it stood under one digest and one seal; the next verification holds each
project against it, so what the rows and the head cannot show alone — a project's whole record removed, a
chain cut back and rewritten — is named too. Each finding says which entry and what broke, in Chinese, as
the auditor reads it.

The pass over all projects reads every entry once, in order (one streamed query), and the heads and the
anchor once: its cost grows with the entries, not with their square."""

import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .models import TimelineAnchor, TimelineCheck, TimelineEntry, TimelineHead, User
from .seal import Seal, digest, seal_problem
from .sequences import sequence_next

log = logging.getLogger(__name__)

_ENTRY_FIELDS = [
    f.attname for f in TimelineEntry._meta.concrete_fields if f.name not in ("id",)
]  # everything the seal covers, and the seal


def _project_model():
    return TimelineHead._meta.get_field("project").related_model


NO_RECORD = "本项目没有任何时间线记录（至少应有立项申报的创建记录）"


@dataclass
class _Anchored:
    number: str
    count: int
    last_hash: str


def _span(first: int, last: int) -> str:
    return f"第{first}条" if first == last else f"第{first}–{last}条"


def _entry_problems(
    entries: Iterable[TimelineEntry], anchored: _Anchored | None
) -> tuple[list[str], int, str]:
    """The problems of one project's rows in seq order; also how many there are and the last seal."""
    problems: list[str] = []
    prev, expected, count = "", 1, 0
    for entry in entries:
        count += 1
        if entry.seq > expected:
            problems.append(f"{_span(expected, entry.seq - 1)}缺失")
        if entry.prev_hash != prev:
            problems.append(f"第{entry.seq}条与前一条的链接不符（顺序被改动，或前一条被删除、改写）")
        seal = Seal(entry.key_id, entry.algorithm, entry.hash)
        unusable = seal_problem(seal)
        if unusable:
            problems.append(f"第{entry.seq}条：{unusable}")
        elif not entry.seal_intact():
            problems.append(f"第{entry.seq}条内容与其封存值不符（已被改动或被重新计算）")
        if anchored and entry.seq == anchored.count and entry.hash != anchored.last_hash:
            problems.append(f"第{entry.seq}条与{anchored.number}锚定时的封存值不符（锚定后被改写）")
        prev, expected = entry.hash, entry.seq + 1
    return problems, count, prev


def _head_problems(head: TimelineHead | None, count: int, last_seq: int, last_hash: str) -> list[str]:
    if head is None:
        return ["缺少时间线记录头（条数无从核对，记录头被删除）"] if count else []
    problems = []
    unusable = seal_problem(Seal(head.key_id, head.algorithm, head.seal))
    if unusable:
        problems.append(f"记录头：{unusable}")
    elif not head.seal_intact():
        problems.append("记录头与其封存值不符（记录头被改动）")
    if count == 0:
        problems.append(f"全部{head.count}条记录缺失（记录头记为{head.count}条）")
    elif head.count > last_seq:
        problems.append(
            f"末尾{_span(last_seq + 1, head.count)}缺失（记录头记为{head.count}条，现存至第{last_seq}条）"
        )
    elif head.count < last_seq:
        problems.append(f"记录头记为{head.count}条，现存至第{last_seq}条（有未经记录头的追加）")
    elif head.last_hash != last_hash:
        problems.append("末条的封存值与记录头不符（末条被替换）")
    return problems


def _anchor_problems(anchored: _Anchored | None, last_seq: int) -> list[str]:
    if anchored is None or last_seq >= anchored.count:
        return []
    if last_seq == 0:
        return [f"{anchored.number}锚定时本项目有{anchored.count}条记录，现已全部不存在"]
    return [f"{anchored.number}锚定时本项目有{anchored.count}条记录，现仅存至第{last_seq}条"]


def _project_problems(entries, head, anchored) -> tuple[list[str], int]:
    entries = list(entries)
    problems, count, last_hash = _entry_problems(entries, anchored)
    last_seq = entries[-1].seq if entries else 0
    problems += _head_problems(head, count, last_seq, last_hash)
    problems += _anchor_problems(anchored, last_seq)
    return problems, count


def _latest_anchor() -> TimelineAnchor | None:
    return TimelineAnchor.objects.order_by("-made_at", "-id").defer("heads").first()


def _anchored_head(anchor_id: int, project_id: int) -> list | None:
    """One project's [count, last seal] in an anchor, without loading the whole list. (The ORM's key
    transform reads a numeric key as an array index, hence the SQL.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT heads -> %s FROM core_timelineanchor WHERE id = %s", [str(project_id), anchor_id]
            )
        else:
            path = f'$."{project_id}"'
            cursor.execute(
                "SELECT json_extract(heads, %s) FROM core_timelineanchor WHERE id = %s", [path, anchor_id]
            )
        row = cursor.fetchone()
    value = row[0] if row else None
    return json.loads(value) if isinstance(value, str) else value


def timeline_verify(*, project_id: int) -> list[str]:
    """What is wrong with one project's record: empty when every entry, its head and the latest anchor agree."""
    anchor = _latest_anchor()
    value = _anchored_head(anchor.pk, project_id) if anchor else None
    anchored = _Anchored(anchor.number, int(value[0]), value[1]) if value else None
    entries = TimelineEntry.objects.filter(project_id=project_id).order_by("seq").only(*_ENTRY_FIELDS)
    head = TimelineHead.objects.filter(project_id=project_id).first()
    problems, count = _project_problems(entries, head, anchored)
    if (
        count == 0
        and head is None
        and anchored is None
        and _project_model().objects.filter(pk=project_id).exists()
    ):
        problems.append(NO_RECORD)
    return problems


# ---- every project ------------------------------------------------------------------------------------


@dataclass
class TimelineReport:
    projects: int = 0
    entries: int = 0
    broken: dict[int, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    anchor: TimelineAnchor | None = None

    @property
    def intact(self) -> bool:
        return not self.broken and not self.general


def _grouped_entries() -> Iterator[tuple[int, Iterator[TimelineEntry]]]:
    rows = TimelineEntry.objects.order_by("project_id", "seq").only(*_ENTRY_FIELDS).iterator(chunk_size=2000)
    return itertools.groupby(rows, key=lambda entry: entry.project_id)


def anchors_verify() -> list[str]:
    """The anchors' own chain: each sealed, numbered without a gap in its year, holding the digest of the
    heads it lists, and naming the digest of the one before it."""
    problems = []
    prev_seal, prev_year, prev_serial = "", None, 0
    for anchor in TimelineAnchor.objects.order_by("made_at", "id").iterator(chunk_size=50):
        seal = Seal(anchor.key_id, anchor.algorithm, anchor.seal)
        if seal_problem(seal):
            problems.append(f"{anchor.number}：{seal_problem(seal)}")
        elif not anchor.seal_intact():
            problems.append(f"{anchor.number}与其封存值不符（锚定记录被改动）")
        if anchor.digest != heads_digest(anchor.heads):
            problems.append(f"{anchor.number}所列记录头与其摘要不符")
        if anchor.prev_seal != prev_seal:
            problems.append(f"{anchor.number}与前一锚定的链接不符（其前的锚定被删除或改动）")
        expected = prev_serial + 1 if anchor.year == prev_year else 1
        if anchor.serial != expected:
            missing = (
                f"第{expected}号"
                if expected == anchor.serial - 1
                else f"第{expected}号至第{anchor.serial - 1}号"
            )
            problems.append(f"{anchor.year}年{missing}锚定缺失")
        prev_seal, prev_year, prev_serial = anchor.seal, anchor.year, anchor.serial
    return problems


def timeline_verify_all() -> TimelineReport:
    """Every project's record against its head and the latest anchor, and the anchors' own chain."""
    anchor = TimelineAnchor.objects.order_by("-made_at", "-id").first()
    anchored_heads = {int(k): v for k, v in (anchor.heads if anchor else {}).items()}
    heads = {head.project_id: head for head in TimelineHead.objects.iterator(chunk_size=5000)}
    report = TimelineReport(anchor=anchor, general=anchors_verify())
    seen: set[int] = set()
    for project_id, entries in _grouped_entries():
        seen.add(project_id)
        _verify_one(report, project_id, entries, heads.get(project_id), anchor, anchored_heads)
    for project_id in (set(heads) | set(anchored_heads)) - seen:
        _verify_one(report, project_id, [], heads.get(project_id), anchor, anchored_heads)
        seen.add(project_id)
    for project_id in _project_model().objects.values_list("pk", flat=True).iterator(chunk_size=10_000):
        if project_id not in seen:  # a project with no entry, no head and not in the anchor
            report.projects += 1
            report.broken[project_id] = [NO_RECORD]
    return report


def _verify_one(report, project_id, entries, head, anchor, anchored_heads) -> None:
    value = anchored_heads.get(project_id)
    anchored = _Anchored(anchor.number, int(value[0]), value[1]) if value else None
    problems, count = _project_problems(entries, head, anchored)
    report.projects += 1
    report.entries += count
    if problems:
        report.broken[project_id] = problems


def timeline_check_record(*, by: User | None = None) -> TimelineCheck:
    """Verify everything and keep the result (the daily job, the command with --record, an auditor's request)."""
    started = timezone.now()
    report = timeline_verify_all()
    names = dict(
        (row[0], {"code": row[1], "name": row[2]})
        for row in _project_model()
        .objects.filter(pk__in=list(report.broken))
        .values_list("pk", "code", "name")
    )
    check = TimelineCheck.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        requested_by=by,
        projects=report.projects,
        entries=report.entries,
        anchor=report.anchor,
        broken={
            str(pid): {
                **names.get(pid, {"code": f"#{pid}", "name": "（项目记录已不存在）"}),
                "problems": problems,
            }
            for pid, problems in sorted(report.broken.items())
        },
        general=report.general,
    )
    for pid, problems in report.broken.items():
        log.error("项目 %s 时间线校验失败：%s", pid, "；".join(problems))
    for problem in report.general:
        log.error("时间线锚定校验失败：%s", problem)
    return check


# ---- anchors ------------------------------------------------------------------------------------------


def heads_digest(heads: dict) -> str:
    """The digest of an anchor's heads: one line "project:count:last seal" each, in project order."""
    lines = (
        f"{int(pid)}:{int(v[0])}:{v[1]}\n" for pid, v in sorted(heads.items(), key=lambda kv: int(kv[0]))
    )
    return digest("".join(lines))


def anchor_number(year: int, serial: int) -> str:
    return f"时间线锚定〔{year}〕{serial}号"


def timeline_anchor_issue() -> TimelineAnchor:
    """Verify, then fix every project's head as it stands in a new numbered, sealed anchor chained to the last.

    The verification is kept beside the anchor: an anchor made over a broken record says so, and the break
    is not forgiven by it (the next verification still holds each project to its head and seals)."""
    check = timeline_check_record()
    with transaction.atomic():
        heads = {
            str(pid): [count, last]
            for pid, count, last in TimelineHead.objects.order_by("project_id").values_list(
                "project_id", "count", "last_hash"
            )
        }
        previous = TimelineAnchor.objects.order_by("-made_at", "-id").only("seal").first()
        made_at = timezone.now()
        year = timezone.localdate(made_at).year
        serial = sequence_next(f"timeline-anchor:{year}")
        anchor = TimelineAnchor(
            year=year,
            serial=serial,
            number=anchor_number(year, serial),
            made_at=made_at,
            projects=len(heads),
            entries=sum(v[0] for v in heads.values()),
            heads=heads,
            digest=heads_digest(heads),
            prev_seal=previous.seal if previous else "",
            verification=check,
        )
        anchor.seal_here()
        anchor.save()
    return anchor
