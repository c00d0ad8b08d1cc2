"""The auditor's reading room (档案阅览室, issue 15 §4): the archived projects browsed by year, department and
policy, and each one read as one chronological record — the timeline with its state changes, every document
version, the letters and the checks as they stood at each step — with its chain's verification beside it.

Who reads it: the 审计局, the 大数据中心, the 财政局 and the 领导 (read-only) of the jurisdiction, and a
department its own projects. Every read is a constant number of queries however many projects there are."""

from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook

from core.cells import cell_text
from core.enums import Role
from core.errors import InvalidInput
from core.exports import Column, ExportContent, ExportSpec
from core.models import Letter, Organisation, TimelineCheck, TimelineEntry
from core.verification import timeline_verify
from projects.enums import ProjectState
from projects.models import DocumentVersion, Project
from projects.policies import policy_get

from .models import Addendum, ArchivePackage

# Who reads every archived project of their jurisdiction; a department reads its own.
READERS = frozenset({Role.AUDITOR, Role.BDC, Role.FINANCE, Role.LEADER})
ROOM_ROLES = READERS | {Role.DEPARTMENT}
FACETS = ("year", "organisation", "policy")
FACET_LABELS = {"year": "年度", "organisation": "申报单位", "policy": "管理办法"}
FACET_SHOWN = 50


def reading_room_allowed(user) -> bool:
    return user.is_authenticated and user.role in ROOM_ROLES and user.organisation_id is not None


def archived_visible_to(user) -> QuerySet[Project]:
    """The archived projects `user` may read in the reading room (none for any other role)."""
    base = Project.objects.filter(state=ProjectState.ARCHIVED)
    if not reading_room_allowed(user):
        return base.none()
    if user.role == Role.DEPARTMENT:
        return base.filter(organisation_id=user.organisation_id)
    return base.filter(organisation__jurisdiction_id=user.organisation.jurisdiction_id)


def _archived_at():
    """When the project was archived: its last entry into 已归档 on the timeline."""
    return Subquery(
        TimelineEntry.objects.filter(project=OuterRef("pk"), to_state=ProjectState.ARCHIVED)
        .exclude(from_state=ProjectState.ARCHIVED)
        .order_by("-seq")
        .values("at")[:1]
    )


def _filtered(queryset, filters: dict, skip: str = ""):
    if filters.get("year") and skip != "year":
        queryset = queryset.filter(year=filters["year"])
    if filters.get("organisation") and skip != "organisation":
        queryset = queryset.filter(organisation_id=filters["organisation"])
    if filters.get("policy") and skip != "policy":
        queryset = queryset.filter(policy_code=filters["policy"])
    if filters.get("q") and skip != "q":
        queryset = queryset.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    return queryset


def room_list(*, user, filters: dict) -> QuerySet[Project]:
    """The archived projects shown, newest plan year first, each with the day it was archived."""
    return (
        _filtered(archived_visible_to(user), filters)
        .select_related("organisation")
        .annotate(archived_at=_archived_at())
        .order_by("-year", "code", "id")
    )


def room_facets(*, user, filters: dict) -> dict[str, list[dict]]:
    """Per facet, the count of each value among the projects the other chosen filters leave (one query each)."""
    facets: dict[str, list[dict]] = {}
    base = archived_visible_to(user)
    rows = _filtered(base, filters, skip="year").values("year").annotate(n=Count("id")).order_by("-year")
    facets["year"] = [{"value": r["year"], "label": f"{r['year']}年", "count": r["n"]} for r in rows]
    rows = (
        _filtered(base, filters, skip="organisation")
        .values("organisation_id", "organisation__name")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation__name")[:FACET_SHOWN]
    )
    facets["organisation"] = [
        {"value": r["organisation_id"], "label": r["organisation__name"], "count": r["n"]} for r in rows
    ]
    rows = (
        _filtered(base, filters, skip="policy").values("policy_code").annotate(n=Count("id")).order_by("-n")
    )
    facets["policy"] = [
        {"value": r["policy_code"], "label": _policy_title(r["policy_code"]), "count": r["n"]} for r in rows
    ]
    return facets


def _policy_title(code: str) -> str:
    try:
        return policy_get(code).title
    except Exception:  # a code no longer installed is still shown, as it was stored
        return code


# ---- one project -----------------------------------------------------------------------------------------


@dataclass
class Step:
    """The record between two state changes: the state it ran in and its entries, oldest first."""

    state: str
    state_label: str
    entries: list = field(default_factory=list)


