"""Score sheets: complete, final once submitted, corrected by a superseding sheet, hidden from the other experts
until their own is in; the missing items the approve checks read; the BDC's consolidation."""

import pytest

from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.models import TimelineEntry
from projects.enums import ProjectState
from projects.models import Project
from reviews.models import PanelMember, ReviewOpinion, ScoreSheet
from reviews.selectors import criterion_heading, review_scores_missing, sheets_visible_to
from reviews.services import review_opinion_consolidate, score_sheet_submit


def answers(project, grade="meets", note="意见", **kw):
    codes = [c.code for c in project.policy.review_criteria]
    return {
        "grades": {c: grade for c in codes},
        "comments": {c: f"{note}{i}" for i, c in enumerate(codes)},
        "opinion": kw.pop("opinion", "总体同意。"),
        "recommendation": kw.pop("recommendation", "pass"),
        **kw,
    }


@pytest.fixture
def reviewing(world):
    return world.project_in_state(ProjectState.REVIEWING)


def test_submit_records_every_criterion(world, reviewing):
    expert = world.experts[0].user
    sheet = score_sheet_submit(
        project=reviewing, by=expert, **answers(reviewing, grade="mostly", note="有待细化")
    )
    scores = list(sheet.scores.order_by("id"))
    assert [s.criterion for s in scores] == [c.code for c in reviewing.policy.review_criteria]
    assert {s.grade for s in scores} == {"mostly"} and scores[0].comment == "有待细化0"
    assert scores[0].label == "项目必要性" and scores[0].article == "第十二条"
    entry = TimelineEntry.objects.filter(project=reviewing, action="reviews.score.submit").get()
    # The timeline names who submitted, never what: the other experts read the timeline.
    assert "有待细化" not in entry.content_for_hash() and "mostly" not in entry.content_for_hash()


def test_incomplete_sheet_is_refused_and_nothing_saved(world, reviewing):
    data = answers(reviewing)
    data["grades"]["economy"] = ""
    data["comments"]["necessity"] = " "
    with pytest.raises(InvalidInput) as exc:
        score_sheet_submit(project=reviewing, by=world.experts[0].user, **data)
    assert "项目经济性" in exc.value.message and "项目必要性" in exc.value.message
    assert set(exc.value.extra["errors"]) == {"criterion:economy", "comment:necessity"}
    assert not ScoreSheet.objects.exists()


def test_submitted_sheet_is_final_and_corrected_by_a_new_one(world, reviewing):
    expert = world.experts[0].user
    first = score_sheet_submit(project=reviewing, by=expert, **answers(reviewing))
    with pytest.raises(Conflict, match="提交后不能修改"):
        score_sheet_submit(project=reviewing, by=expert, **answers(reviewing, grade="fails"))
    first.opinion = "改写"
    with pytest.raises(TypeError):
        first.save()
    second = score_sheet_submit(
        project=reviewing, by=expert, **answers(reviewing, grade="fails"), correction_reason="误选评价"
    )
    first.refresh_from_db()
    assert first.opinion == "总体同意。" and set(first.scores.values_list("grade", flat=True)) == {"meets"}
    assert second.supersedes_id == first.pk and second.correction_reason == "误选评价"
    assert ScoreSheet.objects.filter(superseded_by__isnull=True).get() == second
    assert TimelineEntry.objects.filter(project=reviewing, action="reviews.score.correct").count() == 1


def test_only_active_panel_experts_score_during_the_review(world, reviewing):
    with pytest.raises(NotFound):
        score_sheet_submit(project=reviewing, by=world.outsider_expert.user, **answers(reviewing))
    with pytest.raises(NotPermitted):
        score_sheet_submit(project=reviewing, by=world.bdc, **answers(reviewing))
    declared = world.project_in_state(ProjectState.DECLARED)
    from tests.factories.records import panel_assign

    panel_assign(project=declared, by=world.bdc, experts=world.experts)
    with pytest.raises(Conflict, match="不在评审阶段"):
        score_sheet_submit(project=declared, by=world.experts[0].user, **answers(declared))
    # A member who left the panel no longer scores.
    PanelMember.objects.filter(project=reviewing, expert=world.experts[2]).update(active=False)
    with pytest.raises(NotFound):
        score_sheet_submit(project=reviewing, by=world.experts[2].user, **answers(reviewing))


def test_experts_do_not_see_others_scores_before_their_own(world, reviewing):
    a, b, c = (e.user for e in world.experts)
    score_sheet_submit(project=reviewing, by=b, **answers(reviewing, note="乙的意见"))
    assert sheets_visible_to(user=a, project=reviewing) == []
    assert sheets_visible_to(user=c, project=reviewing) == []
    assert [s.expert.user for s in sheets_visible_to(user=b, project=reviewing)] == [b]
    score_sheet_submit(project=reviewing, by=a, **answers(reviewing, note="甲的意见"))
    assert {s.expert.user for s in sheets_visible_to(user=a, project=reviewing)} == {a, b}
    assert sheets_visible_to(user=c, project=reviewing) == []
    assert len(sheets_visible_to(user=world.bdc, project=reviewing)) == 2
    assert len(sheets_visible_to(user=world.auditor, project=reviewing)) == 2
    assert sheets_visible_to(user=world.dept, project=reviewing) == []
    assert sheets_visible_to(user=world.outsider_expert.user, project=reviewing) == []


