"""Rule checks: data plus a predicate. The transition guard, the API's `checks` and the checklist a page
shows before each action all come from `evaluate_checks`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import timezone

from core.workdays import UnknownYear

from .enums import Severity

# A predicate answers True (met), False or a Chinese sentence (not met: the sentence says what is
# missing), or None (it depends on what the user enters with the action: checked on submit).
Outcome = bool | str | None


@dataclass(frozen=True)
class Check:
    code: str
    transition: str
    severity: str
    article: str
    requirement: str
    test: Callable[["CheckContext"], Outcome]
    applies: Callable[["CheckContext"], bool] = field(default=lambda ctx: True)


@dataclass(frozen=True)
class CheckResult:
    code: str
    severity: str
    passed: bool | None
    message: str
    source: str
    requirement: str

    @property
    def blocking_failure(self) -> bool:
        return self.severity == Severity.BLOCK and self.passed is False

    @property
    def warning(self) -> bool:
        return self.severity == Severity.WARN and self.passed is False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "passed": self.passed,
            "message": self.message,
            "source": self.source,
        }


# ---- facts: what a check reads that a higher app holds ---------------------------------------------------
#
# A check may need a record only a higher app keeps (the review panel's conflicts, the experts' scores). The
# policies import only `core` and `projects`; the app that holds the record registers a function of the project
# in its `AppConfig.ready()` (`fact_register("panel_conflicts", panel_conflicts)`), and a check reads it with
# `ctx.fact("panel_conflicts")`, computed once per context.

_FACTS: dict[str, Callable] = {}


def fact_register(name: str, fn: Callable) -> None:
    """Offer the fact `name`: `fn(project)` gives its value for a project."""
    _FACTS[name] = fn


def fact_names() -> frozenset[str]:
    return frozenset(_FACTS)


def _latest(rows, *keys):
    rows = list(rows)
    return max(rows, key=lambda r: tuple(getattr(r, k) for k in keys)) if rows else None


class CheckContext:
    """What a check (or a deadline) may look at: the project, the values entered with the action, and the
    project's records, each loaded once however many checks read it. The records are read through the
    project's relations, so a list of projects prefetched (`DEADLINE_PREFETCH`) costs no query each."""

    def __init__(self, project, params: dict | None = None, today: date | None = None):
        self.project = project
        self.params = params or {}
        self.today = today or timezone.localdate()

    @classmethod
    def shared(cls, project) -> "CheckContext":
        """One context per project instance for everything a page shows as of today with nothing entered:
        the checklists of every action and the deadlines read each record once."""
        ctx = getattr(project, "_shared_check_context", None)
        if ctx is None:
            ctx = project._shared_check_context = cls(project)
        return ctx

    @property
    def policy(self):
        return self.project.policy

    def fact(self, name: str):
        """The value of a fact a higher app registered (`fact_register`), computed once for this context."""
        cache = self.__dict__.setdefault("_facts", {})
        if name not in cache:
            try:
                fn = _FACTS[name]
            except KeyError:
                raise LookupError(
                    f"no app has registered the fact {name!r} (fact_register in its ready())"
                ) from None
            cache[name] = fn(self.project)
        return cache[name]

    def param(self, name: str):
        return self.params.get(name)

    def decimal_param(self, name: str) -> Decimal | None:
        value = self.params.get(name)
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None

    def date_param(self, name: str) -> date | None:
        value = self.params.get(name)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def _rel(self, name: str, *select_related: str) -> list:
        """The rows of one of the project's relations: the prefetched ones, else one query."""
        manager = getattr(self.project, name)
        if name in getattr(self.project, "_prefetched_objects_cache", {}):
            return list(manager.all())
        return list(manager.select_related(*select_related)) if select_related else list(manager.all())

    @cached_property
    def versions(self) -> list:
        if VERSIONS_PREFETCHED in self.project.__dict__:
            return self.project.__dict__[VERSIONS_PREFETCHED]
        if "documents" in getattr(self.project, "_prefetched_objects_cache", {}):
            return [v for d in self.project.documents.all() for v in d.versions.all()]
        from .models import DocumentVersion

        return list(DocumentVersion.objects.filter(document__project=self.project).select_related("document"))

    @cached_property
    def document_kinds(self) -> set[str]:
        return {v.document.kind for v in self.versions}

    def versions_of(self, kind: str) -> list:
        return sorted(
            (v for v in self.versions if v.document.kind == kind), key=lambda v: (v.uploaded_at, v.pk)
        )

    def latest_version(self, kind: str):
        found = self.versions_of(kind)
        return found[-1] if found else None

    def first_upload_on(self, kind: str, after: date | None = None) -> date | None:
        """The local date of the first upload of `kind` (on or after `after`), if any."""
        days = [timezone.localdate(v.uploaded_at) for v in self.versions_of(kind)]
        days = [d for d in days if after is None or d >= after]
        return min(days) if days else None

    def missing_documents(self, kinds) -> list[str]:
        from .enums import DocumentKind

        return [DocumentKind(k).label for k in kinds if k not in self.document_kinds]

    @cached_property
    def resources(self) -> list:
        return self._rel("resources")

    @cached_property
    def prereview(self):
        return _latest(self._rel("prereviews"), "at", "id")

    @cached_property
    def panel(self) -> list:
        return [m for m in self._rel("panel") if m.active]

    @cached_property
    def agency_invitations(self) -> list:
        return self._rel("agency_invitations", "organisation")

    @cached_property
    def review_opinion(self):
        return _latest(self._rel("review_opinions"), "issued_at", "id")

    @cached_property
    def outside_decision(self):
        """The latest decision of a body outside the platform (zhaoyuan-2021 第六条: 市政府同意)."""
        return _latest(self._rel("outside_decisions"), "at", "id")

    @cached_property
    def contract_filing(self):
        return _latest(self._rel("contract_filings"), "filed_at", "id")

    @cached_property
    def supervisor(self):
        return _latest(self._rel("supervisor_assignments", "organisation"), "id")

    # ---- construction under watch (the acceptance app's records, read through the project's relations) ----

    @cached_property
    def oversight(self):
        """The jurisdiction's settings for the watch over construction (periods, thresholds), or None: the
        defaults apply."""
        from django.core.exceptions import ObjectDoesNotExist

        try:
            return self.project.organisation.jurisdiction.oversight
        except ObjectDoesNotExist:
            return None

    def oversight_value(self, name: str, default: int) -> int:
        return getattr(self.oversight, name, None) or default

    @cached_property
    def baseline(self):
        return _latest(self._rel("baselines"), "number")

    @cached_property
    def supervision_reports(self) -> list:
        return self._rel("supervision_reports")

    @cached_property
    def progress_reports(self) -> list:
        return self._rel("progress_reports")

    @cached_property
    def risk_ratings(self) -> list:
        return self._rel("risk_ratings")

    @cached_property
    def bidding_confirmation(self):
        return _latest(self._rel("bidding_confirmations"), "at", "id")

    @cached_property
    def change_requests(self) -> list:
        return self._rel("change_requests")

    @cached_property
    def completion(self):
        return _latest(self._rel("completions"), "id")

    @cached_property
    def acceptance_application(self):
        return _latest(self._rel("acceptance_applications"), "id")

    @cached_property
    def acceptance_result(self):
        return _latest(self._rel("acceptance_results"), "id")

    @cached_property
    def acceptance_group(self):
        """The project's acceptance group (formed once; a re-application goes back to it), or None."""
        from django.core.exceptions import ObjectDoesNotExist

        try:
            return self.project.acceptance_group
        except ObjectDoesNotExist:
            return None

    @cached_property
    def rectification_items(self) -> list:
        return self._rel("rectification_items")

    @cached_property
    def calendar(self):
        from core.workdays import WorkCalendar

        return WorkCalendar()


