"""The forms of performance management. The actions' forms are flattened as API.md asks: the targets are rows
`indicator:<n>:<part>`, the self-evaluation one `actual:<indicator id>` per indicator (and `met:<id>` for a
qualitative one), so a client builds either from the action's `fields` alone."""

import re

from django import forms

from .enums import Direction, IndicatorCategory, Met
from .scoring import number_parse

MAX_ROWS = 30
BLANK_ROWS = 3
MIN_ROWS = 6
ROW_PARTS = ("category", "name", "unit", "baseline", "direction", "target")
_ROW = re.compile(r"^indicator:(\d+):")


def _note(label, max_length=8000, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": f"请填写{label}。"},
    )


class TargetsForm(forms.Form):
    """绩效目标 and up to 30 indicators. A row whose name is left blank is not an indicator."""

    def __init__(self, data=None, files=None, *, current=None):
        super().__init__(data, files)
        existing = list(current.indicators.all()) if current else []
        wanted = max(MIN_ROWS, len(existing) + BLANK_ROWS)
        if data is not None:
            posted = [int(m.group(1)) for key in data for m in [_ROW.match(key)] if m]
            wanted = max([wanted, *posted])
        self.rows = min(wanted, MAX_ROWS)
        self.fields["goal"] = _note(
            "绩效目标",
            required=True,
            rows=4,
            help_text="项目实施后预期达到的产出和效果（老河口市办法第二十五条：科学、合理；拱墅区办法四(一)）。",
        )
        if current:
            self.fields["goal"].initial = current.goal
        for n in range(1, self.rows + 1):
            row = existing[n - 1] if n <= len(existing) else None
            prefix = f"indicator:{n}:"
            self.fields[prefix + "category"] = forms.ChoiceField(
                label=f"指标{n}·类别",
                required=False,
                choices=[("", "—"), *IndicatorCategory.choices],
                initial=row.category if row else "",
            )
            self.fields[prefix + "name"] = forms.CharField(
                label=f"指标{n}·名称", required=False, max_length=200, initial=row.name if row else ""
            )
            self.fields[prefix + "unit"] = forms.CharField(
                label=f"指标{n}·计量单位", required=False, max_length=40, initial=row.unit if row else ""
            )
            self.fields[prefix + "baseline"] = forms.CharField(
                label=f"指标{n}·基准值", required=False, max_length=200, initial=row.baseline if row else ""
            )
            self.fields[prefix + "direction"] = forms.ChoiceField(
                label=f"指标{n}·目标方向",
                required=False,
                choices=[("", "—"), *Direction.choices],
                initial=row.direction if row else "",
            )
            self.fields[prefix + "target"] = forms.CharField(
                label=f"指标{n}·目标值",
                required=False,
                max_length=200,
                initial=row.target if row else "",
                help_text="数值（≥ / ≤）或定性描述（定性）" if n == 1 else "",
            )

    def row_fields(self):
        """The bound fields, row by row, for the page's table."""
        return [[self[f"indicator:{n}:{part}"] for part in ROW_PARTS] for n in range(1, self.rows + 1)]

    def clean(self):
        data = super().clean()
        indicators = []
        for n in range(1, self.rows + 1):
            row = {part: (data.get(f"indicator:{n}:{part}") or "").strip() for part in ROW_PARTS}
            if not row["name"]:
                if any(row[p] for p in ("unit", "baseline", "target")):
                    self.add_error(f"indicator:{n}:name", f"第{n}行：请填写指标名称（或清空该行）。")
                continue
            prefix = f"indicator:{n}:"
            if not row["category"]:
                self.add_error(prefix + "category", f"第{n}行“{row['name']}”：请选择指标类别。")
            if not row["direction"]:
                self.add_error(prefix + "direction", f"第{n}行“{row['name']}”：请选择目标方向。")
            if not row["target"]:
                self.add_error(prefix + "target", f"第{n}行“{row['name']}”：请填写目标值。")
            elif (
                row["direction"] in (Direction.AT_LEAST, Direction.AT_MOST)
                and number_parse(row["target"]) is None
            ):
                self.add_error(
                    prefix + "target", f"第{n}行“{row['name']}”：目标值须为数字（定性指标请选择“定性”）。"
                )
            indicators.append(row)
        if not indicators and not self.errors:
            self.add_error(None, "请至少填写一项绩效指标（名称、类别、目标方向和目标值）。")
        data["indicators"] = indicators
        return data


