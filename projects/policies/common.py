"""The checks DOMAIN.md asks of every project whatever the regulation, as factories: a policy calls each
inside the article that brings it in (`catalogue_present("ANY-catalogue", "第十六条")` in 第十六条); a
policy whose regulation does not bring one in (or states it more strictly) does not call it. Facts only a
higher app holds (the panel's conflicts, the experts' scores) are read through `ctx.fact`."""

from ..checks import Check, CheckContext
from ..enums import DocumentKind, ProjectState
from .base import BLOCK


def _catalogue_present(ctx: CheckContext):
    return (
        bool(ctx.resources)
        or "尚未填报数据资源目录：请在“数据资源目录”中至少登记一项本项目产生或使用的数据资源。"
    )


def _prereview_passed(ctx: CheckContext):
    pre = ctx.prereview
    if pre is None:
        return "尚未进行预审（初审）：须由大数据中心出具预审意见后方可启动评审。"
    return pre.passed or "预审（初审）未通过：须修改后重新预审。"


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
    if not ctx.params:
        return None
    return bool((ctx.param("group_members") or "").strip()) or "须填写验收组成员。"


def _acceptance_letter(ctx: CheckContext):
    return (
        bool({DocumentKind.ACCEPTANCE_LETTER, DocumentKind.ACCEPTANCE_REPORT} & ctx.document_kinds)
        or "尚未出具竣工验收意见（验收报告）。"
    )


def _evaluation_recorded(ctx: CheckContext):
    if ctx.evaluation is None:
        return "尚未填报绩效自评：须对照申报时设定的绩效目标进行评价。"
    return not ctx.missing_documents([DocumentKind.SELF_EVALUATION]) or "缺少绩效自评报告。"


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
    return Check(code, "pass_acceptance", BLOCK, article, "已组成验收组", _group_formed)


def acceptance_letter(code: str, article: str) -> Check:
    return Check(code, "pass_acceptance", BLOCK, article, "已出具竣工验收意见", _acceptance_letter)


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
