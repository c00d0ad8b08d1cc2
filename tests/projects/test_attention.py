"""What needs attention on the home pages comes from the stored pending deadlines (projects.attention): kept
current after each change and by the daily job, read at a constant number of queries, and whatever deadline
rule a policy adds is stored as it is."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acceptance.models import AcceptanceApplication
from projects.attention import attention_for, pending_deadlines_refresh
from projects.deadlines import DeadlineRule
from projects.enums import ProjectState
from projects.models import PendingDeadline
from projects.services import project_transition
from projects.warnings import deadlines_check

pytestmark = pytest.mark.django_db
LONG_AGO = date(2020, 1, 2)


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def _awaiting_group(world, applied_on=LONG_AGO):
    """A project applied for final acceptance on `applied_on`: the BDC must form the group (WD-35-group)."""
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    AcceptanceApplication.objects.filter(project=project).update(applied_on=applied_on)
    return project


def _codes(user, **kwargs):
    return [(p.pk, d.code, d.status) for p, d in attention_for(user=user, **kwargs)]


def test_a_change_recomputes_the_projects_pending_deadlines(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    row = PendingDeadline.objects.get(project=project, code="WD-35-group")
    assert (row.owner, row.jurisdiction_id) == ("bdc", world.jurisdiction.pk)
    assert row.due_on is not None and row.attention_from <= row.due_on < row.overdue_from
    # The status follows the dates without recomputing: due soon on its last day, overdue the day after.
    assert _codes(world.bdc, today=row.due_on) == [(project.pk, "WD-35-group", "due_soon")]
    assert _codes(world.bdc, today=row.overdue_from) == [(project.pk, "WD-35-group", "overdue")]
    assert _codes(world.finance, today=row.due_on) == []  # finance watches what is overdue only
    assert _codes(world.finance, today=row.overdue_from) == [(project.pk, "WD-35-group", "overdue")]
    assert _codes(world.dept, today=row.overdue_from) == []  # the BDC's duty, not the department's


def test_a_transition_out_of_the_pending_states_clears_them(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = world.project_in_state(ProjectState.APPROVED)
    assert PendingDeadline.objects.filter(project=project).exists()  # procurement, the approval's validity …
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(project_id=project.pk, name="cancel", by=world.dept, data={"comment": "不再建设"})
    assert not PendingDeadline.objects.filter(project=project).exists()


def test_the_daily_job_refreshes_what_was_changed_behind_its_back(world):
    project = _awaiting_group(world)
    assert _codes(world.bdc) == []  # not stored yet: the update went round the services
    deadlines_check(today=date.today())
    assert (project.pk, "WD-35-group", "overdue") in _codes(world.bdc)
    # Twice the same day: the same rows, no more.
    before = PendingDeadline.objects.filter(project=project).count()
    deadlines_check(today=date.today())
    assert PendingDeadline.objects.filter(project=project).count() == before


def test_the_daily_job_reads_only_projects_where_a_deadline_can_be_pending(world):
    """Under wendeng-2021 nothing can be pending while a project is being reviewed: the job does not read it,
    and a row a failed refresh left for it is removed."""
    waiting = _awaiting_group(world)
    reviewing = world.project_in_state(ProjectState.REVIEWING)
    assert ProjectState.REVIEWING not in reviewing.policy.pending_states
    assert deadlines_check(today=date.today())["projects"] == 1
    stale = PendingDeadline.objects.get(project=waiting, code="WD-35-group")
    type(waiting).objects.filter(pk=waiting.pk).update(state=ProjectState.REVIEWING)  # behind its back
    assert deadlines_check(today=date.today())["projects"] == 0
    assert not PendingDeadline.objects.filter(pk=stale.pk).exists()


def test_a_project_at_its_end_has_nothing_pending(world):
    project = _awaiting_group(world)
    pending_deadlines_refresh([project.pk])
    assert PendingDeadline.objects.filter(project=project).exists()
    type(project).objects.filter(pk=project.pk).update(state=ProjectState.CANCELLED)
    pending_deadlines_refresh([project.pk])
    assert not PendingDeadline.objects.filter(project=project).exists()


def test_a_new_deadline_rule_is_stored_without_changing_the_table(world, monkeypatch):
    """A rule another app adds (any code, any owner) lands in the table and on the right home page."""
    project = _awaiting_group(world)
    policy = project.policy
    added = DeadlineRule(
        code="TEST-new-rule",
        label="新增期限",
        article="第三十五条",
        requirement="测试用的新期限种类",
        compute=lambda ctx: [{"due_on": date(2021, 3, 1), "period": "2021"}],
        owner="department",
        pending_in=frozenset({ProjectState.FINAL_ACCEPTANCE}),
    )
    monkeypatch.setitem(policy.__dict__, "deadlines", (*policy.deadlines, added))
    pending_deadlines_refresh([project.pk])
    row = PendingDeadline.objects.get(project=project, code="TEST-new-rule")
    assert (row.period, row.owner, row.due_on) == ("2021", "department", date(2021, 3, 1))
    found = [(p.pk, d.code, d.status) for p, d in attention_for(user=world.dept)]
    assert (project.pk, "TEST-new-rule", "overdue") in found


@pytest.mark.parametrize("role", ["bdc", "dept", "finance", "auditor", "supervisor", "fgw"])
def test_home_page_queries_do_not_grow_with_projects(world, login, role):
    user = getattr(world, role)

    def home_queries() -> int:
        client = login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        import os

        if os.environ.get("H6DEBUG"):
            print("\n----", len(captured.captured_queries))
            for q in captured.captured_queries:
                print(q["sql"][:150])
        return len(captured.captured_queries)

    pending_deadlines_refresh([_awaiting_group(world).pk])
    one = home_queries()
    pending_deadlines_refresh([_awaiting_group(world).pk for _ in range(3)])
    assert home_queries() == one
