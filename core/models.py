"""People and places, the counters, and the append-only project timeline."""

import json
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .enums import OPERATOR_ROLES, OrganisationKind, Role
from .seal import ALGORITHM, Seal, seal_keys, seal_make, seal_matches


class Jurisdiction(models.Model):
    """A 行政区划 that runs its projects under one regulation (policy)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    policy_code = models.CharField("适用管理办法", max_length=32)
    project_prefix = models.CharField(
        "项目编号前缀", max_length=8, help_text="如 WD，项目编号形如 WD-2026-0001"
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类别", max_length=16, choices=OrganisationKind.choices)
    short_name = models.CharField(
        "机关代字", max_length=16, blank=True, help_text="发文字号的机关代字，如 文大数据"
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    full_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def jurisdiction_id(self) -> int | None:
        return self.organisation.jurisdiction_id if self.organisation_id else None

    @property
    def is_operator(self) -> bool:
        return self.role in OPERATOR_ROLES


class Sequence(models.Model):
    """A gapless counter (project codes, 发文字号). Taken under a row lock, so never repeated."""

    key = models.CharField(max_length=128, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("时间线只能追加，不能修改。")

    def delete(self):
        raise TypeError("时间线只能追加，不能删除。")


class TimelineEntry(models.Model):
    """One event in a project's life. Append-only: the model, the queryset and a database trigger refuse
    updates and deletes. Each entry is sealed (core.seal: a keyed SM3 digest, the key outside the database)
    over its content and the seal of the one before it, so a changed, removed or reordered row shows, and
    a rewritten chain cannot be resealed without the key. The project's `TimelineHead` holds the count and
    the last seal apart from the rows, so a missing tail shows too."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="timeline")
    seq = models.PositiveIntegerField("序号")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField("操作人", max_length=128)
    actor_role = models.CharField("角色", max_length=16, blank=True)
    action = models.CharField("动作", max_length=64)
    label = models.CharField("事项", max_length=64)
    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32, blank=True)
    comment = models.TextField("说明", blank=True)
    checks = models.JSONField("规则核验", default=list, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField("数据", default=dict, blank=True, encoder=DjangoJSONEncoder)
    documents = models.JSONField("附件", default=list, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField("前一条封存值", max_length=64, blank=True)
    hash = models.CharField("封存值", max_length=64)
    key_id = models.CharField("密钥编号", max_length=32, default="")
    algorithm = models.CharField("算法", max_length=16, default="")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目时间线"
        ordering = ["project_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["project", "seq"], name="timeline_unique_seq")]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.seq} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise TypeError("时间线只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("时间线只能追加，不能删除。")

    def content_for_hash(self) -> str:
        payload = {
            "project": self.project_id,
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "action": self.action,
            "from": self.from_state,
            "to": self.to_state,
            "comment": self.comment,
            "checks": self.checks,
            "data": self.data,
            "documents": self.documents,
            "prev": self.prev_hash,
            "key": self.key_id,
            "alg": self.algorithm,
        }
        return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)

    def seal_here(self) -> None:
        """Seal the entry with the key in use (before it is saved)."""
        self.key_id, self.algorithm = seal_keys()[0][0], ALGORITHM
        self.hash = seal_make(self.content_for_hash()).value

    def seal_intact(self) -> bool:
        return seal_matches(self.content_for_hash(), Seal(self.key_id, self.algorithm, self.hash))


class TimelineHead(models.Model):
    """A project's timeline as a whole, kept apart from its rows: how many entries, the last one's seal, and
    a seal over both. Deleting the tail (or every entry) leaves the head saying otherwise; a head rewritten
    to match needs the key."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, primary_key=True, related_name="timeline_head"
    )
    count = models.PositiveIntegerField("条数")
    last_hash = models.CharField("末条封存值", max_length=64)
    key_id = models.CharField("密钥编号", max_length=32)
    algorithm = models.CharField("算法", max_length=16)
    seal = models.CharField("封存值", max_length=64)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "时间线记录头"

    def __str__(self) -> str:
        return f"{self.project_id}: {self.count}条"

    def content_for_seal(self) -> str:
        return f"head|{self.project_id}|{self.count}|{self.last_hash}"

    def seal_here(self) -> None:
        made = seal_make(self.content_for_seal())
        self.key_id, self.algorithm, self.seal = made.key_id, made.algorithm, made.value

    def seal_intact(self) -> bool:
        return seal_matches(self.content_for_seal(), Seal(self.key_id, self.algorithm, self.seal))


class TimelineAnchor(models.Model):
    """The daily anchor (时间线锚定): every project's head as it stood, under one digest and one seal, numbered
    without gaps and chained to the anchor before it. Append-only like the entries. The next verification
    compares each project against it, so a project whose whole record (rows and head) was removed, or
    whose chain was cut back and rewritten, is named; a copy printed or sent away fixes the digest outside
    the database."""

    year = models.PositiveSmallIntegerField("年份")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("编号", max_length=32, unique=True)
    made_at = models.DateTimeField("锚定时间", default=timezone.now)
    projects = models.PositiveIntegerField("项目数")
    entries = models.PositiveIntegerField("记录条数")
    # {project id: [count, last seal]} — what the digest is computed over.
    heads = models.JSONField("各项目记录头", default=dict)
    digest = models.CharField("摘要", max_length=64)
    prev_seal = models.CharField("前一锚定的封存值", max_length=64, blank=True)
    key_id = models.CharField("密钥编号", max_length=32)
    algorithm = models.CharField("算法", max_length=16)
    seal = models.CharField("封存值", max_length=64)
    verification = models.ForeignKey(
        "TimelineCheck",
        verbose_name="锚定前的校验",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "时间线锚定"
        ordering = ["-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="timeline_anchor_unique_serial")
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("锚定记录只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("锚定记录不能删除。")

    def content_for_seal(self) -> str:
        return f"anchor|{self.number}|{self.made_at.isoformat()}|{self.projects}|{self.entries}|{self.digest}|{self.prev_seal}"

    def seal_here(self) -> None:
        made = seal_make(self.content_for_seal())
        self.key_id, self.algorithm, self.seal = made.key_id, made.algorithm, made.value

    def seal_intact(self) -> bool:
        return seal_matches(self.content_for_seal(), Seal(self.key_id, self.algorithm, self.seal))


class TimelineCheck(models.Model):
    """One verification of the timelines (the daily job, `manage.py timeline_verify --record`, or an auditor's
    request): what was checked and, project by project, what broke."""

    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name="发起人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    projects = models.PositiveIntegerField("项目数", default=0)
    entries = models.PositiveIntegerField("记录条数", default=0)
    anchor = models.ForeignKey(
        TimelineAnchor,
        verbose_name="对照的锚定",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # {project id: {"code": ..., "name": ..., "problems": [...]}}, only the projects with problems.
    broken = models.JSONField("发现的问题", default=dict)
    # Problems of the record as a whole (the anchors' chain, projects without any record).
    general = models.JSONField("总体问题", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "时间线校验"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} 校验"

    @property
    def intact(self) -> bool:
        return self.finished_at is not None and not self.broken and not self.general


class HolidayYear(models.Model):
    """A year's official holiday schedule as the State Council published it, entered by an operator.

    `chinesecalendar` knows the years up to its release; a year entered here is used instead of (or
    beyond) the library's, so a new November notice needs no code release."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField(
        "通知名称及文号",
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）",
    )
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class HolidayDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    schedule = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    name = models.CharField("节日", max_length=32)

    class Meta:
        verbose_name = verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.schedule_id and self.date and self.date.year != self.schedule.year:
            raise ValidationError(f"日期{self.date}不属于{self.schedule.year}年。")


class Letter(models.Model):
    """An issued official document (公文): 评审意见, 竣工验收意见函, 预审意见书 ….

    The 发文字号 is taken from a gapless counter per issuing body, kind and year in the transaction that
    creates the letter. What the letter says is kept as a snapshot, so the PDF can be regenerated from the
    record. A letter is never changed after issue, except its rendering status; a correction is a new
    letter naming the one it replaces."""

    class Kind(models.TextChoices):
        # The values are those of projects.enums.DocumentKind: the PDF becomes a version of that document.
        REVIEW_OPINION = "review_opinion", "评审意见"
        ACCEPTANCE_LETTER = "acceptance_letter", "竣工验收意见函"
        PREREVIEW_OPINION = "prereview_opinion", "预审意见书"
        RECTIFICATION_NOTICE = "rectification_notice", "整改通知"

    class Status(models.TextChoices):
        PENDING = "pending", "正在生成"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文种", max_length=32, choices=Kind.choices)
    # The record the letter issues (for 评审意见 a reviews.ReviewOpinion); the kind says which table.
    source_id = models.PositiveBigIntegerField("所出具的记录", null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="发文机关", on_delete=models.PROTECT, related_name="letters"
    )
    year = models.PositiveSmallIntegerField("年份")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("发文字号", max_length=64)
    addressee = models.CharField("主送机关", max_length=200)
    title = models.CharField("标题", max_length=200)
    content = models.JSONField("内容快照", default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    error = models.TextField("失败原因", blank=True)
    document = models.ForeignKey(
        "projects.DocumentVersion",
        verbose_name="PDF 文件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="更正的原件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    issued_by = models.ForeignKey(User, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("成文时间", default=timezone.now)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)
    # The letter is its own outbox entry (core.letters): a pending letter is a PDF still owed. `queued_at` is
    # when the broker last took its rendering task, empty while the letter waits for the broker (just
    # committed, or the broker was down); `attempts` counts the renderings a worker began.
    queued_at = models.DateTimeField("送入生成队列时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("生成尝试次数", default=0)

    # After issue only the rendering may change: the status, its error, the PDF, when it was made and queued.
    MUTABLE_FIELDS = frozenset({"status", "error", "document", "rendered_at", "queued_at", "attempts"})

    class Meta:
        verbose_name = verbose_name_plural = "发文"
        ordering = ["project_id", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "serial"], name="letter_unique_serial"
            ),
            models.UniqueConstraint(fields=["organisation", "number"], name="letter_unique_number"),
        ]
        indexes = [models.Index(fields=["kind", "source_id"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise TypeError("已发文件不能修改；如需更正，请出具更正件。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("已发文件不能删除。")

    # A PDF still pending this long after its task was queued (or, never queued, after issue) was lost on its
    # way (a message lost, a worker killed): the sweep `core.tasks.letters_requeue` queues it again, and
    # 重新生成 is offered. Longer than `letter_render`'s hard time limit, so a rendering under way is not stale.
    STALE_AFTER_SECONDS = 120

    @property
    def is_stale(self) -> bool:
        age = (timezone.now() - (self.queued_at or self.issued_at)).total_seconds()
        return self.status == self.Status.PENDING and age > self.STALE_AFTER_SECONDS

    @property
    def status_text(self) -> str:
        """The status as the pages and the API say it: a pending letter the broker has not taken yet is
        registered and waits for the queue."""
        if self.status == self.Status.PENDING and self.queued_at is None:
            return "已登记，生成排队中"
        return self.get_status_display()

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


class AnnualBudget(models.Model):
    """The year's budget for government IT projects of a jurisdiction (万元), as finance entered it.

    Each entry is kept; the latest is the budget in force, the earlier ones are its history."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("年度预算（万元）", max_digits=14, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    entered_by = models.ForeignKey(User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "年度信息化预算"
        ordering = ["jurisdiction_id", "year", "-entered_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "year"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year}年 {self.amount}万元"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("预算录入记录不能修改；请录入新的预算额。")
        super().save(*args, **kwargs)


class TokenUse(models.Model):
    """When an API token (DRF's `Token`, whose `created` is its issue time) was last used, for the idle
    timeout. Written at most once a minute per token (core.auth.token_touch); goes with its token."""

    token = models.OneToOneField(
        "authtoken.Token", on_delete=models.CASCADE, primary_key=True, related_name="use"
    )
    last_used_at = models.DateTimeField("最近使用时间")

    class Meta:
        verbose_name = verbose_name_plural = "令牌使用记录"

    def __str__(self) -> str:
        return f"{self.token_id[:8]}… {self.last_used_at:%Y-%m-%d %H:%M}"


def _export_path(instance: "ExportJob", filename: str) -> str:
    # Nothing the user typed reaches the file system: the job's id and a random name.
    return f"exports/{instance.pk}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A large export (the 台账 …) built by a worker, not in the request: the page polls its progress and the
    one who asked downloads it when ready (core.exports). Its rows are the export's audit trail."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    name = models.CharField("导出类型", max_length=64)
    title = models.CharField("标题", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("已写行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", null=True, blank=True)
    file = models.FileField(upload_to=_export_path, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    task_seconds = models.FloatField("生成用时（秒）", null=True, blank=True)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="export_job_requester_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
