"""The review panel: the random draw from the expert library, an expert's decline, the replacement draw that
fills the seat, and the check that re-runs a draw from its record."""

import secrets

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotFound
from core.timeline import timeline_append
from projects.enums import ProjectState

from ..draws import (
    ALGORITHM,
    DrawImpossible,
    excluded_organisations_of,
    exclusion_reason,
    fields_needed,
    run_draw,
)
from ..enums import DrawKind, DrawPurpose, ExpertField
from ..models import Draw, ExpertProfile, PanelMember, ScoreSheet
from ._common import REVIEW_OPEN, _lock

MAX_PANEL = 15


def _library(project):
    return (
        ExpertProfile.objects.filter(jurisdiction_id=project.organisation.jurisdiction_id)
        .select_related("user", "employer")
        .prefetch_related("conflicts__organisation")
        .order_by("id")
    )


def _pool(project, by_id, by_name, among=None, skip=()) -> tuple[list[ExpertProfile], list[dict]]:
    """The eligible experts in canonical order (ascending id), and who was left out and why."""
    experts = _library(project)
    if among is not None:
        experts = experts.filter(pk__in=among)
    eligible, excluded = [], []
    for expert in experts:
        if expert.pk in skip:
            continue
        reason = exclusion_reason(expert, by_id, by_name)
        if reason:
            excluded.append({"expert": expert.pk, "name": str(expert), "reason": reason})
        else:
            eligible.append(expert)
    return eligible, excluded


def _field_labels(fields) -> str:
    return "、".join(f"“{ExpertField(f).label}”" for f in fields)


def _run(seed, eligible, size, needed, what: str) -> list[int]:
    candidates = [e.pk for e in eligible]
    fields = {e.pk: list(e.fields) for e in eligible}
    try:
        return run_draw(seed, candidates, size, fields, needed).panel
    except DrawImpossible as exc:
        if exc.reason == "no candidate has the field":
            raise InvalidInput(
                f"未能{what}：专家库中没有可抽取的{_field_labels(exc.uncovered)}领域专家"
                "（已回避申报单位、共建单位、投标单位的人员及暂不可抽取的专家），请先补充专家库或调整须覆盖的领域。"
            ) from None
        if exc.reason == "too few candidates":
            raise InvalidInput(
                f"未能{what}：可抽取的专家只有{len(candidates)}名，不足{size}名（已回避申报单位、共建单位、"
                "投标单位的人员及暂不可抽取的专家）。"
            ) from None
        raise InvalidInput(
            f"未能{what}：{size}名专家无法同时覆盖所需领域，{_field_labels(exc.uncovered)}领域未能覆盖，"
            "请增加抽取人数。"
        ) from None


def _clean_size(project, size) -> int:
    minimum = project.policy.panel_size
    if size in (None, ""):
        return minimum
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise InvalidInput("抽取人数须为整数。") from None
    if size < minimum:
        raise InvalidInput(f"抽取人数不能少于{minimum}名（{project.policy.title}）。")
    if size % 2 == 0:
        raise InvalidInput(f"评审专家组人数须为奇数，{size}名不符合要求。")
    if size > MAX_PANEL:
        raise InvalidInput(f"抽取人数不能超过{MAX_PANEL}名。")
    return size


def _clean_needed(fields) -> list[str]:
    fields = list(fields or [])
    unknown = [f for f in fields if f not in ExpertField.values]
    if unknown:
        raise InvalidInput(f"未知的专家领域：{'、'.join(map(str, unknown))}。")
    return [f for f in ExpertField.values if f in fields]


def expert_panel_draw(*, project, by, size=None, fields=None, excluded_organisations=()) -> Draw:
    """Draw the review panel at random from the jurisdiction's library, leaving out whoever works for the
    declaring department, a co-builder or a bidder (`excluded_organisations`: Organisation rows or names as
    typed), whoever declared a conflict with any of them, and the unavailable; the panel covers every field
    `fields_needed(project)` names and any the BDC adds (`fields`). A draw replaces the panel drawn before."""
    size = _clean_size(project, size)
    needed = _clean_needed([*fields_needed(project), *(fields or [])])
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "抽取评审专家组")
        by_id, by_name = excluded_organisations_of(locked, excluded_organisations)
        eligible, excluded = _pool(locked, by_id, by_name)
        replaced = _panel_retire(locked, by)
        draw, drawn = _draw_and_seat(
            locked,
            by,
            kind=DrawKind.DRAW,
            size=size,
            needed=list(needed),
            eligible=eligible,
            parameters=_draw_parameters(locked, by_id, by_name, excluded),
            what="抽取评审专家组",
        )
        timeline_append(
            project=locked,
            action="reviews.panel.draw",
            label="抽取评审专家组",
            actor=by,
            comment=f"从{len(eligible)}名可抽取专家中随机抽取{size}名。",
            data=_draw_timeline_data(draw, needed, eligible, drawn, replaced),
        )
    return draw


