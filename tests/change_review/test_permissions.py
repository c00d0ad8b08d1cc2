"""Who may take each step of a change's expert re-review: everyone else is refused before the input is read — 403
for a role that sees the project, 404 for one that does not (another department, an expert not drawn)."""

import pytest
from django.test import Client

from .conftest import api, major_change, seated_users

pytestmark = pytest.mark.django_db
USERS = ("dept", "dept2", "bdc", "finance", "auditor", "supervisor", "fgw")


def test_only_the_bdc_draws(building):
    world, project = building()
    major_change(world, project)
    for who in USERS:
        response = api(getattr(world, who)).post(
            f"/api/v1/projects/{project.pk}/actions/draw_change_panel/", {}, format="json"
        )
        expected = {"bdc": 400, "dept2": 404}.get(who, 403)  # the BDC's own: the empty input is malformed
        assert response.status_code == expected, (who, response.json())


def test_only_a_drawn_expert_scores_and_sees_the_project(building):
    world, project = building()
    change = major_change(world, project)
    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    seated = seated_users(review)
    [outsider] = [e.user for e in (*world.experts, world.outsider_expert) if e.user not in seated]
    url = f"/api/v1/projects/{project.pk}/actions/score_change/"
    for who in USERS:
        response = api(getattr(world, who)).post(url, {}, format="json")
        assert response.status_code == (404 if who == "dept2" else 403), (who, response.json())
    assert api(outsider).post(url, {}, format="json").status_code == 404
    assert api(seated[0]).post(url, {}, format="json").status_code == 400
    for user, status in ((seated[0], 200), (outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(f"/projects/{project.pk}/").status_code == status
        assert api(user).get(f"/api/v1/projects/{project.pk}/").status_code == status
