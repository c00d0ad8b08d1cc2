"""A project under construction under any policy, through the real doors (the state before procurement is set
directly: the review stage is the walks' business, not these tests')."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from tests.factories import World, pdf_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
MILESTONES = "需求调研完成 2025-02-28\n系统开发完成 2025-04-30\n上线试运行 2025-05-31"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def procurement(world: World, **overrides) -> Project:
    project = world.project(**overrides)
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.PROCUREMENT,
        approved_amount=project.declared_amount,
        declared_at=timezone.now(),
        approved_at=timezone.now(),
    )
    project.refresh_from_db()
    return project


def arrange_supervisor(world: World, project) -> None:
    """The supervisor arranged by the body the project's policy names."""
    if project.policy.actor_for("apply_supervisor", project) is not None:
        world.act(project, "apply_supervisor", world.dept, files={"file": pdf_upload("申请.pdf")})
        world.act(project, "assign_supervisor", world.bdc, {"organisation": world.supervisor_org.pk})
    else:
        world.act(project, "assign_supervisor", world.dept, {"organisation": world.supervisor_org.pk})


def file_contract(world: World, project, amount=None, **extra):
    from projects.services import project_transition

    world.upload(project, DocumentKind.CONTRACT)
    world.upload(project, DocumentKind.AWARD_NOTICE)
    if project.policy.bidding_confirmation:
        world.act(project, "confirm_bidding", world.bdc, {"experts": "张三、李四", "ceiling_price": "150.00"})
    today = timezone.localdate()
    data = {
        "contract_amount": str(amount or project.approved_amount),
        "awarded_on": (today - timedelta(days=1)).isoformat(),
        "signed_on": today.isoformat(),
        "supplier": "某某科技有限公司",
        "planned_completion_on": "2025-06-30",
        "milestones": MILESTONES,
        **extra,
    }
    project_transition(project_id=project.pk, name="file_contract", by=world.dept, data=data)
    project.refresh_from_db()
    return project


@pytest.fixture
def building(db, time_machine):
    """`building(policy_code)` → (world, project): under construction since 2025-01-06, supervisor arranged."""

    def make(policy_code: str = "laohekou-2024", supervised: bool = True, **overrides):
        time_machine.move_to(at(date(2025, 1, 6)), tick=False)
        world = World(policy_code)
        project = procurement(world, **overrides)
        if supervised:
            arrange_supervisor(world, project)
        file_contract(world, project)
        assert project.state == ProjectState.CONSTRUCTION
        return world, project

    return make


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
