"""Each role's home page (工作台): what waits for them across every app."""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from acceptance.construction_selectors import awaiting
from acceptance.group import acceptance_awaiting
from core.batches import first_admitted
from core.enums import Role
from projects.enums import ProjectState
from projects.selectors import (
    LIST_PAGE_FIELDS,
    deadlines_needing_attention,
    project_list,
    project_state_counts,
)
from reviews.plan import projects_awaiting_approval
from reviews.selectors import my_reviews

HOME_LIMIT = 20  # rows of a home page's list; the rest are a click away, in the project list

# What waits for the big-data center: declarations to pre-review, reviews to conclude, acceptances to
# organise, evaluations to archive, suspended projects to decide on.
BDC_PENDING = (
    ProjectState.DECLARED,
    ProjectState.REVIEWING,
    ProjectState.FINAL_ACCEPTANCE,
    ProjectState.EVALUATION,
    ProjectState.SUSPENDED,
)


def _home_section(user) -> tuple[str, str, object]:
    """The title, the empty-list sentence and the projects of the user's home page."""
    projects = project_list(user=user)
    if user.role == Role.DEPARTMENT:
        return "我的项目", "本单位尚无项目。点击“新建申报”开始申报。", projects
    if user.role == Role.BDC:
        return ("待处理", "目前没有待预审、评审、验收或归档的项目。", projects.filter(state__in=BDC_PENDING))
    if user.role == Role.FINANCE:
        # The latest review opinion passes and is issued, and the policy gives the approval to finance.
        awaiting = projects_awaiting_approval(projects)
        return "待立项", "目前没有评审通过、等待财政立项的项目。", _approvals_of(user, awaiting)
    if user.role == Role.DEVELOPMENT:
        # The reviews whose 立项 is theirs under the project's policy (fangchenggang-2022 第四条; laohekou-2024
        # 第八条 for projects adding fixed assets), read through the same rule as the transition.
        return "待审批", "目前没有须由发展改革部门审批的评审中项目。", _approvals_of(user, projects)
    if user.role == Role.AUDITOR:
        return "档案", "本行政区划尚无项目。", projects
    if user.role == Role.EXPERT:
        return "分配给我的评审", "目前没有分配给您的评审。", projects
    if user.role == Role.SUPERVISOR:
        return "监理项目", "目前没有委派给本单位监理的项目。", projects
    return "项目", "", projects.none()


def _approvals_of(user, projects) -> list:
    """Of `projects`, the first HOME_LIMIT under review whose approval the policy gives to `user`'s body."""
    from projects.actions import policies_where_role_acts
    from projects.services import transition_acting
    from projects.transitions import TRANSITIONS

    approve = TRANSITIONS["approve"]
    codes = policies_where_role_acts("approve", approve.roles, user.role)  # the policies giving it to them
    reviewing = projects.filter(state=ProjectState.REVIEWING, policy_code__in=codes).order_by("pk")
    return first_admitted(
        reviewing, lambda project: transition_acting(project, approve).admits(user, project), HOME_LIMIT
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    user = request.user
    if user.role == Role.LEADER:  # the 领导's home page is the dashboard (issue 15 §5)
        from .dashboard_views import dashboard_page

        return dashboard_page(request)
    title, empty, projects = _home_section(user)
    counts = project_state_counts(user)  # kept by the projects table's triggers, not counted per request
    summary = [(s, s.label, counts[s.value]) for s in ProjectState if counts.get(s.value)]
    return render(
        request,
        "portal/home.html",
        {
            "title": title,
            "empty": empty,
            # The columns the table shows, as the list page loads them (not the seven chapters' text).
            "projects": list(
                (projects.only(*LIST_PAGE_FIELDS) if isinstance(projects, QuerySet) else projects)[
                    :HOME_LIMIT
                ]
            ),
            "summary": summary,
            "home_limit": HOME_LIMIT,
            "is_operator": user.is_staff or user.is_operator,
            "can_declare": user.role == Role.DEPARTMENT,
            "rows": my_reviews(user=user) if user.role == Role.EXPERT else [],
            # Acceptance: the opinions an expert owes, the groups the user's body is to form.
            "acceptance_awaiting": {}
            if user.is_staff or user.is_operator
            else acceptance_awaiting(user=user, projects=project_list(user=user)),
            # Construction under watch: changes to decide, 督办单 to close or answer, the supervisor's scores.
            "awaiting": {}
            if user.is_staff or user.is_operator
            else awaiting(user=user, projects=project_list(user=user)),
            # Experts act on nothing a deadline names; operators see no project data.
            "attention": (
                []
                if user.is_staff or user.is_operator or user.role == Role.EXPERT
                else deadlines_needing_attention(user=user)
            ),
        },
    )
