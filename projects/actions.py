"""Actions (API.md, *Actions*): the steps that record something on a project without changing its state — a
pre-review, a draw, a score sheet, a supervisor's assignment, a self-evaluation.

Each app declares its own beside its services (`reviews.actions`, `acceptance.actions`, `sharing.actions`) and
registers them in its AppConfig.ready(), so projects imports none of them. An action has the transitions' shape:
a name, a label, the states it belongs to, the roles that take it by default (the project's policy may name
another body, `Policy.actors`, and an optional action applies only where its policy names who takes it), the
form of its fields, and the service it calls. The page and the API both go through `project_action`, and its
checks come from the policy exactly as a transition's do (`evaluate_checks`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import Subquery
from django.db.models.functions import Coalesce

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted, form_message
from core.fields import form_data, form_describe
from core.timeline import timeline_checks

from .checks import CheckResult, evaluate_checks
from .locks import project_lock
from .readonly import step_writable


def form_plain(cls):
    """An ActionSpec's `form` for a form that needs only what was sent."""
    return lambda project, user, data=None, files=None: cls(data, files)


def form_with_project(cls):
    """An ActionSpec's `form` for a form whose choices depend on the project (`cls(data, files, project=)`)."""
    return lambda project, user, data=None, files=None: cls(data, files, project=project)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    states: frozenset[str]
    roles: frozenset[str]
    # form(project, user, data=None, files=None) → a Django form: its fields are the action's fields.
    form: Callable[..., forms.Form]
    # run(project, cleaned_data, by) → the record made: the service the page and the API both call.
    run: Callable
    # The 201 body: the record's id and fields.
    describe: Callable[[object], dict] = lambda record: {"id": getattr(record, "pk", None)}
    repeatable: bool = True
    owner_only: bool = False
    # Applies only where the project's policy names who takes it (supervision applied for, a decision taken
    # outside the platform, the bidding confirmation).
    optional: bool = False
    applies: Callable[[object], bool] = lambda project: True
    # Whether there is anything to take it on now (a pending change to decide, an invitation to record):
    # the list leaves it out until there is; a POST is still answered, with what is missing.
    ready: Callable[[object], bool] = lambda project: True
    # The timeline actions the service writes: `taken` counts the caller's entries of them in this state.
    audit_actions: tuple[str, ...] = ()
    # Where the browser goes back to after it: (project) → URL; None: the project page.
    back: Callable | None = None
    section: str = ""
    help: str = ""
    # What the page tells the user once it is done: (record) → a sentence; None: "已办理“label”".
    done: Callable[[object], str] | None = None
    # For a step only some holders of the role take on this project (an expert of the acceptance group):
    # (project, user) → whether this user is one of them. None: every holder of the role.
    member: Callable | None = None


ACTIONS: dict[str, ActionSpec] = {}


def action_register(*specs: ActionSpec) -> None:
    """Called from an app's AppConfig.ready(). A name is registered once (API.md fixes the names)."""
    for spec in specs:
        existing = ACTIONS.get(spec.name)
        if existing is not None and existing is not spec:
            raise RuntimeError(f"action {spec.name} registered twice")
        ACTIONS[spec.name] = spec


@dataclass(frozen=True)
class Acting:
    """Who takes a step on this project: the roles, whether only the declaring department, and why."""

    roles: frozenset[str]
    owner_only: bool
    source: str = ""

    def admits(self, user, project) -> bool:
        if user is None or user.role not in self.roles:
            return False
        if self.owner_only and user.role == Role.DEPARTMENT:
            return project.organisation_id == user.organisation_id
        return True

    @property
    def who(self) -> str:
        return "、".join(Role(r).label for r in sorted(self.roles))

    def refusal(self, label: str, user) -> str:
        """Why `user` may not take the step, in one sentence with the article naming the body."""
        source = f"（{self.source}）" if self.source else ""
        if user is not None and user.role in self.roles:
            return f"“{label}”只能由项目的申报单位办理{source}。"
        return f"“{label}”只能由{self.who}办理{source}。"


def acting(
    project, name: str, roles: frozenset[str], owner_only: bool, optional: bool = False
) -> Acting | None:
    """Who takes the transition or action `name` on this project: the body its policy names, else the default.
    None: an optional step its policy does not name (it does not apply)."""
    actor = project.policy.actor_for(name, project)
    if actor is None:
        return None if optional else Acting(roles, owner_only)
    return Acting(actor.roles, actor.owner_only, project.policy.cite(actor.article) if actor.article else "")


def action_acting(project, spec: ActionSpec) -> Acting | None:
    if not spec.applies(project):
        return None
    return acting(project, spec.name, spec.roles, spec.owner_only, spec.optional)


def policies_where_role_acts(name: str, roles: frozenset[str], role: str) -> frozenset[str]:
    """The codes of the policies under which `role` may take step `name` on some project: one of the bodies the
    policy names for it, or — where it names none — one of the step's default `roles`. A home page reads only
    those policies' projects, and none when the role never takes the step."""
    from .policies import POLICIES

    return frozenset(
        code
        for code, policy in POLICIES.items()
        if any(role in actor.roles for actor in policy.actors.get(name, ()))
        or (not policy.actors.get(name) and role in roles)
    )


