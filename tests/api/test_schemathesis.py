"""Schemathesis against the API as served (/api/v1/schema/), as several roles: no server error, and every
response as the schema says (status, content type, body, headers), valid input accepted and invalid input
refused, an undeclared method a 405 with its Allow header.

Bounded for the suite: the coverage phase (each boundary the schema declares, deterministic) and a few fuzzed
examples per operation under a fixed seed, with no Hypothesis database. Each case is sent as the role that may
take the operation and as one other role in turn (anonymous among them); its project id is mapped onto the
projects built here, or left as generated (a missing one). Each request runs in a savepoint rolled back once
its response is read, so no request sees another's writes and the test leaves nothing behind."""

import itertools
import os

import pytest
import requests
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.transport.requests import multipart_serializer as requests_multipart
from schemathesis.transport.wsgi import WSGI_TRANSPORT

from core.auth import token_for
from projects.actions import ACTIONS
from projects.enums import ProjectState
from projects.models import DocumentVersion
from projects.transitions import TRANSITIONS
from reviews.models import ReviewOpinion
from tests.api.conftest import submit

# Fuzzed examples per operation beyond the coverage phase's; a deeper run: SCHEMATHESIS_MAX_EXAMPLES=50.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))

# Who may take each operation (the first role a case is sent as); the others follow in turn.
ACTOR = {
    "POST /api/v1/plan/budget/": "finance",
    "POST /api/v1/plan/ranking/": "bdc",
    "GET /api/v1/plan/": "bdc",
    "POST /api/v1/plan/ledger/": "bdc",
    "GET /api/v1/projects/{id}/letters/": "bdc",
    "POST /api/v1/projects/{id}/review-opinions/{opinion_id}/issue/": "bdc",
}
ROLE_OF = {
    "department": "dept",
    "bdc": "bdc",
    "finance": "finance",
    "supervisor": "supervisor",
    "expert": "expert",
}
OTHERS = ("dept2", "bdc", "finance", "auditor", "supervisor", "expert", "anonymous", "dept")


def _fields(body) -> set:
    return set(body.get("errors") or {}) if isinstance(body, dict) else set()


# A well-formed request the API refuses (400) for what no schema can foresee: whether it is valid depends on
# stored records, on the day or on the credentials, not on its shape. Each is told apart by what the refusal
# names; any other 400 for schema-valid input stays a failure.
STATE_DEPENDENT = {
    # credentials that do not exist (schemathesis spares an OAuth token URL this; ours is an API key)
    "POST /api/v1/auth/token/": lambda body: body.get("detail") == "用户名或密码错误。",
    # the official holiday schedule covers the years entered so far (API.md: outside them, 400 saying so)
    "GET /api/v1/workdays/": lambda body: "year" in body,
    # a cursor is one the API gave (an opaque token of a page's last row, in its `next` link)
    "GET /api/v1/projects/": lambda body: _fields(body) == {"cursor"},
    # organisations of the caller's jurisdiction
    "POST /api/v1/projects/": lambda body: _fields(body) == {"co_builders"},
    "PATCH /api/v1/projects/{id}/": lambda body: _fields(body) == {"co_builders"},
    # a file's type is judged by its content
    "POST /api/v1/projects/{id}/documents/": lambda body: _fields(body) == {"file"},
    # the departments with projects in the caller's jurisdiction (the dashboard's filter)
    "GET /api/v1/dashboard/": lambda body: _fields(body) == {"organisation"},
    # exactly the year's approved projects
    "POST /api/v1/plan/ranking/": lambda body: _fields(body) == {"project_ids"},
    # dates judged against today: a contract signed no later than today, after its award; a deadline to come
    "POST /api/v1/projects/{id}/transitions/file_contract/": lambda body: (
        bool(_fields(body)) and _fields(body) <= {"signed_on", "awarded_on"}
    ),
    "POST /api/v1/projects/{id}/transitions/fail_acceptance/": lambda body: (
        _fields(body) == {"rectification_deadline"}
    ),
    # the fields an action takes depend on its name, the project's policy (its review criteria) and records
    # (the change, the resource, the expert it names) and the day: GET actions/ describes them (API.md); one
    # operation's body cannot say so
    "POST /api/v1/projects/{id}/actions/{name}/": lambda body: bool(_fields(body)),
}


def filter_failure(context, failure, case, response):
    exempt = STATE_DEPENDENT.get(case.operation.label)
    if exempt is None or not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    try:
        body = response.json()
    except ValueError:
        return True
    return not exempt(body)


