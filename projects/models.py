"""The Project with its lifecycle, and its documents.

The lifecycle's django-fsm transitions are made from the one table in `projects.transitions`: each only moves
the state and sets the fields the transition owns; who may run them, the rule checks and the timeline are the
business of `projects.services.project_transition`."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from core.models import Organisation

from .enums import Chapter, DocumentKind, ProjectCategory, ProjectState
from .transitions import TRANSITIONS, TransitionSpec

# The declaration's flags, and the Project field holding each chapter of the construction-plan outline
# (the fifth chapter's field is named apart from the organisation FK).
FLAG_FIELDS = (
    "is_classified",
    "has_video",
    "is_security",
    "is_cross_department",
    "is_emergency",
    "adds_fixed_assets",
    "in_plan",
    "higher_level_arranged",
)
CHAPTER_FIELDS: dict[str, str] = {c.value: c.value for c in Chapter}
CHAPTER_FIELDS[Chapter.ORGANISATION.value] = "organisation_plan"
# What the declaring department enters and may change while the project is a draft.
DECLARATION_FIELDS = (
    "name",
    "category",
    "year",
    "declared_amount",
    "construction_kinds",
    "contact_name",
    "contact_phone",
    *FLAG_FIELDS,
    *CHAPTER_FIELDS.values(),
)
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def _checks_pass(name: str):
    """FSM condition: the blocking checks of transition `name`, as evaluated for this attempt, all pass."""

    def condition(project: "Project") -> bool:
        results = getattr(project, "_check_results", {}).get(name)
        if results is None:
            from .checks import evaluate_checks

            results = evaluate_checks(project, name, params={})
        return not any(r.blocking_failure for r in results)

    condition.__name__ = f"checks_pass_{name}"
    return condition


def _fsm_transition(spec: TransitionSpec):
    """The django-fsm transition of one row of the table: `effect(project, data, now)` sets its fields."""

    def method(self, *, data: dict, now):
        return spec.effect(self, data, now) if spec.effect else None

    method.__name__ = spec.name
    method.__doc__ = f"{spec.label}（projects.transitions.TRANSITIONS）"
    target = spec.target or RETURN_VALUE(*spec.targets)
    return transition(
        "state", source=list(spec.sources), target=target, conditions=[_checks_pass(spec.name)]
    )(method)


# The transitions as methods (project.submit(data=…, now=…)), collected by the FSM field like hand-written ones.
Lifecycle = type("Lifecycle", (), {name: _fsm_transition(spec) for name, spec in TRANSITIONS.items()})


class Project(ConcurrentTransitionMixin, Lifecycle, models.Model):
    code = models.CharField("项目编号", max_length=32, unique=True)
    name = models.CharField("项目名称", max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name="建设单位", on_delete=models.PROTECT, related_name="projects"
    )
    co_builders = models.ManyToManyField(Organisation, verbose_name="共建单位", blank=True, related_name="+")
    category = models.CharField(
        "项目类别", max_length=16, choices=ProjectCategory.choices, default=ProjectCategory.NEW
    )
    year = models.PositiveSmallIntegerField("计划年度")
    declared_amount = models.DecimalField("申报金额（万元）", **MONEY)
    approved_amount = models.DecimalField("批复金额（万元）", null=True, blank=True, **MONEY)
    approval_basis = models.TextField("批复依据", blank=True)
    # The approval's validity (wendeng-2021 第十七条): not started by then, the daily job cancels the project.
    valid_until = models.DateField("核准文件有效期至", null=True, blank=True)
    contract_amount = models.DecimalField("合同金额（万元）", null=True, blank=True, **MONEY)
    construction_kinds = models.JSONField("建设内容类别", default=list, blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)

    is_classified = models.BooleanField("涉密", default=False)
    has_video = models.BooleanField("涉及公共视频监控", default=False)
    is_security = models.BooleanField("涉及信息安全", default=False)
    is_cross_department = models.BooleanField("跨部门共建", default=False)
    is_emergency = models.BooleanField("紧急项目", default=False)
    adds_fixed_assets = models.BooleanField("新增固定资产", default=False)
    in_plan = models.BooleanField("已纳入规划", default=False)
    higher_level_arranged = models.BooleanField("国家、省统筹安排并拨付资金", default=False)
    # The project library's order of priority for its year, set by the reviewing body (gongshu-draft 四(三)).
    plan_rank = models.PositiveIntegerField("入库排序", null=True, blank=True)

    # The seven chapters of the construction-plan outline (wendeng-2021 附件2).
    background = models.TextField(Chapter.BACKGROUND.label, blank=True)
    current_state = models.TextField(Chapter.CURRENT_STATE.label, blank=True)
    content = models.TextField(Chapter.CONTENT.label, blank=True)
    design = models.TextField(Chapter.DESIGN.label, blank=True)
    organisation_plan = models.TextField(Chapter.ORGANISATION.label, blank=True)
    investment = models.TextField(Chapter.INVESTMENT.label, blank=True)
    performance = models.TextField(Chapter.PERFORMANCE.label, blank=True)

    # The regulation in force for the jurisdiction when the project was created; never changes after.
    policy_code = models.CharField("适用管理办法", max_length=32)
    policy_version = models.CharField("管理办法版本", max_length=32)

    state = FSMField("状态", default=ProjectState.DRAFT, choices=ProjectState.choices, protected=True)
    suspended_from = models.CharField(max_length=32, blank=True)
    declared_at = models.DateTimeField("申报时间", null=True, blank=True)
    approved_at = models.DateTimeField("立项时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["-created_at", "-id"]
        # The list's default order, and each filter it offers followed by that order, so a page reads its 30
        # rows off an index instead of sorting every project (docs/operations.md, *Performance*). The
        # trigram indexes behind `q=` are PostgreSQL's only (projects/migrations/0005_list_indexes.py).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="project_list_idx"),
            models.Index(fields=["state", "-created_at", "-id"], name="project_state_list_idx"),
            models.Index(fields=["year", "-created_at", "-id"], name="project_year_list_idx"),
            models.Index(fields=["organisation", "-created_at", "-id"], name="project_org_list_idx"),
            models.Index(fields=["organisation", "state"], name="project_org_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def policy(self):
        from .policies import policy_get

        return policy_get(self.policy_code, self.policy_version)

    @property
    def budget(self):
        """The amount the regulations' thresholds apply to after 立项: the approved one, else the declared."""
        return self.approved_amount if self.approved_amount is not None else self.declared_amount


