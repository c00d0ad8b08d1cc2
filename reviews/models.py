"""The expert library, pre-review, review panels, invited agencies and review opinions."""

from django.conf import settings
from django.db import models

from core.models import Jurisdiction, Organisation

from .enums import PASSING_CONCLUSIONS, Conclusion, DrawKind, DrawPurpose, Grade, PreReviewOutcome


class WriteOnceMixin:
    """A record that, once written, is never changed or deleted: a correction is a new record."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name}一经记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name}一经记录不能删除。")


class ExpertProfile(models.Model):
    """A member of a jurisdiction's expert library. Contact details (电话、邮箱) live on the user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name="所属专家库",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
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
    availability_note = models.CharField("可抽取情况说明", max_length=200, blank=True)

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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "利害关系申报"

    def __str__(self) -> str:
        return f"{self.expert}与{self.organisation}：{self.reason}"


class PreReview(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="prereviews")
    passed = models.BooleanField("预审通过")
    # What the pre-review concluded (`passed` is outcome == pass): gongshu-draft 四(二)'s opinions, or 不通过.
    outcome = models.CharField("预审结论", max_length=16, choices=PreReviewOutcome.choices, default="pass")
    opinion = models.TextField("预审意见")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "预审"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class Draw(WriteOnceMixin, models.Model):
    """One random draw of experts, recorded so that anyone may re-run it (`reviews.draws.draw_from_record`)
    and get the same panel: the seed, the candidates in their canonical order, each candidate's fields,
    the fields the panel must cover and the size, with the exclusions that made the candidate list."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="draws")
    kind = models.CharField("类型", max_length=16, choices=DrawKind.choices, default=DrawKind.DRAW)
    purpose = models.CharField("用途", max_length=16, choices=DrawPurpose.choices, default=DrawPurpose.REVIEW)
    original = models.ForeignKey(
        "self",
        verbose_name="原抽取",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
    )
    algorithm = models.CharField("算法", max_length=64)
    seed = models.CharField("随机种子", max_length=64)
    size = models.PositiveSmallIntegerField("抽取人数")
    needed_fields = models.JSONField("须覆盖领域", default=list)
    candidates = models.JSONField("候选专家（按编号升序）", default=list)
    fields_by_candidate = models.JSONField("候选专家领域", default=dict)
    parameters = models.JSONField("抽取条件", default=dict)
    result = models.JSONField("抽取结果", default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家抽取记录"
        ordering = ["project_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}：{self.project}"


class PanelMember(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="panel")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    active = models.BooleanField("在组", default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    draw = models.ForeignKey(
        Draw, verbose_name="抽取记录", on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    deactivated_reason = models.CharField("退出原因", max_length=200, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deactivated_at = models.DateTimeField("退出时间", null=True, blank=True)

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


class AgencyInvitation(models.Model):
    """An agency the regulation requires in the review (公安, 保密办), and whether it took part."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="agency_invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    participated = models.BooleanField("已参与", default=False)
    participation_note = models.CharField("参与情况说明", max_length=200, blank=True)
    participation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    participation_recorded_at = models.DateTimeField("参与情况记录时间", null=True, blank=True)

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
    # The panel members who did not submit, each with the reason the BDC recorded: [{"member", "expert",
    # "reason"}]; and the score sheets the opinion was consolidated from.
    absences = models.JSONField("缺席专家及原因", default=list, blank=True)
    sheets = models.ManyToManyField(
        "ScoreSheet", verbose_name="所依据的专家评分", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "评审意见"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"

    @property
    def passing(self) -> bool:
        return self.conclusion in PASSING_CONCLUSIONS


class ScoreSheet(WriteOnceMixin, models.Model):
    """One panel expert's submitted review: a grade and a comment for each of the policy's criteria and an
    overall opinion. Final once written; a correction is a new sheet that supersedes this one."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="score_sheets")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="sheets")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="sheets")
    opinion = models.TextField("总体意见")
    recommendation = models.CharField("建议结论", max_length=24, choices=Conclusion.choices)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="更正的评分",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家评分表"
        ordering = ["project_id", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.expert}（{self.project}）"


class CriterionGrade(models.Model):
    """The grade and comment of one criterion of a sheet, the criterion's text kept as it was graded: a review's
    score sheet (`Score`) and a change re-review's (acceptance.ChangeReviewScore)."""

    criterion = models.CharField("评审事项编码", max_length=32)
    label = models.CharField("评审事项", max_length=200)
    article = models.CharField("条款", max_length=32)
    grade = models.CharField("评价", max_length=16, choices=Grade.choices)
    comment = models.TextField("意见")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.label}：{self.get_grade_display()}"


class Score(WriteOnceMixin, CriterionGrade):
    """The grade of one criterion in a score sheet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="scores")

    class Meta:
        verbose_name = verbose_name_plural = "评审事项评价"
        ordering = ["sheet_id", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_criterion")]


class OutsideDecision(WriteOnceMixin, models.Model):
    """A decision on the project taken by a body outside the platform (zhaoyuan-2021 第六条: 报呈市政府同意),
    recorded by the reviewing body with its document."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="outside_decisions"
    )
    body = models.CharField("决定机关", max_length=100)
    agreed = models.BooleanField("同意建设")
    decided_on = models.DateField("决定日期")
    document_number = models.CharField("文号", max_length=64, blank=True)
    document = models.ForeignKey(
        "projects.DocumentVersion", verbose_name="决定文件", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审批决定"
        ordering = ["project_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.body}{'同意' if self.agreed else '不同意'}：{self.project}"
