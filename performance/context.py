"""The performance part of the project page (`projects.panels.panel_register`): the targets set at declaration
(which the review sees), the department's form for them while the project is its to edit, the evaluations with
each indicator's actual value against its target, and — beside a declaration — the department's past results
(laohekou-2024 第二十七条: 评价结果作为下一年度安排政府投资的参考依据). A constant number of queries."""

from projects.actions import actor_allowed
from projects.enums import ProjectState

from .forms import TargetsForm
from .models import FinanceEvaluation, SampleMember, ThirdPartyEvaluation
from .selectors import past_results, self_evaluations_of, targets_current

# Where the department's earlier results are shown: while the project is declared, reviewed and approved.
FEEDBACK_STATES = frozenset(
    {
        ProjectState.DRAFT,
        ProjectState.DECLARED,
        ProjectState.REVIEWING,
        ProjectState.APPROVED,
        ProjectState.REJECTED,
    }
)


# Where evaluations can exist: the self-evaluation is made in 绩效评价, finance's and third parties' after it.
EVALUATED_STATES = frozenset({ProjectState.EVALUATION, ProjectState.ARCHIVED})


def project_page_context(*, project, user, forms: dict) -> dict:
    targets = targets_current(project)
    indicators = list(targets.indicators.all()) if targets else []
    evaluated = project.state in EVALUATED_STATES
    context = {
        "performance_targets": targets,
        "performance_indicators": indicators,
        "self_evaluations": self_evaluations_of(project) if evaluated else [],
        "finance_evaluations": list(
            FinanceEvaluation.objects.filter(project=project)
            .select_related("member__draw", "by")
            .order_by("-id")
        )
        if evaluated
        else [],
        "third_party_evaluations": list(
            ThirdPartyEvaluation.objects.filter(project=project)
            .select_related("by")
            .order_by("-evaluated_on", "-id")
        )
        if evaluated
        else [],
        "performance_samples": list(
            SampleMember.objects.filter(project=project).select_related("draw").order_by("-draw__year")
        )
        if evaluated
        else [],
        "past_results": (
            past_results(organisation_id=project.organisation_id, exclude_project_id=project.pk)
            if project.state in FEEDBACK_STATES
            else None
        ),
        "targets_form": None,
    }
    if project.state == ProjectState.DRAFT and actor_allowed(project, "set_targets", user):
        context["targets_form"] = forms.get("targets_form") or TargetsForm(current=targets)
    return context
