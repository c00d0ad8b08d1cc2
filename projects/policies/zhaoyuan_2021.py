"""《招远市政务信息系统项目管理实施细则》招政办字〔2021〕33号."""

from datetime import date

from ..checks import Check
from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from ..enums import ProjectState
from .base import (
    BDC,
    BLOCK,
    BUILDING,
    Actor,
    Criterion,
    DeadlineRule,
    Policy,
    change_checks,
    contract_filing_rules,
    documents_check,
    major_change_rule,
    prohibited_check,
    year_end_report_rule,
)
from .common import criteria_scored

# 第九条: 无特殊情况，以下项目不再批准各政务部门单独建设（八类）。
PROHIBITED = frozenset(
    {
        C.NEW_SERVER_ROOM,
        C.SERVERS_STORAGE,  # （一）
        C.DEPARTMENT_NETWORK,
        C.CROSS_DEPARTMENT_NETWORK,  # （二）
        C.DATA_EXCHANGE,  # （三）
        C.COLLABORATION,  # （四）
        C.WEBSITE,  # （五）
        C.VIDEO_CONFERENCE,  # （六）
        C.POWER_SYSTEM,  # （七）
        C.CROSS_DEPARTMENT_APP,  # （八）
    }
)
DECLARATION = (K.APPLICATION_FORM, K.CONSTRUCTION_PLAN, K.CATALOGUE_TABLE, K.CLOUD_DEMAND, K.CLOUD_REVIEW)

# 第八条: 评审专家组对建设项目方案进行初审的九项内容。
CRITERIA = tuple(
    Criterion(f"zy-8-{n}", label, f"第八条({numeral})")
    for n, (numeral, label) in enumerate(
        (
            ("一", "是否符合国家、省、市电子政务和大数据发展总体规划"),
            ("二", "是否符合有关政策规定及标准规范"),
            ("三", "是否充分利用云平台已有的基础软硬件设施"),
            ("四", "项目技术设计和建设方案是否合理、可行，符合技术发展趋势"),
            ("五", "编制的项目政务信息资源目录是否合理"),
            ("六", "是否考虑政务信息资源数据充分共享和综合利用"),
            ("七", "项目所需云资源需求是否合理"),
            ("八", "是否有全面、可行的信息安全解决方案"),
            ("九", "项目财政投资测算和进度安排是否合理"),
        ),
        start=1,
    )
)

# 第七条: 每年7至8月份，申报下一年度政务信息系统建设项目。
WINDOW = ((7, 1), (8, 31))
# 第二十一条: 签订正式采购合同5个工作日内，应将合同文本报市大数据服务中心备案。
CONTRACT_FILING = contract_filing_rules(
    "ZY-21-deadline", "第二十一条", 5, "签订正式采购合同5个工作日内将合同文本报市大数据服务中心备案"
)
# 第十一条: 项目建设单位应于每年12月底前报告项目建设进度和预算执行情况。
PROGRESS_REPORT = year_end_report_rule(
    "ZY-11-report",
    "年度进度和预算执行报告",
    "第十一条",
    K.PROGRESS_REPORT,
    "每年12月底前向市大数据服务中心、市财政局报告项目建设进度和预算执行情况",
    BUILDING,
    lambda ctx: ctx.contract_filing and ctx.contract_filing.signed_on,
)


def _leader_approved(ctx) -> bool:
    """第六条: 直接经市政府主要领导批示同意建设 — shown by the 领导批示 uploaded."""
    return K.LEADER_APPROVAL in ctx.document_kinds


def _filed(ctx) -> bool:
    """第六条: 直接经市政府主要领导批示同意建设，或者属国家、省统筹安排并拨付建设、运维资金的项目，
    向市大数据服务中心备案 — not declared under 第七条 (its window and its materials)."""
    return _leader_approved(ctx) or ctx.project.higher_level_arranged


def _exempt_from_window(ctx) -> bool:
    """第七条 has no emergency exemption: only the projects filed under 第六条 are outside the window."""
    return _filed(ctx)


def _filing(ctx):
    if ctx.project.higher_level_arranged or _leader_approved(ctx):
        return True
    return (
        "按第六条备案须上传市政府主要领导同意建设的领导批示，"
        "或申明属国家、省统筹安排并拨付建设、运维资金的项目。"
    )


def _window(ctx):
    (m1, d1), (m2, d2) = WINDOW
    today = ctx.today
    opens, closes = date(today.year, m1, d1), date(today.year, m2, d2)
    if not opens <= today <= closes:
        return (
            f"每年7月1日至8月31日申报下一年度项目，今日（{today:%Y-%m-%d}）不在申报期内。"
            "直接经市政府主要领导批示同意建设（须上传领导批示）或属国家、省统筹安排并拨付资金的项目，"
            "按第六条向市大数据服务中心备案，不受申报期限制。"
        )
    if ctx.project.year != today.year + 1:
        return f"本期申报的是{today.year + 1}年度项目，项目计划年度为{ctx.project.year}年。"
    return True


