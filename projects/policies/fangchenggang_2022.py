"""《防城港市政务信息化项目建设管理办法（试行）》."""

from decimal import Decimal

from core.workdays import chinese_date

from ..checks import Check
from ..enums import DocumentKind as K
from ..enums import ProjectState as S
from .base import (
    BLOCK,
    BUILDING,
    DEPARTMENT,
    DEVELOPMENT,
    WARN,
    Actor,
    Criterion,
    DeadlineRule,
    Policy,
    change_checks,
    completed_on,
    documents_check,
    supervisor_check,
    year_end_report_rule,
)
from .common import catalogue_connected

# 第十条: "总投资400万元以上" excludes 400 (the next tier says "400万元（含）以下"); "200万元（含）以下".
TIER_LOW = Decimal("200.00")
TIER_HIGH = Decimal("400.00")


def tier_documents(project) -> tuple[str, ...]:
    """第十条: the documents approved for a project of its total investment on the ordinary path."""
    amount = project.declared_amount
    if amount > TIER_HIGH:
        return (K.PROPOSAL, K.FEASIBILITY_REPORT, K.PRELIMINARY_DESIGN, K.INVESTMENT_ESTIMATE)
    if amount > TIER_LOW:
        return (K.PROPOSAL, K.FEASIBILITY_REPORT)
    return (K.PROPOSAL,)


def tier_paths(project) -> list[tuple[str, tuple[str, ...]]]:
    """第十条: each acceptable set of documents, named. A project in a plan may start at the feasibility
    report; an emergency project may go straight to feasibility report, design and estimate."""
    ordinary = tier_documents(project)
    paths = [("", ordinary)]
    if project.in_plan:
        # 已纳入国家、自治区或市本级政务信息化建设规划的项目，可以直接编报可行性研究报告。
        paths.append(("已纳入规划", tuple(d for d in ordinary if d != K.PROPOSAL) or (K.FEASIBILITY_REPORT,)))
    if project.is_emergency:
        # 情况紧急 … 可以直接编报项目可行性研究报告、初步设计方案和投资概算。
        paths.append(("紧急项目", (K.FEASIBILITY_REPORT, K.PRELIMINARY_DESIGN, K.INVESTMENT_ESTIMATE)))
    return paths


def _tier(ctx):
    paths = tier_paths(ctx.project)
    if any(not ctx.missing_documents(kinds) for _, kinds in paths):
        return True
    missing = ctx.missing_documents(paths[0][1])
    text = f"总投资{ctx.project.declared_amount}万元的项目须报批：缺少{'、'.join(missing)}"
    for name, kinds in paths[1:]:
        text += f"；或按{name}路径报批：缺少{'、'.join(ctx.missing_documents(kinds))}"
    return text + "。"


def _chapters(ctx):
    problems = []
    for kind in (K.FEASIBILITY_REPORT, K.PRELIMINARY_DESIGN):
        version = ctx.latest_version(kind)
        if version is None:
            continue
        if not version.has_sharing_chapter:
            problems.append(f"{K(kind).label}缺少信息资源共享开放分析篇")
        if not version.has_security_chapter:
            problems.append(f"{K(kind).label}缺少项目系统安全分析篇")
    return not problems or "；".join(problems) + "。"


def _catalogue(ctx):
    return bool(ctx.resources) or "信息资源目录是审批政务信息化项目的必备条件：至少须登记一项数据资源。"


# 第十四条: 评估报告应当包括对信息资源共享开放分析篇（章）、项目系统安全分析篇（章）的评估意见。
CRITERIA = (
    Criterion("fcg-sharing", "信息资源共享开放分析篇（章）", "第十四条"),
    Criterion("fcg-security", "项目系统安全分析篇（章）", "第十四条"),
)

# 第二十六条: 资金调整数额不超过概算总投资15%、建设目标不变、未超出概算批复的，由建设单位调整并备案。
CHANGE_SHARE = Decimal("0.15")


def _change_rule(project, aspects, amount_change, new_total):
    estimate = project.budget
    reasons = []
    if "goals" in aspects:
        reasons.append("建设目标改变")
    if new_total is not None and new_total > estimate:
        reasons.append(f"调整后总投资{new_total}万元超出概算批复{estimate}万元")
    limit = (estimate * CHANGE_SHARE).quantize(Decimal("0.01"))
    if abs(amount_change) > limit:
        reasons.append(f"资金调整数额{abs(amount_change)}万元超过概算总投资的15%（{limit}万元）")
    if reasons:
        return True, "；".join(reasons) + "：须向市发展和改革委提出调整申请。"
    return False, "投资规模未超出概算批复、建设目标不变且资金调整不超过概算总投资15%：由建设单位调整并备案。"


# 第二十三条: 在建设期内每年年底前提交项目绩效评价报告。
PERFORMANCE_REPORT = year_end_report_rule(
    "FCG-23-report",
    "年度绩效评价报告",
    "第二十三条",
    K.PERFORMANCE_REPORT,
    "建设期内每年年底前向市发展和改革委、大数据和行政审批局提交项目绩效评价报告",
    BUILDING,
    lambda ctx: ctx.contract_filing and ctx.contract_filing.signed_on,
)
# 第二十七条: 建成后半年内验收；不能按期申请验收的，提出延期验收申请。
ACCEPTANCE_MONTHS = 6


