"""《拱墅区信息化项目管理办法（征求意见稿）》, part by part (the draft numbers its provisions 一 to 六, each
with items (一)(二)…; a citation 四(二) is part 四, item (二))."""

from decimal import Decimal

from django.utils import timezone

from core.enums import OrganisationKind
from core.workdays import chinese_date

from ..checks import Check
from ..deadlines import DeadlineRule
from ..enums import DocumentKind, ProjectState
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    FINANCE,
    WARN,
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
    contract_filed,
    evaluation_recorded,
    group_formed,
    opinion_passing,
    panel_formed,
    prereview_of_declaration,
    prereview_passed,
    rectification_reported,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
    targets_set,
)
from .shapes import (
    change_checks,
    contract_filing_rules,
    documents_check,
    progress_report_rule,
    rectification_rule,
    risk_rating_rule,
    supervision_report_rule,
    supervisor_check,
)

# 五(一)、五(二): 单个项目经费预算50万元以上的，招标需求由专家确认，并确定采购最高限价。
PROCUREMENT_THRESHOLD = Decimal("50.00")
# 五(四): 经费预算100万元以上的信息化项目，由项目建设单位落实项目监理。
SUPERVISION_THRESHOLD = Decimal("100.00")
# 四(二): 在项目申报后5个工作日内，由领导小组办公室对项目实施方案进行预审。
PREREVIEW_WORKDAYS = 5


def _at_least(threshold):
    # "以上" includes the number itself (民法典 第一千二百五十九条).
    return lambda ctx: ctx.project.budget >= threshold


def _requirements_confirmed(ctx):
    if ctx.bidding_confirmation is None:
        return "尚未由领导小组办公室组织专家确认招标需求：未经确认不准实施采购。"
    return True


def _ceiling_set(ctx):
    confirmation = ctx.bidding_confirmation
    if confirmation is None or confirmation.ceiling_price is None:
        return "尚未确定采购最高限价。"
    return True


def _within_ceiling(ctx):
    confirmation = ctx.bidding_confirmation
    if confirmation is None or confirmation.ceiling_price is None:
        return "尚未确定采购最高限价。"
    amount = ctx.decimal_param("contract_amount")
    if amount is None:
        return None
    ceiling = confirmation.ceiling_price
    return amount <= ceiling or f"合同金额{amount}万元超过采购最高限价{ceiling}万元。"


def _prereview_due(ctx):
    declared = ctx.project.declared_at
    return (
        None
        if declared is None
        else ctx.calendar.add_workdays(timezone.localdate(declared), PREREVIEW_WORKDAYS)
    )


def _prereview_on(ctx):
    pre = prereview_of_declaration(ctx)
    return timezone.localdate(pre.at) if pre else None


def _prereview_in_time(ctx):
    due = _prereview_due(ctx)
    if due is None:
        return True
    done = _prereview_on(ctx) or ctx.today
    return (
        done <= due
        or f"预审意见书应于申报后5个工作日内（{chinese_date(due)}前）出具，实际{chinese_date(done)}。"
    )


def _prereview_deadline(ctx):
    due = _prereview_due(ctx)
    if due is None:
        return
    yield {
        "opens_on": timezone.localdate(ctx.project.declared_at),
        "due_on": due,
        "done_on": _prereview_on(ctx),
    }


def _agencies(ctx):
    invited = {i.organisation.kind for i in ctx.agency_invitations}
    wanted = (OrganisationKind.DEVELOPMENT, OrganisationKind.FINANCE)
    missing = [OrganisationKind(k).label for k in wanted if k not in invited]
    return not missing or f"须组织{'、'.join(missing)}参与评审专家组。"


def _change_rule(project, aspects, amount_change, new_total):
    if "budget" in aspects or amount_change:
        return True, "年度信息化项目资金预算原则上不予调整，确需调整的，提出项目变更申报，报领导小组审定。"
    return False, "未调整项目资金预算，报领导小组办公室备案。"


def _not_classified(ctx) -> bool:
    # 二(二): 除确有法律法规明确要保密的外，必须与区数据中枢对接，并提供政务资源目录。
    return not ctx.project.is_classified


def _catalogue(ctx):
    return bool(ctx.resources) or "尚未提供政务资源目录：项目须与区数据中枢对接并提供政务资源目录。"


# 五(五): 竣工验收主要内容.
ACCEPTANCE_CONDITIONS = (
    Criterion("GS-5-5-1", "项目资料完备、规范", "五(五)"),
    Criterion("GS-5-5-2", "履行合同和招标投标文件", "五(五)"),
    Criterion("GS-5-5-3", "系统各项功能、性能、安全性及各项技术指标完成", "五(五)"),
    Criterion("GS-5-5-4", "系统信息资源共享落实", "五(五)"),
    Criterion("GS-5-5-5", "合同规定的其他情况", "五(五)"),
)

