"""Test data. People and places through factories; projects through the real services where a test
cares about the record (see `project_in_state`)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.enums import OrganisationKind, Role
from core.models import Jurisdiction, Organisation, User
from core.workdays import add_months
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
    employer_name = factory.LazyAttribute(lambda o: o.employer.name if o.employer else "")
    jurisdiction = factory.LazyAttribute(lambda o: o.employer.jurisdiction if o.employer else None)
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


# 绩效目标 and three indicators (a count, a satisfaction rate, a qualitative one) as the `set_targets` action
# takes them: laohekou-2024 第二十五条 and gongshu-draft 四(一) refuse a declaration without them.
TARGETS = {
    "goal": "建成覆盖全区中小学的教育综合服务平台，提升家校服务效率。",
    "indicator:1:category": "output_quantity",
    "indicator:1:name": "接入学校数",
    "indicator:1:unit": "所",
    "indicator:1:baseline": "0",
    "indicator:1:direction": "at_least",
    "indicator:1:target": "30",
    "indicator:2:category": "satisfaction",
    "indicator:2:name": "师生满意度",
    "indicator:2:unit": "%",
    "indicator:2:baseline": "80",
    "indicator:2:direction": "at_least",
    "indicator:2:target": "90",
    "indicator:3:category": "benefit_social",
    "indicator:3:name": "家校沟通渠道",
    "indicator:3:direction": "qualitative",
    "indicator:3:target": "实现线上统一办理",
}


def targets_required(project) -> bool:
    """Whether the project's policy refuses a declaration without 绩效目标 (a submit check on them)."""
    return any(c.code.endswith("-targets") for c in project.policy.checks_for("submit"))


