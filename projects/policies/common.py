"""The checks DOMAIN.md asks of every project whatever the regulation, as factories: a policy calls each
inside the article that brings it in (`catalogue_present("ANY-catalogue", "第十六条")` in 第十六条); a
policy whose regulation does not bring one in (or states it more strictly) does not call it. Facts only a
higher app holds (the panel's conflicts, the experts' scores) are read through `ctx.fact`."""

from ..checks import Check, CheckContext
from ..enums import AcceptanceConclusion, DocumentKind, ProjectState
from .base import BLOCK


def _catalogue_present(ctx: CheckContext):
    return (
        bool(ctx.resources)
        or "尚未填报数据资源目录：请在“数据资源目录”中至少登记一项本项目产生或使用的数据资源。"
    )


def prereview_of_declaration(ctx: CheckContext):
    """The latest pre-review of the project's current declaration, for the pre-review's deadline (gongshu-draft
    四(二): 申报后5个工作日内): one made before a 退回修改 and a new 提交申报 was of the earlier declaration."""
    pre = ctx.prereview
    declared = ctx.project.declared_at
    if pre is None or (declared is not None and pre.at < declared):
        return None
    return pre


def _prereview_passed(ctx: CheckContext):
    pre = (
        ctx.prereview
    )  # the latest: after 完善/拆分/合并 and a new 提交申报 it still says so, until pre-reviewed again
    if pre is None:
        return "尚未进行预审（初审）：须由大数据中心出具预审意见后方可启动评审。"
    if pre.passed:
        return True
    return f"预审结论为“{pre.get_outcome_display()}”，未通过预审：须修改后重新预审。"


def _panel_formed(ctx: CheckContext):
    size = ctx.policy.panel_size
    members = ctx.panel
    if len(members) < size:
        return f"评审专家组人数不足：至少须{size}名专家，现有{len(members)}名。"
    if len(members) % 2 == 0:
        return f"评审专家组人数须为奇数，现有{len(members)}名。"
    clashes = ctx.fact("panel_conflicts")  # the declaring department, co-builders and the draw's bidders
    if clashes:
        return f"{'；'.join(clashes)}：与申报单位、共建单位或投标单位存在利害关系，须回避并另行抽取。"
    return True


def _opinion_recorded(ctx: CheckContext):
    return ctx.review_opinion is not None or "项目已进入评审，不予立项须有评审意见。"


def _opinion_passing(ctx: CheckContext):
    opinion = ctx.review_opinion
    if opinion is None:
        return "尚无评审意见：须由大数据中心出具评审意见。"
    if not opinion.passing:
        return f"评审结论为“{opinion.get_conclusion_display()}”，不能立项。"
    if opinion.document_id is None:
        return "评审意见尚未正式出具（无评审意见文件）。"
    return True


def _budget_within_declared(ctx: CheckContext):
    amount = ctx.decimal_param("approved_amount")
    if amount is None:
        return None
    declared = ctx.project.declared_amount
    return amount <= declared or f"批复金额{amount}万元超过申报金额{declared}万元。"


def _contract_filed(ctx: CheckContext):
    missing = ctx.missing_documents([DocumentKind.CONTRACT, DocumentKind.AWARD_NOTICE])
    if missing:
        return f"缺少{'、'.join(missing)}：合同备案须上传合同文本和中标通知书。"
    amount = ctx.decimal_param("contract_amount")
    if amount is None:
        return None
    budget = ctx.project.approved_amount
    if budget is None:
        return "项目尚无批复金额。"
    return amount <= budget or f"合同金额{amount}万元超过批复金额{budget}万元。"


def _self_check_done(ctx: CheckContext):
    if not ctx.params:
        return None
    failed = [
        label
        for key, label in (
            ("goals_met", "实现预期目标"),
            ("functions_complete", "承诺软件功能齐全"),
            ("hardware_matches", "硬件品牌型号数量匹配"),
        )
        if not ctx.param(key)
    ]
    if failed:
        return f"初步核验未通过：{'、'.join(failed)}。"
    return bool(ctx.param("trial_started_on")) or "须填写试运行开始日期。"


def _application_letter(ctx: CheckContext):
    return not ctx.missing_documents([DocumentKind.ACCEPTANCE_APPLICATION]) or "缺少《项目验收申请函》。"


def _security_assessed(ctx: CheckContext):
    return (
        not ctx.missing_documents([DocumentKind.SECURITY_ASSESSMENT])
        or "缺少安全测评报告：须通过网络与信息安全风险评估。"
    )


def data_shared(ctx: CheckContext):
    """The catalogue is on the sharing platform and its data connected (a predicate policies reuse)."""
    if not ctx.resources:
        return "数据资源目录为空：项目信息资源须纳入共享平台。"
    pending = [r.name for r in ctx.resources if not (r.registered and r.connected)]
    if pending:
        return f"以下数据资源尚未纳入共享平台目录或未完成数据接入：{'、'.join(pending)}。"
    return True


