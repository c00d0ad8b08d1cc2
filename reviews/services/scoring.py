"""The panel experts' score sheets: submitted once, corrected only by a new sheet with its reason."""

from django.db import transaction

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.timeline import timeline_append
from projects.enums import ProjectState
from projects.locks import project_lock

from ..enums import Conclusion, Grade
from ..models import PanelMember, Score, ScoreSheet
from ..selectors import review_round_start, round_opinions, standing_sheets


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
    _check_sheet_complete(criteria, grades, comments, opinion, recommendation)
    with transaction.atomic():
        locked = _lock_for_expert(project, by)
        member = _expert_seat(locked, by)
        previous, correction_reason = _sheet_superseded(locked, member, correction_reason)
        sheet = ScoreSheet.objects.create(
            project=locked,
            member=member,
            expert=member.expert,
            opinion=opinion.strip(),
            recommendation=recommendation,
            supersedes=previous,
            correction_reason=correction_reason,
        )
        _scores_create(sheet, criteria, grades, comments)
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


def _scores_create(sheet: ScoreSheet, criteria, grades: dict[str, str], comments: dict[str, str]) -> None:
    """The sheet's grade and comment on each criterion, with the criterion's label and article as they stand."""
    criterion_grades_create(Score, sheet, criteria, grades, comments)


def criterion_grades_create(model, sheet, criteria, grades: dict[str, str], comments: dict[str, str]) -> None:
    """A sheet's graded criteria (`model`: a `reviews.models.CriterionGrade` with a `sheet`), each with its
    label and article as they stand: the review's score sheets, and a change re-review's (acceptance)."""
    model.objects.bulk_create(
        [
            model(
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


def _expert_seat(locked, by) -> PanelMember:
    return (
        PanelMember.objects.select_related("expert")
        .filter(project=locked, expert__user=by, active=True)
        .first()
    )


def _check_sheet_complete(criteria, grades, comments, opinion, recommendation) -> None:
    sheet_complete_check(
        criteria,
        grades,
        comments,
        opinion,
        recommendation in Conclusion.values,
        what="评分",
        choose="建议结论",
    )


def sheet_complete_check(
    criteria, grades, comments, opinion, recommended: bool, *, what: str, choose: str
) -> None:
    """Every criterion graded and commented, an overall opinion and a recommendation (`recommended`: one of
    the sheet's choices); else one message naming the unfinished criteria ("`what`未完成：…请选择`choose`"),
    with the errors by field."""
    errors: dict[str, list[str]] = {}
    for c in criteria:
        if grades.get(c.code) not in Grade.values:
            errors.setdefault(f"criterion:{c.code}", []).append("请选择评价。")
        if not (comments.get(c.code) or "").strip():
            errors.setdefault(f"comment:{c.code}", []).append("请填写意见。")
    if not (opinion or "").strip():
        errors["opinion"] = ["请填写总体意见。"]
    if not recommended:
        errors["recommendation"] = [f"请选择{choose}。"]
    if not errors:
        return
    unfinished = [
        c.label for c in criteria if f"criterion:{c.code}" in errors or f"comment:{c.code}" in errors
    ]
    message = f"{what}未完成：" + (
        f"以下评审事项须选择评价并填写意见：{'；'.join(unfinished)}。" if unfinished else ""
    )
    if "opinion" in errors or "recommendation" in errors:
        message += f"请填写总体意见并选择{choose}。"
    raise InvalidInput(message, extra={"errors": errors})


def _sheet_superseded(locked, member, correction_reason: str) -> tuple[ScoreSheet | None, str]:
    """The member's standing sheet of this round that a new one would supersede, and the correction's reason
    (required when there is one, dropped when there is none). Nothing is submitted once consolidated."""
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
    return previous, correction_reason
