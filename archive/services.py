"""Archive packages (归档包): a project's whole record as one zip with `manifest.json` (API.md), and verifying one.

`package_request` records the request in the caller's transaction and queues the build after commit;
`package_build` (the Celery task `archive.tasks.package_build`) writes the zip to a temporary file while it
hashes each member, stores it, and puts the manifest's digests on the project's timeline, where an auditor
holding a package years later finds them again (`package_verify` names every file that does not match, every
file the manifest does not list, and whether the manifest is the one the platform recorded)."""

import hashlib
import json
import logging
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import serializers
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.errors import NotPermitted
from core.models import Letter, TimelineEntry, TimelineHead
from core.publish import pdf_queue_options, tasks_publish
from core.timeline import timeline_append
from core.verification import timeline_verify
from projects.actions import actor_allowed
from projects.enums import ProjectState
from projects.locks import project_lock
from projects.models import Document, DocumentVersion, Project

from .models import Addendum, ArchivePackage

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# The apps whose records go into records/<app>.json; the timeline, documents, letters and packages have files
# of their own.
RECORD_APPS = ("projects", "reviews", "acceptance", "sharing", "performance")
NOT_RECORDS = (TimelineEntry, TimelineHead, Letter, Document, DocumentVersion, ArchivePackage, Addendum)
UNSAFE = set('\\/:*?"<>|') | {chr(c) for c in range(32)}


def package_request(*, project: Project, by) -> ArchivePackage:
    """Record the request and queue the build once the caller's transaction commits. The caller holds the
    project's row lock (project_action); a classified project's package holds its documents, so only those
    who may read them get one."""
    if not actor_allowed(project, "export_archive", by):
        raise NotPermitted("只有审计局、大数据中心和项目的申报单位可以导出归档包。")
    if not by.has_perm("projects.view_documents", project):
        raise NotPermitted("该项目为涉密项目，未经授权不能导出其归档包（归档包含全部文档）。")
    package = ArchivePackage.objects.create(project=project, requested_by=by)
    timeline_append(
        project=project,
        action="archive.package.request",
        label="申请导出归档包",
        actor=by,
        data={"package_id": package.pk},
    )
    package_queue(package)
    return package


def package_queue(package: ArchivePackage) -> None:
    from .tasks import package_build

    package_id = package.pk
    # On the PDF queue (a package renders its timeline with WeasyPrint, like a letter). A broker that is down
    # answers at once and leaves the package 排队中: the request is recorded; `packages_requeue_due` queues it.
    transaction.on_commit(
        lambda: tasks_publish(package_build, [{"package_id": package_id}], **pdf_queue_options()), robust=True
    )


# A package still 排队中 this long after it was asked for never reached a worker (the broker was down, or the
# message was lost): the sweep queues it again. Building is idempotent, so a second delivery costs nothing.
PACKAGE_STALE_AFTER_SECONDS = 300


def packages_requeue_due(*, limit: int = 50) -> int:
    """The sweep (beat job `archive-packages-requeue`): queue again every package pending past the timeout."""
    from .tasks import package_build

    due = timezone.now() - timedelta(seconds=PACKAGE_STALE_AFTER_SECONDS)
    ids = list(
        ArchivePackage.objects.filter(status=ArchivePackage.Status.PENDING, requested_at__lt=due)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return (
        tasks_publish(package_build, [{"package_id": pk} for pk in ids], **pdf_queue_options()) if ids else 0
    )


# ---- building -----------------------------------------------------------------------------------------


class _Writer:
    """A zip being written, each member hashed (SHA-256 and SM3) as it goes in."""

    def __init__(self, handle):
        self.zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.files: list[dict] = []
        self.paths: set[str] = set()

    def _unique(self, path: str) -> str:
        candidate, n = path, 1
        while candidate in self.paths:
            stem, dot, ext = path.rpartition(".")
            candidate = f"{stem}-{n}.{ext}" if dot else f"{path}-{n}"
            n += 1
        self.paths.add(candidate)
        return candidate

    def add_bytes(self, path: str, data: bytes) -> None:
        path = self._unique(path)
        self.zip.writestr(path, data)
        self.files.append(_entry(path, len(data), hashlib.sha256(data), hashlib.new("sm3", data)))

    def add_stream(self, path: str, stream) -> None:
        path = self._unique(path)
        sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
        with self.zip.open(zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6]), "w") as out:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
                sha.update(chunk)
                sm3.update(chunk)
                size += len(chunk)
        self.files.append(_entry(path, size, sha, sm3))


