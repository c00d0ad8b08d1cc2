"""The 领导 reads its whole jurisdiction like the auditor and changes nothing: no action and no transition of
the registries admits it under any policy, and every write door (API and page) refuses it with a 403."""

import pytest
from django.test import Client

from core.enums import Role
from core.errors import NotPermitted
from projects.actions import ACTIONS, action_acting, action_authorise
from projects.enums import ProjectState
from projects.policies import POLICIES
from projects.services import document_access_grant, transition_acting, transition_authorise
from projects.transitions import TRANSITIONS
from tests.factories import World, pdf_upload

from .conftest import leader_of

BACKEND = "django.contrib.auth.backends.ModelBackend"
# Projects whose flags make some policies name other bodies (公安, 保密办, 发展改革, the supervisor …).
FLAGS = [
    {},
    {"is_classified": True, "has_video": True, "is_security": True},
    {"adds_fixed_assets": True, "is_cross_department": True, "is_emergency": True},
]


def test_the_registries_are_not_empty():
    assert len(TRANSITIONS) >= 15 and len(ACTIONS) >= 20  # what the tests below enumerate


@pytest.mark.parametrize("policy_code", sorted(POLICIES))
def test_no_action_and_no_transition_admits_the_leader_under_any_policy(db, policy_code):
    world = World(policy_code)
    leader = leader_of(world)
    for flags in FLAGS:
        project = world.project(**flags)
        for name, spec in TRANSITIONS.items():
            assert not transition_acting(project, spec).admits(leader, project), (policy_code, name)
            with pytest.raises(NotPermitted):
                transition_authorise(project=project, name=name, by=leader)
        for name, spec in ACTIONS.items():
            who = action_acting(project, spec)
            assert who is None or not who.admits(leader, project), (policy_code, name)
            with pytest.raises(NotPermitted):
                action_authorise(project=project, name=name, by=leader)
    assert not leader.has_perm("projects.run_transition", project)
    assert not leader.has_perm("projects.add_document", project)
    assert not leader.has_perm("projects.change_project", project)
    assert not leader.has_perm("projects.register_catalogue", project)
    assert not leader.has_perm("projects.grant_access", project)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_every_action_and_transition_over_the_api_and_the_pages_is_403_and_writes_nothing(scene, api):
    leader = scene.leader
    for project in (scene.a, scene.b, scene.c):  # 已立项, 不予立项, 建设中
        before = project.timeline.count(), project.documents.count()
        for name in TRANSITIONS:
            response = api(leader).post(
                f"/api/v1/projects/{project.pk}/transitions/{name}/", {}, format="json"
            )
            assert response.status_code == 403, (project.state, name, response.content)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
            page = _client(leader).post(f"/projects/{project.pk}/transitions/{name}/", {"comment": "x"})
            assert page.status_code == 403, (project.state, name)
        for name, spec in ACTIONS.items():
            response = api(leader).post(f"/api/v1/projects/{project.pk}/actions/{name}/", {}, format="json")
            assert response.status_code == 403, (project.state, name, response.content)
            page = _client(leader).post(f"/projects/{project.pk}/actions/{name}/", {})
            expected = 404 if action_acting(project, spec) is None else 403  # a step its policy does not have
            assert page.status_code == expected, (project.state, name)
        upload = api(leader).post(
            f"/api/v1/projects/{project.pk}/documents/",
            {"kind": "construction_plan", "file": pdf_upload()},
            format="multipart",
        )
        assert upload.status_code == 403
        assert (
            api(leader).patch(f"/api/v1/projects/{project.pk}/", {"name": "改"}, format="json").status_code
            == 403
        )
        assert (project.timeline.count(), project.documents.count()) == before
        # Nothing is offered to it to take.
        assert api(leader).get(f"/api/v1/projects/{project.pk}/actions/").json() == []
        assert api(leader).get(f"/api/v1/projects/{project.pk}/transitions/").json() == []


def test_the_leader_sees_the_jurisdiction_but_no_draft(scene, api):
    client = _client(scene.leader)
    for project in (scene.a, scene.b, scene.c):
        assert client.get(f"/projects/{project.pk}/").status_code == 200
    for draft in (scene.d, scene.e):  # never submitted; returned for revision
        assert client.get(f"/projects/{draft.pk}/").status_code == 404
        assert api(scene.leader).get(f"/api/v1/projects/{draft.pk}/").status_code == 404
    listed = {p["id"] for p in api(scene.leader).get("/api/v1/projects/").json()["results"]}
    assert listed == {scene.a.pk, scene.b.pk, scene.c.pk}


def test_the_leader_reads_a_classified_projects_documents_only_when_granted(world, leader):
    project = world.project_in_state(ProjectState.DECLARED, is_classified=True)
    assert leader.has_perm("projects.view_project", project)
    assert not leader.has_perm("projects.view_documents", project)
    version = project.documents.first().versions.first()
    download = f"/projects/{project.pk}/documents/{version.pk}/download/"
    assert _client(leader).get(download).status_code == 403

    from projects.grants import GrantForm

    assert leader in GrantForm(project=project).fields["user"].queryset  # the BDC can grant it
    document_access_grant(project=project, user=leader, by=world.bdc, reason="领导审阅")
    assert leader.has_perm("projects.view_documents", project)
    response = _client(leader).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()


def test_the_leaders_home_page_is_the_dashboard(scene):
    response = _client(scene.leader).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>数据看板</h1>" in html and 'id="chart-stages"' in html
    assert scene.leader.role == Role.LEADER


def test_the_leader_reads_the_review_on_the_project_page_but_gets_no_form(world, leader):
    """The review (pre-review, panel, opinions, their letters) is on the record the leaders oversee; the BDC's
    forms for it are not theirs."""
    project = world.project_in_state(ProjectState.APPROVED)
    html = _client(leader).get(f"/projects/{project.pk}/").content.decode()
    assert '<section class="card" id="review">' in html and "<h2>预审与评审</h2>" in html
    expert = project.panel.filter(active=True).select_related("expert__user").first().expert
    assert str(expert) in html
    assert 'name="outcome"' not in html and 'name="organisation"' not in html  # no pre-review, no invitation
