from decimal import Decimal

import pytest

from core.models import TimelineEntry
from projects.enums import ProjectState
from projects.models import Project

from .conftest import returned_draft, submit

URL = "/api/v1/projects/"

NEW_PROJECT = {
    "name": "智慧教育综合服务平台",
    "year": 2027,
    "declared_amount": "150.5",
    "construction_kinds": ["business_app", "data_resources"],
    "is_emergency": False,
    "is_classified": False,
    "has_video": True,
    "is_security": False,
    "in_plan": True,
}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {p["id"] for p in response.json()["results"]}


def test_project_create_by_department_is_201_with_code_state_policy(world, api):
    response = api(world.dept).post(URL, NEW_PROJECT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert body["code"] == project.code == "WEN-2027-0001"
    assert body["state"] == "draft"
    assert body["state_label"] == "草稿"
    assert body["policy"] == "wendeng-2021"
    assert body["declared_amount"] == "150.50"
    assert body["construction_kinds"] == ["business_app", "data_resources"]
    assert body["organisation"] == {"id": world.dept_org.pk, "name": "区教育和体育局"}
    assert body["has_video"] is True and body["in_plan"] is True
    assert project.organisation == world.dept_org
    assert project.declared_amount == Decimal("150.50")
    assert TimelineEntry.objects.filter(project=project, action="projects.project.create").count() == 1


def test_project_create_accepts_a_number_amount(world, api):
    response = api(world.dept).post(URL, {**NEW_PROJECT, "declared_amount": 88}, format="json")
    assert response.status_code == 201
    assert response.json()["declared_amount"] == "88.00"


@pytest.mark.parametrize("role", ["bdc", "finance", "auditor", "supervisor"])
def test_project_create_refused_for_non_department_roles(world, api, role):
    response = api(getattr(world, role)).post(URL, NEW_PROJECT, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有建设单位可以申报项目。"
    assert not Project.objects.exists()


@pytest.mark.parametrize("body", [{}, {"name": "只有名称"}, {"year": "不是年份"}])
@pytest.mark.parametrize("role", ["bdc", "finance", "auditor", "supervisor", "fgw"])
def test_project_create_refused_before_its_body_is_read(world, api, role, body):
    """Authorisation before validation: a role that may not declare hears 403 whatever it sends, never a 400
    that would tell it what a valid body looks like."""
    response = api(getattr(world, role)).post(URL, body, format="json")
    assert response.status_code == 403
    assert "errors" not in response.json()
    assert not Project.objects.exists()


def test_project_create_refused_for_expert(world, api):
    response = api(world.experts[0].user).post(URL, NEW_PROJECT, format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"declared_amount": "12.345"}, "申报金额（万元）"),
        ({"declared_amount": "-1"}, "申报金额（万元）"),
        ({"name": ""}, "项目名称"),
        ({"construction_kinds": ["spaceship"]}, "未知的建设内容类别：spaceship。"),
    ],
)
def test_project_create_malformed_input_is_400_in_chinese(world, api, change, expected):
    response = api(world.dept).post(URL, {**NEW_PROJECT, **change}, format="json")
    assert response.status_code == 400
    assert expected in response.json()["detail"]
    assert not Project.objects.exists()


