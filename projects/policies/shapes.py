"""The shapes that recur across the regulations (a document list, a prohibited list, a filing deadline in
working days, a trial-operation window, a year-end report …): each a factory a policy calls inside the article
that brings it in, with that article's code, numbers and words."""

from datetime import date

from django.utils import timezone

from core.enums import Role
from core.workdays import chinese_date

from ..checks import Check
from ..deadlines import DeadlineRule, month_periods
from ..enums import AcceptanceConclusion, ChangeAspect, ChangeStatus, ProjectState
from .base import BLOCK, WARN, Criterion, Rules


def documents_check(code: str, transition: str, article: str, kinds, requirement: str, **kw) -> Check:
    """A blocking check that the listed kinds of document have been uploaded."""
    from ..enums import DocumentKind

    def test(ctx):
        missing = ctx.missing_documents(kinds)
        return not missing or f"缺少{'、'.join(missing)}。"

    return Check(
        code,
        transition,
        kw.pop("severity", BLOCK),
        article,
        requirement or "已上传" + "、".join(DocumentKind(k).label for k in kinds),
        test,
        **kw,
    )


def prohibited_check(code: str, article: str, what: str) -> Check:
    """A blocking check that the project declares none of the construction kinds the regulation forbids (the
    `prohibited` of its articles: `Policy.prohibited_kinds`)."""
    from ..enums import ConstructionKind

    def test(ctx):
        kinds = ctx.policy.prohibited_kinds
        found = [ConstructionKind(k).label for k in ctx.project.construction_kinds if k in kinds]
        return not found or f"申报内容含{what}：{'、'.join(found)}，按规定不予审批。"

    return Check(code, "submit", BLOCK, article, f"不含{what}", test)


# ---- the shapes that recur across the regulations -----------------------------------------------------


def contract_filing_rules(code: str, article: str, workdays: int, requirement: str) -> Rules:
    """Filing the signed contract within `workdays` working days (the signing day not counted): a warning
    when the contract is filed, and the deadline on the page."""

    def test(ctx):
        signed = ctx.date_param("signed_on")
        if signed is None:
            return None
        due = ctx.calendar.add_workdays(signed, workdays)
        return ctx.today <= due or (
            f"合同于{chinese_date(signed)}签订，应于{chinese_date(due)}前报送备案，今日（{chinese_date(ctx.today)}）备案已逾期。"
        )

    def compute(ctx):
        filing = ctx.contract_filing
        if filing is None:
            return
        yield {
            "opens_on": filing.signed_on,
            "due_on": ctx.calendar.add_workdays(filing.signed_on, workdays),
            "done_on": timezone.localdate(filing.filed_at),
        }

    return Rules(
        checks=(Check(code, "file_contract", WARN, article, requirement, test),),
        # known once filed: never pending
        deadlines=(DeadlineRule(code, "合同备案", article, requirement, compute),),
    )


def supervisor_check(
    code: str, article: str, requirement: str, applies=lambda ctx: True, who: str = "大数据中心派驻"
) -> Check:
    def test(ctx):
        return ctx.supervisor is not None or f"尚未落实监理单位：须由{who}监理单位后方可合同备案、开工建设。"

    return Check(code, "file_contract", BLOCK, article, requirement, test, applies=applies)


def change_checks(code: str, article: str) -> tuple[Check, ...]:
    """A change that needs approval (re-review) holds the project until it is decided: before construction
    starts, before it is declared complete, and before acceptance."""

    def test(ctx):
        pending = [c for c in ctx.change_requests if c.status == ChangeStatus.SUBMITTED]
        if not pending:
            return True
        what = "；".join(c.aspect_labels() or c.description[:20] for c in pending)
        return f"有{len(pending)}项变更（{what}）须经审核批准后方可继续：请等待大数据中心审核。"

    return tuple(
        Check(code, transition, BLOCK, article, "较大变更已重新履行审核手续", test)
        for transition in ("file_contract", "complete_construction", "apply_acceptance")
    )


def change_review_criteria(article: str) -> tuple[Criterion, ...]:
    """What the experts re-reviewing a major change grade (符合/基本符合/不符合), under the article that has the
    change 重新履行审核手续: the review of the declaration, narrowed to what the change alters."""
    return (
        Criterion("necessity", "变更的必要性", article),
        Criterion("feasibility", "技术方案可行性", article),
        Criterion("investment", "投资调整合理性", article),
        Criterion("impact", "对建设目标和进度的影响", article),
    )


