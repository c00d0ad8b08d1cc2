"""The whole transition table of DOMAIN.md: every state × every transition × every role, read from the one
declaration (`projects.transitions.TRANSITIONS`, from which the FSM methods are made), under wendeng-2021, whose
acting bodies are the table's defaults. That the declaration says what DOMAIN.md says is checked against a copy
made by hand (`DOMAIN_TABLE`), so a drift in either shows here."""

import re

import pytest
from django.db import transaction

from acceptance.models import SupervisorAssignment
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.models import TimelineEntry
from core.verification import timeline_verify
from projects.enums import ProjectState
from projects.models import Project
from projects.services import project_transition
from projects.transitions import TRANSITIONS
from tests.factories import OrganisationFactory, UserFactory

RESUMED = "<back to where it was suspended from>"

# transition: (legal source states, target state, the one role that runs it) — read from the declaration.
TABLE: dict[str, tuple[frozenset[str], str, str]] = {
    spec.name: (frozenset(spec.sources), spec.target or RESUMED, next(iter(spec.roles)))
    for spec in TRANSITIONS.values()
}

# The same, copied by hand from /work/shared/spec/DOMAIN.md ("transition | from → to | who").
DOMAIN_TABLE: dict[str, tuple[frozenset[str], str, str]] = {
    "submit": (frozenset({"draft"}), "declared", "department"),
    "return_for_revision": (frozenset({"declared", "reviewing"}), "draft", "bdc"),
    "start_review": (frozenset({"declared"}), "reviewing", "bdc"),
    "reject": (frozenset({"declared", "reviewing"}), "rejected", "bdc"),
    "approve": (frozenset({"reviewing"}), "approved", "finance"),
    "start_procurement": (frozenset({"approved"}), "procurement", "department"),
    "file_contract": (frozenset({"procurement"}), "construction", "department"),
    "suspend": (frozenset({"procurement", "construction"}), "suspended", "bdc"),
    "resume": (frozenset({"suspended"}), RESUMED, "bdc"),
    "terminate": (frozenset({"procurement", "construction", "suspended"}), "terminated", "bdc"),
    "complete_construction": (frozenset({"construction"}), "preliminary_acceptance", "department"),
    "apply_acceptance": (
        frozenset({"preliminary_acceptance", "rectifying"}),
        "final_acceptance",
        "department",
    ),
    "pass_acceptance": (frozenset({"final_acceptance"}), "evaluation", "bdc"),
    "fail_acceptance": (frozenset({"final_acceptance"}), "rectifying", "bdc"),
    "archive": (frozenset({"evaluation"}), "archived", "bdc"),
    "cancel": (frozenset({"draft", "declared", "approved"}), "cancelled", "department"),
}

STATES = [
    "draft",
    "declared",
    "reviewing",
    "approved",
    "procurement",
    "construction",
    "preliminary_acceptance",
    "final_acceptance",
    "evaluation",
    "archived",
    "rejected",
    "suspended",
    "terminated",
    "cancelled",
    "rectifying",
]

# The states in which World.project_in_state has drawn the expert panel (the walk passes start_review).
PANEL_STATES = frozenset(STATES) - {"draft", "declared", "rejected", "cancelled"}

# The people who try each transition. `role` is the role the table speaks of (None: a role no transition has).
ACTORS = {
    "owner": "department",  # a user of the declaring department
    "cobuilder": "department",  # a co-building department: sees the project, does not act for it
    "other_dept": "department",  # a department with no part in the project
    "bdc": "bdc",
    "finance": "finance",
    "auditor": None,
    "expert": None,  # the first expert of the panel (assigned only once the review started)
    "supervisor": None,  # a supervision company assigned to the project
    "fgw": None,  # the 发展改革 body: approves only where the policy says so (not under wendeng-2021)
    "foreign_bdc": "bdc",  # the BDC of another jurisdiction
}


def test_table_covers_every_state_and_transition():
    assert sorted(STATES) == sorted(ProjectState.values)
    assert TABLE == DOMAIN_TABLE
    assert all(len(spec.roles) == 1 for spec in TRANSITIONS.values())
    for sources, target, _role in TABLE.values():
        assert sources <= set(STATES)
        assert target == RESUMED or target in STATES


