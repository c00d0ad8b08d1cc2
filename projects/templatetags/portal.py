"""Template helpers for the portal's pages: state badges, labels of stored codes, check marks."""

from django import template
from django.utils.html import format_html

from core.enums import Role
from projects.enums import DocumentKind, ProjectState

register = template.Library()

# State → badge colour family (see .badge-* in static/css/portal.css).
STATE_TONES = {
    ProjectState.DRAFT: "grey",
    ProjectState.DECLARED: "blue",
    ProjectState.REVIEWING: "amber",
    ProjectState.APPROVED: "green",
    ProjectState.PROCUREMENT: "teal",
    ProjectState.CONSTRUCTION: "teal",
    ProjectState.PRELIMINARY_ACCEPTANCE: "purple",
    ProjectState.FINAL_ACCEPTANCE: "purple",
    ProjectState.EVALUATION: "indigo",
    ProjectState.ARCHIVED: "dark",
    ProjectState.REJECTED: "red",
    ProjectState.SUSPENDED: "orange",
    ProjectState.TERMINATED: "red",
    ProjectState.CANCELLED: "grey",
    ProjectState.RECTIFYING: "orange",
}


@register.filter
def state_tone(state: str) -> str:
    return STATE_TONES.get(state, "grey")


# Labels by value, read once (an enum's `values` is rebuilt on each access: a list's every row paid for it).
STATE_LABELS = dict(ProjectState.choices)
ROLE_LABELS = dict(Role.choices)
KIND_LABELS = dict(DocumentKind.choices)


@register.filter
def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state or "")


@register.filter
def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role or "")


@register.filter
def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind or "")


@register.filter
def short_hash(value: str, length: int = 12) -> str:
    return (value or "")[: int(length)]


@register.filter
def check_status(check) -> str:
    """pass / fail / warn / pending for a check given as a CheckResult or as its stored dict."""
    passed = check.get("passed") if isinstance(check, dict) else check.passed
    severity = check.get("severity") if isinstance(check, dict) else check.severity
    if passed is None:
        return "pending"
    if passed:
        return "pass"
    return "warn" if severity == "warn" else "fail"


@register.filter
def filesize(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.simple_tag
def state_badge(state: str):
    """The state as a coloured badge (a tag, not an included template: a list shows one on every row)."""
    return format_html('<span class="badge badge-{}">{}</span>', state_tone(state), state_label(state))


@register.inclusion_tag("includes/checks.html")
def check_list(checks, title: str = ""):
    return {"checks": checks, "title": title}


@register.filter
def construction_labels(kinds) -> str:
    from projects.enums import ConstructionKind

    return "、".join(
        ConstructionKind(k).label if k in ConstructionKind.values else str(k) for k in kinds or []
    )
