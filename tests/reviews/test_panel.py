"""The panel draw through the service: exclusions, field coverage, the record, replacements, the timeline."""

import pytest

from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.models import TimelineEntry
from projects.enums import ProjectState
from reviews.draws import draw_from_record
from reviews.enums import DrawKind, ExpertField
from reviews.models import Draw, ExpertConflict, PanelMember
from reviews.services import draw_verify, expert_panel_draw, panel_member_decline, panel_replacement_draw


def _ids(draw):
    return set(draw.result)


def _actions(project):
    return list(
        TimelineEntry.objects.filter(project=project).order_by("seq").values_list("action", flat=True)
    )


def test_draw_excludes_employees_bidders_conflicts_and_unavailable(world, make_expert, declared, bidder_org):
    from tests.factories import OrganisationFactory

    at_dept = make_expert("at_dept", employer=world.dept_org)
    at_cobuilder = make_expert("at_cobuilder", employer=world.dept2_org)
    at_bidder = make_expert("at_bidder", employer=bidder_org)
    unregistered = OrganisationFactory(
        jurisdiction=world.jurisdiction, kind="external", name="另一家投标公司"
    )
    at_named_bidder = make_expert("at_named", employer=None, employer_name="另一家投标 公司")
    conflicted = make_expert("conflicted")
    ExpertConflict.objects.create(expert=conflicted, organisation=world.dept_org, reason="曾任该局顾问")
    conflicted_bidder = make_expert("conflicted_bidder")
    ExpertConflict.objects.create(expert=conflicted_bidder, organisation=bidder_org, reason="持股")
    away = make_expert("away", available=False, availability_note="出国访学")
    assert unregistered.pk  # a registered organisation of that name is matched too, by name

    draw = expert_panel_draw(
        project=declared, by=world.bdc, excluded_organisations=[bidder_org, "另一家投标公司"]
    )
    excluded = {at_dept, at_cobuilder, at_bidder, at_named_bidder, conflicted, conflicted_bidder, away}
    eligible = {e.pk for e in [*world.experts, world.outsider_expert]}
    assert set(draw.candidates) == eligible
    assert not {e.pk for e in excluded} & set(draw.candidates)
    reasons = {e["expert"]: e["reason"] for e in draw.parameters["excluded_experts"]}
    assert "申报单位" in reasons[at_dept.pk]
    assert "共建单位" in reasons[at_cobuilder.pk]
    assert "投标单位" in reasons[at_bidder.pk] and "投标单位" in reasons[at_named_bidder.pk]
    assert "利害关系" in reasons[conflicted.pk] and "利害关系" in reasons[conflicted_bidder.pk]
    assert "出国访学" in reasons[away.pk]
    assert len(draw.result) == 3 and _ids(draw) <= eligible
    members = PanelMember.objects.filter(project=declared, active=True)
    assert {m.expert_id for m in members} == _ids(draw)
    assert all(m.draw_id == draw.pk for m in members)


def test_draw_uses_the_policy_size_and_refuses_even_or_small(world, make_expert, declared):
    for i in range(4):
        make_expert(f"extra{i}")
    with pytest.raises(InvalidInput, match="奇数"):
        expert_panel_draw(project=declared, by=world.bdc, size=4)
    with pytest.raises(InvalidInput, match="不能少于3名"):
        expert_panel_draw(project=declared, by=world.bdc, size=1)
    assert Draw.objects.count() == 0
    assert expert_panel_draw(project=declared, by=world.bdc, size=5).size == 5


def test_draw_covers_every_needed_field(world, make_expert):
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    security = make_expert("security", fields=[ExpertField.SECURITY])
    for seed_round in range(5):
        draw = expert_panel_draw(project=project, by=world.bdc)
        assert draw.needed_fields == [ExpertField.SOFTWARE, ExpertField.SECURITY]
        assert security.pk in draw.result, seed_round  # the only security expert


def test_draw_refuses_naming_the_uncovered_field(world, declared):
    with pytest.raises(InvalidInput) as exc:
        expert_panel_draw(project=declared, by=world.bdc, fields=[ExpertField.SOFTWARE, ExpertField.VIDEO])
    assert "视频监控与物联网" in exc.value.message
    assert not Draw.objects.exists()
    assert "reviews.panel.draw" not in _actions(declared)


