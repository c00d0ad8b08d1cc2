"""The incremental verification (core.verification.timeline_verify_incremental): each project from where the
last anchored check stopped. New entries are verified and a tampered one named; what it leaves to the full
pass (an old row edited in place) the full pass still names; whatever moves the rows or the anchored seal is
named by the incremental pass too."""

import pytest
from django.db import transaction

from core.models import TimelineEntry
from core.timeline import timeline_append
from core.verification import (
    timeline_anchor_issue,
    timeline_check_record,
    timeline_verify_all,
    timeline_verify_incremental,
)
from projects.enums import ProjectState
from tests.core.tampering import behind_the_triggers
from tests.core.test_tamper import SEAL_CHANGED, _rehash_from, entries_of

pytestmark = pytest.mark.usefixtures("postgresql_only")

ENTRIES = TimelineEntry._meta.db_table


@pytest.fixture
def project(world):
    return world.project_in_state(ProjectState.CONSTRUCTION)


def _note(world, project, comment="会议纪要已归入项目档案"):
    with transaction.atomic():
        timeline_append(project=project, action="test.note", label="备注", actor=world.bdc, comment=comment)


def test_entries_appended_after_a_check_are_verified_from_the_checkpoint(world, project):
    other = world.project(name="另一个项目")
    timeline_anchor_issue()
    _note(world, project)
    _note(world, project, "第二条备注")
    total = TimelineEntry.objects.count()

    report = timeline_verify_incremental()
    assert report.incremental and report.intact, report.broken
    assert report.projects == 2 and report.in_full == 0
    # Each project from its checkpoint entry on: the anchored last entry of each, and the two new ones.
    assert report.entries == 1 + 1 + 2 < total
    assert timeline_verify_all().entries == total  # the full pass reads every entry

    # The check kept, and the anchor made from it, start the next incremental check further on.
    check = timeline_check_record(incremental=True)
    assert check.intact and check.entries == 4
    anchor = timeline_anchor_issue(full=False)
    assert anchor.verification.intact and anchor.heads[str(project.pk)][0] == len(entries_of(project))
    assert anchor.heads[str(other.pk)][0] == len(entries_of(other))
    assert timeline_verify_incremental().entries == 2  # nothing new: each project's checkpoint entry alone


def test_a_tampered_new_entry_is_named(world, project):
    timeline_anchor_issue()
    _note(world, project)
    _note(world, project, "第二条备注")
    n = len(entries_of(project))
    with behind_the_triggers() as cursor:
        sql = f"UPDATE {ENTRIES} SET comment = %s WHERE project_id = %s AND seq = %s"  # noqa: S608
        cursor.execute(sql, ["事后篡改", project.pk, n - 1])
    assert timeline_verify_incremental().broken == {project.pk: [f"第{n - 1}{SEAL_CHANGED}"]}


def test_a_new_entry_appended_behind_the_head_is_named(world, project):
    anchor = timeline_anchor_issue()
    _note(world, project)
    n = len(entries_of(project))
    with behind_the_triggers() as cursor:  # the new entry removed, the head left saying n
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE project_id = %s AND seq = %s", [project.pk, n])  # noqa: S608
    problems = timeline_verify_incremental().broken[project.pk]
    assert problems == [f"末尾第{n}条缺失（记录头记为{n}条，现存至第{n - 1}条）"], (problems, anchor.number)


def test_an_old_entry_edited_in_place_is_left_to_the_full_pass_which_names_it(world, project):
    timeline_anchor_issue()
    with behind_the_triggers() as cursor:
        sql = f"UPDATE {ENTRIES} SET comment = %s WHERE project_id = %s AND seq = 3"  # noqa: S608
        cursor.execute(sql, ["事后篡改", project.pk])
    assert timeline_verify_incremental().intact  # before the checkpoint: not read again
    assert timeline_verify_all().broken == {project.pk: [f"第3{SEAL_CHANGED}"]}
    # The weekly full pass's anchor names it, and from then on the project is verified from its first entry
    # every night, until repaired.
    anchor = timeline_anchor_issue(full=True)
    assert str(project.pk) in anchor.verification.broken
    report = timeline_verify_incremental()
    assert report.in_full == 1 and report.broken == {project.pk: [f"第3{SEAL_CHANGED}"]}


def test_an_old_entry_deleted_is_named_incrementally(world, project):
    timeline_anchor_issue()
    sixth = entries_of(project)[5]
    with behind_the_triggers() as cursor:
        cursor.execute(f"DELETE FROM {ENTRIES} WHERE id = %s", [sixth.pk])  # noqa: S608
    report = timeline_verify_incremental()
    assert report.in_full == 1  # the rows no longer add up to the head: the project read from its start
    assert report.broken[project.pk][:2] == [
        "第6条缺失",
        "第7条与前一条的链接不符（顺序被改动，或前一条被删除、改写）",
    ]


def test_a_chain_rewritten_behind_the_checkpoint_is_named_by_the_anchored_seal(world, project):
    entries = entries_of(project)
    n = len(entries)
    anchor = timeline_anchor_issue()
    with behind_the_triggers() as cursor:
        _rehash_from(entries, 4, "改写后的说明", cursor)  # from entry 4 on, the head made to match
    problems = timeline_verify_incremental().broken[project.pk]
    assert f"第{n}条与{anchor.number}锚定时的封存值不符（锚定后被改写）" in problems
    assert "记录头与其封存值不符（记录头被改动）" in problems


def test_a_project_new_since_the_anchor_is_verified_in_full(world, project):
    timeline_anchor_issue()
    newer = world.project(name="锚定后新建的项目")
    report = timeline_verify_incremental()
    assert report.intact and report.in_full == 1
    assert report.entries == 1 + len(entries_of(newer))


def test_without_an_anchor_the_incremental_check_is_the_full_pass(project):
    report = timeline_verify_incremental()
    assert not report.incremental and report.entries == len(entries_of(project)) and report.intact


@pytest.mark.parametrize("chunk", [1, 2])
def test_chunks_of_projects_find_what_one_pass_finds(world, project, chunk, monkeypatch):
    """The projects are taken a chunk at a time (bounded memory at a province's scale): with chunks of one or
    two projects, each kind of project — checkpointed and tampered, new since the anchor, intact — is still
    read from where it should be and named as it should be."""
    quiet = world.project(name="未改动的项目")
    timeline_anchor_issue()
    _note(world, project)
    newer = world.project(name="锚定后新建的项目")
    n = len(entries_of(project))
    with behind_the_triggers() as cursor:
        sql = f"UPDATE {ENTRIES} SET comment = %s WHERE project_id = %s AND seq = %s"  # noqa: S608
        cursor.execute(sql, ["事后篡改", project.pk, n])
    whole = timeline_verify_incremental()
    monkeypatch.setattr("core.verification.INCREMENTAL_CHUNK", chunk)
    chunked = timeline_verify_incremental()
    assert chunked.broken == whole.broken == {project.pk: [f"第{n}{SEAL_CHANGED}"]}
    assert (chunked.projects, chunked.entries, chunked.in_full) == (whole.projects, whole.entries, 1)
    assert chunked.entries == 2 + 1 + len(entries_of(newer))  # checkpoint and new entry; quiet's checkpoint
    assert quiet.pk not in chunked.broken
