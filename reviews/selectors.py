"""Reads of the review, always limited to what the reader may see: an expert reads their own score sheets, and
the other experts' only once their own is submitted; the BDC, finance and the auditor read every submitted
sheet; the department reads the panel and the opinion, not the scores."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from core.enums import Role

from .enums import DrawKind, DrawPurpose
from .models import AgencyInvitation, Draw, ExpertProfile, PanelMember, Score, ScoreSheet


def agencies_required(project) -> list[tuple[str, str]]:
    """The organisation kinds the project's policy requires in its review, each with the rule's source:
    the policy's `review_agencies` (gongshu-draft 四(二): 发改、财政) and its `agency_rules` that apply to the
    project (wendeng-2021 第十二条: 公安 for security or video projects, 保密办 for classified ones)."""
    policy = project.policy
    found: dict[str, str] = {}
    for rule in policy.agency_rules:
        if rule.applies(project):
            found.setdefault(rule.kind, policy.cite(rule.article))
    panel_article = policy.articles.get("ANY-panel") or ""
    for kind in policy.review_agencies:
        found.setdefault(kind, policy.cite(panel_article))
    return list(found.items())


def expert_library(*, user, filters: dict | None = None) -> QuerySet[ExpertProfile]:
    """The experts of the BDC's jurisdiction; nobody else manages a library."""
    if user.role != Role.BDC or user.organisation_id is None:
        return ExpertProfile.objects.none()
    filters = filters or {}
    qs = (
        ExpertProfile.objects.filter(jurisdiction_id=user.organisation.jurisdiction_id)
        .select_related("user", "employer")
        .prefetch_related(Prefetch("conflicts", queryset=_conflicts()))
        .order_by("id")
    )
    if filters.get("field"):
        qs = qs.filter(fields__contains=[filters["field"]])
    if filters.get("available") in ("yes", "no"):
        qs = qs.filter(available=filters["available"] == "yes")
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(user__full_name__icontains=q) | Q(employer_name__icontains=q) | Q(user__username__icontains=q)
        )
    return qs


def _conflicts():
    from .models import ExpertConflict

    return ExpertConflict.objects.select_related("organisation").order_by("id")


def expert_get(*, user, pk) -> ExpertProfile | None:
    return expert_library(user=user).filter(pk=pk).first()


def criterion_heading(label: str, article: str) -> str:
    """A criterion as a civil servant lists it: "（五）编制的项目政务信息资源目录是否合理" for 第八条(五)."""
    match = re.search(r"[(（]([一二三四五六七八九十]+)[)）]\s*$", article or "")
    return f"（{match.group(1)}）{label}" if match else label


def review_round_start(project):
    """When the project's current review round began (its latest 启动评审), or None before any. Score sheets
    and opinions of an earlier round (before a 退回修改 and a new declaration) do not count in this one."""
    from core.models import TimelineEntry

    if (
        "_review_round_start" not in project.__dict__
    ):  # read once per project instance (one page, one service)
        project._review_round_start = (
            TimelineEntry.objects.filter(project=project, action="projects.project.start_review")
            .order_by("-seq")
            .values_list("at", flat=True)
            .first()
        )
    return project._review_round_start


def standing_sheets(project, start=None) -> QuerySet[ScoreSheet]:
    """The score sheets of the current round not superseded by a correction."""
    qs = ScoreSheet.objects.filter(project=project, superseded_by__isnull=True)
    start = start or review_round_start(project)
    return qs.filter(submitted_at__gte=start) if start else qs


def round_opinions(project, start=None):
    from .models import ReviewOpinion

    qs = ReviewOpinion.objects.filter(project=project)
    start = start or review_round_start(project)
    return qs.filter(issued_at__gte=start) if start else qs


def review_scores_missing(project) -> list[str]:
    """What the active panel has not scored, one line per expert and criterion of the project's policy, e.g.
    "专家张三：（五）编制的项目政务信息资源目录是否合理". Empty when every active member has graded every criterion
    (zhaoyuan-2021 第八条, laohekou-2024 第七条)."""
    criteria = project.policy.review_criteria
    members = list(
        PanelMember.objects.filter(project=project, active=True).select_related("expert__user").order_by("id")
    )
    scored = set(
        Score.objects.filter(sheet__in=standing_sheets(project), sheet__member__in=members).values_list(
            "sheet__member_id", "criterion"
        )
    )
    missing = []
    for member in members:
        for c in criteria:
            if (member.pk, c.code) not in scored:
                missing.append(f"专家{member.expert}：{criterion_heading(c.label, c.article)}")
    return missing


