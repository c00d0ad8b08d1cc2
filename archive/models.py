"""A project's archive package (归档包): the zip of its whole record with `manifest.json`, built by a Celery task."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class ArchivePackage(models.Model):
    """One package, as requested: the row is the job (status, progress) and then the record of what was built
    (the zip's path in storage, its digests and the manifest's, which also go on the project's timeline)."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        BUILDING = "building", "正在生成"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="archive_packages")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    error = models.TextField("失败原因", blank=True)
    file = models.FileField("归档包", upload_to="archives/", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    sha256 = models.CharField("归档包 SHA-256", max_length=64, blank=True)
    files = models.PositiveIntegerField("文件数", null=True, blank=True)
    manifest_sha256 = models.CharField("清单 SHA-256", max_length=64, blank=True)
    manifest_sm3 = models.CharField("清单 SM3", max_length=64, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "归档包"
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-requested_at"]),
            models.Index(fields=["manifest_sha256"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} 归档包 #{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class SearchEntry(models.Model):
    """One searchable thing (a project, a document, a letter, a catalogue resource) with its text segmented
    (archive.search): `words` for terms of two characters or more, `chars` for one-character terms. On
    PostgreSQL each is also stored as a `simple` tsvector under a GIN index (migration 0002). Kept current on
    save."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目"
        DOCUMENT = "document", "文档"
        LETTER = "letter", "发文"
        RESOURCE = "resource", "数据资源"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("对象")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True)
    words = models.TextField("分词")
    chars = models.TextField("单字")
    # PostgreSQL: the two as stored tsvectors (`simple` configuration) under GIN indexes; unused on SQLite.
    words_vector = SearchVectorField(null=True)
    chars_vector = SearchVectorField(null=True)
    # The project's, copied on each of its saves (archive.search.project_facets): filters, facets and the
    # visibility of the roles that see a whole jurisdiction (projects.selectors.jurisdiction_wide_visibility,
    # written over these same names) read the index rows alone.
    year = models.PositiveSmallIntegerField("计划年度", null=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    state = models.CharField("状态", max_length=32, blank=True)
    declared_at = models.DateTimeField("申报时间", null=True)
    policy_code = models.CharField("适用管理办法", max_length=32, blank=True)
    declared_amount = models.DecimalField("申报金额（万元）", max_digits=14, decimal_places=2, null=True)
    is_classified = models.BooleanField("涉密", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索索引"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]
        indexes = [
            models.Index(fields=["project", "kind"]),
            # The most recent hits of a term that hits more than archive.search.EXACT (ranked among themselves).
            models.Index(fields=["year", "project", "id"], name="search_entry_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class Addendum(models.Model):
    """A correction to an archived project (补记): the archive is read-only (projects.readonly), so what was
    wrong or missing is recorded beside it — a text and an optional file — on the timeline, never as an edit.
    Exports include it (the package's addenda.json and addenda/)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("补记内容")
    file = models.FileField("附件", upload_to="addenda/", max_length=255, blank=True)
    original_name = models.CharField("附件文件名", max_length=255, blank=True)
    content_type = models.CharField("附件类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("附件大小（字节）", null=True, blank=True)
    sha256 = models.CharField("附件 SHA-256", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="补记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("补记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "归档补记"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "created_at"], name="addendum_project_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} 补记 #{self.pk}"
