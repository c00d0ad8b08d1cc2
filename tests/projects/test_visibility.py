"""Who sees which project (selectors.project_visible_to) and what each role may do (projects.rules)."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from acceptance.models import SupervisorAssignment
from acceptance.services import supervisor_assign
from core.enums import OrganisationKind, Role
from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from projects.selectors import project_get, project_visible_to
from projects.services import document_access_grant, document_upload, project_transition
from reviews.models import PanelMember
from tests.factories import OrganisationFactory, UserFactory, World, pdf_upload
from tests.factories.records import panel_assign


class Scene:
    """dept's own project, dept2's project co-built with dept, dept2's own, and one in another jurisdiction."""

    def __init__(self, world: World):
        self.world = world
        self.own = world.project(name="教育局自建项目")
        self.cobuilt = world.project(by=world.dept2, name="卫健局牵头共建项目", co_builders=[world.dept_org])
        self.dept2_only = world.project(by=world.dept2, name="卫健局自建项目")

        def foreign_org(kind, name):
            return OrganisationFactory(
                jurisdiction__code="zhaoyuan",
                jurisdiction__name="招远市",
                jurisdiction__policy_code="zhaoyuan-2021",
                jurisdiction__project_prefix="ZY",
                kind=kind,
                name=name,
            )

        def foreign_user(name, role, org):
            return UserFactory(username=name, role=role, organisation=org)

        self.foreign_dept = foreign_user(
            "zy_dept", Role.DEPARTMENT, foreign_org(OrganisationKind.DEPARTMENT, "招远市教育局")
        )
        self.foreign = {
            "bdc": foreign_user(
                "zy_bdc", Role.BDC, foreign_org(OrganisationKind.BDC, "招远市大数据服务中心")
            ),
            "finance": foreign_user(
                "zy_fin", Role.FINANCE, foreign_org(OrganisationKind.FINANCE, "招远市财政局")
            ),
            "auditor": foreign_user(
                "zy_aud", Role.AUDITOR, foreign_org(OrganisationKind.AUDIT, "招远市审计局")
            ),
        }
        from projects.services import project_create
        from tests.factories import PROJECT_DEFAULTS

        self.abroad = project_create(by=self.foreign_dept, data={**PROJECT_DEFAULTS, "name": "招远市项目"})
        # Declared, so that the jurisdiction's staff see them: a draft never submitted is its department's own.
        for project in (self.own, self.cobuilt, self.dept2_only, self.abroad):
            declared(project)

    @property
    def local(self):
        return {self.own.pk, self.cobuilt.pk, self.dept2_only.pk}


def declared(project) -> Project:
    """The project as if submitted (declared_at set): what visibility reads, without the submission's documents."""
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())
    project.refresh_from_db()
    return project


def returned_for_revision(world, state=ProjectState.DECLARED, **overrides) -> Project:
    """A project submitted, then sent back to draft by the BDC (退回修改: declared_at kept)."""
    project = world.project_in_state(state, **overrides)
    project_transition(
        project_id=project.pk,
        name="return_for_revision",
        by=world.bdc,
        data=world.transition_data("return_for_revision"),
    )
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT and project.declared_at is not None
    return project


@pytest.fixture
def scene(world):
    return Scene(world)


def visible(user) -> set[int]:
    return set(project_visible_to(user).values_list("pk", flat=True))


def test_department_sees_own_and_cobuilt_only(scene):
    w = scene.world
    assert visible(w.dept) == {scene.own.pk, scene.cobuilt.pk}
    assert visible(w.dept2) == {scene.cobuilt.pk, scene.dept2_only.pk}
    assert visible(scene.foreign_dept) == {scene.abroad.pk}
    assert w.dept.has_perm("projects.view_project", scene.cobuilt)
    assert not w.dept.has_perm("projects.view_project", scene.dept2_only)
    assert not w.dept2.has_perm("projects.view_project", scene.own)
    assert project_get(user=w.dept2, pk=scene.own.pk) is None
    assert project_get(user=w.dept, pk=scene.own.pk) == scene.own


def test_department_visibility_has_no_duplicates_with_several_cobuilders(scene):
    w = scene.world
    third = OrganisationFactory(jurisdiction=w.jurisdiction, name="区民政局")
    scene.cobuilt.co_builders.add(third)
    assert list(project_visible_to(w.dept).values_list("pk", flat=True)).count(scene.cobuilt.pk) == 1


