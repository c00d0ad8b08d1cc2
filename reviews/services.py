"""The review of a project before 立项: pre-review, the panel draw and its replacements, invited agencies,
the experts' score sheets and the BDC's consolidated opinion (the expert library itself: reviews.library).
Every change to a project's review is written to its timeline in the transaction that holds its row lock."""

import secrets

from django.db import transaction
from django.utils import timezone

from core.enums import OrganisationKind, Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.models import Organisation
from core.timeline import timeline_append
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock

from .draws import (
    ALGORITHM,
    DrawImpossible,
    excluded_organisations_of,
    exclusion_reason,
    fields_needed,
    run_draw,
)
from .enums import Conclusion, DrawKind, ExpertField, Grade
from .models import (
    AgencyInvitation,
    Draw,
    ExpertProfile,
    OutsideDecision,
    PanelMember,
    PreReview,
    ReviewOpinion,
    Score,
    ScoreSheet,
)
from .selectors import review_round_start, round_opinions, standing_sheets

REVIEW_OPEN = {ProjectState.DECLARED, ProjectState.REVIEWING}
MAX_PANEL = 15


def _lock(project, by, states, what):
    if by.role != Role.BDC or not by.has_perm("projects.view_project", project):
        raise NotPermitted(f"只有本行政区划的大数据中心可以{what}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked


def prereview_record(*, project, by, passed: bool, opinion: str) -> PreReview:
    if not (opinion or "").strip():
        raise InvalidInput("请填写预审意见。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "预审")
        pre = PreReview.objects.create(project=locked, passed=passed, opinion=opinion.strip(), by=by)
        timeline_append(
            project=locked,
            action="reviews.prereview.record",
            label="预审",
            actor=by,
            comment=pre.opinion,
            data={"passed": passed},
        )
    return pre


def agency_invite(*, project, by, organisation: Organisation) -> AgencyInvitation:
    if organisation.kind not in (
        OrganisationKind.POLICE,
        OrganisationKind.SECRECY,
        OrganisationKind.DEVELOPMENT,
        OrganisationKind.FINANCE,
    ):
        raise InvalidInput("只能邀请公安、保密、发改、财政等部门参与审核。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED, ProjectState.REVIEWING}, "邀请部门参与审核")
        invitation, created = AgencyInvitation.objects.get_or_create(
            project=locked, organisation=organisation, defaults={"invited_by": by}
        )
        if created:
            timeline_append(
                project=locked,
                action="reviews.agency.invite",
                label="邀请部门参与审核",
                actor=by,
                data={"organisation": organisation.name},
            )
    return invitation


def outside_decision_record(
    *, project, by, body: str, agreed: bool, decided_on, document_number: str, file
) -> "OutsideDecision":
    """The decision of a body outside the platform (zhaoyuan-2021 第六条: 经审核通过并报呈市政府同意后方可实施),
    recorded by the reviewing body with the decision's document, which is kept as a version of the project's
    领导批示 document like any upload."""
    from core.files import sniff_upload
    from projects.services import document_version_add

    body = (body or "").strip()
    if not body:
        raise InvalidInput("请填写作出决定的机关。")
    sniffed = sniff_upload(file)
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.REVIEWING}, "记录审批决定")
        version = document_version_add(
            project=locked,
            kind=DocumentKind.LEADER_APPROVAL,
            file=file,
            name=sniffed.name,
            content_type=sniffed.content_type,
            size=sniffed.size,
            sha256=sniffed.sha256,
            by=by,
            title=f"{body}决定",
        )
        decision = OutsideDecision.objects.create(
            project=locked,
            body=body,
            agreed=agreed,
            decided_on=decided_on,
            document_number=(document_number or "").strip(),
            document=version,
            by=by,
        )
        timeline_append(
            project=locked,
            action="reviews.decision.record",
            label=f"记录{body}{'同意' if agreed else '不同意'}建设的决定",
            actor=by,
            comment=decision.document_number,
            data={"decision": decision.pk, "body": body, "agreed": agreed, "decided_on": decided_on},
            documents=[version.as_record()],
        )
    return decision


# ---- the panel draw ------------------------------------------------------------------------------


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
        now = timezone.now()
        replaced = list(
            PanelMember.objects.filter(project=locked, active=True).select_related("expert__user")
        )
        PanelMember.objects.filter(pk__in=[m.pk for m in replaced]).update(
            active=False, deactivated_reason="重新抽取专家组", deactivated_by=by, deactivated_at=now
        )
        draw, drawn = _draw_and_seat(
            locked,
            by,
            kind=DrawKind.DRAW,
            size=size,
            needed=list(needed),
            eligible=eligible,
            parameters={
                "excluded_by_id": {str(k): v for k, v in sorted(by_id.items())},
                "excluded_by_name": dict(sorted(by_name.items())),
                "excluded_labels": sorted(set(by_id.values()) | set(by_name.values())),
                "excluded_experts": excluded,
                "policy": locked.policy_code,
            },
            what="抽取评审专家组",
        )
        timeline_append(
            project=locked,
            action="reviews.panel.draw",
            label="抽取评审专家组",
            actor=by,
            comment=f"从{len(eligible)}名可抽取专家中随机抽取{size}名。",
            data={
                "draw": draw.pk,
                "seed": draw.seed,
                "algorithm": ALGORITHM,
                "size": size,
                "fields": [ExpertField(f).label for f in needed],
                "candidates": len(eligible),
                "excluded_organisations": draw.parameters["excluded_labels"],
                "experts": [str(e) for e in drawn],
                "replaced": [str(m.expert) for m in replaced],
            },
        )
    return draw


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


def _clean_needed(fields) -> list[str]:
    fields = list(fields or [])
    unknown = [f for f in fields if f not in ExpertField.values]
    if unknown:
        raise InvalidInput(f"未知的专家领域：{'、'.join(map(str, unknown))}。")
    return [f for f in ExpertField.values if f in fields]


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
        original = Draw.objects.filter(project=locked, kind=DrawKind.DRAW).order_by("-at", "-id").first()
        if original is None:
            raise Conflict("该项目的评审专家组未经随机抽取，不能补抽；请先抽取评审专家组。")
        members = list(PanelMember.objects.filter(project=locked).select_related("expert"))
        active = [m for m in members if m.active]
        seats = original.size - len(active)
        if seats <= 0:
            raise Conflict(f"评审专家组现有{len(active)}名专家，已满{original.size}名，无需补抽。")
        covered = {f for m in active for f in m.expert.fields}
        needed = [f for f in original.needed_fields if f not in covered]
        by_id = {int(k): v for k, v in original.parameters["excluded_by_id"].items()}
        by_name = dict(original.parameters["excluded_by_name"])
        # Whoever this draw (or a replacement of it) already seated, and whoever sits now, is not drawn again;
        # the members of a panel an earlier draw made and this one replaced are candidates like anyone else.
        this_draw = {original.pk, *original.replacements.values_list("pk", flat=True)}
        skip = {m.expert_id for m in members if m.active or m.draw_id in this_draw}
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


def draw_verify(*, draw: Draw, by) -> dict:
    """Re-run a draw from its record. Anyone who may see the project may check it."""
    from .draws import draw_from_record

    if not by.has_perm("projects.view_project", draw.project):
        raise NotFound("抽取记录不存在或无权查看。")
    try:
        recomputed = draw_from_record(
            draw.seed, draw.candidates, draw.size, draw.fields_by_candidate, draw.needed_fields
        )
    except (DrawImpossible, ValueError):
        recomputed = []
    return {"recorded": list(draw.result), "recomputed": recomputed, "ok": recomputed == list(draw.result)}


# ---- the agencies that take part -----------------------------------------------------------------


def agencies_invite_required(*, project, by) -> list[AgencyInvitation]:
    """Invite every agency the project's policy requires (`reviews.selectors.agencies_required`)."""
    from .selectors import agencies_required

    required = agencies_required(project)
    if not required:
        raise Conflict("按适用的管理办法，该项目无须邀请其他部门参与审核。")
    jurisdiction_id = project.organisation.jurisdiction_id
    invitations = []
    with transaction.atomic():
        for kind, _reason in required:
            organisation = (
                Organisation.objects.filter(jurisdiction_id=jurisdiction_id, kind=kind).order_by("id").first()
            )
            if organisation is None:
                raise InvalidInput(
                    f"本行政区划尚未登记{OrganisationKind(kind).label}，不能邀请；请联系系统管理员添加该单位。"
                )
            invitations.append(agency_invite(project=project, by=by, organisation=organisation))
    return invitations


def agency_participation_record(
    *, invitation: AgencyInvitation, by, participated: bool, note: str = ""
) -> AgencyInvitation:
    """Whether an invited agency took part in the review, and who recorded it."""
    note = (note or "").strip()
    if not participated and not note:
        raise InvalidInput("记录部门未参与审核时，请填写说明。", extra={"errors": {"note": ["请填写说明。"]}})
    with transaction.atomic():
        locked = _lock(invitation.project, by, REVIEW_OPEN, "记录部门参与审核情况")
        current = (
            AgencyInvitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        )
        current.participated = participated
        current.participation_note = note
        current.participation_recorded_by = by
        current.participation_recorded_at = timezone.now()
        current.save(
            update_fields=[
                "participated",
                "participation_note",
                "participation_recorded_by",
                "participation_recorded_at",
            ]
        )
        timeline_append(
            project=locked,
            action="reviews.agency.participation",
            label="记录部门参与审核情况",
            actor=by,
            comment=note,
            data={"organisation": current.organisation.name, "participated": participated},
        )
    return current


# ---- the experts' score sheets ---------------------------------------------------------------------


def _lock_for_expert(project, by):
    if by.role != Role.EXPERT:
        raise NotPermitted("只有评审专家组的专家可以评分。")
    locked = project_lock(project.pk, by)
    if not by.has_perm("reviews.score", locked):
        raise NotFound("项目不存在或未分配给您评审。")
    if locked.state != ProjectState.REVIEWING:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不在评审阶段，不能评分。")
    return locked


def score_sheet_submit(
    *,
    project,
    by,
    grades: dict[str, str],
    comments: dict[str, str],
    opinion: str,
    recommendation: str,
    correction_reason: str = "",
) -> ScoreSheet:
    """An active panel expert's review of the project: a grade (符合/基本符合/不符合) and a comment on each of
    the policy's review criteria, an overall opinion and a recommended conclusion. Final once submitted; a
    correction (with its reason) is a new sheet that supersedes the last, until the BDC has consolidated."""
    criteria = project.policy.review_criteria
    errors: dict[str, list[str]] = {}
    for c in criteria:
        if grades.get(c.code) not in Grade.values:
            errors.setdefault(f"criterion:{c.code}", []).append("请选择评价。")
        if not (comments.get(c.code) or "").strip():
            errors.setdefault(f"comment:{c.code}", []).append("请填写意见。")
    if not (opinion or "").strip():
        errors["opinion"] = ["请填写总体意见。"]
    if recommendation not in Conclusion.values:
        errors["recommendation"] = ["请选择建议结论。"]
    if errors:
        unfinished = [
            c.label for c in criteria if f"criterion:{c.code}" in errors or f"comment:{c.code}" in errors
        ]
        message = "评分未完成：" + (
            f"以下评审事项须选择评价并填写意见：{'；'.join(unfinished)}。" if unfinished else ""
        )
        if "opinion" in errors or "recommendation" in errors:
            message += "请填写总体意见并选择建议结论。"
        raise InvalidInput(message, extra={"errors": errors})
    with transaction.atomic():
        locked = _lock_for_expert(project, by)
        member = (
            PanelMember.objects.select_related("expert")
            .filter(project=locked, expert__user=by, active=True)
            .first()
        )
        start = review_round_start(locked)
        if round_opinions(locked, start).exists():
            raise Conflict("大数据中心已汇总出具评审意见，不能再提交或更正评分。")
        previous = standing_sheets(locked, start).filter(member=member).first()
        correction_reason = (correction_reason or "").strip()
        if previous is not None and not correction_reason:
            raise Conflict(
                "您已提交评分，提交后不能修改；如需更正，请填写更正原因后提交更正。",
                extra={"errors": {"correction_reason": ["请填写更正原因。"]}},
            )
        if previous is None:
            correction_reason = ""
        sheet = ScoreSheet.objects.create(
            project=locked,
            member=member,
            expert=member.expert,
            opinion=opinion.strip(),
            recommendation=recommendation,
            supersedes=previous,
            correction_reason=correction_reason,
        )
        Score.objects.bulk_create(
            [
                Score(
                    sheet=sheet,
                    criterion=c.code,
                    label=c.label,
                    article=c.article,
                    grade=grades[c.code],
                    comment=comments[c.code].strip(),
                )
                for c in criteria
            ]
        )
        # The timeline says who submitted, never what: the other experts read it before they submit.
        timeline_append(
            project=locked,
            action="reviews.score.correct" if previous else "reviews.score.submit",
            label="专家更正评分" if previous else "专家提交评分",
            actor=by,
            comment=correction_reason,
            data={"sheet": sheet.pk, "supersedes": previous.pk if previous else None},
        )
    return sheet


# ---- the consolidated opinion -----------------------------------------------------------------------


def review_opinion_consolidate(
    *, project, by, conclusion: str, summary: str, absences: dict[int, str] | None = None
) -> ReviewOpinion:
    """The BDC's consolidated review opinion, once every active panel member has submitted a score sheet or
    is recorded absent with a reason (`absences`: panel member id → reason). The numbered PDF is issued from
    this record afterwards (`reviews.issuing.review_opinion_issue`)."""
    if conclusion not in Conclusion.values:
        raise InvalidInput(
            "评审结论须为通过、修改后通过或不通过。", extra={"errors": {"conclusion": ["请选择评审结论。"]}}
        )
    if not (summary or "").strip():
        raise InvalidInput("请填写汇总的评审意见。", extra={"errors": {"summary": ["请填写评审意见。"]}})
    absences = {int(k): (v or "").strip() for k, v in (absences or {}).items()}
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.REVIEWING}, "汇总评审意见")
        members = list(
            PanelMember.objects.filter(project=locked, active=True)
            .select_related("expert__user")
            .order_by("id")
        )
        if not members:
            raise Conflict("评审专家组没有在组专家，不能汇总评审意见。")
        start = review_round_start(locked)
        if round_opinions(locked, start).exists():
            raise Conflict("本轮评审已汇总评审意见，不能重复汇总。")
        sheets = {s.member_id: s for s in standing_sheets(locked, start).filter(member__in=members)}
        waiting = [m for m in members if m.pk not in sheets and not absences.get(m.pk)]
        if waiting:
            names = "、".join(str(m.expert) for m in waiting)
            raise Conflict(f"专家{names}尚未提交评分：须待其提交，或记录其缺席原因后再汇总。")
        if not sheets:
            raise Conflict("尚无专家提交评分，不能汇总评审意见。")
        absent = [
            {"member": m.pk, "expert": str(m.expert), "reason": absences[m.pk]}
            for m in members
            if m.pk not in sheets
        ]
        opinion = ReviewOpinion.objects.create(
            project=locked, conclusion=conclusion, summary=summary.strip(), issued_by=by, absences=absent
        )
        opinion.sheets.set(sheets.values())
        timeline_append(
            project=locked,
            action="reviews.opinion.consolidate",
            label="汇总评审意见",
            actor=by,
            comment=opinion.summary,
            data={
                "opinion": opinion.pk,
                "conclusion": conclusion,
                "sheets": sorted(s.pk for s in sheets.values()),
                "absences": absent,
            },
        )
    return opinion