@dataclass
class Verification:
    """The chain's verification of one project: a recorded check (daily job, an auditor's request), or one run
    now on request."""

    intact: bool
    problems: list[str]
    at: object = None
    live: bool = False
    entries: int | None = None


def room_project(*, user, pk) -> Project | None:
    return (
        archived_visible_to(user)
        .select_related("organisation__jurisdiction")
        .annotate(archived_at=_archived_at())
        .filter(pk=pk)
        .first()
    )


def project_steps(project) -> list[Step]:
    """The timeline as steps: each state change opens the step of the state it leads to, and every entry after
    it, until the next change, was made in that state (an entry that is no state change has from = to)."""
    labels = dict(ProjectState.choices)
    steps: list[Step] = []
    for entry in TimelineEntry.objects.filter(project=project).order_by("seq"):
        changes = bool(entry.to_state) and entry.to_state != entry.from_state
        state = entry.to_state or entry.from_state or (steps[-1].state if steps else "")
        if changes or not steps:
            steps.append(Step(state, labels.get(state, state)))
        steps[-1].entries.append(entry)
    return steps


def project_versions(project) -> list[DocumentVersion]:
    return list(
        DocumentVersion.objects.filter(document__project=project)
        .select_related("document", "uploaded_by")
        .order_by("document__kind", "document_id", "number")
    )


def project_letters(project) -> list[Letter]:
    return list(
        Letter.objects.filter(project=project)
        .select_related("organisation", "replaces")
        .order_by("issued_at", "id")
    )


def project_addenda(project) -> list[Addendum]:
    return list(
        Addendum.objects.filter(project=project).select_related("created_by").order_by("created_at", "id")
    )


def project_packages(project) -> list[ArchivePackage]:
    return list(ArchivePackage.objects.filter(project=project).order_by("-requested_at", "-id")[:5])


def project_verification(project, *, live: bool = False) -> Verification | None:
    """The latest recorded check's finding for this project, or (`live`) the chain verified now."""
    if live:
        problems = timeline_verify(project_id=project.pk)
        return Verification(not problems, problems, live=True)
    check = TimelineCheck.objects.filter(finished_at__isnull=False).order_by("-started_at", "-id").first()
    if check is None:
        return None
    found = (check.broken or {}).get(str(project.pk))
    problems = list(found.get("problems", [])) if found else []
    return Verification(
        not problems and not check.general, problems + list(check.general or []), check.finished_at
    )