def _window_deadline(ctx):
    project = ctx.project
    if project.state != ProjectState.DRAFT or _exempt_from_window(ctx):
        return
    (m1, d1), (m2, d2) = WINDOW
    year = project.year - 1
    yield {"opens_on": date(year, m1, d1), "due_on": date(year, m2, d2), "period": str(project.year)}


def _government_agreed(ctx):
    decision = ctx.outside_decision
    if decision is None:
        return "尚未记录市政府同意建设的决定：须经审核通过并报呈市政府同意后方可实施，请记录市政府的决定及其文件。"
    return (
        decision.agreed or f"{decision.body}于{decision.decided_on:%Y年%-m月%-d日}决定不同意建设，不能立项。"
    )


POLICY = Policy(
    code="zhaoyuan-2021",
    version="2021-12-15",
    jurisdiction="招远市",
    title="招远市政务信息系统项目管理实施细则",
    document_number="招政办字〔2021〕33号",
    issued=date(2021, 12, 15),
    reviewing_body="市大数据服务中心",
    articles={
        "ANY-catalogue": "第十六条",
        "ANY-prereview": "第八条",
        "ANY-panel": "第八条",
        "ANY-reject-opinion": "第八条",
        "ANY-opinion": "第八条",
        "ANY-budget": "第十条",
        "ANY-contract": "第二十一条",
        "ANY-selfcheck": "第二十条",
        "ANY-application": "第二十条",
        "ANY-security": ("第十八条", "ZY-18-security"),
        "ANY-connected": "第十七条",
        "ANY-group": "第二十条",
        "ANY-letter": "第二十条",
        "ANY-evaluation": "第二十条",
    },
    declaration_documents=DECLARATION,
    prohibited_kinds=PROHIBITED,
    review_criteria=CRITERIA,
    change_rule=major_change_rule(("goals", "site", "budget", "content", "schedule"), "市大数据服务中心"),
    change_article="第十三条",
    actors={
        # 第六条: 经审核通过并报呈市政府同意后方可实施 — the 市政府 decides outside the platform; the centre
        # records its decision with the document (record_decision) and records the 立项 on it.
        "record_decision": (Actor(BDC, "第六条", "市大数据服务中心"),),
        "approve": (Actor(BDC, "第六条", "市大数据服务中心"),),
        # 第二十条: 市大数据服务中心负责项目备案管理，备案文档含项目验收报告。
        "pass_acceptance": (Actor(BDC, "第二十条", "市大数据服务中心"),),
        "fail_acceptance": (Actor(BDC, "第二十条", "市大数据服务中心"),),
    },
    deadlines=(
        DeadlineRule(
            "ZY-7-window",
            "申报期",
            "第七条",
            "每年7月至8月向市大数据服务中心申报下一年度项目",
            _window_deadline,
            pending_in=frozenset({ProjectState.DRAFT}),
        ),
        CONTRACT_FILING[1],
        PROGRESS_REPORT,
    ),
    checks=(
        documents_check(
            "ZY-7-docs",
            "submit",
            "第七条",
            DECLARATION,
            "已提交申请表、建设方案、数据资源目录表、云平台服务资源需求表和审核表",
            # 第七条 lists the materials of 非涉密项目; 第二十六条: 涉密项目按有关规定办理。
            # 第六条: projects filed with the centre are not declared under 第七条.
            applies=lambda ctx: not ctx.project.is_classified and not _filed(ctx),
        ),
        Check(
            "ZY-7-window",
            "submit",
            BLOCK,
            "第七条",
            "每年7月至8月申报下一年度项目（按第六条向市大数据服务中心备案的项目除外）",
            _window,
            applies=lambda ctx: not _exempt_from_window(ctx),
        ),
        Check(
            "ZY-6-filing",
            "submit",
            BLOCK,
            "第六条",
            "直接经市政府主要领导批示同意建设的项目已上传领导批示，或已申明属国家、省统筹安排并拨付"
            "建设、运维资金的项目，及时向市大数据服务中心备案",
            _filing,
            applies=_filed,
        ),
        CONTRACT_FILING[0],
        *change_checks("ZY-13-change", "第十三条"),
        Check(
            "ZY-6-decision",
            "approve",
            BLOCK,
            "第六条",
            "经审核通过并报呈市政府同意（市政府的决定连同其文件已记录）",
            _government_agreed,
        ),
        Check(
            "ZY-8-criteria",
            "approve",
            BLOCK,
            "第八条",
            "评审专家组每位专家均已对第八条所列九项内容逐项评审",
            criteria_scored,
        ),
        prohibited_check("ZY-9-prohibited", "第九条", PROHIBITED, "第九条所列不再批准单独建设的项目"),
    ),
)
