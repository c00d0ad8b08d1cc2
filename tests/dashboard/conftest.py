"""A jurisdiction with a 领导 and a few projects in different states, years and departments, each step taken
through the services the pages call, on dates set by time_machine so that stage lengths are known."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.utils import timezone

from core.enums import OrganisationKind, Role
from projects.attention import pending_deadlines_store
from projects.deadlines import Deadline
from projects.enums import DocumentKind
from projects.models import Project
from projects.services import project_transition
from projects.warnings import deadline_warning_record
from sharing.services import resource_add
from tests.factories import CATALOGUE_ENTRY, OrganisationFactory, UserFactory, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)  # a Monday


def leader_of(world: World):
    office = OrganisationFactory(
        jurisdiction=world.jurisdiction, kind=OrganisationKind.EXTERNAL, name="区人民政府办公室"
    )
    return UserFactory(username="leader", role=Role.LEADER, organisation=office)


@pytest.fixture
def api():
    """`api(user)`: a DRF client acting as `user`."""
    from rest_framework.test import APIClient

    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return client_for


@pytest.fixture
def leader(world):
    return leader_of(world)


def step(world: World, time_machine, project: Project, name: str, by, day: int, **data) -> Project:
    """Take transition `name` on day `day` after T0 (prepared as World.prepare does)."""
    time_machine.move_to(T0 + timedelta(days=day), tick=False)
    project.refresh_from_db()
    if name == "submit":  # as World.ready_to_submit, by whichever department owns it
        for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
            world.upload(project, kind, by=by)
        if not project.resources.exists():
            resource_add(project=project, by=by, data=dict(CATALOGUE_ENTRY))
    elif name == "file_contract":
        for kind in (DocumentKind.CONTRACT, DocumentKind.AWARD_NOTICE):
            world.upload(project, kind, by=by)
    else:
        world.prepare(project, name)
    project_transition(
        project_id=project.pk, name=name, by=by, data={**world.transition_data(name, project), **data}
    )
    project.refresh_from_db()
    return project


def a_deadline(code: str, due_on: date = date(2026, 3, 20)) -> Deadline:
    return Deadline(
        code=code,
        label=f"测试期限{code}",
        requirement="按期报送",
        source="测试",
        owner=Role.DEPARTMENT,
        due_on=due_on,
    )


def watch(project: Project, *deadlines: Deadline) -> None:
    """What the daily job does with the deadlines it found for `project`: a 预警 for each one due soon or
    overdue, and the project's pending deadlines replaced by these."""
    today = timezone.localdate()
    for deadline in deadlines:
        deadline_warning_record(project=project, deadline=replace(deadline, status=deadline.status_on(today)))
    pending_deadlines_store([project], {project.pk: list(deadlines)}, today=today)


def overdue(project: Project, code: str) -> None:
    watch(project, a_deadline(code))


@dataclass
class Scene:
    world: World
    leader: object
    a: Project  # 教体局 2026 150万 已立项: draft 2d, declared 3d, reviewing 10d
    b: Project  # 教体局 2025 80万 不予立项: draft 4d, declared 1d
    c: Project  # 卫健局 2026 120万 建设中, contract 120, paid 30 then 45: draft 1, declared 1, reviewing 1, approved 1, procurement 2
    d: Project  # 卫健局 2025 999万 never submitted (nobody but its department sees it)
    e: Project  # 卫健局 2025 60万 returned for revision (the BDC and the auditor see it): draft 1d, declared 2d


@pytest.fixture
def scene(world, leader, time_machine) -> Scene:
    time_machine.move_to(T0, tick=False)
    w = world
    a = w.project(name="智慧教育平台", year=2026, declared_amount=Decimal("150.00"))
    b = w.project(name="校园安防平台", year=2025, declared_amount=Decimal("80.00"))
    c = w.project(name="健康档案系统", year=2026, declared_amount=Decimal("120.00"), by=w.dept2)
    d = w.project(name="未申报草稿", year=2025, declared_amount=Decimal("999.00"), by=w.dept2)
    e = w.project(name="退回修改项目", year=2025, declared_amount=Decimal("60.00"), by=w.dept2)

    step(w, time_machine, c, "submit", w.dept2, 1)
    step(w, time_machine, e, "submit", w.dept2, 1)
    step(w, time_machine, a, "submit", w.dept, 2)
    step(w, time_machine, c, "start_review", w.bdc, 2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        step(w, time_machine, c, "approve", w.finance, 3)
    step(w, time_machine, e, "return_for_revision", w.bdc, 3)
    step(w, time_machine, b, "submit", w.dept, 4)
    step(w, time_machine, c, "start_procurement", w.dept2, 4)
    step(w, time_machine, a, "start_review", w.bdc, 5)
    step(w, time_machine, b, "reject", w.bdc, 5)
    step(w, time_machine, c, "file_contract", w.dept2, 6, planned_completion_on="2026-12-31")
    with TestCase.captureOnCommitCallbacks(execute=True):
        step(w, time_machine, a, "approve", w.finance, 15)

    # 建设中: two monthly reports, the later one's 累计支付 is what was paid; one 督办单 open.
    time_machine.move_to(T0 + timedelta(days=45), tick=False)
    for period, paid in (("2026-03", "30.00"), ("2026-04", "45.00")):
        w.act(c, "progress_report", w.dept2, {"period": period, "percent_done": 20, "paid_amount": paid})
    w.act(
        c,
        "escalate",
        w.bdc,
        {"reason": "进度滞后。", "items": "报送整改计划", "owner": w.dept2_org.name, "workdays": 5},
    )
    # Deadlines: two overdue on c; one on b (不予立项: no longer counted), one due soon on a (not overdue).
    watch(c, a_deadline("T1"), a_deadline("T2"))
    overdue(b, "T3")
    watch(a, a_deadline("T4", due_on=date(2026, 4, 20)))
    for p in (a, b, c, d, e):
        p.refresh_from_db()
    return Scene(w, leader, a, b, c, d, e)