def self_evaluation_fields(project) -> dict:
    """The `self_evaluation` action's per-indicator fields, every target met (its actual = its target)."""
    from performance.selectors import targets_current

    current = targets_current(project)
    fields = {}
    for i in current.indicators.all() if current else ():
        fields[f"actual:{i.pk}"] = i.target
        if i.direction == "qualitative":
            fields[f"met:{i.pk}"] = "met"
    return fields


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
        self.development_org = org(OrganisationKind.DEVELOPMENT, "发展和改革局")
        u = lambda name, role, organisation: UserFactory(username=name, role=role, organisation=organisation)  # noqa: E731
        self.dept = u("dept", Role.DEPARTMENT, self.dept_org)
        self.dept2 = u("dept2", Role.DEPARTMENT, self.dept2_org)
        self.bdc = u("bdc", Role.BDC, self.bdc_org)
        self.finance = u("finance", Role.FINANCE, self.finance_org)
        self.auditor = u("auditor", Role.AUDITOR, self.audit_org)
        self.supervisor = u("supervisor", Role.SUPERVISOR, self.supervisor_org)
        self.fgw = u("fgw", Role.DEVELOPMENT, self.development_org)
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
        # In the library, but away whenever `prepare` draws a panel, so the panel is exactly `experts` and the
        # outsider an expert who must see none of it.
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
                "fgw",
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
        if targets_required(project):
            self.act(project, "set_targets", self.dept, dict(TARGETS))

    def transition_data(self, name: str, project=None) -> dict:
        """The minimal valid data each transition is entered with, dated relative to today so that the
        regulations' windows (wendeng-2021: trial operation 3 to 6 months) hold whenever the tests run."""
        today = timezone.localdate()
        amount = str(project.declared_amount) if project is not None else "120.00"
        return {
            "submit": {},
            "return_for_revision": {"comment": "材料不全，请补充"},
            "start_review": {},
            "reject": {"comment": "不符合规划"},
            "approve": {
                "approved_amount": amount,
                "basis": "财政投资评审意见",
                "valid_until": (today + timedelta(days=365)).isoformat(),
            },
            "start_procurement": {},
            "file_contract": {
                "contract_amount": amount,
                "awarded_on": (today - timedelta(days=3)).isoformat(),
                "signed_on": today.isoformat(),
                "supplier": "某某科技有限公司",
            },
            "suspend": {"comment": "严重逾期"},
            "resume": {"comment": "已整改"},
            "terminate": {"comment": "终止建设"},
            "complete_construction": {
                "goals_met": True,
                "functions_complete": True,
                "hardware_matches": True,
                "trial_started_on": add_months(today, -4).isoformat(),
            },
            "apply_acceptance": {"deployed_on_cloud": True},
            "pass_acceptance": {},
            "fail_acceptance": {},
            "archive": {},
            "cancel": {"comment": "需求取消"},
        }[name]

    def upload(self, project, kind, by=None):
        from projects.services import document_upload

        return document_upload(project=project, by=by or self.dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))

    def act(self, project, name: str, by, data=None, files=None):
        """Take an action through the one door the pages and the API use."""
        from projects.actions import project_action

        return project_action(project_id=project.pk, name=name, by=by, data=data or {}, files=files)

    def review(self, project, conclusion: str = "pass") -> None:
        """Every panel expert scores every criterion, and the BDC consolidates the opinion (评审中)."""
        criteria = project.policy.review_criteria
        grade = "meets" if conclusion != "fail" else "fails"
        for member in project.panel.filter(active=True).select_related("expert__user"):
            self.act(
                project,
                "score",
                member.expert.user,
                {
                    **{f"criterion:{c.code}": grade for c in criteria},
                    **{f"comment:{c.code}": f"{c.label}：论证充分。" for c in criteria},
                    "opinion": "同意。" if conclusion != "fail" else "不同意。",
                    "recommendation": conclusion,
                },
            )
        summary = "同意建设。" if conclusion != "fail" else "不同意建设。"
        self.act(project, "consolidate_opinion", self.bdc, {"conclusion": conclusion, "summary": summary})

    def prepare(self, project, name: str) -> None:
        """Give the transition what its rule checks need under wendeng-2021, without changing the state, through
        the doors users use (actions, uploads, the catalogue)."""
        if name == "submit":
            self.ready_to_submit(project)
        elif name == "start_review":
            # The 预审意见书 (gongshu-draft 四(二)) is numbered: its issuer needs its 机关代字.
            if project.policy.prereview_letter[0] and not self.bdc_org.short_name:
                Organisation.objects.filter(pk=self.bdc_org.pk).update(short_name="测大数据")
                self.bdc_org.refresh_from_db()
                self.bdc.organisation.refresh_from_db()
            self.act(project, "prereview", self.bdc, {"passed": "1", "opinion": "符合规划，同意进入评审。"})
            from reviews.library import expert_update

            expert_update(expert=self.outsider_expert, by=self.bdc, data={"available": False})
            self.act(project, "draw_panel", self.bdc, {"size": "3"})
            expert_update(expert=self.outsider_expert, by=self.bdc, data={"available": True})
        elif name == "reject" and project.state == ProjectState.REVIEWING:
            self.review(project, "fail")
        elif name == "approve":
            from django.test import TestCase

            if not self.bdc_org.short_name:  # the operators set the 机关代字 its 发文字号 is made of
                Organisation.objects.filter(pk=self.bdc_org.pk).update(short_name="测大数据")
                self.bdc_org.refresh_from_db()
            self.review(project)
            # The PDF is queued on commit; inside a test's transaction run it now (Celery is eager in tests).
            with TestCase.captureOnCommitCallbacks(execute=True):
                self.act(project, "issue_opinion", self.bdc)
        elif name == "file_contract":
            self.upload(project, DocumentKind.CONTRACT)
            self.upload(project, DocumentKind.AWARD_NOTICE)
        elif name == "apply_acceptance":
            from acceptance.group import open_items
            from projects.policies.wendeng_2021 import ACCEPTANCE_DOCUMENTS

            # After 不合格: each rectification item reported on with its evidence (wendeng-2021 第三十七条).
            for item in open_items(project):
                self.act(
                    project,
                    "rectification_report",
                    self.dept,
                    {"item": item.pk, "report": "已按要求整改完成。"},
                    {"evidence": pdf_upload("evidence.pdf")},
                )

            present = set(project.documents.values_list("kind", flat=True))
            needed = (
                DocumentKind.ACCEPTANCE_APPLICATION,
                DocumentKind.SECURITY_ASSESSMENT,
                *ACCEPTANCE_DOCUMENTS,
            )
            for kind in dict.fromkeys(needed):
                if kind not in present:
                    self.upload(project, kind)
            for resource in project.resources.all():
                self.act(
                    project,
                    "connect_resources",
                    self.bdc,
                    {"resource": resource.pk, "registered": True, "connected": True},
                )
        elif name in ("pass_acceptance", "fail_acceptance"):
            self.accept(project, "passed" if name == "pass_acceptance" else "failed")
        elif name == "archive":
            self.act(
                project,
                "self_evaluation",
                self.dept,
                {"summary": "绩效目标全部实现。", **self_evaluation_fields(project)},
                {"report": pdf_upload("self_evaluation.pdf")},
            )
            # The asset handover, where the policy names one (wendeng-2021 第三十八条).
            if (
                project.policy.actor_for("handover_assets", project) is not None
                and not project.asset_handovers.exists()
            ):
                self.act(
                    project,
                    "handover_assets",
                    self.dept,
                    {
                        "recipient": "区城市运营有限公司",
                        "assets": "服务器 2台\n应用系统 1套",
                        "handed_over_on": timezone.localdate().isoformat(),
                    },
                    {"receipt": pdf_upload("receipt.pdf")},
                )

    def accept(self, project, conclusion: str = "passed", organiser=None) -> None:
        """The acceptance group formed (the outsider away, as for the panel), each expert's opinion on every
        condition, and the conclusion issued as the 竣工验收意见函 (rendered inline: Celery is eager in tests)."""
        from django.test import TestCase

        from acceptance.models import AcceptanceGroup
        from reviews.library import expert_update

        organiser = organiser or self.bdc
        if organiser.organisation and not organiser.organisation.short_name:
            Organisation.objects.filter(pk=organiser.organisation_id).update(short_name="测验收")
            organiser.organisation.refresh_from_db()
        policy = project.policy
        if not AcceptanceGroup.objects.filter(project=project).exists():
            parties = {}
            for party in policy.acceptance_parties:
                parties[f"party:{party.code}"] = f"{party.label}（测试）"
                parties[f"name:{party.code}"] = "张三"
            expert_update(expert=self.outsider_expert, by=self.bdc, data={"available": False})
            self.act(project, "draw_acceptance_group", organiser, parties)
            expert_update(expert=self.outsider_expert, by=self.bdc, data={"available": True})
        met = "met" if conclusion == "passed" else "unmet"
        for member in project.acceptance_members.filter(kind="expert").select_related("expert__user"):
            self.act(
                project,
                "acceptance_opinion",
                member.expert.user,
                {
                    **{f"condition:{c.code}": met for c in policy.acceptance_conditions},
                    **{
                        f"comment:{c.code}": "未达到要求。"
                        for c in policy.acceptance_conditions
                        if met == "unmet"
                    },
                    "recommendation": conclusion,
                    "opinion": "同意通过验收。" if conclusion == "passed" else "不同意通过验收。",
                },
            )
        due = (timezone.localdate() + timedelta(days=60)).isoformat()
        data = {"conclusion": conclusion, "summary": "验收组意见。"}
        if conclusion == "failed":
            data["items"] = f"数据未接入共享平台 | {project.organisation.name} | {due}"
        with TestCase.captureOnCommitCallbacks(execute=True):
            self.act(project, "issue_acceptance_letter", organiser, data)

    def project_in_state(self, state: str, **overrides):
        """A project brought to `state` through the real services, every step on its timeline."""
        from projects.services import project_transition

        project = self.project(**overrides)

        def t(name, by, **data):
            return project_transition(
                project_id=project.pk, name=name, by=by, data={**self.transition_data(name, project), **data}
            )

        side = {
            ProjectState.REJECTED: ProjectState.DECLARED,
            ProjectState.CANCELLED: ProjectState.DRAFT,
            ProjectState.SUSPENDED: ProjectState.CONSTRUCTION,
            ProjectState.TERMINATED: ProjectState.CONSTRUCTION,
            ProjectState.RECTIFYING: ProjectState.FINAL_ACCEPTANCE,
        }
        # The main line's step into each state: the transition and who runs it.
        step_into = {
            ProjectState.DECLARED: ("submit", self.dept),
            ProjectState.REVIEWING: ("start_review", self.bdc),
            ProjectState.APPROVED: ("approve", self.finance),
            ProjectState.PROCUREMENT: ("start_procurement", self.dept),
            ProjectState.CONSTRUCTION: ("file_contract", self.dept),
            ProjectState.PRELIMINARY_ACCEPTANCE: ("complete_construction", self.dept),
            ProjectState.FINAL_ACCEPTANCE: ("apply_acceptance", self.dept),
            ProjectState.EVALUATION: ("pass_acceptance", self.bdc),
            ProjectState.ARCHIVED: ("archive", self.bdc),
        }
        goal = side.get(state, state)
        for step in MAIN_LINE[1 : MAIN_LINE.index(goal) + 1]:
            name, by = step_into[step]
            project.refresh_from_db()
            self.prepare(project, name)
            t(name, by)
        side_step = {
            ProjectState.REJECTED: ("reject", self.bdc),
            ProjectState.CANCELLED: ("cancel", self.dept),
            ProjectState.SUSPENDED: ("suspend", self.bdc),
            ProjectState.TERMINATED: ("terminate", self.bdc),
            ProjectState.RECTIFYING: ("fail_acceptance", self.bdc),
        }.get(state)
        if side_step:
            project.refresh_from_db()
            self.prepare(project, side_step[0])
            t(*side_step)
        project.refresh_from_db()
        assert project.state == state, (project.state, state)
        return project
