"""The checks of the review itself: who sits on the panel (fields, conflicts with bidders) and whether every
expert scored every criterion the regulation lists (zhaoyuan-2021 第八条, laohekou-2024 第七条)."""

from datetime import date

import pytest

from projects.enums import ProjectState
from reviews.enums import ExpertField
from reviews.services import expert_panel_draw, score_sheet_submit
from tests.factories import ExpertFactory, OrganisationFactory, UserFactory, World
from tests.factories.records import panel_assign
from tests.reviews.test_scores import answers

from .conftest import at_state, check

TODAY = date(2026, 11, 20)


def _expert(world, username, fields, employer=None):
    from core.enums import Role

    return ExpertFactory(
        user=UserFactory(username=username, role=Role.EXPERT, organisation=None),
        employer=employer or world.expert_org,
        fields=list(fields),
        jurisdiction=world.jurisdiction,
    )


@pytest.mark.parametrize("policy", ["zhaoyuan-2021", "laohekou-2024"])
def test_every_expert_scores_every_criterion_before_approval(db, policy):
    world = World(policy)
    project = at_state(world.project(), ProjectState.DECLARED)
    panel_assign(project=project, by=world.bdc, experts=world.experts)
    at_state(project, ProjectState.REVIEWING)
    code = {"zhaoyuan-2021": "ZY-8-criteria", "laohekou-2024": "LHK-7-criteria"}[policy]
    criteria = project.policy.review_criteria
    assert len(criteria) == {"zhaoyuan-2021": 9, "laohekou-2024": 6}[policy]

    result = check(project, "approve", code, today=TODAY)
    assert result.passed is False and f"尚有{3 * len(criteria)}项评审内容未评分" in result.message

    for member in world.experts[:2]:
        score_sheet_submit(project=project, by=member.user, **answers(project))
    result = check(project, "approve", code, today=TODAY)
    assert result.passed is False and f"尚有{len(criteria)}项" in result.message
    assert world.experts[2].user.username in result.message or str(world.experts[2]) in result.message

    score_sheet_submit(project=project, by=world.experts[2].user, **answers(project))
    assert check(project, "approve", code, today=TODAY).passed is True


def test_panel_must_cover_the_fields_the_project_needs(db):
    world = World("laohekou-2024")
    project = at_state(
        world.project(construction_kinds=["business_app"], has_video=True), ProjectState.DECLARED
    )
    panel_assign(project=project, by=world.bdc, experts=world.experts)  # three software experts
    result = check(project, "start_review", "LHK-11-field", today=TODAY)
    assert result.passed is False and ExpertField.VIDEO.label in result.message
    assert result.source == "《老河口市本级信息化和智慧城市项目管理办法》第十一条"
    video = _expert(world, "video1", [ExpertField.VIDEO])
    panel_assign(project=project, by=world.bdc, experts=[*world.experts[:2], video])
    assert check(project, "start_review", "LHK-11-field", today=TODAY).passed is True


def test_panel_with_an_expert_of_a_bidder_is_refused(world):
    bidder = OrganisationFactory(jurisdiction=world.jurisdiction, name="某某科技有限公司")
    insider = _expert(world, "insider", [ExpertField.SOFTWARE], employer=bidder)
    project = at_state(world.project(), ProjectState.DECLARED)
    for expert in world.experts:
        expert.jurisdiction = world.jurisdiction
        expert.save(update_fields=["jurisdiction"])
    expert_panel_draw(project=project, by=world.bdc, excluded_organisations=[bidder])
    assert check(project, "start_review", "ANY-panel", today=TODAY).passed is True
    # a hand-made panel (outside the draw) that seats the bidder's employee is caught by the check
    panel_assign(project=project, by=world.bdc, experts=[*world.experts[:2], insider])
    result = check(project, "start_review", "ANY-panel", today=TODAY)
    assert result.passed is False
    assert "某某科技有限公司" in result.message and "须回避并另行抽取" in result.message
