"""The BDC's consolidated review opinion, and the recorded decision of a body outside the platform."""

from django.db import transaction

from core.errors import Conflict, InvalidInput
from core.timeline import timeline_append
from projects.enums import DocumentKind, ProjectState

from ..enums import Conclusion
from ..models import OutsideDecision, PanelMember, ReviewOpinion
from ..selectors import review_round_start, round_opinions, standing_sheets
from ._common import _lock


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
        sheets, absent = _sheets_and_absences(locked, absences)
        opinion = ReviewOpinion.objects.create(
            project=locked, conclusion=conclusion, summary=summary.strip(), issued_by=by, absences=absent
        )
        opinion.sheets.set(sheets)
        timeline_append(
            project=locked,
            action="reviews.opinion.consolidate",
            label="汇总评审意见",
            actor=by,
            comment=opinion.summary,
            data={
                "opinion": opinion.pk,
                "conclusion": conclusion,
                "sheets": sorted(s.pk for s in sheets),
                "absences": absent,
            },
        )
    return opinion


def _sheets_and_absences(locked, absences: dict[int, str]) -> tuple[list, list[dict]]:
    """The round's standing sheets of the active members and the recorded absences of the rest; every
    active member has one or the other, at least one has a sheet, and the round is not consolidated yet."""
    members = list(
        PanelMember.objects.filter(project=locked, active=True).select_related("expert__user").order_by("id")
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
    return list(sheets.values()), absent


def outside_decision_record(
    *, project, by, body: str, agreed: bool, decided_on, document_number: str, file
) -> "OutsideDecision":
    """The decision of a body outside the platform (zhaoyuan-2021 第六条: 经审核通过并报呈市政府同意后方可实施),
    recorded by the reviewing body with the decision's document, which is kept as a version of the project's
    领导批示 document like any upload."""
    from core.files import sniff_upload

    body = (body or "").strip()
    if not body:
        raise InvalidInput("请填写作出决定的机关。")
    sniffed = sniff_upload(file)
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.REVIEWING}, "记录审批决定")
        version = _decision_document_add(locked, by, body, file, sniffed)
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


def _decision_document_add(locked, by, body: str, file, sniffed):
    """The decision's document, kept as a version of the project's 领导批示 document like any upload."""
    from projects.services import document_version_add

    return document_version_add(
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
