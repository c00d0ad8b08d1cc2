"""Who may do what in the review: the expert library is the BDC's, a panel is run by the BDC of the project's
jurisdiction, a score sheet is written by an active panel expert. Reads of several records go through
`reviews.selectors`, which apply the same rules as queries."""

import rules

from core.enums import Role
from projects.rules import is_assigned_expert, is_bdc_of, is_jurisdiction_staff


@rules.predicate
def is_library_bdc(user, expert) -> bool:
    """The BDC of the jurisdiction whose library the expert belongs to."""
    return (
        user.role == Role.BDC
        and user.organisation_id is not None
        and expert.jurisdiction_id is not None
        and expert.jurisdiction_id == user.organisation.jurisdiction_id
    )


@rules.predicate
def is_the_expert(user, expert) -> bool:
    return user.role == Role.EXPERT and expert.user_id == user.pk


rules.add_perm("reviews.manage_expert", is_library_bdc)
rules.add_perm("reviews.declare_conflict", is_library_bdc | is_the_expert)
rules.add_perm("reviews.manage_panel", is_bdc_of)
rules.add_perm("reviews.score", is_assigned_expert)
# Everyone's score sheets as submitted: the jurisdiction's BDC, finance and auditor (an expert sees the others'
# only once their own is in: `reviews.selectors.sheets_visible_to`).
rules.add_perm("reviews.view_all_scores", is_jurisdiction_staff)
