"""Performance management (绩效管理) records: the targets set at declaration, the department's self-evaluation
against them, finance's re-evaluation of a drawn sample and third-party evaluations (docs/decisions/0008).
Every row is written once by a service and never changed: targets set again are a new version."""

from django.conf import settings
from django.db import models

from .enums import Direction, IndicatorCategory

SCORE = {"max_digits": 5, "decimal_places": 2}
VALUE = {"max_digits": 18, "decimal_places": 4}


class TargetSet(models.Model):
    """One version of a project's 绩效目标 with its indicators (laohekou-2024 第二十五条, gongshu-draft 四(一))."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="performance_target_sets"
    )
    number = models.PositiveIntegerField("版本")
    goal = models.TextField("绩效目标")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效目标"
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="target_set_number_unique")]
        ordering = ["project_id", "number"]

    def __str__(self) -> str:
        return f"绩效目标（第{self.number}版）：{self.project}"


class Indicator(models.Model):
    """One 绩效指标: its place in the national classification, unit, baseline and target (a number, or text
    where the target is qualitative)."""

    target_set = models.ForeignKey(TargetSet, on_delete=models.PROTECT, related_name="indicators")
    position = models.PositiveSmallIntegerField("序号")
    category = models.CharField("指标类别", max_length=32, choices=IndicatorCategory.choices)
    name = models.CharField("指标名称", max_length=200)
    unit = models.CharField("计量单位", max_length=40, blank=True)
    baseline = models.CharField("基准值（现状）", max_length=200, blank=True)
    direction = models.CharField("目标方向", max_length=16, choices=Direction.choices)
    target = models.CharField("目标值", max_length=200)
    target_value = models.DecimalField("目标值（数值）", null=True, blank=True, **VALUE)

    class Meta:
        verbose_name = verbose_name_plural = "绩效指标"
        ordering = ["target_set_id", "position"]

    def __str__(self) -> str:
        return f"{self.name}：{self.target}{self.unit}"

    @property
    def quantitative(self) -> bool:
        return self.direction != Direction.QUALITATIVE


class SelfEvaluation(models.Model):
    """The department's 绩效自评价 against the targets in force (laohekou-2024 第二十六条), with the users' and
    the supervisor's opinions (fangchenggang-2022 第二十三条) and the report stored as a document version."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="self_evaluations")
    target_set = models.ForeignKey(
        TargetSet, on_delete=models.PROTECT, null=True, blank=True, related_name="self_evaluations"
    )
    evaluated_on = models.DateField("自评日期")
    summary = models.TextField("自评结论")
    score = models.DecimalField("自评得分", null=True, blank=True, **SCORE)
    users_opinion = models.TextField("使用单位意见", blank=True)
    supervisor_opinion = models.TextField("监理单位意见", blank=True)
    report = models.ForeignKey(
        "projects.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The acceptance.Evaluation row this was carried over from (migration 0002), else null.
    carried_from = models.PositiveIntegerField("迁移自原绩效评价记录", null=True, blank=True, unique=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评价"
        ordering = ["project_id", "evaluated_on", "id"]

    def __str__(self) -> str:
        return f"绩效自评价（{self.evaluated_on}）：{self.project}"


class IndicatorResult(models.Model):
    """One indicator's actual value against its target: met or not, and the completion rate where numeric."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.PROTECT, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    actual = models.CharField("实际完成值", max_length=200)
    actual_value = models.DecimalField("实际完成值（数值）", null=True, blank=True, **VALUE)
    met = models.BooleanField("是否达成")
    rate = models.DecimalField("完成率（%）", null=True, blank=True, max_digits=9, decimal_places=2)
    note = models.CharField("偏差原因", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效指标完成情况"
        ordering = ["evaluation_id", "indicator__position"]

    def __str__(self) -> str:
        return f"{self.indicator.name}：{self.actual}"


class SampleDraw(models.Model):
    """Finance's draw of the year's projects for re-evaluation (laohekou-2024 第二十六条: 市财政局有针对性的选取
    财政性资金项目实施再评价), kept so anyone can run it again by hand: the candidates (ids ascending), the seed
    and the size give the sample (`performance.sampling`)."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    seed = models.CharField("随机种子", max_length=128)
    algorithm = models.CharField("抽取算法", max_length=64)
    candidates = models.JSONField("候选项目（ID升序）")
    size = models.PositiveIntegerField("抽取数量")
    drawn = models.JSONField("抽中项目（按抽中顺序）")
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "财政再评价抽样"
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="sample_draw_year_unique")
        ]
        ordering = ["jurisdiction_id", "-year"]

    def __str__(self) -> str:
        return f"{self.year}年度财政再评价抽样"


class SampleMember(models.Model):
    """A project the draw chose, in the order chosen."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.PROTECT, related_name="members")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="performance_samples"
    )
    position = models.PositiveSmallIntegerField("抽中顺序")

    class Meta:
        verbose_name = verbose_name_plural = "抽中项目"
        constraints = [models.UniqueConstraint(fields=["draw", "project"], name="sample_member_unique")]
        ordering = ["draw_id", "position"]

    def __str__(self) -> str:
        return f"{self.draw}：{self.project}"


class FinanceEvaluation(models.Model):
    """Finance's own re-evaluation (再评价) of a sampled project: score, findings and report."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="finance_evaluations"
    )
    member = models.OneToOneField(SampleMember, on_delete=models.PROTECT, related_name="evaluation")
    score = models.DecimalField("再评价得分", **SCORE)
    findings = models.TextField("评价发现与整改意见")
    report = models.ForeignKey("projects.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "财政再评价"
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return f"财政再评价：{self.project}"


class ThirdPartyEvaluation(models.Model):
    """A third party's evaluation (gongshu-draft 六(三), fangchenggang-2022 第三十三条), recorded with its report."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="third_party_evaluations"
    )
    evaluator = models.CharField("第三方机构", max_length=200)
    evaluated_on = models.DateField("评价日期")
    score = models.DecimalField("评价得分", null=True, blank=True, **SCORE)
    conclusion = models.TextField("评价结论与整改意见")
    report = models.ForeignKey("projects.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "第三方绩效评价"
        ordering = ["project_id", "evaluated_on", "id"]

    def __str__(self) -> str:
        return f"第三方绩效评价（{self.evaluator}）：{self.project}"