class Document(models.Model):
    """A typed document of a project. Its content lives in versions; none is ever overwritten."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("类型", max_length=32, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目文档"
        ordering = ["project_id", "kind", "id"]
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


def _version_path(instance: "DocumentVersion", filename: str) -> str:
    # The stored name is the content hash: nothing the user typed reaches the file system.
    return f"documents/{instance.document.project_id}/{instance.sha256}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    file = models.FileField(upload_to=_version_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("内容类型", max_length=128)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    has_sharing_chapter = models.BooleanField("含信息资源共享开放分析篇", default=False)
    has_security_chapter = models.BooleanField("含项目系统安全分析篇", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "文档版本"
        ordering = ["document_id", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def as_record(self) -> dict:
        return {
            "version_id": self.pk,
            "kind": self.document.kind,
            "name": self.original_name,
            "number": self.number,
            "sha256": self.sha256,
            "size": self.size,
        }


class DocumentAccessGrant(models.Model):
    """Who outside the declaring organisation may read a classified (涉密) project's documents."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "涉密文档授权"
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class DeadlineWarning(models.Model):
    """A 预警 the daily job recorded: a deadline of the project's regulation due soon or passed.

    One row per project, deadline, period and level, so the job can run any number of times a day."""

    class Level(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"
        UNKNOWN = "unknown", "无法计算"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="deadline_warnings")
    code = models.CharField("规则编号", max_length=32)
    period = models.CharField("期间", max_length=32, help_text="同一期限的各期（如年度报告的年份）")
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    due_on = models.DateField("截止日期")
    message = models.CharField("预警内容", max_length=500)
    source = models.CharField("依据", max_length=200)
    created_at = models.DateTimeField("预警时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code", "period", "level"], name="deadline_warning_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_level_display()} {self.code}"


class PendingDeadline(models.Model):
    """A deadline of a project not yet met, as `projects.deadlines.project_deadlines` last computed it: what the
    home pages read instead of recomputing every project's deadlines on each request. Kept current by the daily
    job and after every change that appends to a project's timeline (`projects.attention`). Any deadline rule a
    policy adds is stored here as it is: the row holds the `Deadline`'s fields, whatever its code."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pending_deadlines")
    # The project's, copied so that a home page narrows by index without joining the projects.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    jurisdiction_id = models.IntegerField("行政区划")
    project_code = models.CharField("项目编号", max_length=32)
    # The project's state and declaration time, so the jurisdiction's staff's visibility
    # (selectors.jurisdiction_wide_visibility) applies to the rows without joining the projects.
    state = models.CharField("项目状态", max_length=32)
    declared_at = models.DateTimeField(null=True, blank=True)
    code = models.CharField("规则编号", max_length=32)
    label = models.CharField("事项", max_length=200)
    requirement = models.TextField("要求")
    source = models.CharField("依据", max_length=300)
    owner = models.CharField("责任方", max_length=32)
    opens_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    period = models.CharField("期间", max_length=32, blank=True)
    note = models.TextField(blank=True)
    soon_days = models.PositiveSmallIntegerField()
    cancels = models.BooleanField(default=False)
    # From which day it needs attention (due soon, overdue, or not computable: always), and from which day it
    # is overdue; the order a home page lists it in (due date, else opening date).
    attention_from = models.DateField()
    overdue_from = models.DateField(null=True, blank=True)
    sort_on = models.DateField()
    computed_on = models.DateField("计算日期")

    class Meta:
        verbose_name = verbose_name_plural = "待办期限"
        indexes = [
            # What needs attention by today in a jurisdiction: a range of this index, however many are pending.
            models.Index(fields=["jurisdiction_id", "attention_from"], name="pending_jurisdiction_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project_code} {self.code} {self.period}"


class StateCount(models.Model):
    """How many projects of a department are in each state (and, of its drafts, how many were once declared):
    what the home pages' summary reads instead of counting every visible project. On PostgreSQL, triggers on
    the projects table keep it exact in the writing transaction, whatever writes (a transition, a bulk insert,
    an import): migration 0007. SQLite (the embedded default) has no triggers here; its home pages count the
    projects themselves (`selectors.project_state_counts`)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    state = models.CharField("项目状态", max_length=32)
    declared = models.BooleanField("曾申报")
    n = models.BigIntegerField("项目数")

    class Meta:
        verbose_name = verbose_name_plural = "项目状态计数"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "state", "declared"], name="state_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.state} {self.n}"
