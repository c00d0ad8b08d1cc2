"""What a policy is: a regulation's parameters and checks, each check citing its article."""

from dataclasses import dataclass, field
from datetime import date

from ..checks import Check
from ..enums import Severity

BLOCK, WARN = Severity.BLOCK, Severity.WARN


@dataclass(frozen=True)
class Criterion:
    """One item the review experts score (e.g. zhaoyuan-2021 第八条（五）)."""

    code: str
    label: str
    article: str


@dataclass(frozen=True)
class Policy:
    code: str
    version: str
    jurisdiction: str
    title: str
    document_number: str
    issued: date | None
    reviewing_body: str
    # Where this regulation says what DOMAIN.md asks of every project: generic check code → article.
    # A code mapped to None does not apply under this regulation (or the policy states it more strictly).
    articles: dict[str, str | None]
    checks: tuple[Check, ...] = ()
    panel_size: int = 3
    declaration_documents: tuple[str, ...] = ()
    prohibited_kinds: frozenset[str] = field(default_factory=frozenset)
    # What the review experts score, each item citing its article.
    review_criteria: tuple[Criterion, ...] = ()
    # Organisation kinds (core.enums.OrganisationKind) that take part in every review, beside the experts,
    # and the article that says so; the flag-dependent ones (公安, 保密办) are checks of the policy.
    review_agencies: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.jurisdiction}（{self.document_number}）" if self.document_number else self.jurisdiction

    def cite(self, article: str) -> str:
        return f"《{self.title}》{article}"

    def checks_for(self, transition: str) -> list[Check]:
        from .common import GENERIC_CHECKS

        generic = []
        for check in GENERIC_CHECKS:
            if check.transition != transition:
                continue
            article = self.articles.get(check.code)
            if article:
                generic.append(_with_article(check, article))
        return generic + [c for c in self.checks if c.transition == transition]


def _with_article(check: Check, article: str) -> Check:
    from dataclasses import replace

    return replace(check, article=article)


def documents_check(code: str, transition: str, article: str, kinds, requirement: str, **kw) -> Check:
    """A blocking check that the listed kinds of document have been uploaded."""
    from ..enums import DocumentKind

    def test(ctx):
        missing = ctx.missing_documents(kinds)
        return not missing or f"缺少{'、'.join(missing)}。"

    return Check(
        code,
        transition,
        kw.pop("severity", BLOCK),
        article,
        requirement or "已上传" + "、".join(DocumentKind(k).label for k in kinds),
        test,
        **kw,
    )


def prohibited_check(code: str, article: str, kinds: frozenset[str], what: str) -> Check:
    """A blocking check that the project declares none of the construction kinds the regulation forbids."""
    from ..enums import ConstructionKind

    def test(ctx):
        found = [ConstructionKind(k).label for k in ctx.project.construction_kinds if k in kinds]
        return not found or f"申报内容含{what}：{'、'.join(found)}，按规定不予审批。"

    return Check(code, "submit", BLOCK, article, f"不含{what}", test)
