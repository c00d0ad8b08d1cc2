"""Who reads the dashboard: the 领导, the BDC, finance and the auditor of the jurisdiction; everyone else gets
a Chinese 403 on the page, its exports and the API; bad filters a Chinese 400."""

import json

import pytest
from django.test import Client

from .conftest import leader_of

BACKEND = "django.contrib.auth.backends.ModelBackend"
READERS = ("leader", "bdc", "finance", "auditor")
REFUSED = ("dept", "dept2", "supervisor", "fgw", "sysadmin", "secadmin", "auditadmin", "expert")
EXPORTS = ("stages", "years", "money_years", "money_departments", "oversight", "durations")


def _user(world, name):
    if name == "leader":
        return leader_of(world)
    if name == "expert":
        return world.experts[0].user
    return getattr(world, name)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


@pytest.mark.parametrize("name", READERS)
def test_the_readers_get_the_page_the_exports_and_the_api(world, api, name):
    user = _user(world, name)
    client = _client(user)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "数据看板" in page.content.decode()
    for key in EXPORTS:
        response = client.get(f"/dashboard/export/{key}.xlsx")
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api(user).get("/api/v1/dashboard/").status_code == 200


@pytest.mark.parametrize("name", REFUSED)
def test_every_other_role_is_refused_in_chinese(world, api, name):
    user = _user(world, name)
    client = _client(user)
    page = client.get("/dashboard/")
    assert page.status_code == 403
    assert "数据看板仅供" in page.content.decode()
    assert client.get("/dashboard/export/stages.xlsx").status_code == 403
    response = api(user).get("/api/v1/dashboard/")
    assert response.status_code == 403
    assert "数据看板仅供" in response.json()["detail"]


def test_anonymous_is_sent_to_log_in_and_the_api_answers_401(db):
    response = Client().get("/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get("/api/v1/dashboard/").status_code in (401, 403)


def test_a_bad_filter_is_a_chinese_400_everywhere(world, api):
    leader = leader_of(world)
    client = _client(leader)
    for query in ("year=abc", "year=1888", "organisation=abc", f"organisation={world.bdc_org.pk}"):
        page = client.get(f"/dashboard/?{query}")
        assert page.status_code == 400, query
        assert client.get(f"/dashboard/export/stages.xlsx?{query}").status_code == 400
        response = api(leader).get(f"/api/v1/dashboard/?{query}")
        assert response.status_code == 400
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_an_unknown_table_is_404(world):
    assert _client(leader_of(world)).get("/dashboard/export/nothing.xlsx").status_code == 404


def test_the_api_gives_the_tables_the_page_shows(scene, api):
    body = api(scene.leader).get("/api/v1/dashboard/?year=2026").json()
    assert body["filters"] == {"year": 2026, "organisation": None}
    assert body["unit"] == "万元"
    tables = {t["key"]: t for t in body["tables"]}
    assert set(tables) == set(EXPORTS)
    assert tables["money_years"]["rows"] == [["2026年", 2, "270.00", "270.00", "120.00", "45.00"]]
    assert tables["durations"]["columns"][2] == {"label": "平均历时（自然日）", "kind": "days"}
    # The page's chart data is the same rows.
    page = _client(scene.leader).get("/dashboard/?year=2026").content.decode()
    start = page.index('<script id="dashboard-charts" type="application/json">') + len(
        '<script id="dashboard-charts" type="application/json">'
    )
    charts = {c["key"]: c for c in json.loads(page[start : page.index("</script>", start)])}
    assert charts["money_years"]["labels"] == ["2026年"]
    assert [d["data"] for d in charts["money_years"]["datasets"]] == [
        ["270.00"],
        ["270.00"],
        ["120.00"],
        ["45.00"],
    ]
    assert "money_departments" not in charts  # a table without a chart
