"""The search box and its filters, for the page and the API alike."""

from django import forms

from core.widgets import PlainSelect
from projects.enums import ProjectState

from .models import SearchEntry


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=200, required=False, strip=True)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    organisation = forms.IntegerField(label="申报单位", required=False, min_value=1)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *ProjectState.choices], widget=PlainSelect
    )
    policy = forms.CharField(label="管理办法", required=False, max_length=32)
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), *SearchEntry.Kind.choices], widget=PlainSelect
    )
    amount_min = forms.DecimalField(
        label="金额下限（万元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label="金额上限（万元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    page = forms.IntegerField(label="页码", required=False, min_value=1, max_value=500)
    limit = forms.IntegerField(label="每页条数", required=False, min_value=1, max_value=50)
    offset = forms.IntegerField(label="起始位置", required=False, min_value=0, max_value=10_000)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in ("year", "organisation", "state", "policy", "kind", "amount_min", "amount_max")
            if data.get(k) not in (None, "")
        }


class ReadingRoomForm(forms.Form):
    """The reading room's filters (every one optional); the same for the page and its Excel export."""

    q = forms.CharField(label="项目名称或编号", max_length=100, required=False, strip=True)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    organisation = forms.IntegerField(label="申报单位", required=False, min_value=1)
    policy = forms.CharField(label="管理办法", required=False, max_length=32)
    page = forms.IntegerField(label="页码", required=False, min_value=1)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {k: data[k] for k in ("q", "year", "organisation", "policy") if data.get(k) not in (None, "")}
