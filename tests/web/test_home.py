import pytest

from acceptance.services import supervisor_assign
from projects.enums import ProjectState

from .conftest import reviewing_with_opinion


@pytest.fixture
def projects(world):
    return {
        "draft": world.project(name="甲草稿项目"),
        "other": world.project(name="乙卫健项目", by=world.dept2),
        "declared": world.project_in_state(ProjectState.DECLARED, name="丙已申报项目"),
        "reviewing": world.project_in_state(ProjectState.REVIEWING, name="丁评审中项目"),
        "ready": reviewing_with_opinion(world, name="戊待立项项目"),
        "supervised": world.project_in_state(ProjectState.APPROVED, name="己监理项目"),
    }


def _home(login, user) -> str:
    response = login(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _names(projects, keys):
    return {projects[k].name for k in keys}


@pytest.mark.parametrize(
    ("role", "title", "shown"),
    [
        ("dept", "我的项目", {"draft", "declared", "reviewing", "ready", "supervised"}),
        ("dept2", "我的项目", {"other"}),
        ("bdc", "待处理", {"declared", "reviewing", "ready"}),
        ("finance", "待立项", {"ready"}),
        ("auditor", "档案", {"draft", "other", "declared", "reviewing", "ready", "supervised"}),
        ("supervisor", "监理项目", {"supervised"}),
    ],
)
def test_home_shows_the_roles_projects_only(world, login, projects, role, title, shown):
    supervisor_assign(project=projects["supervised"], by=world.bdc, organisation=world.supervisor_org)
    body = _home(login, getattr(world, role))
    assert f"<h1>{title}</h1>" in body
    for key, project in projects.items():
        if key in shown:
            assert project.name in body, (role, key)
        else:
            assert project.name not in body, (role, key)


def test_home_expert_sees_assigned_reviews(world, login, projects):
    body = _home(login, world.experts[0].user)
    assert "分配给我的评审" in body
    assert projects["reviewing"].name in body
    assert projects["draft"].name not in body
    assert projects["other"].name not in body
    outsider = _home(login, world.outsider_expert.user)
    assert projects["reviewing"].name not in outsider


def test_home_department_has_declare_button(world, login):
    body = _home(login, world.dept)
    assert "新建申报" in body and 'href="/projects/new/"' in body
    assert "新建申报" not in _home(login, world.bdc)


def test_home_operator_links_to_admin(world, login):
    body = _home(login, world.sysadmin)
    assert 'href="/admin/"' in body
    assert "运维管理" in body


def test_project_list_filters(world, login, projects):
    client = login(world.auditor)
    body = client.get("/projects/", {"state": "reviewing"}).content.decode()
    assert projects["reviewing"].name in body and projects["draft"].name not in body
    body = client.get("/projects/", {"q": "卫健"}).content.decode()
    assert projects["other"].name in body and projects["draft"].name not in body
    body = client.get("/projects/", {"q": projects["draft"].code}).content.decode()
    assert projects["draft"].name in body and projects["other"].name not in body
    assert projects["draft"].name not in client.get("/projects/", {"year": "2031"}).content.decode()


def test_project_list_bad_filter_is_not_an_error(world, login, projects):
    response = login(world.dept).get("/projects/", {"year": "abc", "state": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert projects["other"].name not in response.content.decode()