def change_review_check(code: str, article: str) -> Check:
    """A change re-reviewed by experts is decided once its panel is drawn and every seated expert has submitted
    (the fact `change_reviews_pending`: change id → {"drawn", "missing"}). With the change chosen the check is
    exact; on the list it fails only when every pending change still waits for its panel."""

    def test(ctx):
        pending_reviews = ctx.fact("change_reviews_pending")
        outstanding = {pk: v["missing"] for pk, v in pending_reviews.items() if v["missing"]}
        change = ctx.param("change")
        if change not in (None, ""):
            return outstanding.get(getattr(change, "pk", change)) or True
        pending = [c.pk for c in ctx.change_requests if c.status == ChangeStatus.SUBMITTED]
        if pending and all(pk in outstanding for pk in pending):
            return "；".join(outstanding[pk] for pk in pending)
        return None if outstanding else True

    return Check(code, "decide_change", BLOCK, article, "较大变更已经随机抽取的专家组评审", test)


# States in which a project is being built (its annual reports fall due).
BUILDING = frozenset(
    {
        ProjectState.CONSTRUCTION,
        ProjectState.SUSPENDED,
        ProjectState.PRELIMINARY_ACCEPTANCE,
        ProjectState.FINAL_ACCEPTANCE,
        ProjectState.RECTIFYING,
    }
)


def year_end_report_rule(
    code: str, label: str, article: str, kind: str, requirement: str, states, since
) -> DeadlineRule:
    """A report of `kind` due by 12月31日 of every year from `since(ctx)` while the project is in `states`."""

    def compute(ctx):
        if ctx.project.state not in states:
            return
        first = since(ctx)
        if first is None:
            return
        uploads = [timezone.localdate(v.uploaded_at) for v in ctx.versions_of(kind)]
        uploads += [r.reported_on for r in ctx.progress_reports]  # the structured report (progress_report)
        for year in range(first.year, ctx.today.year + 1):
            done = [d for d in uploads if d.year == year]
            yield {
                "period": str(year),
                "opens_on": max(first, date(year, 1, 1)),
                "due_on": date(year, 12, 31),
                "done_on": min(done) if done else None,
            }

    return DeadlineRule(
        code, label, article, requirement, compute, soon_days=30, pending_in=frozenset(states)
    )  # due soon from 12月1日


def acceptance_group_rules(code: str, article: str, workdays: int) -> Rules:
    """The reviewing body forms the acceptance group within `workdays` working days of the application."""
    requirement = f"收到验收申请后{workdays}个工作日内组成验收组进行竣工验收"

    def due(ctx):
        application = ctx.acceptance_application
        return None if application is None else ctx.calendar.add_workdays(application.applied_on, workdays)

    def test(ctx):
        last = due(ctx)
        if last is None:
            return True
        return (
            ctx.today <= last
            or f"验收申请于{chinese_date(ctx.acceptance_application.applied_on)}收到，应于{chinese_date(last)}前组成验收组，已逾期。"
        )

    def compute(ctx):
        application = ctx.acceptance_application
        if application is None:
            return
        group = ctx.acceptance_group
        # A re-application after rectification goes back to the group formed for the first one.
        formed = None if group is None else max(group.formed_on, application.applied_on)
        yield {"opens_on": application.applied_on, "due_on": due(ctx), "done_on": formed}

    return Rules(
        checks=(Check(code, "draw_acceptance_group", WARN, article, requirement, test),),
        deadlines=(
            DeadlineRule(
                code,
                "组成验收组",
                article,
                requirement,
                compute,
                owner="bdc",
                pending_in=frozenset({ProjectState.FINAL_ACCEPTANCE}),
            ),
        ),
    )


def trial_start(ctx) -> date | None:
    completion = ctx.completion
    return completion.trial_started_on if completion else None


def completed_on(ctx) -> date | None:
    completion = ctx.completion
    return timezone.localdate(completion.at) if completion else None


def accepted_on(ctx) -> date | None:
    result = ctx.acceptance_result
    if result is None or result.conclusion != AcceptanceConclusion.PASSED:
        return None
    return result.decided_on


