"""What the project page shows of the acceptance group: the group with each member's unit, the experts'
opinions by round, the conclusions with their 竣工验收意见函, and the rectification items (a constant number of
queries whatever their number)."""

from django.db.models import Prefetch

from projects.enums import AcceptanceConclusion, ProjectState

from .group import credit_referral, rectification_notices
from .models import AcceptanceGroup, AcceptanceOpinion, AcceptanceVerdict, RectificationItem

SHOWN_FROM = frozenset(
    {
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
        ProjectState.EVALUATION,
        ProjectState.ARCHIVED,
    }
)


def group_page_context(*, project, user, forms: dict, always: bool = False) -> dict:
    if project.state not in SHOWN_FROM and not always:
        return {}
    group = (
        AcceptanceGroup.objects.filter(project=project)
        .select_related("draw")
        .prefetch_related("members")
        .first()
    )
    opinions = list(
        AcceptanceOpinion.objects.filter(project=project)
        .select_related("member")
        .order_by("round", "member_id")
    )
    verdicts = list(
        AcceptanceVerdict.objects.filter(project=project)
        .select_related("letter__replaces", "by")
        .prefetch_related(Prefetch("items", queryset=RectificationItem.objects.select_related("evidence")))
        .order_by("round", "id")
    )
    # Each 不合格 conclusion's 整改通知 (one query, and only where there is one).
    if any(v.conclusion == AcceptanceConclusion.FAILED for v in verdicts):
        notices = rectification_notices(project)
        for v in verdicts:
            v.notice = notices.get(v.pk)
    rounds: dict[int, list] = {}
    for opinion in opinions:
        rounds.setdefault(opinion.round, []).append(opinion)
    conditions = project.policy.acceptance_conditions
    return {
        "acceptance_group": group,
        "acceptance_group_members": list(group.members.all()) if group else [],
        "acceptance_rounds": [
            {
                "round": n,
                "opinions": [
                    {
                        "opinion": o,
                        "cells": [o.conditions.get(c.code, {}) for c in conditions],
                    }
                    for o in rounds[n]
                ],
            }
            for n in sorted(rounds)
        ],
        "acceptance_conditions": conditions,
        "acceptance_verdicts": verdicts,
        # What the policy does with a project still 不合格 after rectification (wendeng-2021 第三十七条), or "".
        "acceptance_credit_referral": credit_referral(project.policy),
        "acceptance_show": True,
    }