def test_draw_refuses_when_too_few_are_eligible(world, declared, bidder_org):
    for e in world.experts[:2]:
        ExpertConflict.objects.create(expert=e, organisation=bidder_org, reason="兼职")
    with pytest.raises(InvalidInput, match="不足3名"):
        expert_panel_draw(project=declared, by=world.bdc, excluded_organisations=[bidder_org])


def test_draw_is_recorded_and_verifiable(world, make_expert, declared):
    for i in range(6):
        make_expert(
            f"lib{i}", fields=[ExpertField.SOFTWARE, ExpertField.DATA] if i % 2 else [ExpertField.NETWORK]
        )
    draw = expert_panel_draw(
        project=declared, by=world.bdc, fields=[ExpertField.SOFTWARE, ExpertField.NETWORK]
    )
    draw.refresh_from_db()
    assert len(draw.seed) == 32 and draw.candidates == sorted(draw.candidates)
    assert (
        draw_from_record(draw.seed, draw.candidates, draw.size, draw.fields_by_candidate, draw.needed_fields)
        == draw.result
    )
    assert draw_verify(draw=draw, by=world.dept)["ok"] is True  # the department may check it too
    with pytest.raises(NotFound):
        draw_verify(draw=draw, by=world.supervisor)
    # A record whose result was altered no longer verifies.
    honest = list(draw.result)
    altered = [c for c in draw.candidates if c not in honest][:1] + honest[1:]
    Draw.objects.filter(pk=draw.pk).update(result=altered)
    draw.refresh_from_db()
    check = draw_verify(draw=draw, by=world.bdc)
    assert check["ok"] is False and check["recomputed"] == honest
    entry = TimelineEntry.objects.filter(project=declared, action="reviews.panel.draw").get()
    assert entry.data["draw"] == draw.pk and len(entry.data["experts"]) == 3


def test_draw_record_cannot_be_changed(world, declared):
    draw = expert_panel_draw(project=declared, by=world.bdc)
    draw.seed = "x"
    with pytest.raises(TypeError):
        draw.save()
    with pytest.raises(TypeError):
        draw.delete()


def test_redraw_replaces_the_panel(world, make_expert, declared):
    for i in range(4):
        make_expert(f"more{i}")
    first = expert_panel_draw(project=declared, by=world.bdc)
    second = expert_panel_draw(project=declared, by=world.bdc)
    active = set(
        PanelMember.objects.filter(project=declared, active=True).values_list("expert_id", flat=True)
    )
    assert active == set(second.result)
    old = PanelMember.objects.filter(project=declared, draw=first).get(expert_id=first.result[0])
    assert old.active is False and old.deactivated_reason == "重新抽取专家组"


def test_decline_and_replacement(world, make_expert, declared):
    extra = [make_expert(f"r{i}") for i in range(3)]
    draw = expert_panel_draw(project=declared, by=world.bdc)
    member = PanelMember.objects.get(project=declared, expert_id=draw.result[0])
    with pytest.raises(InvalidInput):
        panel_member_decline(member=member, by=world.bdc, reason=" ")
    panel_member_decline(member=member, by=world.bdc, reason="外出开会，无法参加")
    member.refresh_from_db()
    assert not member.active and member.deactivated_reason == "外出开会，无法参加"
    assert member.deactivated_by == world.bdc
    replacement = panel_replacement_draw(project=declared, by=world.bdc)
    assert replacement.kind == DrawKind.REPLACEMENT and replacement.original_id == draw.pk
    assert replacement.size == 1
    # From the remaining candidates: nobody already drawn, nobody outside the original candidates.
    assert not set(replacement.candidates) & set(draw.result)
    assert set(replacement.candidates) <= set(draw.candidates)
    assert (
        draw_from_record(
            replacement.seed,
            replacement.candidates,
            replacement.size,
            replacement.fields_by_candidate,
            replacement.needed_fields,
        )
        == replacement.result
    )
    active = PanelMember.objects.filter(project=declared, active=True)
    assert active.count() == 3
    assert member.expert_id not in {m.expert_id for m in active}
    with pytest.raises(Conflict, match="无需补抽"):
        panel_replacement_draw(project=declared, by=world.bdc)
    actions = _actions(declared)
    assert actions[-3:] == ["reviews.panel.draw", "reviews.panel.decline", "reviews.panel.replace"]
    assert len(extra) == 3


