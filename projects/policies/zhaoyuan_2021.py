"""《招远市政务信息系统项目管理实施细则》招政办字〔2021〕33号, article by article."""

from datetime import date

from ..checks import Check
from ..deadlines import DeadlineRule
from ..enums import ConstructionKind, DocumentKind, ProjectState
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    Actor,
    Article,
    Criterion,
    Policy,
)
from .common import (
    acceptance_condition_checks,
    acceptance_letter,
    acceptance_letter_failed,
    acceptance_opinions_complete,
    application_letter,
    budget_within_declared,
    catalogue_connected,
    catalogue_present,
    contract_filed,
    criteria_scored,
    evaluation_recorded,
    group_formed,
    opinion_passing,
    panel_formed,
    prereview_passed,
    rectification_reported,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
)
from .shapes import (
    BUILDING,
    change_checks,
    change_review_check,
    change_review_criteria,
    contract_filing_rules,
    documents_check,
    major_change_rule,
    prohibited_check,
    rectification_rule,
    risk_rating_rule,
    year_end_report_rule,
)

# 第七条: 每年7至8月份，申报下一年度政务信息系统建设项目。
WINDOW = ((7, 1), (8, 31))
# 第七条: 非涉密项目的申报材料.
DECLARATION = (
    DocumentKind.APPLICATION_FORM,
    DocumentKind.CONSTRUCTION_PLAN,
    DocumentKind.CATALOGUE_TABLE,
    DocumentKind.CLOUD_DEMAND,
    DocumentKind.CLOUD_REVIEW,
)


def _leader_approved(ctx) -> bool:
    """第六条: 直接经市政府主要领导批示同意建设 — shown by the 领导批示 uploaded."""
    return DocumentKind.LEADER_APPROVAL in ctx.document_kinds


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


ACCEPTANCE_CONDITIONS = (
    Criterion("ZY-17-shared", "数据资源目录纳入共享平台目录管理系统，可共享数据已接入平台", "第十七条"),
    Criterion("ZY-18-security", "通过安全风险评估", "第十八条"),
    Criterion("ZY-20-records", "全程备案文档齐全，可形成项目验收报告", "第二十条"),
)

OUTSIDE = "监督、审计由有关机关依职权办理，不是项目记录上可核验的条件"

