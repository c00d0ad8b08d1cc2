"""Writes to projects. Every state change passes through `project_transition`."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted, form_message, model_validate
from core.fields import form_data, form_describe
from core.files import sniff_upload
from core.models import Organisation
from core.sequences import sequence_next
from core.timeline import timeline_append

from .actions import Acting, acting
from .checks import CheckResult, evaluate_checks
from .enums import REPEATABLE_DOCUMENT_KINDS, ConstructionKind, DocumentKind
from .locks import project_lock
from .models import DECLARATION_FIELDS, Document, DocumentAccessGrant, DocumentVersion, Project
from .policies import policy_get
from .readonly import project_writable
from .rules import document_kinds_for
from .transitions import TRANSITIONS, TransitionSpec

EDITABLE_FIELDS = DECLARATION_FIELDS


def _validate(project: Project) -> None:
    """Model validation as a user-facing error naming each field (the FSM state is not the user's to set)."""
    model_validate(project, exclude=["co_builders", "state"])


def _clean_kinds(kinds) -> list[str]:
    kinds = list(kinds or [])
    unknown = [k for k in kinds if k not in ConstructionKind.values]
    if unknown:
        raise InvalidInput(f"未知的建设内容类别：{'、'.join(map(str, unknown))}。")
    return sorted(set(kinds), key=ConstructionKind.values.index)


def project_create(*, by, data: dict) -> Project:
    """A draft for the caller's own organisation, bound to the policy now in force for its jurisdiction."""
    if by.role != Role.DEPARTMENT or by.organisation_id is None:
        raise NotPermitted("只有建设单位可以申报项目。")
    jurisdiction = by.organisation.jurisdiction
    policy = policy_get(jurisdiction.policy_code)
    co_builders = list(data.pop("co_builders", []) or [])
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    fields["construction_kinds"] = _clean_kinds(fields.get("construction_kinds"))
    project = Project(
        code="-",
        organisation=by.organisation,
        policy_code=policy.code,
        policy_version=policy.version,
        created_by=by,
        **fields,
    )
    _validate(project)  # before a number is taken, so a refused draft leaves no gap in the codes
    with transaction.atomic():
        number = sequence_next(f"project:{jurisdiction.pk}:{project.year}")
        project.code = f"{jurisdiction.project_prefix}-{project.year}-{number:04d}"
        project.save()
        _set_co_builders(project, co_builders)
        timeline_append(
            project=project,
            action="projects.project.create",
            label="创建草稿",
            actor=by,
            to_state=project.state,
            data={
                "policy": policy.code,
                "policy_version": policy.version,
                "declared_amount": project.declared_amount,
            },
        )
    return project


def _set_co_builders(project: Project, organisations) -> None:
    ids = [o.pk if isinstance(o, Organisation) else int(o) for o in organisations]
    found = Organisation.objects.filter(pk__in=ids, jurisdiction_id=project.organisation.jurisdiction_id)
    if len(set(ids)) != found.count():
        message = "共建单位须为本行政区划内的单位。"
        raise InvalidInput(message, extra={"errors": {"co_builders": [message]}})
    project.co_builders.set([o for o in found if o.pk != project.organisation_id])


def project_update_authorise(*, project: Project, by) -> None:
    """Only the declaring department edits its declaration (403), asked before the edit is read; whether the
    project is still a draft is the edit's own question (409). An archived project: 409 for everyone."""
    project_writable(project, "修改申报内容")
    if by.role != Role.DEPARTMENT or project.organisation_id != by.organisation_id:
        raise NotPermitted("只有项目的申报单位可以修改申报内容。")


def project_update(*, project: Project, by, data: dict) -> Project:
    """Edit a draft. The declared amount and flags decide which rules apply, so every edit is recorded."""
    project_update_authorise(project=project, by=by)
    with transaction.atomic():
        locked = project_lock(project.pk, by)
        if not by.has_perm("projects.change_project", locked):
            raise Conflict("项目已提交，不能再修改；如需修改请由大数据中心退回。")
        changed = {}
        for key, value in data.items():
            if key not in EDITABLE_FIELDS:
                continue
            if key == "construction_kinds":
                value = _clean_kinds(value)
            if getattr(locked, key) != value:
                changed[key] = value
                setattr(locked, key, value)
        if "co_builders" in data:
            _set_co_builders(locked, data["co_builders"] or [])
            changed["co_builders"] = sorted(locked.co_builders.values_list("name", flat=True))
        if changed:
            _validate(locked)
            locked.save()
            timeline_append(
                project=locked,
                action="projects.project.update",
                label="修改申报内容",
                actor=by,
                data={"fields": sorted(changed)},
            )
    return locked


@dataclass(frozen=True)
class AvailableTransition:
    spec: TransitionSpec
    target: str
    checks: list[CheckResult]
    fields: list[dict]
    acting: Acting | None = None

    @property
    def allowed(self) -> bool:
        return not any(c.blocking_failure for c in self.checks)


def transition_acting(project: Project, spec: TransitionSpec) -> Acting:
    """Who runs the transition on this project: the body its policy names, else the table's roles."""
    return acting(project, spec.name, spec.roles, spec.owner_only)


def _target(project: Project, spec: TransitionSpec) -> str:
    return spec.target or project.suspended_from or spec.targets[0]


def transitions_available(*, project: Project, user) -> list[AvailableTransition]:
    """The transitions of the current state that the user may run, each with its checks now and its fields."""
    if not user.is_authenticated or not user.has_perm("projects.view_project", project):
        return []
    found = []
    for spec in TRANSITIONS.values():
        if project.state not in spec.sources:
            continue
        who = transition_acting(project, spec)
        if not who.admits(user, project):
            continue
        found.append(
            AvailableTransition(
                spec=spec,
                target=_target(project, spec),
                checks=evaluate_checks(project, spec.name, params={}),
                fields=form_describe(spec.form()),
                acting=who,
            )
        )
    return found


def project_transition(*, project_id: int, name: str, by, data: dict | None = None, today=None) -> Project:
    """The one way a project changes state: lock, check who runs it, the state, the input and the rule checks,
    transition, leave the apps' records, and write the timeline entry, all in one transaction."""
    with transaction.atomic():
        project = project_lock(project_id, by)
        spec = transition_authorise(project=project, name=name, by=by)
        method = getattr(project, name)
        if not can_proceed(method, check_conditions=False):
            raise Conflict(
                f"项目当前状态为“{project.get_state_display()}”，不能{spec.label}。", extra={"checks": []}
            )
        cleaned = _transition_input(spec, data)
        checks = _transition_checks(project, spec, cleaned, today)
        from_state = project.state
        method(data=cleaned, now=timezone.now())
        try:
            project.save()
        except ConcurrentTransition:
            raise Conflict("项目状态已被他人变更，请刷新后重试。") from None
        entry_data = {k: v for k, v in cleaned.items() if k != "comment"}
        for record in spec.records:
            entry_data.update(record(project, cleaned, by))
        timeline_append(
            project=project,
            action=f"projects.project.{name}",
            label=spec.label,
            actor=by,
            from_state=from_state,
            to_state=project.state,
            comment=cleaned.get("comment", ""),
            checks=[c.as_dict() for c in checks],
            data=entry_data,
        )
    return project


def transition_authorise(*, project: Project, name: str, by) -> TransitionSpec:
    """Whether `by` may ever run transition `name` on this project, before anything it sent is read: 404 for
    no such transition, 403 for one that is not theirs. The API asks this before it parses the body; the
    transition asks again under the project's lock."""
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise NotFound(f"没有名为“{name}”的流转。")
    project_writable(project, f"办理“{spec.label}”")
    _check_may_run(project, spec, by)
    return spec


def _check_may_run(project: Project, spec, by) -> None:
    """A system transition runs without a user; any other only by whom the transition's acting rule admits."""
    if by is None:
        if not spec.system:
            raise NotPermitted(f"“{spec.label}”须由有权限的用户办理。")
        return
    who = transition_acting(project, spec)
    if not who.admits(by, project):
        raise NotPermitted(who.refusal(spec.label, by))


def _transition_input(spec, data: dict | None) -> dict:
    plain, _ = form_data(data)
    form = spec.form(plain)
    if not form.is_valid():
        raise InvalidInput(form_message(form), extra={"errors": form.errors.get_json_data()})
    return form.cleaned_data


def _transition_checks(project: Project, spec, cleaned: dict, today) -> list:
    """The rule checks of the transition, all of them for the timeline; any blocking failure refuses it."""
    checks = evaluate_checks(project, spec.name, params=cleaned, today=today)
    failing = [c for c in checks if c.blocking_failure]
    if failing:
        raise Conflict(
            f"不能{spec.label}：" + "；".join(f"{c.message}（{c.source}）" for c in failing),
            extra={"checks": [c.as_dict() for c in failing]},
        )
    return checks


def document_upload(
    *,
    project: Project,
    by,
    kind: str,
    file,
    has_sharing_chapter: bool = False,
    has_security_chapter: bool = False,
    title: str = "",
) -> DocumentVersion:
    """A new version of the project's document of this kind; nothing stored before is replaced."""
    _check_may_upload(project, by, kind)
    sniffed = sniff_upload(file)
    with transaction.atomic():
        locked = project_lock(project.pk, by)
        version = document_version_add(
            project=locked,
            kind=kind,
            file=file,
            name=sniffed.name,
            content_type=sniffed.content_type,
            size=sniffed.size,
            sha256=sniffed.sha256,
            by=by,
            title=title,
            has_sharing_chapter=has_sharing_chapter,
            has_security_chapter=has_security_chapter,
        )
        timeline_append(
            project=locked,
            action="projects.document.upload",
            label=f"上传{DocumentKind(kind).label}",
            actor=by,
            documents=[version.as_record()],
        )
    return version


def document_upload_authorise(*, project: Project, by) -> None:
    """Whether `by` may upload anything to this project now (403), asked before the upload is read: the
    auditor and the experts upload nothing, and nobody uploads to a project that has ended (an archived one:
    409, projects.readonly)."""
    project_writable(project, "上传文档")
    if not by.has_perm("projects.add_document", project):
        raise NotPermitted("无权向该项目上传文档（或项目已结束）。")


def _check_may_upload(project: Project, by, kind: str) -> None:
    """A known kind, a project open to the user's uploads, and a kind the user's role may upload: the
    documents the BDC, finance or the supervisor issue are never uploaded by the department."""
    document_upload_authorise(project=project, by=by)
    if kind not in DocumentKind.values:
        raise InvalidInput(f"未知的文档类型：{kind}。")
    allowed_kinds = document_kinds_for(by)
    if allowed_kinds is not None and kind not in allowed_kinds:
        raise NotPermitted(f"{Role(by.role).label}不能上传“{DocumentKind(kind).label}”。")
    if allowed_kinds is None and kind in _issued_kinds():
        raise NotPermitted(
            f"“{DocumentKind(kind).label}”由大数据中心、财政局或监理单位出具，建设单位不能上传。"
        )


def document_version_add(
    *,
    project: Project,
    kind: str,
    file,
    name: str,
    content_type: str,
    size: int,
    sha256: str,
    by,
    title: str = "",
    has_sharing_chapter: bool = False,
    has_security_chapter: bool = False,
) -> DocumentVersion:
    """The next version of the project's document of `kind` (a new document for the kinds that accumulate),
    its file stored under its hash. For the caller that holds the project's row lock in its transaction
    and writes its own timeline entry: an upload, or a letter the portal issued."""
    document = None
    if kind not in REPEATABLE_DOCUMENT_KINDS:
        document = Document.objects.filter(project=project, kind=kind).order_by("id").first()
    if document is None:
        document = Document.objects.create(project=project, kind=kind, title=title)
    last = document.versions.order_by("-number").first()
    version = DocumentVersion(
        document=document,
        number=(last.number + 1) if last else 1,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        sha256=sha256,
        has_sharing_chapter=has_sharing_chapter,
        has_security_chapter=has_security_chapter,
        uploaded_by=by,
    )
    version.file.save(sha256, file, save=False)
    version.save()
    return version


def document_step_store(*, project: Project, by, kind: str, file, title: str = "") -> DocumentVersion:
    """A file a step brings (a report, a receipt, evidence), checked by its content (core.files.sniff_upload)
    and stored as the next version of the project's document of `kind`; the caller holds the row lock and
    writes the step's timeline entry, which names the version."""
    sniffed = sniff_upload(file)
    return document_version_add(
        project=project,
        kind=kind,
        file=file,
        name=sniffed.name,
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=sniffed.sha256,
        by=by,
        title=title,
    )


def _issued_kinds() -> frozenset[str]:
    from .enums import BDC_DOCUMENT_KINDS, FINANCE_DOCUMENT_KINDS, SUPERVISOR_DOCUMENT_KINDS

    return BDC_DOCUMENT_KINDS | FINANCE_DOCUMENT_KINDS | SUPERVISOR_DOCUMENT_KINDS


def document_access_grant(*, project: Project, user, by, reason: str = "") -> DocumentAccessGrant:
    """Let `user` read a classified project's documents; the grant and its reason go on the record."""
    if not by.has_perm("projects.grant_access", project):
        raise NotPermitted("只有大数据中心可以授权查阅涉密项目文档。")
    with transaction.atomic():
        locked = project_lock(project.pk, by, archived_ok=True)  # a reading right, not a change (readonly)
        grant, created = DocumentAccessGrant.objects.get_or_create(
            project=locked, user=user, defaults={"granted_by": by}
        )
        if created:
            timeline_append(
                project=locked,
                action="projects.document.grant",
                label="授权查阅涉密文档",
                actor=by,
                comment=(reason or "").strip(),
                data={"user": user.username},
            )
    return grant
