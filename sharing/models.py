"""The data-resource catalogue (信息资源目录) a project produces and uses."""

from django.db import models

from .enums import OpenType, ShareType


class DataResource(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="resources")
    name = models.CharField("资源名称", max_length=200)
    source = models.CharField("数据来源", max_length=200)
    format = models.CharField("数据格式", max_length=64)
    update_frequency = models.CharField("更新频率", max_length=32)
    share_type = models.CharField("共享属性", max_length=8, choices=ShareType.choices)
    share_condition = models.CharField("共享条件", max_length=200, blank=True)
    open_type = models.CharField("开放属性", max_length=8, choices=OpenType.choices)
    video_points = models.TextField("视频监控点位", blank=True)
    share_scope = models.CharField("共享范围", max_length=200, blank=True)
    registered = models.BooleanField("已纳入共享平台目录", default=False)
    connected = models.BooleanField("已接入共享平台", default=False)
    # wendeng-2021 第二十三条: 视频监控资源应接入区视频中心，未完成接入的不予验收。
    video_connected = models.BooleanField("已接入视频中心", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据资源"
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return self.name
