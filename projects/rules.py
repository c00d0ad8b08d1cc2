"""Who may do what with a project: django-rules predicates, checked on the server for every page and
endpoint. Reads of many projects go through `selectors.project_visible_to`, which states the same rules
as a query."""

import rules

from core.enums import Role

from .enums import BDC_DOCUMENT_KINDS, FINANCE_DOCUMENT_KINDS, SUPERVISOR_DOCUMENT_KINDS, ProjectState

# Who reads every project of their jurisdiction (the 发展改革 body approves under some policies; the 领导 reads
# only: it is in no action's or transition's roles, nor in `is_acting_staff`).
JURISDICTION_WIDE_ROLES = frozenset({Role.BDC, Role.FINANCE, Role.AUDITOR, Role.DEVELOPMENT, Role.LEADER})
# Who, besides the department, still sees a draft returned for revision (never one not yet submitted).
RETURNED_DRAFT_ROLES = frozenset({Role.BDC, Role.AUDITOR})
EDITABLE_STATES = frozenset({ProjectState.DRAFT})
ACTIVE_STATES = frozenset(
    set(ProjectState)
    - {ProjectState.ARCHIVED, ProjectState.REJECTED, ProjectState.TERMINATED, ProjectState.CANCELLED}
)


def _same_jurisdiction(user, project) -> bool:
    return (
        user.organisation_id is not None
        and user.organisation.jurisdiction_id == project.organisation.jurisdiction_id
    )


@rules.predicate
def is_department_of(user, project) -> bool:
    return (
        user.role == Role.DEPARTMENT
        and user.organisation_id is not None
        and (
            project.organisation_id == user.organisation_id
            or project.co_builders.filter(pk=user.organisation_id).exists()
        )
    )


@rules.predicate
def is_owner_department(user, project) -> bool:
    return user.role == Role.DEPARTMENT and project.organisation_id == user.organisation_id


@rules.predicate
def is_jurisdiction_staff(user, project) -> bool:
    return user.role in JURISDICTION_WIDE_ROLES and _same_jurisdiction(user, project)


@rules.predicate
def is_acting_staff(user, project) -> bool:
    """BDC, finance and the 发展改革 body act on the projects of their jurisdiction; the auditor reads them only."""
    return user.role in (Role.BDC, Role.FINANCE, Role.DEVELOPMENT) and _same_jurisdiction(user, project)


@rules.predicate
def is_bdc_of(user, project) -> bool:
    return user.role == Role.BDC and _same_jurisdiction(user, project)


@rules.predicate
def is_assigned_expert(user, project) -> bool:
    return user.role == Role.EXPERT and project.panel.filter(expert__user=user, active=True).exists()


@rules.predicate
def is_acceptance_expert(user, project) -> bool:
    """An expert drawn into the project's acceptance group (acceptance.AcceptanceGroupMember)."""
    return user.role == Role.EXPERT and project.acceptance_members.filter(expert__user=user).exists()


@rules.predicate
def is_change_review_expert(user, project) -> bool:
    """An expert drawn to re-review one of the project's changes (acceptance.ChangeReviewMember)."""
    return user.role == Role.EXPERT and project.change_review_members.filter(expert__user=user).exists()


@rules.predicate
def is_assigned_supervisor(user, project) -> bool:
    return (
        user.role == Role.SUPERVISOR
        and user.organisation_id is not None
        and project.supervisor_assignments.filter(
            organisation_id=user.organisation_id, ended_at__isnull=True
        ).exists()
    )


@rules.predicate
def is_draft(user, project) -> bool:
    return project.state in EDITABLE_STATES


@rules.predicate
def is_returned_draft(user, project) -> bool:
    """A draft submitted before and returned for revision (退回修改: back to draft, `declared_at` kept). A draft
    never submitted is its department's own: nobody else sees, counts or finds it (the declaration form:
    提交申报前不会报送大数据中心)."""
    return project.state == ProjectState.DRAFT and project.declared_at is not None


@rules.predicate
def sees_returned_drafts(user, project) -> bool:
    """The centre that returned it and the auditor keep a returned draft in sight; finance, the 发展改革 body,
    the 领导, experts and supervisors do not see drafts."""
    return user.role in RETURNED_DRAFT_ROLES and _same_jurisdiction(user, project)


@rules.predicate
def is_active(user, project) -> bool:
    return project.state in ACTIVE_STATES


@rules.predicate
def classified_documents_readable(user, project) -> bool:
    """涉密: nobody outside the declaring organisation reads its documents without a grant."""
    if not project.is_classified:
        return True
    if user.role == Role.DEPARTMENT and project.organisation_id == user.organisation_id:
        return True
    return project.access_grants.filter(user=user).exists()


# A draft: the department and its co-builders; once returned for revision, also the BDC and the auditor.
can_view = (
    is_department_of
    | (
        ~is_draft
        & (
            is_jurisdiction_staff
            | is_assigned_expert
            | is_acceptance_expert
            | is_change_review_expert
            | is_assigned_supervisor
        )
    )
    | (is_returned_draft & sees_returned_drafts)
)

rules.add_perm("projects.view_project", can_view)
rules.add_perm("projects.change_project", is_owner_department & is_draft)
rules.add_perm("projects.view_documents", can_view & classified_documents_readable)
rules.add_perm(
    "projects.add_document",
    can_view & (is_department_of | is_acting_staff | is_assigned_supervisor) & is_active,
)
rules.add_perm("projects.change_catalogue", is_owner_department & is_active)
rules.add_perm("projects.register_catalogue", can_view & is_bdc_of & is_active)
rules.add_perm("projects.grant_access", can_view & is_bdc_of)
rules.add_perm("projects.run_transition", can_view & (is_department_of | is_acting_staff))


def document_kinds_for(user) -> frozenset[str] | None:
    """The kinds of document a role may upload (None: any the department files)."""
    if user.role == Role.BDC:
        return BDC_DOCUMENT_KINDS | {"other"}
    if user.role == Role.FINANCE:
        return FINANCE_DOCUMENT_KINDS
    if user.role == Role.SUPERVISOR:
        return SUPERVISOR_DOCUMENT_KINDS
    if user.role == Role.DEPARTMENT:
        return None
    return frozenset()
