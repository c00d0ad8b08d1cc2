"""The daily 预警 job: new warnings recorded once however often it runs; unused approvals cancelled."""

from datetime import date

import pytest

from acceptance.models import AcceptanceApplication
from core.models import TimelineEntry
from projects.enums import ProjectState
from projects.models import DeadlineWarning, Project
from projects.tasks import deadlines_check_daily
from projects.warnings import deadlines_check

from .conftest import at_state, on

TITLE = "《威海市文登区“智慧文登”项目建设管理办法》"


def _awaiting_group(world):
    project = at_state(world.project(), ProjectState.FINAL_ACCEPTANCE)
    AcceptanceApplication.objects.create(project=project, applied_on=date(2026, 9, 29), by=world.dept)
    return project


def _warnings(project):
    return list(
        DeadlineWarning.objects.filter(project=project).order_by("id").values_list("code", "level", "due_on")
    )


def test_the_job_run_twice_records_one_set_of_warnings(world):
    project = _awaiting_group(world)
    quiet = at_state(world.project(name="无期限的项目"), ProjectState.DECLARED)

    first = deadlines_check(today=date(2026, 10, 8))  # group due 10-12: four days left
    second = deadlines_check(today=date(2026, 10, 8))
    assert (first["warnings"], second["warnings"]) == (1, 0)
    assert _warnings(project) == [("WD-35-group", "due_soon", date(2026, 10, 12))]

    deadlines_check(today=date(2026, 10, 13))
    deadlines_check(today=date(2026, 10, 13))
    assert _warnings(project) == [
        ("WD-35-group", "due_soon", date(2026, 10, 12)),
        ("WD-35-group", "overdue", date(2026, 10, 12)),
    ]
    assert not DeadlineWarning.objects.filter(project=quiet).exists()

    entries = TimelineEntry.objects.filter(project=project, action="projects.deadline.warn").order_by("seq")
    assert [e.label for e in entries] == ["预警：组成验收组即将到期", "预警：组成验收组已逾期"]
    assert entries[1].actor_name == "系统"
    assert entries[1].checks[0]["source"] == f"{TITLE}第三十五条"


def test_the_task_runs_the_same_job(world):
    project = _awaiting_group(world)
    assert deadlines_check_daily.delay(today="2026-10-13").get(timeout=30)["warnings"] == 1
    assert deadlines_check_daily.delay(today="2026-10-13").get(timeout=30)["warnings"] == 0
    assert _warnings(project) == [("WD-35-group", "overdue", date(2026, 10, 12))]


def test_a_deadline_in_an_unknown_year_is_warned_as_not_computable(world):
    project = at_state(world.project(), ProjectState.FINAL_ACCEPTANCE)
    AcceptanceApplication.objects.create(project=project, applied_on=date(2026, 12, 28), by=world.dept)
    deadlines_check(today=date(2026, 12, 29))
    deadlines_check(today=date(2026, 12, 29))
    [warning] = DeadlineWarning.objects.filter(project=project)
    assert warning.level == "unknown"
    assert "2027年的法定节假日安排尚未录入" in warning.message


@pytest.mark.parametrize(("today", "cancelled"), [(date(2027, 11, 19), False), (date(2027, 11, 20), True)])
def test_an_approval_unused_past_its_validity_is_cancelled(world, today, cancelled):
    from projects.services import project_transition

    project = world.project_in_state(ProjectState.REVIEWING)
    world.prepare(project, "approve")
    with on(date(2026, 11, 20)):
        project_transition(
            project_id=project.pk,
            name="approve",
            by=world.finance,
            data={**world.transition_data("approve", project), "valid_until": "2027-11-19"},
        )
    started = world.project_in_state(ProjectState.PROCUREMENT, name="已启动采购的项目")
    Project.objects.filter(pk=started.pk).update(valid_until=date(2027, 1, 1))

    counts = deadlines_check(today=today)
    again = deadlines_check(today=today)

    project.refresh_from_db()
    assert project.state == (ProjectState.CANCELLED if cancelled else ProjectState.APPROVED)
    assert (counts["cancelled"], again["cancelled"]) == ((1, 0) if cancelled else (0, 0))
    assert Project.objects.get(pk=started.pk).state == ProjectState.PROCUREMENT
    if cancelled:
        entry = project.timeline.order_by("-seq").first()
        assert (entry.action, entry.actor_name, entry.from_state, entry.to_state) == (
            "projects.project.cancel",
            "系统",
            ProjectState.APPROVED,
            ProjectState.CANCELLED,
        )
        assert (
            entry.comment
            == f"核准文件有效期至2027年11月19日，有效期内未启动建设，项目自动取消（{TITLE}第十七条）。"
        )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_daily_job(world, worker):
    """What celery beat sends each morning, done by a worker in its own process against the real Redis."""
    project = _awaiting_group(world)

    first = deadlines_check_daily.apply_async(kwargs={"today": "2026-10-13"}, queue=worker).get(timeout=90)
    second = deadlines_check_daily.apply_async(kwargs={"today": "2026-10-13"}, queue=worker).get(timeout=90)

    assert (first["warnings"], second["warnings"]) == (1, 0)
    assert _warnings(project) == [("WD-35-group", "overdue", date(2026, 10, 12))]
