from django.db import models


class ProjectState(models.TextChoices):
    DRAFT = "draft", "草稿"
    DECLARED = "declared", "已申报"
    REVIEWING = "reviewing", "评审中"
    APPROVED = "approved", "已立项"
    PROCUREMENT = "procurement", "采购备案"
    CONSTRUCTION = "construction", "建设中"
    PRELIMINARY_ACCEPTANCE = "preliminary_acceptance", "初验"
    FINAL_ACCEPTANCE = "final_acceptance", "竣工验收"
    EVALUATION = "evaluation", "绩效评价"
    ARCHIVED = "archived", "已归档"
    REJECTED = "rejected", "不予立项"
    SUSPENDED = "suspended", "暂停"
    TERMINATED = "terminated", "终止"
    CANCELLED = "cancelled", "已取消"
    RECTIFYING = "rectifying", "整改中"


# The main line of the lifecycle, in order (DOMAIN.md); the other states are side states.
MAIN_LINE = (
    ProjectState.DRAFT,
    ProjectState.DECLARED,
    ProjectState.REVIEWING,
    ProjectState.APPROVED,
    ProjectState.PROCUREMENT,
    ProjectState.CONSTRUCTION,
    ProjectState.PRELIMINARY_ACCEPTANCE,
    ProjectState.FINAL_ACCEPTANCE,
    ProjectState.EVALUATION,
    ProjectState.ARCHIVED,
)

TERMINAL_STATES = frozenset(
    {ProjectState.REJECTED, ProjectState.TERMINATED, ProjectState.CANCELLED, ProjectState.ARCHIVED}
)


class ProjectCategory(models.TextChoices):
    NEW = "new", "新建"
    UPGRADE = "upgrade", "升级改造"
    MAINTENANCE = "maintenance", "运维"
    SERVICE = "service", "购买服务"


class ConstructionKind(models.TextChoices):
    NEW_SERVER_ROOM = "new_server_room", "新建机房"
    SERVER_ROOM_EXPANSION = "server_room_expansion", "机房改扩建"
    SERVERS_STORAGE = "servers_storage", "服务器及存储设备"
    DEPARTMENT_NETWORK = "department_network", "部门业务专网"
    CROSS_DEPARTMENT_NETWORK = "cross_department_network", "跨部门网络"
    DATA_EXCHANGE = "data_exchange", "数据共享交换系统"
    COLLABORATION = "collaboration", "协同办公系统"
    WEBSITE = "website", "政府网站"
    VIDEO_CONFERENCE = "video_conference", "视频会议系统"
    POWER_SYSTEM = "power_system", "行政权力运行业务系统"
    CROSS_DEPARTMENT_APP = "cross_department_app", "跨部门跨行业应用系统"
    BUSINESS_APP = "business_app", "业务应用系统"
    PLATFORM = "platform", "平台类系统"
    DATA_RESOURCES = "data_resources", "数据资源建设"
    DATA_COLLECTION = "data_collection", "数据采集"
    VIDEO_SURVEILLANCE = "video_surveillance", "视频监控"
    SECURITY = "security", "信息安全"
    CLOUD_SERVICE = "cloud_service", "政务云服务"
    TERMINALS = "terminals", "办公终端设备"
    MAINTENANCE = "maintenance", "运行维护服务"


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请表"
    INTENT = "intent", "建设意向"
    PROPOSAL = "proposal", "项目建议书"
    CONSTRUCTION_PLAN = "construction_plan", "建设方案"
    IMPLEMENTATION_PLAN = "implementation_plan", "实施方案"
    TECHNICAL_DESIGN = "technical_design", "技术设计书"
    FEASIBILITY_REPORT = "feasibility_report", "可行性研究报告"
    PRELIMINARY_DESIGN = "preliminary_design", "初步设计方案"
    INVESTMENT_ESTIMATE = "investment_estimate", "投资概算"
    PERFORMANCE_TARGETS = "performance_targets", "绩效目标表"
    CATALOGUE_TABLE = "catalogue_table", "数据资源目录表"
    CLOUD_DEMAND = "cloud_demand", "云平台服务资源需求表"
    CLOUD_REVIEW = "cloud_review", "云平台服务资源审核表"
    LEADER_APPROVAL = "leader_approval", "领导批示"
    PREREVIEW_OPINION = "prereview_opinion", "预审意见书"
    REVIEW_OPINION = "review_opinion", "评审意见"
    BUDGET_APPROVAL = "budget_approval", "预算评审意见"
    BIDDING_REQUIREMENTS = "bidding_requirements", "招标需求确认"
    TENDER_DOCUMENTS = "tender_documents", "招标文件"
    BID_DOCUMENTS = "bid_documents", "投标文件"
    AWARD_NOTICE = "award_notice", "中标通知书"
    CONTRACT = "contract", "合同"
    SUPERVISOR_APPLICATION = "supervisor_application", "监理派驻申请"
    SYSTEM_DESIGN = "system_design", "系统设计说明书"
    DATABASE_DESIGN = "database_design", "数据库设计书"
    OPERATION_REPORT = "operation_report", "系统运行报告"
    DEMO_LIST = "demo_list", "现场演示清单"
    USER_MANUAL = "user_manual", "使用手册"
    EQUIPMENT_LIST = "equipment_list", "设备交付清单"
    DESIGN_DRAWINGS = "design_drawings", "设计图纸"
    TRIAL_REPORT = "trial_report", "试运行报告"
    CHANGE_LIST = "change_list", "变更清单"
    SECURITY_ASSESSMENT = "security_assessment", "安全测评报告"
    CRYPTO_ASSESSMENT = "crypto_assessment", "密码应用安全性评估报告"
    PRODUCT_SECURITY = "product_security", "产品安全可靠情况说明"
    SOFTWARE_TEST = "software_test", "软件测评报告"
    DATA_QUALITY = "data_quality", "数据质检报告"
    USER_REPORT = "user_report", "用户报告"
    TRAINING_RECORD = "training_record", "培训记录"
    SUPERVISION_REPORT = "supervision_report", "监理报告"
    PROGRESS_REPORT = "progress_report", "进度和预算执行报告"
    PERFORMANCE_REPORT = "performance_report", "绩效评价报告"
    MONITORING_REPORT = "monitoring_report", "绩效监控报告"
    SELF_CHECK = "self_check", "初验记录"
    ACCEPTANCE_APPLICATION = "acceptance_application", "验收申请函"
    ACCEPTANCE_REPORT = "acceptance_report", "验收报告"
    ACCEPTANCE_LETTER = "acceptance_letter", "竣工验收意见函"
    RECTIFICATION_NOTICE = "rectification_notice", "整改通知"
    ARCHIVE_ACCEPTANCE = "archive_acceptance", "档案验收意见"
    EXTENSION_APPLICATION = "extension_application", "延期验收申请"
    CHANGE_REQUEST = "change_request", "变更申请"
    SELF_EVALUATION = "self_evaluation", "绩效自评报告"
    OTHER = "other", "其他"