def _group_formed(ctx: CheckContext):
    return ctx.acceptance_group is not None or (
        "尚未组成验收组：须从专家库抽取验收专家，会同有关单位组成验收组（“组成验收组”）。"
    )


def _letter_test(conclusion: str):
    """The current round's 竣工验收意见函 is issued (its PDF made) with `conclusion` — an issued letter, not
    an upload. The acceptance app offers the fact: {"number", "status", "conclusion"} or None."""
    wanted = AcceptanceConclusion(conclusion).label

    def test(ctx: CheckContext):
        letter = ctx.fact("acceptance_letter")
        if letter is None:
            return "尚未出具竣工验收意见函：须由验收组织单位记录验收结论，印发竣工验收意见函。"
        if letter["status"] == "pending":
            return f"竣工验收意见函{letter['number']}正在生成PDF，请稍候。"
        if letter["status"] != "ready":
            return f"竣工验收意见函{letter['number']}生成失败，请“重新生成”（沿用原发文字号）。"
        if letter["conclusion"] != conclusion:
            shown = AcceptanceConclusion(letter["conclusion"]).label
            return f"竣工验收意见函{letter['number']}的验收结论为“{shown}”，不是“{wanted}”。"
        return True

    return test


def _opinions_complete(ctx: CheckContext):
    missing = ctx.fact("acceptance_opinions_missing")
    return not missing or f"以下验收专家尚未提交本轮验收意见：{'、'.join(missing)}。"


def _parties_named(ctx: CheckContext):
    """The representatives of the parties the regulation names, each with a unit and a name."""
    if not ctx.params:
        return None
    parties = ctx.policy.acceptance_parties
    named = {p.code for p in parties if (ctx.param(f"party:{p.code}") or "").strip()}
    missing = [p.label for p in parties if p.required and p.code not in named]
    if missing:
        return f"验收组须有{'、'.join(missing)}的代表：请填写其单位和姓名。"
    if parties and not any(p.required for p in parties) and not named:
        return f"验收组须有{'、'.join(p.label for p in parties)}中至少一方的代表（或受委托的第三方机构）。"
    return True


def _evaluation_recorded(ctx: CheckContext):
    evaluation = ctx.fact("self_evaluation")  # the performance app's record
    if evaluation is None:
        return "尚未填报绩效自评：须对照申报时设定的绩效目标进行评价。"
    return evaluation["has_report"] or "缺少绩效自评报告。"


def _targets_set(quantified: bool):
    def test(ctx: CheckContext):
        targets = ctx.fact("performance_targets")  # the performance app's record
        if targets is None or not targets["indicators"]:
            return "尚未设定绩效目标和绩效指标：请在项目页“绩效目标”中填写绩效目标及各项指标的目标值。"
        if quantified and not any(i["quantitative"] for i in targets["indicators"]):
            return "绩效指标须清晰、量化、便于考核：至少一项指标须有数值目标（≥ 或 ≤ 目标值）。"
        return True

    return test


# ---- the factories: each makes the check under the code and article its policy gives ------------------


def catalogue_present(code: str, article: str) -> Check:
    return Check(code, "submit", BLOCK, article, "已编制数据资源目录", _catalogue_present)


def prereview_passed(code: str, article: str) -> Check:
    return Check(code, "start_review", BLOCK, article, "预审（初审）已通过", _prereview_passed)


def panel_formed(code: str, article: str) -> Check:
    return Check(code, "start_review", BLOCK, article, "已组成评审专家组（奇数、无利害关系）", _panel_formed)


def reject_opinion_recorded(code: str, article: str) -> Check:
    return Check(
        code,
        "reject",
        BLOCK,
        article,
        "已开展评审的，须有评审意见",
        _opinion_recorded,
        applies=lambda ctx: ctx.project.state == ProjectState.REVIEWING,
    )


def opinion_passing(code: str, article: str) -> Check:
    return Check(code, "approve", BLOCK, article, "评审意见已出具且结论为通过或修改后通过", _opinion_passing)


def budget_within_declared(code: str, article: str) -> Check:
    return Check(
        code, "approve", BLOCK, article, "财政批复金额已填写且不超过申报金额", _budget_within_declared
    )


def contract_filed(code: str, article: str) -> Check:
    return Check(
        code,
        "file_contract",
        BLOCK,
        article,
        "已上传合同和中标通知书，合同金额不超过批复金额",
        _contract_filed,
    )


def self_check_done(code: str, article: str) -> Check:
    return Check(
        code, "complete_construction", BLOCK, article, "已完成初步核验并确定试运行开始日期", _self_check_done
    )


