"""Someone with the database's superuser rights (triggers off for their session) rewrites the record; the
verification names each kind of tampering: an edit, a deletion, a reordering, a cut tail, a whole project's
record removed, and a chain rewritten and rehashed without the key. The anchors hold what the rows and
heads alone cannot show."""

import hashlib
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.models import TimelineAnchor, TimelineEntry, TimelineHead
from core.seal import seal_keys
from core.timeline import timeline_append
from core.verification import (
    anchors_verify,
    timeline_anchor_issue,
    timeline_check_record,
    timeline_verify,
    timeline_verify_all,
)
from projects.enums import ProjectState
from tests.core.tampering import behind_the_triggers

pytestmark = pytest.mark.usefixtures("postgresql_only")

ENTRIES = TimelineEntry._meta.db_table
HEADS = TimelineHead._meta.db_table
ANCHORS = TimelineAnchor._meta.db_table
SEAL_CHANGED = "条内容与其封存值不符（已被改动或被重新计算）"


@pytest.fixture
def project(world):
    return world.project_in_state(ProjectState.CONSTRUCTION)


def entries_of(project):
    return list(TimelineEntry.objects.filter(project=project).order_by("seq"))


def test_an_intact_record_verifies(project):
    assert len(entries_of(project)) >= 10
    assert timeline_verify(project_id=project.pk) == []


def test_an_edited_entry_is_named(project):
    third = entries_of(project)[2]
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ENTRIES} SET comment = %s WHERE id = %s", ["事后篡改", third.pk])  # noqa: S608
    assert timeline_verify(project_id=project.pk) == [f"第3{SEAL_CHANGED}"]


def test_a_deleted_entry_is_named(project):
    sixth = entries_of(project)[5]
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE id = %s", [sixth.pk])  # noqa: S608
    assert timeline_verify(project_id=project.pk) == [
        "第6条缺失",
        "第7条与前一条的链接不符（顺序被改动，或前一条被删除、改写）",
    ]


def test_reordered_entries_are_named(project):
    third, fourth = entries_of(project)[2:4]
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ENTRIES} SET seq = 0 WHERE id = %s", [third.pk])  # noqa: S608
        cursor.execute(f"UPDATE {ENTRIES} SET seq = 3 WHERE id = %s", [fourth.pk])  # noqa: S608
        cursor.execute(f"UPDATE {ENTRIES} SET seq = 4 WHERE id = %s", [third.pk])  # noqa: S608
    link = "条与前一条的链接不符（顺序被改动，或前一条被删除、改写）"
    assert timeline_verify(project_id=project.pk) == [
        f"第3{link}",
        f"第3{SEAL_CHANGED}",
        f"第4{link}",
        f"第4{SEAL_CHANGED}",
        f"第5{link}",
    ]


def test_a_cut_tail_is_named_by_the_head(project):
    entries = entries_of(project)
    n = len(entries)
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE id IN (%s, %s)", [entries[-1].pk, entries[-2].pk])  # noqa: S608
    assert timeline_verify(project_id=project.pk) == [
        f"末尾第{n - 1}–{n}条缺失（记录头记为{n}条，现存至第{n - 2}条）"
    ]


def test_a_whole_projects_entries_deleted_are_named(project):
    n = len(entries_of(project))
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE project_id = %s", [project.pk])  # noqa: S608
    assert timeline_verify(project_id=project.pk) == [f"全部{n}条记录缺失（记录头记为{n}条）"]


def test_entries_and_head_deleted_are_named_by_the_anchor(project):
    n = len(entries_of(project))
    anchor = timeline_anchor_issue()
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE project_id = %s", [project.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {HEADS} WHERE project_id = %s", [project.pk])  # noqa: S608
    expected = [f"{anchor.number}锚定时本项目有{n}条记录，现已全部不存在"]
    assert timeline_verify(project_id=project.pk) == expected
    assert timeline_verify_all().broken == {project.pk: expected}


def test_entries_and_head_deleted_before_any_anchor_are_named_by_the_project(project):
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE project_id = %s", [project.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {HEADS} WHERE project_id = %s", [project.pk])  # noqa: S608
    expected = ["本项目没有任何时间线记录（至少应有立项申报的创建记录）"]
    assert timeline_verify(project_id=project.pk) == expected
    assert timeline_verify_all().broken == {project.pk: expected}


