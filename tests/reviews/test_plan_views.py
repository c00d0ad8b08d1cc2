"""The plan page, its forms, the ledger download and the API: who may read, rank, set the budget; the
query count does not grow with the number of projects."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from core.models import AnnualBudget, ExportJob
from projects.enums import ProjectState
from projects.models import Project

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
YEAR = 2027


@pytest.fixture
def as_user(client):
    def _as(user):
        client.logout()
        client.force_login(user, backend=BACKEND)
        return client

    return _as


@pytest.fixture
def approved(world):
    return [world.project_in_state(ProjectState.APPROVED, name=f"库内项目{i}") for i in range(2)]


@pytest.mark.parametrize("role", ["bdc", "finance", "auditor"])
def test_readers_see_the_plan(world, approved, as_user, role):
    response = as_user(getattr(world, role)).get("/plan/", {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2027年度项目库与年度计划" in body
    for p in approved:
        assert p.name in body
    assert "300.00" in body  # the approved total
    assert ("保存排序" in body) == (role == "bdc")
    assert ("录入年度预算" in body) == (role == "finance")


@pytest.mark.parametrize("role", ["dept", "supervisor", "sysadmin"])
def test_others_are_refused_the_plan(world, approved, as_user, role):
    client = as_user(getattr(world, role))
    for url in ("/plan/", "/plan/ledger.xlsx"):
        response = client.get(url, {"year": YEAR})
        assert response.status_code == 403
        assert "仅供大数据中心、财政局和审计局查阅" in response.content.decode()


def test_an_expert_is_refused_the_plan(world, as_user):
    assert as_user(world.experts[0].user).get("/plan/").status_code == 403


def test_bad_year_is_a_400(world, as_user):
    assert as_user(world.finance).get("/plan/", {"year": "abc"}).status_code == 400


def test_the_bdc_ranks_from_the_page(world, approved, as_user):
    a, b = approved
    client = as_user(world.bdc)
    response = client.post("/plan/rank/", {"year": YEAR, f"rank_{a.pk}": "2", f"rank_{b.pk}": "1"})
    assert response.status_code == 302
    assert dict(Project.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "plan_rank")) == {
        b.pk: 1,
        a.pk: 2,
    }
    page = client.get(response["Location"]).content.decode()
    assert "已调整2027年度项目库排序" in page
    assert page.index(b.name) < page.index(a.name)


@pytest.mark.parametrize("role", ["finance", "auditor"])
def test_readers_cannot_rank(world, approved, as_user, role):
    a, b = approved
    response = as_user(getattr(world, role)).post(
        "/plan/rank/", {"year": YEAR, f"rank_{a.pk}": "2", f"rank_{b.pk}": "1"}
    )
    assert response.status_code == 403
    assert not Project.objects.filter(plan_rank__isnull=False).exists()


def test_finance_sets_the_budget_from_the_page(world, approved, as_user):
    client = as_user(world.finance)
    response = client.post("/plan/budget/", {"year": YEAR, "amount": "280.00", "note": "年初预算"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已录入2027年度预算 280.00 万元" in page
    assert "超出预算" in page  # 300.00 approved against 280.00
    assert as_user(world.bdc).post("/plan/budget/", {"year": YEAR, "amount": "1"}).status_code == 403
    bad = as_user(world.finance).post("/plan/budget/", {"year": YEAR, "amount": "-5"})
    assert bad.status_code == 400
    assert AnnualBudget.objects.count() == 1


def test_the_ledger_is_built_in_the_background_and_downloads_as_excel(
    world, approved, as_user, django_capture_on_commit_callbacks
):
    client = as_user(world.auditor)
    assert client.get("/plan/ledger.xlsx", {"year": YEAR}).status_code == 302  # an old link: back to the plan
    with django_capture_on_commit_callbacks(execute=True):  # the task runs inline here (eager)
        response = client.post(f"/plan/ledger.xlsx?year={YEAR}")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.name, job.params["year"], job.requested_by) == ("ledger", YEAR, world.auditor)
    page = client.get(response["Location"]).content.decode()
    assert "已生成" in page and f"/exports/{job.pk}/download/" in page
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    names = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert approved[0].name in names and "共2个项目" in names
    # Only the one who asked: the BDC of the same jurisdiction may export, but not download this one.
    other = as_user(world.bdc)
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404


def test_plan_page_query_count_is_flat(world, as_user):
    """The same number of queries for one project as for three."""
    client = as_user(world.finance)
    world.project_in_state(ProjectState.APPROVED, name="项目0")
    client.get("/plan/", {"year": YEAR})
    with CaptureQueriesContext(connection) as one:
        client.get("/plan/", {"year": YEAR})
    for i in (1, 2):
        world.project_in_state(ProjectState.APPROVED, name=f"项目{i}")
    with CaptureQueriesContext(connection) as three:
        body = client.get("/plan/", {"year": YEAR}).content.decode()
    assert "项目2" in body
    assert len(one.captured_queries) == len(three.captured_queries) <= 12


@pytest.mark.parametrize("count", [1, 3])
def test_plan_page_stays_under_its_query_bound(world, as_user, django_assert_max_num_queries, count):
    for i in range(count):
        world.project_in_state(ProjectState.APPROVED, name=f"项目{i}")
    client = as_user(world.bdc)
    with django_assert_max_num_queries(12):
        assert client.get("/plan/", {"year": YEAR}).status_code == 200


# ---- API -----------------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def _api(user):
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        return client

    return _api


def test_api_plan_read_rank_budget_and_ledger(world, approved, api, django_capture_on_commit_callbacks):
    a, b = approved
    data = api(world.auditor).get("/api/v1/plan/", {"year": YEAR}).json()
    assert data["approved_total"] == "300.00" and data["budget"] is None
    assert {p["id"] for p in data["projects"]} == {a.pk, b.pk}

    response = api(world.bdc).post(
        "/api/v1/plan/ranking/", {"year": YEAR, "project_ids": [b.pk, a.pk]}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert [p["id"] for p in response.json()["projects"]] == [b.pk, a.pk]
    assert [p["rank"] for p in response.json()["projects"]] == [1, 2]

    response = api(world.finance).post(
        "/api/v1/plan/budget/", {"year": YEAR, "amount": "350.25"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["budget"] == "350.25" and response.json()["remaining"] == "50.25"
    assert AnnualBudget.objects.get().amount == Decimal("350.25")

    with django_capture_on_commit_callbacks(execute=True):
        asked = api(world.finance).post(f"/api/v1/plan/ledger/?year={YEAR}")
    assert asked.status_code == 202, asked.json()
    job = api(world.finance).get(f"/api/v1/exports/jobs/{asked.json()['id']}/").json()
    assert job["status"] == "ready" and job["rows_done"] == 2
    ledger = api(world.finance).get(job["file_url"])
    assert ledger.status_code == 200
    content = b"".join(ledger.streaming_content)
    assert load_workbook(BytesIO(content)).active["A1"].value.endswith("2027年度政务信息化项目库台账")
    assert api(world.auditor).get(f"/api/v1/exports/jobs/{job['id']}/").status_code == 404


def test_api_refusals(world, approved, api):
    a, b = approved
    response = api(world.finance).post(
        "/api/v1/plan/ranking/", {"year": YEAR, "project_ids": [a.pk, b.pk]}, content_type="application/json"
    )
    assert response.status_code == 403 and "大数据中心" in response.json()["detail"]
    response = api(world.bdc).post(
        "/api/v1/plan/budget/", {"year": YEAR, "amount": "1"}, content_type="application/json"
    )
    assert response.status_code == 403 and "财政局" in response.json()["detail"]
    response = api(world.dept).get("/api/v1/plan/")
    assert response.status_code == 403 and "仅供" in response.json()["detail"]
    response = api(world.bdc).post(
        "/api/v1/plan/ranking/", {"year": YEAR, "project_ids": [a.pk]}, content_type="application/json"
    )
    assert response.status_code == 400 and "缺少" in response.json()["detail"]
    response = api(world.finance).post(
        "/api/v1/plan/budget/", {"year": YEAR, "amount": "abc"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"]
    assert api(world.finance).get("/api/v1/plan/", {"year": "x"}).status_code == 400


def test_ranking_with_a_missing_position_is_a_400(world, approved, as_user):
    a, b = approved
    response = as_user(world.bdc).post("/plan/rank/", {"year": YEAR, f"rank_{a.pk}": "1", f"rank_{b.pk}": ""})
    assert response.status_code == 400
    assert "请为每个项目填写排序位次" in response.content.decode()
    assert not Project.objects.filter(plan_rank__isnull=False).exists()


def test_finance_home_lists_only_projects_whose_latest_opinion_passes_and_is_issued(world, as_user):
    from projects.enums import DocumentKind
    from projects.services import document_upload
    from tests.factories import pdf_upload
    from tests.factories.records import opinion_record

    def opinion(project, conclusion):
        version = document_upload(
            project=project,
            by=world.bdc,
            kind=DocumentKind.REVIEW_OPINION,
            file=pdf_upload(f"{conclusion}.pdf"),
        )
        opinion_record(
            project=project, by=world.bdc, conclusion=conclusion, summary="意见。", document_version=version
        )

    ready = world.project_in_state(ProjectState.REVIEWING, name="甲通过项目")
    opinion(ready, "pass")
    overturned = world.project_in_state(ProjectState.REVIEWING, name="乙复议不通过项目")
    opinion(overturned, "pass")
    opinion(overturned, "fail")
    body = as_user(world.finance).get("/").content.decode()
    assert "<h1>待立项</h1>" in body
    assert ready.name in body and overturned.name not in body
    assert 'href="/plan/"' in body
