from django import forms

from .models import ChangeRequest

MONEY = {"max_digits": 14, "decimal_places": 2}


class ChangeRequestForm(forms.Form):
    aspects = forms.MultipleChoiceField(
        label="变更事项",
        choices=ChangeRequest.Aspect.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项变更事项。"},
    )
    description = forms.CharField(
        label="变更内容及理由",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写变更内容及理由。"},
    )
    amount_change = forms.DecimalField(
        label="资金调整数额（万元）",
        required=False,
        help_text="调增为正、调减为负；不调整资金可不填。",
        **MONEY,
    )
    new_total = forms.DecimalField(label="调整后总投资（万元）", required=False, min_value=0, **MONEY)


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=[("approve", "批准变更"), ("reject", "不予批准")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BiddingConfirmationForm(forms.Form):
    experts = forms.CharField(
        label="确认专家",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写确认招标需求的专家。"},
    )
    ceiling_price = forms.DecimalField(label="采购最高限价（万元）", required=False, min_value=0, **MONEY)
    note = forms.CharField(
        label="确认意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResourceConnectForm(forms.Form):
    resource = forms.IntegerField(widget=forms.HiddenInput)
    registered = forms.BooleanField(label="已纳入共享平台目录", required=False)
    connected = forms.BooleanField(label="已接入共享平台", required=False)
    video_connected = forms.BooleanField(label="已接入视频中心", required=False)