def _entry(path: str, size: int, sha, sm3) -> dict:
    return {"path": path, "size": size, "sha256": sha.hexdigest(), "sm3": sm3.hexdigest()}


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _safe(name: str, limit: int = 120) -> str:
    cleaned = "".join("_" if ch in UNSAFE else ch for ch in name).strip(". ") or "file"
    if len(cleaned) <= limit:
        return cleaned
    stem, dot, ext = cleaned.rpartition(".")
    return (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else cleaned[:limit]


def package_build(*, package_id: int) -> str:
    """Build the package. Idempotent: one already built is left as it is; a second delivery while another
    worker builds finds the row locked and leaves it to that one."""
    with transaction.atomic():
        package = ArchivePackage.objects.select_for_update(skip_locked=True).filter(pk=package_id).first()
        if package is None or package.status == ArchivePackage.Status.READY:
            return package.status if package else "locked"
        package.status, package.progress, package.error = ArchivePackage.Status.BUILDING, 0, ""
        package.save(update_fields=["status", "progress", "error"])
    try:
        return _build(package)
    except Exception as exc:  # any failure becomes the package's visible error; the request stays on record
        log.exception("归档包 %s 生成失败", package_id)
        ArchivePackage.objects.filter(pk=package_id).update(
            status=ArchivePackage.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return ArchivePackage.Status.FAILED


def _progress(package: ArchivePackage, percent: int) -> None:
    ArchivePackage.objects.filter(pk=package.pk).update(progress=min(percent, 99))


def _build(package: ArchivePackage) -> str:
    project = Project.objects.select_related("organisation").get(pk=package.project_id)
    versions = list(
        DocumentVersion.objects.filter(document__project=project)
        .select_related("document", "uploaded_by")
        .order_by("document__kind", "document_id", "number")
    )
    created_at = timezone.now()
    with tempfile.TemporaryFile() as handle:
        writer = _Writer(handle)
        writer.add_bytes("project.json", _json(_project_record(project)))
        entries = list(TimelineEntry.objects.filter(project=project).order_by("seq"))
        writer.add_bytes("timeline.json", _json(_timeline_record(project, entries)))
        writer.add_bytes("timeline.pdf", _timeline_pdf(project, entries))
        _progress(package, 10)
        index = []
        for n, version in enumerate(versions, start=1):
            path = f"documents/{_safe(version.document.get_kind_display())}/v{version.number}-{_safe(version.original_name)}"
            with version.file.open("rb") as stream:
                writer.add_stream(path, stream)
            index.append(
                {**version.as_record(), "path": writer.files[-1]["path"], "uploaded_at": version.uploaded_at}
            )
            _progress(package, 10 + 70 * n // max(len(versions), 1))
        writer.add_bytes("documents.json", _json(index))
        writer.add_bytes("addenda.json", _json(_addenda_record(project, writer)))
        writer.add_bytes("letters.json", _json(_letters_record(project, index)))
        for app, rows in _records(project).items():
            writer.add_bytes(f"records/{app}.json", _json(rows))
        _progress(package, 90)
        manifest = _json({"project": project.code, "created_at": created_at, "files": writer.files})
        writer.zip.writestr(MANIFEST, manifest)
        writer.zip.close()
        return _store(package, project, handle, manifest, len(writer.files))


def _store(package, project, handle, manifest: bytes, files: int) -> str:
    handle.seek(0)
    sha = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
    size = handle.tell()
    handle.seek(0)
    manifest_sha256 = hashlib.sha256(manifest).hexdigest()
    manifest_sm3 = hashlib.new("sm3", manifest).hexdigest()
    with transaction.atomic():
        project_lock(project.pk, archived_ok=True)  # a package adds to the record, changes nothing of it
        locked = ArchivePackage.objects.select_for_update().get(pk=package.pk)
        locked.file.save(f"{project.pk}/{locked.pk}-{_safe(project.code)}.zip", File(handle), save=False)
        locked.status, locked.progress, locked.size, locked.sha256 = (
            ArchivePackage.Status.READY,
            100,
            size,
            sha.hexdigest(),
        )
        locked.files, locked.manifest_sha256, locked.manifest_sm3 = files, manifest_sha256, manifest_sm3
        locked.finished_at = timezone.now()
        locked.save()
        timeline_append(
            project=project,
            action="archive.package.ready",
            label="生成归档包",
            actor=locked.requested_by,
            comment=f"归档包 #{locked.pk}：{files} 个文件，清单 SHA-256 {manifest_sha256}",
            data={
                "package_id": locked.pk,
                "files": files,
                "size": size,
                "zip_sha256": locked.sha256,
                "manifest_sha256": manifest_sha256,
                "manifest_sm3": manifest_sm3,
            },
        )
    return ArchivePackage.Status.READY


def _addenda_record(project: Project, writer: _Writer) -> list[dict]:
    """The corrections recorded after archiving (补记), each with its file under addenda/."""
    rows = []
    for n, addendum in enumerate(
        project.addenda.select_related("created_by").order_by("created_at", "id"), 1
    ):
        path = ""
        if addendum.file:
            with addendum.file.open("rb") as stream:
                writer.add_stream(f"addenda/{n}-{_safe(addendum.original_name or 'file')}", stream)
            path = writer.files[-1]["path"]
        rows.append(
            {
                "id": addendum.pk,
                "created_at": addendum.created_at,
                "by": str(addendum.created_by),
                "text": addendum.text,
                "file": path,
                "sha256": addendum.sha256,
                "size": addendum.size,
            }
        )
    return rows


def _project_record(project: Project) -> dict:
    row = serializers.serialize("python", [project])[0]
    return {
        "code": project.code,
        "name": project.name,
        "organisation": project.organisation.name,
        "state": project.state,
        "state_label": project.get_state_display(),
        "policy": project.policy_code,
        "fields": row["fields"],
    }


def _timeline_record(project: Project, entries) -> dict:
    head = TimelineHead.objects.filter(project=project).first()
    return {
        "project": project.code,
        "verification": timeline_verify(project_id=project.pk),
        "head": {"count": head.count, "last_hash": head.last_hash, "seal": head.seal} if head else None,
        "entries": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor_name,
                "actor_role": e.actor_role,
                "action": e.action,
                "label": e.label,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "comment": e.comment,
                "checks": e.checks,
                "data": e.data,
                "documents": e.documents,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "key_id": e.key_id,
                "algorithm": e.algorithm,
            }
            for e in entries
        ],
    }


def _timeline_pdf(project: Project, entries) -> bytes:
    from weasyprint import HTML

    states = dict(ProjectState.choices)
    rows = [
        {"entry": e, "from": states.get(e.from_state, e.from_state), "to": states.get(e.to_state, e.to_state)}
        for e in entries
    ]
    html = render_to_string(
        "pdf/timeline.html",
        {
            "project": project,
            "rows": rows,
            "problems": timeline_verify(project_id=project.pk),
            "now": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()


def _letters_record(project: Project, index: list[dict]) -> list[dict]:
    paths = {item["version_id"]: item["path"] for item in index}
    return [
        {
            "number": letter.number,
            "kind": letter.kind,
            "kind_label": letter.get_kind_display(),
            "title": letter.title,
            "addressee": letter.addressee,
            "issuer": letter.organisation.name,
            "issued_at": letter.issued_at,
            "status": letter.status,
            "replaces": letter.replaces.number if letter.replaces_id else "",
            "pdf": paths.get(letter.document_id, ""),
            "content": letter.content,
        }
        for letter in Letter.objects.filter(project=project).select_related("organisation", "replaces")
    ]


def _records(project: Project) -> dict[str, dict[str, list]]:
    """Every row of the stage apps that hangs off the project, up to three links away (a review's draws, a
    draw's members), grouped by app and model: the review, procurement, construction, acceptance and
    evaluation records as they stand."""
    grouped: dict[str, dict[str, list]] = defaultdict(dict)
    frontier: list[tuple[type, list]] = [(Project, [project.pk])]
    seen: set[type] = {Project}
    for _depth in range(3):
        following = []
        for model, pks in frontier:
            for relation in model._meta.related_objects:
                child = relation.related_model
                if (
                    child in seen
                    or child in NOT_RECORDS
                    or child._meta.app_label not in RECORD_APPS
                    or not (relation.one_to_many or relation.one_to_one)
                ):
                    continue
                seen.add(child)
                rows = list(
                    child._default_manager.filter(**{f"{relation.field.name}__in": pks}).order_by("pk")
                )
                if rows:
                    grouped[child._meta.app_label][child._meta.label] = [
                        {**item, "display": str(obj)}
                        for item, obj in zip(serializers.serialize("python", rows), rows, strict=True)
                    ]
                    following.append((child, [row.pk for row in rows]))
        frontier = following
    return dict(grouped)


# ---- verifying ----------------------------------------------------------------------------------------


@dataclass
class PackageCheck:
    project: str = ""
    created_at: object = None  # the manifest's created_at, as a datetime where it parses
    files: int = 0
    problems: list[str] = field(default_factory=list)
    recorded: ArchivePackage | None = None  # the platform's record of this very manifest, if any
    readable: bool = True

    @property
    def intact(self) -> bool:
        return self.readable and not self.problems


def package_verify(handle, *, against_platform: bool = True) -> PackageCheck:
    """Whether every file in the package is the one its manifest lists (size, SHA-256, SM3), which files are
    missing or unlisted, and whether the manifest itself is one the platform recorded on a project's timeline."""
    check = PackageCheck()
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return _unreadable(check, "不是有效的 zip 文件")
    with archive:
        try:
            raw = archive.read(MANIFEST)
            manifest = json.loads(raw)
            listed = {item["path"]: item for item in manifest["files"]}
            check.project = str(manifest["project"])
            check.created_at = parse_datetime(str(manifest["created_at"])) or str(manifest["created_at"])
        except KeyError:
            return _unreadable(check, "包内没有 manifest.json，或清单缺少 project、created_at、files")
        except (ValueError, TypeError, zipfile.BadZipFile):
            return _unreadable(check, "manifest.json 不是有效的清单")
        present = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        check.files = len(listed)
        for path, item in listed.items():
            if path not in present:
                check.problems.append(f"缺少文件：{path}")
                continue
            problem = _member_problem(archive, present[path], item)
            if problem:
                check.problems.append(f"文件与清单不符：{path}（{problem}）")
        for path in sorted(set(present) - set(listed) - {MANIFEST}):
            check.problems.append(f"清单未列出的文件：{path}")
    if against_platform:
        _against_platform(check, raw)
    return check


def _unreadable(check: PackageCheck, why: str) -> PackageCheck:
    check.readable = False
    check.problems.append(f"不是有效的归档包：{why}。")
    return check


def _member_problem(archive, info, item) -> str:
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                sha.update(chunk)
                sm3.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, ValueError):
        return "无法读出，文件已损坏"
    if size != item.get("size"):
        return f"大小 {size} 字节，清单记为 {item.get('size')} 字节"
    if sha.hexdigest() != item.get("sha256"):
        return "SHA-256 不符"
    if sm3.hexdigest() != item.get("sm3"):
        return "SM3 不符"
    return ""


def _against_platform(check: PackageCheck, manifest: bytes) -> None:
    digest = hashlib.sha256(manifest).hexdigest()
    check.recorded = (
        ArchivePackage.objects.select_related("project")
        .filter(manifest_sha256=digest, status="ready")
        .first()
    )
    if check.recorded is None:
        check.problems.append("清单的摘要不在本平台的记录中：清单被改动过，或这不是本平台生成的归档包。")
