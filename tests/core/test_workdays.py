"""Working days against the State Council's 2026 notice (国办发明电〔2025〕7号), and a year nobody has
published yet refused until an operator enters it."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import HolidayDay, HolidayYear
from core.workdays import UnknownYear, add_workdays, is_workday, workdays_between

# The notice, as published: days off and the adjusted working days (调休上班), by festival.
NOTICE_2026_OFF = {
    "元旦": ("2026-01-01", "2026-01-03"),
    "春节": ("2026-02-15", "2026-02-23"),
    "清明节": ("2026-04-04", "2026-04-06"),
    "劳动节": ("2026-05-01", "2026-05-05"),
    "端午节": ("2026-06-19", "2026-06-21"),
    "中秋节": ("2026-09-25", "2026-09-27"),
    "国庆节": ("2026-10-01", "2026-10-07"),
}
NOTICE_2026_WORKING_WEEKENDS = [
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
]


def _days(first: str, last: str):
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


@pytest.mark.django_db
@pytest.mark.parametrize("festival", NOTICE_2026_OFF)
def test_every_day_of_each_2026_holiday_is_off(festival):
    for day in _days(*NOTICE_2026_OFF[festival]):
        assert not is_workday(day), (festival, day)


@pytest.mark.django_db
@pytest.mark.parametrize("day", NOTICE_2026_WORKING_WEEKENDS)
def test_adjusted_weekends_are_working_days(day):
    d = date.fromisoformat(day)
    assert d.weekday() >= 5
    assert is_workday(d)


@pytest.mark.django_db
def test_ordinary_weekends_and_weekdays():
    assert not is_workday(date(2026, 11, 21))  # Saturday
    assert not is_workday(date(2026, 11, 22))  # Sunday
    assert is_workday(date(2026, 11, 23))  # Monday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        ("2026-11-23", 0, "2026-11-23"),
        ("2026-11-23", 1, "2026-11-24"),  # the start day is not counted
        ("2026-11-20", 1, "2026-11-23"),  # Friday → Monday
        ("2025-12-31", 1, "2026-01-04"),  # over 元旦 onto the Sunday worked
        ("2026-02-13", 1, "2026-02-14"),  # the Saturday worked before 春节
        ("2026-02-13", 2, "2026-02-24"),  # then nine days off
        ("2026-02-24", 4, "2026-02-28"),  # the Saturday worked after 春节
        ("2026-09-30", 1, "2026-10-08"),  # over 国庆
        ("2026-09-18", 1, "2026-09-20"),  # the Sunday worked before 国庆
        ("2026-10-08", 2, "2026-10-10"),  # the Saturday worked after 国庆
        ("2026-04-30", 1, "2026-05-06"),  # over 劳动节
        ("2026-05-06", 3, "2026-05-09"),
    ],
)
def test_nth_working_day_after(start, days, deadline):
    assert add_workdays(date.fromisoformat(start), days) == date.fromisoformat(deadline)


@pytest.mark.django_db
def test_working_days_of_the_whole_of_2026():
    # 365 days − 104 weekend days − 25 days off on weekdays (the notice's holidays that fall on
    # Monday–Friday) + 6 weekend days worked.
    off_on_weekdays = sum(
        1 for first, last in NOTICE_2026_OFF.values() for d in _days(first, last) if d.weekday() < 5
    )
    assert workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 365 - 104 - off_on_weekdays + 6


@pytest.mark.django_db
def test_a_year_not_yet_published_is_refused_with_a_reason():
    with pytest.raises(UnknownYear) as refused:
        add_workdays(date(2026, 12, 30), 5)
    assert "2027年的法定节假日安排尚未录入" in refused.value.message


@pytest.mark.django_db
def test_the_api_answers_and_refuses(world):
    client = APIClient()
    client.force_authenticate(world.dept)
    url = reverse("api-workdays")

    ok = client.get(url, {"start": "2026-09-30", "days": 1})
    assert ok.status_code == 200
    assert ok.json() == {"deadline": "2026-10-08"}

    refused = client.get(url, {"start": "2027-01-05", "days": 3})
    assert refused.status_code == 400
    assert "2027年" in refused.json()["detail"]

    malformed = client.get(url, {"start": "2026-13-01", "days": "x"})
    assert malformed.status_code == 400
    assert "YYYY-MM-DD" in malformed.json()["detail"]


@pytest.mark.django_db
def test_the_api_needs_a_login():
    assert APIClient().get(reverse("api-workdays"), {"start": "2026-09-30", "days": 1}).status_code in (
        401,
        403,
    )


@pytest.mark.django_db
def test_an_operator_enters_2027_in_the_admin_and_deadlines_follow(world, client):
    client.force_login(world.sysadmin)
    form = {
        "year": "2027",
        "notice": "国务院办公厅关于2027年部分节假日安排的通知",
        "days-TOTAL_FORMS": "3",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01",
        "days-0-kind": "holiday",
        "days-0-name": "元旦",
        "days-1-date": "2027-01-04",
        "days-1-kind": "holiday",
        "days-1-name": "元旦",
        "days-2-date": "2027-01-09",
        "days-2-kind": "workday",
        "days-2-name": "元旦",
    }
    response = client.post(reverse("admin:core_holidayyear_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = HolidayYear.objects.get(year=2027)
    assert schedule.entered_by == world.sysadmin
    assert schedule.days.count() == 3

    # 2026-12-31 (Thu) → 2027-01-01 off, 01-02/03 weekend, 01-04 off, 01-05 … ; Saturday 01-09 worked.
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert add_workdays(date(2027, 1, 8), 1) == date(2027, 1, 9)
    assert not is_workday(date(2027, 1, 4))


@pytest.mark.django_db
def test_an_entered_year_overrides_the_librarys(world):
    """A correction an operator enters wins over the bundled data (e.g. a late change of schedule)."""
    schedule = HolidayYear.objects.create(year=2026, notice="更正", entered_by=world.sysadmin)
    HolidayDay.objects.create(
        schedule=schedule, date=date(2026, 11, 23), kind=HolidayDay.Kind.HOLIDAY, name="测试"
    )
    assert not is_workday(date(2026, 11, 23))
    # Everything not in the entered table follows the plain week.
    assert not is_workday(date(2026, 11, 21))


@pytest.mark.django_db
def test_departments_and_other_operators_cannot_enter_schedules(world, client):
    for user in (world.dept, world.secadmin, world.auditadmin):
        client.force_login(user)
        assert client.get(reverse("admin:core_holidayyear_add")).status_code in (302, 403), user.username
