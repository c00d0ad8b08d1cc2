"""What the project page shows of construction under watch: the contract, supervision, the baseline and the
variance against it, the reports, the risk ratings (trend) and the 督办单 — a constant number of queries however
many months of history."""

from django.db.models import Prefetch

from projects.enums import ProjectState

from .construction.escalation import RISK_RUBRIC
from .construction.supervision import SUPERVISION_ITEMS, SUPERVISION_RATINGS
from .models import Escalation, EscalationItem
from .variance import report_variance

SHOWN_FROM = frozenset(
    {
        ProjectState.PROCUREMENT,
        ProjectState.CONSTRUCTION,
        ProjectState.SUSPENDED,
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
        ProjectState.EVALUATION,
        ProjectState.ARCHIVED,
        ProjectState.TERMINATED,
    }
)
ITEM_LABELS = dict(SUPERVISION_ITEMS)
RATING_LABELS = dict(SUPERVISION_RATINGS)


def _trend(ratings) -> dict:
    """The ratings, oldest first, as the points of a small line chart (x: 0…width, y: 5 at the top)."""
    points = sorted(ratings, key=lambda r: (r.month, r.at, r.pk))[-24:]
    width, height, step = 240, 60, 10
    if len(points) > 1:
        step = width / (len(points) - 1)
    coords = [
        (round(i * step, 1), round((5 - r.rating) * (height - 10) / 4 + 5, 1)) for i, r in enumerate(points)
    ]
    return {
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "dots": [
            {"x": x, "y": y, "rating": r.rating, "month": r.month}
            for (x, y), r in zip(coords, points, strict=True)
        ],
        "width": width,
        "height": height,
    }


def construction_page_context(*, project, user, forms: dict) -> dict:
    if project.state not in SHOWN_FROM:
        return {"show_construction": False}
    filings = sorted(project.contract_filings.select_related("filed_by"), key=lambda f: (f.filed_at, f.pk))
    assignments = list(
        project.supervisor_assignments.select_related("organisation", "assigned_by", "score").order_by("id")
    )
    baselines = list(project.baselines.select_related("approved_by", "change").order_by("number"))
    by_pk = {b.pk: b for b in baselines}
    current = baselines[-1] if baselines else None
    progress = list(project.progress_reports.select_related("by").order_by("-period", "-id"))
    rows = []
    for report in progress:
        filed_against = by_pk.get(report.baseline_id)
        rows.append(
            {
                "report": report,
                "baseline": filed_against,
                "variance": report_variance(report, current) if current else None,
                "rebased": current is not None
                and filed_against is not None
                and filed_against.pk != current.pk,
            }
        )
    supervision = list(
        project.supervision_reports.select_related("by", "assignment__organisation").order_by(
            "-period", "-id"
        )
    )
    for report in supervision:
        report.rows = [
            {
                "label": ITEM_LABELS.get(code, code),
                "finding": (report.items.get(code) or {}).get("finding", ""),
                "rating": RATING_LABELS.get((report.items.get(code) or {}).get("rating", ""), ""),
                "poor": (report.items.get(code) or {}).get("rating") == "poor",
            }
            for code, _ in SUPERVISION_ITEMS
        ]
    ratings = list(project.risk_ratings.select_related("by").order_by("-at", "-id"))
    escalations = list(
        project.escalations.select_related("opened_by", "answered_by", "closed_by")
        .prefetch_related(Prefetch("items", queryset=EscalationItem.objects.order_by("id")))
        .order_by("-number")
    )
    delays = list(project.delay_reports.select_related("by").order_by("-at"))
    return {
        "show_construction": True,
        "contract": filings[-1] if filings else None,
        "supervisor_assignments": assignments,
        "supervisor_current": next((a for a in reversed(assignments) if a.ended_at is None), None),
        "baselines": baselines,
        "baseline": current,
        "progress_rows": rows,
        "latest_variance": rows[0]["variance"] if rows else None,
        "supervision_reports": supervision,
        "risk_ratings": ratings,
        "risk_trend": _trend(ratings) if ratings else None,
        "risk_rubric": RISK_RUBRIC,
        "escalations": escalations,
        "open_escalations": [e for e in escalations if e.status != Escalation.Status.CLOSED],
        "delay_reports": delays,
    }
