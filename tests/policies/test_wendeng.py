"""《威海市文登区“智慧文登”项目建设管理办法》: filing at once, trial operation, acceptance documents and
connections, the acceptance group's five working days, changes and the approval's validity."""

from datetime import date

import pytest

from acceptance.models import AcceptanceApplication, ChangeRequest, ConstructionCompletion
from acceptance.services import change_request_decide, change_request_submit
from core.errors import Conflict
from projects.enums import DocumentKind, ProjectState
from projects.policies.wendeng_2021 import ACCEPTANCE_DOCUMENTS
from projects.services import project_transition
from sharing.services import resource_add, resource_mark_connected
from tests.factories import CATALOGUE_ENTRY

from .conftest import at_state, check, deadline, on, upload

TITLE = "《威海市文登区“智慧文登”项目建设管理办法》"


@pytest.mark.parametrize(
    ("filed_on", "passed"),
    # signed Friday 2026-11-27: "立即" is that day or the next working day, Monday 11-30
    [(date(2026, 11, 27), True), (date(2026, 11, 30), True), (date(2026, 12, 1), False)],
)
def test_contract_filed_immediately(world, filed_on, passed):
    project = at_state(world.project(), ProjectState.PROCUREMENT)
    result = check(
        project, "file_contract", "WD-15-immediate", today=filed_on, params={"signed_on": "2026-11-27"}
    )
    assert (result.passed, result.severity, result.source) == (passed, "warn", f"{TITLE}第十五条")


def _completed(world, project, trial_from: date):
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    ConstructionCompletion.objects.create(
        project=project,
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on=trial_from,
        by=world.dept,
    )


@pytest.mark.parametrize(
    ("today", "passed"),
    [
        (date(2026, 6, 29), False),  # trial from 2026-03-31: three months end 06-30
        (date(2026, 6, 30), True),
        (date(2026, 9, 30), True),  # six months end 09-30
        (date(2026, 10, 1), False),
    ],
)
def test_trial_operation_three_to_six_months(world, today, passed):
    project = world.project()
    _completed(world, project, date(2026, 3, 31))
    result = check(project, "apply_acceptance", "WD-36-trial", today=today)
    assert (result.passed, result.severity, result.source) == (passed, "block", f"{TITLE}第三十六条(三)")
    window = deadline(project, "WD-36-trial", today=today)
    assert (window.opens_on, window.due_on) == (date(2026, 6, 30), date(2026, 9, 30))


def test_trial_months_ending_on_a_day_the_month_lacks(world):
    project = world.project()
    _completed(world, project, date(2026, 8, 31))
    window = deadline(project, "WD-36-trial", today=date(2026, 9, 1))
    # 11-30 has a 30th; February 2027 has no 31st: the month's last day (民法典 第二百零二条)
    assert (window.opens_on, window.due_on, window.status) == (
        date(2026, 11, 30),
        date(2027, 2, 28),
        "upcoming",
    )


def test_thirteen_acceptance_documents(world):
    project = at_state(world.project(), ProjectState.PRELIMINARY_ACCEPTANCE)
    for kind in ACCEPTANCE_DOCUMENTS[:-1]:
        upload(world, project, kind)
    result = check(project, "apply_acceptance", "WD-36-docs", today=date(2026, 11, 20))
    assert (result.passed, result.source) == (False, f"{TITLE}第三十六条(四)")
    assert result.message == "缺少变更清单。"
    upload(world, project, DocumentKind.CHANGE_LIST)
    assert check(project, "apply_acceptance", "WD-36-docs", today=date(2026, 11, 20)).passed is True
    assert len(ACCEPTANCE_DOCUMENTS) == 13


def test_data_and_video_connected_before_acceptance(world):
    project = world.project(has_video=True)
    data = resource_add(project=project, by=world.dept, data=dict(CATALOGUE_ENTRY))
    video = resource_add(
        project=project,
        by=world.dept,
        data={**CATALOGUE_ENTRY, "name": "校园视频", "video_points": "一中东门", "share_scope": "公安"},
    )
    at_state(project, ProjectState.PRELIMINARY_ACCEPTANCE)
    for resource in (data, video):
        resource_mark_connected(resource=resource, by=world.bdc, registered=True, connected=True)
    result = check(project, "apply_acceptance", "WD-23-connected", today=date(2026, 11, 20))
    assert result.passed is False and "区视频中心" in result.message and "校园视频" in result.message
    resource_mark_connected(
        resource=video, by=world.bdc, registered=True, connected=True, video_connected=True
    )
    assert check(project, "apply_acceptance", "WD-23-connected", today=date(2026, 11, 20)).passed is True