POLICY = Policy(
    code="gongshu-draft",
    version="draft",
    jurisdiction="杭州市拱墅区",
    title="拱墅区信息化项目管理办法（征求意见稿）",
    document_number="",
    issued=None,
    reviewing_body="区数据资源局（领导小组办公室）",
    articles=(
        Article("一", "项目范围", not_enforced="适用范围，没有可对项目核验的条件"),
        Article(
            "二(一)",
            "统筹规划原则",
            not_enforced="原则，由评审专家在四(二)审查是否符合全区统一规划",
        ),
        Article(
            "二(二)",
            "互联共享：除确需保密的外，必须与区数据中枢对接并提供政务资源目录",
            checks=(
                Check(
                    "GS-2-catalogue",
                    "submit",
                    BLOCK,
                    "二(二)",
                    "已提供政务资源目录",
                    _catalogue,
                    applies=_not_classified,
                ),
            ),
        ),
        Article(
            "二(三)、二(四)",
            "保障安全原则；统一纳入项目库管理",
            not_enforced="安全在五(五)验收时审查（ANY-security）；项目库即平台本身",
        ),
        Article(
            "三",
            "领导小组、区数据资源局、区财政局、区发改经信局、区审计局和项目建设单位的职责",
            not_enforced="职责分工：各机构在四、五部分规定的环节办理",
        ),
        Article(
            "四(一)",
            "向领导小组办公室申报次年项目，编制项目实施方案和绩效目标",
            # 编制信息化项目绩效目标: the targets and indicators themselves (performance), not a document of them.
            documents=(DocumentKind.IMPLEMENTATION_PLAN,),
            checks=(
                documents_check(
                    "GS-4-docs",
                    "submit",
                    "四(一)",
                    (DocumentKind.IMPLEMENTATION_PLAN,),
                    "已提交项目实施方案",
                ),
                targets_set("GS-4-targets", "四(一)"),
            ),
        ),
        Article(
            "四(二)",
            "申报后5个工作日内预审，出具预审意见书；组织区发改经信局、区财政局和专家组成评审专家组审查",
            checks=(
                prereview_passed("ANY-prereview", "四(二)"),
                Check(
                    "GS-4-prereview",
                    "start_review",
                    WARN,
                    "四(二)",
                    "项目申报后5个工作日内出具预审意见书",
                    _prereview_in_time,
                ),
                panel_formed("ANY-panel", "四(二)"),
                Check(
                    "GS-4-agencies",
                    "start_review",
                    BLOCK,
                    "四(二)",
                    "区发改经信局、区财政局等相关部门参与评审专家组",
                    _agencies,
                ),
                reject_opinion_recorded("ANY-reject-opinion", "四(二)"),
                opinion_passing("ANY-opinion", "四(二)"),
            ),
            deadlines=(
                DeadlineRule(
                    "GS-4-prereview",
                    "出具预审意见书",
                    "四(二)",
                    "项目申报后5个工作日内对实施方案进行预审，出具预审意见书",
                    _prereview_deadline,
                    owner="bdc",
                    pending_in=frozenset({ProjectState.DECLARED}),
                ),
            ),
            review_agencies=(OrganisationKind.DEVELOPMENT, OrganisationKind.FINANCE),
            # 出具预审意见书，提出取消、拆分、合并项目建设或完善需求方案等意见建议; 预审合格后 the review.
            prereview_outcomes=("pass", "revise", "split", "merge", "cancel"),
            actors={"prereview": (Actor(BDC, "四(二)", "领导小组办公室"),)},
            criteria=(
                Criterion("gs-plan", "是否符合全区数据资源统一规划和年度实施任务等要求", "四(二)"),
                Criterion("gs-funding", "经费是否合理", "四(二)"),
                Criterion("gs-sharing", "数据资源是否归集与共享", "四(二)"),
            ),
            # The panel covers what the review assesses: 经费是否合理, 数据资源是否归集与共享
            # (reviews.enums.ExpertField values).
            draw_fields=("finance", "data"),
            params={
                "预审期限（工作日）": PREREVIEW_WORKDAYS,
                "预审意见书": "预审合格（进入评审）；完善需求方案、拆分项目建设、合并项目建设（退回建设单位修改，"
                "重新申报后重新预审）；取消项目建设（不予立项）",
            },
        ),
        Article(
            "四(三)",
            "区财政局安排项目资金；预算原则上不予调整，确需调整的提出变更申报；紧急项目报区政府审批",
            checks=(
                budget_within_declared("ANY-budget", "四(三)"),
                *change_checks("GS-4-change", "四(三)"),
            ),
            change_rule=_change_rule,
            actors={"approve": (Actor(FINANCE, "四(三)", "区财政局"),)},
            # 突发性、紧急性项目报区政府审批: no emergency path on the platform for this draft yet.
        ),
        Article(
            "五(一)",
            "经费预算50万元以上的项目，采购前由领导小组办公室组织专家确认招标需求",
            checks=(
                Check(
                    "GS-5-requirements",
                    "start_procurement",
                    BLOCK,
                    "五(一)",
                    "经费预算50万元以上的项目，采购前由领导小组办公室组织专家确认招标需求",
                    _requirements_confirmed,
                    applies=_at_least(PROCUREMENT_THRESHOLD),
                ),
            ),
            bidding_confirmation=True,
            actors={"confirm_bidding": (Actor(BDC, "五(一)", "领导小组办公室"),)},
            params={"招标需求确认（万元以上）": PROCUREMENT_THRESHOLD},
        ),
        Article(
            "五(二)",
            "经核准的招标需求确定采购最高限价",
            checks=(
                Check(
                    "GS-5-ceiling",
                    "start_procurement",
                    BLOCK,
                    "五(二)",
                    "经费预算50万元以上的项目，已确定采购最高限价",
                    _ceiling_set,
                    applies=_at_least(PROCUREMENT_THRESHOLD),
                ),
                Check(
                    "GS-5-ceiling",
                    "file_contract",
                    BLOCK,
                    "五(二)",
                    "合同金额不超过采购最高限价",
                    _within_ceiling,
                    applies=_at_least(PROCUREMENT_THRESHOLD),
                ),
            ),
        ),
        Article(
            "五(三)",
            "合同签订后5个工作日内向领导小组办公室备案",
            checks=(contract_filed("ANY-contract", "五(三)"),),
            rules=(
                contract_filing_rules(
                    "GS-5-deadline", "五(三)", 5, "合同签订后5个工作日内向领导小组办公室备案"
                ),
            ),
            params={"合同备案期限（工作日）": 5},
        ),
        Article(
            "五(四)",
            "经费预算100万元以上的项目由项目建设单位落实项目监理；定期报送双监控报告",
            checks=(
                supervisor_check(
                    "GS-5-supervisor",
                    "五(四)",
                    "经费预算100万元以上的项目已落实项目监理",
                    applies=_at_least(SUPERVISION_THRESHOLD),
                    who="项目建设单位落实",
                ),
            ),
            # 双监控 reports: "定期"; the draft sets no period, the jurisdiction does (monthly by default).
            deadlines=(
                progress_report_rule(
                    "GS-5-dual",
                    "双监控报告",
                    "五(四)",
                    "建设期间定期对绩效目标实现程度和预算执行进度开展“双监控”，向领导小组办公室和区财政局报送绩效监控报告（周期由本级设定，默认每月）",
                ),
                supervision_report_rule(
                    "GS-5-supervision",
                    "五(四)",
                    "落实监理的项目，向领导小组办公室提交项目监理相关材料（监理报告，周期由本级设定，默认每月）",
                ),
                risk_rating_rule("GS-5-rating", "五(四)"),
            ),
            actors={"assign_supervisor": (Actor(DEPARTMENT, "五(四)", "项目建设单位", owner_only=True),)},
            params={"落实监理（万元以上）": SUPERVISION_THRESHOLD},
        ),
        Article(
            "五(五)",
            "领导小组办公室统一组织专家竣工验收，审查资料、合同履行、功能性能安全、信息资源共享",
            checks=(
                self_check_done("ANY-selfcheck", "五(五)"),
                application_letter("ANY-application", "五(五)"),
                security_assessed("ANY-security", "五(五)"),
                group_formed("ANY-group", "五(五)"),
                acceptance_opinions_complete("ANY-acceptance-opinions", "五(五)"),
                *acceptance_condition_checks(ACCEPTANCE_CONDITIONS),
                acceptance_letter("ANY-letter", "五(五)"),
                acceptance_letter_failed("ANY-letter", "五(五)"),
                rectification_reported("GS-5-rectify", "五(五)"),
            ),
            acceptance_conditions=ACCEPTANCE_CONDITIONS,
            deadlines=(
                rectification_rule(
                    "GS-5-rectify",
                    "五(五)",
                    "验收不合格的不得投入使用：按验收组确定的整改事项和期限完成整改并报告",
                ),
            ),
            actors={
                "draw_acceptance_group": (Actor(BDC, "五(五)", "领导小组办公室"),),
                "issue_acceptance_letter": (Actor(BDC, "五(五)", "领导小组办公室"),),
                "pass_acceptance": (Actor(BDC, "五(五)", "领导小组办公室"),),
                "fail_acceptance": (Actor(BDC, "五(五)", "领导小组办公室"),),
            },
        ),
        Article(
            "五(六)",
            "申请政务云等基础资源；上线前完成基础服务和数据共享接口对接",
            not_enforced="资源分配由区数据资源局办理；上线前的数据对接在六(二)核验（ANY-connected）",
        ),
        Article(
            "六(一)",
            "运维保障和安全管理记录定期报送",
            not_enforced="归档后的运维，平台不跟踪；本办法未规定报送的期限",
        ),
        Article(
            "六(二)",
            "明确数据资源目录，按要求归集共享",
            checks=(catalogue_connected("ANY-connected", "六(二)"),),
        ),
        Article(
            "六(三)",
            "聘请第三方机构开展绩效评价",
            checks=(evaluation_recorded("ANY-evaluation", "六(三)"),),
            # 领导小组办公室会同区财政局，聘请第三方机构 … 统一绩效评价.
            actors={
                "third_party_evaluation": (Actor(BDC | FINANCE, "六(三)", "领导小组办公室会同区财政局"),)
            },
        ),
    ),
)
