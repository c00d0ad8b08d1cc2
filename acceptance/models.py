"""Procurement filing, supervision, completion, acceptance and evaluation records."""

from django.conf import settings
from django.db import models

from core.models import Organisation
from projects.enums import AcceptanceConclusion, ChangeAspect, ChangeStatus
from reviews.models import CriterionGrade

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
    starts_on = models.DateField("监理服务期起", null=True, blank=True)
    ends_on = models.DateField("监理服务期止", null=True, blank=True)
    # Replaced by a later assignment: the company no longer supervises the project (nor sees it).
    ended_at = models.DateTimeField("派驻结束时间", null=True, blank=True)

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
    # What the change proposes for the baseline fixed at 合同备案 (null: unchanged); applied only on approval.
    new_contract_amount = models.DecimalField("调整后合同金额（万元）", null=True, blank=True, **MONEY)
    new_planned_completion_on = models.DateField("调整后计划完工日期", null=True, blank=True)
    new_milestones = models.JSONField("调整后里程碑", null=True, blank=True)
    # Re-reviewed by experts drawn for it (the policy's `change_review_article`), decided at submission; the
    # panel's tally and averages as they stood when the reviewing body decided (ChangeReview).
    expert_review = models.BooleanField("须专家评审", default=False)
    review_tally = models.JSONField("专家评审结果", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目变更"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"

    @property
    def rebaselines(self) -> bool:
        return (
            self.new_contract_amount is not None
            or self.new_planned_completion_on is not None
            or self.new_milestones is not None
        )

    def aspect_labels(self) -> str:
        return "、".join(self.Aspect(a).label for a in self.aspects if a in self.Aspect.values)


# ---- construction under watch (issue 13): baseline, supervision, reports, risk ratings, 督办 ----------------


class OversightSettings(models.Model):
    """What a jurisdiction sets for the watch over construction; absent, the defaults below apply."""

    jurisdiction = models.OneToOneField(
        "core.Jurisdiction", on_delete=models.CASCADE, related_name="oversight", verbose_name="行政区划"
    )
    supervision_report_months = models.PositiveSmallIntegerField("监理报告周期（月）", default=1)
    progress_report_months = models.PositiveSmallIntegerField("进度报告（双监控）周期（月）", default=1)
    schedule_variance_days = models.PositiveSmallIntegerField("进度偏差督办阈值（天）", default=30)
    escalation_workdays = models.PositiveSmallIntegerField("督办事项办理期限（工作日）", default=10)

    class Meta:
        verbose_name = verbose_name_plural = "建设监管参数"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.jurisdiction}"