def _draw_timeline_data(draw: Draw, needed, eligible, drawn, replaced) -> dict:
    """What the project's timeline records of a panel draw: enough to check it and to see whom it replaced."""
    return {
        "draw": draw.pk,
        "seed": draw.seed,
        "algorithm": ALGORITHM,
        "size": draw.size,
        "fields": [ExpertField(f).label for f in needed],
        "candidates": len(eligible),
        "excluded_organisations": draw.parameters["excluded_labels"],
        "experts": [str(e) for e in drawn],
        "replaced": [str(m.expert) for m in replaced],
    }


def _panel_retire(locked, by) -> list[PanelMember]:
    """The members of the panel a new draw replaces, taken off it."""
    replaced = list(PanelMember.objects.filter(project=locked, active=True).select_related("expert__user"))
    PanelMember.objects.filter(pk__in=[m.pk for m in replaced]).update(
        active=False, deactivated_reason="重新抽取专家组", deactivated_by=by, deactivated_at=timezone.now()
    )
    return replaced


def _draw_parameters(locked, by_id, by_name, excluded) -> dict:
    """What the draw's record keeps of who was left out and why, for a re-run and a replacement draw."""
    return {
        "excluded_by_id": {str(k): v for k, v in sorted(by_id.items())},
        "excluded_by_name": dict(sorted(by_name.items())),
        "excluded_labels": sorted(set(by_id.values()) | set(by_name.values())),
        "excluded_experts": excluded,
        "policy": locked.policy_code,
    }


def _draw_and_seat(locked, by, *, kind, size, needed, eligible, parameters, what, original=None):
    """Draw `size` of the eligible experts covering `needed` with a fresh seed, record the draw with all it
    needs to be re-run (seed, candidates in canonical order, their fields), and seat the drawn experts."""
    seed = secrets.token_hex(16)
    panel = _run(seed, eligible, size, needed, what)
    draw = Draw.objects.create(
        project=locked,
        kind=kind,
        original=original,
        algorithm=ALGORITHM,
        seed=seed,
        size=size,
        needed_fields=list(needed),
        candidates=[e.pk for e in eligible],
        fields_by_candidate={str(e.pk): list(e.fields) for e in eligible},
        parameters=parameters,
        result=panel,
        by=by,
    )
    experts = {e.pk: e for e in eligible}
    for pk in sorted(panel):  # seated in the library's order; the draw's own order stays on its record
        PanelMember.objects.create(project=locked, expert=experts[pk], assigned_by=by, draw=draw)
    return draw, [experts[pk] for pk in panel]


