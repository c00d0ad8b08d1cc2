"""The acceptance group, its opinions and conclusion, the 竣工验收意见函 and rectification (issue 14)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from acceptance.models import AcceptanceGroup, AcceptanceOpinion, AcceptanceVerdict, RectificationItem
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.models import Letter
from projects.enums import ProjectState
from projects.services import project_transition
from reviews.draws import draw_from_record
from reviews.models import Draw

pytestmark = pytest.mark.django_db


def _final(world, **kw):
    return world.project_in_state(ProjectState.FINAL_ACCEPTANCE, **kw)


def _parties(policy):
    data = {}
    for p in policy.acceptance_parties:
        data[f"party:{p.code}"] = f"{p.label}单位"
        data[f"name:{p.code}"] = "李四"
    return data


def _opinions(world, project, met="met", only=None):
    policy = project.policy
    for member in project.acceptance_members.filter(kind="expert").select_related("expert__user"):
        conditions = {
            f"condition:{c.code}": (only or {}).get(c.code, met) for c in policy.acceptance_conditions
        }
        world.act(
            project,
            "acceptance_opinion",
            member.expert.user,
            {
                **conditions,
                **{f"comment:{c.code}": "理由。" for c in policy.acceptance_conditions},
                "recommendation": "passed",
                "opinion": "意见。",
            },
        )


def test_group_drawn_reproducibly_excluding_supplier_and_supervisor_with_units(world):
    project = _final(world)
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    group = AcceptanceGroup.objects.get(project=project)
    draw = group.draw
    assert draw.purpose == "acceptance"
    assert draw_from_record(
        draw.seed, draw.candidates, draw.size, draw.fields_by_candidate, draw.needed_fields
    ) == list(draw.result)
    assert "某某科技有限公司（投标单位）" in draw.parameters["excluded_labels"]
    members = list(group.members.all())
    assert sum(m.kind == "expert" for m in members) == 3
    assert {m.party_label for m in members if m.kind == "representative"} == {
        "项目建设单位",
        "设计单位",
        "承建单位",
        "监理单位",
    }
    assert all(m.unit for m in members)
    # the review panel is untouched: the acceptance draw seats nobody on it
    assert not Draw.objects.filter(project=project, purpose="review").filter(pk=draw.pk).exists()


def test_group_refused_without_required_party_citing_article(world):
    project = _final(world)
    parties = _parties(project.policy)
    del parties["party:supervisor"], parties["name:supervisor"]
    with pytest.raises(Conflict) as exc:
        world.act(project, "draw_acceptance_group", world.bdc, parties)
    assert "监理单位" in str(exc.value) and "第三十五条" in str(exc.value)


def test_roles_that_may_not_form_opine_or_conclude(world):
    project = _final(world)
    for user in (world.dept, world.finance, world.experts[0].user):
        with pytest.raises((NotPermitted, NotFound)):
            world.act(project, "draw_acceptance_group", user, _parties(project.policy))
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    drawn = set(project.acceptance_members.filter(kind="expert").values_list("expert__user_id", flat=True))
    outsider = next(e.user for e in [*world.experts, world.outsider_expert] if e.user_id not in drawn)
    with pytest.raises((NotPermitted, NotFound)):
        world.act(project, "acceptance_opinion", outsider, {"recommendation": "passed", "opinion": "x"})
    with pytest.raises(NotPermitted):
        world.act(project, "issue_acceptance_letter", world.dept, {"conclusion": "passed", "summary": "x"})


def test_passed_needs_majority_on_each_condition_and_the_issued_letter(
    world, django_capture_on_commit_callbacks
):
    project = _final(world)
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    with pytest.raises(Conflict) as exc:
        world.act(project, "issue_acceptance_letter", world.bdc, {"conclusion": "passed", "summary": "x"})
    assert "尚未提交本轮验收意见" in str(exc.value)
    experts = list(project.acceptance_members.filter(kind="expert").select_related("expert__user"))
    # WD-36-2 met by 1 of 3 experts: refused with 第三十六条(二); by 2 of 3: met.
    for i, member in enumerate(experts):
        world.act(
            project,
            "acceptance_opinion",
            member.expert.user,
            {
                **{f"condition:{c.code}": "met" for c in project.policy.acceptance_conditions},
                "condition:WD-36-2": "met" if i == 0 else "unmet",
                "comment:WD-36-2": "性能未达标。",
                "recommendation": "failed",
                "opinion": "意见。",
            },
        )
    with pytest.raises(Conflict) as exc:
        world.act(project, "issue_acceptance_letter", world.bdc, {"conclusion": "passed", "summary": "x"})
    assert "第三十六条(二)" in str(exc.value) and "仅1名" in str(exc.value)
    assert not Letter.objects.filter(project=project, kind="acceptance_letter").exists()


def test_fail_then_rectify_reapply_and_fail_again_is_recorded(world, client):
    project = world.project_in_state(ProjectState.RECTIFYING)
    verdict = AcceptanceVerdict.objects.get(project=project)
    assert verdict.letter.status == Letter.Status.READY and verdict.conclusion == "failed"
    item = RectificationItem.objects.get(project=project)
    assert item.owner == project.organisation.name
    from tests.factories import pdf_upload

    with pytest.raises(Conflict) as exc:  # re-application waits for every item's report (第三十七条)
        project_transition(
            project_id=project.pk, name="apply_acceptance", by=world.dept, data={"deployed_on_cloud": True}
        )
    assert "未报告整改情况" in str(exc.value) and "第三十七条" in str(exc.value)
    world.act(
        project,
        "rectification_report",
        world.dept,
        {"item": item.pk, "report": "已接入。"},
        {"evidence": pdf_upload("evidence.pdf")},
    )
    item.refresh_from_db()
    assert item.reported_on == timezone.localdate() and item.evidence_id
    project_transition(
        project_id=project.pk, name="apply_acceptance", by=world.dept, data={"deployed_on_cloud": True}
    )
    project.refresh_from_db()
    assert project.state == ProjectState.FINAL_ACCEPTANCE
    # the same group, a new round: fail_acceptance needs the new round's letter
    with pytest.raises(Conflict):
        project_transition(project_id=project.pk, name="fail_acceptance", by=world.bdc, data={})
    world.accept(project, "failed")
    second = AcceptanceVerdict.objects.filter(project=project).latest("id")
    assert second.round == 2 and second.after_rectification
    assert AcceptanceGroup.objects.filter(project=project).count() == 1
    assert AcceptanceOpinion.objects.filter(project=project, round=2).count() == 3
    project_transition(project_id=project.pk, name="fail_acceptance", by=world.bdc, data={})
    labels = list(project.timeline.values_list("label", flat=True))
    assert any("整改后仍不合格" in label for label in labels)
    # The page names what the policy does with it (wendeng-2021 第三十七条), from the policy, not a fixed text.
    client.force_login(world.bdc)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "第三十七条：整改后仍不合格的，提交区社会信用中心记入信用档案。" in page


def test_fail_needs_items_with_owner_and_future_deadline(world):
    project = _final(world)
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    _opinions(world, project, met="unmet")
    with pytest.raises(InvalidInput):
        world.act(project, "issue_acceptance_letter", world.bdc, {"conclusion": "failed", "summary": "x"})
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput):
        world.act(
            project,
            "issue_acceptance_letter",
            world.bdc,
            {"conclusion": "failed", "summary": "x", "items": f"a | b | {past}"},
        )
