"""The home pages' state counts come from `StateCount`, kept by triggers on the projects table (PostgreSQL):
whatever writes the projects — the services' transitions, a bulk insert, a deletion — the kept counts equal the
projects counted, and every role's summary equals what it may see counted one by one."""

import pytest
from django.db import connection
from django.db.models import Count, Q

from projects.enums import ProjectState
from projects.models import Project, StateCount
from projects.selectors import project_state_counts, project_visible_to
from projects.services import project_transition
from tests.api.conftest import submit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the counts are kept by PostgreSQL triggers"
    ),
]


def kept() -> dict:
    return {
        (row.organisation_id, row.state, row.declared): row.n for row in StateCount.objects.all() if row.n
    }


def counted() -> dict:
    rows = (
        Project.objects.order_by()
        .values("organisation_id", "state", declared=~Q(declared_at=None))
        .annotate(n=Count("id"))
    )
    return {(r["organisation_id"], r["state"], r["declared"]): r["n"] for r in rows}


def by_hand(user) -> dict:
    rows = project_visible_to(user).order_by().values("state").annotate(n=Count("id"))
    return {r["state"]: r["n"] for r in rows}


@pytest.fixture
def projects(world):
    """A draft, a submitted project, one returned for revision (a draft once declared), one co-built, one
    approved."""
    draft = world.project(name="未提交的草稿")
    submitted = world.project(name="已申报的项目")
    submit(world, submitted)
    returned = world.project(by=world.dept2, name="退回修改的项目")
    submit(world, returned)
    project_transition(
        project_id=returned.pk, name="return_for_revision", by=world.bdc, data={"comment": "补充材料"}
    )
    cobuilt = world.project(by=world.dept2, name="共建项目", co_builders=[world.dept_org])
    submit(world, cobuilt)
    approved = world.project_in_state(ProjectState.APPROVED)
    return draft, submitted, returned, cobuilt, approved


def test_the_kept_counts_follow_every_write(world, projects):
    assert kept() == counted()
    draft = projects[0]
    Project.objects.bulk_create(  # a write no service makes: an import, the benchmark's generator
        [Project(**{f: getattr(draft, f) for f in ("name", "year", "policy_code", "policy_version", "declared_amount")},
                 code=f"BULK-{i}", organisation=world.dept2_org, created_by=world.dept, state="declared")
         for i in range(3)]
    )  # fmt: skip
    Project.objects.filter(code="BULK-0").update(organisation=world.dept_org)
    Project.objects.filter(code="BULK-1").delete()
    assert kept() == counted()


@pytest.mark.parametrize(
    "role", ["dept", "dept2", "bdc", "auditor", "finance", "fgw", "supervisor", "expert"]
)
def test_every_roles_summary_is_what_it_may_see(world, projects, role):
    user = world.experts[0].user if role == "expert" else getattr(world, role)
    assert project_state_counts(user) == by_hand(user)


def test_the_auditor_counts_the_returned_draft_and_finance_does_not(world, projects):
    assert project_state_counts(world.auditor).get(ProjectState.DRAFT) == 1
    assert ProjectState.DRAFT not in project_state_counts(world.finance)


def test_the_summary_is_one_or_two_queries_however_many_projects(
    world, projects, django_assert_max_num_queries
):
    for i in range(5):
        submit(world, world.project(name=f"又一个项目{i}"))
    with django_assert_max_num_queries(1):
        project_state_counts(world.auditor)
    with django_assert_max_num_queries(2):
        project_state_counts(world.dept)