@pytest.mark.parametrize(("today", "passed"), [(date(2026, 10, 12), True), (date(2026, 10, 13), False)])
def test_acceptance_group_within_five_working_days(world, today, passed):
    project = at_state(world.project(), ProjectState.FINAL_ACCEPTANCE)
    # applied Tuesday 2026-09-29; National Day off, Saturday 10-10 worked: the fifth working day is 10-12
    AcceptanceApplication.objects.create(project=project, applied_on=date(2026, 9, 29), by=world.dept)
    for transition in ("draw_acceptance_group",):  # the group is formed as an action of its own (issue 14)
        result = check(project, transition, "WD-35-group", today=today)
        assert (result.passed, result.severity, result.source) == (passed, "warn", f"{TITLE}第三十五条")
    group = deadline(project, "WD-35-group", today=today)
    assert (group.due_on, group.owner, group.status) == (
        date(2026, 10, 12),
        "bdc",
        "due_soon" if passed else "overdue",
    )


def expert_review(world, project, change, recommendation: str = "agree") -> None:
    """The change's panel drawn and every drawn expert's sheet in (第十七条: 重新履行审核手续)."""
    from tests.change_review.conftest import seated_users, sheet

    review = world.act(project, "draw_change_panel", world.bdc, {"change": change.pk})
    for user in seated_users(review):
        world.act(project, "score_change", user, sheet(project, change, recommendation))


def test_a_major_change_holds_construction_until_approved(world):
    project = world.project_in_state(ProjectState.CONSTRUCTION)
    technical = change_request_submit(
        project=project, by=world.dept, aspects=["technical"], description="优化接口"
    )
    assert technical.status == ChangeRequest.Status.FILED
    major = change_request_submit(
        project=project, by=world.dept, aspects=["site", "schedule"], description="迁址并延期两个月"
    )
    assert major.status == ChangeRequest.Status.SUBMITTED
    assert (
        major.rule
        == f"建设地点、建设进度发生较大变化，须向区大数据中心提交书面申请，重新履行审核手续。（{TITLE}第十七条）"
    )

    data = world.transition_data("complete_construction")
    with pytest.raises(Conflict) as refused:
        project_transition(project_id=project.pk, name="complete_construction", by=world.dept, data=data)
    [failing] = refused.value.extra["checks"]
    assert (failing["code"], failing["source"]) == ("WD-17-change", f"{TITLE}第十七条")

    # 重新履行审核手续: by the experts drawn for the change, before the centre decides (issue 13).
    with pytest.raises(Conflict, match="第十七条"):
        change_request_decide(change=major, by=world.bdc, approve=True, note="同意变更")
    expert_review(world, project, major)
    change_request_decide(change=major, by=world.bdc, approve=True, note="同意变更")
    project = project_transition(
        project_id=project.pk, name="complete_construction", by=world.dept, data=data
    )
    assert project.state == ProjectState.PRELIMINARY_ACCEPTANCE
    actions = list(project.timeline.values_list("action", flat=True))
    assert actions.count("acceptance.change.file") == 1
    assert actions.count("acceptance.change.submit") == 1
    assert actions.count("acceptance.change.approve") == 1


def test_change_refused_to_other_roles_and_without_reason(world):
    from core.errors import InvalidInput, NotPermitted

    project = world.project_in_state(ProjectState.CONSTRUCTION)
    with pytest.raises(NotPermitted):
        change_request_submit(project=project, by=world.dept2, aspects=["site"], description="迁址")
    with pytest.raises(NotPermitted):
        change_request_submit(project=project, by=world.bdc, aspects=["site"], description="迁址")
    with pytest.raises(InvalidInput):
        change_request_submit(project=project, by=world.dept, aspects=[], description="迁址")
    with pytest.raises(InvalidInput, match="资金调整数额"):
        change_request_submit(
            project=project, by=world.dept, aspects=["budget"], description="x", amount_change="很多"
        )
    change = change_request_submit(project=project, by=world.dept, aspects=["site"], description="迁址")
    with pytest.raises(NotPermitted):
        change_request_decide(change=change, by=world.dept, approve=True)
    with pytest.raises(InvalidInput, match="理由"):
        change_request_decide(change=change, by=world.bdc, approve=False, note="")
    expert_review(world, project, change, "disagree")
    change_request_decide(change=change, by=world.bdc, approve=False, note="迁址理由不充分")
    with pytest.raises(Conflict):
        change_request_decide(change=change, by=world.bdc, approve=True)


def test_approval_needs_its_validity(world):
    project = world.project_in_state(ProjectState.REVIEWING)
    world.prepare(project, "approve")
    data = {**world.transition_data("approve", project)}
    data.pop("valid_until")
    with pytest.raises(Conflict) as refused:
        project_transition(project_id=project.pk, name="approve", by=world.finance, data=data)
    assert [c["code"] for c in refused.value.extra["checks"]] == ["WD-17-expiry"]
    with on(date(2026, 11, 20)):
        project = project_transition(
            project_id=project.pk,
            name="approve",
            by=world.finance,
            data={**data, "valid_until": "2027-11-19"},
        )
    assert project.valid_until == date(2027, 11, 19)
    expiry = deadline(project, "WD-17-expiry", today=date(2027, 11, 19))
    assert (expiry.due_on, expiry.status) == (date(2027, 11, 19), "due_soon")
    assert deadline(project, "WD-17-expiry", today=date(2027, 11, 20)).status == "overdue"
