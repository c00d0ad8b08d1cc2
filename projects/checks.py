"""Rule checks: data plus a predicate. The transition guard, the API's `checks` and the checklist a page
shows before each action all come from `evaluate_checks`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import timezone

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


class CheckContext:
    """What a check may look at: the project, the values entered with the action, and the project's
    records, each loaded once however many checks read it."""

    def __init__(self, project, params: dict | None = None, today: date | None = None):
        self.project = project
        self.params = params or {}
        self.today = today or timezone.localdate()

    @property
    def policy(self):
        return self.project.policy

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

    @cached_property
    def versions(self) -> list:
        from .models import DocumentVersion

        return list(DocumentVersion.objects.filter(document__project=self.project).select_related("document"))

    @cached_property
    def document_kinds(self) -> set[str]:
        return {v.document.kind for v in self.versions}

    def latest_version(self, kind: str):
        found = [v for v in self.versions if v.document.kind == kind]
        return max(found, key=lambda v: (v.uploaded_at, v.pk)) if found else None

    def missing_documents(self, kinds) -> list[str]:
        from .enums import DocumentKind

        return [DocumentKind(k).label for k in kinds if k not in self.document_kinds]

    @cached_property
    def resources(self) -> list:
        return list(self.project.resources.all())

    @cached_property
    def prereview(self):
        return self.project.prereviews.order_by("-at", "-id").first()

    @cached_property
    def panel(self) -> list:
        return list(self.project.panel.filter(active=True).select_related("expert__user", "expert__employer"))

    @cached_property
    def agency_invitations(self) -> list:
        return list(self.project.agency_invitations.select_related("organisation"))

    @cached_property
    def review_opinion(self):
        return self.project.review_opinions.order_by("-issued_at", "-id").first()

    @cached_property
    def contract_filing(self):
        return self.project.contract_filings.order_by("-filed_at", "-id").first()

    @cached_property
    def supervisor(self):
        return self.project.supervisor_assignments.select_related("organisation").order_by("-id").first()

    @cached_property
    def completion(self):
        return self.project.completions.order_by("-id").first()

    @cached_property
    def acceptance_application(self):
        return self.project.acceptance_applications.order_by("-id").first()

    @cached_property
    def acceptance_result(self):
        return self.project.acceptance_results.order_by("-id").first()

    @cached_property
    def evaluation(self):
        return self.project.evaluations.order_by("-id").first()


def evaluate_checks(
    project, transition: str, params: dict | None = None, today: date | None = None
) -> list[CheckResult]:
    """Run every check the project's policy attaches to `transition`. The results are kept on the
    instance so the FSM condition of the same attempt reads them instead of running them again."""
    ctx = CheckContext(project, params, today)
    policy = project.policy
    results = []
    for check in policy.checks_for(transition):
        if not check.applies(ctx):
            continue
        outcome = check.test(ctx)
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
