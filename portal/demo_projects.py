"""Sample projects for the demo (`seed_demo --with-projects`), each brought to its stage through the doors users
use: every action through `projects.actions.project_action`, every state change through `project_transition`,
uploads through `document_upload` and catalogue entries through `resource_add`, each step taken by whoever the
project's policy names for it. So every step is checked by the jurisdiction's regulation and written on the
timeline like any other; a step the regulation refuses ends that project where it stands, and the reason is
reported.

One sample goes all the way to 已归档, so an auditor has an archive to browse under every policy. The
regulations' windows depend on time (laohekou-2024: a month of trial operation, then 12 to 24 months between
acceptance and the self-evaluation; wendeng-2021: 3 to 6 months of trial operation; zhaoyuan-2021: declared
in 7月–8月 for the next year), so that walk takes each step on a plausible past working day (`time_machine`
moves the clock for the walk only): the services date their own records, and the timeline reads as it would
have been written."""

from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.enums import OrganisationKind, Role
from core.errors import ApplicationError, Conflict
from core.models import Organisation, User
from core.workdays import WorkCalendar, add_months
from projects.enums import DocumentKind

from .demo_samples import (
    ACCEPTANCE_DOCUMENTS,
    CATALOGUE,
    CHAPTERED,
    CHAPTERS,
    DEMO_ACTUALS,
    DEMO_PROJECTS,
    DEMO_TARGETS,
    ORDER,
    DemoProject,
    dated_start,
    sample_pdf,
)


