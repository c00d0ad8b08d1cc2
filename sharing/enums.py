from django.db import models


class ShareType(models.TextChoices):
    UNCONDITIONAL = "无条件共享", "无条件共享"
    CONDITIONAL = "有条件共享", "有条件共享"
    NONE = "不予共享", "不予共享"


class OpenType(models.TextChoices):
    OPEN = "开放", "开放"
    CONDITIONAL = "有条件开放", "有条件开放"
    CLOSED = "不开放", "不开放"
