"""The pages and the API read of the acceptance group: what they show, to whom, and their query counts pinned
(flat as the group's records grow)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.enums import ProjectState
from tests.factories import pdf_upload
from tests.web.conftest import login  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# Pinned: the project page in 整改中 (group, three opinions, a verdict with its letter and items) and the API read.
PAGE_BOUND = 52  # measured 2026-12-02: the whole page in 整改中; the acceptance group’s part is 5 of them
API_BOUND = 13  # with a 不合格 conclusion: its 整改通知 (one query)
HOME_BOUND = 24


def _count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


def test_project_page_shows_group_opinions_letter_and_items_at_a_flat_query_count(world, login):  # noqa: F811
    project = world.project_in_state(ProjectState.RECTIFYING)
    client = login(world.bdc)
    n_before, response = _count(client, f"/projects/{project.pk}/")
    html = response.content.decode()
    assert "竣工验收：验收组、验收意见和结论" in html
    for member in project.acceptance_members.all():
        assert member.unit in html
    verdict = project.acceptance_verdicts.get()
    assert verdict.letter.number in html and "下载PDF" in html
    assert "数据未接入共享平台" in html and "待整改" in html
    # more records: the department reports, the items grow by a report with evidence — same count
    item = project.rectification_items.get()
    world.act(
        project,
        "rectification_report",
        world.dept,
        {"item": item.pk, "report": "已整改。"},
        {"evidence": pdf_upload()},
    )
    n_after, response = _count(client, f"/projects/{project.pk}/")
    assert "已报告" in response.content.decode()
    assert n_after <= n_before + 1  # the evidence's document version list grows by a row, not a query
    assert n_after <= PAGE_BOUND, n_after

    api_n, response = _count(client, f"/api/v1/projects/{project.pk}/acceptance/")
    body = response.json()
    assert api_n <= API_BOUND, api_n
    assert len(body["group"]["members"]) == 7 and all(m["unit"] for m in body["group"]["members"])
    assert body["verdicts"][0]["conclusion"] == "failed" and body["verdicts"][0]["letter_status"] == "ready"
    assert body["verdicts"][0]["items"][0]["reported_on"]
    assert len(body["opinions"]) == 3

    # the auditor reads; a department of another organisation does not see the project at all
    assert login(world.auditor).get(f"/api/v1/projects/{project.pk}/acceptance/").status_code == 200
    assert login(world.dept2).get(f"/api/v1/projects/{project.pk}/acceptance/").status_code == 404


def test_home_pages_list_groups_to_form_and_opinions_awaited_at_a_flat_count(world, login):  # noqa: F811
    first = world.project_in_state(ProjectState.FINAL_ACCEPTANCE, name="验收项目甲")
    second = world.project_in_state(ProjectState.FINAL_ACCEPTANCE, name="验收项目乙")
    client = login(world.bdc)
    two, response = _count(client, "/")
    html = response.content.decode()
    assert "待组成的验收组" in html and "验收项目甲" in html and "验收项目乙" in html
    parties = {
        **{f"party:{p.code}": "某单位" for p in first.policy.acceptance_parties},
        **{f"name:{p.code}": "王五" for p in first.policy.acceptance_parties},
    }
    world.act(first, "draw_acceptance_group", world.bdc, parties)
    one, response = _count(client, "/")
    assert "验收项目甲" not in response.content.decode().split("待组成的验收组")[1].split("</section>")[0]
    assert one <= two <= HOME_BOUND, (one, two)

    expert = first.acceptance_members.filter(kind="expert").first().expert.user
    expert_client = login(expert)
    n1, response = _count(expert_client, "/")
    assert "待提交的验收意见" in response.content.decode() and "第1轮验收意见" in response.content.decode()
    world.act(second, "draw_acceptance_group", world.bdc, parties)
    n2, response = _count(expert_client, "/")
    assert n2 == n1  # one awaited opinion or two: the same queries
    assert n2 <= HOME_BOUND, n2
