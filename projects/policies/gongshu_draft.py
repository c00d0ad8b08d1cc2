"""《拱墅区信息化项目管理办法（征求意见稿）》."""

from decimal import Decimal

from django.utils import timezone

from core.enums import OrganisationKind
from core.workdays import chinese_date

from ..checks import Check
from ..enums import DocumentKind as K
from ..enums import ProjectState
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    FINANCE,
    WARN,
    Actor,
    Criterion,
    DeadlineRule,
    Policy,
    change_checks,
    contract_filing_rules,
    documents_check,
    supervisor_check,
)

# 五(一)、五(二): 单个项目经费预算50万元以上的，招标需求由专家确认，并确定采购最高限价。
PROCUREMENT_THRESHOLD = Decimal("50.00")
# 五(四): 经费预算100万元以上的信息化项目，由项目建设单位落实项目监理。
SUPERVISION_THRESHOLD = Decimal("100.00")
# 四(二): 在项目申报后5个工作日内，由领导小组办公室对项目实施方案进行预审。
PREREVIEW_WORKDAYS = 5
# 五(三): 合同签订后5个工作日内需向领导小组办公室备案。
CONTRACT_FILING = contract_filing_rules(
    "GS-5-deadline", "五(三)", 5, "合同签订后5个工作日内向领导小组办公室备案"
)


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
    pre = ctx.prereview
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
    from core.enums import OrganisationKind as O

    invited = {i.organisation.kind for i in ctx.agency_invitations}
    missing = [O(k).label for k in (O.DEVELOPMENT, O.FINANCE) if k not in invited]
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


# 四(二): 评审专家组对项目是否符合规划和年度任务、经费是否合理、数据资源是否归集与共享进行审查。
CRITERIA = (
    Criterion("gs-plan", "是否符合全区数据资源统一规划和年度实施任务等要求", "四(二)"),
    Criterion("gs-funding", "经费是否合理", "四(二)"),
    Criterion("gs-sharing", "数据资源是否归集与共享", "四(二)"),
)

POLICY = Policy(
    code="gongshu-draft",
    version="draft",
    jurisdiction="杭州市拱墅区",
    title="拱墅区信息化项目管理办法（征求意见稿）",
    document_number="",
    issued=None,
    reviewing_body="区数据资源局（领导小组办公室）",
    articles={
        "ANY-catalogue": None,  # stated as GS-2-catalogue below
        "ANY-prereview": "四(二)",
        "ANY-panel": "四(二)",
        "ANY-reject-opinion": "四(二)",
        "ANY-opinion": "四(二)",
        "ANY-budget": "四(三)",
        "ANY-contract": "五(三)",
        "ANY-selfcheck": "五(五)",
        "ANY-application": "五(五)",
        "ANY-security": "五(五)",
        "ANY-connected": "六(二)",
        "ANY-group": "五(五)",
        "ANY-letter": "五(五)",
        "ANY-evaluation": "六(三)",
    },
    declaration_documents=(K.IMPLEMENTATION_PLAN, K.PERFORMANCE_TARGETS),
    review_criteria=CRITERIA,
    # 四(二): 由领导小组办公室组织区发改经信局、区财政局等相关部门和专家组成评审专家组。
    review_agencies=(OrganisationKind.DEVELOPMENT, OrganisationKind.FINANCE),
    change_rule=_change_rule,
    bidding_confirmation=True,
    change_article="四(三)",
    actors={
        # 四(三): 区财政局 … 在各部门预算中安排下一年度信息化项目资金。
        "approve": (Actor(FINANCE, "四(三)", "区财政局"),),
        # 五(一): 由领导小组办公室统一组织专家确认招标需求。
        "confirm_bidding": (Actor(BDC, "五(一)", "领导小组办公室"),),
        # 五(四): 经费预算100万元以上的信息化项目，由项目建设单位落实项目监理。
        "assign_supervisor": (Actor(DEPARTMENT, "五(四)", "项目建设单位", owner_only=True),),
        # 五(五): 由领导小组办公室统一组织专家验收。
        "pass_acceptance": (Actor(BDC, "五(五)", "领导小组办公室"),),
        "fail_acceptance": (Actor(BDC, "五(五)", "领导小组办公室"),),
    },
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
        CONTRACT_FILING[1],
    ),
    checks=(
        Check(
            "GS-4-prereview",
            "start_review",
            WARN,
            "四(二)",
            "项目申报后5个工作日内出具预审意见书",
            _prereview_in_time,
        ),
        Check(
            "GS-4-agencies",
            "start_review",
            BLOCK,
            "四(二)",
            "区发改经信局、区财政局等相关部门参与评审专家组",
            _agencies,
        ),
        Check(
            "GS-5-requirements",
            "start_procurement",
            BLOCK,
            "五(一)",
            "经费预算50万元以上的项目，采购前由领导小组办公室组织专家确认招标需求",
            _requirements_confirmed,
            applies=_at_least(PROCUREMENT_THRESHOLD),
        ),
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
        CONTRACT_FILING[0],
        supervisor_check(
            "GS-5-supervisor",
            "五(四)",
            "经费预算100万元以上的项目已落实项目监理",
            applies=_at_least(SUPERVISION_THRESHOLD),
            who="项目建设单位落实",
        ),
        *change_checks("GS-4-change", "四(三)"),
        documents_check(
            "GS-4-docs",
            "submit",
            "四(一)",
            (K.IMPLEMENTATION_PLAN, K.PERFORMANCE_TARGETS),
            "已提交项目实施方案并编制绩效目标",
        ),
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
)