class Walk:
    """Takes one project step by step; stops at the first refusal and remembers why."""

    def __init__(self, spec: DemoProject, jurisdiction):
        self.spec = spec
        self.jurisdiction = jurisdiction
        names = [spec.department, "bdc", "finance", "fgw", "supervisor"]
        found = {u.username: u for u in User.objects.filter(username__in=names)}
        self.dept = found[spec.department]
        # Who stands for each role in the demo (the department: the project's own).
        self.by_role = {
            Role.DEPARTMENT: self.dept,
            Role.BDC: found.get("bdc"),
            Role.FINANCE: found.get("finance"),
            Role.DEVELOPMENT: found.get("fgw"),
            Role.SUPERVISOR: found.get("supervisor"),
        }
        self.project = None
        self.stopped = ""
        self.moment: datetime | None = None  # the dated walk's clock: when its last step was taken
        self.start = dated_start(timezone.localdate()) if spec.dated else None
        self.calendar = WorkCalendar()

    # ---- the clock -------------------------------------------------------------------------------------------

    def on(self, *, days: int = 0, months: int = 0):
        """The dated walk's next working day, `months` and `days` after its last step (the same day a little
        later when both are 0): a context in which the clock reads that day. For the other samples: now."""
        if not self.spec.dated:
            return nullcontext()
        return self._travel(days, months)

    @contextmanager
    def _travel(self, days: int, months: int):
        import time_machine

        tz = ZoneInfo(settings.TIME_ZONE)
        if self.moment is None:
            target = datetime.combine(self._working(self.start), time(9, 0), tzinfo=tz)
        else:
            last = self.moment.astimezone(tz)
            day = self._working(add_months(last.date(), months) + timedelta(days=days))
            if day <= last.date():
                target = last + timedelta(minutes=10)
            else:
                target = datetime.combine(day, time(9, 0), tzinfo=tz)
        if target.date() >= timezone.localdate():
            raise Conflict(f"演示项目的办理日期（{target.date():%Y-%m-%d}）须早于今天。")
        with time_machine.travel(target, tick=True):
            yield
            self.moment = timezone.now()

    def _working(self, day: date) -> date:
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        return day

    @property
    def today(self) -> date:
        return timezone.localdate()

    # ---- the doors -----------------------------------------------------------------------------------------

    def _pick(self, acting) -> User:
        """The demo user standing for the body named (the declaring department before anyone else)."""
        for role in (Role.DEPARTMENT, Role.BDC, Role.FINANCE, Role.DEVELOPMENT, Role.SUPERVISOR):
            user = self.by_role.get(role)
            if role in acting.roles and user is not None and acting.admits(user, self.project):
                return user
        raise Conflict(f"演示数据中没有可办理此事项的账号（须由{acting.who}办理）。")

    def who_transitions(self, name: str) -> User:
        from projects.services import transition_acting
        from projects.transitions import TRANSITIONS

        return self._pick(transition_acting(self.project, TRANSITIONS[name]))

    def who_acts(self, name: str) -> User | None:
        """Who takes action `name` under the project's policy; None: it does not apply to this project."""
        from projects.actions import ACTIONS, action_acting

        acting = action_acting(self.project, ACTIONS[name])
        return None if acting is None else self._pick(acting)

    def transition(self, name: str, by=None, **data):
        from projects.services import project_transition

        project_transition(
            project_id=self.project.pk, name=name, by=by or self.who_transitions(name), data=data
        )
        self.project.refresh_from_db()

    def act(self, name: str, by=None, data=None, files=None):
        from projects.actions import project_action

        record = project_action(
            project_id=self.project.pk,
            name=name,
            by=by or self.who_acts(name),
            data=data or {},
            files=files,
        )
        self.project.refresh_from_db()
        return record

    def applies(self, name: str) -> bool:
        """Whether the project's policy names who takes the optional action `name`."""
        return self.who_acts(name) is not None

    def upload(self, kind: str, by=None):
        from projects.services import document_upload

        chaptered = kind in CHAPTERED
        document_upload(
            project=self.project,
            by=by or self.dept,
            kind=kind,
            file=sample_pdf(kind),
            has_sharing_chapter=chaptered,
            has_security_chapter=chaptered,
        )

    # ---- the walk ------------------------------------------------------------------------------------------

    def run(self) -> str:
        from projects.services import project_create

        steps = [
            self.declare,
            self.review,
            self.approve,
            self.build,
            self.complete,
            self.accept,
            self.archive,
        ]
        try:
            with self.on():
                year = (self.start or self.today).year + 1
                data = {
                    "name": self.spec.name,
                    "year": year,
                    "declared_amount": Decimal(self.spec.amount),
                    "construction_kinds": self.spec.kinds,
                    "contact_name": self.dept.full_name,
                    "contact_phone": "0631-8451234",
                    **CHAPTERS,
                    **self.spec.flags,
                }
                self.project = project_create(by=self.dept, data=data)
            for step in steps[: ORDER.index(self.spec.goal)]:
                step()
        except ApplicationError as exc:
            self.stopped = exc.message
        if self.project is None:
            return "未创建"
        self.project.refresh_from_db()
        return self.project.get_state_display()

    def _declaration_documents(self) -> list[str]:
        kinds = list(self.project.policy.declaration_documents)
        if self.project.policy_code == "fangchenggang-2022":
            # 第十条: what is reported for approval follows the total investment.
            from projects.policies.fangchenggang_2022 import tier_documents

            kinds += tier_documents(self.project)
        return list(dict.fromkeys(kinds))

    def declare(self):
        from sharing.services import resource_add

        with self.on():
            for kind in self._declaration_documents():
                self.upload(kind)
            resource_add(
                project=self.project, by=self.dept, data={**CATALOGUE, "name": f"{self.spec.name}业务数据"}
            )
            # 绩效目标 and indicators (laohekou-2024 第二十五条, gongshu-draft 四(一); set under every policy).
            self.act("set_targets", data=dict(DEMO_TARGETS))
        with self.on(days=2):
            self.transition("submit", comment="按申报要求提交申报材料。")

    def review(self):
        from reviews.selectors import agencies_required

        with self.on(days=1):
            if self.project.policy.articles.get(
                "ANY-prereview"
            ):  # fangchenggang-2022 has no pre-review stage
                self.act("prereview", data={"passed": "1", "opinion": "符合全区规划，同意进入评审。"})
            if agencies_required(self.project):
                for invitation in self.act("invite_agency"):
                    self.act("record_agency", data={"invitation": invitation.pk, "participated": "1"})
            self.act("draw_panel", data={"size": str(self._panel_size())})
            self.transition("start_review", comment="组织集中评审。")

    def _panel_size(self) -> int:
        """The policy's panel size, or the next odd size that seats one expert for each field to cover."""
        from reviews.draws import fields_needed

        size, needed = self.project.policy.panel_size, len(fields_needed(self.project))
        while size < needed:
            size += 2
        return size

    def approve(self):
        project = self.project
        criteria = project.policy.review_criteria
        with self.on(days=7):
            for member in project.panel.filter(active=True).select_related("expert__user"):
                self.act(
                    "score",
                    by=member.expert.user,
                    data={
                        **{f"criterion:{c.code}": "meets" for c in criteria},
                        **{f"comment:{c.code}": f"{c.label}：论证充分。" for c in criteria},
                        "opinion": "项目建设必要，方案可行，投资估算基本合理。",
                        "recommendation": "pass",
                    },
                )
            self.act(
                "consolidate_opinion",
                data={"conclusion": "pass", "summary": "专家组一致同意建设，建议加强数据共享。"},
            )
            self.act("issue_opinion")
        with self.on(days=7):
            if self.applies("record_decision"):  # zhaoyuan-2021 第六条: 报呈市政府同意
                self.act(
                    "record_decision",
                    data={
                        "body": f"{self.jurisdiction.name}人民政府",
                        "agreed": "1",
                        "decided_on": self.today.isoformat(),
                        "document_number": "",
                    },
                    files={"file": sample_pdf("government-decision")},
                )
            self.transition(
                "approve",
                approved_amount=str(project.declared_amount),
                basis="评审意见及预算评审意见",
                valid_until=(self.today + timedelta(days=365)).isoformat(),
                comment="同意立项。",
            )

    def build(self):
        amount = self.project.approved_amount
        with self.on(days=7):
            if self.applies("confirm_bidding"):  # gongshu-draft 五(一)、五(二)
                self.act(
                    "confirm_bidding",
                    data={
                        "experts": "陈建国、刘芳、冯雪",
                        "ceiling_price": str(amount),
                        "note": "招标需求合理。",
                    },
                )
            self.transition("start_procurement", comment="委托采购代理机构公开招标。")
        with self.on(days=40):
            signed = add_months(self.today, -self.spec.signed_months_ago)
            awarded = signed - timedelta(days=2)
            if self.applies("apply_supervisor"):  # laohekou-2024 第十八条: 书面申请派驻监理
                self.act("apply_supervisor", files={"file": sample_pdf("supervisor-application")})
            if self.applies("assign_supervisor"):
                supervisor = Organisation.objects.filter(
                    jurisdiction=self.jurisdiction, kind=OrganisationKind.SUPERVISION
                ).first()
                if supervisor is not None:
                    self.act("assign_supervisor", data={"organisation": supervisor.pk})
            self.upload(DocumentKind.CONTRACT)
            self.upload(DocumentKind.AWARD_NOTICE)
            self.transition(
                "file_contract",
                contract_amount=str(amount),
                awarded_on=awarded.isoformat(),
                signed_on=signed.isoformat(),
                supplier="山东某某信息技术有限公司",
                # The baseline (issue 13): milestones and the planned completion, from the signing.
                planned_completion_on=add_months(signed, 8).isoformat(),
                milestones="\n".join(
                    f"{name} {add_months(signed, months).isoformat()}"
                    for name, months in (("需求调研完成", 1), ("系统开发完成", 5), ("上线试运行", 7))
                ),
            )
        with self.on(months=1):
            for resource in self.project.resources.order_by("id"):
                self.act(
                    "connect_resources", data={"resource": resource.pk, "registered": True, "connected": True}
                )
        if self.spec.goal == "construction":
            self.watch()

    def watch(self):
        """The sample under construction this month: the supervisor's 四控三管 report where one supervises, the
        department's progress report and the centre's risk rating."""
        from acceptance.construction import SUPERVISION_ITEMS

        period = self.today.strftime("%Y-%m")
        supervisor = self.by_role.get(Role.SUPERVISOR)
        current = self.project.supervisor_assignments.filter(ended_at__isnull=True).first()
        if (
            supervisor is not None
            and current is not None
            and current.organisation_id == supervisor.organisation_id
        ):
            report = {"period": period, "issues": "部分接口文档未随版本更新。", "follow_up": ""}
            for code, label in SUPERVISION_ITEMS:
                report[f"finding:{code}"], report[f"rating:{code}"] = (
                    f"{label}符合合同和监理规范要求。",
                    "good",
                )
            self.act("supervision_report", by=supervisor, data=report)
        self.act(
            "progress_report",
            data={
                "period": period,
                "milestone:1": 100,
                "milestone:2": 60,
                "milestone:3": 0,
                "paid_amount": str((self.project.contract_amount * 4 / 10).quantize(Decimal("0.01"))),
                "problems": "数据接口联调进度略慢。",
                "next_steps": "本月完成与共享平台的接口联调。",
                "users_opinion": "业务科室认可阶段成果。",
                "supervisor_opinion": "进度基本符合计划。",
            },
        )
        self.act("rate_risk", data={"rating": "4", "comment": "进度、成本基本符合基线，监理未发现重大问题。"})

    def complete(self):
        with self.on(months=3):
            self.transition(
                "complete_construction",
                goals_met=True,
                functions_complete=True,
                hardware_matches=True,
                trial_started_on=add_months(self.today, -self.spec.trial_months_ago).isoformat(),
                comment="初步核验通过，已进入试运行。",
            )
            if self.project.supervisor_assignments.exists():  # laohekou-2024 第二十条: 建设完成后打分
                self.act("score_supervisor", data={"score": "90", "comment": "监理尽职，四控三管到位。"})

    def _acceptance_documents(self) -> list[str]:
        from projects.enums import ConstructionKind
        from projects.policies import wendeng_2021

        kinds = self.project.construction_kinds
        extra = {
            # 第三十六条(四): the thirteen acceptance documents.
            "wendeng-2021": wendeng_2021.ACCEPTANCE_DOCUMENTS,
            # 第二十三条(五)至(八): user report, training record; software test for platforms, data quality for
            # data collection.
            "laohekou-2024": (
                DocumentKind.USER_REPORT,
                DocumentKind.TRAINING_RECORD,
                *((DocumentKind.SOFTWARE_TEST,) if ConstructionKind.PLATFORM in kinds else ()),
                *((DocumentKind.DATA_QUALITY,) if ConstructionKind.DATA_COLLECTION in kinds else ()),
            ),
            # 第十九、二十条: the cryptography assessment and the products' security statement.
            "fangchenggang-2022": (DocumentKind.CRYPTO_ASSESSMENT, DocumentKind.PRODUCT_SECURITY),
        }.get(self.project.policy_code, ())
        present = set(self.project.documents.values_list("kind", flat=True))
        return [k for k in dict.fromkeys([*ACCEPTANCE_DOCUMENTS, *extra]) if k not in present]

    def accept(self):
        with self.on(months=4):  # after the trial operation (wendeng-2021: 3 to 6 months)
            for kind in self._acceptance_documents():
                self.upload(kind)
            self.transition("apply_acceptance", deployed_on_cloud=True, comment="试运行期满，申请竣工验收。")
        with self.on(days=2):
            if self.applies("archive_acceptance"):  # fangchenggang-2022 第二十八条
                self.act("archive_acceptance", files={"file": sample_pdf("archive-acceptance")})
            # The acceptance group (formed by the body the policy names, with the parties it names), each drawn
            # expert's opinion on every condition, and the conclusion issued as the 竣工验收意见函 (ANY-letter).
            parties = {}
            for party in self.project.policy.acceptance_parties:
                parties[f"party:{party.code}"] = DEMO_PARTY_UNITS.get(party.code, party.label)
                parties[f"name:{party.code}"] = "王磊"
            self.act("draw_acceptance_group", data=parties)
            conditions = self.project.policy.acceptance_conditions
            for member in self.project.acceptance_members.filter(kind="expert").select_related(
                "expert__user"
            ):
                self.act(
                    "acceptance_opinion",
                    by=member.expert.user,
                    data={
                        **{f"condition:{c.code}": "met" for c in conditions},
                        "recommendation": "passed",
                        "opinion": "建设内容完成，资料齐全，同意通过验收。",
                    },
                )
            self.act(
                "issue_acceptance_letter",
                data={"conclusion": "passed", "summary": "项目按批复内容建成，验收组一致同意通过竣工验收。"},
            )
            self.transition("pass_acceptance", comment="验收组一致同意通过竣工验收。")

    def _actuals(self) -> dict:
        """The self-evaluation's actual value of each indicator of the targets in force (all met)."""
        from performance.selectors import targets_current

        current = targets_current(self.project)
        actuals = {}
        for i in current.indicators.all() if current else ():
            actuals[f"actual:{i.pk}"] = DEMO_ACTUALS.get(i.name, i.target)
            if i.direction == "qualitative":
                actuals[f"met:{i.pk}"] = "met"
        return actuals

    def archive(self):
        with self.on(months=13):  # laohekou-2024 第二十六条: 12 to 24 months after acceptance
            self.act(
                "self_evaluation",
                data={
                    "summary": "绩效目标全部实现：业务线上办理率96%，数据共享率92%。",
                    "score": "92",
                    "users_opinion": "使用单位：系统运行稳定，办事群众反映良好。",
                    "supervisor_opinion": "监理单位：建设内容与批复一致，资料齐全。",
                    **self._actuals(),
                },
                files={"report": sample_pdf("self-evaluation")},
            )
        with self.on(days=2):
            if self.applies("handover_assets"):  # wendeng-2021 第三十八条: 资产移交国有公司统一运维管理
                self.act(
                    "handover_assets",
                    data={
                        "recipient": "区城市资产运营有限公司",
                        "assets": "业务应用系统软件 1套\n视频会议终端 6台\n数据库软件授权 2套",
                        "handed_over_on": self.today.isoformat(),
                    },
                    files={"receipt": sample_pdf("asset-handover")},
                )
            if self.project.policy.articles.get("LHK-24-report"):  # laohekou-2024 第二十四条: 报送验收报告
                self.upload(DocumentKind.ACCEPTANCE_REPORT)
        with self.on(days=3):
            self.transition("archive", comment="项目资料齐全，归档。")


