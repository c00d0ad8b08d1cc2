"""《防城港市政务信息化项目建设管理办法（试行）》."""

from decimal import Decimal

from ..checks import Check
from ..enums import DocumentKind as K
from .base import BLOCK, Criterion, Policy

# 第十条: "总投资400万元以上" excludes 400 (the next tier says "400万元（含）以下"); "200万元（含）以下".
TIER_LOW = Decimal("200.00")
TIER_HIGH = Decimal("400.00")


def tier_documents(project) -> tuple[str, ...]:
    """第十条: the documents approved for a project, by its total investment and its path."""
    amount = project.declared_amount
    if project.is_emergency:
        # 情况紧急 … 可以直接编报项目可行性研究报告、初步设计方案和投资概算。
        return (K.FEASIBILITY_REPORT, K.PRELIMINARY_DESIGN, K.INVESTMENT_ESTIMATE)
    if amount > TIER_HIGH:
        docs = (K.PROPOSAL, K.FEASIBILITY_REPORT, K.PRELIMINARY_DESIGN, K.INVESTMENT_ESTIMATE)
    elif amount > TIER_LOW:
        docs = (K.PROPOSAL, K.FEASIBILITY_REPORT)
    else:
        docs = (K.PROPOSAL,)
    if project.in_plan and K.FEASIBILITY_REPORT in docs:
        # 已纳入国家、自治区或市本级政务信息化建设规划的项目，可以直接编报可行性研究报告。
        docs = tuple(d for d in docs if d != K.PROPOSAL)
    return docs


def _tier(ctx):
    missing = ctx.missing_documents(tier_documents(ctx.project))
    if missing:
        return f"总投资{ctx.project.declared_amount}万元的项目须报批：缺少{'、'.join(missing)}。"
    return True


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

POLICY = Policy(
    code="fangchenggang-2022",
    version="2022-12",
    jurisdiction="防城港市",
    title="防城港市政务信息化项目建设管理办法（试行）",
    document_number="",
    issued=None,
    reviewing_body="市大数据和行政审批局",
    review_criteria=CRITERIA,
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
        "ANY-connected": "第二十九条",
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
    ),
)
