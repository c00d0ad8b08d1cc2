"""What the demo's sample projects are: their names, departments, amounts and how far each goes, the text of
their construction plans and catalogue, and the past dates the archived one is walked on (`portal.demo_projects`
walks them)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from core.workdays import add_months
from projects.enums import DocumentKind


def sample_pdf(name: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{name}.pdf", body + name.encode(), content_type="application/pdf")


CHAPTERS = {
    "background": "落实数字政府建设部署，解决业务系统分散、数据不通、重复录入的问题。",
    "current_state": "现有业务系统多套，数据标准不一，无法与市信息资源共享交换平台对接。",
    "content": "建设统一业务平台、数据资源目录和共享接口，依托全市电子政务云平台部署。",
    "design": "微服务架构，部署于政务云，按等级保护二级要求设计安全体系，与共享交换平台对接。",
    "organisation_plan": "成立项目领导小组，分管领导任组长，信息科具体实施，委托监理。",
    "investment": "软件开发、等保测评、监理等，详见投资估算表。",
    "performance": "业务线上办理率达到95%以上，数据共享率达到90%以上；主要风险为数据质量。",
}
CATALOGUE = {
    "source": "本单位业务系统",
    "format": "数据库表",
    "update_frequency": "每日",
    "share_type": "无条件共享",
    "open_type": "不开放",
}
# The 绩效目标 set at declaration (the `set_targets` action's rows) and what the self-evaluation finds.
DEMO_TARGETS = {
    "goal": "业务线上办理率达到95%以上，数据共享率达到90%以上，群众满意度不低于90%。",
    "indicator:1:category": "output_quality",
    "indicator:1:name": "业务线上办理率",
    "indicator:1:unit": "%",
    "indicator:1:baseline": "60",
    "indicator:1:direction": "at_least",
    "indicator:1:target": "95",
    "indicator:2:category": "benefit_social",
    "indicator:2:name": "数据共享率",
    "indicator:2:unit": "%",
    "indicator:2:baseline": "30",
    "indicator:2:direction": "at_least",
    "indicator:2:target": "90",
    "indicator:3:category": "output_timeliness",
    "indicator:3:name": "平均办理时长",
    "indicator:3:unit": "个工作日",
    "indicator:3:baseline": "7",
    "indicator:3:direction": "at_most",
    "indicator:3:target": "3",
    "indicator:4:category": "satisfaction",
    "indicator:4:name": "群众满意度",
    "indicator:4:unit": "%",
    "indicator:4:direction": "at_least",
    "indicator:4:target": "90",
    "indicator:5:category": "benefit_sustainable",
    "indicator:5:name": "运维保障机制",
    "indicator:5:direction": "qualitative",
    "indicator:5:target": "建立长效运维和数据更新机制",
}
DEMO_ACTUALS = {"业务线上办理率": "96", "数据共享率": "92", "平均办理时长": "2.5", "群众满意度": "94"}
# The documents an acceptance application brings under every policy; what each regulation adds is in
# `Walk._acceptance_documents`.
ACCEPTANCE_DOCUMENTS = (
    DocumentKind.ACCEPTANCE_APPLICATION,
    DocumentKind.SECURITY_ASSESSMENT,
    DocumentKind.TRIAL_REPORT,
    DocumentKind.USER_MANUAL,
)
# Documents that carry the two chapters fangchenggang-2022 第十四条 asks for.
CHAPTERED = frozenset({DocumentKind.FEASIBILITY_REPORT, DocumentKind.PRELIMINARY_DESIGN})


@dataclass
class DemoProject:
    name: str
    department: str  # "dept" or "dept2"
    amount: str
    goal: str  # how far it is brought: one of ORDER
    kinds: list[str] = field(default_factory=lambda: ["business_app"])
    flags: dict = field(default_factory=dict)
    # Walked on past dates, each step on the working day it would have been taken (the archived sample).
    dated: bool = False
    # Undated samples: how long ago the contract was signed and the trial operation began.
    signed_months_ago: int = 0
    trial_months_ago: int = 0


DEMO_PROJECTS = [
    DemoProject("智慧教育综合服务平台", "dept", "150.00", "draft"),
    DemoProject(
        "区卫生健康信息平台升级改造", "dept2", "280.00", "declared", ["business_app", "data_resources"]
    ),
    DemoProject("政务数据共享交换平台", "dept", "320.00", "reviewing", ["platform", "data_resources"]),
    DemoProject("校园食品安全监管系统", "dept", "96.00", "approved"),
    DemoProject("家庭医生签约服务系统", "dept2", "120.00", "construction"),
    # Signed its contract months ago (and so files it late: the regulation's warning stays on its timeline).
    DemoProject(
        "教育资源公共服务平台",
        "dept",
        "180.00",
        "preliminary",
        ["platform"],
        signed_months_ago=4,
        trial_months_ago=2,
    ),
    # Declared two summers ago, accepted more than a year ago, self-evaluated and archived.
    DemoProject(
        "全民健康信息平台（一期）",
        "dept2",
        "260.00",
        "archived",
        ["business_app", "data_resources"],
        flags={"adds_fixed_assets": True},
        dated=True,
    ),
]
# The stage each goal names, in order: a goal's index is the number of steps its walk takes.
ORDER = [
    "draft",
    "declared",
    "reviewing",
    "approved",
    "construction",
    "preliminary",
    "evaluation",
    "archived",
]

# The dated walk's first day: its draft is made in early July and declared inside zhaoyuan-2021 第七条's
# 7月–8月 window; each later step follows at the interval its `Walk.on` names.
DECLARATION_DAY = (7, 6)
# From the declaration to the archive, with room for the days moved to working days.
DATED_SPAN_MONTHS = 25


def dated_start(today: date) -> date:
    """The July day two or three years ago from which the whole dated walk ends before today."""
    year = today.year - 1
    while add_months(date(year, *DECLARATION_DAY), DATED_SPAN_MONTHS) > today:
        year -= 1
    return date(year, *DECLARATION_DAY)