def _rehash_from(entries, start: int, comment: str, cursor) -> str:
    """What an attacker who knows the format but not the key can do: change an entry and recompute every
    seal after it (with the old, unkeyed SHA-256 — or any key they guess), and the head to match."""
    prev = entries[start - 1].prev_hash
    for entry in entries[start - 1 :]:
        if entry.seq == start:
            entry.comment = comment
        entry.prev_hash = prev
        payload = json.loads(entry.content_for_hash())
        forged = hashlib.sha256(
            json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True).encode()
        ).hexdigest()
        cursor.execute(
            f"UPDATE {ENTRIES} SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [entry.comment, prev, forged, entry.pk],
        )
        prev = forged
    cursor.execute(f"UPDATE {HEADS} SET last_hash = %s WHERE project_id = %s", [prev, entries[0].project_id])  # noqa: S608
    return prev


def test_a_rewritten_and_rehashed_chain_is_named(project):
    entries = entries_of(project)
    n = len(entries)
    with behind_the_triggers() as cursor:
        _rehash_from(entries, 4, "改写后的说明", cursor)
    problems = timeline_verify(project_id=project.pk)
    assert problems == [f"第{seq}{SEAL_CHANGED}" for seq in range(4, n + 1)] + [
        "记录头与其封存值不符（记录头被改动）"
    ]


def test_a_chain_rewritten_after_an_anchor_is_named_by_it(project):
    entries = entries_of(project)
    n = len(entries)
    anchor = timeline_anchor_issue()
    with behind_the_triggers() as cursor:
        _rehash_from(entries, n, "改写末条", cursor)
    problems = timeline_verify(project_id=project.pk)
    assert f"第{n}条与{anchor.number}锚定时的封存值不符（锚定后被改写）" in problems


def test_the_check_record_names_each_broken_project_with_its_code(world, project):
    other = world.project(name="另一个项目")
    with behind_the_triggers() as cursor:
        sql = "UPDATE core_timelineentry SET comment = %s WHERE project_id = %s AND seq = 2"
        cursor.execute(sql, ["改", project.pk])
    check = timeline_check_record(by=world.auditor)
    assert check.projects == 2 and check.entries == len(entries_of(project)) + len(entries_of(other))
    assert check.broken == {
        str(project.pk): {"code": project.code, "name": project.name, "problems": [f"第2{SEAL_CHANGED}"]}
    }
    assert check.general == [] and not check.intact
    assert check.requested_by == world.auditor


# ---- anchors ------------------------------------------------------------------------------------------


def test_anchors_are_numbered_chained_and_sealed(world, project):
    first = timeline_anchor_issue()
    with transaction.atomic():
        timeline_append(project=project, action="test.note", label="备注", actor=world.bdc)
    second = timeline_anchor_issue()
    year = timezone.localdate(first.made_at).year
    assert (first.number, second.number) == (f"时间线锚定〔{year}〕1号", f"时间线锚定〔{year}〕2号")
    assert second.prev_seal == first.seal and first.prev_seal == ""
    assert second.heads[str(project.pk)][0] == first.heads[str(project.pk)][0] + 1
    assert first.verification.intact and second.seal_intact()
    assert anchors_verify() == []


def test_an_anchor_changed_or_removed_is_named(world, project):
    first = timeline_anchor_issue()
    second = timeline_anchor_issue()
    third = timeline_anchor_issue()
    with behind_the_triggers() as cursor:
        cursor.execute(f"UPDATE {ANCHORS} SET heads = '{{}}' WHERE id = %s", [first.pk])  # noqa: S608
        cursor.execute("UPDATE core_timelinecheck SET anchor_id = NULL WHERE anchor_id = %s", [second.pk])
        cursor.execute(f"DELETE FROM {ANCHORS} WHERE id = %s", [second.pk])  # noqa: S608
    assert anchors_verify() == [
        f"{first.number}所列记录头与其摘要不符",
        f"{third.number}与前一锚定的链接不符（其前的锚定被删除或改动）",
        f"{third.year}年第2号锚定缺失",
    ]


def test_the_anchor_table_refuses_changes_like_the_timeline(project):
    anchor = timeline_anchor_issue()
    with (
        pytest.raises(Exception, match="只能追加") as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {ANCHORS} WHERE id = %s", [anchor.pk])  # noqa: S608
    assert caught.type.__name__ in ("InternalError", "DatabaseError", "RaiseException")
    assert TimelineAnchor.objects.filter(pk=anchor.pk).exists()


# ---- keys ---------------------------------------------------------------------------------------------


def test_a_rotated_key_still_verifies_what_it_sealed(settings, project):
    assert seal_keys()[0][0] == "test"
    settings.TIMELINE_KEYS = "new:a-key-introduced-later-in-the-year," + settings.TIMELINE_KEYS
    assert timeline_verify(project_id=project.pk) == []
    settings.TIMELINE_KEYS = "new:a-key-introduced-later-in-the-year"
    problems = timeline_verify(project_id=project.pk)
    assert problems[0] == "第1条：密钥“test”不在本机配置的 TIMELINE_KEYS 中，无法核验"