def application_letter(code: str, article: str) -> Check:
    return Check(code, "apply_acceptance", BLOCK, article, "已提交项目验收申请函", _application_letter)


def security_assessed(code: str, article: str) -> Check:
    return Check(code, "apply_acceptance", BLOCK, article, "已完成安全测评", _security_assessed)


def catalogue_connected(code: str, article: str) -> Check:
    return Check(
        code, "apply_acceptance", BLOCK, article, "数据资源目录已纳入共享平台并完成数据接入", data_shared
    )


def group_formed(code: str, article: str) -> Check:
    return Check(code, "issue_acceptance_letter", BLOCK, article, "已组成验收组", _group_formed)


def acceptance_letter(code: str, article: str) -> Check:
    return Check(
        code,
        "pass_acceptance",
        BLOCK,
        article,
        "已印发验收结论为“合格”的竣工验收意见函",
        _letter_test(AcceptanceConclusion.PASSED),
    )


def acceptance_letter_failed(code: str, article: str) -> Check:
    return Check(
        code,
        "fail_acceptance",
        BLOCK,
        article,
        "已印发验收结论为“不合格”的竣工验收意见函（列明整改事项）",
        _letter_test(AcceptanceConclusion.FAILED),
    )


def acceptance_opinions_complete(code: str, article: str) -> Check:
    return Check(
        code,
        "issue_acceptance_letter",
        BLOCK,
        article,
        "验收组每位专家已就验收条件提交本轮意见",
        _opinions_complete,
    )


def group_parties(code: str, article: str) -> Check:
    return Check(
        code, "draw_acceptance_group", BLOCK, article, "验收组有办法规定的参加单位的代表", _parties_named
    )


def acceptance_condition_checks(conditions) -> tuple[Check, ...]:
    """One check per acceptance condition of the policy (`Article.acceptance_conditions`), under the condition's
    own code and article: a conclusion 合格 needs more than half of the group's experts to find it met."""

    def make(condition):
        def test(ctx: CheckContext):
            if not ctx.params:
                return None
            if ctx.param("conclusion") != AcceptanceConclusion.PASSED:
                return True
            met, total = ctx.fact("acceptance_condition_votes").get(condition.code, (0, 0))
            if total == 0:
                return f"验收专家尚未就“{condition.label}”提出意见。"
            if met * 2 > total:
                return True
            return (
                f"{total}名验收专家中仅{met}名认为“{condition.label}”已满足（须过半数认为满足），"
                "不能作出“合格”结论。"
            )

        return Check(
            condition.code,
            "issue_acceptance_letter",
            BLOCK,
            condition.article,
            f"验收条件：{condition.label}",
            test,
        )

    return tuple(make(c) for c in conditions)


def targets_set(code: str, article: str, quantified: bool = False) -> Check:
    """The 绩效目标 and its indicators set before the declaration is submitted (`quantified`: at least one with a
    numeric target)."""
    requirement = "已设定绩效目标和绩效指标" + ("（含量化指标）" if quantified else "")
    return Check(code, "submit", BLOCK, article, requirement, _targets_set(quantified))


def evaluation_recorded(code: str, article: str) -> Check:
    return Check(code, "archive", BLOCK, article, "已对照绩效目标完成绩效评价", _evaluation_recorded)


# ---- checks a policy states itself that read a higher app's facts -------------------------------------


def criteria_scored(ctx: CheckContext):
    """Every active panel expert has scored every review criterion of the policy (the scores live in reviews)."""
    missing = ctx.fact("review_scores_missing")
    if not missing:
        return True
    shown = "；".join(missing[:5]) + ("等" if len(missing) > 5 else "")
    return f"尚有{len(missing)}项评审内容未评分：{shown}。"


def fields_covered(ctx: CheckContext):
    """The drawn experts cover every field (领域) the project needs."""
    missing = ctx.fact("panel_fields_uncovered")
    return not missing or f"评审专家组缺少以下领域的专家：{'、'.join(missing)}。"


def _rectification_reported(ctx: CheckContext):
    pending = [i for i in ctx.rectification_items if i.reported_on is None]
    if not pending:
        return True
    shown = "；".join(f"{i.number}. {i.text[:20]}（{i.owner}）" for i in pending[:5])
    return f"尚有{len(pending)}项整改事项未报告整改情况：{shown}。"


def rectification_reported(code: str, article: str) -> Check:
    """Re-application after a 不合格 conclusion: every rectification item reported on, with its evidence."""
    return Check(
        code,
        "apply_acceptance",
        BLOCK,
        article,
        "整改后重新申请验收的，每项整改事项已报告整改情况并附佐证材料",
        _rectification_reported,
        applies=lambda ctx: ctx.project.state == ProjectState.RECTIFYING,
    )