def actor_allowed(project, name: str, user) -> bool:
    """Whether `user` is the body the project's policy names for action `name` (services check it too, so a
    direct call cannot take a step its regulation gives to someone else)."""
    spec = ACTIONS.get(name)
    who = action_acting(project, spec) if spec else None
    return who is not None and who.admits(user, project)


@dataclass(frozen=True)
class AvailableAction:
    spec: ActionSpec
    checks: list[CheckResult]
    fields: list[dict]
    taken: int = 0
    acting: Acting | None = None

    @property
    def allowed(self) -> bool:
        return not any(c.blocking_failure for c in self.checks)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label


def _taken_counts(project, user, specs) -> dict[str, int]:
    """The user's timeline entries of each action since the project's last state change (one query)."""
    from core.models import TimelineEntry

    wanted = {a for s in specs for a in s.audit_actions}
    if not wanted:
        return {}
    last_change = (
        TimelineEntry.objects.filter(project=project).exclude(to_state="").order_by("-seq").values("seq")[:1]
    )
    rows = (
        TimelineEntry.objects.filter(project=project, actor=user, action__in=wanted)
        .filter(seq__gt=Coalesce(Subquery(last_change), 0))
        .values_list("action", flat=True)
    )
    found: dict[str, int] = {}
    for action in rows:
        found[action] = found.get(action, 0) + 1
    return {s.name: sum(found.get(a, 0) for a in s.audit_actions) for s in specs}


def actions_available(*, project, user, describe: bool = True) -> list[AvailableAction]:
    """The actions of the project's current state that `user` may take now, each with its checks and (unless a
    page only lists them: `describe=False`) the description of its fields and how often the user took it."""
    if user is None or not user.is_authenticated:
        return []
    mine = []
    for spec in ACTIONS.values():
        if project.state not in spec.states:
            continue
        who = action_acting(project, spec)
        if (
            who is not None
            and who.admits(user, project)
            and (spec.member is None or spec.member(project, user))
            and spec.ready(project)
        ):
            mine.append((spec, who))
    taken = _taken_counts(project, user, [s for s, _ in mine]) if describe else {}
    return [
        AvailableAction(
            spec=spec,
            checks=evaluate_checks(project, spec.name, params={}),
            fields=form_describe(spec.form(project, user)) if describe else [],
            taken=taken.get(spec.name, 0),
            acting=who,
        )
        for spec, who in mine
    ]


def action_authorise(*, project, name: str, by) -> ActionSpec:
    """Whether `by` may ever take action `name` on this project, before anything it sent is read: 404 for a step
    that does not exist or does not apply to the project, 403 for one that is not theirs to take. The pages
    and the API ask this before they validate a form or look up what it names (a change, a letter); the
    action itself asks again under the project's lock."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise NotFound(f"没有名为“{name}”的事项。")
    step_writable(project, spec.states, spec.label)  # archived: read-only for everyone (projects.readonly)
    who = action_acting(project, spec)
    if who is None and (by is None or by.role not in spec.roles):
        raise NotPermitted(f"无权办理“{spec.label}”。")  # authorisation first: a refusal teaches nothing
    if who is None:
        raise NotFound(f"按本项目适用的《{project.policy.title}》，“{spec.label}”不适用于本项目。")
    if not who.admits(by, project):
        raise NotPermitted(who.refusal(spec.label, by))
    if spec.member is not None and not spec.member(project, by):
        raise NotPermitted(f"“{spec.label}”只能由本项目指定的{who.who}办理。")
    return spec


def project_action(*, project_id: int, name: str, by, data=None, files=None):
    """Take action `name` on a project: lock it, check who acts, the state, the input and the policy's checks,
    then call the action's service in the same transaction. Refusals in the order a caller can act on them:
    404 (no such project for you, or the step does not apply to it), 403 (not yours to take), 409 (not now,
    or a rule forbids it), 400 (what was sent is malformed)."""
    with transaction.atomic():
        # An archived project: the step's states decide (action_authorise), not the lock.
        project = project_lock(project_id, by, archived_ok=True)
        spec = action_authorise(project=project, name=name, by=by)
        if project.state not in spec.states:
            raise Conflict(
                f"项目当前状态为“{project.get_state_display()}”，不能{spec.label}。", extra={"checks": []}
            )
        plain, uploads = form_data(data, files)
        form = spec.form(project, by, plain, uploads)
        if not form.is_valid():
            raise InvalidInput(form_message(form), extra={"errors": form.errors.get_json_data()})
        checks = evaluate_checks(project, name, params=form.cleaned_data)
        failing = [c for c in checks if c.blocking_failure]
        if failing:
            raise Conflict(
                f"不能{spec.label}：" + "；".join(f"{c.message}（{c.source}）" for c in failing),
                extra={"checks": [c.as_dict() for c in failing]},
            )
        with timeline_checks(project, [c.as_dict() for c in checks]):
            record = spec.run(project, form.cleaned_data, by)
    return record
