"""Reads of performance management: the targets in force, the evaluations of a project, the department's past
results shown beside its next declarations (laohekou-2024 第二十七条), the year's sample and its candidates."""

from collections import defaultdict

from django.db.models import Prefetch

from .models import FinanceEvaluation, IndicatorResult, SampleDraw, SelfEvaluation, TargetSet


def targets_current(project) -> TargetSet | None:
    """The latest version of the project's targets, with its indicators (two queries)."""
    return (
        TargetSet.objects.filter(project=project).prefetch_related("indicators").order_by("-number").first()
    )


def self_evaluation_latest(project) -> SelfEvaluation | None:
    return SelfEvaluation.objects.filter(project=project).order_by("-evaluated_on", "-id").first()


def self_evaluations_of(project) -> list[SelfEvaluation]:
    """The project's self-evaluations, newest first, each with its indicator results beside their targets."""
    return list(
        SelfEvaluation.objects.filter(project=project)
        .select_related("by", "report")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=IndicatorResult.objects.select_related("indicator").order_by("indicator__position"),
            )
        )
        .order_by("-evaluated_on", "-id")
    )


def past_results(*, organisation_id: int, exclude_project_id: int, limit: int = 20) -> list[dict]:
    """The department's earlier evaluation results, by year (newest first): each year's self-evaluations and
    finance re-evaluations of its other projects. Two queries, whatever the number of projects."""
    years: dict[int, dict] = defaultdict(lambda: {"self": [], "finance": []})
    selfs = (
        SelfEvaluation.objects.filter(project__organisation_id=organisation_id)
        .exclude(project_id=exclude_project_id)
        .select_related("project")
        .order_by("-evaluated_on", "-id")[:limit]
    )
    for e in selfs:
        years[e.evaluated_on.year]["self"].append(e)
    finance = (
        FinanceEvaluation.objects.filter(project__organisation_id=organisation_id)
        .exclude(project_id=exclude_project_id)
        .select_related("project", "member__draw")
        .order_by("-member__draw__year", "-id")[:limit]
    )
    for e in finance:
        years[e.member.draw.year]["finance"].append(e)
    return [{"year": year, **years[year]} for year in sorted(years, reverse=True)]


def sample_candidates(*, jurisdiction, year: int, lock: bool = False):
    """The jurisdiction's projects whose self-evaluation is dated in `year`, ids ascending."""
    from projects.models import Project

    rows = (
        Project.objects.filter(
            organisation__jurisdiction=jurisdiction, self_evaluations__evaluated_on__year=year
        )
        .distinct()
        .order_by("pk")
    )
    if lock:
        rows = Project.objects.filter(pk__in=rows.values("pk")).select_for_update(of=("self",)).order_by("pk")
    return rows


def sample_draws(*, jurisdiction) -> list[SampleDraw]:
    return list(
        SampleDraw.objects.filter(jurisdiction=jurisdiction)
        .select_related("by")
        .prefetch_related("members__project", "members__evaluation")
        .order_by("-year")
    )
