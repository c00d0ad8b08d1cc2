"""Search as people search (API.md, *Search and archive packages*): one box over projects (code, name, department,
the seven chapters), documents (titles, kinds, file names), letters (发文字号, titles) and catalogue resources.

Chinese has no spaces, so each text is segmented with jieba (search mode, with the government terms of
`archive/dictionary.txt`) into words, and kept a second time as single characters. A term the user types of
two characters or more matches whole words only (so "据中" does not find 数据中心: it straddles 数据|中心), a
one-character term matches that character. On PostgreSQL both are `tsvector`s under GIN indexes (the
`simple` configuration: no stemming, no stop words); on SQLite (the embedded default) the same tokens are
matched with LIKE between spaces. Results come only from what the caller may see."""

import logging
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.models import Letter, Organisation
from projects.enums import ProjectState
from projects.models import CHAPTER_FIELDS, Document, DocumentAccessGrant, Project
from projects.selectors import jurisdiction_wide_visibility, project_visible_to
from sharing.models import DataResource

from .models import SearchEntry

log = logging.getLogger(__name__)

DICTIONARY = Path(__file__).with_name("dictionary.txt")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_jieba = None
_jieba_lock = threading.Lock()

KIND_ORDER = {"project": 0, "letter": 1, "document": 2, "resource": 3}


def _segmenter():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                with DICTIONARY.open("rb") as terms:
                    jieba.load_userdict(terms)
                _jieba = jieba
    return _jieba


def words_of(text: str) -> str:
    """The text's words, space-separated (jieba's search mode: each long word and the words inside it)."""
    tokens = (t.strip().lower() for t in _segmenter().cut_for_search(text or ""))
    return " " + " ".join(t for t in tokens if t) + " "


def chars_of(text: str) -> str:
    return " " + " ".join(dict.fromkeys(CJK.findall(text or ""))) + " "


# ---- keeping the index current ------------------------------------------------------------------------


def project_facets(project: Project) -> dict:
    """What each entry of a project carries of it, so that filters and facets never join the projects."""
    return {
        "year": project.year,
        "organisation_id": project.organisation_id,
        "state": project.state,
        "declared_at": project.declared_at,
        "policy_code": project.policy_code,
        "declared_amount": project.declared_amount,
        "is_classified": project.is_classified,
    }


def _entry_save(*, kind: str, object_id: int, project: Project, title: str, body: str) -> None:
    text = f"{title}\n{body}"
    entry, _ = SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={
            "project_id": project.pk,
            "title": title[:300],
            "body": body,
            "words": words_of(text),
            "chars": chars_of(text),
            **project_facets(project),
        },
    )
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(pk=entry.pk).update(**VECTORS)


# The stored tsvectors, computed by PostgreSQL from the tokens (`simple`: no stemming, no stop words).
VECTORS = {
    "words_vector": SearchVector("words", config="simple"),
    "chars_vector": SearchVector("chars", config="simple"),
}


def index_project(project: Project) -> None:
    chapters = "\n".join(getattr(project, field) or "" for field in CHAPTER_FIELDS.values())
    organisation = project.organisation.name if project.organisation_id else ""
    _entry_save(
        kind="project",
        object_id=project.pk,
        project=project,
        title=f"{project.code} {project.name}",
        body=f"{organisation}\n{project.get_category_display()}\n{chapters}",
    )
    # Its documents', letters' and resources' entries follow the project's state, year, amount…
    SearchEntry.objects.filter(project=project).exclude(kind="project").update(**project_facets(project))


def index_document(document: Document) -> None:
    names = " ".join(document.versions.values_list("original_name", flat=True))
    _entry_save(
        kind="document",
        object_id=document.pk,
        project=document.project,
        title=document.title or document.get_kind_display(),
        body=f"{document.get_kind_display()} {names}",
    )


def index_letter(letter: Letter) -> None:
    _entry_save(
        kind="letter",
        object_id=letter.pk,
        project=letter.project,
        title=f"{letter.number}《{letter.title}》",
        body=f"{letter.get_kind_display()} {letter.addressee} {letter.organisation.name}",
    )


def index_resource(resource: DataResource) -> None:
    _entry_save(
        kind="resource",
        object_id=resource.pk,
        project=resource.project,
        title=resource.name,
        body=f"{resource.source} {resource.format} {resource.share_scope} {resource.share_condition}",
    )


