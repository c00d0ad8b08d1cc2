"""《威海市文登区“智慧文登”项目建设管理办法》威文政办字〔2021〕19号, article by article."""

from datetime import date

from core.enums import OrganisationKind

from ..checks import Check
from ..enums import ConstructionKind, DocumentKind
from .base import (
    BDC,
    BLOCK,
    DEPARTMENT,
    FINANCE,
    Actor,
    AgencyRule,
    Article,
    Criterion,
    Party,
    Policy,
)
from .common import (
    acceptance_condition_checks,
    acceptance_letter,
    acceptance_letter_failed,
    acceptance_opinions_complete,
    application_letter,
    budget_within_declared,
    contract_filed,
    data_shared,
    evaluation_recorded,
    group_formed,
    group_parties,
    opinion_passing,
    panel_formed,
    prereview_passed,
    rectification_reported,
    reject_opinion_recorded,
    security_assessed,
    self_check_done,
)
from .shapes import (
    acceptance_group_rules,
    approval_validity_rules,
    change_checks,
    change_review_check,
    change_review_criteria,
    contract_filing_rules,
    documents_check,
    major_change_rule,
    prohibited_check,
    rectification_rule,
    risk_rating_rule,
    trial_rules,
    trial_start,
)

# 第三十六条(四): 项目验收资料 (the thirteen named; tests and the demo upload them).
ACCEPTANCE_DOCUMENTS = (
    DocumentKind.CONTRACT,
    DocumentKind.TENDER_DOCUMENTS,
    DocumentKind.BID_DOCUMENTS,
    DocumentKind.AWARD_NOTICE,
    DocumentKind.SYSTEM_DESIGN,
    DocumentKind.DATABASE_DESIGN,
    DocumentKind.OPERATION_REPORT,
    DocumentKind.DEMO_LIST,
    DocumentKind.USER_MANUAL,
    DocumentKind.EQUIPMENT_LIST,
    DocumentKind.DESIGN_DRAWINGS,
    DocumentKind.TRIAL_REPORT,
    DocumentKind.CHANGE_LIST,
)


def _catalogue_attributes(ctx):
    """第二十一条: 明确数据来源、格式、更新、共享和开放等属性；涉及视频监控的，明确点位信息、共享范围。"""
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


def _connected(ctx):
    """第二十三条: 数据接入市数据共享开放平台，视频监控资源接入区视频中心，未完成接入的不予验收。"""
    data = data_shared(ctx)
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


# 第三十六条: the conditions each acceptance expert gives an opinion on.
ACCEPTANCE_CONDITIONS = (
    Criterion(
        "WD-36-1", "完成项目详细设计方案、合同要求的全部建设内容，且符合项目建设目标", "第三十六条(一)"
    ),
    Criterion("WD-36-2", "项目的功能、性能等指标达到项目设计要求", "第三十六条(二)"),
    Criterion("WD-36-3", "项目完工试运行3个月以后、6个月以内", "第三十六条(三)"),
    Criterion("WD-36-4", "项目验收资料齐全", "第三十六条(四)"),
)


def _shared_or_failed(ctx):
    """第三十七条: 数据资源目录未纳入共享平台目录管理系统、业务数据不能共享共用的项目，原则上验收不合格."""
    if not ctx.params:
        return None
    if ctx.param("conclusion") != "passed":
        return True
    shared = data_shared(ctx)
    return shared if shared is not True else True


OUTSIDE = "监督、审计、问责由有关机关依职权办理，不是项目记录上可核验的条件"


def _assets_handed_over(ctx):
    handover = ctx.fact("asset_handover")  # the acceptance app's record: to whom, when, how many assets
    return handover is not None or (
        "尚未登记资产移交：项目建成后须将资产移交国有公司统一运维管理，请登记接收单位、资产清单、移交日期并上传接收确认书。"
    )


