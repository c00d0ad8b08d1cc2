"""Procurement filing, supervision, completion, acceptance and evaluation records."""

from django.conf import settings
from django.db import models

from core.models import Organisation
from projects.enums import AcceptanceConclusion, ChangeAspect, ChangeStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class ContractFiling(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="contract_filings")
    amount = models.DecimalField("合同金额（万元）", **MONEY)
    signed_on = models.DateField("签订日期")
    awarded_on = models.DateField("中标结果确定日期", null=True, blank=True)
    supplier = models.CharField("承建单位", max_length=200)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "合同备案"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class SupervisorAssignment(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="supervisor_assignments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="监理单位", on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "监理派驻"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class ConstructionCompletion(models.Model):
    """完工自检: the department's preliminary self-check (wendeng-2021 第三十五条)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="completions")
    goals_met = models.BooleanField("实现预期目标")
    functions_complete = models.BooleanField("承诺软件功能齐全")
    hardware_matches = models.BooleanField("硬件品牌型号数量匹配")
    note = models.TextField("核验说明", blank=True)
    trial_started_on = models.DateField("试运行开始日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "完工自检"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class AcceptanceApplication(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_applications"
    )
    applied_on = models.DateField("申请日期")
    deployed_on_cloud = models.BooleanField("已部署在政务云", default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收申请"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class AcceptanceResult(models.Model):
    Conclusion = AcceptanceConclusion

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_results"
    )
    conclusion = models.CharField("验收结论", max_length=8, choices=Conclusion.choices)
    group_members = models.TextField("验收组成员", blank=True)
    rectification_items = models.TextField("整改事项", blank=True)
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    decided_on = models.DateField("验收日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收结论"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class Evaluation(models.Model):
    """绩效自评, against the targets set at declaration (the project's 第七章)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="evaluations")
    summary = models.TextField("自评结论")
    score = models.DecimalField("自评得分", max_digits=5, decimal_places=2, null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class BiddingConfirmation(models.Model):
    """招标需求确认 and 最高限价 before procurement (gongshu-draft 五(一)、五(二))."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="bidding_confirmations"
    )
    experts = models.TextField("确认专家")
    ceiling_price = models.DecimalField("采购最高限价（万元）", null=True, blank=True, **MONEY)
    note = models.TextField("确认意见", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "招标需求确认"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class ChangeRequest(models.Model):
    """A change (变更) during procurement or construction: filed, or submitted for approval (re-review),
    as the project's regulation decides when it is made."""

    Aspect = ChangeAspect
    Status = ChangeStatus

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="change_requests")
    aspects = models.JSONField("变更事项", default=list)
    description = models.TextField("变更内容及理由")
    amount_change = models.DecimalField("资金调整数额（万元）", default=0, **MONEY)
    new_total = models.DecimalField("调整后总投资（万元）", null=True, blank=True, **MONEY)
    needs_approval = models.BooleanField("须审核批准")
    rule = models.CharField("依据", max_length=300)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目变更"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"

    def aspect_labels(self) -> str:
        return "、".join(self.Aspect(a).label for a in self.aspects if a in self.Aspect.values)
