"""Test data. People and places through factories; projects through the real services where a test
cares about the record (see `project_in_state`)."""

from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from core.enums import OrganisationKind, Role
from core.models import Jurisdiction, Organisation, User
from projects.enums import MAIN_LINE, DocumentKind, ProjectState
from reviews.models import ExpertProfile

PASSWORD = "Test-Pass-2026!"


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = "wendeng"
    name = "威海市文登区"
    policy_code = "wendeng-2021"
    project_prefix = "WD"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganisationKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.DEPARTMENT
    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory, role=Role.EXPERT, organisation=None)
    fields = factory.LazyFunction(lambda: ["software"])
    employer = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.EXTERNAL)
    title = "高级工程师"


def pdf_upload(name: str = "doc.pdf") -> SimpleUploadedFile:
    """A small but real PDF."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body + name.encode(), content_type="application/pdf")


PROJECT_DEFAULTS = {
    "name": "智慧教育综合服务平台",
    "year": 2027,
    "declared_amount": Decimal("150.00"),
    "construction_kinds": ["business_app"],
    "background": "背景",
    "current_state": "现状",
    "content": "内容",
    "design": "设计",
    "organisation_plan": "组织",
    "investment": "投资",
    "performance": "绩效目标",
}

# A catalogue entry that meets every policy's catalogue check.
CATALOGUE_ENTRY = {
    "name": "学生学籍信息",
    "source": "教育局业务系统",
    "format": "数据库表",
    "update_frequency": "每日",
    "share_type": "无条件共享",
    "open_type": "不开放",
}


class World:
    """One jurisdiction with every role, built once per test."""

    def __init__(self, policy_code: str = "wendeng-2021"):
        code = policy_code.split("-")[0]
        self.jurisdiction = JurisdictionFactory(
            code=code, policy_code=policy_code, project_prefix=code[:3].upper()
        )
        org = lambda kind, name: OrganisationFactory(jurisdiction=self.jurisdiction, kind=kind, name=name)  # noqa: E731
        self.dept_org = org(OrganisationKind.DEPARTMENT, "区教育和体育局")
        self.dept2_org = org(OrganisationKind.DEPARTMENT, "区卫生健康局")
        self.bdc_org = org(OrganisationKind.BDC, "区大数据中心")
        self.finance_org = org(OrganisationKind.FINANCE, "区财政局")
        self.audit_org = org(OrganisationKind.AUDIT, "区审计局")
        self.supervisor_org = org(OrganisationKind.SUPERVISION, "监理公司")
        self.police_org = org(OrganisationKind.POLICE, "区公安分局")
        self.secrecy_org = org(OrganisationKind.SECRECY, "区保密办")
        self.expert_org = org(OrganisationKind.EXTERNAL, "高校")
        u = lambda name, role, organisation: UserFactory(username=name, role=role, organisation=organisation)  # noqa: E731
        self.dept = u("dept", Role.DEPARTMENT, self.dept_org)
        self.dept2 = u("dept2", Role.DEPARTMENT, self.dept2_org)
        self.bdc = u("bdc", Role.BDC, self.bdc_org)
        self.finance = u("finance", Role.FINANCE, self.finance_org)
        self.auditor = u("auditor", Role.AUDITOR, self.audit_org)
        self.supervisor = u("supervisor", Role.SUPERVISOR, self.supervisor_org)
        self.sysadmin = u("sysadmin", Role.SYSADMIN, self.bdc_org)
        self.secadmin = u("secadmin", Role.SECADMIN, self.bdc_org)
        self.auditadmin = u("auditadmin", Role.AUDITADMIN, self.audit_org)
        self.experts = [
            ExpertFactory(
                user=UserFactory(username=f"expert{i}", role=Role.EXPERT, organisation=None),
                employer=self.expert_org,
            )
            for i in range(1, 4)
        ]
        self.outsider_expert = ExpertFactory(
            user=UserFactory(username="expert9", role=Role.EXPERT, organisation=None),
            employer=self.expert_org,
        )

    @property
    def users(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "dept",
                "dept2",
                "bdc",
                "finance",
                "auditor",
                "supervisor",
                "sysadmin",
                "secadmin",
                "auditadmin",
            )
        }

    def project(self, **overrides):
        from projects.services import project_create

        data = {**PROJECT_DEFAULTS, **overrides}
        return project_create(by=overrides.pop("by", self.dept), data=data)

    def ready_to_submit(self, project) -> None:
        """What submitting under wendeng-2021 needs: the plan, the feasibility report, a catalogue entry."""
        from projects.services import document_upload
        from sharing.services import resource_add

        for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
            document_upload(project=project, by=self.dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))
        resource_add(project=project, by=self.dept, data=dict(CATALOGUE_ENTRY))

    def project_in_state(self, state: str, **overrides):
        """A project brought to `state` through the real services, every step on its timeline."""
        from projects.services import document_upload, project_transition
        from reviews.services import opinion_record, panel_assign, prereview_record
        from sharing.services import resource_mark_connected

        project = self.project(**overrides)

        def t(name, by, **data):
            return project_transition(project_id=project.pk, name=name, by=by, data=data)

        def up(kind, by=None):
            return document_upload(
                project=project, by=by or self.dept, kind=kind, file=pdf_upload(f"{kind}.pdf")
            )

        side = {
            ProjectState.REJECTED: ProjectState.DECLARED,
            ProjectState.CANCELLED: ProjectState.DRAFT,
            ProjectState.SUSPENDED: ProjectState.CONSTRUCTION,
            ProjectState.TERMINATED: ProjectState.CONSTRUCTION,
            ProjectState.RECTIFYING: ProjectState.FINAL_ACCEPTANCE,
        }
        goal = side.get(state, state)
        steps = MAIN_LINE[1 : MAIN_LINE.index(goal) + 1]
        for step in steps:
            if step == ProjectState.DECLARED:
                self.ready_to_submit(project)
                t("submit", self.dept)
            elif step == ProjectState.REVIEWING:
                prereview_record(
                    project=project, by=self.bdc, passed=True, opinion="符合规划，同意进入评审。"
                )
                panel_assign(project=project, by=self.bdc, experts=self.experts)
                t("start_review", self.bdc)
            elif step == ProjectState.APPROVED:
                version = up(DocumentKind.REVIEW_OPINION, self.bdc)
                opinion_record(
                    project=project,
                    by=self.bdc,
                    conclusion="pass",
                    summary="同意建设。",
                    document_version=version,
                )
                t("approve", self.finance, approved_amount=str(project.declared_amount), basis="财政评审意见")
            elif step == ProjectState.PROCUREMENT:
                t("start_procurement", self.dept)
            elif step == ProjectState.CONSTRUCTION:
                up(DocumentKind.CONTRACT)
                up(DocumentKind.AWARD_NOTICE)
                t(
                    "file_contract",
                    self.dept,
                    contract_amount=str(project.declared_amount),
                    signed_on="2026-11-20",
                    supplier="某某科技有限公司",
                )
            elif step == ProjectState.PRELIMINARY_ACCEPTANCE:
                t(
                    "complete_construction",
                    self.dept,
                    goals_met=True,
                    functions_complete=True,
                    hardware_matches=True,
                    trial_started_on="2026-06-01",
                )
            elif step == ProjectState.FINAL_ACCEPTANCE:
                up(DocumentKind.ACCEPTANCE_APPLICATION)
                up(DocumentKind.SECURITY_ASSESSMENT)
                for resource in project.resources.all():
                    resource_mark_connected(resource=resource, by=self.bdc, registered=True, connected=True)
                t("apply_acceptance", self.dept)
            elif step == ProjectState.EVALUATION:
                up(DocumentKind.ACCEPTANCE_LETTER, self.bdc)
                t("pass_acceptance", self.bdc, group_members="陈建国、刘芳、黄志远")
            elif step == ProjectState.ARCHIVED:
                from acceptance.services import evaluation_record

                up(DocumentKind.SELF_EVALUATION)
                evaluation_record(project=project, by=self.dept, summary="绩效目标全部实现。")
                t("archive", self.bdc)
        if state == ProjectState.REJECTED:
            t("reject", self.bdc, comment="不符合规划")
        elif state == ProjectState.CANCELLED:
            t("cancel", self.dept, comment="需求取消")
        elif state == ProjectState.SUSPENDED:
            t("suspend", self.bdc, comment="严重逾期")
        elif state == ProjectState.TERMINATED:
            t("terminate", self.bdc, comment="终止建设")
        elif state == ProjectState.RECTIFYING:
            t(
                "fail_acceptance",
                self.bdc,
                group_members="专家组",
                rectification_items="1. 数据未接入",
                rectification_deadline="2027-12-31",
            )
        project.refresh_from_db()
        assert project.state == state, (project.state, state)
        return project
