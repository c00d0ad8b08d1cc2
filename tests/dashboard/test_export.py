"""Each table's Excel export read back with openpyxl: the header, text cells as text (never a formula), counts
and amounts as numbers, amounts under a 万元 header."""

from decimal import Decimal
from io import BytesIO

from django.test import Client
from openpyxl import load_workbook

from core.models import Organisation

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _sheet(user, key, query=""):
    client = Client()
    client.force_login(user, backend=BACKEND)
    response = client.get(f"/dashboard/export/{key}.xlsx{query}")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content)).active


def test_money_by_year_and_department_as_numbers_with_the_table_header(scene):
    # A department whose name a spreadsheet would read as a formula.
    Organisation.objects.filter(pk=scene.world.dept_org.pk).update(name="＝HYPERLINK(1)局")
    sheet = _sheet(scene.leader, "money_departments")
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "资金按年度和建设单位" in rows[0][0]
    assert rows[1][0].startswith("全部年度 · 全部建设单位")
    assert rows[2] == [
        "计划年度",
        "建设单位",
        "项目数",
        "申报金额（万元）",
        "批复金额（万元）",
        "合同金额（万元）",
        "累计支付（万元）",
    ]
    body = rows[3:6]
    assert body[0] == ["2026年", scene.world.dept2_org.name, 1, 120, 120, 120, 45]
    assert body[1][1] == "'＝HYPERLINK(1)局"  # written as text
    assert body[1][3] == 150 and isinstance(body[1][3], int | float | Decimal)
    assert rows[6][:3] == ["合计", None, 3] and rows[6][3] == 350
    assert sheet.cell(row=4, column=4).number_format == "#,##0.00"
    assert sheet.cell(row=4, column=2).data_type == "s"
    assert any(str(r[0]).startswith("说明：") for r in rows if r[0])


def test_the_export_follows_the_filters(scene):
    sheet = _sheet(scene.leader, "stages", "?year=2025")
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][0].startswith("2025年度")
    assert rows[2:5] == [["阶段", "项目数"], ["不予立项", 1], ["合计", 1]]


def test_durations_in_days_with_one_decimal(scene):
    sheet = _sheet(scene.leader, "durations")
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2] == ["阶段", "已结束的停留（次）", "平均历时（自然日）"]
    assert rows[3][0] == "草稿" and round(rows[3][2], 1) == 2.3
    assert sheet.cell(row=4, column=3).number_format == "0.0"
