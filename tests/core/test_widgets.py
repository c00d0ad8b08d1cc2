"""core.widgets.PlainSelect writes the same <select> as Django's Select, as HTML (attribute order aside)."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import PlainSelect
from projects.enums import ProjectState

CHOICES = [("", "全部状态"), *ProjectState.choices, ("<&>", '引号"与<尖括号>')]


class Plain(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=CHOICES, widget=PlainSelect)


class Django(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=CHOICES)


@pytest.mark.parametrize("data", [None, {}, {"state": "draft"}, {"state": "<&>"}, {"state": "不存在"}])
def test_the_same_select_as_djangos(data):
    plain, django = str(Plain(data)["state"]), str(Django(data)["state"])
    assert parse_html(plain) == parse_html(django)
    assert "<option" in plain and "&lt;&amp;&gt;" in plain


def test_grouped_choices_are_left_to_django():
    grouped = [("阶段", [("a", "甲"), ("b", "乙")])]
    field = forms.ChoiceField(choices=grouped, widget=PlainSelect)
    assert "<optgroup" in field.widget.render("x", "a")