def test_review_scores_missing_lists_expert_and_criterion(world, reviewing):
    assert len(review_scores_missing(reviewing)) == 3 * 3
    first = world.experts[0]
    assert review_scores_missing(reviewing)[0] == f"专家{first}：项目必要性"
    for e in world.experts:
        score_sheet_submit(project=reviewing, by=e.user, **answers(reviewing))
    assert review_scores_missing(reviewing) == []


def test_review_scores_missing_under_zhaoyuan(world, reviewing):
    from projects.policies import POLICIES

    zhaoyuan = POLICIES["zhaoyuan-2021"]
    Project.objects.filter(pk=reviewing.pk).update(policy_code=zhaoyuan.code, policy_version=zhaoyuan.version)
    reviewing.refresh_from_db()
    missing = review_scores_missing(reviewing)
    assert len(missing) == 3 * 9
    assert f"专家{world.experts[0]}：（五）编制的项目政务信息资源目录是否合理" in missing
    score_sheet_submit(project=reviewing, by=world.experts[0].user, **answers(reviewing))
    assert len(review_scores_missing(reviewing)) == 2 * 9


def test_criterion_heading():
    assert criterion_heading("是否有重复建设内容", "第七条(四)") == "（四）是否有重复建设内容"
    assert criterion_heading("项目经济性", "第十二条") == "项目经济性"


def test_consolidation_waits_for_every_active_member(world, reviewing):
    a, b, c = world.experts
    score_sheet_submit(project=reviewing, by=a.user, **answers(reviewing))
    score_sheet_submit(project=reviewing, by=b.user, **answers(reviewing))
    with pytest.raises(Conflict) as exc:
        review_opinion_consolidate(project=reviewing, by=world.bdc, conclusion="pass", summary="同意。")
    assert str(c) in exc.value.message
    member_c = PanelMember.objects.get(project=reviewing, expert=c, active=True)
    with pytest.raises(Conflict):
        review_opinion_consolidate(
            project=reviewing, by=world.bdc, conclusion="pass", summary="同意。", absences={member_c.pk: " "}
        )
    opinion = review_opinion_consolidate(
        project=reviewing,
        by=world.bdc,
        conclusion="pass_with_changes",
        summary="原则同意，修改后实施。",
        absences={member_c.pk: "临时出差"},
    )
    assert opinion.absences == [{"member": member_c.pk, "expert": str(c), "reason": "临时出差"}]
    assert opinion.sheets.count() == 2 and opinion.document_id is None
    entry = TimelineEntry.objects.filter(project=reviewing, action="reviews.opinion.consolidate").get()
    assert entry.data["conclusion"] == "pass_with_changes"
    with pytest.raises(Conflict, match="已汇总"):
        score_sheet_submit(project=reviewing, by=c.user, **answers(reviewing))


@pytest.mark.parametrize("who", ["dept", "finance", "auditor"])
def test_only_the_bdc_consolidates(world, reviewing, who):
    for e in world.experts:
        score_sheet_submit(project=reviewing, by=e.user, **answers(reviewing))
    with pytest.raises(NotPermitted):
        review_opinion_consolidate(
            project=reviewing, by=getattr(world, who), conclusion="pass", summary="同意。"
        )
    with pytest.raises(NotPermitted):
        review_opinion_consolidate(
            project=reviewing, by=world.experts[0].user, conclusion="pass", summary="同意。"
        )
    assert not ReviewOpinion.objects.exists()
    review_opinion_consolidate(project=reviewing, by=world.bdc, conclusion="fail", summary="不同意。")
    assert ReviewOpinion.objects.get().conclusion == "fail"


def test_a_new_review_round_starts_afresh(world, reviewing):
    from projects.services import project_transition

    for e in world.experts:
        score_sheet_submit(project=reviewing, by=e.user, **answers(reviewing))
    review_opinion_consolidate(project=reviewing, by=world.bdc, conclusion="fail", summary="须修改方案。")
    with pytest.raises(Conflict, match="不能重复汇总"):
        review_opinion_consolidate(project=reviewing, by=world.bdc, conclusion="pass", summary="同意。")
    project_transition(
        project_id=reviewing.pk, name="return_for_revision", by=world.bdc, data={"comment": "修改方案"}
    )
    project_transition(project_id=reviewing.pk, name="submit", by=world.dept)
    project_transition(project_id=reviewing.pk, name="start_review", by=world.bdc)
    reviewing = Project.objects.get(pk=reviewing.pk)
    assert len(review_scores_missing(reviewing)) == 3 * 3  # the last round's sheets do not count
    assert sheets_visible_to(user=world.experts[0].user, project=reviewing) == []
    for e in world.experts:
        sheet = score_sheet_submit(project=reviewing, by=e.user, **answers(reviewing))
        assert sheet.supersedes_id is None
    opinion = review_opinion_consolidate(project=reviewing, by=world.bdc, conclusion="pass", summary="同意。")
    assert opinion.sheets.count() == 3 and ScoreSheet.objects.count() == 6
