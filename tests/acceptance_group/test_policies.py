"""Per policy: who forms the group and concludes, the parties and conditions as data with their articles, each
condition refused at its boundary, wendeng-2021 第三十七条's sharing rule, and the deadlines (the group's within 5
working days under wendeng-2021 第三十五条; each rectification item's) met and missed, warned once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.enums import Role
from core.errors import NotFound, NotPermitted
from projects.actions import action_authorise
from projects.checks import CheckContext
from projects.deadlines import DeadlineStatus, project_deadlines
from projects.enums import ProjectState
from projects.models import DeadlineWarning, Project
from projects.policies import POLICIES
from projects.warnings import deadlines_check
from tests.factories import World

pytestmark = pytest.mark.django_db

# The body that forms the group and the one that concludes, as the regulations name them.
ORGANISERS = {
    "wendeng-2021": ({Role.BDC}, {Role.BDC}, "第三十五条"),
    "zhaoyuan-2021": ({Role.BDC}, {Role.BDC}, "第二十条"),
    "laohekou-2024": ({Role.BDC}, {Role.FINANCE, Role.BDC}, "第二十二条"),
    "gongshu-draft": ({Role.BDC}, {Role.BDC}, "五(五)"),
    "fangchenggang-2022": ({Role.DEPARTMENT}, {Role.DEPARTMENT}, "第二十七条"),
}
CONDITION_ARTICLES = {
    "wendeng-2021": ["第三十六条(一)", "第三十六条(二)", "第三十六条(三)", "第三十六条(四)"],
    "zhaoyuan-2021": ["第十七条", "第十八条", "第二十条"],
    "laohekou-2024": [f"第二十三条({n})" for n in "一二三四五六七八九"],
    "gongshu-draft": ["五(五)"] * 5,
    "fangchenggang-2022": ["第十九、二十条", "第二十八条"],
}


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_the_group_is_formed_and_concluded_by_the_body_the_policy_names(code):
    world = World(code)
    project = world.project()
    forms, concludes, article = ORGANISERS[code]
    policy = POLICIES[code]
    assert policy.actor_for("draw_acceptance_group", project).roles == forms
    assert policy.actor_for("draw_acceptance_group", project).article == article
    assert policy.actor_for("issue_acceptance_letter", project).roles == concludes
    by_role = {u.role: u for u in world.users.values() if u != world.dept2}
    by_role[Role.DEPARTMENT] = world.dept
    for role, user in by_role.items():
        if role in forms:
            action_authorise(project=project, name="draw_acceptance_group", by=user)
        else:
            with pytest.raises((NotPermitted, NotFound)):
                action_authorise(project=project, name="draw_acceptance_group", by=user)
        if role not in concludes:
            with pytest.raises((NotPermitted, NotFound)):
                action_authorise(project=project, name="issue_acceptance_letter", by=user)
    # an expert may give an opinion only where drawn into the group
    with pytest.raises(NotPermitted):
        action_authorise(project=project, name="acceptance_opinion", by=world.experts[0].user)


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_each_condition_refused_at_its_boundary_with_its_article(code):
    world = World(code)
    project = world.project()
    policy = POLICIES[code]
    assert [c.article for c in policy.acceptance_conditions] == CONDITION_ARTICLES[code]
    checks = {c.code: c for c in policy.checks_for("issue_acceptance_letter")}
    for condition in policy.acceptance_conditions:
        check = checks[condition.code]
        assert check.article == condition.article and check.severity == "block"
        for met, total, passes in ((2, 3, True), (1, 3, False), (3, 5, True), (2, 5, False), (0, 0, False)):
            ctx = CheckContext(project, params={"conclusion": "passed"})
            ctx.__dict__["_facts"] = {"acceptance_condition_votes": {condition.code: (met, total)}}
            outcome = check.test(ctx)
            assert (outcome is True) is passes, (condition.code, met, total, outcome)
        # a 不合格 conclusion is never refused for an unmet condition
        ctx = CheckContext(project, params={"conclusion": "failed"})
        ctx.__dict__["_facts"] = {"acceptance_condition_votes": {condition.code: (0, 3)}}
        assert check.test(ctx) is True


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_parties_are_data_of_the_policy_and_a_required_one_is_refused_when_missing(code):
    world = World(code)
    project = world.project()
    policy = POLICIES[code]
    parties = policy.acceptance_parties
    check = next(
        (c for c in policy.checks_for("draw_acceptance_group") if c.code == "ANY-group-parties"), None
    )
    if not parties:
        assert check is None  # zhaoyuan-2021, gongshu-draft: an expert group
        return
    full = {f"party:{p.code}": "某单位" for p in parties}
    assert check.test(CheckContext(project, params=full)) is True
    required = [p for p in parties if p.required]
    if required:  # wendeng-2021 第三十五条, laohekou-2024 第二十二条
        missing = {k: v for k, v in full.items() if k != f"party:{required[0].code}"}
        assert required[0].label in check.test(CheckContext(project, params=missing))
    else:  # fangchenggang-2022 第二十七条: at least one of the agencies, or a third party
        assert check.test(CheckContext(project, params={"party:archives": "市档案局"})) is True
        assert "至少一方" in check.test(CheckContext(project, params={"party:archives": ""}))


def test_wendeng_37_catalogue_not_shared_is_in_principle_not_passed(world):
    project = world.project()
    check = next(c for c in project.policy.checks_for("issue_acceptance_letter") if c.code == "WD-37-sharing")
    assert check.article == "第三十七条"
    world.ready_to_submit(project)  # a catalogue entry, not yet on the sharing platform
    assert "尚未纳入共享平台" in check.test(CheckContext(project, params={"conclusion": "passed"}))
    assert check.test(CheckContext(project, params={"conclusion": "failed"})) is True
    resource = project.resources.get()
    resource.registered = resource.connected = True
    resource.save()
    assert check.test(CheckContext(project, params={"conclusion": "passed"})) is True


def _parties(policy):
    return {
        **{f"party:{p.code}": f"{p.label}单位" for p in policy.acceptance_parties},
        **{f"name:{p.code}": "李四" for p in policy.acceptance_parties},
    }


def test_wendeng_group_deadline_met(world, time_machine):
    # Applied on a Monday, the fifth working day is the next Monday: still "due", not "due soon". (Applied on a
    # Sunday, the fifth working day is five calendar days off, and the status is rightly "due soon".)
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 11, 2, 10)), tick=True)
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    group_deadline = next(d for d in project_deadlines(project) if d.code == "WD-35-group")
    assert project.acceptance_applications.get().applied_on == date(2026, 11, 2)
    assert group_deadline.due_on == date(2026, 11, 9)
    assert group_deadline.status == DeadlineStatus.DUE
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    project = Project.objects.get(pk=project.pk)
    group_deadline = next(d for d in project_deadlines(project) if d.code == "WD-35-group")
    assert group_deadline.status == DeadlineStatus.MET
    entry = project.timeline.get(action="acceptance.group.form")
    assert next(c for c in entry.checks if c["code"] == "WD-35-group")["passed"] is True


def test_wendeng_group_deadline_missed_is_warned_once_and_stays_on_the_record(world, time_machine):
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE)
    applied = project.acceptance_applications.get().applied_on
    due = next(d for d in project_deadlines(project) if d.code == "WD-35-group").due_on
    late = due + timedelta(days=1)
    time_machine.move_to(
        timezone.make_aware(timezone.datetime(late.year, late.month, late.day, 10)), tick=False
    )
    for _ in range(2):
        deadlines_check(today=late)
    warnings = DeadlineWarning.objects.filter(project=project, code="WD-35-group", level="overdue")
    assert warnings.count() == 1 and "第三十五条" in warnings.get().source
    world.act(project, "draw_acceptance_group", world.bdc, _parties(project.policy))
    entry = project.timeline.get(action="acceptance.group.form")
    check = next(c for c in entry.checks if c["code"] == "WD-35-group")
    assert check["passed"] is False and check["severity"] == "warn"  # formed late: warned, not blocked
    assert applied < due


def test_rectification_deadline_warned_once_then_met_by_the_report(world, time_machine):
    from tests.factories import pdf_upload

    project = world.project_in_state(ProjectState.RECTIFYING)
    item = project.rectification_items.get()
    late = item.due_on + timedelta(days=1)
    time_machine.move_to(
        timezone.make_aware(timezone.datetime(late.year, late.month, late.day, 10)), tick=False
    )
    for _ in range(3):
        deadlines_check(today=late)
    warned = DeadlineWarning.objects.filter(project=project, code="WD-37-rectify", level="overdue")
    assert warned.count() == 1 and "整改事项" in warned.get().message
    world.act(
        project,
        "rectification_report",
        world.dept,
        {"item": item.pk, "report": "已完成整改。"},
        {"evidence": pdf_upload("整改佐证.pdf")},
    )
    project = Project.objects.get(pk=project.pk)
    rectify = next(d for d in project_deadlines(project, today=late) if d.code == "WD-37-rectify")
    assert rectify.status == DeadlineStatus.LATE


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_every_policy_watches_its_rectification_items(code):
    rules = [d for d in POLICIES[code].deadlines if d.code.endswith("-rectify")]
    assert len(rules) == 1 and rules[0].pending_in == {ProjectState.RECTIFYING}


def _apply(project, by):
    """An acceptance application as `apply_acceptance` records it (its own checks are the walks' and the
    policies' tests; here the group's rounds are under test)."""
    from acceptance.models import AcceptanceApplication

    AcceptanceApplication.objects.create(project=project, applied_on=timezone.localdate(), by=by)
    Project.objects.filter(pk=project.pk).update(state=ProjectState.FINAL_ACCEPTANCE)
    return Project.objects.get(pk=project.pk)


@pytest.mark.parametrize("code", sorted(POLICIES))
def test_failed_then_rectified_and_passed_by_the_same_group_under_each_policy(
    code, django_capture_on_commit_callbacks
):
    from acceptance.models import AcceptanceGroup, AcceptanceVerdict
    from core.models import Organisation
    from projects.services import project_transition
    from tests.factories import pdf_upload

    world = World(code)
    Organisation.objects.filter(pk__in=[world.bdc_org.pk, world.dept_org.pk, world.finance_org.pk]).update(
        short_name="测"
    )
    forms, concludes, _ = ORGANISERS[code]
    by_role = {Role.BDC: world.bdc, Role.DEPARTMENT: world.dept, Role.FINANCE: world.finance}
    former, organiser = by_role[sorted(forms)[0]], by_role[sorted(concludes)[0]]
    for user in (former, organiser):
        user.organisation.refresh_from_db()
    from reviews.enums import ExpertField
    from sharing.services import resource_add
    from tests.factories import CATALOGUE_ENTRY, ExpertFactory, UserFactory

    for i in range(
        3
    ):  # the fields the regulations themselves ask the draw to cover (gongshu 四(二), FCG 第十四条)
        ExpertFactory(
            user=UserFactory(username=f"all{i}", role=Role.EXPERT, organisation=None),
            employer=world.expert_org,
            fields=list(ExpertField.values),
        )
    project = world.project()
    resource = resource_add(project=project, by=world.dept, data=dict(CATALOGUE_ENTRY))
    type(resource).objects.filter(pk=resource.pk).update(registered=True, connected=True)  # 第三十七条 shared
    project = _apply(project, world.dept)

    if former != organiser:  # laohekou-2024: the centre forms the group, 财政局 concludes
        world.act(project, "draw_acceptance_group", former, _parties(project.policy))
    world.accept(project, "failed", organiser=organiser)
    project_transition(project_id=project.pk, name="fail_acceptance", by=organiser, data={})
    project = Project.objects.get(pk=project.pk)
    assert project.state == ProjectState.RECTIFYING
    item = project.rectification_items.get()
    assert (
        next(d for d in project_deadlines(project) if d.code.endswith("-rectify")).status
        == DeadlineStatus.DUE
    )
    world.act(
        project,
        "rectification_report",
        world.dept,
        {"item": item.pk, "report": "已整改。"},
        {"evidence": pdf_upload()},
    )

    project = _apply(project, world.dept)  # round 2: back to the same group
    if code == "fangchenggang-2022":  # 第二十八条: 档案验收 before 验收合格
        world.act(
            project, "archive_acceptance", world.dept, {"note": "档案验收合格。"}, {"file": pdf_upload()}
        )
    world.accept(project, "passed", organiser=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(project_id=project.pk, name="pass_acceptance", by=organiser, data={})
    project = Project.objects.get(pk=project.pk)
    assert project.state == ProjectState.EVALUATION
    assert AcceptanceGroup.objects.filter(project=project).count() == 1
    rounds = list(AcceptanceVerdict.objects.filter(project=project).values_list("round", "conclusion"))
    assert rounds == [(1, "failed"), (2, "passed")]
    result = project.acceptance_results.latest("id")
    assert result.conclusion == "passed" and "（" in result.group_members  # each member with their unit
