"""The catalogue's form on the project page: what a department types for one data resource."""

from django import forms

from .enums import OpenType, ShareType


class ResourceForm(forms.Form):
    name = forms.CharField(label="资源名称", max_length=200)
    source = forms.CharField(label="数据来源", max_length=200)
    format = forms.CharField(label="数据格式", max_length=64)
    update_frequency = forms.CharField(label="更新频率", max_length=32)
    share_type = forms.ChoiceField(label="共享属性", choices=ShareType.choices)
    share_condition = forms.CharField(label="共享条件", max_length=200, required=False)
    open_type = forms.ChoiceField(label="开放属性", choices=OpenType.choices)
    share_scope = forms.CharField(label="共享范围", max_length=200, required=False)
    video_points = forms.CharField(
        label="视频监控点位", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}。"
