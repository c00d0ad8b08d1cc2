"""The expert library, pre-review, review panels, invited agencies and review opinions."""

from django.conf import settings
from django.db import models

from core.models import Organisation

from .enums import PASSING_CONCLUSIONS, Conclusion


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile"
    )
    fields = models.JSONField("领域", default=list)
    employer = models.ForeignKey(
        Organisation,
        verbose_name="工作单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    employer_name = models.CharField("工作单位名称", max_length=128, blank=True)
    title = models.CharField("职称", max_length=64, blank=True)
    available = models.BooleanField("可抽取", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家"

    def __str__(self) -> str:
        return self.user.full_name or self.user.username


class ExpertConflict(models.Model):
    """An expert's declared conflict of interest with an organisation."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="conflicts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "利害关系申报"

    def __str__(self) -> str:
        return f"{self.expert}与{self.organisation}：{self.reason}"


class PreReview(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="prereviews")
    passed = models.BooleanField("预审通过")
    opinion = models.TextField("预审意见")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "预审"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class PanelMember(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="panel")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    active = models.BooleanField("在组", default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审专家组成员"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "expert"],
                condition=models.Q(active=True),
                name="panel_member_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"

    def has_conflict_with(self, organisation_ids: set[int]) -> bool:
        return any(c.organisation_id in organisation_ids for c in self.expert.conflicts.all())


class AgencyInvitation(models.Model):
    """An agency the regulation requires in the review (公安, 保密办), and whether it took part."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="agency_invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    participated = models.BooleanField("已参与", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "参与审核部门"
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="agency_unique")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class ReviewOpinion(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="review_opinions")
    conclusion = models.CharField("评审结论", max_length=24, choices=Conclusion.choices)
    summary = models.TextField("评审意见")
    document = models.ForeignKey(
        "projects.DocumentVersion",
        verbose_name="评审意见文件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审意见"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"

    @property
    def passing(self) -> bool:
        return self.conclusion in PASSING_CONCLUSIONS
