"""Writes to a project's data-resource catalogue."""

from django.db import transaction

from core.errors import InvalidInput, NotPermitted, model_validate
from core.timeline import timeline_append
from projects.locks import project_lock
from projects.readonly import project_writable

from .enums import OpenType, ShareType
from .models import DataResource

RESOURCE_FIELDS = (
    "name",
    "source",
    "format",
    "update_frequency",
    "share_type",
    "share_condition",
    "open_type",
    "video_points",
    "share_scope",
)


def resource_add_authorise(*, project, by) -> None:
    """Only the declaring department fills in its catalogue, while the project is open (403), asked before
    the entry is read. An archived project's catalogue: 409 for everyone (projects.readonly)."""
    project_writable(project, "修改数据资源目录")
    if not by.has_perm("projects.change_catalogue", project):
        raise NotPermitted("只有项目申报单位可以填报数据资源目录。")


def resource_add(*, project, by, data: dict) -> DataResource:
    resource_add_authorise(project=project, by=by)
    fields = {k: (data.get(k) or "").strip() for k in RESOURCE_FIELDS}
    missing = [
        DataResource._meta.get_field(k).verbose_name
        for k in ("name", "source", "format", "update_frequency", "share_type", "open_type")
        if not fields[k]
    ]
    if missing:
        raise InvalidInput(f"请填写{'、'.join(missing)}。")
    if fields["share_type"] not in ShareType.values:
        raise InvalidInput(f"共享属性须为{'、'.join(ShareType.values)}之一。")
    if fields["open_type"] not in OpenType.values:
        raise InvalidInput(f"开放属性须为{'、'.join(OpenType.values)}之一。")
    if fields["share_type"] == ShareType.CONDITIONAL and not fields["share_condition"]:
        raise InvalidInput("有条件共享的资源须写明共享条件。")
    resource = DataResource(project=project, **fields)
    model_validate(resource, exclude=["project"])
    with transaction.atomic():
        project_lock(project.pk, by)
        resource.save()
        timeline_append(
            project=project,
            action="sharing.resource.add",
            label="登记数据资源",
            actor=by,
            data={
                "resource": resource.pk,
                "name": resource.name,
                "share_type": resource.share_type,
                "open_type": resource.open_type,
            },
        )
    return resource


def resource_mark_connected(
    *, resource: DataResource, by, registered: bool, connected: bool, video_connected: bool | None = None
) -> DataResource:
    """The BDC confirms the resource is in the sharing platform's catalogue and its data flows (and, for a
    video resource, that it reaches the video centre)."""
    project = resource.project
    if not by.has_perm("projects.register_catalogue", project):
        raise NotPermitted("只有大数据中心可以确认数据资源的编目和接入。")
    with transaction.atomic():
        project_lock(project.pk, by)
        resource.registered, resource.connected = registered, connected
        if video_connected is not None:
            resource.video_connected = video_connected
        resource.save(update_fields=["registered", "connected", "video_connected"])
        timeline_append(
            project=project,
            action="sharing.resource.connect",
            label="确认数据资源编目接入",
            actor=by,
            data={
                "resource": resource.pk,
                "name": resource.name,
                "registered": registered,
                "connected": connected,
                "video_connected": resource.video_connected,
            },
        )
    return resource
