"""A project's archive package (归档包): the zip of its whole record with `manifest.json`, built by a Celery task."""

from django.conf import settings
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
