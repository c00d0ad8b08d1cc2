"""The project timeline: append-only in the model, the queryset and the database, and sealed in a chain.
What the verification finds when rows are changed behind the triggers' back: tests/core/test_tamper.py."""

import itertools

import pytest
from django.db import DatabaseError, connection, transaction

from core.models import TimelineEntry, TimelineHead
from core.timeline import timeline_append
from core.verification import timeline_verify
from projects.enums import ProjectState

TABLE = TimelineEntry._meta.db_table


@pytest.fixture
def project(world):
    return world.project_in_state(ProjectState.CONSTRUCTION)


def test_entries_are_hash_chained_and_verify(project):
    entries = list(TimelineEntry.objects.filter(project=project).order_by("seq"))
    assert len(entries) >= 10
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == ""
    assert entries[0].action == "projects.project.create"
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    for entry in entries:
        assert len(entry.hash) == 64
        assert (entry.key_id, entry.algorithm) == ("test", "hmac-sm3")
        assert entry.seal_intact()
    assert len({e.hash for e in entries}) == len(entries)
    head = TimelineHead.objects.get(project=project)
    assert (head.count, head.last_hash) == (len(entries), entries[-1].hash)
    assert head.seal_intact()
    assert timeline_verify(project_id=project.pk) == []


def test_transition_entries_carry_states_actor_and_checks(world, project):
    submit = TimelineEntry.objects.get(project=project, action="projects.project.submit")
    assert (submit.from_state, submit.to_state) == ("draft", "declared")
    assert (submit.actor_id, submit.actor_role, submit.label) == (world.dept.pk, "department", "提交申报")
    codes = {c["code"] for c in submit.checks}
    assert {"WD-12-docs", "WD-21-catalogue", "WD-5-prohibited"} <= codes
    assert all(c["passed"] is True for c in submit.checks)
    approve = TimelineEntry.objects.get(project=project, action="projects.project.approve")
    assert approve.data["approved_amount"] == "150.00"
    assert approve.actor_id == world.finance.pk


def test_seq_is_per_project_and_increasing(world):
    first = world.project(name="项目甲")
    second = world.project(name="项目乙")
    with transaction.atomic():
        a2 = timeline_append(project=first, action="test.note", label="备注", actor=world.bdc)
        b2 = timeline_append(project=second, action="test.note", label="备注", actor=world.bdc)
        a3 = timeline_append(project=first, action="test.note", label="备注", actor=None, comment="系统备注")
    assert (a2.seq, b2.seq, a3.seq) == (2, 2, 3)
    assert a3.prev_hash == a2.hash
    assert b2.prev_hash == TimelineEntry.objects.get(project=second, seq=1).hash
    assert (a3.actor_name, a3.actor_role) == ("系统", "")
    assert list(TimelineEntry.objects.filter(project=first).values_list("seq", flat=True)) == [1, 2, 3]
    assert timeline_verify(project_id=first.pk) == []
    assert timeline_verify(project_id=second.pk) == []


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET comment = 'changed' WHERE id = %s",  # noqa: S608 - a fixed table name
        f"UPDATE {TABLE} SET hash = 'x' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {TABLE} WHERE id = %s",  # noqa: S608
    ],
)
def test_database_trigger_refuses_raw_update_and_delete(project, sql):
    entry = TimelineEntry.objects.filter(project=project).order_by("seq")[1]
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert "时间线只能追加" in str(caught.value)
    stored = TimelineEntry.objects.get(pk=entry.pk)
    assert (stored.comment, stored.hash) == (entry.comment, entry.hash)
    assert timeline_verify(project_id=project.pk) == []


def test_orm_refuses_update_and_delete(project):
    entries = TimelineEntry.objects.filter(project=project)
    count = entries.count()
    with pytest.raises(TypeError, match="只能追加"):
        entries.update(comment="changed")
    with pytest.raises(TypeError, match="只能追加"):
        entries.delete()
    entry = entries.order_by("seq").first()
    entry.comment = "changed"
    with pytest.raises(TypeError, match="只能追加"):
        entry.save()
    with pytest.raises(TypeError, match="只能追加"):
        entry.delete()
    assert TimelineEntry.objects.filter(project=project).count() == count
    assert TimelineEntry.objects.get(pk=entry.pk).comment == ""
    assert timeline_verify(project_id=project.pk) == []


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    from tests.factories import World

    world = World()
    project = world.project()
    with pytest.raises(RuntimeError):
        timeline_append(project=project, action="test.note", label="备注", actor=world.bdc)
    assert TimelineEntry.objects.filter(project=project).count() == 1
