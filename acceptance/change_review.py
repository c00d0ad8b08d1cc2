"""The expert re-review of a major change (issue 13): where the project's policy has a change that needs approval
重新履行审核手续 by experts (`Policy.change_review_article`: wendeng-2021 第十七条, zhaoyuan-2021 第十三条), it
goes through the same draw and scoring as the declaration before the reviewing body decides it.

- `change_panel_draw`: the reviewing body draws the change's panel with the review's reproducible,
  conflict-excluding draw (`reviews.services.panel.change_experts_draw`: a Draw of purpose 变更), leaving out the
  declaring department, the co-builders, the supplier and the supervisor as the acceptance group does.
- `change_review_submit`: each drawn expert grades each of the policy's criteria (符合/基本符合/不符合) with a
  comment, gives an overall opinion and recommends 同意变更 / 不同意变更; once, a correction being a new sheet with
  its reason. Blind: the timeline says who submitted, never what.
- `change_review_tally`: what `acceptance.services.change_request_decide` records with the decision — the
  recommendations counted and each criterion's average — once every seated expert has submitted."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Prefetch

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.timeline import timeline_append
from projects.actions import actor_allowed
from reviews.enums import ExpertField, Grade
from reviews.services.scoring import criterion_grades_create, sheet_complete_check

from .models import ChangeRequest, ChangeReview, ChangeReviewMember, ChangeReviewScore, ChangeReviewSheet
from .services import CHANGE_STATES, _locked

SUBMITTED = ChangeRequest.Status.SUBMITTED
AGREE, DISAGREE = ChangeReviewSheet.Recommendation.AGREE, ChangeReviewSheet.Recommendation.DISAGREE
# A grade as a number, for each criterion's average across the panel.
GRADE_POINTS = {Grade.MEETS: 2, Grade.MOSTLY: 1, Grade.FAILS: 0}


def change_review_source(policy) -> str:
    """The article that has a change re-reviewed by experts, cited; "" where the policy has none."""
    article = policy.change_review_article
    return policy.cite(article) if article else ""


def change_review_of(change) -> ChangeReview | None:
    try:
        return change.review
    except ObjectDoesNotExist:
        return None


def standing_sheets(review) -> list[ChangeReviewSheet]:
    """Each member's last sheet (a correction supersedes the one it corrects), prefetched or in one query."""
    if "sheets" in getattr(review, "_prefetched_objects_cache", {}):
        return list(review.sheets.all())  # `standing_prefetch` keeps only the standing ones
    return list(
        ChangeReviewSheet.objects.filter(review=review, superseded_by__isnull=True)
        .prefetch_related("scores")
        .order_by("id")
    )


def standing_prefetch(prefix: str = "") -> list:
    """What a page or a fact prefetches to read the reviews of many changes in a constant number of queries."""
    return [
        Prefetch(
            f"{prefix}members", queryset=ChangeReviewMember.objects.select_related("expert").order_by("id")
        ),
        Prefetch(
            f"{prefix}sheets",
            queryset=ChangeReviewSheet.objects.filter(superseded_by__isnull=True)
            .select_related("member")
            .prefetch_related("scores")
            .order_by("id"),
        ),
    ]


def _waiting(review) -> list[ChangeReviewMember]:
    submitted = {s.member_id for s in standing_sheets(review)}
    return [m for m in review.members.all() if m.pk not in submitted]


def change_review_missing(change) -> str:
    """What a change re-reviewed by experts still lacks before it may be decided ("" once nothing does)."""
    if not change.expert_review or change.status != SUBMITTED:
        return ""
    review = change_review_of(change)
    if review is None:
        return "该变更须经随机抽取的专家组评审后方可审核（重新履行审核手续）：尚未抽取变更评审专家组。"
    waiting = _waiting(review)
    if waiting:
        names = "、".join(m.name for m in waiting)
        return f"变更评审专家{names}尚未提交评审意见：须待专家组全部提交后方可审核。"
    return ""


def change_reviews_pending(project) -> dict[int, dict]:
    """The fact the policy's check and the actions' `ready` read: for each submitted change re-reviewed by
    experts, whether its panel is drawn and what it still lacks (a constant number of queries)."""
    changes = (
        ChangeRequest.objects.filter(project=project, status=SUBMITTED, expert_review=True)
        .select_related("review")
        .prefetch_related(*standing_prefetch("review__"))
        .order_by("id")
    )
    return {
        c.pk: {"drawn": change_review_of(c) is not None, "missing": change_review_missing(c)} for c in changes
    }


# ---- the draw ---------------------------------------------------------------------------------------------