def _expected(state: str, name: str, actor: str) -> type[Exception] | None:
    sources, _target, role = TABLE[name]
    # World.project_in_state("draft") is a draft never submitted: its department's own (and its co-builders').
    submitted = state != "draft"
    can_see = {
        "owner": True,
        "cobuilder": True,
        "other_dept": False,
        "bdc": submitted,
        "finance": submitted,
        "auditor": submitted,
        "expert": state in PANEL_STATES,
        "supervisor": submitted,
        "fgw": submitted,
        "foreign_bdc": False,
    }[actor]
    if not can_see:
        return NotFound
    if (
        state == ProjectState.ARCHIVED
    ):  # read-only for everyone who sees it (projects.readonly, decision 0005)
        return Conflict
    if ACTORS[actor] != role or actor == "cobuilder":
        return NotPermitted
    if state not in sources:
        return Conflict
    return None


@pytest.fixture
def actors(world):
    cobuilder_org = OrganisationFactory(jurisdiction=world.jurisdiction, name="区住房和城乡建设局")
    foreign_org = OrganisationFactory(
        jurisdiction__code="zhaoyuan",
        jurisdiction__name="招远市",
        jurisdiction__policy_code="zhaoyuan-2021",
        jurisdiction__project_prefix="ZY",
        name="招远市大数据中心",
        kind="bdc",
    )
    return {
        "owner": world.dept,
        "cobuilder": UserFactory(username="cobuilder", role="department", organisation=cobuilder_org),
        "other_dept": world.dept2,
        "bdc": world.bdc,
        "finance": world.finance,
        "auditor": world.auditor,
        "expert": world.experts[0].user,
        "supervisor": world.supervisor,
        "fgw": world.fgw,
        "foreign_bdc": UserFactory(username="foreign_bdc", role="bdc", organisation=foreign_org),
    }


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("state", STATES)
def test_transition_table(world, actors, state, name):
    project = world.project_in_state(state)
    project.co_builders.add(actors["cobuilder"].organisation)
    SupervisorAssignment.objects.create(
        project=project, organisation=world.supervisor_org, assigned_by=world.bdc
    )
    entries_before = TimelineEntry.objects.filter(project=project).count()
    suspended_from = project.suspended_from

    data = world.transition_data(name, project)
    outcomes = {}
    for actor, user in actors.items():
        expected = _expected(state, name, actor)
        savepoint = transaction.savepoint()
        try:
            if expected is None:
                world.prepare(project, name)
            before_seq = (
                TimelineEntry.objects.filter(project=project)
                .order_by("-seq")
                .values_list("seq", flat=True)
                .first()
            )
            try:
                result = project_transition(project_id=project.pk, name=name, by=user, data=data)
            except (NotFound, NotPermitted, Conflict, InvalidInput) as exc:
                outcomes[actor] = type(exc)
                assert exc.message, (actor, exc)
                # A refusal leaves nothing behind.
                assert Project.objects.get(pk=project.pk).state == state
                assert (
                    TimelineEntry.objects.filter(project=project)
                    .order_by("-seq")
                    .values_list("seq", flat=True)
                    .first()
                    == before_seq
                )
                if type(exc) is Conflict:
                    assert exc.extra["checks"] == [], exc.extra  # the state refused it, not a rule check
            else:
                outcomes[actor] = None
                target = TABLE[name][1]
                if target == RESUMED:
                    target = suspended_from
                    assert target in ("procurement", "construction")
                stored = Project.objects.get(pk=project.pk)
                assert (result.state, stored.state) == (target, target)
                entry = TimelineEntry.objects.filter(project=project).order_by("-seq").first()
                assert entry.seq == before_seq + 1
                assert entry.action == f"projects.project.{name}"
                assert (entry.from_state, entry.to_state) == (state, target)
                assert entry.actor_id == user.pk
                assert entry.actor_role == user.role
                if "comment" in data:
                    assert entry.comment == data["comment"]
                assert timeline_verify(project_id=project.pk) == []
        finally:
            transaction.savepoint_rollback(savepoint)

    expected = {actor: _expected(state, name, actor) for actor in actors}
    assert outcomes == expected
    assert Project.objects.get(pk=project.pk).state == state
    assert TimelineEntry.objects.filter(project=project).count() == entries_before


def test_resume_returns_to_procurement_when_suspended_there(world):
    project = world.project_in_state(ProjectState.PROCUREMENT)
    project_transition(project_id=project.pk, name="suspend", by=world.bdc, data={"comment": "资金未到位"})
    assert Project.objects.get(pk=project.pk).suspended_from == "procurement"
    result = project_transition(
        project_id=project.pk, name="resume", by=world.bdc, data={"comment": "资金已到位"}
    )
    assert result.state == "procurement"
    assert Project.objects.get(pk=project.pk).suspended_from == ""
    entry = TimelineEntry.objects.filter(project=project).order_by("-seq").first()
    assert (entry.action, entry.from_state, entry.to_state) == (
        "projects.project.resume",
        "suspended",
        "procurement",
    )


