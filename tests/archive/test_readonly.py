"""Archived means read-only (issue 15 §1): every write endpoint and form of the project — enumerated from the URL
conf, the action registry and the transition table, so a new one is walked without anyone listing it — answers
an archived project with 409 and the reason, for every role that sees it; nothing of the project changes; the
pages offer no button for it. What may still be done adds to the record: an addendum, a package, a grant."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from core.errors import Conflict
from core.models import TimelineEntry
from projects.actions import ACTIONS
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock
from projects.models import DocumentVersion
from projects.services import document_upload, project_transition
from projects.transitions import TRANSITIONS
from sharing.services import resource_add
from tests.factories import CATALOGUE_ENTRY, pdf_upload

pytestmark = pytest.mark.django_db

REASON = "项目已归档"
# The steps whose states include 已归档: they add to the record, never change it (projects.readonly).
ADDS_TO_RECORD = {name for name, spec in ACTIONS.items() if ProjectState.ARCHIVED in spec.states}
PROJECT_PREFIXES = ("projects/", "api/v1/projects/", "reviews/projects/")
METHODS = ("post", "put", "patch", "delete")  # the API's; a page writes by POST only


def _routes(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def project_write_urls(project, ids: dict) -> list[str]:
    """Every address under a project, from the URL conf, its names expanded over the actions and transitions."""
    urls = set()
    for route, pattern in _routes(get_resolver()):
        route = route.lstrip("^").rstrip("$")
        if not route.startswith(PROJECT_PREFIXES) or ("<int:pk>" not in route and "<int:id>" not in route):
            continue
        names = [None]
        if "<slug:name>" in route or "<str:name>" in route:
            names = sorted(TRANSITIONS) if "transitions" in route else sorted(set(ACTIONS) - ADDS_TO_RECORD)
        elif pattern.default_args.get("name") in ADDS_TO_RECORD:
            continue
        for name in names:
            url = "/" + route.replace("<int:pk>", str(project.pk)).replace("<int:id>", str(project.pk))
            if name is not None:
                url = url.replace("<slug:name>", name).replace("<str:name>", name)
            for key, value in ids.items():
                url = url.replace(f"<int:{key}>", str(value))
            # Any other record the address names: one that does not exist (the archive's 409 comes first).
            url = re.sub(r"<int:\w+>", "999999", url)
            assert "<" not in url, f"an address the walk cannot fill in: {route}"
            urls.add(url)
    return sorted(urls)


def _shown(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return str(response.json().get("detail", ""))
    return response.content.decode()


def _clients(world):
    expert = world.experts[0].user
    users = [world.bdc, world.dept, world.finance, world.auditor, world.supervisor, world.fgw, expert]
    pages, apis = [], []
    for user in users:
        page = Client()
        page.force_login(user)
        pages.append((user, page))
        api = APIClient()
        api.force_authenticate(user=user)
        apis.append((user, api))
    return pages, apis


def _ids(project) -> dict:
    version = DocumentVersion.objects.filter(document__project=project).order_by("id").first()
    opinion = project.review_opinions.order_by("id").first()
    letter = project.letters.order_by("id").first()
    member = project.panel.order_by("id").first()
    invitation = (
        project.agency_invitations.order_by("id").first() if hasattr(project, "agency_invitations") else None
    )
    pick = lambda record: record.pk if record is not None else 999999  # noqa: E731
    return {
        "version_id": pick(version),
        "opinion_id": pick(opinion),
        "letter_id": pick(letter),
        "member_id": pick(member),
        "invitation_id": pick(invitation),
    }


def _fingerprint(project) -> tuple:
    project.refresh_from_db()
    return (
        project.state,
        project.updated_at,
        TimelineEntry.objects.filter(project=project).count(),
        DocumentVersion.objects.filter(document__project=project).count(),
        project.resources.count(),
    )


def test_every_write_endpoint_answers_an_archived_project_409_with_the_reason(world, archived):
    urls = project_write_urls(archived, _ids(archived))
    # The walk covers what it must: the project's own, the stages' forms, the API's — and every action and
    # transition by name.
    assert len(urls) > len(ACTIONS) + 2 * len(TRANSITIONS)
    for must in (
        f"/projects/{archived.pk}/edit/",
        f"/projects/{archived.pk}/documents/",
        f"/projects/{archived.pk}/resources/",
        f"/api/v1/projects/{archived.pk}/",
        f"/api/v1/projects/{archived.pk}/documents/",
        f"/api/v1/projects/{archived.pk}/resources/",
        f"/api/v1/projects/{archived.pk}/actions/score/",
        f"/api/v1/projects/{archived.pk}/transitions/archive/",
        f"/reviews/projects/{archived.pk}/draw/",
    ):
        assert must in urls, must
    before = _fingerprint(archived)
    pages, apis = _clients(world)
    writes = 0
    for url in urls:
        clients = apis if url.startswith("/api/") else pages
        for method in METHODS if url.startswith("/api/") else ("post",):
            answers = []
            for user, client in clients:
                response = getattr(client, method)(
                    url, {}, **({"format": "json"} if url.startswith("/api/") else {})
                )
                answers.append((user.username, response.status_code, response))
            if all(status == 405 for _, status, _ in answers):
                continue  # the address takes no such method: nothing to write through it
            writes += 1
            refused = [(u, s) for u, s, r in answers if s == 409 and REASON in _shown(r)]
            assert refused, (
                f"{method.upper()} {url}: nobody refused with the reason: {[(u, s) for u, s, _ in answers]}"
            )
            for username, status, response in answers:
                assert status in (403, 404, 405, 409), f"{method.upper()} {url} as {username}: {status}"
                if status == 409:
                    assert REASON in _shown(response), (url, username, _shown(response)[:300])
    # An address that refused every writing method with 405 for everyone is a read (a page, a download).
    assert writes > len(ACTIONS) + len(TRANSITIONS)
    assert _fingerprint(archived) == before


@pytest.mark.parametrize(
    "path", ["edit/", "actions/progress_report/", "actions/score/", "transitions/archive/"]
)
def test_the_forms_of_an_archived_project_show_the_refusal(world, archived, path):
    for user in (world.bdc, world.dept):
        client = Client()
        client.force_login(user)
        response = client.get(f"/projects/{archived.pk}/{path}")
        assert response.status_code == 409
        assert REASON in response.content.decode()


def test_no_button_is_offered_for_what_an_archived_project_refuses(world, archived):
    for user in (world.bdc, world.dept, world.finance, world.auditor):
        api = APIClient()
        api.force_authenticate(user=user)
        assert api.get(f"/api/v1/projects/{archived.pk}/transitions/").json() == []
        names = {a["name"] for a in api.get(f"/api/v1/projects/{archived.pk}/actions/").json()}
        assert names <= ADDS_TO_RECORD, names
        client = Client()
        client.force_login(user)
        page = client.get(f"/projects/{archived.pk}/").content.decode()
        assert "已归档 · 档案只读" in page
        assert f"/projects/{archived.pk}/edit/" not in page
        assert f'action="/projects/{archived.pk}/documents/"' not in page
        assert f'action="/projects/{archived.pk}/resources/"' not in page
        assert f"/projects/{archived.pk}/transitions/" not in page


def test_a_service_called_directly_cannot_change_an_archived_project(world, archived):
    with pytest.raises(Conflict, match=REASON):
        document_upload(project=archived, by=world.dept, kind=DocumentKind.OTHER, file=pdf_upload("x.pdf"))
    with pytest.raises(Conflict, match=REASON):
        resource_add(project=archived, by=world.dept, data=dict(CATALOGUE_ENTRY))
    with pytest.raises(Conflict, match=REASON):
        project_transition(project_id=archived.pk, name="archive", by=world.bdc, data={"comment": "再归档"})
    with pytest.raises(Conflict, match=REASON), transaction.atomic():
        project_lock(archived.pk, world.bdc)  # a write the authorisations miss stops at the lock
