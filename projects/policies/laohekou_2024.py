"""《老河口市本级信息化和智慧城市项目管理办法》河政规〔2024〕1号, article by article."""

from datetime import date
from decimal import Decimal

from core.workdays import chinese_date

from ..checks import Check
from ..deadlines import DeadlineRule
from ..enums import Chapter, ConstructionKind, DocumentKind, ProjectCategory, ProjectState
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    DEVELOPMENT,
    FINANCE,
    SUPERVISOR,
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
    catalogue_connected,
    catalogue_present,
    contract_filed,
    criteria_scored,
    evaluation_recorded,
    fields_covered,
    group_formed,
    group_parties,
    opinion_passing,
    panel_formed,
    prereview_passed,
    rectification_reported,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
    targets_set,
)
from .shapes import (
    BUILDING,
    accepted_on,
    change_checks,
    completed_on,
    documents_check,
    major_change_rule,
    prohibited_check,
    rectification_rule,
    risk_rating_rule,
    supervision_report_rule,
    supervisor_check,
    trial_rules,
    trial_start,
)


def _demand_description(ctx):
    """第七条(三): 需求描述包括建设目的、现状分析、建设内容、运行环境、概算及效益分析。"""
    p = ctx.project
    parts = {
        Chapter.BACKGROUND.label: p.background,
        Chapter.CURRENT_STATE.label: p.current_state,
        Chapter.CONTENT.label: p.content,
        Chapter.DESIGN.label: p.design,
        Chapter.INVESTMENT.label: p.investment,
        Chapter.PERFORMANCE.label: p.performance,
    }
    empty = [label for label, text in parts.items() if not text.strip()]
    return not empty or f"需求描述不完整，以下章节未填写：{'、'.join(empty)}。"


def _supervised(ctx) -> bool:
    """第十七条: 纳入统一监理的主要包括硬件和软件建设，不包括设计咨询、测评等服务。"""
    return ctx.project.category in (ProjectCategory.NEW, ProjectCategory.UPGRADE)


# 第二十三条: what the acceptance experts check, (一) to (九).
ACCEPTANCE_CONDITIONS = (
    Criterion(
        "LHK-23-1",
        "完成全部建设内容，技术指标达到设计要求，建设标准、建设过程、信创安全符合规定",
        "第二十三条(一)",
    ),
    Criterion("LHK-23-2", "系统通过初验并经过不少于一个月的安全稳定试运行", "第二十三条(二)"),
    Criterion("LHK-23-3", "项目验收文件资料齐全", "第二十三条(三)"),
    Criterion("LHK-23-4", "合同义务履行完毕（不含售后服务部分）", "第二十三条(四)"),
    Criterion("LHK-23-5", "项目使用单位出具了满足使用需求的用户报告", "第二十三条(五)"),
    Criterion("LHK-23-6", "项目已完成相关培训工作", "第二十三条(六)"),
    Criterion("LHK-23-7", "部署在（迁移至）大数据中心政务云，实现了数据资源共享", "第二十三条(七)"),
    Criterion("LHK-23-8", "平台类项目通过第三方软件测评，数据采集通过第三方数据质检", "第二十三条(八)"),
    Criterion("LHK-23-9", "其他需要验收的事宜", "第二十三条(九)"),
)

# 第二十二条 draws "根据…行业领域和合同金额" without a scale: the platform's 规程 draws 3 experts, 5 for a
# contract of LARGE_CONTRACT 万元 or more (the fields come from the project's content, reviews.draws).
LARGE_CONTRACT = Decimal("400")


def _group_size(project) -> int:
    return 5 if (project.contract_amount or 0) >= LARGE_CONTRACT else 3


# 第十八条: 确定中标结果的5个工作日内，书面提交派驻项目监理单位的申请。
SUPERVISOR_APPLICATION_WORKDAYS = 5


def _application_due(ctx, awarded):
    return ctx.calendar.add_workdays(awarded, SUPERVISOR_APPLICATION_WORKDAYS)


def _supervisor_application(ctx):
    awarded = ctx.date_param("awarded_on")
    if awarded is None:
        return None
    due = _application_due(ctx, awarded)
    applied = ctx.first_upload_on(DocumentKind.SUPERVISOR_APPLICATION)
    if applied is None:
        return (
            f"尚未提交派驻监理申请（中标结果于{chinese_date(awarded)}确定，应于{chinese_date(due)}前提交）。"
        )
    return (
        applied <= due
        or f"派驻监理申请于{chinese_date(applied)}提交，晚于中标结果确定后5个工作日（{chinese_date(due)}）。"
    )