def trial_rules(
    code: str, article: str, min_months: int, max_months: int | None, start, requirement: str
) -> Rules:
    """Acceptance may be applied for only inside the trial-operation window counted from `start(ctx)`."""
    from core.workdays import add_months

    def window(ctx):
        first = start(ctx)
        if first is None:
            return None, None, None
        return first, add_months(first, min_months), add_months(first, max_months) if max_months else None

    def test(ctx):
        first, opens, closes = window(ctx)
        if first is None:
            return "尚无完工自检记录，无法确定试运行开始日期。"
        if ctx.today < opens:
            return f"试运行自{chinese_date(first)}开始，须满{min_months}个月，{chinese_date(opens)}起方可申请验收。"
        if closes is not None and ctx.today > closes:
            return (
                f"试运行自{chinese_date(first)}开始，已超过{max_months}个月（{chinese_date(closes)}止），"
                "不符合验收条件：请与审核机构商定重新试运行后再申请。"
            )
        return True

    def compute(ctx):
        first, opens, closes = window(ctx)
        if first is None:
            return
        application = ctx.acceptance_application
        applied = application.applied_on if application and application.applied_on >= first else None
        yield {"opens_on": opens, "due_on": closes, "done_on": applied}

    return Rules(
        checks=(Check(code, "apply_acceptance", BLOCK, article, requirement, test),),
        deadlines=(
            DeadlineRule(
                code,
                "试运行期满申请验收",
                article,
                requirement,
                compute,
                pending_in=frozenset({ProjectState.PRELIMINARY_ACCEPTANCE, ProjectState.RECTIFYING}),
            ),
        ),
    )


def approval_validity_rules(code: str, article: str) -> Rules:
    """An approval carries its validity; a project not started (procurement) by then is cancelled."""
    requirement = "在核准文件有效期内启动建设（启动采购），逾期未启动的项目自动取消"

    def test(ctx):
        valid_until = ctx.date_param("valid_until")
        if not ctx.params:
            return None
        if valid_until is None:
            return "须填写核准文件有效期：有效期内未启动建设的项目将自动取消。"
        return valid_until > ctx.today or "核准文件有效期须晚于今天。"

    def compute(ctx):
        project = ctx.project
        if project.valid_until is None or project.approved_at is None:
            return
        if project.state != ProjectState.APPROVED:
            return  # started (or cancelled): the validity no longer matters
        yield {"opens_on": timezone.localdate(project.approved_at), "due_on": project.valid_until}

    return Rules(
        checks=(Check(code, "approve", BLOCK, article, "核准文件载明有效期", test),),
        deadlines=(
            DeadlineRule(
                code,
                "有效期内启动建设",
                article,
                requirement,
                compute,
                cancels=True,
                pending_in=frozenset({ProjectState.APPROVED}),
            ),
        ),
    )


def major_change_rule(aspects_needing_approval: tuple[str, ...], body: str):
    """A change touching any of `aspects_needing_approval` goes back to `body` for review; others are filed."""
    labels = "、".join(ChangeAspect(a).label for a in aspects_needing_approval)

    def rule(project, aspects, amount_change, new_total):
        major = [ChangeAspect(a).label for a in aspects if a in aspects_needing_approval]
        if major:
            return True, f"{'、'.join(major)}发生较大变化，须向{body}提交书面申请，重新履行审核手续。"
        return False, f"未涉及{labels}的较大变化，报{body}备案。"

    return rule


# ---- construction under watch (issue 13): periodic reports and the monthly risk rating --------------------


def contract_signed_on(ctx) -> date | None:
    return ctx.contract_filing.signed_on if ctx.contract_filing else None


def _first_done(rows, key, when) -> dict[str, date]:
    done: dict[str, date] = {}
    for row in rows:
        k, d = key(row), when(row)
        if k not in done or d < done[k]:
            done[k] = d
    return done


def periodic_rule(
    code: str,
    label: str,
    article: str,
    requirement: str,
    *,
    owner: str,
    done,
    setting: str,
    states=frozenset({ProjectState.CONSTRUCTION}),
    since=contract_signed_on,
    applies=lambda ctx: True,
) -> DeadlineRule:
    """A report (or rating) due for every period from `since(ctx)` while the project is in `states`: periods of
    the months the jurisdiction sets (`OversightSettings.<setting>`, one month by default), each due by its last
    day; `done(ctx)` gives {period key: the date it was done}."""

    def compute(ctx):
        if ctx.project.state not in states or not applies(ctx):
            return
        first = since(ctx)
        if first is None:
            return
        found = done(ctx)
        for key, opens, due in month_periods(first, ctx.today, ctx.oversight_value(setting, 1)):
            yield {"period": key, "opens_on": max(first, opens), "due_on": due, "done_on": found.get(key)}

    return DeadlineRule(code, label, article, requirement, compute, owner=owner, pending_in=frozenset(states))


