"""Writing and verifying the append-only project timeline."""

import json
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import TimelineEntry, User

# The rule checks of the step under way (an action), for the first entry the step's service writes.
_step_checks: ContextVar[tuple[int, list] | None] = ContextVar("step_checks", default=None)


@contextmanager
def timeline_checks(project, checks: list[dict]):
    """While a step's service runs, the first timeline entry it writes for `project` carries the step's rule
    checks as they stood (an action's warnings stay on the record like a transition's)."""
    token = _step_checks.set((project.pk, list(checks)))
    try:
        yield
    finally:
        _step_checks.reset(token)


def _plain(value):
    """What the JSON column will give back, so the hash is computed over exactly what is stored."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _with_step_checks(project, checks: Iterable[dict]) -> Iterable[dict]:
    """The checks of the step under way on this project go on its next entry, once, before the entry's own."""
    pending = _step_checks.get()
    if pending is not None and pending[0] == project.pk:
        _step_checks.set((project.pk, []))
        return [*pending[1], *checks]
    return checks


def timeline_append(
    *,
    project,
    action: str,
    label: str,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    checks: Iterable[dict] = (),
    data: dict | None = None,
    documents: Iterable[dict] = (),
) -> TimelineEntry:
    """Append one entry. The caller holds the project's row lock inside its transaction, so the
    sequence number and the hash chain cannot fork."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline_append must run inside the transaction that made the change")
    checks = _with_step_checks(project, checks)
    last = TimelineEntry.objects.filter(project=project).order_by("-seq").only("seq", "hash").first()
    entry = TimelineEntry(
        project=project,
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        actor=actor,
        actor_name=(str(actor) if actor else "系统"),
        actor_role=(actor.role if actor else ""),
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        checks=_plain(list(checks)),
        data=_plain(data or {}),
        documents=_plain(list(documents)),
        prev_hash=last.hash if last else "",
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


def timeline_verify(*, project_id: int) -> list[str]:
    """The problems found in a project's chain: empty when every entry is as it was written."""
    problems = []
    prev = ""
    expected_seq = 1
    for entry in TimelineEntry.objects.filter(project_id=project_id).order_by("seq"):
        if entry.seq != expected_seq:
            problems.append(f"第{expected_seq}条缺失")
            expected_seq = entry.seq
        if entry.prev_hash != prev:
            problems.append(f"第{entry.seq}条与前一条的链接不符")
        if entry.compute_hash() != entry.hash:
            problems.append(f"第{entry.seq}条内容与其哈希不符（已被改动）")
        prev = entry.hash
        expected_seq += 1
    return problems