@pytest.mark.parametrize("role", ["bdc", "finance", "auditor"])
def test_jurisdiction_staff_see_all_of_their_jurisdiction_only(scene, role):
    local_user = getattr(scene.world, role)
    foreign_user = scene.foreign[role]
    assert visible(local_user) == scene.local
    assert visible(foreign_user) == {scene.abroad.pk}
    for project in (scene.own, scene.cobuilt, scene.dept2_only):
        assert local_user.has_perm("projects.view_project", project)
        assert not foreign_user.has_perm("projects.view_project", project)
    assert not local_user.has_perm("projects.view_project", scene.abroad)
    assert foreign_user.has_perm("projects.view_project", scene.abroad)


def test_expert_sees_only_active_assignments(world):
    assigned = world.project_in_state(ProjectState.REVIEWING)  # the walk assigns world.experts to the panel
    other = world.project_in_state(ProjectState.DECLARED)
    expert, outsider = world.experts[0].user, world.outsider_expert.user
    assert visible(expert) == {assigned.pk}
    assert visible(outsider) == set()
    assert expert.has_perm("projects.view_project", assigned)
    assert not expert.has_perm("projects.view_project", other)
    assert not outsider.has_perm("projects.view_project", assigned)

    # Re-drawing the panel without the expert takes the project out of their sight.
    panel_assign(project=other, by=world.bdc, experts=[world.experts[0]])
    assert visible(expert) == {assigned.pk, other.pk}
    panel_assign(project=other, by=world.bdc, experts=[world.outsider_expert])
    assert PanelMember.objects.filter(project=other, expert=world.experts[0], active=False).count() == 1
    assert visible(expert) == {assigned.pk}
    assert visible(outsider) == {other.pk}
    assert not expert.has_perm("projects.view_project", other)
    assert outsider.has_perm("projects.view_project", other)


def test_supervisor_sees_only_assigned_projects(world):
    assigned = world.project_in_state(ProjectState.APPROVED)
    other = world.project_in_state(ProjectState.APPROVED)
    assert visible(world.supervisor) == set()
    supervisor_assign(project=assigned, by=world.dept, organisation=world.supervisor_org)
    assert visible(world.supervisor) == {assigned.pk}
    assert world.supervisor.has_perm("projects.view_project", assigned)
    assert not world.supervisor.has_perm("projects.view_project", other)
    # A supervisor may file supervision reports, never run a transition or edit the project.
    assert world.supervisor.has_perm("projects.add_document", assigned)
    assert not world.supervisor.has_perm("projects.run_transition", assigned)
    assert not world.supervisor.has_perm("projects.change_project", assigned)


def test_operators_see_no_projects(scene):
    for user in (scene.world.sysadmin, scene.world.secadmin, scene.world.auditadmin):
        assert visible(user) == set()


def test_selector_and_rules_agree_for_every_user(scene):
    w = scene.world
    users = [
        *w.users.values(),
        w.experts[0].user,
        w.outsider_expert.user,
        scene.foreign_dept,
        *scene.foreign.values(),
    ]
    projects = [scene.own, scene.cobuilt, scene.dept2_only, scene.abroad]
    for user in users:
        seen = visible(user)
        for project in projects:
            assert user.has_perm("projects.view_project", project) == (project.pk in seen), (
                user.username,
                project,
            )


def test_auditor_reads_but_changes_nothing(world):
    # The draft the auditor sees is one returned for revision; a draft never submitted they do not see at all.
    for project in (returned_for_revision(world), world.project_in_state(ProjectState.CONSTRUCTION)):
        assert world.auditor.has_perm("projects.view_project", project)
        assert world.auditor.has_perm("projects.view_documents", project)
        assert not world.auditor.has_perm("projects.change_project", project)
        assert not world.auditor.has_perm("projects.add_document", project)
        assert not world.auditor.has_perm("projects.run_transition", project)
        assert not world.auditor.has_perm("projects.grant_access", project)
        assert not world.auditor.has_perm("projects.change_catalogue", project)


def test_who_may_change_a_draft(world):
    project = world.project_in_state(ProjectState.DRAFT)
    assert world.dept.has_perm("projects.change_project", project)
    for name in ("dept2", "bdc", "finance", "auditor", "supervisor"):
        assert not getattr(world, name).has_perm("projects.change_project", project), name
    declared = world.project_in_state(ProjectState.DECLARED)
    assert not world.dept.has_perm("projects.change_project", declared)


def test_upload_permission_by_role_and_state(world):
    active = world.project_in_state(ProjectState.CONSTRUCTION)
    archived = world.project_in_state(ProjectState.ARCHIVED)
    assert world.dept.has_perm("projects.add_document", active)
    assert world.bdc.has_perm("projects.add_document", active)
    assert world.finance.has_perm("projects.add_document", active)
    assert not world.dept2.has_perm("projects.add_document", active)
    assert not world.experts[0].user.has_perm("projects.add_document", active)
    for name in ("dept", "bdc", "finance", "auditor"):
        assert not getattr(world, name).has_perm("projects.add_document", archived), name


