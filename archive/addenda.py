"""Addenda (补记): the corrections to an archived project. The archive is read-only (projects.readonly); what
was wrong or missing is recorded beside the record — a text and an optional file, by the BDC or the project's
department — on the project's timeline, and shows on the project page and in the reading room; the archive
package carries every addendum (addenda.json, addenda/). The action `add_addendum`, registered in ready()."""

from django import forms
from django.urls import reverse

from core.enums import Role
from core.errors import NotPermitted
from core.files import sniff_upload
from core.timeline import timeline_append
from projects.actions import ActionSpec, actor_allowed
from projects.enums import ProjectState

from .models import Addendum

ADDENDUM_MAX_LENGTH = 4000


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="补记内容",
        max_length=ADDENDUM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明更正或补充的是什么、为什么；原记录保持不变。",
        error_messages={"required": "请填写补记内容。"},
    )
    file = forms.FileField(label="附件", required=False, help_text="可选：更正所依据的文件。")


def addendum_add(*, project, by, text: str, file=None) -> Addendum:
    """Record an addendum. The caller holds the project's row lock (project_action)."""
    if not actor_allowed(project, "add_addendum", by):
        raise NotPermitted("只有大数据中心和项目的申报单位可以补记。")
    addendum = Addendum(project=project, text=text.strip(), created_by=by)
    documents = []
    if file is not None:
        sniffed = sniff_upload(file)
        addendum.original_name, addendum.content_type = sniffed.name, sniffed.content_type
        addendum.size, addendum.sha256 = sniffed.size, sniffed.sha256
        addendum.file.save(f"{project.pk}/{sniffed.sha256}", file, save=False)
        documents = [{"name": sniffed.name, "sha256": sniffed.sha256, "size": sniffed.size}]
    addendum.save()
    timeline_append(
        project=project,
        action="archive.addendum.add",
        label="归档补记",
        actor=by,
        comment=addendum.text,
        data={"addendum_id": addendum.pk},
        documents=documents,
    )
    return addendum


def addendum_describe(addendum: Addendum) -> dict:
    return {
        "id": addendum.pk,
        "text": addendum.text,
        "file": addendum.original_name or None,
        "sha256": addendum.sha256 or None,
        "created_at": addendum.created_at,
    }


ADD_ADDENDUM = ActionSpec(
    "add_addendum",
    "归档补记",
    frozenset({ProjectState.ARCHIVED}),
    frozenset({Role.BDC, Role.DEPARTMENT}),
    form=lambda project, user, data=None, files=None: AddendumForm(data, files),
    run=lambda project, data, by: addendum_add(
        project=project, by=by, text=data["text"], file=data.get("file")
    ),
    describe=addendum_describe,
    owner_only=True,  # a department adds to its own projects' records only
    audit_actions=("archive.addendum.add",),
    back=lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + "#addenda",
    section="archive",
    help="项目已归档，档案只读：更正或补充以补记记入档案（附说明与可选附件），原记录不变；补记记入时间线并随归档包导出。",
    done=lambda addendum: f"已记入补记 #{addendum.pk}。",
)