def test_replacement_covers_a_field_the_declined_expert_took_away(world, make_expert):
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    pair = {
        make_expert("s1", fields=[ExpertField.SECURITY]).pk,
        make_expert("s2", fields=[ExpertField.SECURITY]).pk,
    }
    for _ in range(30):  # redraw until exactly one of the two security experts sits on the panel
        draw = expert_panel_draw(project=project, by=world.bdc)
        if len(pair & set(draw.result)) == 1:
            break
    else:
        raise AssertionError("no draw with exactly one security expert in 30 tries")
    (drawn,) = pair & set(draw.result)
    (other,) = pair - {drawn}
    member = PanelMember.objects.get(project=project, expert_id=drawn, active=True)
    panel_member_decline(member=member, by=world.bdc, reason="回避")
    replacement = panel_replacement_draw(project=project, by=world.bdc)
    assert replacement.needed_fields == [ExpertField.SECURITY]
    assert replacement.result == [other]


def test_replacement_needs_a_drawn_panel(world):
    from tests.factories.records import panel_assign

    project = world.project_in_state(ProjectState.DECLARED)
    panel_assign(project=project, by=world.bdc, experts=world.experts)
    member = PanelMember.objects.filter(project=project, active=True).first()
    panel_member_decline(member=member, by=world.bdc, reason="身体原因")
    with pytest.raises(Conflict, match="未经随机抽取"):
        panel_replacement_draw(project=project, by=world.bdc)


@pytest.mark.parametrize("who", ["dept", "finance", "auditor", "supervisor"])
def test_only_the_bdc_draws(world, declared, who):
    with pytest.raises(NotPermitted):
        expert_panel_draw(project=declared, by=getattr(world, who))
    with pytest.raises(NotPermitted):
        expert_panel_draw(project=declared, by=world.experts[0].user)


def test_a_foreign_bdc_cannot_draw(world, declared):
    from core.enums import Role
    from tests.factories import JurisdictionFactory, OrganisationFactory, UserFactory

    other = JurisdictionFactory(code="zhaoyuan", policy_code="zhaoyuan-2021", project_prefix="ZY")
    foreign = UserFactory(role=Role.BDC, organisation=OrganisationFactory(jurisdiction=other, kind="bdc"))
    with pytest.raises(NotPermitted):
        expert_panel_draw(project=declared, by=foreign)


def test_draw_only_while_declared(world):
    project = world.project_in_state(ProjectState.REVIEWING)
    with pytest.raises(Conflict, match="评审中"):
        expert_panel_draw(project=project, by=world.bdc)


def test_drawn_panel_passes_the_panel_check(world, make_expert, declared):
    from projects.checks import evaluate_checks

    make_expert("e-extra")
    expert_panel_draw(project=declared, by=world.bdc)
    panel = next(c for c in evaluate_checks(declared, "start_review") if c.code == "ANY-panel")
    assert panel.passed is True


def test_panel_conflicts_include_the_draws_bidders(world, make_expert, declared, bidder_org):
    from reviews.selectors import panel_conflicts

    for i in range(3):
        make_expert(f"c{i}")
    draw = expert_panel_draw(project=declared, by=world.bdc, excluded_organisations=[bidder_org])
    assert panel_conflicts(declared) == []
    member = PanelMember.objects.select_related("expert").get(project=declared, expert_id=draw.result[0])
    ExpertConflict.objects.create(expert=member.expert, organisation=bidder_org, reason="事后申报：持股")
    assert panel_conflicts(declared) == [
        f"专家{member.expert}：已申报与某某科技有限公司（投标单位）存在利害关系"
    ]


def test_the_bdc_adds_fields_but_cannot_drop_the_projects(world, make_expert):
    from reviews.selectors import panel_fields_uncovered

    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    with pytest.raises(InvalidInput, match="网络与信息安全"):
        expert_panel_draw(project=project, by=world.bdc, fields=[])  # the project's own fields still apply
    make_expert("sec", fields=[ExpertField.SECURITY])
    make_expert("fin", fields=[ExpertField.FINANCE])
    draw = expert_panel_draw(project=project, by=world.bdc, fields=[ExpertField.FINANCE])
    assert draw.needed_fields == [ExpertField.SOFTWARE, ExpertField.SECURITY, ExpertField.FINANCE]
    assert panel_fields_uncovered(project) == []
    from tests.factories.records import panel_assign

    panel_assign(project=project, by=world.bdc, experts=world.experts)
    assert panel_fields_uncovered(project) == ["网络与信息安全"]
