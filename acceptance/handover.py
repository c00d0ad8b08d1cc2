"""Asset handover after acceptance (wendeng-2021 第三十八条: 项目建成后，资产移交国有公司统一运维管理).

The department records, once the project has passed acceptance, to whom it handed the assets over (the
state-owned company that runs them), what (the list of assets), when, with the recipient's receipt uploaded;
the archive check WD-38-handover reads the record (`asset_handover_fact`). The step is an action
(`handover_assets`, API.md) that applies only where the policy names who takes it."""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timeline import timeline_append
from projects.actions import ActionSpec, actor_allowed
from projects.enums import DocumentKind, ProjectState
from projects.locks import project_lock

from .models import AssetHandover

HANDOVER_STATES = frozenset({ProjectState.EVALUATION})  # after a passed acceptance, before 归档
MAX_ASSETS = 200


def assets_parse(text: str) -> list[dict]:
    """The assets typed one a line, "名称 数量" (the quantity with its unit, optional) → [{"name", "quantity"}]."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _, quantity = line.rpartition(" ")
        if not name.strip():  # one word: a name without a quantity
            name, quantity = quantity, ""
        if len(name) > 200:
            raise forms.ValidationError(f"移交资产清单第{number}行的资产名称过长（最多200字）。")
        found.append({"name": name.strip(), "quantity": quantity.strip()[:50]})
    if not found:
        raise forms.ValidationError("请列出移交的资产，每行一项：资产名称 数量。")
    if len(found) > MAX_ASSETS:
        raise forms.ValidationError(f"移交资产清单最多{MAX_ASSETS}项，请分批登记。")
    return found


def asset_handover_record(
    *, project, by, recipient: str, assets: list[dict], handed_over_on, receipt, note: str = ""
) -> AssetHandover:
    """Record a handover (to whom, what, when) with the recipient's receipt, on the project's timeline."""
    recipient = (recipient or "").strip()
    if not recipient:
        raise InvalidInput("请填写接收资产的单位（国有公司）。")
    if not assets:
        raise InvalidInput("请列出移交的资产。")
    if receipt is None:
        raise InvalidInput("请上传资产接收单位签章的接收确认书。")
    if handed_over_on > timezone.localdate():
        raise InvalidInput("移交日期不能晚于今天。")
    from .services import _stored

    with transaction.atomic():
        if not actor_allowed(project, "handover_assets", by):
            raise NotPermitted("只有项目的申报单位可以登记资产移交。")
        locked = project_lock(project.pk, by)
        if locked.state not in HANDOVER_STATES:
            raise Conflict(
                f"项目当前状态为“{locked.get_state_display()}”，不能登记资产移交（须在验收合格后、归档前）。"
            )
        version = _stored(locked, by, DocumentKind.OTHER, receipt, f"资产移交接收确认书（{recipient}）")
        record = AssetHandover.objects.create(
            project=locked,
            recipient=recipient,
            assets=assets,
            handed_over_on=handed_over_on,
            receipt=version,
            note=(note or "").strip(),
            by=by,
        )
        timeline_append(
            project=locked,
            action="acceptance.assets.handover",
            label=f"资产移交：{recipient}（{len(assets)}项）",
            actor=by,
            comment=record.note,
            data={
                "handover": record.pk,
                "recipient": recipient,
                "handed_over_on": handed_over_on,
                "assets": assets,
            },
            documents=[version.as_record()],
        )
    return record


def asset_handover_fact(project) -> dict | None:
    """The latest handover of the project's assets, for the archive check: {"recipient", "on", "count"}."""
    record = AssetHandover.objects.filter(project=project).order_by("-handed_over_on", "-pk").first()
    if record is None:
        return None
    return {"recipient": record.recipient, "on": record.handed_over_on, "count": len(record.assets)}


# ---- the action --------------------------------------------------------------------------------------


class HandoverForm(forms.Form):
    recipient = forms.CharField(
        label="接收单位",
        max_length=200,
        help_text="承接统一运维管理的国有公司",
        error_messages={"required": "请填写接收资产的单位（国有公司）。"},
    )
    assets = forms.CharField(
        label="移交资产清单",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项：资产名称 数量，如“视频会议终端 12台”“业务应用系统软件 1套”。",
        error_messages={"required": "请列出移交的资产，每行一项：资产名称 数量。"},
    )
    handed_over_on = forms.DateField(
        label="移交日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写移交日期。", "invalid": "移交日期格式不对（YYYY-MM-DD）。"},
    )
    receipt = forms.FileField(
        label="接收确认书",
        help_text="接收单位签章的资产移交接收确认书（扫描件）",
        error_messages={"required": "请上传资产接收单位签章的接收确认书。"},
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_assets(self):
        return assets_parse(self.cleaned_data.get("assets", ""))

    def clean_handed_over_on(self):
        value = self.cleaned_data["handed_over_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("移交日期不能晚于今天。")
        return value


def _handover(project, data, by):
    return asset_handover_record(
        project=project,
        by=by,
        recipient=data["recipient"],
        assets=data["assets"],
        handed_over_on=data["handed_over_on"],
        receipt=data["receipt"],
        note=data.get("note", ""),
    )


HANDOVER_ACTIONS = (
    ActionSpec(
        "handover_assets",
        "登记资产移交",
        HANDOVER_STATES,
        frozenset({Role.DEPARTMENT}),
        form=lambda project, user, data=None, files=None: HandoverForm(data, files),
        run=_handover,
        describe=lambda h: {
            "id": h.pk,
            "recipient": h.recipient,
            "assets": h.assets,
            "handed_over_on": h.handed_over_on.isoformat(),
            "receipt": h.receipt_id,
        },
        owner_only=True,
        optional=True,
        audit_actions=("acceptance.assets.handover",),
        back=lambda project: reverse("projects:detail", kwargs={"pk": project.pk}) + "#handover",
        section="acceptance",
        help="项目建成（验收合格）后，将资产移交国有公司统一运维管理：登记接收单位、资产清单、移交日期，并上传接收确认书。",
        done=lambda h: f"已登记资产移交：{h.recipient}，{len(h.assets)}项。",
    ),
)


def handover_page_context(*, project, user, forms: dict) -> dict:
    """The project page's 资产移交 block: the handovers recorded (one query), where the policy asks for them."""
    if project.policy.actor_for("handover_assets", project) is None:
        return {"show_handover": False}
    if project.state not in (HANDOVER_STATES | {ProjectState.ARCHIVED}):
        return {"show_handover": False}
    handovers = list(project.asset_handovers.select_related("by", "receipt").order_by("handed_over_on", "pk"))
    return {"show_handover": True, "asset_handovers": handovers}