def panel_member_decline(*, member: PanelMember, by, reason: str) -> PanelMember:
    """An expert declines (谢绝、回避) a seat: the member leaves the panel with the reason on the record. The
    seat is filled by `panel_replacement_draw`."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写专家谢绝或回避的原因。", extra={"errors": {"reason": ["请填写原因。"]}})
    with transaction.atomic():
        locked = _lock(member.project, by, REVIEW_OPEN, "记录专家谢绝")
        current = PanelMember.objects.select_for_update().select_related("expert__user").get(pk=member.pk)
        if not current.active:
            raise Conflict(f"专家{current.expert}已不在评审专家组中。")
        if ScoreSheet.objects.filter(member=current).exists():
            raise Conflict(f"专家{current.expert}已提交评分，不能再记录谢绝。")
        current.active = False
        current.deactivated_reason = reason
        current.deactivated_by = by
        current.deactivated_at = timezone.now()
        current.save(update_fields=["active", "deactivated_reason", "deactivated_by", "deactivated_at"])
        timeline_append(
            project=locked,
            action="reviews.panel.decline",
            label="专家谢绝参加评审",
            actor=by,
            comment=reason,
            data={"expert": str(current.expert), "member": current.pk},
        )
    return current


def panel_replacement_draw(*, project, by) -> Draw:
    """Fill the seats of experts who declined: drawn the same way as the panel, from the original draw's
    candidates who have not sat on this panel and are still eligible, covering the fields the remaining
    members no longer cover. Recorded as its own draw, linked to the original."""
    with transaction.atomic():
        locked = _lock(project, by, REVIEW_OPEN, "补抽评审专家")
        original, seats, needed, skip = _replacement_plan(locked)
        by_id = {int(k): v for k, v in original.parameters["excluded_by_id"].items()}
        by_name = dict(original.parameters["excluded_by_name"])
        eligible, excluded = _pool(locked, by_id, by_name, among=original.candidates, skip=skip)
        draw, drawn = _draw_and_seat(
            locked,
            by,
            kind=DrawKind.REPLACEMENT,
            original=original,
            size=seats,
            needed=needed,
            eligible=eligible,
            parameters={**original.parameters, "excluded_experts": excluded, "already_drawn": sorted(skip)},
            what="补抽评审专家",
        )
        timeline_append(
            project=locked,
            action="reviews.panel.replace",
            label="补抽评审专家",
            actor=by,
            comment=f"从原抽取的剩余{len(eligible)}名可抽取专家中补抽{seats}名。",
            data={
                "draw": draw.pk,
                "original": original.pk,
                "seed": draw.seed,
                "algorithm": ALGORITHM,
                "size": seats,
                "fields": [ExpertField(f).label for f in needed],
                "candidates": len(eligible),
                "experts": [str(e) for e in drawn],
            },
        )
    return draw


def _replacement_plan(locked) -> tuple[Draw, int, list[str], set[int]]:
    """For a replacement draw: the panel's original draw, the seats to fill, the fields the remaining members
    no longer cover, and the experts not to draw again."""
    original = (
        Draw.objects.filter(project=locked, kind=DrawKind.DRAW, purpose=DrawPurpose.REVIEW)
        .order_by("-at", "-id")
        .first()
    )
    if original is None:
        raise Conflict("该项目的评审专家组未经随机抽取，不能补抽；请先抽取评审专家组。")
    members = list(PanelMember.objects.filter(project=locked).select_related("expert"))
    active = [m for m in members if m.active]
    seats = original.size - len(active)
    if seats <= 0:
        raise Conflict(f"评审专家组现有{len(active)}名专家，已满{original.size}名，无需补抽。")
    covered = {f for m in active for f in m.expert.fields}
    needed = [f for f in original.needed_fields if f not in covered]
    # Whoever this draw (or a replacement of it) already seated, and whoever sits now, is not drawn again;
    # the members of a panel an earlier draw made and this one replaced are candidates like anyone else.
    this_draw = {original.pk, *original.replacements.values_list("pk", flat=True)}
    skip = {m.expert_id for m in members if m.active or m.draw_id in this_draw}
    return original, seats, needed, skip


def draw_verify(*, draw: Draw, by) -> dict:
    """Re-run a draw from its record. Anyone who may see the project may check it."""
    from ..draws import draw_from_record

    if not by.has_perm("projects.view_project", draw.project):
        raise NotFound("抽取记录不存在或无权查看。")
    try:
        recomputed = draw_from_record(
            draw.seed, draw.candidates, draw.size, draw.fields_by_candidate, draw.needed_fields
        )
    except (DrawImpossible, ValueError):
        recomputed = []
    return {"recorded": list(draw.result), "recomputed": recomputed, "ok": recomputed == list(draw.result)}


def acceptance_experts_draw(*, project, by, size: int, needed, excluded_organisations=(), parameters=None):
    """Draw the experts of an acceptance group (laohekou-2024 第二十二条, wendeng-2021 第三十五条) the way the
    review panel is drawn — the same library, the same exclusions (the declaring department, co-builders, and
    here the supplier and the supervisor), the same reproducible algorithm — and record it as a Draw of
    purpose 验收. Seats nobody on the review panel: the caller (acceptance) holds the group. The caller runs
    this in its transaction with the project locked; returns (draw, the drawn ExpertProfiles in order)."""
    return _experts_draw(
        project,
        by,
        purpose=DrawPurpose.ACCEPTANCE,
        size=size,
        needed=needed,
        excluded_organisations=excluded_organisations,
        parameters=parameters,
        what="抽取验收专家",
    )


def change_experts_draw(*, project, by, size=None, needed=(), excluded_organisations=(), parameters=None):
    """Draw the panel that re-reviews a major change (wendeng-2021 第十七条, zhaoyuan-2021 第十三条: 重新履行审核
    手续) as the declaration's panel is drawn: its size by the policy's panel rules (`_clean_size`: at least
    the policy's panel size, odd, at most MAX_PANEL), the fields the project needs and any added, the same
    exclusions (here also the supplier and the supervisor) and algorithm; recorded as a Draw of purpose 变更.
    Seats nobody on the review panel: the caller (acceptance) holds the change's panel. The caller runs this
    in its transaction with the project locked; returns (draw, the drawn ExpertProfiles in order)."""
    return _experts_draw(
        project,
        by,
        purpose=DrawPurpose.CHANGE,
        size=_clean_size(project, size),
        needed=[*fields_needed(project), *(needed or ())],
        excluded_organisations=excluded_organisations,
        parameters=parameters,
        what="抽取变更评审专家组",
    )


def _experts_draw(project, by, *, purpose, size, needed, excluded_organisations, parameters, what):
    """A draw for a group another app holds: the library, exclusions and algorithm of the review panel."""
    needed = _clean_needed(needed)
    by_id, by_name = excluded_organisations_of(project, excluded_organisations)
    eligible, excluded = _pool(project, by_id, by_name)
    seed = secrets.token_hex(16)
    chosen = _run(seed, eligible, size, needed, what)
    draw = Draw.objects.create(
        project=project,
        kind=DrawKind.DRAW,
        purpose=purpose,
        algorithm=ALGORITHM,
        seed=seed,
        size=size,
        needed_fields=list(needed),
        candidates=[e.pk for e in eligible],
        fields_by_candidate={str(e.pk): list(e.fields) for e in eligible},
        parameters={**_draw_parameters(project, by_id, by_name, excluded), **(parameters or {})},
        result=chosen,
        by=by,
    )
    experts = {e.pk: e for e in eligible}
    return draw, [experts[pk] for pk in chosen]