class Baseline(models.Model):
    """The project's baseline (基线): fixed at 合同备案 (number 1), replaced only through an approved change
    (number 2, 3 …), each later one keeping its reason, its approver and the change; the earlier rows stay."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="baselines")
    number = models.PositiveSmallIntegerField("基线版本")
    contract_amount = models.DecimalField("合同金额（万元）", **MONEY)
    planned_completion_on = models.DateField("计划完工日期", null=True, blank=True)
    milestones = models.JSONField("里程碑", default=list)  # [{"name": …, "due_on": "YYYY-MM-DD"}]
    reason = models.TextField("调整理由", blank=True)
    change = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="baselines"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目基线"
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="baseline_number_unique")]

    def __str__(self) -> str:
        return f"{self.project} 基线{self.number}"


class SupervisionReport(models.Model):
    """A supervisor's periodic report (laohekou-2024 第十九条), structured as 四控三管 (第二十条)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="supervision_reports"
    )
    assignment = models.ForeignKey(SupervisorAssignment, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField("报告期", max_length=7)  # YYYY-MM: the first month of the period
    items = models.JSONField("四控三管")  # {code: {"finding": …, "rating": …}}
    issues = models.TextField("发现的问题", blank=True)
    follow_up = models.TextField("问题跟踪整改情况", blank=True)
    document_version = models.ForeignKey(
        "projects.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "监理报告"
        ordering = ["-period", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project} {self.period}"


class SupervisorScore(models.Model):
    """The department's score of the supervisor's service once built (laohekou-2024 第二十条: 作为监理费用的结算
    参考依据): on the project's record and in the supervision company's history."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="supervisor_scores"
    )
    assignment = models.OneToOneField(SupervisorAssignment, on_delete=models.PROTECT, related_name="score")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="supervisor_scores")
    score = models.DecimalField("评分", max_digits=5, decimal_places=2)
    comment = models.TextField("评价意见")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "监理服务评分"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.organisation} {self.score}"


class ProgressReport(models.Model):
    """The department's progress and budget-execution report (zhaoyuan-2021 第十一条; fangchenggang-2022 第二十三条;
    gongshu-draft 五(四) 双监控), with the variance against the baseline in force when it was filed."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="progress_reports")
    baseline = models.ForeignKey(Baseline, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField("报告期", max_length=7)  # YYYY-MM
    reported_on = models.DateField("报告日期")
    milestones = models.JSONField("里程碑完成情况")  # [{"name", "due_on", "percent"}]
    percent_done = models.DecimalField("总体完成（%）", max_digits=5, decimal_places=2)
    paid_amount = models.DecimalField("累计支付（万元）", **MONEY)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    users_opinion = models.TextField("使用单位意见", blank=True)
    supervisor_opinion = models.TextField("监理单位意见", blank=True)
    cost_variance = models.DecimalField("成本偏差（万元）", **MONEY)
    schedule_variance_days = models.IntegerField("进度偏差（天）")
    document_version = models.ForeignKey(
        "projects.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "进度和预算执行报告"
        ordering = ["-period", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project} {self.period}"


class RiskRating(models.Model):
    """The reviewing body's monthly risk rating of a project under construction: 1 (high risk) to 5 (low)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="risk_ratings")
    month = models.CharField("评级月份", max_length=7)  # YYYY-MM
    rating = models.PositiveSmallIntegerField("风险评级")
    comment = models.TextField("评级说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "风险评级"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project} {self.month} {self.rating}"


class DelayReport(models.Model):
    """工程严重逾期、投资重大损失 reported by the department (wendeng-2021 第十八条, zhaoyuan-2021 第二十二条,
    fangchenggang-2022 第二十四条)."""

    class Kind(models.TextChoices):
        DELAY = "delay", "工程严重逾期"
        LOSS = "loss", "投资重大损失"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="delay_reports")
    kind = models.CharField("情形", max_length=8, choices=Kind.choices)
    description = models.TextField("情况说明")
    days_late = models.PositiveIntegerField("预计逾期（天）", null=True, blank=True)
    loss_amount = models.DecimalField("损失金额（万元）", null=True, blank=True, **MONEY)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "逾期和损失报告"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.project}"


class Escalation(models.Model):
    """督办单: opened by a low risk rating, a schedule variance past the threshold, a delay or loss report, or by
    the reviewing body itself; answered by the department; closed by the reviewing body with its outcome."""

    class Trigger(models.TextChoices):
        RATING = "rating", "风险评级"
        VARIANCE = "variance", "进度偏差超过阈值"
        DELAY = "delay", "逾期或损失报告"
        MANUAL = "manual", "大数据中心督办"

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "继续"
        RECTIFY = "rectify", "整改"
        SUSPEND = "suspend", "暂停"
        TERMINATE = "terminate", "终止"

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="escalations")
    number = models.PositiveIntegerField("督办单号")
    trigger = models.CharField("起因", max_length=16, choices=Trigger.choices)
    reason = models.TextField("督办事由")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("办结结论", max_length=16, choices=Outcome.choices, blank=True)
    close_note = models.TextField("办结意见", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="escalation_number_unique")]

    def __str__(self) -> str:
        return f"督办单第{self.number}号：{self.project}"

    @property
    def title(self) -> str:
        return f"督办单第{self.number}号"


class EscalationItem(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="items")
    text = models.TextField("督办事项")
    owner = models.CharField("责任单位", max_length=200)
    due_on = models.DateField("办理期限")

    class Meta:
        verbose_name = verbose_name_plural = "督办事项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


# ---- the acceptance group, its opinions and conclusion, rectification (issue 14) ------------------------


class AcceptanceGroup(models.Model):
    """验收组: formed once per project by the body its policy names (wendeng-2021 第三十五条), of experts drawn
    from the library (the draw is a `reviews.Draw` of purpose 验收) and the representatives the policy names.
    A re-application after rectification goes back to the same group for a new round of opinions."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_group"
    )
    draw = models.ForeignKey(
        "reviews.Draw", verbose_name="专家抽取记录", on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        AcceptanceApplication, verbose_name="所依据的验收申请", on_delete=models.PROTECT, related_name="+"
    )
    formed_on = models.DateField("组成日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收组"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.project}"


class AcceptanceGroupMember(models.Model):
    """One member of the group: a drawn expert (who records an opinion) or a representative of a party the
    policy names, each with their unit."""

    class Kind(models.TextChoices):
        EXPERT = "expert", "专家"
        REPRESENTATIVE = "representative", "代表"

    group = models.ForeignKey(AcceptanceGroup, on_delete=models.PROTECT, related_name="members")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_members"
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    party = models.CharField("参加方", max_length=32)  # "expert" or the policy's party code
    party_label = models.CharField("参加方名称", max_length=64)
    name = models.CharField("姓名", max_length=64)
    unit = models.CharField("单位", max_length=200)
    expert = models.ForeignKey(
        "reviews.ExpertProfile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "验收组成员"
        ordering = ["group_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class AcceptanceOpinion(models.Model):
    """One expert's opinion in one round (the round is the number of the acceptance application it answers):
    met or not, with a comment, for each of the policy's acceptance conditions, and an overall opinion."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_opinions"
    )
    member = models.ForeignKey(AcceptanceGroupMember, on_delete=models.PROTECT, related_name="opinions")
    round = models.PositiveSmallIntegerField("验收轮次")
    conditions = models.JSONField("验收条件意见")  # {code: {"label", "article", "met": bool, "comment"}}
    recommendation = models.CharField("建议结论", max_length=8, choices=AcceptanceConclusion.choices)
    opinion = models.TextField("总体意见")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收专家意见"
        ordering = ["round", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "round"], name="acceptance_opinion_once_a_round")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.member}（第{self.round}轮）"


class AcceptanceVerdict(models.Model):
    """The organiser's conclusion of one round, issued as the 竣工验收意见函 (`letter`). A later verdict of the
    same round corrects it (its letter names the one it replaces)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="acceptance_verdicts"
    )
    group = models.ForeignKey(AcceptanceGroup, on_delete=models.PROTECT, related_name="verdicts")
    round = models.PositiveSmallIntegerField("验收轮次")
    conclusion = models.CharField("验收结论", max_length=8, choices=AcceptanceConclusion.choices)
    summary = models.TextField("验收意见")
    findings = models.JSONField("验收条件认定")  # [{"code", "label", "article", "met", "votes", "of"}]
    # 整改后仍不合格 (wendeng-2021 第三十七条: 记入信用档案).
    after_rectification = models.BooleanField("整改后仍不合格", default=False)
    letter = models.ForeignKey(
        "core.Letter", verbose_name="竣工验收意见函", on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", verbose_name="更正的结论", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "验收结论记录"
        ordering = ["round", "at", "id"]

    def __str__(self) -> str:
        return (
            f"{self._meta.verbose_name}：{self.project}（第{self.round}轮 {self.get_conclusion_display()}）"
        )


class RectificationItem(models.Model):
    """整改事项 of a 不合格 conclusion, with its owner and deadline; the department reports on it with evidence."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="rectification_items"
    )
    verdict = models.ForeignKey(AcceptanceVerdict, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("整改事项")
    owner = models.CharField("责任单位", max_length=200)
    due_on = models.DateField("整改期限")
    report = models.TextField("整改情况", blank=True)
    evidence = models.ForeignKey(
        "projects.DocumentVersion",
        verbose_name="整改佐证材料",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_on = models.DateField("报告日期", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "整改事项"
        ordering = ["verdict_id", "number"]

    def __str__(self) -> str:
        return f"整改事项{self.number}：{self.text[:30]}"


# ---- asset handover (wendeng-2021 第三十八条: 项目建成后，资产移交国有公司统一运维管理) ----------------------


class AssetHandover(models.Model):
    """The department's handover of the project's assets after acceptance: to whom, what, when, and the
    recipient's receipt (uploaded). Recorded before 归档 where the policy asks (WD-38-handover)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="asset_handovers")
    recipient = models.CharField("接收单位", max_length=200)
    assets = models.JSONField("移交资产清单")  # [{"name": …, "quantity": …}]
    handed_over_on = models.DateField("移交日期")
    receipt = models.ForeignKey(
        "projects.DocumentVersion", verbose_name="接收确认书", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "资产移交"

    def __str__(self) -> str:
        return f"资产移交：{self.project}→{self.recipient}"


# ---- the expert re-review of a major change (issue 13: wendeng-2021 第十七条, zhaoyuan-2021 第十三条) -----------


class _WriteOnce:
    """Once written, never changed or deleted: a correction is a new record (as reviews' score sheets)."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name}一经记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name}一经记录不能删除。")


class ChangeReview(_WriteOnce, models.Model):
    """变更评审专家组: the experts drawn for one change that re-review it (重新履行审核手续) — a `reviews.Draw` of
    purpose 变更, through the declaration's reproducible, conflict-excluding draw."""

    change = models.OneToOneField(ChangeRequest, on_delete=models.PROTECT, related_name="review")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="change_reviews")
    draw = models.ForeignKey(
        "reviews.Draw", verbose_name="专家抽取记录", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("依据", max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更评审专家组"

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.change}"


class ChangeReviewMember(_WriteOnce, models.Model):
    review = models.ForeignKey(ChangeReview, on_delete=models.PROTECT, related_name="members")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="change_review_members"
    )
    expert = models.ForeignKey("reviews.ExpertProfile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=64)
    unit = models.CharField("单位", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "变更评审专家"
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="change_review_member_once")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class ChangeReviewSheet(_WriteOnce, models.Model):
    """One drawn expert's review of the change: a grade and comment per criterion, an overall opinion and a
    recommendation. Final once written; a correction is a new sheet, with its reason, superseding the last."""

    class Recommendation(models.TextChoices):
        AGREE = "agree", "同意变更"
        DISAGREE = "disagree", "不同意变更"

    review = models.ForeignKey(ChangeReview, on_delete=models.PROTECT, related_name="sheets")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="change_review_sheets"
    )
    member = models.ForeignKey(ChangeReviewMember, on_delete=models.PROTECT, related_name="sheets")
    opinion = models.TextField("总体意见")
    recommendation = models.CharField("建议", max_length=16, choices=Recommendation.choices)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="更正的评审意见",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更评审意见"
        ordering = ["review_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}：{self.member}"


class ChangeReviewScore(_WriteOnce, CriterionGrade):
    """The grade of one criterion in a change review sheet."""

    sheet = models.ForeignKey(ChangeReviewSheet, on_delete=models.PROTECT, related_name="scores")

    class Meta:
        verbose_name = verbose_name_plural = "变更评审事项评价"
        ordering = ["sheet_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="change_review_score_once")
        ]
