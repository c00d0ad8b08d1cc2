"""Who sees which project (selectors.project_visible_to) and what each role may do (projects.rules)."""

import pytest

from acceptance.services import supervisor_assign
from core.enums import OrganisationKind, Role
from projects.enums import DocumentKind
from projects.enums import ProjectState as S
from projects.selectors import project_get, project_visible_to
from projects.services import document_access_grant, document_upload
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

    @property
    def local(self):
        return {self.own.pk, self.cobuilt.pk, self.dept2_only.pk}


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
    assigned = world.project_in_state(S.REVIEWING)  # the walk assigns world.experts to the panel
    other = world.project_in_state(S.DECLARED)
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
    assigned = world.project_in_state(S.APPROVED)
    other = world.project_in_state(S.APPROVED)
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
    for state in (S.DRAFT, S.CONSTRUCTION):
        project = world.project_in_state(state)
        assert world.auditor.has_perm("projects.view_project", project)
        assert world.auditor.has_perm("projects.view_documents", project)
        assert not world.auditor.has_perm("projects.change_project", project)
        assert not world.auditor.has_perm("projects.add_document", project)
        assert not world.auditor.has_perm("projects.run_transition", project)
        assert not world.auditor.has_perm("projects.grant_access", project)
        assert not world.auditor.has_perm("projects.change_catalogue", project)


def test_who_may_change_a_draft(world):
    project = world.project_in_state(S.DRAFT)
    assert world.dept.has_perm("projects.change_project", project)
    for name in ("dept2", "bdc", "finance", "auditor", "supervisor"):
        assert not getattr(world, name).has_perm("projects.change_project", project), name
    declared = world.project_in_state(S.DECLARED)
    assert not world.dept.has_perm("projects.change_project", declared)


def test_upload_permission_by_role_and_state(world):
    active = world.project_in_state(S.CONSTRUCTION)
    archived = world.project_in_state(S.ARCHIVED)
    assert world.dept.has_perm("projects.add_document", active)
    assert world.bdc.has_perm("projects.add_document", active)
    assert world.finance.has_perm("projects.add_document", active)
    assert not world.dept2.has_perm("projects.add_document", active)
    assert not world.experts[0].user.has_perm("projects.add_document", active)
    for name in ("dept", "bdc", "finance", "auditor"):
        assert not getattr(world, name).has_perm("projects.add_document", archived), name


def test_classified_documents_need_a_grant(world):
    project = world.project(name="涉密业务系统", is_classified=True)
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
    project = world.project(name="普通项目")
    for user in (world.dept, world.bdc, world.finance, world.auditor):
        assert user.has_perm("projects.view_documents", project), user.username
    assert not world.dept2.has_perm("projects.view_documents", project)
