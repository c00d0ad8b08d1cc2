"""《招远市政务信息系统项目管理实施细则》招政办字〔2021〕33号."""

from datetime import date

from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from .base import Criterion, Policy, documents_check, prohibited_check

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
        "ANY-security": "第十八条",
        "ANY-connected": "第十七条",
        "ANY-group": "第二十条",
        "ANY-letter": "第二十条",
        "ANY-evaluation": "第二十条",
    },
    declaration_documents=DECLARATION,
    prohibited_kinds=PROHIBITED,
    review_criteria=CRITERIA,
    checks=(
        documents_check(
            "ZY-7-docs",
            "submit",
            "第七条",
            DECLARATION,
            "已提交申请表、建设方案、数据资源目录表、云平台服务资源需求表和审核表",
        ),
        prohibited_check("ZY-9-prohibited", "第九条", PROHIBITED, "第九条所列不再批准单独建设的项目"),
    ),
)