POLICY = Policy(
    code="wendeng-2021",
    version="2021-08-18",
    jurisdiction="威海市文登区",
    title="威海市文登区“智慧文登”项目建设管理办法",
    document_number="威文政办字〔2021〕19号",
    issued=date(2021, 8, 18),
    reviewing_body="区大数据中心",
    articles=(
        Article(
            "第一条至第三条",
            "目的、适用范围和建设原则",
            not_enforced="宗旨和原则，没有可对项目核验的条件",
        ),
        Article(
            "第四条",
            "区政府办公室、区大数据中心、区财政局、区审计局和公共资源交易中心的职责",
            not_enforced="职责分工：各机构在后文条款规定的环节办理（第十四条、第三十五条）",
        ),
        Article(
            "第五条",
            "新建或改扩建部门机房以及新购服务器的项目不予审批",
            prohibited=frozenset(
                {
                    ConstructionKind.NEW_SERVER_ROOM,
                    ConstructionKind.SERVER_ROOM_EXPANSION,
                    ConstructionKind.SERVERS_STORAGE,
                }
            ),
            # 基建类项目中信息化部分的专项招标不核验：平台不办理基建项目。
            checks=(prohibited_check("WD-5-prohibited", "第五条", "新建或改扩建部门机房、新购服务器"),),
        ),
        Article(
            "第六条至第十条",
            "依托共享交换平台、不共享不予实施、同步规划信息安全、终端统筹、利用已有基础设施",
            not_enforced="建设原则，由评审专家在第十二条审核中把握；共享要求在第二十一、二十三条核验，"
            "安全风险评估在第二十四条核验",
        ),
        Article(
            "第十一条",
            "在年度预算申报中申报下一年度项目，区大数据中心规划审核",
            checks=(prereview_passed("ANY-prereview", "第十一条"),),
        ),
        Article(
            "第十二条",
            "提交建设方案和可行性报告；集中评审必要性、可行性、经济性；公安、保密办参与审核",
            documents=(DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT),
            checks=(
                documents_check(
                    "WD-12-docs",
                    "submit",
                    "第十二条",
                    (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT),
                    "已提交建设方案和可行性报告",
                ),
                panel_formed("ANY-panel", "第十二条"),
            ),
            criteria=(
                Criterion("necessity", "项目必要性", "第十二条"),
                Criterion("feasibility", "项目可行性", "第十二条"),
                Criterion("economy", "项目经济性", "第十二条"),
            ),
            agencies=(
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
            ),
            # 单项专家论证（预算投资大、技术难度高、专业性强）不核验：本办法未给出判断标准。
        ),
        Article(
            "第十三条",
            "区大数据中心的审核意见是立项和资金安排的前提",
            checks=(
                reject_opinion_recorded("ANY-reject-opinion", "第十三条"),
                opinion_passing("ANY-opinion", "第十三条"),
            ),
        ),
        Article(
            "第十四条",
            "区财政局根据财政投资评审结果统筹保障建设经费",
            checks=(budget_within_declared("ANY-budget", "第十四条"),),
            actors={"approve": (Actor(FINANCE, "第十四条", "区财政局"),)},
        ),
        Article(
            "第十五条",
            "按审核批准的内容采购；签订合同后立即报区大数据中心备案",
            checks=(contract_filed("ANY-contract", "第十五条"),),
            # 立即: the signing day or the next working day.
            rules=(
                contract_filing_rules(
                    "WD-15-immediate",
                    "第十五条",
                    1,
                    "签订正式采购合同后立即（当日或次一工作日）将合同文本报区大数据中心备案",
                ),
            ),
            params={"合同备案期限（工作日）": 1},
        ),
        Article(
            "第十六条",
            "建立运行维护管理制度",
            not_enforced="项目归档后的运维管理，平台不跟踪",
        ),
        Article(
            "第十七条",
            "核准文件有效期内未启动建设的自动取消；较大变化的变更重新履行审核手续",
            rules=(approval_validity_rules("WD-17-expiry", "第十七条"),),
            change_rule=major_change_rule(("goals", "site", "budget", "content", "schedule"), "区大数据中心"),
            checks=(
                *change_checks("WD-17-change", "第十七条"),
                change_review_check("WD-17-change-review", "第十七条"),
            ),
            # 重新履行审核手续: the change is reviewed as the declaration was, by experts drawn and scoring.
            change_review=change_review_criteria("第十七条"),
        ),
        Article(
            "第十八条",
            "工程严重逾期、投资重大损失的报告和整改、暂停",
            deadlines=(risk_rating_rule("WD-18-rating", "第十八条"),),
            actors={"report_delay": (Actor(DEPARTMENT, "第十八条", "项目建设单位", owner_only=True),)},
        ),
        Article(
            "第十九条",
            "做好项目档案建设，作为竣工验收的依据",
            not_enforced="第三十六条(四)列举的验收资料不含档案验收，本办法未规定档案的核验",
        ),
        Article(
            "第二十条",
            "区大数据中心提供数据交换、视频接入和信息共享的技术支撑",
            not_enforced="区大数据中心的职责，不是对项目的要求",
        ),
        Article(
            "第二十一条",
            "立项申请前明确信息资源的来源、格式、更新、共享和开放属性，视频项目明确点位和共享范围",
            checks=(
                Check(
                    "WD-21-catalogue",
                    "submit",
                    BLOCK,
                    "第二十一条",
                    "信息资源目录明确数据来源、格式、更新、共享和开放属性（视频项目含点位和共享范围）",
                    _catalogue_attributes,
                ),
            ),
        ),
        Article(
            "第二十二条",
            "信息资源纳入共享平台作为竣工验收的条件",
            not_enforced="与第二十三条同一验收条件，在第二十三条核验（WD-23-connected）",
        ),
        Article(
            "第二十三条",
            "数据接入市数据共享开放平台，视频监控资源接入区视频中心，未完成接入的不予验收",
            checks=(
                Check(
                    "WD-23-connected",
                    "apply_acceptance",
                    BLOCK,
                    "第二十三条",
                    "数据接入市数据共享开放平台，视频监控资源接入区视频中心",
                    _connected,
                ),
            ),
        ),
        Article(
            "第二十四条",
            "开展网络与信息安全风险评估",
            checks=(security_assessed("ANY-security", "第二十四条"),),
        ),
        Article(
            "第二十五条、第二十六条",
            "密码保障系统同步规划建设并定期评估；依法采购关键产品",
            not_enforced="未规定评估的期限或须提交的材料，平台无可核验的记录",
        ),
        Article("第二十七条至第三十三条", "监督管理和法律责任", not_enforced=OUTSIDE),
        Article(
            "第三十四条",
            "实行验收和后评价制度，未经验收不得投入使用",
            checks=(evaluation_recorded("ANY-evaluation", "第三十四条"),),
        ),
        Article(
            "第三十五条",
            "初步核验后申请竣工验收；区大数据中心5个工作日内组成验收组，形成竣工验收意见",
            checks=(
                self_check_done("ANY-selfcheck", "第三十五条"),
                application_letter("ANY-application", "第三十五条"),
                group_parties("ANY-group-parties", "第三十五条"),
                group_formed("ANY-group", "第三十五条"),
                acceptance_opinions_complete("ANY-acceptance-opinions", "第三十五条"),
                acceptance_letter("ANY-letter", "第三十五条"),
                acceptance_letter_failed("ANY-letter", "第三十五条"),
            ),
            rules=(acceptance_group_rules("WD-35-group", "第三十五条", 5),),
            # 会同项目建设单位、设计单位、建设单位（承建）、监理单位和有关专家; a project without a design firm of
            # its own names none.
            acceptance_parties=(
                Party("owner", "项目建设单位", "第三十五条"),
                Party("designer", "设计单位", "第三十五条", required=False),
                Party("builder", "承建单位", "第三十五条"),
                Party("supervisor", "监理单位", "第三十五条"),
            ),
            actors={
                "draw_acceptance_group": (Actor(BDC, "第三十五条", "区大数据中心"),),
                "issue_acceptance_letter": (Actor(BDC, "第三十五条", "区大数据中心"),),
                "pass_acceptance": (Actor(BDC, "第三十五条", "区大数据中心"),),
                "fail_acceptance": (Actor(BDC, "第三十五条", "区大数据中心"),),
            },
            params={"组成验收组期限（工作日）": 5},
        ),
        Article(
            "第三十六条",
            "验收条件：(三) 完工试运行3个月以后、6个月以内；(四) 验收资料齐全",
            rules=(
                trial_rules(
                    "WD-36-trial",
                    "第三十六条(三)",
                    3,
                    6,
                    trial_start,
                    "完工试运行3个月以后、6个月以内申请验收",
                ),
            ),
            checks=(
                documents_check(
                    "WD-36-docs",
                    "apply_acceptance",
                    "第三十六条(四)",
                    ACCEPTANCE_DOCUMENTS,
                    "项目验收资料齐全（合同、招标文件、投标文件、中标通知书等十三项）",
                ),
                *acceptance_condition_checks(ACCEPTANCE_CONDITIONS),
            ),
            # (一)–(四) are also the conditions the acceptance experts give their opinion on.
            acceptance_conditions=ACCEPTANCE_CONDITIONS,
            params={"试运行（月）": "3–6"},
        ),
        Article(
            "第三十七条",
            "验收结论分合格、不合格；目录未纳入共享平台的原则上不合格；不合格的限时整改；整改后仍不合格的记入信用档案",
            checks=(
                Check(
                    "WD-37-sharing",
                    "issue_acceptance_letter",
                    BLOCK,
                    "第三十七条",
                    "无涉密等特殊原因，数据资源目录未纳入共享平台目录管理系统、业务数据不能共享共用的项目，原则上验收不合格",
                    _shared_or_failed,
                    applies=lambda ctx: not ctx.project.is_classified,
                ),
                rectification_reported("WD-37-rectify", "第三十七条"),
            ),
            deadlines=(
                rectification_rule(
                    "WD-37-rectify", "第三十七条", "验收不合格的，由项目建设单位牵头组织相关参建单位限时整改"
                ),
            ),
            # 整改后仍不合格: recorded as such on the verdict and the timeline, for referral to the 区社会信用中心
            # (the credit record itself is that body's).
            params={"整改后仍不合格": "提交区社会信用中心记入信用档案"},
        ),
        Article(
            "第三十八条",
            "项目建成后，资产移交国有公司统一运维管理",
            checks=(
                Check(
                    "WD-38-handover",
                    "archive",
                    BLOCK,
                    "第三十八条",
                    "项目建成后，资产已移交国有公司统一运维管理（接收单位、资产清单、移交日期和接收确认书已登记）",
                    _assets_handed_over,
                ),
            ),
            # The department hands its assets over once the project is built (验收合格), before 归档.
            params={
                "移交时点": "验收合格后（绩效评价阶段）、归档前，由建设单位登记接收单位、资产清单、移交日期和接收确认书"
            },
            actors={"handover_assets": (Actor(DEPARTMENT, "第三十八条", "项目建设单位", owner_only=True),)},
        ),
        Article("第三十九条、第四十条", "解释和施行", not_enforced="附则"),
    ),
)