# ---- Excel ------------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _sheet(book, title: str, headers):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    for n, (_, width) in enumerate(headers, 1):
        sheet.column_dimensions[_column(n)].width = width
    bold = Font(bold=True)
    row = []
    for label, _ in headers:
        cell = WriteOnlyCell(sheet, value=cell_text(label))
        cell.font = bold
        row.append(cell)
    sheet.append(row)
    return sheet


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _money(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = MONEY_FORMAT
    return cell


def _local(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


ROOM_REFUSAL = "档案阅览室仅供审计局、大数据中心、财政局、领导和项目的申报单位查阅。"
LIST_COLUMNS = (
    Column("项目编号", 18),
    Column("项目名称", 40),
    Column("申报单位", 24),
    Column("计划年度", 10),
    Column("适用管理办法", 40),
    Column("申报金额（万元）", 16, MONEY_FORMAT),
    Column("批复金额（万元）", 16, MONEY_FORMAT),
    Column("合同金额（万元）", 16, MONEY_FORMAT),
    Column("归档时间", 18),
)


def _room_clean(user, data) -> dict:
    """The reading room's filters as the page reads them, and who asked (the list is what they may read)."""
    from .forms import ReadingRoomForm

    form = ReadingRoomForm(data)
    if not form.is_valid():
        raise InvalidInput("筛选条件有误，请返回档案阅览室重新选择。")
    return {**form.filters(), "user_id": user.pk}


def _room_refusal(user, params: dict) -> str:
    return "" if reading_room_allowed(user) and params.get("user_id") == user.pk else ROOM_REFUSAL


def _filters_text(filters: dict, user) -> str:
    shown = []
    if filters.get("q"):
        shown.append(f"名称或编号含“{filters['q']}”")
    if filters.get("year"):
        shown.append(f"{filters['year']}年度")
    if filters.get("organisation"):
        name = Organisation.objects.filter(pk=filters["organisation"]).values_list("name", flat=True).first()
        shown.append(f"申报单位：{name or filters['organisation']}")
    if filters.get("policy"):
        shown.append(f"管理办法：{_policy_title(filters['policy'])}")
    return "筛选：" + ("；".join(shown) if shown else "全部") + "。"


def _room_build(params: dict) -> ExportContent:
    """The list as the page shows it for the one who asked (every page), built by a worker: text as text
    (core.cells), amounts as numbers in 万元, streamed from the database in chunks."""
    from core.models import User

    user = User.objects.select_related("organisation__jurisdiction").get(pk=params["user_id"])
    filters = {k: v for k, v in params.items() if k != "user_id"}
    projects = room_list(user=user, filters=filters)
    titles: dict[str, str] = {}

    def rows():
        for p in projects.iterator(chunk_size=2000):
            yield (
                p.code,
                p.name,
                p.organisation.name,
                p.year,
                titles.setdefault(p.policy_code, _policy_title(p.policy_code)),
                p.declared_amount,
                p.approved_amount,
                p.contract_amount,
                _local(p.archived_at),
            )

    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return ExportContent(
        file_name="档案目录.xlsx",
        sheet_title="档案目录",
        columns=LIST_COLUMNS,
        rows=rows(),
        total=projects.count(),
        heading=(
            f"{user.organisation.jurisdiction.name}政务信息化项目档案目录",
            f"{_filters_text(filters, user)}金额单位：万元　导出时间：{generated}（北京时间）",
        ),
    )


ROOM_EXPORT = ExportSpec(
    name="reading_room",
    title="档案目录（Excel）",
    refusal=_room_refusal,
    clean=_room_clean,
    build=_room_build,
    back_url=lambda params: "/archive/reading-room/",
)


RECORD_HEADERS = (
    ("序号", 8),
    ("时间", 18),
    ("所处阶段", 12),
    ("事项", 24),
    ("操作人", 18),
    ("原状态", 12),
    ("新状态", 12),
    ("说明", 50),
    ("规则核验", 60),
    ("附件", 40),
    ("封存值", 66),
)


def room_project_workbook(project, steps: list[Step], versions, letters, addenda) -> bytes:
    """One project's record: the chronology, the documents (each version), the letters and the addenda."""
    labels = dict(ProjectState.choices)
    book = Workbook(write_only=True)
    sheet = _sheet(book, "时间线", RECORD_HEADERS)
    for step in steps:
        for e in step.entries:
            checks = "；".join(
                f"{'通过' if c.get('passed') else '未通过'} {c.get('code', '')} {c.get('message', '')}"
                for c in (e.checks or [])
            )
            files = "；".join(
                f"{d.get('name', '')}（{d.get('sha256', '')[:12]}）" for d in (e.documents or [])
            )
            sheet.append(
                [
                    e.seq,
                    cell_text(_local(e.at)),
                    cell_text(step.state_label),
                    cell_text(e.label),
                    cell_text(e.actor_name),
                    cell_text(labels.get(e.from_state, e.from_state)),
                    cell_text(labels.get(e.to_state, e.to_state)),
                    cell_text(e.comment),
                    cell_text(checks),
                    cell_text(files),
                    cell_text(e.hash),
                ]
            )
    sheet = _sheet(
        book,
        "文档",
        (
            ("文档类型", 20),
            ("版本", 8),
            ("文件名", 40),
            ("大小（字节）", 14),
            ("上传人", 16),
            ("上传时间", 18),
            ("SHA-256", 66),
        ),
    )
    for v in versions:
        sheet.append(
            [
                cell_text(v.document.get_kind_display()),
                v.number,
                cell_text(v.original_name),
                v.size,
                cell_text(str(v.uploaded_by) if v.uploaded_by_id else ""),
                cell_text(_local(v.uploaded_at)),
                cell_text(v.sha256),
            ]
        )
    sheet = _sheet(
        book,
        "发文",
        (("发文字号", 24), ("标题", 40), ("主送机关", 24), ("发文机关", 24), ("发文时间", 18), ("状态", 10)),
    )
    for letter in letters:
        sheet.append(
            [
                cell_text(letter.number),
                cell_text(letter.title),
                cell_text(letter.addressee),
                cell_text(letter.organisation.name),
                cell_text(_local(letter.issued_at)),
                cell_text(letter.get_status_display()),
            ]
        )
    sheet = _sheet(
        book, "补记", (("补记时间", 18), ("补记人", 16), ("内容", 60), ("附件", 30), ("附件 SHA-256", 66))
    )
    for a in addenda:
        sheet.append(
            [
                cell_text(_local(a.created_at)),
                cell_text(str(a.created_by)),
                cell_text(a.text),
                cell_text(a.original_name),
                cell_text(a.sha256),
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
