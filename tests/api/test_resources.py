import pytest

from projects.enums import ProjectState
from sharing.models import DataResource
from tests.factories import CATALOGUE_ENTRY

from .conftest import submit

RESOURCE = CATALOGUE_ENTRY


def _url(project) -> str:
    return f"/api/v1/projects/{project.pk}/resources/"


def test_resource_add_is_201_and_listed(world, api):
    project = world.project()
    client = api(world.dept)
    response = client.post(_url(project), RESOURCE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "学生学籍信息"
    assert body["share_type"] == "无条件共享"
    assert body["open_type"] == "不开放"
    assert body["registered"] is False and body["connected"] is False
    resource = DataResource.objects.get(pk=body["id"])
    assert resource.project == project
    client.post(
        _url(project),
        {
            **RESOURCE,
            "name": "教师信息",
            "share_type": "有条件共享",
            "share_condition": "仅限教育系统",
            "open_type": "有条件开放",
        },
        format="json",
    )
    listing = client.get(_url(project))
    assert listing.status_code == 200
    assert [r["name"] for r in listing.json()] == ["学生学籍信息", "教师信息"]
    assert listing.json()[1]["share_condition"] == "仅限教育系统"
    submit(world, project)  # the auditor sees it once submitted (its catalogue as filed)
    assert api(world.auditor).get(_url(project)).json() == listing.json()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"share_type": "随便共享"},
            "共享属性：“随便共享”不是有效选项，可选：无条件共享、有条件共享、不予共享。",
        ),
        ({"open_type": "open"}, "开放属性：“open”不是有效选项，可选：开放、有条件开放、不开放。"),
        ({"share_type": "有条件共享"}, "有条件共享的资源须写明共享条件。"),
        ({"name": ""}, "资源名称："),
    ],
)
def test_resource_add_malformed_is_400(world, api, change, expected):
    project = world.project()
    response = api(world.dept).post(_url(project), {**RESOURCE, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(expected)
    assert not DataResource.objects.exists()


def test_resource_add_refused_for_other_roles(world, api):
    project = world.project_in_state(ProjectState.DECLARED)  # submitted, so the BDC sees it
    filed = DataResource.objects.count()  # the entry submitting needed
    assert api(world.dept2).post(_url(project), RESOURCE, format="json").status_code == 404
    response = api(world.bdc).post(_url(project), RESOURCE, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有项目申报单位可以填报数据资源目录。"
    assert api(world.dept2).get(_url(project)).status_code == 404
    assert DataResource.objects.count() == filed


def test_resource_add_refused_once_the_project_is_finished(world, api):
    project = world.project_in_state(ProjectState.REJECTED)
    assert api(world.dept).post(_url(project), RESOURCE, format="json").status_code == 403
