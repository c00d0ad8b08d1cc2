"""《老河口市本级信息化和智慧城市项目管理办法》河政规〔2024〕1号, article by article."""

from datetime import date

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
    Policy,
)
from .common import (
    acceptance_letter,
    application_letter,
    budget_within_declared,
    catalogue_connected,
    catalogue_present,
    contract_filed,
    criteria_scored,
    evaluation_recorded,
    fields_covered,
    group_formed,
    opinion_passing,
    panel_formed,
    prereview_passed,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
)
from .shapes import (
    BUILDING,
    accepted_on,
    change_checks,
    completed_on,
    documents_check,
    major_change_rule,
    prohibited_check,
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
    uploaded = ctx.first_upload_on(DocumentKind.SELF_EVALUATION, after=opens)
    if uploaded is None or uploaded > closes:
        return f"自评价报告须在验收通过后12至24个月内（{chinese_date(opens)}至{chinese_date(closes)}）形成并报送。"
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
                "pass_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
                "fail_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
            },
        ),
        Article(
            "第二十二条",
            "按行业领域和合同金额抽取专家组成验收专家组",
            checks=(
                application_letter("ANY-application", "第二十二条"),
                group_formed("ANY-group", "第二十二条"),
            ),
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
            ),
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
            checks=(acceptance_letter("ANY-letter", "第二十四条"),),
            # 不予支付 is the finance bureau's: payments are not on the platform.
        ),
        Article(
            "第二十五条",
            "设定绩效目标和绩效指标",
            not_enforced="绩效目标是申报材料的第七章，在第七条(三)的需求描述中核验",
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
            ),
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
            not_enforced="中心和财政局对评价结果的运用，在归档之后",
        ),
        Article("第二十八条", "涉密项目按保密要求实施", not_enforced="按保密规定办理，平台不处理涉密内容"),
        Article("第二十九条、第三十条", "解释和施行", not_enforced="附则"),
    ),
)
