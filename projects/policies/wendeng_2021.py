"""《威海市文登区“智慧文登”项目建设管理办法》威文政办字〔2021〕19号."""

from datetime import date

from core.enums import OrganisationKind

from ..checks import Check
from ..enums import ConstructionKind as C
from ..enums import DocumentKind as K
from .base import (
    BDC,
    BLOCK,
    FINANCE,
    Actor,
    AgencyRule,
    Criterion,
    Policy,
    acceptance_group_rules,
    approval_validity_rules,
    change_checks,
    contract_filing_rules,
    documents_check,
    major_change_rule,
    prohibited_check,
    trial_rules,
    trial_start,
)
from .common import catalogue_connected

# 第五条: 新建或改扩建现有部门机房以及新购服务器的信息化项目不予审批。
PROHIBITED = frozenset({C.NEW_SERVER_ROOM, C.SERVER_ROOM_EXPANSION, C.SERVERS_STORAGE})


# 第十二条: 对部门申报的项目必要性、可行性、经济性进行审核。
CRITERIA = (
    Criterion("necessity", "项目必要性", "第十二条"),
    Criterion("feasibility", "项目可行性", "第十二条"),
    Criterion("economy", "项目经济性", "第十二条"),
)


# 第十二条: 涉及信息安全和公共视频监控的项目由区公安部门参与审核，涉及保密项目由区保密办参与审核和监督。
AGENCIES = (
    AgencyRule(
        "WD-12-police",
        OrganisationKind.POLICE,
        "区公安部门",
        "涉及信息安全或公共视频监控的，区公安部门参与审核",
        "第十二条",
        lambda project: project.is_security or project.has_video,
    ),
    AgencyRule(
        "WD-12-secrecy",
        OrganisationKind.SECRECY,
        "区保密办",
        "涉及保密的，区保密办参与审核和监督",
        "第十二条",
        lambda project: project.is_classified,
    ),
)
# 第三十六条(四): 项目验收资料。
ACCEPTANCE_DOCUMENTS = (
    K.CONTRACT,
    K.TENDER_DOCUMENTS,
    K.BID_DOCUMENTS,
    K.AWARD_NOTICE,
    K.SYSTEM_DESIGN,
    K.DATABASE_DESIGN,
    K.OPERATION_REPORT,
    K.DEMO_LIST,
    K.USER_MANUAL,
    K.EQUIPMENT_LIST,
    K.DESIGN_DRAWINGS,
    K.TRIAL_REPORT,
    K.CHANGE_LIST,
)
# 第十七条: 建设目标、建设地点、项目预算、主要建设内容和建设进度等发生较大变化的，重新履行审核手续。
MAJOR_CHANGES = ("goals", "site", "budget", "content", "schedule")

# 第十五条: 签订正式采购合同要立即将合同文本报区大数据中心备案 (the signing day or the next working day).
CONTRACT_FILING = contract_filing_rules(
    "WD-15-immediate", "第十五条", 1, "签订正式采购合同后立即（当日或次一工作日）将合同文本报区大数据中心备案"
)
# 第三十六条(三): 项目完工试运行3个月以后，6个月以内。
TRIAL = trial_rules(
    "WD-36-trial", "第三十六条(三)", 3, 6, trial_start, "完工试运行3个月以后、6个月以内申请验收"
)
# 第三十五条: 区大数据中心应在收到验收申请后5个工作日内组成验收组。
GROUP = acceptance_group_rules("WD-35-group", "第三十五条", 5)
# 第十七条: 在核准文件有效期内未启动建设的，原建设项目自动取消。
VALIDITY = approval_validity_rules("WD-17-expiry", "第十七条")


def _connected(ctx):
    data = catalogue_connected(ctx)
    if data is not True:
        return data
    if ctx.project.has_video:
        videos = [r for r in ctx.resources if r.video_points]
        if not videos:
            return "项目涉及视频监控，数据资源目录中尚无视频监控资源。"
        pending = [r.name for r in videos if not r.video_connected]
        if pending:
            return f"以下视频监控资源尚未接入区视频中心：{'、'.join(pending)}。"
    return True