def test_project_create_missing_fields_name_them(world, api):
    response = api(world.dept).post(URL, {"name": "缺字段的项目"}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "计划年度" in detail and "申报金额（万元）" in detail
    assert set(response.json()["errors"]) == {"year", "declared_amount"}


def test_project_list_department_sees_only_its_own_organisation(world, api):
    own = world.project(name="教育项目")
    other = world.project(name="卫生项目", by=world.dept2)
    assert _ids(api(world.dept).get(URL)) == {own.pk}
    assert _ids(api(world.dept2).get(URL)) == {other.pk}


def test_project_list_co_builder_department_sees_the_shared_project(world, api):
    shared = world.project(co_builders=[world.dept2_org.pk])
    assert _ids(api(world.dept2).get(URL)) == {shared.pk}


def test_project_list_jurisdiction_wide_roles_see_all(world, api):
    # Submitted: a draft never submitted is its department's alone.
    ids = {world.project_in_state(ProjectState.DECLARED).pk, submit(world, world.project(by=world.dept2)).pk}
    for user in (world.auditor, world.bdc, world.finance):
        assert _ids(api(user).get(URL)) == ids


def test_project_list_other_jurisdiction_sees_nothing(world, api):
    from core.enums import Role
    from tests.factories import JurisdictionFactory, OrganisationFactory, UserFactory

    world.project()
    elsewhere = JurisdictionFactory(code="zhaoyuan", policy_code="zhaoyuan-2021", project_prefix="ZY")
    auditor = UserFactory(
        username="zy-auditor",
        role=Role.AUDITOR,
        organisation=OrganisationFactory(jurisdiction=elsewhere, name="招远市审计局"),
    )
    assert _ids(api(auditor).get(URL)) == set()


def test_project_list_expert_sees_only_assigned_projects(world, api):
    reviewing = world.project_in_state(ProjectState.REVIEWING)
    world.project(name="未分配的项目")
    assert _ids(api(world.experts[0].user).get(URL)) == {reviewing.pk}
    assert _ids(api(world.outsider_expert.user).get(URL)) == set()
    assert _ids(api(world.supervisor).get(URL)) == set()


def test_project_list_filters(world, api):
    # Drafts returned for revision: the auditor sees those (never a draft not yet submitted).
    a = returned_draft(world, name="智慧教育平台", year=2027)
    b = returned_draft(world, name="校园安全视频", year=2028)
    c = returned_draft(world, name="医疗数据平台", by=world.dept2, year=2027)
    d = world.project_in_state(ProjectState.DECLARED, name="已申报的平台")
    client = api(world.auditor)
    assert _ids(client.get(URL, {"year": 2028})) == {b.pk}
    assert _ids(client.get(URL, {"organisation": world.dept2_org.pk})) == {c.pk}
    assert _ids(client.get(URL, {"q": "平台"})) == {a.pk, c.pk, d.pk}
    assert _ids(client.get(URL, {"q": b.code})) == {b.pk}
    assert _ids(client.get(URL, {"state": "declared"})) == {d.pk}
    assert _ids(client.get(URL, {"state": "draft", "year": 2027})) == {a.pk, c.pk}


def test_project_list_bad_filter_is_400(world, api):
    response = api(world.auditor).get(URL, {"state": "nonsense"})
    assert response.status_code == 400
    assert "状态" in response.json()["detail"]


def test_project_list_is_paginated_newest_first(world, api):
    first, second, third = (world.project(name=f"项目{i}") for i in range(3))
    body = api(world.dept).get(URL, {"limit": 2}).json()
    assert body["count"] == 3
    assert [p["id"] for p in body["results"]] == [third.pk, second.pk]
    assert body["next"] is not None
    assert [p["id"] for p in api(world.dept).get(URL, {"limit": 2, "offset": 2}).json()["results"]] == [
        first.pk
    ]


def test_project_list_rows_are_the_detail_as_the_detail_gives_it(world, api):
    """The list reads its rows its own, faster way (core.api_fields.ColumnListSerializer): each row is still
    exactly the project's detail, whatever the row holds (co-builders, a returned draft, amounts set and not,
    approved)."""
    submit(world, world.project(name="有共建单位", co_builders=[world.dept2_org.pk]))
    returned_draft(world, name="退回修改的草稿")
    world.project_in_state(ProjectState.APPROVED, name="已立项")
    world.project(name="草稿", declared_amount=Decimal("12.5"), construction_kinds=["business_app"])
    client = api(world.auditor)
    rows = client.get(URL).json()["results"]
    assert len(rows) >= 3
    for row in rows:
        assert row == client.get(f"{URL}{row['id']}/").json()
    assert any(row["co_builders"] for row in rows) and any(row["returned"] for row in rows)
    assert any(row["approved_amount"] is not None for row in rows)


def test_project_detail_visible(world, api):
    project = world.project(declared_amount=Decimal("300"))
    body = api(world.dept).get(f"{URL}{project.pk}/").json()
    assert body["id"] == project.pk
    assert body["code"] == project.code
    assert body["declared_amount"] == "300.00"
    assert body["approved_amount"] is None
    assert body["policy_label"] == "威海市文登区（威文政办字〔2021〕19号）"


@pytest.mark.parametrize("who", ["dept2", "supervisor", "outsider_expert"])
def test_project_detail_invisible_is_404_like_a_missing_one(world, api, who):
    project = world.project()
    user = world.outsider_expert.user if who == "outsider_expert" else getattr(world, who)
    hidden = api(user).get(f"{URL}{project.pk}/")
    missing = api(user).get(f"{URL}{project.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "项目不存在或无权查看。"}


def test_project_patch_draft_by_owner(world, api):
    project = world.project()
    response = api(world.dept).patch(
        f"{URL}{project.pk}/", {"declared_amount": "99.9", "is_security": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["declared_amount"] == "99.90"
    assert response.json()["is_security"] is True
    assert response.json()["name"] == "智慧教育综合服务平台"  # untouched
    project.refresh_from_db()
    assert project.declared_amount == Decimal("99.90")
    entry = project.timeline.order_by("-seq").first()
    assert entry.action == "projects.project.update"
    assert entry.data == {"fields": ["declared_amount", "is_security"]}


def test_project_patch_after_submit_is_409(world, api):
    project = world.project_in_state(ProjectState.DECLARED)
    response = api(world.dept).patch(f"{URL}{project.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "项目已提交，不能再修改；如需修改请由大数据中心退回。"
    project.refresh_from_db()
    assert project.name == "智慧教育综合服务平台"


def test_project_patch_by_other_department_is_404(world, api):
    project = world.project()
    response = api(world.dept2).patch(f"{URL}{project.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.name == "智慧教育综合服务平台"


@pytest.mark.parametrize("role", ["bdc", "auditor", "finance"])
def test_project_patch_by_reading_roles_is_403(world, api, role):
    project = world.project_in_state(ProjectState.DECLARED)  # submitted, so every reading role sees it
    response = api(getattr(world, role)).patch(f"{URL}{project.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有项目的申报单位可以修改申报内容。"


def test_project_patch_co_builder_department_is_403(world, api):
    project = world.project(co_builders=[world.dept2_org.pk])
    response = api(world.dept2).patch(f"{URL}{project.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403


def test_project_patch_malformed_is_400(world, api):
    project = world.project()
    response = api(world.dept).patch(f"{URL}{project.pk}/", {"year": "明年"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("计划年度：")


def test_project_create_without_a_year_is_400_and_takes_no_number(world, api):
    body = {"name": "无年度项目", "declared_amount": "10.00", "construction_kinds": ["business_app"]}
    response = api(world.dept).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert "计划年度" in response.json()["detail"]
    created = api(world.dept).post("/api/v1/projects/", {**body, "year": 2027}, format="json").json()
    assert created["code"].endswith("-2027-0001")


def test_resource_with_an_overlong_name_is_400(world, api):
    project = world.project()
    body = {
        "name": "资" * 201,
        "source": "业务系统",
        "format": "表",
        "update_frequency": "每日",
        "share_type": "无条件共享",
        "open_type": "不开放",
    }
    response = api(world.dept).post(f"/api/v1/projects/{project.pk}/resources/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("资源名称：")


@pytest.mark.parametrize("path", ["projects/abc/", "projects/1.5/transitions/", "no-such-endpoint/"])
def test_an_unknown_api_path_answers_json_404(world, api, path):
    response = api(world.dept).get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "接口地址不存在" in response.json()["detail"]