def _local(at) -> date:
    return timezone.localdate(at)


def supervision_report_rule(code: str, article: str, requirement: str) -> DeadlineRule:
    """The supervisor's periodic report while the project is built, once a supervisor is arranged."""
    return periodic_rule(
        code,
        "监理报告",
        article,
        requirement,
        owner=Role.SUPERVISOR,
        setting="supervision_report_months",
        done=lambda ctx: _first_done(ctx.supervision_reports, lambda r: r.period, lambda r: _local(r.at)),
        applies=lambda ctx: ctx.supervisor is not None,
    )


def progress_report_rule(code: str, label: str, article: str, requirement: str) -> DeadlineRule:
    """The department's periodic progress and budget-execution report (双监控)."""
    return periodic_rule(
        code,
        label,
        article,
        requirement,
        owner=Role.DEPARTMENT,
        setting="progress_report_months",
        done=lambda ctx: _first_done(ctx.progress_reports, lambda r: r.period, lambda r: r.reported_on),
    )


RISK_RATING_REQUIREMENT = (
    "大数据中心每月对建设中的项目作风险评级（1为高风险至5为低风险，平台规程），"
    "以便及时发现工程严重逾期、投资重大损失并责令整改或暂停"
)


def risk_rating_rule(code: str, article: str) -> DeadlineRule:
    """The reviewing body's monthly risk rating of a project under construction: not a regulation's own
    period but the platform's way of carrying out the article that has the body order rectification or a
    suspension; a month without a rating is itself a warning."""

    def compute(ctx):
        first = contract_signed_on(ctx)
        if ctx.project.state != ProjectState.CONSTRUCTION or first is None:
            return
        found = _first_done(ctx.risk_ratings, lambda r: r.month, lambda r: _local(r.at))
        for key, opens, due in month_periods(first, ctx.today, 1):
            yield {"period": key, "opens_on": max(first, opens), "due_on": due, "done_on": found.get(key)}

    return DeadlineRule(
        code,
        "月度风险评级",
        article,
        RISK_RATING_REQUIREMENT,
        compute,
        owner=Role.BDC,
        pending_in=frozenset({ProjectState.CONSTRUCTION}),
    )


def supervisor_opinions(code: str, article: str, transition: str = "progress_report") -> Check:
    """fangchenggang-2022 第二十三条: the performance report is formed after asking the users and the supervisor
    (the yearly report with the progress report; the self-evaluation with `transition="self_evaluation"`)."""

    def test(ctx):
        missing = [
            label
            for key, label in (("users_opinion", "使用单位"), ("supervisor_opinion", "监理单位"))
            if not (ctx.param(key) or "").strip()
        ]
        if not ctx.params:
            return None
        return not missing or f"绩效评价报告须征求{'、'.join(missing)}的意见并写入报告。"

    return Check(code, transition, BLOCK, article, "已征求项目使用单位和监理单位的意见", test)


AFTER_ACCEPTANCE_APPLIED = frozenset(
    {ProjectState.FINAL_ACCEPTANCE, ProjectState.RECTIFYING, ProjectState.EVALUATION, ProjectState.ARCHIVED}
)


def rectification_rule(code: str, article: str, requirement: str) -> DeadlineRule:
    """Each rectification item of a 不合格 conclusion is reported on by its deadline (the group sets it)."""

    def compute(ctx):
        if ctx.project.state not in AFTER_ACCEPTANCE_APPLIED:  # no conclusion yet, so no items: no query
            return
        for item in ctx.rectification_items:
            yield {
                "period": f"整改事项{item.verdict_id}-{item.number}",
                "due_on": item.due_on,
                "done_on": item.reported_on,
            }

    return DeadlineRule(
        code, "整改事项", article, requirement, compute, pending_in=frozenset({ProjectState.RECTIFYING})
    )