# What the deadline rules read through a CheckContext, prefetched once for a list of projects (a home page,
# the daily job). A rule that reads more costs a query per project: the home page's query-count test shows it.
# Where a list of projects' document versions (with their documents) is kept by `deadline_records_prefetch`.
VERSIONS_PREFETCHED = "_versions_prefetched"
DEADLINE_PREFETCH = (
    "documents__versions",
    "prereviews",
    "contract_filings",
    "completions",
    "acceptance_applications",
    "acceptance_results",
    "acceptance_group",
    "rectification_items",
    "supervisor_assignments",
    "supervision_reports",
    "progress_reports",
    "risk_ratings",
    "organisation__jurisdiction__oversight",
)


def evaluate_checks(
    project, transition: str, params: dict | None = None, today: date | None = None
) -> list[CheckResult]:
    """Run every check the project's policy attaches to `transition`. The results are kept on the
    instance so the FSM condition of the same attempt reads them instead of running them again."""
    ctx = (
        CheckContext.shared(project) if not params and today is None else CheckContext(project, params, today)
    )
    policy = project.policy
    results = []
    for check in policy.checks_for(transition):
        if not check.applies(ctx):
            continue
        try:
            outcome = check.test(ctx)
        except UnknownYear as exc:  # a period over a year whose holidays are not entered: never a guess
            outcome = exc.message
        if outcome is True:
            passed, message = True, check.requirement
        elif outcome is None:
            passed, message = None, f"{check.requirement}（提交时核验）"
        else:
            passed, message = False, (outcome if isinstance(outcome, str) else check.requirement)
        results.append(
            CheckResult(
                code=check.code,
                severity=check.severity,
                passed=passed,
                message=message,
                source=policy.cite(check.article),
                requirement=check.requirement,
            )
        )
    if not hasattr(project, "_check_results"):
        project._check_results = {}
    project._check_results[transition] = results
    return results
