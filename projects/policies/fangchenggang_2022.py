"""《防城港市政务信息化项目建设管理办法（试行）》, article by article."""

from decimal import Decimal

from core.workdays import chinese_date

from ..checks import Check
from ..deadlines import DeadlineRule
from ..enums import AcceptanceConclusion, DocumentKind, ProjectState
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    DEVELOPMENT,
    FINANCE,
    WARN,
    Actor,
    Article,
    Criterion,
    Party,
    Policy,
)
from .common import (
    acceptance_condition_checks,
    acceptance_letter,
    acceptance_letter_failed,
    acceptance_opinions_complete,
    application_letter,
    budget_within_declared,
    contract_filed,
    data_shared,
    evaluation_recorded,
    group_formed,
    group_parties,
    opinion_passing,
    panel_formed,
    rectification_reported,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
)
from .shapes import (
    BUILDING,
    change_checks,
    completed_on,
    documents_check,
    rectification_rule,
    risk_rating_rule,
    supervision_report_rule,
    supervisor_check,
    supervisor_opinions,
    year_end_report_rule,
)

# 第十条: "总投资400万元以上" excludes 400 (the next tier says "400万元（含）以下"); "200万元（含）以下".
TIER_LOW = Decimal("200.00")
TIER_HIGH = Decimal("400.00")


def tier_documents(project) -> tuple[str, ...]:
    """第十条: the documents approved for a project of its total investment on the ordinary path."""
    amount = project.declared_amount
    if amount > TIER_HIGH:
        return (
            DocumentKind.PROPOSAL,
            DocumentKind.FEASIBILITY_REPORT,
            DocumentKind.PRELIMINARY_DESIGN,
            DocumentKind.INVESTMENT_ESTIMATE,
        )
    if amount > TIER_LOW:
        return (DocumentKind.PROPOSAL, DocumentKind.FEASIBILITY_REPORT)
    return (DocumentKind.PROPOSAL,)


def tier_paths(project) -> list[tuple[str, tuple[str, ...]]]:
    """第十条: each acceptable set of documents, named. A project in a plan may start at the feasibility
    report; an emergency project may go straight to feasibility report, design and estimate."""
    ordinary = tier_documents(project)
    paths = [("", ordinary)]
    if project.in_plan:
        # 已纳入国家、自治区或市本级政务信息化建设规划的项目，可以直接编报可行性研究报告。
        paths.append(
            (
                "已纳入规划",
                tuple(d for d in ordinary if d != DocumentKind.PROPOSAL)
                or (DocumentKind.FEASIBILITY_REPORT,),
            )
        )
    if project.is_emergency:
        # 情况紧急 … 可以直接编报项目可行性研究报告、初步设计方案和投资概算。
        paths.append(
            (
                "紧急项目",
                (
                    DocumentKind.FEASIBILITY_REPORT,
                    DocumentKind.PRELIMINARY_DESIGN,
                    DocumentKind.INVESTMENT_ESTIMATE,
                ),
            )
        )
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
    for kind in (DocumentKind.FEASIBILITY_REPORT, DocumentKind.PRELIMINARY_DESIGN):
        version = ctx.latest_version(kind)
        if version is None:
            continue
        if not version.has_sharing_chapter:
            problems.append(f"{DocumentKind(kind).label}缺少信息资源共享开放分析篇")
        if not version.has_security_chapter:
            problems.append(f"{DocumentKind(kind).label}缺少项目系统安全分析篇")
    return not problems or "；".join(problems) + "。"


def _catalogue(ctx):
    return bool(ctx.resources) or "信息资源目录是审批政务信息化项目的必备条件：至少须登记一项数据资源。"


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


