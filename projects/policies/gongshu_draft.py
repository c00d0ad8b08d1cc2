"""《拱墅区信息化项目管理办法（征求意见稿）》."""

from core.enums import OrganisationKind

from ..checks import Check
from ..enums import DocumentKind as K
from .base import BLOCK, Criterion, Policy, documents_check


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
    checks=(
        documents_check(
            "GS-4-docs",
            "submit",
            "四(一)",
            (K.IMPLEMENTATION_PLAN, K.PERFORMANCE_TARGETS),
            "已提交项目实施方案并编制绩效目标",
        ),
        Check("GS-2-catalogue", "submit", BLOCK, "二(二)", "已提供政务资源目录", _catalogue),
    ),
)
