"""seed_demo (API.md): idempotent demo data; with --with-projects, sample projects walked through the real
services to their stages, each step checked by the regulation and on the timeline."""

import io

import pytest
from django.core.management import call_command

from core.models import Letter, User
from core.timeline import timeline_verify
from projects.models import Project


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_twice_changes_nothing(db):
    _seed()
    users = {u.username: u.password for u in User.objects.all()}
    _seed()
    assert {u.username: u.password for u in User.objects.all()} == users
    assert {"dept", "dept2", "bdc", "finance", "auditor", "supervisor", "expert7"} <= set(users)
    assert not Project.objects.exists()  # projects only when asked for


@pytest.mark.django_db(
    transaction=True
)  # each step commits, so the opinions' PDFs render (inline) before 立项
def test_demo_projects_reach_their_stages_through_the_rules():
    out = _seed("--with-projects")
    assert "止于此" not in out, out
    states = dict(Project.objects.values_list("name", "state"))
    assert states == {
        "智慧教育综合服务平台": "draft",
        "区卫生健康信息平台升级改造": "declared",
        "政务数据共享交换平台": "reviewing",
        "校园食品安全监管系统": "approved",
        "家庭医生签约服务系统": "construction",
        "教育资源公共服务平台": "preliminary_acceptance",
    }
    assert Letter.objects.filter(status="ready").count() == 3  # each approved project's 评审意见
    for project in Project.objects.all():
        assert timeline_verify(project_id=project.pk) == []
    late = Project.objects.get(name="教育资源公共服务平台").timeline.get(
        action="projects.project.file_contract"
    )
    assert [c["code"] for c in late.checks if c["passed"] is False] == [
        "WD-15-immediate"
    ]  # filed late: warned

    _seed("--with-projects")
    assert Project.objects.count() == 6