# The units of the acceptance group's representatives, by the policy's party codes (the demo's names).
DEMO_PARTY_UNITS = {
    "owner": "区教育和体育局",
    "designer": "省电子政务研究院",
    "builder": "某某科技有限公司",
    "supervisor": "信诚信息工程监理有限公司",
    "user": "区教育和体育局信息中心",
    "development": "市发展改革委",
    "bdc": "市大数据和行政审批局",
    "archives": "市档案局",
}


def demo_projects_create(*, jurisdiction, stdout) -> None:
    """The sample projects not yet there (by name), each walked as far as its regulation allows."""
    from projects.models import Project

    departments = User.objects.filter(username__in={s.department for s in DEMO_PROJECTS})
    elsewhere = [u.username for u in departments if u.organisation.jurisdiction_id != jurisdiction.pk]
    if elsewhere:
        # The demo accounts were made for another jurisdiction of this database: its samples would land there.
        stdout.write(f"演示项目：账号{'、'.join(elsewhere)}不属于{jurisdiction.name}，未创建演示项目。")
        return
    for spec in DEMO_PROJECTS:
        if Project.objects.filter(organisation__jurisdiction=jurisdiction, name=spec.name).exists():
            continue
        walk = Walk(spec, jurisdiction)
        state = walk.run()
        note = f"（止于此：{walk.stopped}）" if walk.stopped else ""
        code = walk.project.code if walk.project else ""
        stdout.write(f"演示项目：{code} {spec.name} — {state}{note}")
