from django.db import models


class Conclusion(models.TextChoices):
    PASS = "pass", "通过"
    PASS_WITH_CHANGES = "pass_with_changes", "修改后通过"
    FAIL = "fail", "不通过"


PASSING_CONCLUSIONS = frozenset({Conclusion.PASS, Conclusion.PASS_WITH_CHANGES})


class PreReviewOutcome(models.TextChoices):
    """What a pre-review concludes. gongshu-draft 四(二) names the opinions of its 预审意见书 (取消、拆分、合并项目
    建设或完善需求方案) beside 预审合格; the other regulations' pre-reviews pass or fail."""

    PASS = "pass", "预审合格"
    REVISE = "revise", "完善需求方案"
    SPLIT = "split", "拆分项目建设"
    MERGE = "merge", "合并项目建设"
    CANCEL = "cancel", "取消项目建设"
    FAIL = "fail", "不通过"


class ExpertField(models.TextChoices):
    """领域 of the expert library."""

    SOFTWARE = "software", "软件与应用系统"
    NETWORK = "network", "网络与基础设施"
    SECURITY = "security", "网络与信息安全"
    DATA = "data", "数据资源与共享"
    VIDEO = "video", "视频监控与物联网"
    FINANCE = "finance", "投资与造价"
    MANAGEMENT = "management", "项目管理与监理"


class Grade(models.TextChoices):
    """How an expert answers one review criterion. The criteria of the regulations are questions
    (是否符合…、是否合理…), so each is graded rather than given points."""

    MEETS = "meets", "符合"
    MOSTLY = "mostly", "基本符合"
    FAILS = "fails", "不符合"


class DrawKind(models.TextChoices):
    DRAW = "draw", "抽取"
    REPLACEMENT = "replacement", "补抽"


class DrawPurpose(models.TextChoices):
    """What a draw seats: the review panel, the acceptance group (laohekou-2024 第二十二条), or the panel that
    re-reviews a major change (wendeng-2021 第十七条, zhaoyuan-2021 第十三条: 重新履行审核手续)."""

    REVIEW = "review", "评审专家组"
    ACCEPTANCE = "acceptance", "验收专家组"
    CHANGE = "change", "变更评审专家组"
