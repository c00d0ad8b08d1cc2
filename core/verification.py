"""Verifying the timelines and anchoring them.

A project's record is intact when its entries run 1…n without a gap, each sealed (core.seal) over its content
and the seal before it, and its head (sealed apart from the rows) says n entries ending in the last seal. The
daily anchor fixes every head as it stood under one digest and one seal; the next verification holds each
project against it, so what the rows and the head cannot show alone — a project's whole record removed, a
chain cut back and rewritten — is named too. Each finding says which entry and what broke, in Chinese, as
the auditor reads it.

The full pass over all projects reads every entry once, in order (one streamed query), and the heads and
the anchor once: its cost grows with the entries, not with their square. The incremental pass (below) reads
each project from where the last anchored check stopped: its cost grows with the projects and the entries
added since."""

import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max
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
SEAL_BROKEN = "条内容与其封存值不符（已被改动或被重新计算）"


@dataclass
class _Anchored:
    number: str
    count: int
    last_hash: str


def _span(first: int, last: int) -> str:
    return f"第{first}条" if first == last else f"第{first}–{last}条"


def _entry_problems(
    entries: Iterable[TimelineEntry], anchored: _Anchored | None, since: _Anchored | None = None
) -> tuple[list[str], int, str]:
    """The problems of one project's rows in seq order; also how many there are and the last seal.

    `since`: an incremental check, the rows given starting at the checkpoint's entry (the one a trusted
    anchor fixed, already verified): that entry must still carry the checkpoint's seal, the rest follow."""
    problems: list[str] = []
    prev, expected, count = "", 1, 0
    entries = iter(entries)
    if since is not None:
        first = next(entries, None)
        if first is None or first.seq != since.count:
            problems.append(f"第{since.count}条（{since.number}校验至此）缺失")
            entries = itertools.chain([first] if first else [], entries)
            prev, expected = since.last_hash, since.count + 1
        else:
            if first.hash != since.last_hash:
                problems.append(f"第{first.seq}条与{since.number}锚定时的封存值不符（锚定后被改写）")
            elif not first.seal_intact():
                problems.append(f"第{first.seq}{SEAL_BROKEN}")
            prev, expected, count = first.hash, first.seq + 1, 1
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
            problems.append(f"第{entry.seq}{SEAL_BROKEN}")
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


def _project_problems(entries, head, anchored, since=None) -> tuple[list[str], int]:
    """A project's problems and how many of its entries were read (from the checkpoint on, with `since`)."""
    entries = list(entries)
    problems, count, last_hash = _entry_problems(entries, None if since else anchored, since)
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
    incremental: bool = False  # from each project's checkpoint on (timeline_verify_incremental)
    in_full: int = 0  # of them, the projects verified from their first entry (no trusted checkpoint)

    @property
    def intact(self) -> bool:
        return not self.broken and not self.general


def _grouped_entries() -> Iterator[tuple[int, Iterator[TimelineEntry]]]:
    rows = TimelineEntry.objects.order_by("project_id", "seq").only(*_ENTRY_FIELDS).iterator(chunk_size=2000)
    return itertools.groupby(rows, key=lambda entry: entry.project_id)


def anchors_verify(*, latest_only: bool = False) -> list[str]:
    """The anchors' own chain: each sealed, numbered without a gap in its year, holding the digest of the
    heads it lists, and naming the digest of the one before it. `latest_only`: the latest anchor alone and
    its link to the one before it (the incremental check; the full pass reads the whole chain)."""
    problems = []
    prev_seal, prev_year, prev_serial = "", None, 0
    anchors = TimelineAnchor.objects.order_by("made_at", "id")
    if latest_only:
        last_two = list(TimelineAnchor.objects.order_by("-made_at", "-id").values_list("pk", flat=True)[:2])
        anchors = anchors.filter(pk__in=last_two)
        if len(last_two) == 2:
            before = TimelineAnchor.objects.only("seal", "year", "serial").get(pk=last_two[1])
            prev_seal, prev_year, prev_serial = before.seal, before.year, before.serial
            anchors = anchors.filter(pk=last_two[0])
    for anchor in anchors.iterator(chunk_size=50):
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


def _verify_one(report, project_id, entries, head, anchor, anchored_heads, since=None) -> None:
    value = anchored_heads.get(project_id)
    anchored = _Anchored(anchor.number, int(value[0]), value[1]) if value else None
    problems, count = _project_problems(entries, head, anchored, since)
    report.projects += 1
    report.entries += count
    if problems:
        report.broken[project_id] = problems


# ---- incremental --------------------------------------------------------------------------------------
#
# Where the last check stopped is the latest anchor: it is made in the same database snapshot as the check
# before it (timeline_anchor_issue), so the head it fixes for each project the check found intact is exactly
# what was verified — the entry count and the last entry's seal — under the anchor's seal and digest. The
# incremental pass holds each project from that entry on: the checkpoint entry must still carry the anchored
# seal, every entry after it is verified as in the full pass, and the head must close the chain. Deleted old
# rows show at no cost (the rows counted per project against the head, one index scan), so does a chain cut
# back or rewritten with the key (the anchored seal no longer matches). What it does not read again is the
# content of the entries before the checkpoint: an old row edited in place is the weekly full pass's to
# name (beat: incremental Monday to Saturday, the full pass on Sunday; docs/operations.md).


def _checkpoints(anchor: TimelineAnchor) -> dict[int, _Anchored]:
    """Each project's checkpoint in the anchor: its anchored head, where the anchor's own verification found
    it intact (a project it named broken is verified from its first entry until repaired)."""
    check = TimelineCheck.objects.filter(pk=anchor.verification_id, finished_at__isnull=False).first()
    if check is None:
        return {}
    broken = {str(pid) for pid in check.broken}
    return {
        int(pid): _Anchored(anchor.number, int(value[0]), value[1])
        for pid, value in anchor.heads.items()
        if pid not in broken and int(value[0]) > 0
    }


