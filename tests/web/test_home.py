import pytest

from acceptance.services import supervisor_assign
from projects.enums import ProjectState
from projects.models import Project

from .conftest import returned_draft, reviewing_with_opinion


@pytest.fixture
def projects(world):
    return {
        # Drafts returned for revision, which the auditor's 档案 lists (never a draft not yet submitted).
        "draft": returned_draft(world, name="甲草稿项目"),
        "other": returned_draft(world, name="乙卫健项目", by=world.dept2),
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
    supervisor_assign(project=projects["supervised"], by=world.dept, organisation=world.supervisor_org)
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


@pytest.mark.django_db(transaction=True)  # the demo's steps commit, so its opinions' PDFs render (inline)
def test_home_development_lists_the_reviews_it_approves(login):
    """fangchenggang-2022 第四条: 市发展和改革委负责项目审批 — the 发改 user's home lists the reviews awaiting it."""
    import io

    from django.core.management import call_command

    from core.models import User
    from tests.factories import PASSWORD

    call_command(
        "seed_demo",
        "--policy",
        "fangchenggang-2022",
        "--with-projects",
        "--password",
        PASSWORD,
        stdout=io.StringIO(),
    )
    reviewing = Project.objects.get(name="政务数据共享交换平台")
    assert reviewing.state == ProjectState.REVIEWING and reviewing.policy_code == "fangchenggang-2022"
    body = _home(login, User.objects.get(username="fgw"))
    assert "<h1>待审批</h1>" in body
    # The home list comes after the deadlines needing attention (which may name any project).
    listed = body.rsplit('<table class="table">', 1)[-1]
    assert reviewing.name in listed and reviewing.code in listed
    for other in Project.objects.exclude(state=ProjectState.REVIEWING):
        assert other.code not in listed, other.name


def test_home_development_has_nothing_to_approve_where_finance_approves(world, login):
    """wendeng-2021 第十四条: 区财政局 approves, so the 发改 user has no reviews waiting for it."""
    project = world.project_in_state(ProjectState.REVIEWING, name="丁评审中项目")
    body = _home(login, world.fgw)
    assert "<h1>待审批</h1>" in body
    assert project.name not in body
    assert "目前没有须由发展改革部门审批的评审中项目。" in body
