"""The vocabularies of performance management: the national classification of indicators (财政部《项目支出绩效
评价管理办法》财预〔2020〕10号, 附件: 产出、效益、满意度 and their second-level indicators), and how an
indicator's actual value is read against its target."""

from django.db import models


class IndicatorCategory(models.TextChoices):
    OUTPUT_QUANTITY = "output_quantity", "产出指标·数量指标"
    OUTPUT_QUALITY = "output_quality", "产出指标·质量指标"
    OUTPUT_TIMELINESS = "output_timeliness", "产出指标·时效指标"
    OUTPUT_COST = "output_cost", "产出指标·成本指标"
    BENEFIT_ECONOMIC = "benefit_economic", "效益指标·经济效益指标"
    BENEFIT_SOCIAL = "benefit_social", "效益指标·社会效益指标"
    BENEFIT_ECOLOGICAL = "benefit_ecological", "效益指标·生态效益指标"
    BENEFIT_SUSTAINABLE = "benefit_sustainable", "效益指标·可持续影响指标"
    SATISFACTION = "satisfaction", "满意度指标·服务对象满意度指标"


class Direction(models.TextChoices):
    """How the actual value meets the target: a number at least / at most the target, or a qualitative target
    (text) the evaluator judges met or not."""

    AT_LEAST = "at_least", "≥ 目标值"
    AT_MOST = "at_most", "≤ 目标值"
    QUALITATIVE = "qualitative", "定性"


class Met(models.TextChoices):
    MET = "met", "达成"
    NOT_MET = "not_met", "未达成"
