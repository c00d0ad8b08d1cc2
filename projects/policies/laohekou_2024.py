"""《老河口市本级信息化和智慧城市项目管理办法》河政规〔2024〕1号."""

from datetime import date

from ..checks import Check
from ..enums import Chapter
from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from .base import WARN, Criterion, Policy, documents_check, prohibited_check

# 第十四条: 各地各部门不再单独新建服务器存储能力、计算资源。
PROHIBITED = frozenset({C.NEW_SERVER_ROOM, C.SERVER_ROOM_EXPANSION, C.SERVERS_STORAGE})


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
    checks=(
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
