"""Search as people search (API.md, *Search and archive packages*): one box over projects (code, name, department,
the seven chapters), documents (titles, kinds, file names), letters (发文字号, titles) and catalogue resources.

Chinese has no spaces, so each text is segmented with jieba (search mode, with the government terms of
`archive/dictionary.txt`) into words, and kept a second time as single characters. A term the user types of
two characters or more matches whole words only (so "据中" does not find 数据中心: it straddles 数据|中心), a
one-character term matches that character. On PostgreSQL both are `tsvector`s under GIN indexes (the
`simple` configuration: no stemming, no stop words); on SQLite (the embedded default) the same tokens are
matched with LIKE between spaces. Results come only from what the caller may see."""

import json
import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.enums import Role
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
    SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={
            "project_id": project.pk,
            "title": title[:300],
            "body": body,
            **tokens_of(text),
            **project_facets(project),
        },
    )


def tokens_of(text: str) -> dict:
    """What an entry stores of its text to be found: on PostgreSQL the two tsvectors alone, computed by the
    database in the same write (`simple`: no stemming, no stop words; the characters' without positions, which
    nothing ranks), so that an index row stays narrow; on SQLite the tokens as text, matched with LIKE."""
    words, chars = words_of(text), chars_of(text)
    if connection.vendor != "postgresql":
        return {"words": words, "chars": chars}
    return {
        "words": "",
        "chars": "",
        "words_vector": SearchVector(Value(words), config="simple"),
        "chars_vector": Strip(SearchVector(Value(chars), config="simple")),
    }


class Strip(Func):
    """A tsvector without its positions (PostgreSQL's `strip`)."""

    function = "strip"
    output_field = SearchVectorField()


# For rows written in bulk with their tokens as text (bench/): the vectors from the tokens, the text emptied,
# as `tokens_of` stores them.
VECTORS = {
    "words_vector": SearchVector("words", config="simple"),
    "chars_vector": Strip(SearchVector("chars", config="simple")),
    "words": Value(""),
    "chars": Value(""),
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
        for vector, found in (("words_vector", terms.words), ("chars_vector", terms.chars)):
            if found:
                query = SearchQuery(" ".join(found), search_type="plain", config="simple")
                queryset = queryset.filter(**{vector: query})
        return queryset
    for word in terms.words:
        queryset = queryset.filter(words__contains=f" {word} ")
    for char in terms.chars:
        queryset = queryset.filter(chars__contains=f" {char} ")
    return queryset


def _rank(terms: Terms):
    """How well an entry matches the words (ts_rank); one-character terms and SQLite rank nothing."""
    if connection.vendor == "postgresql" and terms.words:
        query = SearchQuery(" ".join(terms.words), search_type="plain", config="simple")
        return SearchRank(F("words_vector"), query)
    return Value(0.0)


def _visible(queryset, user):
    """Only entries of projects the caller may see; a classified project's documents only for those who may
    read them (its owner and those granted access)."""
    wide = jurisdiction_wide_visibility(user) if user.is_authenticated and user.organisation_id else None
    if wide is not None:  # on the index rows' own copies of state, declared_at and organisation: no join
        queryset = queryset.filter(wide)
    elif user.is_authenticated and user.role == Role.DEPARTMENT and user.organisation_id:
        # Its own projects on the rows' copy of the organisation, and the few it co-builds by id — as a list of
        # ids read first, not a subquery: PostgreSQL then combines the two indexes (organisation, project) with
        # the text index's bitmap instead of testing every entry the term hits (60 % of the archive for 平台).
        co_built = list(
            Project.co_builders.through.objects.filter(organisation_id=user.organisation_id).values_list(
                "project_id", flat=True
            )
        )
        queryset = queryset.filter(Q(organisation_id=user.organisation_id) | Q(project_id__in=co_built))
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
    # More than EXACT hits: the total and the facets' counts are estimated from a sample of the index, and
    # the hits are listed most recent first (the first RECENT of them).
    estimated: bool = False


LABELS = {"project": "项目", "document": "文档", "letter": "发文", "resource": "数据资源"}

# Up to EXACT hits, every one is ranked and counted. Past it (a one- or two-character term over a province's
# archive can hit half of everything), the work per query stays bounded: the hits are listed most recent first
# (the first RECENT of them) and the total and the facets are estimated from a page sample meeting about SAMPLE
# hits. Ranking tens of thousands of hits of one common word tells the reader little; a filter narrows them.
EXACT = 5000
RECENT = 1000
SAMPLE = 1000
MAX_SAMPLE_PERCENT = 10.0


def search(
    *, user, query: str, filters: dict | None = None, limit: int = 20, offset: int = 0
) -> SearchResult:
    """The hits the caller may see, best first, with the facets (year, department, state, policy, kind) of
    all of them as counts. A bounded number of queries whatever the number of hits (the page's ids, their
    rows, the total with every facet in one pass — GROUPING SETS on PostgreSQL —, the departments' names; on
    PostgreSQL the planner's estimate and a capped count or a sample before), and bounded work: past EXACT
    hits the counts are estimates and the hits come most recent first (`SearchResult.estimated`)."""
    terms = terms_of(query)
    if terms.empty:
        return SearchResult(0, [], {})
    matched = _filtered(_matching(_visible(SearchEntry.objects.all(), user), terms), filters or {})
    counts, total, estimated = _counted(matched)
    facets = _facets_labelled(counts)
    if estimated:  # the most recent first, walking the (year, project, id) index: a few rows per hit shown
        with _walking_recent():
            ids = list(
                matched.order_by("-year", "-project_id", "-id").values_list("id", flat=True)[
                    min(offset, RECENT) : min(offset + limit, RECENT)
                ]
            )
    else:  # ranked over the index rows alone
        order = Case(
            *(When(kind=k, then=Value(v)) for k, v in KIND_ORDER.items()), output_field=IntegerField()
        )
        ids = list(
            matched.annotate(rank=_rank(terms), kind_order=order)
            .order_by("-rank", "kind_order", "-year", "-project_id", "id")
            .values_list("id", flat=True)[offset : offset + limit]
        )
    rows = SearchEntry.objects.select_related("project__organisation").in_bulk(ids)
    hits = [_hit(rows[pk], terms) for pk in ids]
    return SearchResult(total, hits, facets, estimated)


@contextmanager
def _walking_recent():
    """For a term hitting more than EXACT entries: the planner is told to walk the recency index, reading a
    few rows for each hit shown, rather than fetch every hit from the term's GIN index and sort them — the plan
    it would choose, since it underestimates words that occur together (统一 身份 认证). The settings are the
    transaction's own (set_config(…, true)) and put back after the one query."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan'),"
            " set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)"
        )
        bitmap, seq, _, _ = cursor.fetchone()
        yield
        cursor.execute(
            "SELECT set_config('enable_bitmapscan', %s, true), set_config('enable_seqscan', %s, true)",
            [bitmap, seq],
        )


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


def _counted(matched) -> tuple[dict[str, dict], int, bool]:
    """The hits' facet counts, their total, and whether these are estimates (past EXACT hits; PostgreSQL).

    The planner's estimate of the hits decides the way. Where it expects many (more than twice EXACT), the
    facets are first estimated from a page sample; the exact way is taken only if the sample finds EXACT or
    fewer. Otherwise the exact counts over EXACT + 1 hits at most decide, since the planner underestimates words that occur
    together (统一 身份 认证 are three words, always side by side)."""
    counts: dict[str, dict] = {name: {} for name in FACETS}
    if connection.vendor != "postgresql":
        for name, key in FACET_KEYS.items():
            for row in matched.order_by().values(key).annotate(n=Count("id")):
                counts[name][row[key]] = row["n"]
        return counts, matched.count(), False
    planned, sampled = _planned_rows(matched), None
    if planned > 2 * EXACT:
        total = _facet_estimates_pg(matched, counts, planned)
        if total > EXACT:
            return counts, total, True
        sampled, counts = (counts, total), {name: {} for name in FACETS}
    total = _facet_counts_pg(matched, counts, cap=EXACT)  # exact, in one pass, unless past EXACT
    if total > EXACT:
        if sampled is None:
            counts = {name: {} for name in FACETS}
            sampled = (counts, _facet_estimates_pg(matched, counts, planned))
        return sampled[0], max(sampled[1], EXACT + 1), True
    return counts, total, False


def _facets_labelled(counts: dict[str, dict]) -> dict[str, list[dict]]:
    """Per facet, its values most frequent first (FACET_SHOWN at most), each with its label and count."""
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
    return facets


def _planned_rows(matched) -> int:
    """The planner's estimate of the number of hits (EXPLAIN: no row is read)."""
    try:
        sql, params = matched.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])


