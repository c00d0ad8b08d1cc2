"""Asset handover (wendeng-2021 第三十八条: 项目建成后，资产移交国有公司统一运维管理): the department records it
after acceptance, with the receipt; 归档 is refused under wendeng without it, naming 第三十八条."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from acceptance.models import AssetHandover
from core.models import TimelineEntry
from projects.enums import ProjectState
from tests.factories import World, pdf_upload

from .conftest import at_state, check

WENDENG_38 = "《威海市文登区“智慧文登”项目建设管理办法》第三十八条"
ASSETS = "视频会议终端 12台\n业务应用系统软件 1套\n数据库服务器授权 2套"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def handover(user, project, **overrides):
    data = {
        "recipient": "威海市文登区城市资产运营有限公司",
        "assets": ASSETS,
        "handed_over_on": timezone.localdate().isoformat(),
        "receipt": pdf_upload("接收确认书.pdf"),
        "note": "含运维账号移交。",
        **overrides,
    }
    data = {k: v for k, v in data.items() if v is not None}
    return api(user).post(f"/api/v1/projects/{project.pk}/actions/handover_assets/", data, format="multipart")


@pytest.fixture
def wendeng(db):
    return World("wendeng-2021")


@pytest.fixture
def accepted(wendeng):
    return at_state(wendeng.project(), ProjectState.EVALUATION)


def test_archive_refused_without_handover_naming_article_38(wendeng, accepted):
    today = timezone.localdate()
    result = check(accepted, "archive", "WD-38-handover", today=today)
    assert result.passed is False and result.severity == "block" and result.source == WENDENG_38
    assert "资产移交" in result.message
    response = api(wendeng.bdc).post(
        f"/api/v1/projects/{accepted.pk}/transitions/archive/", {}, format="json"
    )
    assert response.status_code == 409
    failing = {c["code"]: c["source"] for c in response.json()["checks"]}
    assert failing["WD-38-handover"] == WENDENG_38 and "第三十八条" in response.json()["detail"]

    response = handover(wendeng.dept, accepted)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recipient"] == "威海市文登区城市资产运营有限公司"
    assert body["assets"][0] == {"name": "视频会议终端", "quantity": "12台"} and len(body["assets"]) == 3
    assert check(accepted, "archive", "WD-38-handover", today=today).passed is True

    record = AssetHandover.objects.get(project=accepted)
    assert record.receipt.document.kind == "other" and record.receipt.sha256
    entry = TimelineEntry.objects.get(project=accepted, action="acceptance.assets.handover")
    assert entry.actor_id == wendeng.dept.pk and entry.documents[0]["sha256"] == record.receipt.sha256
    assert entry.data["recipient"] == record.recipient


@pytest.mark.parametrize(
    ("who", "status"), [("bdc", 403), ("auditor", 403), ("finance", 403), ("dept2", 404)]
)
def test_handover_refused_for_roles_that_must_not(wendeng, accepted, who, status):
    response = handover(getattr(wendeng, who), accepted)
    assert response.status_code == status, response.json()
    assert not AssetHandover.objects.exists()


def test_handover_only_after_acceptance(wendeng):
    building = at_state(wendeng.project(), ProjectState.CONSTRUCTION)
    response = handover(wendeng.dept, building)
    assert response.status_code == 409 and "不能登记资产移交" in response.json()["detail"], response.json()
    assert not AssetHandover.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"assets": "  \n "}, "移交资产清单"),
        ({"recipient": ""}, "接收资产的单位"),
        ({"receipt": None}, "接收确认书"),
        ({"handed_over_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "移交日期不能晚于今天"),
        ({"handed_over_on": "2026-13-01"}, "移交日期"),
    ],
)
def test_handover_bad_input_is_a_clear_400(wendeng, accepted, overrides, field):
    response = handover(wendeng.dept, accepted, **overrides)
    assert response.status_code == 400 and field in response.json()["detail"], response.json()
    assert not AssetHandover.objects.exists()


def test_handover_does_not_apply_where_the_policy_does_not_ask(db):
    world = World("laohekou-2024")
    project = at_state(world.project(), ProjectState.EVALUATION)
    response = handover(world.dept, project)
    assert response.status_code == 404
    names = [a["name"] for a in api(world.dept).get(f"/api/v1/projects/{project.pk}/actions/").json()]
    assert "handover_assets" not in names


def test_handover_listed_and_shown_with_a_flat_query_count(wendeng, accepted, client):
    names = [a["name"] for a in api(wendeng.dept).get(f"/api/v1/projects/{accepted.pk}/actions/").json()]
    assert "handover_assets" in names
    client.force_login(wendeng.dept)

    def page_queries():
        with CaptureQueriesContext(connection) as seen:
            page = client.get(f"/projects/{accepted.pk}/")
        assert page.status_code == 200
        return len(seen), page.content.decode()

    assert handover(wendeng.dept, accepted).status_code == 201
    one, page = page_queries()
    assert "资产移交" in page and "视频会议终端" in page and "威海市文登区城市资产运营有限公司" in page
    for _ in range(2):
        assert handover(wendeng.dept, accepted, recipient="文登区国有资本运营公司").status_code == 201
    three, _ = page_queries()
    assert three == one