def change_panel_draw(*, project, by, change, size=None, fields=()) -> ChangeReview:
    """Draw the experts who re-review `change` and seat them, with the draw and the members on the timeline."""
    from reviews.services.panel import change_experts_draw

    from .group import _exclusions

    with transaction.atomic():
        locked = _locked(
            project, by, actor_allowed(project, "draw_change_panel", by), "抽取变更评审专家组", CHANGE_STATES
        )
        source = change_review_source(locked.policy)
        current = ChangeRequest.objects.select_for_update().filter(pk=change.pk, project=locked).first()
        if current is None:
            raise NotFound("该变更不存在。")
        if not current.expert_review:
            raise Conflict("该变更无须专家评审：由大数据中心直接审核或已备案。")
        if current.status != SUBMITTED:
            raise Conflict(f"该变更当前为“{current.get_status_display()}”，不能再抽取变更评审专家组。")
        if ChangeReview.objects.filter(change=current).exists():
            raise Conflict("该变更已抽取变更评审专家组。")
        draw, experts = change_experts_draw(
            project=locked,
            by=by,
            size=size,
            needed=fields,
            excluded_organisations=_exclusions(locked),
            parameters={"change": current.pk, "source": source},
        )
        review = ChangeReview.objects.create(change=current, project=locked, draw=draw, source=source, by=by)
        members = [
            ChangeReviewMember.objects.create(
                review=review,
                project=locked,
                expert=expert,
                name=str(expert),
                unit=(expert.employer.name if expert.employer_id else expert.employer_name) or "—",
            )
            for expert in experts
        ]
        timeline_append(
            project=locked,
            action="acceptance.change_review.draw",
            label="抽取变更评审专家组",
            actor=by,
            comment=f"从{len(draw.candidates)}名可抽取专家中随机抽取{draw.size}名，评审变更（{current.aspect_labels()}）。",
            data={
                "change": current.pk,
                "review": review.pk,
                "draw": draw.pk,
                "seed": draw.seed,
                "algorithm": draw.algorithm,
                "size": draw.size,
                "fields": [ExpertField(f).label for f in draw.needed_fields],
                "candidates": len(draw.candidates),
                "excluded_organisations": draw.parameters["excluded_labels"],
                "experts": [f"{m.name}（{m.unit}）" for m in members],
                "source": source,
            },
        )
    return review


# ---- the experts' sheets ----------------------------------------------------------------------------------


def change_review_seat(project, user, change=None) -> ChangeReviewMember | None:
    """The user's seat on the panel of `change` (or of any change of the project), if they are one of its
    drawn experts."""
    if user is None or getattr(user, "role", None) != Role.EXPERT:
        return None
    seats = ChangeReviewMember.objects.filter(project=project, expert__user=user)
    if change is not None:
        seats = seats.filter(review__change=change)
    return seats.select_related("review__change").order_by("-id").first()


def _check_complete(criteria, grades: dict, comments: dict, opinion: str, recommendation: str) -> None:
    recommended = recommendation in ChangeReviewSheet.Recommendation.values
    sheet_complete_check(
        criteria, grades, comments, opinion, recommended, what="变更评审意见", choose="同意变更或不同意变更"
    )


def change_review_submit(
    *,
    project,
    by,
    change,
    grades: dict[str, str],
    comments: dict[str, str],
    opinion: str,
    recommendation: str,
    correction_reason: str = "",
) -> ChangeReviewSheet:
    """A drawn expert's review of the change: final once submitted; a correction (with its reason) is a new
    sheet superseding the last, until the reviewing body has decided the change."""
    if getattr(by, "role", None) != Role.EXPERT:
        raise NotPermitted("只有抽取的变更评审专家可以提交变更评审意见。")
    criteria = project.policy.change_review_criteria
    _check_complete(criteria, grades, comments, opinion, recommendation)
    with transaction.atomic():
        locked = _locked(
            project, by, actor_allowed(project, "score_change", by), "提交变更评审意见", CHANGE_STATES
        )
        member = change_review_seat(locked, by, change)
        if member is None:
            raise NotPermitted("只有该变更的变更评审专家组的专家可以提交评审意见。")
        current = ChangeRequest.objects.select_for_update().get(pk=member.review.change_id)
        if current.status != SUBMITTED:
            raise Conflict("该变更已审核，不能再提交或更正变更评审意见。")
        previous = (
            ChangeReviewSheet.objects.filter(member=member, superseded_by__isnull=True)
            .order_by("-id")
            .first()
        )
        reason = (correction_reason or "").strip()
        if previous is not None and not reason:
            raise Conflict(
                "您已提交变更评审意见，提交后不能修改；如需更正，请填写更正原因后提交更正。",
                extra={"errors": {"correction_reason": ["请填写更正原因。"]}},
            )
        sheet = ChangeReviewSheet.objects.create(
            review=member.review,
            project=locked,
            member=member,
            opinion=opinion.strip(),
            recommendation=recommendation,
            supersedes=previous,
            correction_reason=reason if previous else "",
        )
        criterion_grades_create(ChangeReviewScore, sheet, criteria, grades, comments)
        # The timeline says who submitted, never what: the other experts read it before they submit.
        timeline_append(
            project=locked,
            action="acceptance.change_review.correct" if previous else "acceptance.change_review.submit",
            label="专家更正变更评审意见" if previous else "专家提交变更评审意见",
            actor=by,
            comment=sheet.correction_reason,
            data={
                "change": current.pk,
                "sheet": sheet.pk,
                "supersedes": previous.pk if previous else None,
            },
        )
    return sheet


