from decimal import Decimal

import pytest

from projects.enums import ProjectState
from projects.models import Project

CHAPTERS = {
    "background": "落实教育数字化战略，现有系统分散，亟须统一平台。",
    "current_state": "全区中小学信息系统二十余个，数据标准不一。",
    "content": "建设统一身份认证、学籍管理、数据共享三个子系统。",
    "design": "基于政务云部署，采用微服务架构。",
    "organisation_plan": "成立项目领导小组，由分管领导任组长。",
    "investment": "软件开发120万元，等保测评15万元，其他15万元。",
    "performance": "覆盖全区学校100%，数据共享率达90%以上。",
}


def declaration(**overrides) -> dict:
    data = {
        "name": "智慧教育综合服务平台",
        "category": "new",
        "year": "2027",
        "declared_amount": "150.00",
        "construction_kinds": ["business_app", "data_resources"],
        "contact_name": "张明",
        "contact_phone": "0631-8451234",
        "in_plan": "on",
        "is_cross_department": "on",
        **CHAPTERS,
    }
    data.update(overrides)
    return data


def test_declaration_form_renders_the_seven_chapters(world, login):
    response = login(world.dept).get("/projects/new/")
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ("第一章 项目背景及必要性", "第五章 项目组织管理", "第七章 项目绩效目标和风险分析"):
        assert heading in body
    assert 'type="checkbox" name="construction_kinds"' in body
    assert "申报金额（万元）" in body


def test_declaration_form_creates_a_draft(world, login):
    client = login(world.dept)
    response = client.post("/projects/new/", declaration(), follow=True)
    assert response.status_code == 200
    project = Project.objects.get(name="智慧教育综合服务平台")
    assert response.redirect_chain[-1][0] == f"/projects/{project.pk}/"
    assert project.organisation == world.dept_org
    assert project.declared_amount == Decimal("150.00")
    assert project.construction_kinds == ["business_app", "data_resources"]
    assert project.organisation_plan == CHAPTERS["organisation_plan"]
    assert project.in_plan and project.is_cross_department and not project.is_classified
    body = response.content.decode()
    assert project.code in body and "智慧教育综合服务平台" in body and "草稿" in body
    assert CHAPTERS["investment"] in body
    assert "已保存申报草稿" in body


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("一百五十万", "申报金额须为数字"),
        ("150.123", "最多保留两位小数"),
        ("-5", "申报金额"),  # the model's validator, reported by the service as InvalidInput
    ],
)
def test_declaration_invalid_amount_keeps_what_was_typed(world, login, amount, message):
    response = login(world.dept).post("/projects/new/", declaration(declared_amount=amount))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    for text in CHAPTERS.values():
        assert text in body
    assert 'value="智慧教育综合服务平台"' in body
    assert f'value="{amount}"' in body
    assert 'value="data_resources"' in body and "checked" in body
    assert not Project.objects.exists()


def test_declaration_unknown_construction_kind_is_a_400(world, login):
    response = login(world.dept).post("/projects/new/", declaration(construction_kinds=["rocket"]))
    assert response.status_code == 400
    assert CHAPTERS["design"] in response.content.decode()


def test_only_departments_declare(world, login):
    response = login(world.bdc).get("/projects/new/")
    assert response.status_code == 403
    assert "只有建设单位可以申报项目" in response.content.decode()


def test_edit_draft_saves_changes(world, login):
    project = world.project()
    client = login(world.dept)
    page = client.get(f"/projects/{project.pk}/edit/")
    assert page.status_code == 200 and "修改申报" in page.content.decode()
    response = client.post(
        f"/projects/{project.pk}/edit/", declaration(name="智慧教育平台（二期）", declared_amount="180")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "智慧教育平台（二期）" and project.declared_amount == Decimal("180")
    assert project.timeline.filter(action="projects.project.update").exists()


def test_edit_invalid_input_keeps_what_was_typed(world, login):
    project = world.project()
    response = login(world.dept).post(f"/projects/{project.pk}/edit/", declaration(declared_amount="abc"))
    assert response.status_code == 400
    assert CHAPTERS["performance"] in response.content.decode()


def test_edit_refused_after_submit_and_for_others(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    assert login(world.dept).get(f"/projects/{project.pk}/edit/").status_code == 403
    assert login(world.dept2).get(f"/projects/{project.pk}/edit/").status_code == 404
    assert login(world.bdc).post(f"/projects/{project.pk}/edit/", declaration()).status_code == 403