INCREMENTAL_CHUNK = 2000  # projects verified together: what the incremental pass holds in memory at once


def _rows_per_project(project_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{project: (rows, last seq)} for these projects, from the (project, seq) index alone."""
    rows = (
        TimelineEntry.objects.filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"), last=Max("seq"))
        .values_list("project_id", "n", "last")
    )
    return {pid: (n, last) for pid, n, last in rows}


def _entries_from(starts: dict[int, int]) -> Iterator[TimelineEntry]:
    """The entries of these projects from the given seq on, in (project, seq) order: one query."""
    if not starts:
        return iter(())
    if connection.vendor == "postgresql":
        table = TimelineEntry._meta.db_table
        sql = (
            f"SELECT e.* FROM {table} e JOIN unnest(%s::bigint[], %s::integer[]) AS s(project_id, seq) "  # noqa: S608
            "ON e.project_id = s.project_id AND e.seq >= s.seq ORDER BY e.project_id, e.seq"
        )
        return iter(TimelineEntry.objects.raw(sql, [list(starts), list(starts.values())]))
    ids = sorted(starts)
    batches = (ids[i : i + 500] for i in range(0, len(ids), 500))
    return (
        entry
        for batch in batches
        for entry in TimelineEntry.objects.filter(project_id__in=batch).order_by("project_id", "seq")
        if entry.seq >= starts[entry.project_id]
    )


def timeline_verify_incremental() -> TimelineReport:
    """Every project's record from where the last check stopped (see above); the projects without a trusted
    checkpoint (new since the anchor, named broken by it, rows missing) from their first entry. Without a
    usable anchor — none yet, or the latest one itself broken — the full pass.

    The projects are taken `INCREMENTAL_CHUNK` at a time in id order, each chunk's heads, row counts and
    entries read together: memory stays that of one chunk (and the anchor's heads) however many there are."""
    anchor = TimelineAnchor.objects.order_by("-made_at", "-id").first()
    general = anchors_verify(latest_only=True)
    if anchor is None or general:
        return timeline_verify_all()
    anchored_heads = {int(k): v for k, v in anchor.heads.items()}
    checkpoints = _checkpoints(anchor)
    report = TimelineReport(anchor=anchor, general=general, incremental=True)
    # Every entry and head belongs to a project (foreign keys); an anchored project may be gone.
    project_ids = set(_project_model().objects.values_list("pk", flat=True).iterator(chunk_size=10_000))
    ids = sorted(project_ids | set(anchored_heads))
    for i in range(0, len(ids), INCREMENTAL_CHUNK):
        _verify_chunk(report, ids[i : i + INCREMENTAL_CHUNK], anchor, anchored_heads, checkpoints)
    return report


def _verify_chunk(report, chunk: list[int], anchor, anchored_heads, checkpoints) -> None:
    heads = {head.project_id: head for head in TimelineHead.objects.filter(project_id__in=chunk)}
    rows = _rows_per_project(chunk)
    starts, in_full = {}, set()
    for project_id in chunk:
        if project_id not in heads and project_id not in rows and project_id not in anchored_heads:
            report.projects += 1  # a project with no entry, no head and not in the anchor
            report.broken[project_id] = [NO_RECORD]
            continue
        since, head = checkpoints.get(project_id), heads.get(project_id)
        n, last = rows.get(project_id, (0, 0))
        if since and head and n == last == head.count >= since.count:
            starts[project_id] = since.count
        else:
            in_full.add(project_id)
    report.in_full += len(in_full)
    seen: set[int] = set()
    for project_id, entries in itertools.groupby(_entries_from(starts), key=lambda entry: entry.project_id):
        seen.add(project_id)
        since = checkpoints[project_id]
        _verify_one(report, project_id, entries, heads.get(project_id), anchor, anchored_heads, since)
    for project_id in sorted(set(starts) - seen):
        _verify_one(
            report, project_id, [], heads.get(project_id), anchor, anchored_heads, checkpoints[project_id]
        )
    full_rows = TimelineEntry.objects.filter(project_id__in=sorted(in_full)).order_by("project_id", "seq")
    for project_id, entries in itertools.groupby(
        full_rows.only(*_ENTRY_FIELDS).iterator(chunk_size=2000), key=lambda entry: entry.project_id
    ):
        seen.add(project_id)
        _verify_one(report, project_id, entries, heads.get(project_id), anchor, anchored_heads)
    for project_id in sorted(in_full - seen):
        _verify_one(report, project_id, [], heads.get(project_id), anchor, anchored_heads)


def timeline_check_record(*, by: User | None = None, incremental: bool = False) -> TimelineCheck:
    """Verify everything and keep the result (the daily job, the command with --record, an auditor's request);
    `incremental`: from each project's checkpoint on (the nightly job but Sunday's)."""
    started = timezone.now()
    report = timeline_verify_incremental() if incremental else timeline_verify_all()
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


def timeline_anchor_issue(*, full: bool = True) -> TimelineAnchor:
    """Verify (in full, or incrementally from the last anchor), then fix every project's head as it stands in
    a new numbered, sealed anchor chained to the last.

    The verification is kept beside the anchor: an anchor made over a broken record says so, and the break
    is not forgiven by it (the next verification still holds each project to its head and seals, and
    verifies it from its first entry). Check and heads are read in one snapshot (REPEATABLE READ on
    PostgreSQL), so what the anchor fixes for an intact project is exactly what was verified: the next
    incremental check starts there."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        check = timeline_check_record(incremental=not full)
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