def _supervisor_application_deadline(ctx):
    filing = ctx.contract_filing
    if filing is None or filing.awarded_on is None or not _supervised(ctx):
        return
    yield {
        "opens_on": filing.awarded_on,
        "due_on": _application_due(ctx, filing.awarded_on),
        "done_on": ctx.first_upload_on(DocumentKind.SUPERVISOR_APPLICATION),
    }


def _trial_from(ctx):
    """第二十三条(二): 系统通过初验并经过不少于一个月的试运行 — counted from the later of the two."""
    start, done = trial_start(ctx), completed_on(ctx)
    return max(start, done) if start and done else None


def _conditions(ctx):
    """第二十三条(五)至(八)."""
    p = ctx.project
    required = [DocumentKind.USER_REPORT, DocumentKind.TRAINING_RECORD]
    if ConstructionKind.PLATFORM in p.construction_kinds:
        required.append(DocumentKind.SOFTWARE_TEST)
    if ConstructionKind.DATA_COLLECTION in p.construction_kinds:
        required.append(DocumentKind.DATA_QUALITY)
    problems = []
    missing = ctx.missing_documents(required)
    if missing:
        problems.append(f"缺少{'、'.join(missing)}")
    if ctx.params and not ctx.param("deployed_on_cloud"):
        problems.append("须部署在（迁移至）大数据中心政务云并实现数据资源共享")
    if problems:
        return "；".join(problems) + "。"
    return True if ctx.params else None


# 第二十四条: 凡未经验收或验收未通过的项目，财政部门不支付后续费用 — from 完工自检 until a passed acceptance.
AWAITING_ACCEPTANCE = frozenset(
    {ProjectState.PRELIMINARY_ACCEPTANCE, ProjectState.FINAL_ACCEPTANCE, ProjectState.RECTIFYING}
)


def _no_payment_before_acceptance(ctx):
    """The 累计支付 a progress report records may not rise between 完工自检 and a passed acceptance. A warning,
    not a refusal: the report records money finance has already paid, and refusing the record would hide the
    payment, not undo it; the warning stays on the timeline for finance and the auditor."""
    paid = ctx.decimal_param("paid_amount")
    if paid is None:
        return None
    earlier = max(ctx.progress_reports, key=lambda r: r.pk, default=None)
    if earlier is None or paid <= earlier.paid_amount:
        return True
    return (
        f"项目尚未通过验收，累计支付由{earlier.paid_amount}万元（{earlier.period}报告）增至{paid}万元："
        "未经验收或验收未通过的项目，财政部门不支付后续费用。"
    )


# 第二十六条: 项目通过验收并投入运行后12至24个月内开展自评价。
EVALUATION_WINDOW = (12, 24)


def _evaluation_window(ctx):
    from core.workdays import add_months

    accepted = accepted_on(ctx)
    if accepted is None:
        return None
    return add_months(accepted, EVALUATION_WINDOW[0]), add_months(accepted, EVALUATION_WINDOW[1])


def _self_evaluation_dated(ctx):
    window = _evaluation_window(ctx)
    if window is None:
        return "尚无验收合格记录，无法确定自评价期间。"
    opens, closes = window
    evaluation = ctx.fact("self_evaluation")  # the performance app's record, dated the day it was made
    evaluated = evaluation and evaluation["evaluated_on"]
    if not evaluated or not opens <= evaluated <= closes:
        return f"自评价报告须在验收通过后12至24个月内（{chinese_date(opens)}至{chinese_date(closes)}）形成并报送。"
    return True


def _self_evaluation_open(ctx):
    """The self-evaluation is taken inside the window (today, as the service dates it)."""
    window = _evaluation_window(ctx)
    if window is None:
        return "尚无验收合格记录，无法确定自评价期间。"
    opens, closes = window
    if not opens <= ctx.today <= closes:
        when = "尚未到" if ctx.today < opens else "已超过"
        return (
            f"{when}自评价期间：自评价须在验收通过并投入运行后12至24个月内"
            f"（{chinese_date(opens)}至{chinese_date(closes)}）开展。"
        )
    return True


def _evaluation_deadline(ctx):
    window = _evaluation_window(ctx)
    if window is None:
        return
    opens, closes = window
    yield {
        "opens_on": opens,
        "due_on": closes,
        "done_on": ctx.first_upload_on(DocumentKind.SELF_EVALUATION, after=opens),
    }