def test_classified_documents_need_a_grant(world):
    project = world.project(name="涉密业务系统", is_classified=True)
    declared(project)  # the jurisdiction's staff see it from its submission on
    version = document_upload(
        project=project, by=world.dept, kind=DocumentKind.CONSTRUCTION_PLAN, file=pdf_upload("plan.pdf")
    )
    assert version.number == 1
    cobuilder_user = UserFactory(username="cob", role=Role.DEPARTMENT, organisation=world.dept2_org)
    project.co_builders.add(world.dept2_org)

    assert world.dept.has_perm("projects.view_documents", project)
    for user in (world.bdc, world.finance, world.auditor, cobuilder_user):
        assert user.has_perm("projects.view_project", project), user.username
        assert not user.has_perm("projects.view_documents", project), user.username
    assert not world.experts[0].user.has_perm("projects.view_documents", project)

    grant = document_access_grant(project=project, user=world.auditor, by=world.bdc)
    assert grant.granted_by == world.bdc
    assert world.auditor.has_perm("projects.view_documents", project)
    assert not world.finance.has_perm("projects.view_documents", project)
    assert project.timeline.filter(action="projects.document.grant", data__user="auditor").count() == 1


def test_only_bdc_grants_classified_access(world):
    from core.errors import NotPermitted

    project = world.project(name="涉密业务系统", is_classified=True)
    for by in (world.dept, world.finance, world.auditor):
        with pytest.raises(NotPermitted):
            document_access_grant(project=project, user=world.finance, by=by)
    assert project.access_grants.count() == 0


def test_unclassified_documents_readable_by_whoever_sees_the_project(world):
    project = declared(world.project(name="普通项目"))
    for user in (world.dept, world.bdc, world.finance, world.auditor):
        assert user.has_perm("projects.view_documents", project), user.username
    assert not world.dept2.has_perm("projects.view_documents", project)


# ---- drafts: the department's own until first submitted ----------------------------------------------------

DRAFT_NAME = "未报送草稿测试项目"
OUTSIDERS = ("bdc", "finance", "auditor", "fgw", "supervisor", "dept2")


