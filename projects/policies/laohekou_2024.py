"""《老河口市本级信息化和智慧城市项目管理办法》河政规〔2024〕1号."""

from datetime import date

from core.workdays import chinese_date

from ..checks import Check
from ..enums import Chapter, ProjectCategory, ProjectState
from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from .base import (
    BDC,
    BLOCK,
    BUILDING,
    DEPARTMENT,
    DEVELOPMENT,
    FINANCE,
    WARN,
    Actor,
    Criterion,
    DeadlineRule,
    Policy,
    accepted_on,
    change_checks,
    completed_on,
    documents_check,
    major_change_rule,
    prohibited_check,
    supervisor_check,
    trial_rules,
    trial_start,
)
from .common import criteria_scored, fields_covered

# 第十四条: 各地各部门不再单独新建服务器存储能力、计算资源 — it names no server rooms. No other kind is
# department-built compute (政务云服务 is what the centre provides in its place).
PROHIBITED = frozenset({C.SERVERS_STORAGE})


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


# 第七条: 统一答辩、评估和论证重点参考的六项。
CRITERIA = tuple(
    Criterion(f"lhk-7-{n}", label, f"第七条({numeral})")
    for n, (numeral, label) in enumerate(
        (
            ("一", "是否符合党中央、国务院的决策部署以及省委、省政府和市委、市政府的重点工作要求"),
            ("二", "是否符合全市信息化和智慧城市总体规划以及数字政府建设规划"),
            ("三", "建设依据是否充分，需求描述是否完整"),
            ("四", "是否有重复建设内容"),
            ("五", "是否明确项目建设成果共享及成果共享机制"),
            ("六", "是否明确项目建成后的推广应用方案和运行维护方案"),
        ),
        start=1,
    )
)


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
    applied = ctx.first_upload_on(K.SUPERVISOR_APPLICATION)
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
        "done_on": ctx.first_upload_on(K.SUPERVISOR_APPLICATION),
    }


def _trial_from(ctx):
    """第二十三条(二): 系统通过初验并经过不少于一个月的试运行 — counted from the later of the two."""
    start, done = trial_start(ctx), completed_on(ctx)
    return max(start, done) if start and done else None


TRIAL = trial_rules(
    "LHK-23-trial", "第二十三条(二)", 1, None, _trial_from, "通过初验后经过不少于一个月的安全稳定试运行"
)


def _conditions(ctx):
    """第二十三条(五)至(八)."""
    p = ctx.project
    required = [K.USER_REPORT, K.TRAINING_RECORD]
    if C.PLATFORM in p.construction_kinds:
        required.append(K.SOFTWARE_TEST)
    if C.DATA_COLLECTION in p.construction_kinds:
        required.append(K.DATA_QUALITY)
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
    uploaded = ctx.first_upload_on(K.SELF_EVALUATION, after=opens)
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
        "done_on": ctx.first_upload_on(K.SELF_EVALUATION, after=opens),
    }


POLICY = Policy(
    code="laohekou-2024",
    version="2024-01-15",
    jurisdiction="老河口市",
    title="老河口市本级信息化和智慧城市项目管理办法",
    document_number="河政规〔2024〕1号",
    issued=date(2024, 1, 15),
    reviewing_body="市城市运行管理中心",
    articles={
        "ANY-catalogue": "第七条",
        "ANY-prereview": "第七条",
        "ANY-panel": "第十一条",
        "ANY-reject-opinion": "第十二条",
        "ANY-opinion": "第十二条",
        "ANY-budget": "第十二条",
        "ANY-contract": "第十三条",
        "ANY-selfcheck": "第二十三条",
        "ANY-application": "第二十二条",
        "ANY-security": "第二十三条",
        "ANY-connected": "第二十三条",
        "ANY-group": "第二十二条",
        "ANY-letter": "第二十四条",
        "ANY-evaluation": "第二十六条",
    },
    declaration_documents=(K.INTENT,),
    prohibited_kinds=PROHIBITED,
    review_criteria=CRITERIA,
    # 第二十三条: 项目内容、工期等变更是否按规定程序获得批准。
    change_rule=major_change_rule(("goals", "content", "schedule", "budget"), "市城市运行管理中心"),
    change_article="第二十三条",
    actors={
        # 第八条: 新增固定资产投资的信息化项目 … 提请市发展和改革部门审批; otherwise 第十二条: 市财政局预算评审.
        "approve": (
            Actor(DEVELOPMENT, "第八条", "市发展和改革部门", when=lambda project: project.adds_fixed_assets),
            Actor(FINANCE, "第十二条", "市财政局"),
        ),
        # 第十八条: 建设单位书面申请派驻监理，市城市运行管理中心派驻。
        "apply_supervisor": (Actor(DEPARTMENT, "第十八条", "项目建设单位", owner_only=True),),
        "assign_supervisor": (Actor(BDC, "第十八条", "市城市运行管理中心"),),
        # 第二十一条: 验收工作由市财政局、市城市运行管理中心统一组织。
        "pass_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
        "fail_acceptance": (Actor(FINANCE | BDC, "第二十一条", "市财政局、市城市运行管理中心"),),
    },
    deadlines=(
        DeadlineRule(
            "LHK-18-application",
            "申请派驻监理",
            "第十八条",
            "确定中标结果的5个工作日内书面申请派驻项目监理单位",
            _supervisor_application_deadline,
            pending_in=BUILDING,
        ),
        TRIAL[1],
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
    checks=(
        Check(
            "LHK-11-field",
            "start_review",
            BLOCK,
            "第十一条",
            "从专家库中选取项目所需相应领域的专家",
            fields_covered,
        ),
        Check(
            "LHK-7-criteria",
            "approve",
            BLOCK,
            "第七条",
            "第七条所列六项重点内容均已逐项论证",
            criteria_scored,
        ),
        supervisor_check(
            "LHK-18-supervisor",
            "第十七条",
            "硬件和软件建设项目已由市城市运行管理中心派驻监理单位",
            applies=_supervised,
            who="市城市运行管理中心派驻",
        ),
        Check(
            "LHK-18-application",
            "file_contract",
            WARN,
            "第十八条",
            "确定中标结果的5个工作日内书面申请派驻监理",
            _supervisor_application,
            applies=_supervised,
        ),
        TRIAL[0],
        Check(
            "LHK-23-conditions",
            "apply_acceptance",
            BLOCK,
            "第二十三条",
            "用户报告、培训记录、部署于政务云；平台类项目软件测评报告，数据采集项目数据质检报告",
            _conditions,
        ),
        *change_checks("LHK-23-change", "第二十三条"),
        Check(
            "LHK-26-window",
            "archive",
            BLOCK,
            "第二十六条",
            "验收通过后12至24个月内形成绩效自评价报告",
            _self_evaluation_dated,
        ),
        documents_check(
            "LHK-6-intent", "submit", "第六条", (K.INTENT,), "已以书面形式提交信息化项目建设意向"
        ),
        prohibited_check("LHK-14-prohibited", "第十四条", PROHIBITED, "部门单独新建服务器存储能力、计算资源"),
        Check(
            "LHK-7-content",
            "submit",
            WARN,
            "第七条",
            "需求描述包括建设目的、现状分析、建设内容、运行环境、概算及效益分析",
            _demand_description,
        ),
    ),
)