# ---- the tally the decision records ---------------------------------------------------------------------


def change_review_tally(review) -> dict:
    """The standing sheets counted: how many recommend 同意变更 and 不同意变更, of how many seated, and for each
    criterion the average grade (符合 2, 基本符合 1, 不符合 0) and how many gave each grade."""
    sheets = standing_sheets(review)
    agree = sum(s.recommendation == AGREE for s in sheets)
    disagree = len(sheets) - agree
    by_code: dict[str, dict] = {}
    for sheet in sheets:
        for score in sheet.scores.all():
            row = by_code.setdefault(
                score.criterion,
                {"code": score.criterion, "label": score.label, "article": score.article, "grades": {}},
            )
            label = Grade(score.grade).label
            row["grades"][label] = row["grades"].get(label, 0) + 1
            row.setdefault("_points", []).append(GRADE_POINTS[score.grade])
    criteria = []
    for row in by_code.values():
        points = row.pop("_points")
        average = Decimal(sum(points)) / Decimal(len(points))
        criteria.append({**row, "average": str(average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))})
    return {
        "review": review.pk,
        "draw": review.draw_id,
        "source": review.source,
        "members": len(review.members.all()),
        "agree": agree,
        "disagree": disagree,
        "majority": AGREE if agree > disagree else DISAGREE,
        "summary": f"{agree} 同意 / {disagree} 不同意",
        "criteria": criteria,
        "scale": "符合=2，基本符合=1，不符合=0",
    }


def change_review_decision_tally(locked, change, approve: bool, note: str) -> dict:
    """For `change_request_decide`, under the project's lock: refused until the panel is drawn and every seated
    expert has submitted (citing the article); against the panel's majority only with a written reason."""
    source = change_review_source(locked.policy)
    missing = change_review_missing(change)
    if missing:
        raise Conflict(f"不能审核该变更：{missing}（{source}）")
    review = ChangeReview.objects.prefetch_related(*standing_prefetch()).get(change=change)
    tally = change_review_tally(review)
    against = approve != (tally["majority"] == AGREE)
    if against and not (note or "").strip():
        raise InvalidInput(
            f"审核结论与变更评审专家组多数意见（{tally['summary']}）不一致的，须在审核意见中写明理由。",
            extra={"errors": {"note": ["请写明与专家组多数意见不一致的理由。"]}},
        )
    return {**tally, "against_panel": against}


# ---- what the project page shows ------------------------------------------------------------------------


def change_review_page(project, user, changes) -> None:
    """For each change (its review prefetched: `standing_prefetch("review__")`), what the page's change section
    shows of its panel: `c.panel` (the ChangeReview or None) and `c.panel_rows`, one per member with their unit,
    whether they have submitted and — for the reviewing staff, and for an expert their own — the sheet itself.
    The panel's tally is on the change once decided (`c.review_tally`)."""
    sees_all = any(c.expert_review for c in changes) and user.has_perm("reviews.view_all_scores", project)
    criteria = project.policy.change_review_criteria
    for change in changes:
        change.panel = change_review_of(change)
        change.panel_rows = []
        if change.panel is None:
            continue
        sheets = {s.member_id: s for s in standing_sheets(change.panel)}
        for member in change.panel.members.all():
            sheet = sheets.get(member.pk)
            shown = sheet if sheet is not None and (sees_all or member.expert.user_id == user.pk) else None
            grades = {s.criterion: s for s in shown.scores.all()} if shown else {}
            change.panel_rows.append(
                {
                    "member": member,
                    "submitted": sheet is not None,
                    "at": sheet.at if sheet else None,
                    "sheet": shown,
                    "cells": [grades.get(c.code) for c in criteria],
                }
            )
