"""The leaders' picture (数据看板, issue 15 §5): projects by stage and by year, money declared / approved /
contracted / paid by year and department, overdue warnings and open 督办单 by department, average days per
stage. For the 领导, the 大数据中心, the 财政局 and the 审计局 of a jurisdiction; read-only.

Every figure is one GROUP BY query over the projects the reader may see (`projects.selectors.project_visible_to`:
no drafts for the 领导 and finance, returned drafts for the BDC and the auditor), so the page answers in the same
number of queries however many projects there are. Each table is a `Table`: the page renders it, the chart
reads the same rows (`chart`), the Excel export and the API write them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from acceptance.figures import (
    contracted_by_year_and_organisation,
    open_escalations_by_organisation,
    paid_by_year_and_organisation,
)
from core.enums import Role
from core.errors import InvalidInput, NotPermitted
from projects.enums import MAIN_LINE, ProjectState
from projects.figures import (
    amounts_by_year_and_organisation,
    overdue_by_organisation,
    projects_by_year_and_state,
    stage_durations,
)
from projects.selectors import project_visible_to

DASHBOARD_ROLES = frozenset({Role.LEADER, Role.BDC, Role.FINANCE, Role.AUDITOR})
REFUSED = "数据看板仅供本行政区划的领导、大数据中心、财政局和审计局查阅。"
ZERO = Decimal("0.00")
MICROSECOND = timedelta(microseconds=1)
MICROSECONDS_A_DAY = Decimal(86_400_000_000)

# The states in the order a reader follows the lifecycle: the main line, then the side states.
STATE_ORDER = [*MAIN_LINE, *(s for s in ProjectState if s not in MAIN_LINE)]

# The plan year's projects in five groups of stages (the by-year table and its stacked chart).
STAGE_GROUPS = (
    ("申报评审", (ProjectState.DRAFT, ProjectState.DECLARED, ProjectState.REVIEWING)),
    ("立项采购", (ProjectState.APPROVED, ProjectState.PROCUREMENT)),
    (
        "建设验收",
        (
            ProjectState.CONSTRUCTION,
            ProjectState.SUSPENDED,
            ProjectState.PRELIMINARY_ACCEPTANCE,
            ProjectState.FINAL_ACCEPTANCE,
            ProjectState.RECTIFYING,
        ),
    ),
    ("绩效归档", (ProjectState.EVALUATION, ProjectState.ARCHIVED)),
    ("未立项或终止", (ProjectState.REJECTED, ProjectState.TERMINATED, ProjectState.CANCELLED)),
)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | count | money (万元, Decimal) | days (Decimal, one decimal)

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None
    note: str = ""
    # The chart drawn above the table from its own rows: (type, label column, value columns, stacked, horizontal).
    chart_kind: str = ""
    chart_columns: tuple[int, ...] = ()
    stacked: bool = False
    horizontal: bool = False
    empty: str = "暂无数据。"

    def chart(self) -> dict | None:
        """What the chart draws: the table's own rows (label column 0) and the chosen numeric columns, the
        numbers as strings exactly as the table shows them (JSON has no decimal type)."""
        if not self.chart_kind or not self.rows:
            return None
        return {
            "key": self.key,
            "type": self.chart_kind,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": self.columns[i].label, "data": [_plain(row[i]) for row in self.rows]}
                for i in self.chart_columns
            ],
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "whole": all(self.columns[i].kind == "count" for i in self.chart_columns),  # integer ticks
        }

    def cells(self) -> list[list[tuple]]:
        """The rows as (value, kind) pairs, for the page."""
        return [list(zip(row, (c.kind for c in self.columns), strict=True)) for row in self.rows]

    def total_cells(self) -> list[tuple]:
        return list(zip(self.total, (c.kind for c in self.columns), strict=True)) if self.total else []

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "columns": [{"label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [[_plain(v) for v in row] for row in self.rows],
            "total": [_plain(v) for v in self.total] if self.total else None,
            "note": self.note,
        }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Filters:
    year: int | None = None
    organisation_id: int | None = None
    organisation_name: str = ""

    def query(self) -> str:
        parts = []
        if self.year:
            parts.append(f"year={self.year}")
        if self.organisation_id:
            parts.append(f"organisation={self.organisation_id}")
        return "&".join(parts)

    def caption(self) -> str:
        year = f"{self.year}年度" if self.year else "全部年度"
        return f"{year} · {self.organisation_name or '全部建设单位'}"


@dataclass
class Dashboard:
    filters: Filters
    years: list[int]
    organisations: list[tuple[int, str]]
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def charts(self) -> list[dict]:
        return [c for c in (t.chart() for t in self.tables) if c]

    def as_dict(self) -> dict:
        return {
            "filters": {"year": self.filters.year, "organisation": self.filters.organisation_id},
            "years": self.years,
            "organisations": [{"id": pk, "name": name} for pk, name in self.organisations],
            "unit": "万元",
            "tables": [t.as_dict() for t in self.tables],
        }


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.role in DASHBOARD_ROLES and user.organisation_id is not None


def dashboard_guard(user) -> None:
    if not can_view_dashboard(user):
        raise NotPermitted(REFUSED)


def _year(raw) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise InvalidInput(
            "年度须为2000至2100之间的年份，如 2026。", extra={"errors": {"year": ["年度无效。"]}}
        )
    return int(text)


def _organisation(raw, organisations: list[tuple[int, str]]) -> tuple[int | None, str]:
    if raw in (None, ""):
        return None, ""
    text = str(raw).strip()
    names = dict(organisations)
    if not text.isascii() or not text.isdigit() or int(text) not in names:
        raise InvalidInput(
            "所选建设单位在本行政区划的项目中不存在，请从列表中选择。",
            extra={"errors": {"organisation": ["建设单位无效。"]}},
        )
    return int(text), names[int(text)]


def dashboard_build(*, user, year=None, organisation=None) -> Dashboard:
    """The dashboard for `user`, filtered by plan year and department (either may be None: all). Raises
    NotPermitted for a role that may not read it and InvalidInput for a filter that is not one of the choices.
    A fixed number of queries: two for the choices, seven for the figures."""
    dashboard_guard(user)
    visible = project_visible_to(user)
    years = sorted(set(visible.order_by().values_list("year", flat=True).distinct()), reverse=True)
    organisations = sorted(
        set(visible.order_by().values_list("organisation_id", "organisation__name").distinct()),
        key=lambda o: o[1],
    )
    organisation_id, organisation_name = _organisation(organisation, organisations)
    filters = Filters(year=_year(year), organisation_id=organisation_id, organisation_name=organisation_name)

    projects = visible
    if filters.year:
        projects = projects.filter(year=filters.year)
    if filters.organisation_id:
        projects = projects.filter(organisation_id=filters.organisation_id)

    by_year_state = projects_by_year_and_state(projects)
    amounts = amounts_by_year_and_organisation(projects)
    names = {row["organisation_id"]: row["organisation__name"] for row in amounts}
    dashboard = Dashboard(filters=filters, years=years, organisations=organisations)
    dashboard.tables = [
        _stages_table(by_year_state),
        _years_table(by_year_state),
        *_money_tables(
            amounts,
            contracted_by_year_and_organisation(projects),
            paid_by_year_and_organisation(projects),
        ),
        _oversight_table(
            names, overdue_by_organisation(projects), open_escalations_by_organisation(projects)
        ),
        _durations_table(stage_durations(projects)),
    ]
    return dashboard


def _stages_table(by_year_state: list[dict]) -> Table:
    counts: dict[str, int] = defaultdict(int)
    for row in by_year_state:
        counts[row["state"]] += row["n"]
    rows = [[ProjectState(s).label, counts[s]] for s in STATE_ORDER if counts.get(s)]
    return Table(
        key="stages",
        title="项目按阶段",
        columns=[Column("阶段"), Column("项目数", "count")],
        rows=rows,
        total=["合计", sum(counts.values())] if rows else None,
        chart_kind="bar",
        chart_columns=(1,),
        empty="暂无可查看的项目。",
    )


def _years_table(by_year_state: list[dict]) -> Table:
    per_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in by_year_state:
        per_year[row["year"]][row["state"]] += row["n"]
    rows = []
    for year in sorted(per_year):
        states = per_year[year]
        groups = [sum(states.get(s, 0) for s in members) for _, members in STAGE_GROUPS]
        rows.append([f"{year}年", sum(states.values()), *groups])
    total = None
    if rows:
        total = ["合计", *(sum(r[i] for r in rows) for i in range(1, len(rows[0])))]
    return Table(
        key="years",
        title="项目按年度",
        columns=[
            Column("计划年度"),
            Column("项目数", "count"),
            *(Column(label, "count") for label, _ in STAGE_GROUPS),
        ],
        rows=rows,
        total=total,
        note="；".join(
            f"{label}：{'、'.join(ProjectState(s).label for s in members)}" for label, members in STAGE_GROUPS
        ),
        chart_kind="bar",
        chart_columns=tuple(range(2, 2 + len(STAGE_GROUPS))),
        stacked=True,
        empty="暂无可查看的项目。",
    )


MONEY_COLUMNS = (
    Column("申报金额（万元）", "money"),
    Column("批复金额（万元）", "money"),
    Column("合同金额（万元）", "money"),
    Column("累计支付（万元）", "money"),
)
MONEY_NOTE = (
    "申报金额：项目申报时填报的总投资；批复金额：立项批复的金额（财政局或管理办法规定的审批机关）；"
    "合同金额：合同备案登记的合同金额之和；累计支付：各项目最近一期进度和预算执行报告中的累计支付数。"
)


def _money_tables(amounts, contracted, paid) -> list[Table]:
    cells: dict[tuple[int, int], dict] = {}
    for row in amounts:
        cells[(row["year"], row["organisation_id"])] = {
            "name": row["organisation__name"],
            "n": row["n"],
            "declared": row["declared"] or ZERO,
            "approved": row["approved"] or ZERO,
            "contracted": ZERO,
            "paid": ZERO,
        }
    for rows, name in ((contracted, "contracted"), (paid, "paid")):
        for row in rows:
            cells[(row["year"], row["organisation_id"])][name] = row[name] or ZERO
    keys = ("declared", "approved", "contracted", "paid")

    detail = [
        [f"{year}年", c["name"], c["n"], *(c[k] for k in keys)]
        for (year, _), c in sorted(cells.items(), key=lambda item: (-item[0][0], item[1]["name"]))
    ]
    per_year: dict[int, list] = {}
    for (year, _), c in cells.items():
        sums = per_year.setdefault(year, [0, ZERO, ZERO, ZERO, ZERO])
        sums[0] += c["n"]
        for i, k in enumerate(keys, start=1):
            sums[i] += c[k]
    by_year = [[f"{year}年", *per_year[year]] for year in sorted(per_year)]
    grand = [sum(r[i] for r in by_year) if by_year else 0 for i in range(1, 6)]
    return [
        Table(
            key="money_years",
            title="资金按年度",
            columns=[Column("计划年度"), Column("项目数", "count"), *MONEY_COLUMNS],
            rows=by_year,
            total=["合计", *grand] if by_year else None,
            note=MONEY_NOTE,
            chart_kind="bar",
            chart_columns=(2, 3, 4, 5),
        ),
        Table(
            key="money_departments",
            title="资金按年度和建设单位",
            columns=[Column("计划年度"), Column("建设单位"), Column("项目数", "count"), *MONEY_COLUMNS],
            rows=detail,
            total=["合计", "", *grand] if detail else None,
            note=MONEY_NOTE,
        ),
    ]


def _oversight_table(names: dict[int, str], overdue: list[dict], escalations: list[dict]) -> Table:
    per: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in overdue:
        per[row["organisation_id"]][0] = row["overdue"]
        per[row["organisation_id"]][1] = row["projects"]
    for row in escalations:
        per[row["organisation_id"]][2] = row["waiting"]
        per[row["organisation_id"]][3] = row["answered"]
    rows = [
        [names.get(pk, ""), *counts, counts[2] + counts[3]]
        for pk, counts in sorted(per.items(), key=lambda item: names.get(item[0], ""))
    ]
    return Table(
        key="oversight",
        title="逾期事项与督办按建设单位",
        columns=[
            Column("建设单位"),
            Column("逾期未办（项）", "count"),
            Column("涉及项目", "count"),
            Column("督办待答复", "count"),
            Column("督办待办结", "count"),
            Column("督办未办结", "count"),
        ],
        rows=rows,
        total=["合计", *(sum(r[i] for r in rows) for i in range(1, 6))] if rows else None,
        note="逾期未办：今日已过截止日期、仍未办理的期限事项（办理后即不再计入，已发出的预警仍留在项目时间线上），"
        "只计尚未归档、终止、取消或不予立项的项目；"
        "督办待答复：待建设单位答复的督办单；督办待办结：已答复、待大数据中心办结的督办单。",
        chart_kind="bar",
        chart_columns=(1, 3, 4),
        empty="没有逾期未办的事项和未办结的督办单。",
    )


def _durations_table(durations: list[dict]) -> Table:
    found = {row["state"]: row for row in durations}
    rows = []
    for state in STATE_ORDER:
        row = found.get(state)
        if row:
            days = (Decimal(row["average"] // MICROSECOND) / MICROSECONDS_A_DAY).quantize(Decimal("0.1"))
            rows.append([ProjectState(state).label, row["stays"], days])
    return Table(
        key="durations",
        title="各阶段平均历时",
        columns=[Column("阶段"), Column("已结束的停留（次）", "count"), Column("平均历时（自然日）", "days")],
        rows=rows,
        note="按时间线的状态变更计算：自进入该阶段至下一次状态变更，按自然日（含节假日）计，保留一位小数；"
        "仍停留在该阶段的项目不计入。",
        chart_kind="bar",
        chart_columns=(2,),
        horizontal=True,
        empty="尚无已结束的阶段。",
    )