class RolledBackApp:
    """Django's WSGI application, each request inside a savepoint rolled back once its body is read."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        with transaction.atomic():
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()
            transaction.set_rollback(True)
        return [body]


def multipart_as_clients_send_it(ctx, value):
    """A multipart body encoded as requests (and curl, and browsers) encode it. Werkzeug's own encoder writes a
    field sent empty as a part with no body at all, which Django reads as no field; a real client's empty part
    is read as "" (and refused where the schema refuses it). Without this the check would judge the encoder."""
    sent = requests_multipart(ctx, value)
    if "headers" in sent:  # a raw or empty body, encoded already
        return {"data": sent["data"], "content_type": sent["headers"]["Content-Type"]}
    if "files" not in sent:
        return sent
    parts = list(sent["files"] or [])
    for name, values in (sent["data"] or {}).items():
        parts += [(name, (None, v)) for v in (values if isinstance(values, list) else [values])]
    prepared = requests.PreparedRequest()
    prepared.prepare_headers(None)
    prepared.prepare_body(None, parts)
    return {"data": prepared.body, "content_type": prepared.headers["Content-Type"]}


@pytest.fixture
def app(db):
    # As Django's test client does: a request must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    werkzeug_multipart = WSGI_TRANSPORT._serializers["multipart/form-data"]
    WSGI_TRANSPORT.serializer("multipart/form-data")(multipart_as_clients_send_it)
    try:
        yield RolledBackApp()
    finally:
        WSGI_TRANSPORT.serializer("multipart/form-data")(werkzeug_multipart)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def data(world):
    """Projects each role sees in different states, built through the services."""
    draft = world.project(name="草稿项目")
    declared = submit(world, world.project(name="已申报项目"))
    reviewing = world.project_in_state(ProjectState.REVIEWING, name="评审中项目")
    approved = world.project_in_state(ProjectState.APPROVED, name="已立项项目")
    classified = submit(world, world.project(name="涉密项目", is_classified=True))
    other = submit(world, world.project(name="他人项目", by=world.dept2))
    projects = [draft, declared, reviewing, approved, classified, other]
    tokens = {
        name: token_for(getattr(world, name)).key for name in OTHERS if name not in ("expert", "anonymous")
    }
    tokens["expert"] = token_for(world.experts[0].user).key
    tokens["anonymous"] = None
    known = {
        "id": [p.pk for p in projects],
        "version_id": list(
            DocumentVersion.objects.filter(document__project__in=projects)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "opinion_id": list(
            ReviewOpinion.objects.filter(project__in=projects).order_by("pk").values_list("pk", flat=True)
        ),
    }
    return {"known": known, "tokens": tokens, "turn": itertools.count()}


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)


@pytest.fixture
def api_schema(request, app, data):
    # schemathesis (4.32) renames the running item through `Node._nodeid`, which pytest 9.2 no longer has.
    request.node._nodeid = request.node.nodeid
    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", app, config=CONFIG)
    loaded.hook(filter_failure)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


def _actor(case) -> str:
    label = case.operation.label
    spec = None
    if "/transitions/" in label:
        spec = TRANSITIONS.get(label.rstrip("/").rsplit("/", 1)[1])
    elif "/actions/{name}/" in label and isinstance(case.path_parameters, dict):
        spec = ACTIONS.get(case.path_parameters.get("name"))
    if spec is not None:
        return ROLE_OF.get(sorted(spec.roles)[0], "dept")
    return ACTOR.get(label, "dept")


@schema.parametrize()
# The projects are built once for all of an operation's examples on purpose (HealthCheck.function_scoped_fixture),
# and a request's time is not the generator's (deadline, too_slow): Hypothesis's health checks are about the
# generation, not the API, and no schemathesis check is turned off.
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms_to_schema(case, data):
    # A generated id lands on one of the records built here, or (one time in n + 1) stays as generated: missing.
    for name, ids in data["known"].items():
        value = case.path_parameters.get(name) if isinstance(case.path_parameters, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value % (len(ids) + 1) < len(ids):
            case.path_parameters[name] = ids[value % (len(ids) + 1)]
    actor = _actor(case)
    other = OTHERS[next(data["turn"]) % len(OTHERS)]
    for role in dict.fromkeys((actor, other)):
        token = data["tokens"][role]
        case.call_and_validate(headers={"Authorization": f"Token {token}"} if token else None)
