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
    # What the change proposes for the baseline (合同金额、里程碑、计划完工日期): applied only once approved.
    new_contract_amount = forms.DecimalField(
        label="调整后合同金额（万元）",
        required=False,
        min_value=0,
        help_text="调整基线的须填写；不调整可不填。",
        **MONEY,
    )
    new_planned_completion_on = forms.DateField(
        label="调整后计划完工日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_milestones = forms.CharField(
        label="调整后里程碑",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个：里程碑名称 计划完成日期；不调整可不填。",
    )

    def clean_new_milestones(self):
        from projects.transitions import milestones_parse

        return milestones_parse(self.cleaned_data.get("new_milestones", ""), "调整后里程碑") or None


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
