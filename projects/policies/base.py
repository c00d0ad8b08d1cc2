"""What a policy is: a regulation's articles in their order, each with the checks, deadlines, documents, actors
and parameters it gives rise to, and the shapes of rule that recur across the regulations."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from core.enums import Role

from ..checks import Check
from ..deadlines import DeadlineRule
from ..enums import DocumentKind, Severity

BLOCK, WARN = Severity.BLOCK, Severity.WARN
BDC, FINANCE, DEVELOPMENT = frozenset({Role.BDC}), frozenset({Role.FINANCE}), frozenset({Role.DEVELOPMENT})
DEPARTMENT = frozenset({Role.DEPARTMENT})
SUPERVISOR = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class Criterion:
    """One item the review experts score (e.g. zhaoyuan-2021 第八条（五）)."""

    code: str
    label: str
    article: str


@dataclass(frozen=True)
class Party:
    """A party the regulation names in the acceptance group beside the drawn experts (wendeng-2021 第三十五条:
    设计单位、监理单位…; fangchenggang-2022 第二十七条: 网信办、机要保密办…), under its article. `required`: the
    regulation has it take part (laohekou-2024 第二十二条: 分别指派代表参加); otherwise it may."""

    code: str
    label: str
    article: str
    required: bool = True


@dataclass(frozen=True)
class AgencyRule:
    """An agency that must take part in the review of projects of a kind (wendeng-2021 第十二条: 公安 for
    information-security or public-video projects, 保密办 for classified ones): the start_review check that it
    was invited, and what the review page invites."""

    code: str
    kind: str  # core.enums.OrganisationKind
    who: str
    requirement: str
    article: str
    applies: Callable = lambda project: True

    def check(self) -> Check:
        def test(ctx):
            invited = any(i.organisation.kind == self.kind for i in ctx.agency_invitations)
            return invited or f"须邀请{self.who}参与审核。"

        return Check(
            self.code,
            "start_review",
            BLOCK,
            self.article,
            self.requirement,
            test,
            applies=lambda ctx: self.applies(ctx.project),
        )


@dataclass(frozen=True)
class Actor:
    """The body a regulation names for a transition or an action (who approves, who arranges supervision, who
    organises acceptance): the roles that stand for it on the platform, under its article."""

    roles: frozenset[str]
    article: str
    body: str = ""
    owner_only: bool = False
    # For an actor that depends on the project (laohekou-2024 第八条: projects adding fixed assets).
    when: Callable = lambda project: True


@dataclass(frozen=True)
class Rules:
    """What one provision gives rise to when its check and its deadline are one computation (a filing window
    checked when the contract is filed, and shown on the page until then)."""

    checks: tuple[Check, ...] = ()
    deadlines: tuple[DeadlineRule, ...] = ()


@dataclass(frozen=True)
class Article:
    """One article (条, or a numbered part 二(二) of a regulation without articles) and what it gives rise to
    on the platform. Each check and deadline keeps the citation it shows (an item 第三十六条(三), or two
    articles 第十九、二十条); `number` is the article it sits under in the regulation's order. An article the
    platform does not enforce says why in `not_enforced` (and gives rise to nothing)."""

    number: str
    summary: str
    checks: tuple[Check, ...] = ()
    deadlines: tuple[DeadlineRule, ...] = ()
    rules: tuple[Rules, ...] = ()
    # The documents a declaration carries under this article (DocumentKind values).
    documents: tuple[str, ...] = ()
    # What the review experts score.
    criteria: tuple[Criterion, ...] = ()
    # The acceptance conditions each acceptance expert gives an opinion on, and the parties beside the drawn
    # experts in the acceptance group; the experts drawn for it: (project) → how many (default: panel_size).
    acceptance_conditions: tuple[Criterion, ...] = ()
    acceptance_parties: tuple[Party, ...] = ()
    acceptance_group_size: Callable | None = None
    # Organisation kinds (core.enums.OrganisationKind) that sit in every review beside the experts, and the
    # agencies that take part in the review of projects of a kind.
    review_agencies: tuple[str, ...] = ()
    agencies: tuple[AgencyRule, ...] = ()
    # The opinions a pre-review may reach where the article names them and a 预审意见书 that states them
    # (reviews.enums.PreReviewOutcome values: gongshu-draft 四(二)); otherwise the pre-review passes or fails.
    prereview_outcomes: tuple[str, ...] = ()
    # The document a progress report's attachment is filed as where the article names one (fangchenggang-2022
    # 第二十三条: 绩效评价报告); otherwise a 进度和预算执行报告.
    progress_report_document: str = ""
    # The expert fields (reviews.enums.ExpertField values) the regulation itself asks the panel to cover.
    draw_fields: tuple[str, ...] = ()
    # Construction kinds (ConstructionKind values) the article forbids; `prohibited_check` reads them.
    prohibited: frozenset[str] = frozenset()
    # Whether a change needs approval or filing suffices: (project, aspects, amount_change, new_total) →
    # (needs approval, the reason in Chinese).
    change_rule: Callable | None = None
    # Where the article has a change needing approval re-reviewed (重新履行审核手续) by experts drawn and scoring
    # as the declaration's panel does (wendeng-2021 第十七条, zhaoyuan-2021 第十三条): what they grade.
    change_review: tuple[Criterion, ...] = ()
    # Whether the bidding requirements are confirmed by experts and a ceiling price set before procurement.
    bidding_confirmation: bool = False
    # Who takes a transition or action where the article names a body other than DOMAIN.md's default.
    actors: dict[str, tuple[Actor, ...]] = field(default_factory=dict)
    # The numbers the article sets, by name (shown in docs/policies.md).
    params: dict[str, object] = field(default_factory=dict)
    not_enforced: str = ""

    @property
    def all_checks(self) -> tuple[Check, ...]:
        return (
            *self.checks,
            *(c for r in self.rules for c in r.checks),
            *(rule.check() for rule in self.agencies),
        )

    @property
    def all_deadlines(self) -> tuple[DeadlineRule, ...]:
        return (*self.deadlines, *(d for r in self.rules for d in r.deadlines))

    @property
    def enforced(self) -> bool:
        return not self.not_enforced


class Articles(tuple):
    """A regulation's articles, in order. `get(code)` answers the article a check of that code cites (None
    when the policy runs no such check): `policy.articles.get("ANY-panel")`."""

    def get(self, code: str, default=None):
        for article in self:
            for check in article.all_checks:
                if check.code == code:
                    return check.article
        return default


@dataclass(frozen=True)
class Policy:
    """A regulation as the platform enforces it: its articles in their order, and everything the platform
    asks of a policy (checks, deadlines, documents, criteria, actors …) read from them in that order."""

    code: str
    version: str
    jurisdiction: str
    title: str
    document_number: str
    issued: date | None
    reviewing_body: str
    articles: tuple[Article, ...]
    panel_size: int = 3

    def __post_init__(self):
        object.__setattr__(self, "articles", Articles(self.articles))

    @property
    def label(self) -> str:
        return f"{self.jurisdiction}（{self.document_number}）" if self.document_number else self.jurisdiction

    @property
    def enforced_articles(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.enforced)

    @property
    def not_enforced_articles(self) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if not a.enforced)

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for a in self.articles for c in a.all_checks)

    @cached_property
    def deadlines(self) -> tuple[DeadlineRule, ...]:
        return tuple(d for a in self.articles for d in a.all_deadlines)

    @cached_property
    def declaration_documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for a in self.articles for k in a.documents))

    @cached_property
    def review_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for a in self.articles for c in a.criteria)

    @cached_property
    def acceptance_conditions(self) -> tuple[Criterion, ...]:
        return tuple(c for a in self.articles for c in a.acceptance_conditions)

    @cached_property
    def acceptance_parties(self) -> tuple[Party, ...]:
        return tuple(p for a in self.articles for p in a.acceptance_parties)

    def acceptance_group_experts(self, project) -> tuple[int, str]:
        """How many experts the acceptance group draws for this project, and the article that says so."""
        for article in self.articles:
            if article.acceptance_group_size is not None:
                return article.acceptance_group_size(project), article.number
        return self.panel_size, ""

    @cached_property
    def progress_report_document(self) -> str:
        found = [a.progress_report_document for a in self.articles if a.progress_report_document]
        return found[0] if found else DocumentKind.PROGRESS_REPORT

    @cached_property
    def prereview_letter(self) -> tuple[tuple[str, ...], str]:
        """The outcomes of the pre-review and the article whose 预审意见书 states them; ((), "") where the
        regulation names no such letter (the pre-review is recorded as 通过 / 不通过)."""
        for article in self.articles:
            if article.prereview_outcomes:
                return article.prereview_outcomes, article.number
        return (), ""

    @cached_property
    def review_agencies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for a in self.articles for k in a.review_agencies))

    @cached_property
    def agency_rules(self) -> tuple[AgencyRule, ...]:
        return tuple(r for a in self.articles for r in a.agencies)

    @cached_property
    def draw_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for a in self.articles for f in a.draw_fields))

    @cached_property
    def prohibited_kinds(self) -> frozenset[str]:
        return frozenset().union(*(a.prohibited for a in self.articles))

    @cached_property
    def bidding_confirmation(self) -> bool:
        return any(a.bidding_confirmation for a in self.articles)

    @cached_property
    def actors(self) -> dict[str, tuple[Actor, ...]]:
        """Step name → the candidates, the first whose `when` holds for the project. An optional action
        (supervision applied for, a decision taken outside the platform) applies only where its policy names
        an actor."""
        found: dict[str, tuple[Actor, ...]] = {}
        for article in self.articles:
            for name, actors in article.actors.items():
                found[name] = found.get(name, ()) + tuple(actors)
        return found

    @cached_property
    def _change(self) -> Article | None:
        return next((a for a in self.articles if a.change_rule is not None), None)

    @property
    def change_rule(self) -> Callable | None:
        return self._change.change_rule if self._change else None

    @property
    def change_article(self) -> str:
        return self._change.number if self._change else ""

    @cached_property
    def _change_review(self) -> Article | None:
        return next((a for a in self.articles if a.change_review), None)

    @property
    def change_review_article(self) -> str:
        """The article under which a change needing approval is re-reviewed by drawn experts ("" if the
        regulation has the reviewing body decide it alone)."""
        return self._change_review.number if self._change_review else ""

    @property
    def change_review_criteria(self) -> tuple[Criterion, ...]:
        return self._change_review.change_review if self._change_review else ()

    @property
    def pending_states(self) -> frozenset[str]:
        """The states in which some deadline of this policy can be pending."""
        return frozenset().union(*(rule.pending_in for rule in self.deadlines))

    def actor_for(self, name: str, project) -> Actor | None:
        return next((a for a in self.actors.get(name, ()) if a.when(project)), None)

    def cite(self, article: str) -> str:
        return f"《{self.title}》{article}"

    def checks_for(self, transition: str) -> list[Check]:
        """The checks run before `transition`, in the order of the articles that bring them."""
        return [c for c in self.checks if c.transition == transition]

    def change_decide(self, project, aspects, amount_change: Decimal, new_total: Decimal | None):
        """(needs approval, reason, source) for a change the department declares."""
        if self.change_rule is None:
            return False, "本办法未规定变更须经审核，报备即可。", ""
        needs, reason = self.change_rule(project, list(aspects), amount_change, new_total)
        return needs, reason, self.cite(self.change_article)