ACCEPTANCE_PARTIES = (
    ("cac", "市委网信办"),
    ("secrecy", "机要保密办"),
    ("development", "市发展改革委"),
    ("bdc", "市大数据和行政审批局"),
    ("finance", "财政局"),
    ("police", "公安局"),
    ("archives", "档案局"),
    ("third_party", "第三方机构"),
)
# 第二十七条 names no conditions of its own: the experts judge what 第十九、二十条 and 第二十八条 make a
# condition of acceptance.
ACCEPTANCE_CONDITIONS = (
    Criterion("FCG-20-security", "符合密码应用和网络安全要求，产品安全可靠", "第十九、二十条"),
    Criterion("FCG-28-archive", "项目档案完整，档案验收合格", "第二十八条"),
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
    if DocumentKind.EXTENSION_APPLICATION in ctx.document_kinds:
        return True
    return f"项目于{chinese_date(completed_on(ctx))}建成，应于{chinese_date(due)}前完成验收，且未提出延期验收申请。"


def _acceptance_deadline(ctx):
    due = _acceptance_due(ctx)
    if due is None:
        return
    result = ctx.acceptance_result
    passed = result.decided_on if result and result.conclusion == AcceptanceConclusion.PASSED else None
    extended = DocumentKind.EXTENSION_APPLICATION in ctx.document_kinds
    yield {
        "opens_on": completed_on(ctx),
        "due_on": due,
        "done_on": passed,
        "note": "已提出延期验收申请。" if extended and passed is None else "",
    }


OUTSIDE = "监督、审计、问责由有关机关依职权办理，不是项目记录上可核验的条件"

POLICY = Policy(
    code="fangchenggang-2022",
    version="2022-12",
    jurisdiction="防城港市",
    title="防城港市政务信息化项目建设管理办法（试行）",
    document_number="",
    issued=None,
    reviewing_body="市大数据和行政审批局",
    articles=(
        Article("第一条至第三条", "依据、适用范围和原则", not_enforced="依据和原则，没有可对项目核验的条件"),
        Article(
            "第四条",
            "编制建设规划；市发展和改革委负责项目审批，财政局审核投资",
            checks=(budget_within_declared("ANY-budget", "第四条"),),
            actors={"approve": (Actor(DEVELOPMENT, "第四条", "市发展和改革委"),)},
        ),
        Article(
            "第五条至第九条",
            "协商机制；建设需求、规划的编制和调整；列入规划的项目完成前期工作",
            not_enforced="规划的编制和调整由市级部门办理；前期工作的材料在第十条核验",
        ),
        Article(
            "第十条",
            "按总投资编报项目建议书、可行性研究报告、初步设计方案和投资概算；已纳入规划的、紧急的项目",
            checks=(
                Check(
                    "FCG-10-tier",
                    "submit",
                    BLOCK,
                    "第十条",
                    "按总投资报批项目建议书、可行性研究报告、初步设计方案和投资概算",
                    _tier,
                ),
            ),
            params={"总投资分档（万元）": f"{TIER_LOW}（含）以下 / {TIER_HIGH}（含）以下 / {TIER_HIGH}以上"},
        ),
        Article(
            "第十一条至第十三条",
            "不再进行节能评估等审批；跨部门项目框架设计；未纳入规划的项目报市人民政府同意",
            not_enforced="不涉及平台办理的环节：框架方案和市人民政府的同意不是本平台的申报材料",
        ),
        Article(
            "第十四条",
            "申报材料含信息资源共享开放分析篇、项目系统安全分析篇；信息资源目录是审批的必备条件；评估意见",
            checks=(
                Check(
                    "FCG-14-chapters",
                    "submit",
                    BLOCK,
                    "第十四条",
                    "可行性研究报告、初步设计方案含信息资源共享开放分析篇和项目系统安全分析篇",
                    _chapters,
                ),
                Check("FCG-14-catalogue", "submit", BLOCK, "第十四条", "已编制信息资源目录", _catalogue),
                panel_formed("ANY-panel", "第十四条"),
                reject_opinion_recorded("ANY-reject-opinion", "第十四条"),
                opinion_passing("ANY-opinion", "第十四条"),
            ),
            criteria=(
                Criterion("fcg-sharing", "信息资源共享开放分析篇（章）", "第十四条"),
                Criterion("fcg-security", "项目系统安全分析篇（章）", "第十四条"),
            ),
            # The panel covers the two chapters it assesses (reviews.enums.ExpertField values).
            draw_fields=("data", "security"),
            # No pre-review stage in this regulation: the evaluation report is the review.
        ),
        Article(
            "第十五条、第十六条",
            "项目储备库和年度计划；在广西投资项目在线审批监管平台报批或备案",
            not_enforced="储备库、年度计划和自治区平台的报批在本平台之外办理",
        ),
        Article(
            "第十七条",
            "建立项目管理制度，执行招标投标、政府采购、合同管理等制度",
            checks=(contract_filed("ANY-contract", "第十七条"),),
        ),
        Article(
            "第十八条",
            "网络安全管理制度和安全测评",
            checks=(security_assessed("ANY-security", "第十八条"),),
        ),
        Article(
            "第十九条、第二十条",
            "密码保障系统同步规划建设并定期评估；采用安全可靠的软硬件产品并说明",
            checks=(
                documents_check(
                    "FCG-20-security",
                    "apply_acceptance",
                    "第十九、二十条",
                    (DocumentKind.CRYPTO_ASSESSMENT, DocumentKind.PRODUCT_SECURITY),
                    "已完成密码应用安全性评估并说明产品安全可靠情况",
                ),
            ),
        ),
        Article(
            "第二十一条",
            "依托电子政务外网或内网，共建共享共用",
            not_enforced="网络与平台的依托由评审在第十四条评估，没有单独可核验的记录",
        ),
        Article(
            "第二十二条",
            "实行工程监理制，项目建设单位委托工程监理单位",
            checks=(
                supervisor_check(
                    "FCG-22-supervisor",
                    "第二十二条",
                    "已委托工程监理单位实施工程监理",
                    who="项目建设单位委托",
                ),
            ),
            deadlines=(
                # 按照信息系统工程监理有关规定: the monitor's periodic report (监理月报 by default).
                supervision_report_rule(
                    "FCG-22-supervision",
                    "第二十二条",
                    "工程监理单位按信息系统工程监理有关规定定期报告项目建设情况（周期由本级设定，默认每月）",
                ),
            ),
            actors={"assign_supervisor": (Actor(DEPARTMENT, "第二十二条", "项目建设单位", owner_only=True),)},
        ),
        Article(
            "第二十三条",
            "建设期内每年年底前提交项目绩效评价报告",
            deadlines=(
                year_end_report_rule(
                    "FCG-23-report",
                    "年度绩效评价报告",
                    "第二十三条",
                    DocumentKind.PERFORMANCE_REPORT,
                    "建设期内每年年底前向市发展和改革委、大数据和行政审批局提交项目绩效评价报告",
                    BUILDING,
                    lambda ctx: ctx.contract_filing and ctx.contract_filing.signed_on,
                ),
            ),
            progress_report_document=DocumentKind.PERFORMANCE_REPORT,
            checks=(
                supervisor_opinions("FCG-23-opinions", "第二十三条"),
                supervisor_opinions("FCG-23-evaluation", "第二十三条", "self_evaluation"),
            ),
        ),
        Article(
            "第二十四条",
            "严重逾期、重大损失的，建设单位及时报告，要求整改或者暂停",
            deadlines=(risk_rating_rule("FCG-24-rating", "第二十四条"),),
            actors={"report_delay": (Actor(DEPARTMENT, "第二十四条", "项目建设单位", owner_only=True),)},
            # 市发展和改革委 decides rectification or suspension; the platform's 督办单 is closed by the BDC, which the
            # regulation has copied in (抄送市大数据和行政审批局).
        ),
        Article(
            "第二十五条",
            "按批复的初步设计和概算实施，结余资金退回",
            not_enforced="资金结余由财政办理，不是项目记录上可核验的条件",
        ),
        Article(
            "第二十六条",
            "不超出概算、目标不变且资金调整不超过概算总投资15%的，由建设单位调整并备案；否则提出调整申请",
            change_rule=_change_rule,
            checks=change_checks("FCG-26-change", "第二十六条"),
            params={"可备案的资金调整（占概算总投资）": "15%"},
        ),
        Article(
            "第二十七条",
            "建成后半年内验收，经市发展和改革委同意由建设单位组织或委托第三方；不能按期验收的申请延期",
            checks=(
                self_check_done("ANY-selfcheck", "第二十七条"),
                application_letter("ANY-application", "第二十七条"),
                group_parties("ANY-group-parties", "第二十七条"),
                group_formed("ANY-group", "第二十七条"),
                acceptance_opinions_complete("ANY-acceptance-opinions", "第二十七条"),
                *acceptance_condition_checks(ACCEPTANCE_CONDITIONS),
                acceptance_letter("ANY-letter", "第二十七条"),
                acceptance_letter_failed("ANY-letter", "第二十七条"),
                rectification_reported("FCG-27-rectify", "第二十七条"),
                Check(
                    "FCG-27-timing",
                    "pass_acceptance",
                    WARN,
                    "第二十七条",
                    "项目建成后半年内完成验收，或已提出延期验收申请",
                    _acceptance_in_time,
                ),
            ),
            deadlines=(
                DeadlineRule(
                    "FCG-27-timing",
                    "建成后半年内验收",
                    "第二十七条",
                    "项目建成后半年内完成验收，不能按期验收的提出延期验收申请",
                    _acceptance_deadline,
                    soon_days=31,
                    pending_in=frozenset(
                        {
                            ProjectState.PRELIMINARY_ACCEPTANCE,
                            ProjectState.FINAL_ACCEPTANCE,
                            ProjectState.RECTIFYING,
                        }
                    ),
                ),
                rectification_rule(
                    "FCG-27-rectify", "第二十七条", "验收不合格的，按验收组确定的整改事项和期限完成整改并报告"
                ),
            ),
            # 组织…网信办、机要保密办、发展改革委、大数据局、财政局、公安局和档案局等相关部门或委托第三方机构.
            acceptance_parties=tuple(
                Party(code, label, "第二十七条", required=False) for code, label in ACCEPTANCE_PARTIES
            ),
            acceptance_conditions=ACCEPTANCE_CONDITIONS,
            actors={
                "draw_acceptance_group": (Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),),
                "issue_acceptance_letter": (
                    Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),
                ),
                "pass_acceptance": (Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),),
                "fail_acceptance": (Actor(DEPARTMENT, "第二十七条", "项目建设单位", owner_only=True),),
            },
            params={"验收期限（建成后月数）": ACCEPTANCE_MONTHS},
        ),
        Article(
            "第二十八条",
            "做好项目档案管理；未进行档案验收的不得通过项目验收",
            checks=(
                documents_check(
                    "FCG-28-archive",
                    "pass_acceptance",
                    "第二十八条",
                    (DocumentKind.ARCHIVE_ACCEPTANCE,),
                    "已通过档案验收",
                ),
            ),
            actors={
                "archive_acceptance": (Actor(DEPARTMENT, "第二十八条", "项目建设单位", owner_only=True),)
            },
        ),
        Article(
            "第二十九条",
            "未按要求共享开放数据资源的，原则上不安排运行维护经费",
            # It withholds O&M money, it does not block acceptance: a warning, not ANY-connected.
            checks=(
                Check(
                    "FCG-29-sharing",
                    "apply_acceptance",
                    WARN,
                    "第二十九条",
                    "按要求共享开放数据资源（数据资源目录已纳入共享平台并完成数据接入）；"
                    "未按要求共享开放数据资源的，原则上不安排运行维护经费",
                    data_shared,
                ),
            ),
        ),
        Article("第三十条至第三十二条", "监督管理和审计", not_enforced=OUTSIDE),
        Article(
            "第三十三条",
            "组织或委托第三方开展综合绩效评价",
            checks=(evaluation_recorded("ANY-evaluation", "第三十三条"),),
            # 市大数据和行政审批局牵头会同市发展和改革委、财政局组织或委托第三方.
            actors={
                "third_party_evaluation": (
                    Actor(
                        BDC | DEVELOPMENT | FINANCE,
                        "第三十三条",
                        "市大数据和行政审批局会同市发展和改革委、财政局",
                    ),
                )
            },
        ),
        Article("第三十四条", "法律责任", not_enforced=OUTSIDE),
        Article("第三十五条至第三十七条", "县（市、区）参照执行；解释和施行", not_enforced="附则"),
    ),
)