POLICY = Policy(
    code="zhaoyuan-2021",
    version="2021-12-15",
    jurisdiction="招远市",
    title="招远市政务信息系统项目管理实施细则",
    document_number="招政办字〔2021〕33号",
    issued=date(2021, 12, 15),
    reviewing_body="市大数据服务中心",
    articles=(
        Article("第一条至第三条", "依据、适用范围和原则", not_enforced="依据和原则，没有可对项目核验的条件"),
        Article(
            "第四条、第五条",
            "市数字招远建设专项小组等的职责；跨部门项目统筹制定共享协同方案",
            not_enforced="职责分工和协同原则：各机构在后文条款规定的环节办理",
        ),
        Article(
            "第六条",
            "扎口管理：经审核通过并报呈市政府同意后方可实施；领导批示或上级统筹的项目向中心备案",
            checks=(
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
                Check(
                    "ZY-6-decision",
                    "approve",
                    BLOCK,
                    "第六条",
                    "经审核通过并报呈市政府同意（市政府的决定连同其文件已记录）",
                    _government_agreed,
                ),
            ),
            # The 市政府 decides outside the platform; the centre records its decision with the document
            # (record_decision) and records the 立项 on it.
            actors={
                "record_decision": (Actor(BDC, "第六条", "市大数据服务中心"),),
                "approve": (Actor(BDC, "第六条", "市大数据服务中心"),),
            },
        ),
        Article(
            "第七条",
            "每年7至8月申报下一年度项目；非涉密项目的四项申报材料",
            documents=DECLARATION,
            checks=(
                documents_check(
                    "ZY-7-docs",
                    "submit",
                    "第七条",
                    DECLARATION,
                    "已提交申请表、建设方案、数据资源目录表、云平台服务资源需求表和审核表",
                    # 第七条 lists the materials of 非涉密项目; 第二十六条: 涉密项目按有关规定办理.
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
            ),
            deadlines=(
                DeadlineRule(
                    "ZY-7-window",
                    "申报期",
                    "第七条",
                    "每年7月至8月向市大数据服务中心申报下一年度项目",
                    _window_deadline,
                    pending_in=frozenset({ProjectState.DRAFT}),
                ),
            ),
            params={"申报期": "7月1日至8月31日"},
        ),
        Article(
            "第八条",
            "市大数据服务中心组织评审专家组对建设方案进行初审，九项内容",
            checks=(
                prereview_passed("ANY-prereview", "第八条"),
                panel_formed("ANY-panel", "第八条"),
                reject_opinion_recorded("ANY-reject-opinion", "第八条"),
                opinion_passing("ANY-opinion", "第八条"),
                Check(
                    "ZY-8-criteria",
                    "approve",
                    BLOCK,
                    "第八条",
                    "评审专家组每位专家均已对第八条所列九项内容逐项评审",
                    criteria_scored,
                ),
            ),
            criteria=tuple(
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
            ),
        ),
        Article(
            "第九条",
            "联合评审；八类项目不再批准各部门单独建设",
            prohibited=frozenset(
                {
                    ConstructionKind.NEW_SERVER_ROOM,  # （一）
                    ConstructionKind.SERVERS_STORAGE,  # （一）
                    ConstructionKind.DEPARTMENT_NETWORK,  # （二）
                    ConstructionKind.CROSS_DEPARTMENT_NETWORK,  # （二）
                    ConstructionKind.DATA_EXCHANGE,  # （三）
                    ConstructionKind.COLLABORATION,  # （四）
                    ConstructionKind.WEBSITE,  # （五）
                    ConstructionKind.VIDEO_CONFERENCE,  # （六）
                    ConstructionKind.POWER_SYSTEM,  # （七）
                    ConstructionKind.CROSS_DEPARTMENT_APP,  # （八）
                }
            ),
            checks=(prohibited_check("ZY-9-prohibited", "第九条", "第九条所列不再批准单独建设的项目"),),
            # 9月底前联合评审 is the centre's schedule; 未完成迁移整合的单位不予审批 is not on the platform's records.
        ),
        Article(
            "第十条",
            "10月底前汇总下一年度项目预算，报专项小组研究通过",
            checks=(budget_within_declared("ANY-budget", "第十条"),),
        ),
        Article(
            "第十一条",
            "每年12月底前报告项目建设进度和预算执行情况",
            deadlines=(
                year_end_report_rule(
                    "ZY-11-report",
                    "年度进度和预算执行报告",
                    "第十一条",
                    DocumentKind.PROGRESS_REPORT,
                    "每年12月底前向市大数据服务中心、市财政局报告项目建设进度和预算执行情况",
                    BUILDING,
                    lambda ctx: ctx.contract_filing and ctx.contract_filing.signed_on,
                ),
            ),
        ),
        Article(
            "第十二条",
            "硬件建设资金和政务云服务经费由中心统一申请核拨",
            not_enforced="资金渠道，由中心和市财政局办理，不是项目记录上可核验的条件",
        ),
        Article(
            "第十三条",
            "超支不补、节余退回；较大变化的变更重新审核",
            change_rule=major_change_rule(
                ("goals", "site", "budget", "content", "schedule"), "市大数据服务中心"
            ),
            checks=(
                *change_checks("ZY-13-change", "第十三条"),
                change_review_check("ZY-13-change-review", "第十三条"),
            ),
            # 重新履行审核手续: the change is reviewed as the declaration was, by experts drawn and scoring.
            change_review=change_review_criteria("第十三条"),
            # 超支不补、节余按原渠道退回: the money after acceptance is outside the platform.
        ),
        Article(
            "第十四条、第十五条",
            "云服务需求变更或撤销的申报；市镇协同项目按事权划分资金",
            not_enforced="云服务资源的日常管理和资金划分，不在项目生命周期内",
        ),
        Article(
            "第十六条",
            "立项申请前填报政务信息系统数据资源目录表格",
            checks=(catalogue_present("ANY-catalogue", "第十六条"),),
        ),
        Article(
            "第十七条",
            "数据资源目录纳入共享平台目录管理系统，可共享数据接入平台",
            checks=(catalogue_connected("ANY-connected", "第十七条"),),
        ),
        Article(
            "第十八条",
            "通过安全风险评估后方可验收",
            checks=(security_assessed("ZY-18-security", "第十八条"),),
        ),
        Article(
            "第十九条",
            "优先采购自主可控的关键产品",
            not_enforced="“优先”是采购中的倾向，没有可核验的条件",
        ),
        Article(
            "第二十条",
            "全程备案文档，含项目验收报告；中心负责备案管理",
            checks=(
                self_check_done("ANY-selfcheck", "第二十条"),
                application_letter("ANY-application", "第二十条"),
                group_formed("ANY-group", "第二十条"),
                acceptance_opinions_complete("ANY-acceptance-opinions", "第二十条"),
                *acceptance_condition_checks(ACCEPTANCE_CONDITIONS),
                acceptance_letter("ANY-letter", "第二十条"),
                acceptance_letter_failed("ANY-letter", "第二十条"),
                rectification_reported("ZY-20-rectify", "第二十条"),
                evaluation_recorded("ANY-evaluation", "第二十条"),
            ),
            # 本办法未列验收条件的条目：验收专家就第十七、十八、二十条要求验收时具备的事项提出意见。
            acceptance_conditions=ACCEPTANCE_CONDITIONS,
            deadlines=(
                rectification_rule(
                    "ZY-20-rectify", "第二十条", "验收不合格的，按验收组确定的整改事项和期限完成整改并报告"
                ),
            ),
            actors={
                "draw_acceptance_group": (Actor(BDC, "第二十条", "市大数据服务中心"),),
                "issue_acceptance_letter": (Actor(BDC, "第二十条", "市大数据服务中心"),),
                "pass_acceptance": (Actor(BDC, "第二十条", "市大数据服务中心"),),
                "fail_acceptance": (Actor(BDC, "第二十条", "市大数据服务中心"),),
            },
        ),
        Article(
            "第二十一条",
            "签订合同5个工作日内将合同文本报中心备案",
            checks=(contract_filed("ANY-contract", "第二十一条"),),
            rules=(
                contract_filing_rules(
                    "ZY-21-deadline",
                    "第二十一条",
                    5,
                    "签订正式采购合同5个工作日内将合同文本报市大数据服务中心备案",
                ),
            ),
            params={"合同备案期限（工作日）": 5},
        ),
        Article(
            "第二十二条",
            "工程严重逾期、投资重大损失的报告和整改、暂停",
            deadlines=(risk_rating_rule("ZY-22-rating", "第二十二条"),),
            actors={"report_delay": (Actor(DEPARTMENT, "第二十二条", "项目建设单位", owner_only=True),)},
        ),
        Article("第二十三条至第二十五条", "监督管理和审计", not_enforced=OUTSIDE),
        Article(
            "第二十六条",
            "涉密项目按有关规定办理",
            not_enforced="涉密项目不适用第七条的申报材料（见 ZY-7-docs 的适用条件），其余按保密规定办理",
        ),
        Article("第二十七条、第二十八条", "解释和施行", not_enforced="附则"),
    ),
)
