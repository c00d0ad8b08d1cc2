"""The review of a project before 立项, by concept: pre-review (`prereview`), the panel draw and its
replacements (`panel`), invited agencies (`agencies`), the experts' score sheets (`scoring`) and the BDC's
consolidated opinion with any outside decision (`opinion`); the expert library itself is reviews.library.
Every change to a project's review is written to its timeline in the transaction that holds its row lock.

`from reviews import services` and `services.<name>` keep working: the public functions are re-exported."""

from ._common import REVIEW_OPEN
from .agencies import agencies_invite_required, agency_invite, agency_participation_record
from .opinion import outside_decision_record, review_opinion_consolidate
from .panel import MAX_PANEL, draw_verify, expert_panel_draw, panel_member_decline, panel_replacement_draw
from .prereview import prereview_record
from .scoring import score_sheet_submit

__all__ = [
    "MAX_PANEL",
    "REVIEW_OPEN",
    "agencies_invite_required",
    "agency_invite",
    "agency_participation_record",
    "draw_verify",
    "expert_panel_draw",
    "outside_decision_record",
    "panel_member_decline",
    "panel_replacement_draw",
    "prereview_record",
    "review_opinion_consolidate",
    "score_sheet_submit",
]
