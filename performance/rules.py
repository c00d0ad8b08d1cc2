"""Who reads and who draws the year's sample (the per-project steps are actions, checked by their specs)."""

from core.enums import Role

SAMPLE_READERS = frozenset({Role.FINANCE, Role.BDC, Role.AUDITOR})


def _of(user, jurisdiction) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.organisation.jurisdiction_id == jurisdiction.pk
    )


def can_view_samples(user, jurisdiction) -> bool:
    return _of(user, jurisdiction) and user.role in SAMPLE_READERS


def can_draw_sample(user, jurisdiction) -> bool:
    """Finance of the jurisdiction, where its policy has finance re-evaluate a sample (laohekou-2024 第二十六条)."""
    from projects.policies import policy_get

    return (
        _of(user, jurisdiction)
        and user.role == Role.FINANCE
        and policy_get(jurisdiction.policy_code).actor_for("finance_evaluation", None) is not None
    )
