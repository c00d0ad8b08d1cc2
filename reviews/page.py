"""The review's part of the project page (registered with `projects.panels` in ReviewsConfig.ready()): the
pre-review, the panel, the invited agencies, the opinions and their letters, and the BDC's forms for them."""

from core.enums import Role
from projects.checks import CheckContext
from projects.enums import ProjectState

from .actions import InviteForm
from .forms import PreReviewForm
from .issuing import review_letters_context

# Who reads the review on the project page: those who run or approve it, the auditors, and the leaders
# (read-only, issue 15 §5).
READERS = (Role.BDC, Role.FINANCE, Role.AUDITOR, Role.LEADER)


def review_panel_context(*, project, user, forms: dict) -> dict:
    if user.role not in READERS:
        return {}
    context = {
        "show_review": True,
        "prereviews": list(project.prereviews.select_related("by").order_by("at", "id")),
        "panel": list(project.panel.filter(active=True).select_related("expert__user").order_by("id")),
        "invitations": sorted(CheckContext.shared(project).agency_invitations, key=lambda i: i.pk),
        "opinions": list(project.review_opinions.select_related("document").order_by("issued_at", "id")),
    }
    context.update(review_letters_context(project=project, user=user, opinions=context["opinions"]))
    for pre in context["prereviews"]:  # each pre-review with its 预审意见书 (gongshu-draft 四(二))
        pre.letter = context["prereview_letters"].get(pre.pk)
    if user.role == Role.BDC:
        if project.state == ProjectState.DECLARED:
            context["prereview_form"] = forms.get("prereview_form") or PreReviewForm(project=project)
        if project.state in (ProjectState.DECLARED, ProjectState.REVIEWING):
            context["agency_form"] = forms.get("agency_form") or InviteForm(project=project)
    return context