def _web(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _api_ids(user, **params) -> set[int]:
    response = _api(user).get("/api/v1/projects/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return {p["id"] for p in response.json()["results"]}


def _web_list(user, **params) -> set[int]:
    response = _web(user).get("/projects/", params)
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


def _home_counts(user) -> dict[str, int]:
    response = _web(user).get("/")
    assert response.status_code == 200
    return {state.value: n for state, _label, n in response.context["summary"]}


def _seen_everywhere(user, project) -> bool:
    """Whether `user` sees the project in every door, or in none (a door that disagrees fails the test)."""
    doors = {
        "rule": user.has_perm("projects.view_project", project),
        "selector": project.pk in visible(user),
        "page": _web(user).get(f"/projects/{project.pk}/").status_code == 200,
        "api": _api(user).get(f"/api/v1/projects/{project.pk}/").status_code == 200,
        "list": project.pk in _web_list(user),
        "search": project.pk in _web_list(user, q=project.name),
        "api_list": project.pk in _api_ids(user),
        "api_search": project.pk in _api_ids(user, q=project.code),
        "home_count": _home_counts(user).get(project.state, 0) == 1,
    }
    assert len(set(doors.values())) == 1, (user.username, doors)
    return doors["rule"]


@pytest.fixture
def unsubmitted_draft(world):
    cobuilder_org = OrganisationFactory(jurisdiction=world.jurisdiction, name="区住房和城乡建设局")
    project = world.project(name=DRAFT_NAME, co_builders=[cobuilder_org])
    # Even a supervisor already arranged for it does not see a draft.
    SupervisorAssignment.objects.create(
        project=project, organisation=world.supervisor_org, assigned_by=world.dept
    )
    project.cobuilder = UserFactory(username="cobuilder", role=Role.DEPARTMENT, organisation=cobuilder_org)
    return project


@pytest.mark.parametrize("name", OUTSIDERS)
def test_unsubmitted_draft_is_hidden_from_everyone_else(world, unsubmitted_draft, name):
    user = getattr(world, name)
    project = unsubmitted_draft
    assert project.declared_at is None
    assert not _seen_everywhere(user, project)
    # Hidden like a missing project: 404 on the page and over the API.
    assert _web(user).get(f"/projects/{project.pk}/").status_code == 404
    assert _api(user).get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert project_get(user=user, pk=project.pk) is None
    assert _home_counts(user).get(ProjectState.DRAFT, 0) == 0
    assert project.pk not in _api_ids(user, q=DRAFT_NAME)
    for perm in ("view_documents", "add_document", "run_transition", "grant_access", "register_catalogue"):
        assert not user.has_perm(f"projects.{perm}", project), perm


def test_unsubmitted_draft_is_seen_by_its_department_and_cobuilders(world, unsubmitted_draft):
    project = unsubmitted_draft
    for user in (world.dept, project.cobuilder):
        assert _seen_everywhere(user, project), user.username
        body = _api(user).get(f"/api/v1/projects/{project.pk}/").json()
        assert body["returned"] is False
        assert "已退回修改" not in _web(user).get(f"/projects/{project.pk}/").content.decode()
    for expert in (world.experts[0].user, world.outsider_expert.user):
        assert not expert.has_perm("projects.view_project", project)
        assert project.pk not in visible(expert)


def test_submitting_a_draft_shows_it_to_the_jurisdiction(world, unsubmitted_draft):
    project = unsubmitted_draft
    world.ready_to_submit(project)
    project_transition(project_id=project.pk, name="submit", by=world.dept, data={})
    project.refresh_from_db()
    for name in ("bdc", "finance", "auditor", "fgw", "supervisor"):
        assert _seen_everywhere(getattr(world, name), project), name
    assert not _seen_everywhere(world.dept2, project)


def test_returned_draft_stays_with_the_bdc_and_the_auditor_marked_returned(world):
    project = returned_for_revision(world, name="退回修改测试项目")
    for user in (world.dept, world.bdc, world.auditor):
        assert _seen_everywhere(user, project), user.username
        assert _api(user).get(f"/api/v1/projects/{project.pk}/").json()["returned"] is True
        listed = _api(user).get("/api/v1/projects/", {"q": project.code}).json()["results"]
        assert [(p["id"], p["state"], p["returned"]) for p in listed] == [(project.pk, "draft", True)]
        assert "已退回修改" in _web(user).get(f"/projects/{project.pk}/").content.decode()
        assert "已退回修改" in _web(user).get("/projects/", {"q": project.code}).content.decode()
        assert _home_counts(user)[ProjectState.DRAFT] == 1
    for name in ("finance", "fgw", "supervisor", "dept2"):
        user = getattr(world, name)
        assert not _seen_everywhere(user, project), name
        assert _web(user).get(f"/projects/{project.pk}/").status_code == 404
        assert _api(user).get(f"/api/v1/projects/{project.pk}/").status_code == 404
    # What the BDC may still do on it: read it, not act on the department's draft.
    assert world.bdc.has_perm("projects.view_documents", project)
    assert not world.bdc.has_perm("projects.change_project", project)
    assert world.dept.has_perm("projects.change_project", project)


def test_returned_draft_leaves_the_panel_out_of_sight(world):
    project = returned_for_revision(world, ProjectState.REVIEWING)
    expert = world.experts[0].user
    assert project.panel.filter(expert__user=expert, active=True).exists()
    assert not expert.has_perm("projects.view_project", project)
    assert project.pk not in visible(expert)
    assert world.bdc.has_perm("projects.view_project", project)


def test_other_projects_are_not_marked_returned(world):
    body = _api(world.bdc).get(f"/api/v1/projects/{world.project_in_state(ProjectState.DECLARED).pk}/").json()
    assert (body["state"], body["returned"]) == ("declared", False)


def test_selector_and_rules_agree_on_drafts(world):
    foreign_bdc = UserFactory(
        username="zy_bdc",
        role=Role.BDC,
        organisation=OrganisationFactory(
            jurisdiction__code="zhaoyuan",
            jurisdiction__policy_code="zhaoyuan-2021",
            jurisdiction__project_prefix="ZY",
            kind=OrganisationKind.BDC,
        ),
    )
    unsubmitted = world.project(name="草稿", co_builders=[world.dept2_org])
    SupervisorAssignment.objects.create(
        project=unsubmitted, organisation=world.supervisor_org, assigned_by=world.dept
    )
    projects = [
        unsubmitted,
        returned_for_revision(world),
        returned_for_revision(world, ProjectState.REVIEWING),
    ]
    users = [*world.users.values(), *(e.user for e in world.experts), world.outsider_expert.user, foreign_bdc]
    for user in users:
        seen = visible(user)
        for project in projects:
            assert user.has_perm("projects.view_project", project) == (project.pk in seen), (
                user.username,
                project.pk,
            )
    assert {u.username for u in users if u.has_perm("projects.view_project", unsubmitted)} == {
        "dept",
        "dept2",
    }
    assert {u.username for u in users if u.has_perm("projects.view_project", projects[1])} == {
        "dept",
        "bdc",
        "auditor",
    }