def test_blocking_check_failure_is_a_conflict_citing_the_article(world):
    project = world.project_in_state(ProjectState.DRAFT)  # no documents, no catalogue
    entries_before = list(TimelineEntry.objects.filter(project=project).values_list("seq", flat=True))

    with pytest.raises(Conflict) as caught:
        project_transition(project_id=project.pk, name="submit", by=world.dept, data={})

    checks = caught.value.extra["checks"]
    codes = {c["code"] for c in checks}
    assert "WD-12-docs" in codes
    assert "WD-21-catalogue" in codes
    assert all(c["passed"] is False and c["severity"] == "block" for c in checks)
    docs = next(c for c in checks if c["code"] == "WD-12-docs")
    assert docs["source"] == "《威海市文登区“智慧文登”项目建设管理办法》第十二条"
    assert "建设方案" in docs["message"] and "可行性研究报告" in docs["message"]
    for check in checks:
        assert re.fullmatch(r"《[^》]+》第[一二三四五六七八九十百]+条.*", check["source"]), check["source"]
    assert "不能提交申报" in caught.value.message
    assert "第十二条" in caught.value.message
    # Nothing left behind.
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT
    assert Project.objects.get(pk=project.pk).declared_at is None
    assert list(TimelineEntry.objects.filter(project=project).values_list("seq", flat=True)) == entries_before


def test_blocking_check_on_entered_value_refuses_approval_over_declared(world):
    project = world.project_in_state(ProjectState.REVIEWING)
    world.prepare(project, "approve")
    count = TimelineEntry.objects.filter(project=project).count()

    with pytest.raises(Conflict) as caught:
        project_transition(
            project_id=project.pk,
            name="approve",
            by=world.finance,
            data={**world.transition_data("approve"), "approved_amount": "150.01"},
        )

    [failing] = caught.value.extra["checks"]
    assert failing["code"] == "ANY-budget"
    assert failing["source"] == "《威海市文登区“智慧文登”项目建设管理办法》第十四条"
    assert "150.01" in failing["message"]
    stored = Project.objects.get(pk=project.pk)
    assert (stored.state, stored.approved_amount) == (ProjectState.REVIEWING, None)
    assert TimelineEntry.objects.filter(project=project).count() == count


def test_missing_required_field_is_invalid_input(world):
    project = world.project_in_state(ProjectState.DECLARED)
    with pytest.raises(InvalidInput) as caught:
        project_transition(project_id=project.pk, name="reject", by=world.bdc, data={})
    assert "理由" in caught.value.message
    assert Project.objects.get(pk=project.pk).state == ProjectState.DECLARED


def test_unknown_transition_is_not_found(world):
    project = world.project_in_state(ProjectState.DRAFT)
    with pytest.raises(NotFound):
        project_transition(project_id=project.pk, name="teleport", by=world.dept, data={})


def test_system_may_cancel_but_not_approve(world):
    project = world.project_in_state(ProjectState.APPROVED)
    with pytest.raises(NotPermitted):
        project_transition(project_id=project.pk, name="start_procurement", by=None, data={})
    result = project_transition(
        project_id=project.pk, name="cancel", by=None, data={"comment": "批复逾期未实施"}
    )
    assert result.state == ProjectState.CANCELLED
    entry = TimelineEntry.objects.filter(project=project).order_by("-seq").first()
    assert (entry.actor_id, entry.actor_name, entry.from_state, entry.to_state) == (
        None,
        "系统",
        "approved",
        "cancelled",
    )


@pytest.mark.parametrize(
    ("state", "who", "names"),
    [
        ("draft", "dept", ["submit", "cancel"]),
        ("declared", "bdc", ["return_for_revision", "start_review", "reject"]),
        ("reviewing", "finance", ["approve"]),
        ("construction", "bdc", ["suspend", "terminate"]),
        ("construction", "dept", ["complete_construction"]),
        ("suspended", "bdc", ["resume", "terminate"]),
        ("final_acceptance", "bdc", ["pass_acceptance", "fail_acceptance"]),
        ("construction", "auditor", []),
        ("construction", "dept2", []),
        ("archived", "bdc", []),
    ],
)
def test_transitions_offered_match_the_table(world, state, who, names):
    from projects.services import transitions_available

    project = world.project_in_state(state)
    user = getattr(world, who)
    offered = transitions_available(project=project, user=user)
    assert [t.spec.name for t in offered] == names
    expected = {n: TABLE[n][1] if TABLE[n][1] != RESUMED else project.suspended_from for n in names}
    assert {t.spec.name: t.target for t in offered} == expected
