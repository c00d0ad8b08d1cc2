"""Sample projects for the demo (`seed_demo --with-projects`), each brought to its stage through the real
services, so every step is checked by the jurisdiction's regulation and written on the timeline like any
other. A step the regulation refuses ends that project where it stands, and the reason is reported."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import ApplicationError
from core.models import Organisation, User
from core.workdays import add_months


def _pdf(name: str) -> SimpleUploadedFile:
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


@dataclass
class DemoProject:
    name: str
    department: str  # "dept" or "dept2"
    amount: str
    goal: str  # how far it is brought: draft, declared, reviewing, approved, construction, preliminary
    kinds: list[str] = field(default_factory=lambda: ["business_app"])
    flags: dict = field(default_factory=dict)


DEMO_PROJECTS = [
    DemoProject("智慧教育综合服务平台", "dept", "150.00", "draft"),
    DemoProject(
        "区卫生健康信息平台升级改造", "dept2", "280.00", "declared", ["business_app", "data_resources"]
    ),
    DemoProject("政务数据共享交换平台", "dept", "320.00", "reviewing", ["platform", "data_resources"]),
    DemoProject("校园食品安全监管系统", "dept", "96.00", "approved"),
    DemoProject("家庭医生签约服务系统", "dept2", "120.00", "construction"),
    DemoProject("教育资源公共服务平台", "dept", "180.00", "preliminary", ["platform"]),
]
ORDER = ["draft", "declared", "reviewing", "approved", "construction", "preliminary"]


class Walk:
    """Takes one project step by step; stops at the first refusal and remembers why."""

    def __init__(self, spec: DemoProject, jurisdiction):
        self.spec = spec
        self.jurisdiction = jurisdiction
        self.dept = User.objects.get(username=spec.department)
        self.bdc = User.objects.get(username="bdc")
        self.finance = User.objects.get(username="finance")
        self.project = None
        self.stopped = ""

    def run(self) -> str:
        from projects.services import project_create

        data = {
            "name": self.spec.name,
            "year": timezone.localdate().year + 1,
            "declared_amount": Decimal(self.spec.amount),
            "construction_kinds": self.spec.kinds,
            "contact_name": self.dept.full_name,
            "contact_phone": "0631-8451234",
            **CHAPTERS,
            **self.spec.flags,
        }
        self.project = project_create(by=self.dept, data=data)
        steps = [self.declare, self.review, self.approve, self.build, self.complete]
        for step in steps[: ORDER.index(self.spec.goal)]:
            try:
                step()
            except ApplicationError as exc:
                self.stopped = exc.message
                break
            self.project.refresh_from_db()
        return self.project.get_state_display()

    def _t(self, name: str, by, **data):
        from projects.services import project_transition

        project_transition(project_id=self.project.pk, name=name, by=by, data=data)

    def _upload(self, kind: str, by=None):
        from projects.services import document_upload

        document_upload(project=self.project, by=by or self.dept, kind=kind, file=_pdf(kind))

    def declare(self):
        from sharing.services import resource_add

        for kind in self.project.policy.declaration_documents:
            self._upload(kind)
        resource_add(
            project=self.project, by=self.dept, data={**CATALOGUE, "name": f"{self.spec.name}业务数据"}
        )
        self._t("submit", self.dept)

    def review(self):
        from reviews.selectors import agencies_required
        from reviews.services import agencies_invite_required, expert_panel_draw, prereview_record

        prereview_record(
            project=self.project, by=self.bdc, passed=True, opinion="符合全区规划，同意进入评审。"
        )
        expert_panel_draw(project=self.project, by=self.bdc)
        if agencies_required(self.project):
            agencies_invite_required(project=self.project, by=self.bdc)
        self._t("start_review", self.bdc, comment="组织集中评审。")

    def approve(self):
        from reviews.issuing import review_opinion_issue
        from reviews.services import review_opinion_consolidate, score_sheet_submit

        project = self.project
        for member in project.panel.filter(active=True).select_related("expert__user"):
            criteria = project.policy.review_criteria
            score_sheet_submit(
                project=project,
                by=member.expert.user,
                grades={c.code: "meets" for c in criteria},
                comments={c.code: f"{c.label}：论证充分。" for c in criteria},
                opinion="项目建设必要，方案可行，投资估算基本合理。",
                recommendation="pass",
            )
        opinion = review_opinion_consolidate(
            project=project, by=self.bdc, conclusion="pass", summary="专家组一致同意建设，建议加强数据共享。"
        )
        review_opinion_issue(opinion=opinion, by=self.bdc)
        self._t(
            "approve",
            self.finance,
            approved_amount=str(project.declared_amount),
            basis="区财政局财政投资评审意见",
            valid_until=(timezone.localdate() + timedelta(days=365)).isoformat(),
        )

    def build(self):
        from acceptance.services import supervisor_assign

        self._t("start_procurement", self.dept)
        supervisor = Organisation.objects.filter(jurisdiction=self.jurisdiction, kind="supervision").first()
        if supervisor is not None:
            supervisor_assign(project=self.project, by=self.bdc, organisation=supervisor)
        self._upload("contract")
        self._upload("award_notice")
        # The project that goes on to its trial operation signed its contract months ago (and so files it
        # late: the regulation's warning stays on its timeline); the other signs today.
        signed = add_months(timezone.localdate(), -4 if self.spec.goal == "preliminary" else 0)
        self._t(
            "file_contract",
            self.dept,
            contract_amount=str(self.project.approved_amount),
            awarded_on=(signed - timedelta(days=2)).isoformat(),
            signed_on=signed.isoformat(),
            supplier="山东某某信息技术有限公司",
        )

    def complete(self):
        self._t(
            "complete_construction",
            self.dept,
            goals_met=True,
            functions_complete=True,
            hardware_matches=True,
            trial_started_on=add_months(timezone.localdate(), -2).isoformat(),
            comment="初步核验通过，已进入试运行。",
        )


def demo_projects_create(*, jurisdiction, stdout) -> None:
    """The sample projects not yet there (by name), each walked as far as its regulation allows."""
    from projects.models import Project

    for spec in DEMO_PROJECTS:
        if Project.objects.filter(organisation__jurisdiction=jurisdiction, name=spec.name).exists():
            continue
        walk = Walk(spec, jurisdiction)
        state = walk.run()
        note = f"（止于此：{walk.stopped}）" if walk.stopped else ""
        stdout.write(f"演示项目：{walk.project.code} {spec.name} — {state}{note}")