def index_forget(*, kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def reindex_all() -> int:
    """Every project, document, letter and resource again (`manage.py search_reindex`); how many entries."""
    count = 0
    for project in Project.objects.select_related("organisation").iterator(chunk_size=500):
        index_project(project)
        count += 1
    for document in Document.objects.iterator(chunk_size=500):
        index_document(document)
        count += 1
    for letter in Letter.objects.select_related("organisation").iterator(chunk_size=500):
        index_letter(letter)
        count += 1
    for resource in DataResource.objects.iterator(chunk_size=500):
        index_resource(resource)
        count += 1
    return count


# ---- searching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]  # matched as whole words
    chars: tuple[str, ...]  # one-character terms
    typed: tuple[str, ...] = ()  # the terms as typed, marked whole where they occur whole

    @property
    def empty(self) -> bool:
        return not (self.words or self.chars)

    @property
    def marks(self) -> tuple[str, ...]:
        return tuple(sorted({*self.typed, *self.words, *self.chars}, key=len, reverse=True))


def terms_of(query: str) -> Terms:
    words, chars, typed = [], [], []
    for term in (query or "").split():
        term = term.strip().lower()[:50]
        if len(term) == 1:
            chars.append(term)
        elif term:
            typed.append(term)
            words.extend(t for t in (p.strip() for p in _segmenter().cut(term)) if t)
    return Terms(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(chars)), tuple(dict.fromkeys(typed)))


def _matching(queryset, terms: Terms):
    if connection.vendor == "postgresql":
        if terms.words:
            query = SearchQuery(" ".join(terms.words), search_type="plain", config="simple")
            queryset = queryset.filter(words_vector=query).annotate(rank=SearchRank(F("words_vector"), query))
        else:
            queryset = queryset.annotate(rank=Value(0.0))
        if terms.chars:
            query = SearchQuery(" ".join(terms.chars), search_type="plain", config="simple")
            queryset = queryset.filter(chars_vector=query)
        return queryset
    for word in terms.words:
        queryset = queryset.filter(words__contains=f" {word} ")
    for char in terms.chars:
        queryset = queryset.filter(chars__contains=f" {char} ")
    return queryset.annotate(rank=Value(0.0))


def _visible(queryset, user):
    """Only entries of projects the caller may see; a classified project's documents only for those who may
    read them (its owner and those granted access)."""
    wide = jurisdiction_wide_visibility(user) if user.is_authenticated and user.organisation_id else None
    if wide is not None:  # on the index rows' own copies of state, declared_at and organisation: no join
        queryset = queryset.filter(wide)
    else:
        queryset = queryset.filter(project__in=project_visible_to(user).values("pk"))
    readable = (
        Q(is_classified=False)
        | Q(organisation_id=user.organisation_id, organisation_id__isnull=False)
        | Exists(DocumentAccessGrant.objects.filter(project_id=OuterRef("project_id"), user=user))
    )
    return queryset.filter(~Q(kind="document") | readable)


FILTERS = ("year", "organisation", "state", "policy", "kind", "amount_min", "amount_max")


