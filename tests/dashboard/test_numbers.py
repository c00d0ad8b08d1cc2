"""The dashboard's numbers against sums worked out by hand from the scene (conftest): five projects in two
years and two departments, one never submitted, one returned for revision."""

from decimal import Decimal

import pytest

from core.errors import InvalidInput
from portal.dashboard import dashboard_build

from .conftest import a_deadline, watch


def rows(dashboard, key):
    return dashboard.table(key).rows


def total(dashboard, key):
    return dashboard.table(key).total


def test_stages_leave_out_every_draft_for_the_leader(scene):
    board = dashboard_build(user=scene.leader)
    assert rows(board, "stages") == [["已立项", 1], ["建设中", 1], ["不予立项", 1]]
    assert total(board, "stages") == ["合计", 3]


def test_the_bdc_and_the_auditor_count_the_returned_draft_but_never_the_unsubmitted_one(scene):
    for user in (scene.world.bdc, scene.world.auditor):
        board = dashboard_build(user=user)
        assert rows(board, "stages") == [["草稿", 1], ["已立项", 1], ["建设中", 1], ["不予立项", 1]]
        assert total(board, "money_years") == [
            "合计",
            4,
            Decimal("410.00"),  # 150 + 80 + 120 + 60; the unsubmitted 999 is nobody's but its department's
            Decimal("270.00"),
            Decimal("120.00"),
            Decimal("45.00"),
        ]


def test_years_group_the_stages(scene):
    board = dashboard_build(user=scene.leader)
    # 计划年度, 项目数, 申报评审, 立项采购, 建设验收, 绩效归档, 未立项或终止
    assert rows(board, "years") == [["2025年", 1, 0, 0, 0, 0, 1], ["2026年", 2, 0, 1, 1, 0, 0]]
    assert total(board, "years") == ["合计", 3, 0, 1, 1, 0, 1]


def test_money_by_year_declared_approved_contracted_and_the_latest_paid(scene):
    board = dashboard_build(user=scene.leader)
    z = Decimal("0.00")
    assert rows(board, "money_years") == [
        ["2025年", 1, Decimal("80.00"), z, z, z],
        ["2026年", 2, Decimal("270.00"), Decimal("270.00"), Decimal("120.00"), Decimal("45.00")],
    ]
    assert total(board, "money_years") == [
        "合计",
        3,
        Decimal("350.00"),
        Decimal("270.00"),
        Decimal("120.00"),
        Decimal("45.00"),  # the latest report's 累计支付, not 30 + 45
    ]
    assert all(isinstance(v, Decimal) for row in rows(board, "money_years") for v in row[2:])


def test_money_by_year_and_department(scene):
    board = dashboard_build(user=scene.leader)
    z = Decimal("0.00")
    edu, health = scene.world.dept_org.name, scene.world.dept2_org.name
    assert rows(board, "money_departments") == [
        ["2026年", health, 1, Decimal("120.00"), Decimal("120.00"), Decimal("120.00"), Decimal("45.00")],
        ["2026年", edu, 1, Decimal("150.00"), Decimal("150.00"), z, z],
        ["2025年", edu, 1, Decimal("80.00"), z, z, z],
    ]


def test_overdue_deadlines_and_open_escalations_by_department(scene):
    board = dashboard_build(user=scene.leader)
    # 建设单位, 逾期未办, 涉及项目, 督办单待答复, 已答复待办结, 未办结
    assert rows(board, "oversight") == [[scene.world.dept2_org.name, 2, 1, 1, 0, 1]]
    escalation = scene.c.escalations.get()
    scene.world.act(
        scene.c, "answer_escalation", scene.world.dept2, {"escalation": escalation.pk, "answer": "已整改。"}
    )
    assert rows(dashboard_build(user=scene.leader), "oversight") == [
        [scene.world.dept2_org.name, 2, 1, 0, 1, 1]
    ]


def test_a_deadline_met_after_its_warning_no_longer_counts_as_overdue(scene):
    """T2 is met: the next computation finds T1 alone. Its 预警 stays on the record; the count drops."""
    watch(scene.c, a_deadline("T1"))
    assert rows(dashboard_build(user=scene.leader), "oversight")[0][1:3] == [1, 1]
    assert scene.c.deadline_warnings.filter(code="T2").exists()


def test_average_calendar_days_per_stage_from_the_timeline(scene):
    board = dashboard_build(user=scene.leader)
    # draft: a 2, b 4, c 1; declared: a 3, b 1, c 1; reviewing: a 10, c 1; approved: c 1; procurement: c 2
    assert rows(board, "durations") == [
        ["草稿", 3, Decimal("2.3")],
        ["已申报", 3, Decimal("1.7")],
        ["评审中", 2, Decimal("5.5")],
        ["已立项", 1, Decimal("1.0")],
        ["采购备案", 1, Decimal("2.0")],
    ]
    # The auditor also sees e: draft 1 day, declared 2 days (its second stay in 草稿 goes on: not counted).
    audit = dashboard_build(user=scene.world.auditor)
    assert rows(audit, "durations")[:2] == [["草稿", 4, Decimal("2.0")], ["已申报", 4, Decimal("1.8")]]


def test_filters_by_year_and_by_department(scene):
    w = scene.world
    board = dashboard_build(user=scene.leader, year="2025")
    assert board.filters.year == 2025
    assert rows(board, "stages") == [["不予立项", 1]]
    assert total(board, "money_years")[1:3] == [1, Decimal("80.00")]
    assert rows(board, "oversight") == []  # b's warning: 不予立项, no longer counted

    board = dashboard_build(user=scene.leader, organisation=str(w.dept2_org.pk))
    assert board.filters.organisation_name == w.dept2_org.name
    assert rows(board, "stages") == [["建设中", 1]]
    assert total(board, "money_years")[1:] == [
        1,
        *(Decimal(v) for v in ("120.00", "120.00", "120.00", "45.00")),
    ]

    board = dashboard_build(user=scene.leader, year="2025", organisation=str(w.dept2_org.pk))
    assert rows(board, "stages") == [] and total(board, "stages") is None
    # The choices are what the reader sees, unfiltered.
    assert board.years == [2026, 2025]
    assert [name for _, name in board.organisations] == sorted([w.dept_org.name, w.dept2_org.name])


@pytest.mark.parametrize(
    ("year", "organisation"),
    [("abc", None), ("1999", None), ("２０２６", None), (None, "x"), (None, "999999")],
)
def test_a_filter_that_is_not_a_choice_is_a_chinese_refusal(scene, year, organisation):
    with pytest.raises(InvalidInput) as refused:
        dashboard_build(user=scene.leader, year=year, organisation=organisation)
    assert "年度" in refused.value.message or "建设单位" in refused.value.message


def test_a_department_of_another_jurisdiction_is_not_a_choice(scene):
    from core.enums import OrganisationKind
    from tests.factories import JurisdictionFactory, OrganisationFactory

    elsewhere = JurisdictionFactory(code="zhaoyuan", policy_code="zhaoyuan-2021", project_prefix="ZY")
    other = OrganisationFactory(jurisdiction=elsewhere, kind=OrganisationKind.DEPARTMENT, name="市教育局")
    with pytest.raises(InvalidInput):
        dashboard_build(user=scene.leader, organisation=str(other.pk))
