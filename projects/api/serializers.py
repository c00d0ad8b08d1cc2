"""What the projects API reads and writes. Input serializers only shape and type the request; the rules
(who may, in which state, under which regulation) stay in the services."""

from django import forms
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import api_fields as strict
from core.api_fields import AmountField
from core.enums import Role
from core.fields import field_type

from ..deadlines import DeadlineStatus
from ..enums import ConstructionKind, DocumentKind, ProjectCategory, ProjectState, Severity
from ..models import CHAPTER_FIELDS, FLAG_FIELDS, DeadlineWarning, DocumentVersion, Project
from ..transitions import TRANSITIONS


def choice_message(choices) -> dict:
    return {"invalid_choice": "“{input}”不是有效选项，可选：" + "、".join(str(c) for c in choices) + "。"}


# ---- errors ------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="规则代码")
    severity = serializers.ChoiceField(choices=Severity.choices, help_text="block 阻断 / warn 预警")
    passed = serializers.BooleanField(allow_null=True, help_text="null：取决于办理时填写的内容，提交时核验")
    message = serializers.CharField()
    source = serializers.CharField(help_text="依据的管理办法及条款")


class ConflictSerializer(ErrorSerializer):
    checks = CheckSerializer(many=True, required=False, help_text="规则不允许时：未通过的阻断性规则")


class InvalidInputSerializer(ErrorSerializer):
    errors = serializers.DictField(required=False, help_text="按字段列出的错误")


