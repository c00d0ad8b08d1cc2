"""The BDC's pre-review (预审) of a declared project, and, where the regulation names it, the 预审意见书.

gongshu-draft 四(二): within 5 working days of the declaration the 领导小组办公室 screens the 实施方案 and issues a
预审意见书 proposing to 取消, 拆分 or 合并 the project or to 完善需求方案; 预审合格后 the review follows. Each outcome
does to the project what the transitions that exist allow (docs/policies.md):

- 预审合格 — nothing here: `start_review`'s ANY-prereview check passes;
- 完善需求方案, 拆分项目建设, 合并项目建设 — `return_for_revision` (已申报 → 草稿): the department revises the
  实施方案, or re-declares the project split or merged, and submits again; a new declaration needs a new
  pre-review (`prereview_of_declaration`);
- 取消项目建设 — `reject` (已申报 → 不予立项): the project does not go to review.

Each transition runs through `project_transition` in the pre-review's transaction, with the 预审意见书's number as
its reason. The letter is numbered by `core.letters.letter_issue` (key `letter:<org>:prereview_opinion:<year>`,
发文字号 e.g. 拱数据预审〔2026〕1号) and rendered by the same Celery task as the 评审意见."""

from django.db import transaction

from core.errors import InvalidInput
from core.letters import letter_issue
from core.models import Letter
from core.timeline import timeline_append
from projects.enums import ProjectState

from ..enums import PreReviewOutcome
from ..models import PreReview
from ._common import _lock

KIND = Letter.Kind.PREREVIEW_OPINION

# What each outcome does to the project: the transition it runs (None: the project stays 已申报).
OUTCOME_TRANSITIONS: dict[str, str | None] = {
    PreReviewOutcome.PASS: None,
    PreReviewOutcome.REVISE: "return_for_revision",
    PreReviewOutcome.SPLIT: "return_for_revision",
    PreReviewOutcome.MERGE: "return_for_revision",
    PreReviewOutcome.CANCEL: "reject",
    PreReviewOutcome.FAIL: None,
}

# The letter's sentence for each outcome: what follows for the department.
OUTCOME_SENTENCES: dict[str, str] = {
    PreReviewOutcome.PASS: "项目预审合格，按照“统一申报、分类评审”的原则进入评审程序。",
    PreReviewOutcome.REVISE: "请项目建设单位按本意见完善需求方案后重新申报，项目退回建设单位修改。",
    PreReviewOutcome.SPLIT: "请项目建设单位按本意见将项目拆分建设、分别申报，项目退回建设单位修改。",
    PreReviewOutcome.MERGE: "请项目建设单位按本意见与相关项目合并建设后重新申报，项目退回建设单位修改。",
    PreReviewOutcome.CANCEL: "项目不进入评审程序，不予立项。",
    PreReviewOutcome.FAIL: "项目未通过预审，须修改后重新预审。",
}


def prereview_outcomes(project) -> list[str]:
    """The outcomes the project's regulation lets the pre-review reach."""
    outcomes, _ = project.policy.prereview_letter
    return list(outcomes) or [PreReviewOutcome.PASS, PreReviewOutcome.FAIL]


def prereview_record(
    *, project, by, opinion: str, outcome: str | None = None, passed: bool | None = None
) -> PreReview:
    """Record the pre-review; where the regulation names a 预审意见书, issue it, and carry out the outcome.

    `passed` is the outcome of a pre-review that only passes or fails (通过 → 预审合格, 不通过 → 不通过)."""
    if not (opinion or "").strip():
        raise InvalidInput("请填写预审意见。")
    if not outcome:
        if passed is None:
            raise InvalidInput("请选择预审结论。")
        outcome = PreReviewOutcome.PASS if passed else PreReviewOutcome.FAIL
    allowed = prereview_outcomes(project)
    if outcome not in allowed:
        labels = "、".join(PreReviewOutcome(o).label for o in allowed)
        raise InvalidInput(
            f"预审结论须为{labels}之一。", extra={"errors": {"outcome": [f"请选择{labels}。"]}}
        )
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "预审")
        pre = PreReview.objects.create(
            project=locked,
            passed=outcome == PreReviewOutcome.PASS,
            outcome=outcome,
            opinion=opinion.strip(),
            by=by,
        )
        label = PreReviewOutcome(outcome).label
        with_letter = bool(locked.policy.prereview_letter[0])
        timeline_append(
            project=locked,
            action="reviews.prereview.record",
            label=f"预审：{label}" if with_letter else "预审",
            actor=by,
            comment=pre.opinion,
            data={"passed": pre.passed, "outcome": outcome, "prereview_id": pre.pk},
        )
        pre.letter = _letter_issue(locked, pre, by) if with_letter else None
        name = OUTCOME_TRANSITIONS[outcome]
        if name:
            from projects.services import project_transition

            basis = f"依预审意见书{pre.letter.number}" if pre.letter else "依预审意见"
            project_transition(
                project_id=locked.pk,
                name=name,
                by=by,
                data={"comment": f"{basis}（{label}）：{pre.opinion}"[:2000]},
            )
    return pre


def _letter_issue(project, pre: PreReview, by) -> Letter:
    """Number the 预审意见书 and record what it says; its PDF follows from the task once this commits."""
    issuer = by.organisation
    content = prereview_letter_content(project=project, pre=pre, issuer=issuer)
    letter = letter_issue(
        project=project,
        kind=KIND,
        organisation=issuer,
        addressee=project.organisation.name,
        title=_title(project.name),
        content=content,
        by=by,
        source_id=pre.pk,
    )
    timeline_append(
        project=project,
        action="reviews.prereview.number",
        label="预审意见书编号（生成PDF中）",
        actor=by,
        data={
            "number": letter.number,
            "letter_id": letter.pk,
            "prereview_id": pre.pk,
            "outcome": pre.outcome,
        },
    )
    return letter


def _title(name: str) -> str:
    return f"关于{name}{'' if name.endswith('项目') else '项目'}的预审意见书"


def prereview_letter_content(*, project, pre: PreReview, issuer) -> dict:
    """What the 预审意见书 says, from the records as they stand: the snapshot stored on the letter."""
    policy = project.policy
    _, article = policy.prereview_letter
    regulation = f"《{policy.title}》" + (f"（{policy.document_number}）" if policy.document_number else "")
    outcome = PreReviewOutcome(pre.outcome)
    opening = (
        f"根据{regulation}{article}的规定，{issuer.name}对{project.organisation.name}申报的“{project.name}”"
        f"（项目编号：{project.code}，计划年度：{project.year}年，申报金额：{project.declared_amount:.2f}万元）"
        "的实施方案进行了预审，结合项目建设单位的信息化建设现状、需求和省市规范进行了初步筛选，形成预审意见如下。"
    )
    return {
        "prereview_id": pre.pk,
        "project": {
            "id": project.pk,
            "code": project.code,
            "name": project.name,
            "department": project.organisation.name,
            "year": project.year,
            "declared_amount": f"{project.declared_amount:.2f}",
        },
        "policy": {"code": policy.code, "version": project.policy_version, "regulation": regulation},
        "article": article,
        "source": policy.cite(article),
        "conclusion": outcome.value,
        "conclusion_label": outcome.label,
        "body": [
            {"text": opening},
            {"heading": "一、预审结论"},
            {"text": f"预审结论为“{outcome.label}”。{OUTCOME_SENTENCES[outcome]}"},
            {"heading": "二、预审意见"},
            *({"text": line.strip()} for line in pre.opinion.splitlines() if line.strip()),
            {"text": "特此函告。"},
        ],
        "attachments": [],
    }
