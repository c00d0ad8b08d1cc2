"""Writing and verifying the append-only project timeline."""

import json
import logging
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import TimelineEntry, TimelineHead, User

log = logging.getLogger(__name__)

# Sent after each entry is written, inside its transaction (`entry`): what is derived from a project's records
# (its pending deadlines, projects.attention) is recomputed from it once the change commits.
timeline_appended = Signal()

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
    """Append one sealed entry and move the project's head. The caller holds the project's row lock inside
    its transaction, so the sequence number and the chain cannot fork."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline_append must run inside the transaction that made the change")
    checks = _with_step_checks(project, checks)
    head = TimelineHead.objects.filter(project=project).first()
    if head is not None:
        seq, prev = head.count + 1, head.last_hash
    else:
        last = TimelineEntry.objects.filter(project=project).order_by("-seq").only("seq", "hash").first()
        if last is not None:  # rows without a head: removed behind the application's back
            log.error("项目 %s 的时间线记录头缺失，续写于第%s条之后", project.pk, last.seq)
        seq, prev = ((last.seq + 1), last.hash) if last else (1, "")
        head = TimelineHead(project=project)
    entry = TimelineEntry(
        project=project,
        seq=seq,
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
        prev_hash=prev,
    )
    entry.seal_here()
    entry.save()
    head.count, head.last_hash, head.updated_at = entry.seq, entry.hash, entry.at
    head.seal_here()
    head.save()
    timeline_appended.send(sender=TimelineEntry, entry=entry)
    return entry
