"""《拱墅区信息化项目管理办法（征求意见稿）》."""

from ..checks import Check
from ..enums import DocumentKind as K
from .base import BLOCK, Policy, documents_check


def _catalogue(ctx):
    return bool(ctx.resources) or "尚未提供政务资源目录：项目须与区数据中枢对接并提供政务资源目录。"


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
