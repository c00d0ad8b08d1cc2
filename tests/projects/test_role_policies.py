"""`policies_where_role_acts`: the policies under which a role may take a step, read by the home pages so that
they try only those policies' projects. Checked against the per-project rule it stands for."""

import pytest

from core.enums import Role
from projects.actions import ACTIONS, action_acting, policies_where_role_acts
from projects.enums import ProjectState
from projects.models import Project
from projects.policies import POLICIES
from projects.services import transition_acting
from projects.transitions import TRANSITIONS


def test_the_auditor_and_the_leader_take_neither_step_anywhere():
    group, approve = ACTIONS["draw_acceptance_group"], TRANSITIONS["approve"]
    for role in (Role.AUDITOR, Role.LEADER):
        assert policies_where_role_acts(group.name, group.roles, role) == frozenset()
        assert policies_where_role_acts("approve", approve.roles, role) == frozenset()


@pytest.mark.parametrize("role", [Role.BDC, Role.FINANCE, Role.DEVELOPMENT, Role.DEPARTMENT])
def test_a_policy_left_out_never_gives_the_role_the_step(role):
    """Under every policy not listed for the role, no project (with or without the flag that changes the body)
    gives it the step: a home page that reads only the listed policies' projects misses none."""
    group, approve = ACTIONS["draw_acceptance_group"], TRANSITIONS["approve"]
    groups = policies_where_role_acts(group.name, group.roles, role)
    approvals = policies_where_role_acts("approve", approve.roles, role)
    for code, policy in POLICIES.items():
        for flags in ({}, {"adds_fixed_assets": True}):
            kept = {"policy_code": code, "policy_version": policy.version, **flags}
            acting = action_acting(Project(state=ProjectState.FINAL_ACCEPTANCE, **kept), group)
            if code not in groups:
                assert acting is None or role not in acting.roles
            if code not in approvals:
                reviewing = Project(state=ProjectState.REVIEWING, **kept)
                assert role not in transition_acting(reviewing, approve).roles


def test_the_bdc_forms_acceptance_groups_and_finance_approves_under_most_policies():
    group, approve = ACTIONS["draw_acceptance_group"], TRANSITIONS["approve"]
    assert len(policies_where_role_acts(group.name, group.roles, Role.BDC)) >= 3
    assert len(policies_where_role_acts("approve", approve.roles, Role.FINANCE)) >= 3