def _catalogue_attributes(ctx):
    if not ctx.resources:
        return "尚未编制信息资源目录。"
    incomplete = [
        r.name
        for r in ctx.resources
        if not all((r.source, r.format, r.update_frequency, r.share_type, r.open_type))
    ]
    if incomplete:
        return f"以下资源未明确来源、格式、更新、共享和开放属性：{'、'.join(incomplete)}。"
    if ctx.project.has_video and not any(r.video_points and r.share_scope for r in ctx.resources):
        return "项目涉及视频监控，须明确视频监控的点位信息和共享范围。"
    return True


POLICY = Policy(
    code="wendeng-2021",
    version="2021-08-18",
    jurisdiction="威海市文登区",
    title="威海市文登区“智慧文登”项目建设管理办法",
    document_number="威文政办字〔2021〕19号",
    issued=date(2021, 8, 18),
    reviewing_body="区大数据中心",
    articles={
        "ANY-catalogue": None,  # stated more strictly as WD-21-catalogue below
        "ANY-prereview": "第十一条",
        "ANY-panel": "第十二条",
        "ANY-reject-opinion": "第十三条",
        "ANY-opinion": "第十三条",
        "ANY-budget": "第十四条",
        "ANY-contract": "第十五条",
        "ANY-selfcheck": "第三十五条",
        "ANY-application": "第三十五条",
        "ANY-security": "第二十四条",
        "ANY-connected": None,  # stated with the video centre as WD-23-connected below
        "ANY-group": "第三十五条",
        "ANY-letter": "第三十五条",
        "ANY-evaluation": "第三十四条",
    },
    declaration_documents=(K.CONSTRUCTION_PLAN, K.FEASIBILITY_REPORT),
    prohibited_kinds=PROHIBITED,
    review_criteria=CRITERIA,
    agency_rules=AGENCIES,
    change_rule=major_change_rule(MAJOR_CHANGES, "区大数据中心"),
    change_article="第十七条",
    actors={
        # 第十三、十四条: 区大数据中心的审核意见是立项和资金安排的前提；区财政局统筹保障建设经费。
        "approve": (Actor(FINANCE, "第十四条", "区财政局"),),
        # 第三十五条: 区大数据中心 … 组成验收组进行竣工验收，形成项目竣工验收意见。
        "pass_acceptance": (Actor(BDC, "第三十五条", "区大数据中心"),),
        "fail_acceptance": (Actor(BDC, "第三十五条", "区大数据中心"),),
    },
    deadlines=(VALIDITY[1], CONTRACT_FILING[1], TRIAL[1], GROUP[2]),
    checks=(
        CONTRACT_FILING[0],
        TRIAL[0],
        GROUP[0],
        GROUP[1],
        VALIDITY[0],
        *change_checks("WD-17-change", "第十七条"),
        documents_check(
            "WD-36-docs",
            "apply_acceptance",
            "第三十六条(四)",
            ACCEPTANCE_DOCUMENTS,
            "项目验收资料齐全（合同、招标文件、投标文件、中标通知书等十三项）",
        ),
        Check(
            "WD-23-connected",
            "apply_acceptance",
            BLOCK,
            "第二十三条",
            "数据接入市数据共享开放平台，视频监控资源接入区视频中心",
            _connected,
        ),
        prohibited_check("WD-5-prohibited", "第五条", PROHIBITED, "新建或改扩建部门机房、新购服务器"),
        documents_check(
            "WD-12-docs",
            "submit",
            "第十二条",
            (K.CONSTRUCTION_PLAN, K.FEASIBILITY_REPORT),
            "已提交建设方案和可行性报告",
        ),
        Check(
            "WD-21-catalogue",
            "submit",
            BLOCK,
            "第二十一条",
            "信息资源目录明确数据来源、格式、更新、共享和开放属性（视频项目含点位和共享范围）",
            _catalogue_attributes,
        ),
    ),
)
