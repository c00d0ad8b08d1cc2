"""《招远市政务信息系统项目管理实施细则》招政办字〔2021〕33号."""

from datetime import date

from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from .base import Policy, documents_check, prohibited_check

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