def sheets_visible_to(*, user, project) -> list[ScoreSheet]:
    """The score sheets the user may read, the standing ones and the ones they superseded: all of them for the
    jurisdiction's BDC, finance and auditor; for an expert, their own, and everyone's once their own is in."""
    start = review_round_start(project)
    qs = (
        ScoreSheet.objects.filter(project=project, **({"submitted_at__gte": start} if start else {}))
        .select_related("expert__user", "member", "supersedes")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("id")))
        .order_by("member_id", "submitted_at", "id")
    )
    if user.has_perm("reviews.view_all_scores", project):
        return _marked(list(qs))
    if user.role == Role.EXPERT and user.has_perm("reviews.score", project):
        sheets = _marked(list(qs))
        if any(s.expert.user_id == user.pk and s.member.active for s in sheets):
            return sheets
        return [s for s in sheets if s.expert.user_id == user.pk]
    return []


def _marked(sheets: list[ScoreSheet]) -> list[ScoreSheet]:
    superseded = {s.supersedes_id for s in sheets if s.supersedes_id}
    for s in sheets:
        s.is_superseded = s.pk in superseded
    return sheets


@dataclass(frozen=True)
class MemberRow:
    member: PanelMember
    sheet: ScoreSheet | None


def panel_overview(project, *, invitations: bool = True) -> dict:
    """The panel as the review page shows it: every member drawn (active first), their standing sheet, the
    draws, and the invitations. A fixed number of queries whatever the panel's size."""
    members = list(
        PanelMember.objects.filter(project=project)
        .select_related("expert__user", "expert__employer", "draw", "deactivated_by")
        .order_by("-active", "id")
    )
    sheets = {
        s.member_id: s
        for s in standing_sheets(project).only(
            "id", "member_id", "submitted_at", "recommendation", "supersedes_id"
        )
    }
    rows = [MemberRow(member=m, sheet=sheets.get(m.pk)) for m in members]
    return {
        "rows": rows,
        "active_rows": [r for r in rows if r.member.active],
        "draws": list(
            Draw.objects.filter(project=project, purpose=DrawPurpose.REVIEW)
            .select_related("by", "original")
            .order_by("at", "id")
        ),
        "invitations": list(
            AgencyInvitation.objects.filter(project=project)
            .select_related("organisation", "participation_recorded_by")
            .order_by("id")
        )
        if invitations
        else [],
    }


def latest_draw(project) -> Draw | None:
    return (
        Draw.objects.filter(project=project, kind=DrawKind.DRAW, purpose=DrawPurpose.REVIEW)
        .order_by("-at", "-id")
        .first()
    )


def draw_get(*, user, pk) -> Draw | None:
    """A draw, if the user may see its project."""
    from projects.selectors import project_visible_to

    return (
        Draw.objects.select_related("project__organisation", "by", "original")
        .filter(pk=pk, project__in=project_visible_to(user))
        .first()
    )


def my_reviews(*, user) -> list[MemberRow]:
    """An expert's active assignments, each with their standing sheet (None: not yet submitted)."""
    if user.role != Role.EXPERT:
        return []
    members = list(
        PanelMember.objects.filter(expert__user=user, active=True)
        .select_related("project__organisation", "expert")
        .order_by("-assigned_at", "-id")
    )
    sheets = {
        s.member_id: s
        for s in ScoreSheet.objects.filter(member__in=members, superseded_by__isnull=True).only(
            "id", "member_id", "submitted_at", "recommendation", "supersedes_id"
        )
    }
    return [MemberRow(member=m, sheet=sheets.get(m.pk)) for m in members]


def panel_conflicts(project) -> list[str]:
    """The active panel members who work for, or declared a conflict with, the declaring department, a
    co-builder or a bidder entered with the latest draw: one line each, e.g. "专家张三：工作单位为某某公司（投标单位）"."""
    from .draws import excluded_organisations_of, exclusion_reason

    by_id, by_name = excluded_organisations_of(project, [])
    draw = latest_draw(project)
    if draw is not None:
        by_id |= {int(k): v for k, v in draw.parameters.get("excluded_by_id", {}).items()}
        by_name |= dict(draw.parameters.get("excluded_by_name", {}))
    members = (
        PanelMember.objects.filter(project=project, active=True)
        .select_related("expert__user", "expert__employer")
        .prefetch_related("expert__conflicts__organisation")
        .order_by("id")
    )
    found = []
    for m in members:
        reason = exclusion_reason(m.expert, by_id, by_name, availability=False)
        if reason:
            found.append(f"专家{m.expert}：{reason}")
    return found


def panel_fields_uncovered(project) -> list[str]:
    """The fields (领域) the project needs (`reviews.draws.fields_needed`) that no active panel member has, as
    their Chinese labels (laohekou-2024 第十一条: 选取相应领域的专家). Empty when the panel covers them all."""
    from .draws import fields_needed
    from .enums import ExpertField

    covered = {
        f
        for fields in PanelMember.objects.filter(project=project, active=True).values_list(
            "expert__fields", flat=True
        )
        for f in fields
    }
    return [ExpertField(f).label for f in fields_needed(project) if f not in covered]
