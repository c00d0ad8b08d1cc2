"""The catalogue's action (API.md, *Actions*): the reviewing body confirms a resource is in the sharing
platform's catalogue and its data flows; registered with the project in SharingConfig.ready()."""

from django import forms
from django.urls import reverse

from core.enums import Role
from projects.actions import ActionSpec
from projects.checks import CheckContext
from projects.rules import ACTIVE_STATES

from .models import DataResource
from .services import resource_mark_connected


class ConnectForm(forms.Form):
    resource = forms.ModelChoiceField(
        label="数据资源",
        queryset=DataResource.objects.none(),
        empty_label="请选择数据资源…",
        error_messages={"required": "请选择数据资源。", "invalid_choice": "该数据资源不属于本项目。"},
    )
    registered = forms.BooleanField(label="已纳入共享平台目录", required=False)
    connected = forms.BooleanField(label="已接入共享平台", required=False)
    video_connected = forms.BooleanField(label="已接入视频中心", required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = DataResource.objects.filter(project=project).order_by("id")


def _connect(project, data, by):
    return resource_mark_connected(
        resource=data["resource"],
        by=by,
        registered=data["registered"],
        connected=data["connected"],
        video_connected=data["video_connected"],
    )


SHARING_ACTIONS = (
    ActionSpec(
        "connect_resources",
        "确认数据资源编目接入",
        ACTIVE_STATES,
        frozenset({Role.BDC}),
        form=lambda project, user, data=None, files=None: ConnectForm(data, project=project),
        run=_connect,
        describe=lambda r: {
            "id": r.pk,
            "name": r.name,
            "registered": r.registered,
            "connected": r.connected,
            "video_connected": r.video_connected,
        },
        audit_actions=("sharing.resource.connect",),
        back=lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + "#catalogue",
        section="catalogue",
        ready=lambda project: bool(CheckContext.shared(project).resources),
    ),
)