def _facet_estimates_pg(matched, counts: dict, planned: int) -> int:
    """The total and the facets of many hits, estimated: the planner's estimate of the hits sets a sampling
    rate meant to meet about SAMPLE of them (MAX_SAMPLE_PERCENT of the pages at most); the facets are counted
    over the sampled pages (TABLESAMPLE SYSTEM, repeatable, so that the same query gives the same figures) and
    scaled up, rounded to tens."""
    percent = min(MAX_SAMPLE_PERCENT, 100.0 * SAMPLE / max(planned, EXACT + 1))
    total = _facet_counts_pg(matched, counts, sample_percent=percent)
    scale = 100.0 / percent
    for values in counts.values():
        for value, n in values.items():
            values[value] = _round_estimate(n * scale)
    return _round_estimate(total * scale)


def _round_estimate(n: float) -> int:
    return int(round(n, -1)) if n >= 100 else round(n)


def _facet_counts_pg(
    matched, counts: dict, sample_percent: float | None = None, cap: int | None = None
) -> int:
    """The total and every facet over the hits in one pass of the index rows (GROUPING SETS); over a sample of
    the index's pages when `sample_percent` is given; over `cap` + 1 hits at most when `cap` is (a total past
    `cap` then says only that there are more)."""
    try:
        inner, params = matched.order_by().values(*FACET_KEYS.values()).query.sql_with_params()
    except EmptyResultSet:  # the caller sees no project at all
        return 0
    if sample_percent is not None:
        table = f'FROM "{SearchEntry._meta.db_table}"'
        if (
            table not in inner
        ):  # the ORM names its table so; if that ever changes, say so rather than mis-scale
            raise RuntimeError(f"cannot sample {inner[:80]}")
        inner = inner.replace(
            table, f"{table} TABLESAMPLE SYSTEM ({float(sample_percent):.4f}) REPEATABLE (2026)", 1
        )
    if cap is not None:
        inner, params = f"{inner} LIMIT %s", (*params, cap + 1)
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