def _acceptance_due(ctx):
    from core.workdays import add_months

    done = completed_on(ctx)
    return None if done is None else add_months(done, ACCEPTANCE_MONTHS)


def _acceptance_in_time(ctx):
    due = _acceptance_due(ctx)
    if due is None or ctx.today <= due:
        return True
    if K.EXTENSION_APPLICATION in ctx.document_kinds:
        return True
    return f"项目于{chinese_date(completed_on(ctx))}建成，应于{chinese_date(due)}前完成验收，且未提出延期验收申请。"


def _acceptance_deadline(ctx):
    from acceptance.models import AcceptanceResult

    due = _acceptance_due(ctx)
    if due is None:
        return
    result = ctx.acceptance_result
    passed = result.decided_on if result and result.conclusion == AcceptanceResult.Conclusion.PASSED else None
    extended = K.EXTENSION_APPLICATION in ctx.document_kinds
    yield {
        "opens_on": completed_on(ctx),
        "due_on": due,
        "done_on": passed,
        "note": "已提出延期验收申请。" if extended and passed is None else "",
    }


POLICY = Policy(
    code="fangchenggang-2022",
    version="2022-12",
    jurisdiction="防城港市",
    title="防城港市政务信息化项目建设管理办法（试行）",
    document_number="",
    issued=None,
    reviewing_body="市大数据和行政审批局",
    review_criteria=CRITERIA,
    change_rule=_change_rule,
    change_article="第二十六条",
    actors={
        # 第四条: 市发展和改革委负责项目审批。
        "approve": (Actor(DEVELOPMENT, "第四条", "市发展和改革委"),),
        # 第二十二条: 项目建设单位 … 委托工程监理单位对项目建设进行工程监理。
        "assign_supervisor": (Actor(DEPARTMENT, "第二十二条", "项目建设单位", owner_only=True),),
        # 第二十七条: 经市发展和改革委同意后，可由项目建设单位自行组织 … 或委托第三方机构进行验收。
        "pass_acceptance": (Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),),
        "fail_acceptance": (Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),),
        # 第二十八条: 项目建设单位 … 做好项目档案管理；未进行档案验收 … 不得通过项目验收。
        "archive_acceptance": (Actor(DEPARTMENT, "第二十八条", "项目建设单位", owner_only=True),),
    },
    deadlines=(
        PERFORMANCE_REPORT,
        DeadlineRule(
            "FCG-27-timing",
            "建成后半年内验收",
            "第二十七条",
            "项目建成后半年内完成验收，不能按期验收的提出延期验收申请",
            _acceptance_deadline,
            soon_days=31,
            pending_in=frozenset({S.PRELIMINARY_ACCEPTANCE, S.FINAL_ACCEPTANCE, S.RECTIFYING}),
        ),
    ),
    articles={
        "ANY-catalogue": None,  # stated as FCG-14-catalogue below
        "ANY-prereview": None,  # no pre-review stage in this regulation
        "ANY-panel": "第十四条",
        "ANY-reject-opinion": "第十四条",
        "ANY-opinion": "第十四条",
        "ANY-budget": "第四条",
        "ANY-contract": "第十七条",
        "ANY-selfcheck": "第二十七条",
        "ANY-application": "第二十七条",
        "ANY-security": "第十八条",
        "ANY-connected": None,  # 第二十九条 withholds O&M money, it does not block acceptance: FCG-29-sharing
        "ANY-group": "第二十七条",
        "ANY-letter": "第二十七条",
        "ANY-evaluation": "第三十三条",
    },
    checks=(
        Check(
            "FCG-10-tier",
            "submit",
            BLOCK,
            "第十条",
            "按总投资报批项目建议书、可行性研究报告、初步设计方案和投资概算",
            _tier,
        ),
        Check(
            "FCG-14-chapters",
            "submit",
            BLOCK,
            "第十四条",
            "可行性研究报告、初步设计方案含信息资源共享开放分析篇和项目系统安全分析篇",
            _chapters,
        ),
        Check("FCG-14-catalogue", "submit", BLOCK, "第十四条", "已编制信息资源目录", _catalogue),
        supervisor_check(
            "FCG-22-supervisor", "第二十二条", "已委托工程监理单位实施工程监理", who="项目建设单位委托"
        ),
        *change_checks("FCG-26-change", "第二十六条"),
        documents_check(
            "FCG-20-security",
            "apply_acceptance",
            "第十九、二十条",
            (K.CRYPTO_ASSESSMENT, K.PRODUCT_SECURITY),
            "已完成密码应用安全性评估并说明产品安全可靠情况",
        ),
        Check(
            "FCG-29-sharing",
            "apply_acceptance",
            WARN,
            "第二十九条",
            "按要求共享开放数据资源（数据资源目录已纳入共享平台并完成数据接入）；"
            "未按要求共享开放数据资源的，原则上不安排运行维护经费",
            catalogue_connected,
        ),
        Check(
            "FCG-27-timing",
            "pass_acceptance",
            WARN,
            "第二十七条",
            "项目建成后半年内完成验收，或已提出延期验收申请",
            _acceptance_in_time,
        ),
        documents_check(
            "FCG-28-archive",
            "pass_acceptance",
            "第二十八条",
            (K.ARCHIVE_ACCEPTANCE,),
            "已通过档案验收",
        ),
    ),
)
