"""The baseline fixed at 合同备案 and changed only through an approved change (issue 13): each rebaseline keeps its
reason, its approver and the old values."""

from core.errors import Conflict
from core.timeline import timeline_append

from ..models import Baseline, ChangeRequest


def baseline_current(project) -> Baseline | None:
    return Baseline.objects.filter(project=project).order_by("-number").first()


# ---- the baseline ------------------------------------------------------------------------------------


def baseline_fix(project, data: dict, by) -> Baseline:
    """Baseline 1, fixed at 合同备案 inside the transition's transaction (no other path creates one)."""
    return Baseline.objects.create(
        project=project,
        number=1,
        contract_amount=data["contract_amount"],
        planned_completion_on=data.get("planned_completion_on"),
        milestones=list(data.get("milestones") or []),
        reason="合同备案时确定",
        set_by=by,
    )


def baseline_rebase(*, project, change: ChangeRequest, by) -> Baseline | None:
    """A new baseline from an approved change that proposes one; the old one stays, with its values, and the
    timeline entry keeps them too. Called only from `change_request_decide`."""
    if not change.rebaselines:
        return None
    old = baseline_current(project)
    if old is None:
        raise Conflict("项目尚未在合同备案时确定基线，不能调整基线。")
    new = Baseline.objects.create(
        project=project,
        number=old.number + 1,
        contract_amount=(
            change.new_contract_amount if change.new_contract_amount is not None else old.contract_amount
        ),
        planned_completion_on=change.new_planned_completion_on or old.planned_completion_on,
        milestones=change.new_milestones if change.new_milestones is not None else old.milestones,
        reason=change.description,
        change=change,
        approved_by=by,
        set_by=by,
    )
    timeline_append(
        project=project,
        action="acceptance.baseline.rebase",
        label=f"调整项目基线（第{new.number}版）",
        actor=by,
        comment=change.description,
        data={
            "change": change.pk,
            "baseline": new.pk,
            "old": _baseline_values(old),
            "new": _baseline_values(new),
        },
    )
    return new


def _baseline_values(b: Baseline) -> dict:
    return {
        "number": b.number,
        "contract_amount": b.contract_amount,
        "planned_completion_on": b.planned_completion_on,
        "milestones": b.milestones,
    }
