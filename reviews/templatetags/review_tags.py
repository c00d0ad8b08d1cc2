"""The review's card on the project page, built from the selectors whatever the page's own context holds."""

from django import template

from core.enums import Role
from projects.enums import ProjectState

from .. import selectors
from ..enums import DrawPurpose, ExpertField

register = template.Library()


@register.filter
def field_labels(fields) -> str:
    return "、".join(ExpertField(f).label for f in fields or () if f in ExpertField.values) or "—"


@register.filter
def org_kind_label(kind: str) -> str:
    from core.enums import OrganisationKind

    return OrganisationKind(kind).label if kind in OrganisationKind.values else kind


@register.filter
def absent_field(form, member):
    """The bound field of the consolidation form for a panel member's absence reason."""
    return form[f"absent_{member.pk}"]


@register.inclusion_tag("reviews/_panel_card.html", takes_context=True)
def review_panel(context, project):
    user = context["request"].user
    staff = user.has_perm("reviews.view_all_scores", project)
    expert = user.role == Role.EXPERT
    overview = (
        selectors.panel_overview(project, invitations=False)
        if (staff or expert)
        else {"rows": [], "draws": []}
    )
    if not staff and not expert:
        from .. import models

        overview["draws"] = list(
            models.Draw.objects.filter(project=project, purpose=DrawPurpose.REVIEW).order_by("at", "id")
        )
    mine = None
    if expert:
        mine = next(
            (r for r in overview["rows"] if r.member.active and r.member.expert.user_id == user.pk), None
        )
    return {
        "project": project,
        "staff": staff,
        "manage": user.has_perm("reviews.manage_panel", project),
        "expert": expert,
        "mine": mine,
        "active_rows": [r for r in overview["rows"] if r.member.active] if staff else [],
        "draws": overview["draws"],
        "declared": project.state == ProjectState.DECLARED,
        "reviewing": project.state == ProjectState.REVIEWING,
    }
