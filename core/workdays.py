"""Official working days: weekends and the State Council's holidays off, adjusted working days (调休) on.

"N个工作日内" counts from the day after the event (民法典 第二百零一条). A year that neither
`chinesecalendar` nor the operators' table (HolidayYear) knows is an error, never a guess. The table is
read fresh for each calculation, so a schedule an operator enters counts at once in every process."""

import calendar
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import holidays as LIB_HOLIDAYS

from .errors import InvalidInput

LIB_YEARS = frozenset(d.year for d in LIB_HOLIDAYS)
MAX_DAYS = 3660  # no regulation counts ten years of working days


class UnknownYear(InvalidInput):
    def __init__(self, year: int):
        super().__init__(
            f"{year}年的法定节假日安排尚未录入，无法计算工作日：请系统管理员在后台“节假日安排”中录入国务院公布的{year}年安排。",
            extra={"year": year},
        )
        self.year = year


class WorkCalendar:
    """Answers "is this a working day" for one calculation, reading each year's table once."""

    def __init__(self):
        self._years: dict[int, tuple[frozenset[date], frozenset[date]] | None] = {}

    def _table(self, year: int):
        if year not in self._years:
            from .models import HolidayDay, HolidayYear

            if HolidayYear.objects.filter(year=year).exists():
                days = list(HolidayDay.objects.filter(schedule__year=year).values_list("date", "kind"))
                self._years[year] = (
                    frozenset(d for d, k in days if k == HolidayDay.Kind.HOLIDAY),
                    frozenset(d for d, k in days if k == HolidayDay.Kind.WORKDAY),
                )
            else:
                self._years[year] = None
        return self._years[year]

    def is_workday(self, day: date) -> bool:
        table = self._table(day.year)
        if table is not None:
            holidays, workdays = table
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        if day.year in LIB_YEARS:
            return chinese_calendar.is_workday(day)
        raise UnknownYear(day.year)

    def add_workdays(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 0 or days > MAX_DAYS:
            raise InvalidInput(f"工作日天数须在0到{MAX_DAYS}之间。")
        self.is_workday(start)  # the start's own year must be known too
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_workday(current):
                counted += 1
        return current

    def workdays_between(self, start: date, end: date) -> int:
        """How many working days after `start`, up to and including `end`."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def is_workday(day: date) -> bool:
    return WorkCalendar().is_workday(day)


def add_workdays(start: date, days: int) -> date:
    return WorkCalendar().add_workdays(start, days)


def workdays_between(start: date, end: date) -> int:
    return WorkCalendar().workdays_between(start, end)


def chinese_date(day: date) -> str:
    """A date as official documents write it, in Arabic numerals without leading zeros: 2026年11月22日
    (GB/T 9704-2012 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def add_months(start: date, months: int) -> date:
    """The date `months` months after `start`: the same day of the month, or the month's last day when it
    has no such day (民法典 第二百零二条: 没有对应日的，月末日为期间的最后一日)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