POLICY = Policy(
    code="laohekou-2024",
    version="2024-01-15",
    jurisdiction="老河口市",
    title="老河口市本级信息化和智慧城市项目管理办法",
    document_number="河政规〔2024〕1号",
    issued=date(2024, 1, 15),
    reviewing_body="市城市运行管理中心",
    articles=(
        Article("第一条、第二条", "目的和适用范围", not_enforced="宗旨和范围，没有可对项目核验的条件"),
        Article(
            "第三条至第五条",
            "市城市运行管理中心等的职责；统筹规划、统一评审、统一部署、统一监理、统一验收的原则；发展规划",
            not_enforced="职责和原则：统一评审、监理、验收在第七至二十四条各环节核验",
        ),
        Article(
            "第六条",
            "市直各部门随时以书面形式提交信息化项目建设意向",
            documents=(DocumentKind.INTENT,),
            checks=(
                documents_check(
                    "LHK-6-intent",
                    "submit",
                    "第六条",
                    (DocumentKind.INTENT,),
                    "已以书面形式提交信息化项目建设意向",
                ),
            ),
        ),
        Article(
            "第七条",
            "统一答辩、评估和论证，重点参考六项；(三) 需求描述完整",
            checks=(
                catalogue_present("ANY-catalogue", "第七条"),
                Check(
                    "LHK-7-content",
                    "submit",
                    WARN,
                    "第七条",
                    "需求描述包括建设目的、现状分析、建设内容、运行环境、概算及效益分析",
                    _demand_description,
                ),
                prereview_passed("ANY-prereview", "第七条"),
                Check(
                    "LHK-7-criteria",
                    "approve",
                    BLOCK,
                    "第七条",
                    "第七条所列六项重点内容均已逐项论证",
                    criteria_scored,
                ),
            ),
            criteria=tuple(
                Criterion(f"lhk-7-{n}", label, f"第七条({numeral})")
                for n, (numeral, label) in enumerate(
                    (
                        (
                            "一",
                            "是否符合党中央、国务院的决策部署以及省委、省政府和市委、市政府的重点工作要求",
                        ),
                        ("二", "是否符合全市信息化和智慧城市总体规划以及数字政府建设规划"),
                        ("三", "建设依据是否充分，需求描述是否完整"),
                        ("四", "是否有重复建设内容"),
                        ("五", "是否明确项目建设成果共享及成果共享机制"),
                        ("六", "是否明确项目建成后的推广应用方案和运行维护方案"),
                    ),
                    start=1,
                )
            ),
        ),
        Article(
            "第八条",
            "新增固定资产投资的项目提请市发展和改革部门审批",
            actors={
                "approve": (
                    Actor(
                        DEVELOPMENT,
                        "第八条",
                        "市发展和改革部门",
                        when=lambda project: project.adds_fixed_assets,
                    ),
                ),
            },
        ),
        Article(
            "第九条、第十条",
            "中心组织统一技术评审；已列入计划的项目编写技术设计书",
            not_enforced="技术设计书是评审的材料，由评审专家审阅；本办法未将其列为申报时必交的材料",
        ),
        Article(
            "第十一条",
            "从襄阳市专家库中选取相应领域的专家",
            checks=(
                panel_formed("ANY-panel", "第十一条"),
                Check(
                    "LHK-11-field",
                    "start_review",
                    BLOCK,
                    "第十一条",
                    "从专家库中选取项目所需相应领域的专家",
                    fields_covered,
                ),
            ),
        ),
        Article(
            "第十二条",
            "技术评审后报市财政局开展投资预算评审",
            checks=(
                reject_opinion_recorded("ANY-reject-opinion", "第十二条"),
                opinion_passing("ANY-opinion", "第十二条"),
                budget_within_declared("ANY-budget", "第十二条"),
            ),
            # Beside 第八条's projects adding fixed assets: 市财政局预算评审.
            actors={"approve": (Actor(FINANCE, "第十二条", "市财政局"),)},
        ),
        Article(
            "第十三条",
            "执行招标投标、政府采购、项目监理、合同管理等制度",
            checks=(contract_filed("ANY-contract", "第十三条"),),
        ),
        Article(
            "第十四条",
            "各地各部门不再单独新建服务器存储能力、计算资源",
            # It names no server rooms; 政务云服务 is what the centre provides in their place.
            prohibited=frozenset({ConstructionKind.SERVERS_STORAGE}),
            checks=(
                prohibited_check("LHK-14-prohibited", "第十四条", "部门单独新建服务器存储能力、计算资源"),
            ),
        ),
        Article(
            "第十五条、第十六条",
            "政务云等级保护；应用系统统一在政务云部署",
            not_enforced="部署于政务云在第二十三条验收时核验（LHK-23-conditions）；等级保护是中心的义务",
        ),
        Article(
            "第十七条",
            "硬件和软件建设纳入统一监理",
            checks=(
                supervisor_check(
                    "LHK-18-supervisor",
                    "第十七条",
                    "硬件和软件建设项目已由市城市运行管理中心派驻监理单位",
                    applies=_supervised,
                    who="市城市运行管理中心派驻",
                ),
            ),
        ),
        Article(
            "第十八条",
            "确定中标结果的5个工作日内书面申请派驻监理，中心派驻",
            checks=(
                Check(
                    "LHK-18-application",
                    "file_contract",
                    WARN,
                    "第十八条",
                    "确定中标结果的5个工作日内书面申请派驻监理",
                    _supervisor_application,
                    applies=_supervised,
                ),
            ),
            deadlines=(
                DeadlineRule(
                    "LHK-18-application",
                    "申请派驻监理",
                    "第十八条",
                    "确定中标结果的5个工作日内书面申请派驻项目监理单位",
                    _supervisor_application_deadline,
                    pending_in=BUILDING,
                ),
            ),
            actors={
                "apply_supervisor": (Actor(DEPARTMENT, "第十八条", "项目建设单位", owner_only=True),),
                "assign_supervisor": (Actor(BDC, "第十八条", "市城市运行管理中心"),),
            },
            params={"申请派驻监理期限（工作日）": SUPERVISOR_APPLICATION_WORKDAYS},
        ),
        Article(
            "第十九条",
            "监理单位对市城市运行管理中心和建设单位负责，定期报告项目建设情况",
            deadlines=(
                # "定期": the regulation sets no period; the jurisdiction does (monthly by default).
                supervision_report_rule(
                    "LHK-19-supervision",
                    "第十九条",
                    "监理单位定期向市城市运行管理中心、项目建设单位报告项目建设情况（周期由本级设定，默认每月）",
                ),
                risk_rating_rule("LHK-19-rating", "第十九条"),
            ),
            actors={"supervision_report": (Actor(SUPERVISOR, "第十九条", "监理单位"),)},
        ),
        Article(
            "第二十条",
            "监理单位负责四控三管；建设完成后建设单位对监理单位服务打分",
            checks=(
                Check(
                    "LHK-20-score",
                    "apply_acceptance",
                    WARN,
                    "第二十条",
                    "项目建设完成后，建设单位已对监理单位服务打分",
                    lambda ctx: (
                        ctx.supervisor is None
                        or hasattr(ctx.supervisor, "score")
                        or "尚未对监理单位服务打分（作为监理费用的结算参考依据）。"
                    ),
                ),
            ),
            actors={
                "score_supervisor": (Actor(DEPARTMENT, "第二十条", "项目建设单位", owner_only=True),),
            },
        ),
        Article(
            "第二十一条",
            "验收由市财政局、市城市运行管理中心统一组织",
            actors={
                "issue_acceptance_letter": (
                    Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),
                ),
                "pass_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
                "fail_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
            },
        ),
        Article(
            "第二十二条",
            "按行业领域和合同金额抽取专家组成验收专家组",
            checks=(
                application_letter("ANY-application", "第二十二条"),
                group_parties("ANY-group-parties", "第二十二条"),
                group_formed("ANY-group", "第二十二条"),
                acceptance_opinions_complete("ANY-acceptance-opinions", "第二十二条"),
            ),
            acceptance_parties=(
                Party("owner", "建设单位", "第二十二条"),
                Party("supervisor", "监理单位", "第二十二条"),
                Party("builder", "承建单位", "第二十二条"),
                Party("user", "使用单位", "第二十二条"),
            ),
            acceptance_group_size=_group_size,
            actors={"draw_acceptance_group": (Actor(BDC, "第二十二条", "市城市运行管理中心"),)},
            params={"验收专家人数": f"3名；合同金额{LARGE_CONTRACT}万元以上5名（平台规程）"},
        ),
        Article(
            "第二十三条",
            "验收检查的九项内容：(二) 初验后试运行不少于一个月；(五)至(八) 用户报告、培训、测评、质检、政务云",
            checks=(
                self_check_done("ANY-selfcheck", "第二十三条"),
                security_assessed("ANY-security", "第二十三条"),
                catalogue_connected("ANY-connected", "第二十三条"),
                Check(
                    "LHK-23-conditions",
                    "apply_acceptance",
                    BLOCK,
                    "第二十三条",
                    "用户报告、培训记录、部署于政务云；平台类项目软件测评报告，数据采集项目数据质检报告",
                    _conditions,
                ),
                *change_checks("LHK-23-change", "第二十三条"),
                *acceptance_condition_checks(ACCEPTANCE_CONDITIONS),
            ),
            acceptance_conditions=ACCEPTANCE_CONDITIONS,
            rules=(
                trial_rules(
                    "LHK-23-trial",
                    "第二十三条(二)",
                    1,
                    None,
                    _trial_from,
                    "通过初验后经过不少于一个月的安全稳定试运行",
                ),
            ),
            # 项目内容、工期等变更是否按规定程序获得批准.
            change_rule=major_change_rule(("goals", "content", "schedule", "budget"), "市城市运行管理中心"),
            params={"试运行（月）": "≥1"},
        ),
        Article(
            "第二十四条",
            "通过验收后报送验收报告；未经验收或验收未通过的不予支付",
            checks=(
                acceptance_letter("ANY-letter", "第二十四条"),
                acceptance_letter_failed("ANY-letter", "第二十四条"),
                rectification_reported("LHK-24-rectify", "第二十四条"),
                Check(
                    "LHK-24-payment",
                    "progress_report",
                    WARN,
                    "第二十四条",
                    "未经验收或验收未通过的项目，财政部门不支付后续费用：完工自检后至验收通过前，累计支付不再增加",
                    _no_payment_before_acceptance,
                    applies=lambda ctx: ctx.project.state in AWAITING_ACCEPTANCE,
                ),
                documents_check(
                    "LHK-24-report",
                    "archive",
                    "第二十四条",
                    (DocumentKind.ACCEPTANCE_REPORT,),
                    "通过验收后，建设单位已向市财政局、市城市运行管理中心报送签字盖章的项目验收报告（附件3）",
                ),
            ),
            deadlines=(
                rectification_rule(
                    "LHK-24-rectify",
                    "第二十四条",
                    "验收未通过的，按验收专家组确定的整改事项和期限完成整改并报告",
                ),
            ),
            params={
                "后续费用": "完工自检后至验收通过前，进度和预算执行报告的累计支付增加的，预警并记入时间线（不阻断："
                "报告记录的是财政已支付的事实，拒收报告只会隐藏支付）",
                "验收报告": "验收通过后由建设单位上传签字盖章的项目验收报告，归档前核验",
            },
            # 不予支付 is the finance bureau's; the platform records payments only as the 累计支付 of the
            # department's progress reports, where LHK-24-payment warns.
        ),
        Article(
            "第二十五条",
            "设定绩效目标，编制清晰、量化、便于考核的绩效指标",
            checks=(targets_set("LHK-25-targets", "第二十五条", quantified=True),),
        ),
        Article(
            "第二十六条",
            "验收通过并投入运行后12至24个月内开展自评价；财政局抽取重点评价",
            checks=(
                evaluation_recorded("ANY-evaluation", "第二十六条"),
                Check(
                    "LHK-26-window",
                    "archive",
                    BLOCK,
                    "第二十六条",
                    "验收通过后12至24个月内形成绩效自评价报告",
                    _self_evaluation_dated,
                ),
                Check(
                    "LHK-26-period",
                    "self_evaluation",
                    BLOCK,
                    "第二十六条",
                    "在验收通过并投入运行后12至24个月内开展自评价",
                    _self_evaluation_open,
                ),
            ),
            # 市财政局有针对性的选取财政性资金项目实施再评价: finance draws the year's sample (performance).
            actors={"finance_evaluation": (Actor(FINANCE, "第二十六条", "市财政局"),)},
            deadlines=(
                DeadlineRule(
                    "LHK-26-window",
                    "绩效自评价",
                    "第二十六条",
                    "通过验收并投入运行后12至24个月内开展自评价并报送",
                    _evaluation_deadline,
                    soon_days=31,
                    pending_in=frozenset({ProjectState.EVALUATION}),
                ),
            ),
            params={"自评价期间（验收后月数）": "12–24"},
        ),
        Article(
            "第二十七条",
            "评价结果的应用",
            not_enforced=(
                "评价结果如何运用由中心和财政局决定；平台在该单位此后申报的项目页上列出其以往的自评价和财政再评价结果"
            ),
        ),
        Article("第二十八条", "涉密项目按保密要求实施", not_enforced="按保密规定办理，平台不处理涉密内容"),
        Article("第二十九条、第三十条", "解释和施行", not_enforced="附则"),
    ),
)