def _filtered(queryset, filters: dict):
    if filters.get("year"):
        queryset = queryset.filter(year=filters["year"])
    if filters.get("organisation"):
        queryset = queryset.filter(organisation_id=filters["organisation"])
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("policy"):
        queryset = queryset.filter(policy_code=filters["policy"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("amount_min") is not None:
        queryset = queryset.filter(declared_amount__gte=filters["amount_min"])
    if filters.get("amount_max") is not None:
        queryset = queryset.filter(declared_amount__lte=filters["amount_max"])
    return queryset


@dataclass
class SearchResult:
    total: int
    hits: list[dict]
    facets: dict[str, list[dict]]


LABELS = {"project": "项目", "document": "文档", "letter": "发文", "resource": "数据资源"}


def search(
    *, user, query: str, filters: dict | None = None, limit: int = 20, offset: int = 0
) -> SearchResult:
    """The hits the caller may see, best first, with the facets (year, department, state, policy, kind) of
    all of them as counts. A constant number of queries whatever the number of hits: the page's ids, their
    rows, the total with every facet in one pass (GROUPING SETS on PostgreSQL), the departments' names."""
    terms = terms_of(query)
    if terms.empty:
        return SearchResult(0, [], {})
    matched = _filtered(_matching(_visible(SearchEntry.objects.all(), user), terms), filters or {})
    order = Case(*(When(kind=k, then=Value(v)) for k, v in KIND_ORDER.items()), output_field=IntegerField())
    # The page's ids ranked over the index rows alone, then those rows with their projects.
    ids = list(
        matched.annotate(kind_order=order)
        .order_by("-rank", "kind_order", "-year", "-project_id", "id")
        .values_list("id", flat=True)[offset : offset + limit]
    )
    rows = SearchEntry.objects.select_related("project__organisation").in_bulk(ids)
    hits = [_hit(rows[pk], terms) for pk in ids]
    total, facets = _facets(matched)
    return SearchResult(total, hits, facets)


def _hit(row: SearchEntry, terms: Terms) -> dict:
    return {
        "type": row.kind,
        "type_label": LABELS[row.kind],
        "project_id": row.project_id,
        "code": row.project.code,
        "project_name": row.project.name,
        "organisation": row.project.organisation.name,
        "title": row.title,
        "snippet": snippet(f"{row.title}\n{row.body}", terms),
    }


FACETS = ("year", "organisation", "state", "policy", "kind")
FACET_SHOWN = 30
FACET_KEYS = {
    "year": "year",
    "organisation": "organisation_id",
    "state": "state",
    "policy": "policy_code",
    "kind": "kind",
}


def _facets(matched) -> tuple[int, dict[str, list[dict]]]:
    """The number of hits and, per facet, the count of each value among them (every chosen filter applied)."""
    counts: dict[str, dict] = {name: {} for name in FACETS}
    if connection.vendor == "postgresql":
        total = _facet_counts_pg(matched, counts)
    else:
        total = matched.count()
        for name, key in FACET_KEYS.items():
            for row in matched.order_by().values(key).annotate(n=Count("id")):
                counts[name][row[key]] = row["n"]
    shown = sorted(counts["organisation"].items(), key=lambda kv: -kv[1])[:FACET_SHOWN]
    org_names = dict(Organisation.objects.filter(pk__in=[pk for pk, _ in shown]).values_list("pk", "name"))
    labels = {"organisation": org_names, "state": dict(ProjectState.choices), "kind": LABELS}
    facets = {}
    for name in FACETS:
        ordered = sorted(counts[name].items(), key=lambda kv: (-kv[1], str(kv[0])))[:FACET_SHOWN]
        facets[name] = [
            {"value": value, "label": str(labels.get(name, {}).get(value, value)), "count": n}
            for value, n in ordered
        ]
    return total, facets


def _facet_counts_pg(matched, counts: dict) -> int:
    """The total and every facet over the hits in one pass of the index rows (GROUPING SETS)."""
    try:
        inner, params = matched.order_by().values(*FACET_KEYS.values()).query.sql_with_params()
    except EmptyResultSet:  # the caller sees no project at all
        return 0
    sql = f"""
        SELECT year, organisation_id, state, policy_code, kind,
               GROUPING(year), GROUPING(organisation_id), GROUPING(state), GROUPING(policy_code), GROUPING(kind),
               count(*)
        FROM ({inner}) h
        GROUP BY GROUPING SETS ((), (year), (organisation_id), (state), (policy_code), (kind))
    """  # noqa: S608 - the inner query is the ORM's, every value a parameter
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for year, org, state, policy, kind, gy, go, gs, gp, gk, n in cursor.fetchall():
            if gy and go and gs and gp and gk:
                total = n
            elif not gy:
                counts["year"][year] = n
            elif not go:
                counts["organisation"][org] = n
            elif not gs:
                counts["state"][state] = n
            elif not gp:
                counts["policy"][policy] = n
            else:
                counts["kind"][kind] = n
    return total


SNIPPET = 40


def snippet(text: str, terms: Terms) -> str:
    """The text around the first hit, the hits marked with <mark> (everything else escaped)."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    positions = [lowered.find(mark) for mark in terms.marks if mark and lowered.find(mark) >= 0]
    start = max(min(positions) - SNIPPET // 2, 0) if positions else 0
    window = text[start : start + SNIPPET * 2]
    pattern = re.compile("|".join(re.escape(m) for m in terms.marks), re.IGNORECASE) if terms.marks else None
    out, last = [], 0
    for match in pattern.finditer(window) if pattern else ():
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET * 2 < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped above


def amount(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None
