"""A project under construction (through the real doors, as tests/construction does) with a major change
submitted, and the steps of its expert re-review (issue 13: wendeng-2021 第十七条, zhaoyuan-2021 第十三条)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.construction.conftest import arrange_supervisor, at, file_contract, procurement
from tests.factories import World

ARTICLES = {"wendeng-2021": "第十七条", "zhaoyuan-2021": "第十三条"}


@pytest.fixture
def building(db, time_machine):
    """`building(policy_code)` → (world, project): under construction since 2025-01-06, supervisor arranged."""

    def make(policy_code: str = "wendeng-2021"):
        time_machine.move_to(at(date(2025, 1, 6)), tick=False)
        world = World(policy_code)
        project = procurement(world)
        arrange_supervisor(world, project)
        return world, file_contract(world, project)

    return make


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def major_change(world, project):
    """A change of budget and content: above every policy's threshold, so it needs approval."""
    return world.act(
        project,
        "request_change",
        world.dept,
        {
            "aspects": ["budget", "content"],
            "description": "增加数据共享模块，预算调增20万元。",
            "amount_change": "20.00",
            "new_total": "170.00",
        },
    )


def sheet(project, change, recommendation: str = "agree", grade: str = "meets", **extra) -> dict:
    criteria = project.policy.change_review_criteria
    return {
        "change": change.pk,
        **{f"criterion:{c.code}": grade for c in criteria},
        **{f"comment:{c.code}": f"{c.label}：论证充分。" for c in criteria},
        "opinion": "同意变更。" if recommendation == "agree" else "不同意变更。",
        "recommendation": recommendation,
        **extra,
    }


def score_over_api(project, user, data):
    return api(user).post(f"/api/v1/projects/{project.pk}/actions/score_change/", data, format="json")


def seated_users(review) -> list:
    return [m.expert.user for m in review.members.select_related("expert__user").order_by("id")]