ERRORS = {400: InvalidInputSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


# ---- vocabularies ------------------------------------------------------------------------------


class VocabularySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PolicySerializer(VocabularySerializer):
    title = serializers.CharField(help_text="管理办法全称")
    document_number = serializers.CharField(help_text="文号；征求意见稿等无文号时为空")
    jurisdiction = serializers.CharField()
    version = serializers.CharField()
    issued = serializers.DateField(allow_null=True)


# ---- projects ----------------------------------------------------------------------------------


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(OrganisationBriefSerializer(many=True))
class CoBuildersField(serializers.Field):
    """The project's co-builders as `{id, name}`, by id: a list passes those of its whole page in the context
    (`co_builders`: `selectors.co_builder_briefs`, one query), a single project reads its own."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, project):
        known = self.context.get("co_builders")
        if known is not None:
            return known.get(project.pk, [])
        return [{"id": o.id, "name": o.name} for o in project.co_builders.order_by("id").only("id", "name")]


class ProjectSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    co_builders = CoBuildersField()
    policy = serializers.CharField(source="policy_code", read_only=True, help_text="适用管理办法代码")
    policy_label = serializers.CharField(source="policy.label", read_only=True)
    state_label = strict.ChoiceLabelField(ProjectState.choices, source="state")
    category_label = strict.ChoiceLabelField(ProjectCategory.choices, source="category")
    construction_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ConstructionKind.choices), read_only=True
    )
    returned = serializers.SerializerMethodField(
        help_text="退回修改：草稿曾经提交申报、被大数据中心退回修改（state 为 draft 且 declared_at 非空）"
    )

    class Meta:
        model = Project
        list_serializer_class = (
            strict.ColumnListSerializer
        )  # a list of 50 rows: most of its time in DRF's reads
        fields = [
            "id",
            "code",
            "name",
            "organisation",
            "co_builders",
            "category",
            "category_label",
            "year",
            "declared_amount",
            "approved_amount",
            "contract_amount",
            "construction_kinds",
            "contact_name",
            "contact_phone",
            *FLAG_FIELDS,
            *CHAPTER_FIELDS.values(),
            "policy",
            "policy_version",
            "policy_label",
            "state",
            "state_label",
            "returned",
            "declared_at",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_returned(self, project) -> bool:
        return project.state == ProjectState.DRAFT and project.declared_at is not None


# The project's columns the list does not serialise (ProjectSerializer.Meta.fields): not loaded for a list.
PROJECT_UNLISTED_FIELDS = (
    "approval_basis",
    "valid_until",
    "plan_rank",
    "suspended_from",
    "created_by",
)


class ProjectInputSerializer(serializers.Serializer):
    """What a department enters when it declares or edits a draft (amounts in 万元)."""

    name = strict.CharField(label="项目名称", max_length=200)
    category = strict.ChoiceField(
        label="项目类别",
        choices=ProjectCategory.choices,
        required=False,
        error_messages=choice_message(ProjectCategory.values),
    )
    year = strict.IntegerField(label="计划年度", min_value=2000, max_value=2100)
    declared_amount = AmountField(label="申报金额（万元）", help_text="万元，两位小数；字符串或数字均可")
    construction_kinds = serializers.ListField(
        label="建设内容类别",
        required=False,
        child=strict.ChoiceField(
            choices=ConstructionKind.choices,
            error_messages={"invalid_choice": "未知的建设内容类别：{input}。"},
        ),
    )
    co_builders = serializers.ListField(
        label="共建单位", child=strict.id_field(), required=False, help_text="本行政区划内单位的 id"
    )
    contact_name = strict.CharField(label="联系人", max_length=64, required=False, allow_blank=True)
    contact_phone = strict.CharField(label="联系电话", max_length=32, required=False, allow_blank=True)
    is_classified = strict.BooleanField(label="涉密", required=False, default=False)
    has_video = strict.BooleanField(label="涉及公共视频监控", required=False, default=False)
    is_security = strict.BooleanField(label="涉及信息安全", required=False, default=False)
    is_cross_department = strict.BooleanField(label="跨部门共建", required=False, default=False)
    is_emergency = strict.BooleanField(label="紧急项目", required=False, default=False)
    adds_fixed_assets = strict.BooleanField(label="新增固定资产", required=False, default=False)
    in_plan = strict.BooleanField(label="已纳入规划", required=False, default=False)
    higher_level_arranged = strict.BooleanField(
        label="国家、省统筹安排并拨付资金", required=False, default=False
    )
    background = strict.CharField(label="项目背景及必要性", required=False, allow_blank=True)
    current_state = strict.CharField(label="现状与需求分析", required=False, allow_blank=True)
    content = strict.CharField(label="项目建设内容", required=False, allow_blank=True)
    design = strict.CharField(label="项目设计方案", required=False, allow_blank=True)
    organisation_plan = strict.CharField(label="项目组织管理", required=False, allow_blank=True)
    investment = strict.CharField(label="项目投资", required=False, allow_blank=True)
    performance = strict.CharField(label="项目绩效目标和风险分析", required=False, allow_blank=True)


class ProjectListQuerySerializer(serializers.Serializer):
    from_query = True  # a filter sent empty is no filter (core.api_fields)

    state = strict.ChoiceField(
        label="状态",
        choices=ProjectState.choices,
        required=False,
        error_messages=choice_message(ProjectState.values),
    )
    year = strict.IntegerField(label="计划年度", required=False, min_value=2000, max_value=2100)
    organisation = strict.id_field(label="建设单位", required=False, help_text="建设单位 id")
    q = strict.CharField(label="关键词", required=False, help_text="项目名称或编号包含的文字")


# ---- documents ---------------------------------------------------------------------------------


class DocumentUploadSerializer(serializers.Serializer):
    kind = strict.ChoiceField(
        label="文档类型",
        choices=DocumentKind.choices,
        error_messages={"invalid_choice": "未知的文档类型：{input}。"},
    )
    file = serializers.FileField(label="文件", help_text="PDF、OFD、Word、Excel、图片等；按实际内容核验类型")
    title = strict.CharField(label="标题", max_length=200, required=False, allow_blank=True)
    has_sharing_chapter = strict.BooleanField(label="含信息资源共享开放分析篇", required=False, default=False)
    has_security_chapter = strict.BooleanField(label="含项目系统安全分析篇", required=False, default=False)


class DocumentVersionSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="document_id", read_only=True)
    kind = serializers.ChoiceField(source="document.kind", choices=DocumentKind.choices, read_only=True)
    kind_label = serializers.CharField(source="document.get_kind_display", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.__str__", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "kind",
            "kind_label",
            "number",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "has_sharing_chapter",
            "has_security_chapter",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, version) -> str:
        return reverse(
            "api-document-download", kwargs={"id": self.context["project_id"], "version_id": version.pk}
        )


class VersionInDocumentSerializer(DocumentVersionSerializer):
    """A version inside its document: the kind is already on the document."""

    class Meta(DocumentVersionSerializer.Meta):
        fields = [
            f for f in DocumentVersionSerializer.Meta.fields if f not in ("document", "kind", "kind_label")
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    versions = VersionInDocumentSerializer(many=True, help_text="最新版本在前")


# ---- transitions -------------------------------------------------------------------------------


class FieldChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class FieldSerializer(serializers.Serializer):
    """One field of a transition's or an action's input (API.md, *Actions*): a client builds the form from these."""

    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["string", "text", "integer", "decimal", "date", "boolean", "choice", "multichoice", "file"]
    )
    required = serializers.BooleanField(help_text="缺少即为格式错误（400）；管理办法对其取值的要求见 checks")
    choices = FieldChoiceSerializer(many=True, required=False)
    min = serializers.CharField(required=False)
    max = serializers.CharField(required=False)
    max_length = serializers.IntegerField(required=False)
    unit = serializers.CharField(required=False, help_text="如 万元、分、个工作日")
    help = serializers.CharField(required=False)


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField(source="spec.name")
    label = serializers.CharField(source="spec.label")
    target = serializers.CharField(help_text="流转后的状态代码")
    target_label = serializers.SerializerMethodField()
    allowed = serializers.BooleanField(help_text="阻断性规则全部通过（取决于所填内容的规则在提交时核验）")
    checks = CheckSerializer(many=True)

    def get_target_label(self, item) -> str:
        return ProjectState(item.target).label


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField(help_text="阻断性规则全部通过（取决于所填内容的规则在提交时核验）")
    repeatable = serializers.BooleanField(
        source="spec.repeatable", help_text="可多次办理（如每期报告）或仅一次"
    )
    taken = serializers.IntegerField(help_text="调用者在当前状态下已办理的次数")
    checks = CheckSerializer(many=True)


# A field named "fields" cannot be a class attribute of a serializer (it is the serializer's own property).
for _serializer in (TransitionSerializer, ActionSerializer):
    _serializer._declared_fields["fields"] = FieldSerializer(
        many=True, help_text="办理时填写的内容（API.md）"
    )


def form_field_serializer(field: forms.Field, required: bool | None = None):
    """A form field as the API reads it (core.api_fields: exactly as the schema types it), so that a request is
    refused as malformed before its form would read it more loosely."""
    kind = field_type(field)
    if required is None:
        required = bool(field.required) and kind != "boolean"  # an unticked box is an answer
    message = field.error_messages["required"]  # the page's own words (请填写理由：…)
    common = {
        "required": required,
        "label": str(field.label or ""),
        "help_text": str(field.help_text or ""),
        "error_messages": {"required": message, "blank": message},
    }
    if kind == "decimal":
        return AmountField(**common)
    if kind == "integer":
        return strict.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if kind == "date":
        return strict.DateField(**common)
    if kind == "boolean":
        return strict.BooleanField(**common)
    if kind == "file":
        return serializers.FileField(**common)
    if kind in ("choice", "multichoice"):
        choices = [c for c in field.choices if c[0] not in ("", None)]
        if kind == "multichoice":
            return serializers.ListField(child=strict.ChoiceField(choices=choices), **common)
        return strict.ChoiceField(choices=choices, **common)
    return strict.CharField(allow_blank=not required, max_length=getattr(field, "max_length", None), **common)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def transition_input_serializer(spec) -> type[serializers.Serializer]:
    """The body of POST transitions/<name>/: the comment and the transition's own fields, typed and required as
    its form (the table's) has them."""
    return type(
        f"{_camel(spec.name)}TransitionInputSerializer",
        (serializers.Serializer,),
        {
            "__doc__": f"“{spec.label}”所填的内容（与 GET transitions/ 中该流转的 fields 一致）。",
            **{name: form_field_serializer(field) for name, field in spec.form.base_fields.items()},
        },
    )


TRANSITION_INPUTS = {name: transition_input_serializer(spec) for name, spec in TRANSITIONS.items()}


# ---- timeline ----------------------------------------------------------------------------------


class TimelineEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_name", help_text="操作人；系统任务为“系统”")
    actor_role = serializers.CharField()
    actor_role_label = serializers.SerializerMethodField()
    action = serializers.CharField(help_text="如 projects.project.submit")
    label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()
    checks = CheckSerializer(many=True, help_text="办理时规则核验的情况")
    documents = serializers.ListField(child=serializers.DictField(), help_text="随本事项提交的文档")
    data = serializers.DictField()
    prev_hash = serializers.CharField(help_text="前一条的封存值")
    hash = serializers.CharField(help_text="本条的封存值：以平台密钥对本条内容与前一条封存值计算的 HMAC")
    algorithm = serializers.CharField(help_text="封存算法，如 hmac-sm3")
    key_id = serializers.CharField(help_text="封存所用密钥的编号（密钥本身不在数据库中）")

    def get_actor_role_label(self, entry) -> str:
        return Role(entry.actor_role).label if entry.actor_role in Role.values else ""

    def to_representation(self, entry):
        data = super().to_representation(entry)
        if self.context.get("hide_documents") and data["documents"]:
            data["documents"] = [{"kind": d.get("kind", "")} for d in data["documents"]]
        return data


class DeadlineSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="规则代码，如 ZY-21-deadline")
    label = serializers.CharField()
    requirement = serializers.CharField(help_text="管理办法的要求")
    source = serializers.CharField(help_text="依据的管理办法及条款")
    owner = serializers.CharField(help_text="责任方角色：department 建设单位 / bdc 大数据中心")
    period = serializers.CharField(help_text="年度报告等按期发生的期限的期间；其余为空")
    opens_on = serializers.DateField(allow_null=True, help_text="期间起始日（如试运行满期之日）")
    due_on = serializers.DateField(allow_null=True, help_text="最后一日（含）")
    done_on = serializers.DateField(allow_null=True, help_text="完成之日")
    status = serializers.ChoiceField(choices=DeadlineStatus.choices)
    status_label = serializers.CharField()
    note = serializers.CharField(help_text="如无法计算的原因（节假日安排未录入）")


class DeadlineWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    period = serializers.CharField()
    level = serializers.ChoiceField(choices=DeadlineWarning.Level.choices)
    due_on = serializers.DateField()
    message = serializers.CharField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()


class DeadlinesSerializer(serializers.Serializer):
    deadlines = DeadlineSerializer(many=True, help_text="本项目此刻适用的期限")
    warnings = DeadlineWarningSerializer(many=True, help_text="每日预警任务记录的预警，最新的在前")