class SelfEvaluationForm(forms.Form):
    """The self-evaluation: for each indicator of the targets in force its actual value (and 达成/未达成 where
    the target is qualitative), the conclusion, the score, the opinions and the report."""

    def __init__(self, data=None, files=None, *, target_set=None):
        super().__init__(data, files)
        self.indicators = list(target_set.indicators.all()) if target_set else []
        for i in self.indicators:
            target = f"{i.get_direction_display().replace(' 目标值', '')} {i.target}{i.unit}".strip()
            if i.direction == Direction.QUALITATIVE:
                target = f"{i.target}（定性）"
            self.fields[f"actual:{i.pk}"] = forms.CharField(
                label=f"{i.name}·实际完成值",
                max_length=200,
                help_text=f"目标：{target}" + (f"；基准值：{i.baseline}" if i.baseline else ""),
                error_messages={"required": f"请填写“{i.name}”的实际完成值。"},
            )
            if i.direction == Direction.QUALITATIVE:
                self.fields[f"met:{i.pk}"] = forms.ChoiceField(
                    label=f"{i.name}·是否达成",
                    choices=Met.choices,
                    error_messages={"required": f"请判断“{i.name}”是否达成。"},
                )
            self.fields[f"note:{i.pk}"] = forms.CharField(
                label=f"{i.name}·偏差原因", required=False, max_length=500
            )
        self.fields["summary"] = _note(
            "自评结论", required=True, rows=4, help_text="对照申报时设定的绩效目标，逐项说明完成情况。"
        )
        self.fields["score"] = forms.DecimalField(
            label="自评得分（分）", required=False, min_value=0, max_value=100, decimal_places=2
        )
        self.fields["users_opinion"] = _note(
            "使用单位意见", help_text="防城港市办法第二十三条：征求项目使用单位的意见。"
        )
        self.fields["supervisor_opinion"] = _note(
            "监理单位意见", help_text="防城港市办法第二十三条：征求监理单位的意见。"
        )
        self.fields["report"] = forms.FileField(
            label="绩效自评价报告", error_messages={"required": "请上传绩效自评价报告。"}
        )

    def clean(self):
        data = super().clean()
        for i in self.indicators:
            actual = (data.get(f"actual:{i.pk}") or "").strip()
            if actual and i.direction != Direction.QUALITATIVE and number_parse(actual) is None:
                self.add_error(
                    f"actual:{i.pk}", f"“{i.name}”的实际完成值须为数字（目标：{i.target}{i.unit}）。"
                )
        data["actuals"] = {
            i.pk: {
                "actual": data.get(f"actual:{i.pk}") or "",
                "met": data.get(f"met:{i.pk}") == Met.MET,
                "note": data.get(f"note:{i.pk}") or "",
            }
            for i in self.indicators
        }
        return data


class FinanceEvaluationForm(forms.Form):
    score = forms.DecimalField(
        label="再评价得分（分）",
        min_value=0,
        max_value=100,
        decimal_places=2,
        error_messages={"required": "请填写再评价得分。"},
    )
    findings = _note("评价发现与整改意见", required=True, rows=4)
    report = forms.FileField(label="财政再评价报告", error_messages={"required": "请上传财政再评价报告。"})


class ThirdPartyEvaluationForm(forms.Form):
    evaluator = forms.CharField(
        label="第三方机构", max_length=200, error_messages={"required": "请填写第三方机构名称。"}
    )
    evaluated_on = forms.DateField(
        label="评价日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写评价日期。"},
    )
    score = forms.DecimalField(
        label="评价得分（分）", required=False, min_value=0, max_value=100, decimal_places=2
    )
    conclusion = _note("评价结论与整改意见", required=True, rows=4)
    report = forms.FileField(
        label="第三方绩效评价报告", error_messages={"required": "请上传第三方绩效评价报告。"}
    )


class SampleDrawForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, error_messages={"required": "请填写年度。"}
    )
    size = forms.IntegerField(
        label="抽取数量（个）", min_value=1, max_value=1000, error_messages={"required": "请填写抽取数量。"}
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
