"""The archive's action (API.md, *Actions*, "any"): `export_archive`, registered with the project in
ArchiveConfig.ready(). Any state but a draft: the auditor reads a project under way as well as an archived one."""

from django import forms
from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec
from projects.enums import ProjectState

from .addenda import ADD_ADDENDUM
from .services import package_request

EXPORT_STATES = frozenset(ProjectState.values) - {ProjectState.DRAFT}


class ExportForm(forms.Form):
    """No fields: the package is the whole record."""


def package_describe(package) -> dict:
    return {
        "id": package.pk,
        "status": package.status,
        "status_label": package.get_status_display(),
        "progress": package.progress,
        "download_url": (
            reverse("api-archive-package-download", kwargs={"pk": package.pk})
            if package.status == "ready"
            else None
        ),
    }


ARCHIVE_ACTIONS = (
    ActionSpec(
        "export_archive",
        "导出归档包",
        EXPORT_STATES,
        frozenset({Role.AUDITOR, Role.BDC, Role.DEPARTMENT}),
        form=lambda project, user, data=None, files=None: ExportForm(data),
        run=lambda project, data, by: package_request(project=project, by=by),
        describe=package_describe,
        owner_only=True,  # a department exports its own projects only
        audit_actions=("archive.package.request",),
        back=lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + "#archive",
        section="archive",
        help="将本项目的全部记录（各版本文档、发文、时间线、评审、采购、建设、验收、绩效记录）打包为 zip，附 manifest.json 逐个文件列出大小、SHA-256 与 SM3。",
        done=lambda package: "已登记导出归档包，正在后台生成；完成后可在“归档包”处下载。",
    ),
    ADD_ADDENDUM,
)
