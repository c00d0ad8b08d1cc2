"""seed_demo (API.md): idempotent demo data; with --with-projects, sample projects walked through the doors users
use to their stages, each step checked by the regulation and on the timeline, and under every policy one sample
archived for an auditor to browse."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Letter, TimelineEntry, User
from core.verification import timeline_verify
from projects.models import DocumentVersion, Project
from projects.policies import POLICIES

ARCHIVED = "全民健康信息平台（一期）"


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "projects": Project.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "versions": DocumentVersion.objects.count(),
        "letters": Letter.objects.count(),
    }


def test_seed_demo_twice_changes_nothing(db):
    _seed()
    users = {u.username: u.password for u in User.objects.all()}
    _seed()
    assert {u.username: u.password for u in User.objects.all()} == users
    assert {"dept", "dept2", "bdc", "finance", "auditor", "supervisor", "fgw", "expert7"} <= set(users)
    assert User.objects.get(username="fgw").organisation.kind == "development"
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
        ARCHIVED: "archived",
    }
    assert (
        Letter.objects.filter(status="ready", kind="review_opinion").count() == 4
    )  # each approved project's
    # and the archived project's 竣工验收意见函, issued through the acceptance group (issue 14)
    assert Letter.objects.filter(status="ready", kind="acceptance_letter").count() == 1
    for project in Project.objects.all():
        assert timeline_verify(project_id=project.pk) == []
    late = Project.objects.get(name="教育资源公共服务平台").timeline.get(
        action="projects.project.file_contract"
    )
    assert [c["code"] for c in late.checks if c["passed"] is False] == [
        "WD-15-immediate"
    ]  # filed late: warned

    _seed("--with-projects")
    assert Project.objects.count() == 7


@pytest.mark.parametrize("code", sorted(POLICIES))
@pytest.mark.django_db(transaction=True)
def test_every_policy_has_an_archived_demo_project(code):
    out = _seed("--policy", code, "--with-projects")
    jurisdiction_projects = Project.objects.filter(organisation__jurisdiction__policy_code=code)
    archived = jurisdiction_projects.filter(state="archived")
    assert archived.exists(), out
    for project in jurisdiction_projects:
        assert timeline_verify(project_id=project.pk) == [], project.code

    # Walked on past dates, in order, every step taken by the body the regulation names and every rule met.
    project = archived.get(name=ARCHIVED)
    entries = list(project.timeline.order_by("seq"))
    ats = [e.at for e in entries]
    assert ats == sorted(ats) and timezone.localdate(ats[-1]) < timezone.localdate()
    assert not [(e.action, c["code"]) for e in entries for c in e.checks if c["passed"] is False]
    actors = {e.action: e.actor.username for e in entries if e.actor}
    approver = {"fangchenggang-2022": "fgw", "laohekou-2024": "fgw", "zhaoyuan-2021": "bdc"}
    assert actors["projects.project.approve"] == approver.get(code, "finance")
    assert actors["projects.project.archive"] == "bdc"
    assert actors["performance.self_evaluation.record"] == "dept2"

    before = _counts()
    again = _seed("--policy", code, "--with-projects")
    assert _counts() == before
    assert "演示项目" not in again and "新建账号" not in again
