"""Supervision: the supervisor's periodic 四控三管 report and the department's score of the supervisor
(laohekou-2024 第十九、二十条)."""

from decimal import Decimal

from django.db import transaction

from core.errors import Conflict, InvalidInput, NotPermitted
from core.timeline import timeline_append
from projects.enums import DocumentKind

from ..models import SupervisionReport, SupervisorAssignment, SupervisorScore
from .common import SCORE_STATES, WATCH_STATES, _lock, _stored

# 四控 (进度、质量、成本、变更控制) and 三管 (合同、文档、安全): laohekou-2024 第二十条.
SUPERVISION_ITEMS = (
    ("schedule", "进度控制"),
    ("quality", "质量控制"),
    ("cost", "成本控制"),
    ("change", "变更控制"),
    ("contract", "合同管理"),
    ("document", "文档管理"),
    ("security", "安全管理"),
)
SUPERVISION_RATINGS = (("good", "良好"), ("fair", "一般"), ("poor", "较差"))


def supervision_report_submit(
    *, project, by, period: str, items: dict, issues: str = "", follow_up: str = "", file=None
) -> SupervisionReport:
    """The assigned supervisor's periodic report: a finding and a rating for each of 四控三管."""
    missing = [label for code, label in SUPERVISION_ITEMS if not (items.get(code) or {}).get("finding")]
    if missing:
        raise InvalidInput(f"请填写{'、'.join(missing)}的监理意见。")
    with transaction.atomic():
        locked = _lock(project, by, "supervision_report", "报送监理报告", WATCH_STATES)
        assignment = (
            SupervisorAssignment.objects.filter(project=locked, ended_at__isnull=True).order_by("-id").first()
        )
        if assignment is None or assignment.organisation_id != by.organisation_id:
            raise NotPermitted("只有本项目现任监理单位的人员可以报送监理报告。")
        version = _stored(locked, by, DocumentKind.SUPERVISION_REPORT, file, f"监理报告（{period}）")
        report = SupervisionReport.objects.create(
            project=locked,
            assignment=assignment,
            period=period,
            items=items,
            issues=(issues or "").strip(),
            follow_up=(follow_up or "").strip(),
            document_version=version,
            by=by,
        )
        poor = [label for code, label in SUPERVISION_ITEMS if items[code].get("rating") == "poor"]
        timeline_append(
            project=locked,
            action="acceptance.supervision.report",
            label=f"报送监理报告（{period}）",
            actor=by,
            comment=report.issues,
            data={"report": report.pk, "period": period, "poor": poor},
            documents=[version.as_record()] if version else [],
        )
    return report


def supervisor_score(*, project, by, score, comment: str) -> SupervisorScore:
    """The department scores the supervisor's service once the project is built (laohekou-2024 第二十条)."""
    if not (comment or "").strip():
        raise InvalidInput("请填写对监理单位服务的评价意见。")
    score = Decimal(score).quantize(Decimal("0.01"))
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput("评分须在0至100分之间。")
    with transaction.atomic():
        locked = _lock(project, by, "score_supervisor", "对监理单位打分", SCORE_STATES)
        assignment = (
            SupervisorAssignment.objects.select_related("organisation")
            .filter(project=locked, ended_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if assignment is None:
            raise Conflict("本项目没有监理单位，无须打分。")
        if SupervisorScore.objects.filter(assignment=assignment).exists():
            raise Conflict(f"已对{assignment.organisation.name}打分，不能重复打分。")
        record = SupervisorScore.objects.create(
            project=locked,
            assignment=assignment,
            organisation=assignment.organisation,
            score=score,
            comment=comment.strip(),
            by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.supervisor.score",
            label=f"对监理单位服务打分：{score}分",
            actor=by,
            comment=record.comment,
            data={"organisation": assignment.organisation.name, "score": score, "score_id": record.pk},
        )
    return record