# Kinds that accumulate (a report each period) rather than being versions of one document.
REPEATABLE_DOCUMENT_KINDS = frozenset(
    {
        DocumentKind.SUPERVISION_REPORT,
        DocumentKind.PROGRESS_REPORT,
        DocumentKind.PERFORMANCE_REPORT,
        DocumentKind.MONITORING_REPORT,
        DocumentKind.CHANGE_REQUEST,
        DocumentKind.OTHER,
    }
)

# Documents the reviewing body issues; a department cannot upload them. Not the 验收报告: the department
# reports its acceptance (laohekou-2024 第二十四条: 由项目建设单位…报送签字盖章的项目验收报告), and where it
# organises the acceptance itself (fangchenggang-2022 第二十七条) the report is what ANY-letter finds.
BDC_DOCUMENT_KINDS = frozenset(
    {
        DocumentKind.PREREVIEW_OPINION,
        DocumentKind.REVIEW_OPINION,
        DocumentKind.ACCEPTANCE_LETTER,
        DocumentKind.RECTIFICATION_NOTICE,
        DocumentKind.ARCHIVE_ACCEPTANCE,
    }
)
FINANCE_DOCUMENT_KINDS = frozenset({DocumentKind.BUDGET_APPROVAL})
SUPERVISOR_DOCUMENT_KINDS = frozenset({DocumentKind.SUPERVISION_REPORT})


class Severity(models.TextChoices):
    BLOCK = "block", "阻断"
    WARN = "warn", "预警"


class Chapter(models.TextChoices):
    """The seven chapters of the construction-plan outline (wendeng-2021 附件2)."""

    BACKGROUND = "background", "第一章 项目背景及必要性"
    CURRENT_STATE = "current_state", "第二章 现状与需求分析"
    CONTENT = "content", "第三章 项目建设内容"
    DESIGN = "design", "第四章 项目设计方案"
    ORGANISATION = "organisation", "第五章 项目组织管理"
    INVESTMENT = "investment", "第六章 项目投资"
    PERFORMANCE = "performance", "第七章 项目绩效目标和风险分析"


# The choices of acceptance's records that the policies read (a change's aspects and status, an acceptance's
# conclusion): kept here so that the policies import no higher app; acceptance.models uses them as its choices.
class ChangeAspect(models.TextChoices):
    GOALS = "goals", "建设目标"
    SITE = "site", "建设地点"
    BUDGET = "budget", "项目预算"
    CONTENT = "content", "主要建设内容"
    SCHEDULE = "schedule", "建设进度"
    TECHNICAL = "technical", "技术方案优化"


class ChangeStatus(models.TextChoices):
    FILED = "filed", "已备案"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class AcceptanceConclusion(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
