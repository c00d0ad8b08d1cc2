"""What the project page shows of the procurement and construction stage, for the person looking."""

from core.enums import Role
from projects.enums import ProjectState

from .change_review import change_review_page, standing_prefetch
from .forms import BiddingConfirmationForm, ChangeDecisionForm, ChangeRequestForm, ResourceConnectForm
from .models import ChangeRequest
from .services import CHANGE_STATES

BIDDING_STATES = {ProjectState.APPROVED, ProjectState.PROCUREMENT}


def project_page_context(*, project, user, forms: dict) -> dict:
    changes = list(
        project.change_requests.select_related("submitted_by", "decided_by", "review__draw").prefetch_related(
            *standing_prefetch("review__")
        )
    )
    change_review_page(project, user, changes)
    bidding = list(project.bidding_confirmations.select_related("by").order_by("at", "id"))
    is_owner = user.role == Role.DEPARTMENT and user.organisation_id == project.organisation_id
    is_bdc = user.role == Role.BDC and user.has_perm("projects.register_catalogue", project)
    context = {
        "changes": changes,
        "change_review_criteria": project.policy.change_review_criteria,
        "bidding_confirmations": bidding,
        "show_changes": bool(changes) or project.state in CHANGE_STATES,
        "show_bidding": bool(bidding)
        or (project.policy.bidding_confirmation and project.state in BIDDING_STATES),
    }
    if is_owner and project.state in CHANGE_STATES:
        context["change_form"] = forms.get("change_form") or ChangeRequestForm()
    if is_bdc and any(c.status == ChangeRequest.Status.SUBMITTED for c in changes):
        context["change_decision_form"] = forms.get("change_decision_form") or ChangeDecisionForm()
    if is_bdc and project.state in BIDDING_STATES:
        context["bidding_form"] = forms.get("bidding_form") or BiddingConfirmationForm()
    if is_bdc:
        context["connect_form"] = forms.get("connect_form") or ResourceConnectForm()
    return context
