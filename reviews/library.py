"""The expert library the reviewing body keeps: experts with their fields, employer, contact and availability,
and the conflicts of interest they declare. Changes are audited (django-auditlog on the models)."""

from django.db import IntegrityError, transaction

from core.enums import Role
from core.errors import Conflict, InvalidInput, NotPermitted
from core.models import Organisation, User

from .enums import ExpertField
from .models import ExpertConflict, ExpertProfile


def _library_jurisdiction(by):
    if by.role != Role.BDC or by.organisation_id is None:
        raise NotPermitted("只有大数据中心可以管理专家库。")
    return by.organisation.jurisdiction_id


def _clean_fields(fields) -> list[str]:
    fields = list(fields or [])
    unknown = [f for f in fields if f not in ExpertField.values]
    if unknown:
        raise InvalidInput(f"未知的专家领域：{'、'.join(map(str, unknown))}。")
    if not fields:
        raise InvalidInput(
            "请至少选择一个专家领域。", extra={"errors": {"fields": ["请至少选择一个专家领域。"]}}
        )
    return [f for f in ExpertField.values if f in fields]


def _clean_employer(jurisdiction_id, employer, employer_name: str) -> tuple[Organisation | None, str]:
    if employer is not None and employer.jurisdiction_id != jurisdiction_id:
        raise InvalidInput("工作单位须为本行政区划登记的单位；其他单位请填写工作单位名称。")
    name = (employer_name or "").strip() or (employer.name if employer else "")
    if not name:
        raise InvalidInput(
            "请选择或填写专家的工作单位：抽取时据此回避申报单位、共建单位和投标单位。",
            extra={"errors": {"employer_name": ["请选择或填写工作单位。"]}},
        )
    return employer, name


def expert_create(*, by, data: dict) -> ExpertProfile:
    """Add an expert to the BDC's library with a login account (role 专家). The account has no password
    until the 系统管理员 sets one (等保 三权分立: accounts are the operators' business)."""
    jurisdiction_id = _library_jurisdiction(by)
    username = (data.get("username") or "").strip()
    full_name = (data.get("full_name") or "").strip()
    if not username or not full_name:
        raise InvalidInput("请填写专家的登录名和姓名。")
    fields = _clean_fields(data.get("fields"))
    employer, employer_name = _clean_employer(
        jurisdiction_id, data.get("employer"), data.get("employer_name")
    )
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput(
                f"登录名“{username}”已被使用，请换一个。",
                extra={"errors": {"username": ["登录名已被使用。"]}},
            )
        user = User(
            username=username,
            role=Role.EXPERT,
            full_name=full_name,
            phone=(data.get("phone") or "").strip(),
            email=(data.get("email") or "").strip(),
        )
        user.set_unusable_password()
        try:
            user.save()
        except IntegrityError:
            raise InvalidInput(f"登录名“{username}”已被使用，请换一个。") from None
        return ExpertProfile.objects.create(
            user=user,
            jurisdiction_id=jurisdiction_id,
            fields=fields,
            employer=employer,
            employer_name=employer_name,
            title=(data.get("title") or "").strip(),
            available=bool(data.get("available", True)),
            availability_note=(data.get("availability_note") or "").strip(),
        )


def expert_update(*, expert: ExpertProfile, by, data: dict) -> ExpertProfile:
    """Change an expert's fields, employer, contact or availability. A panel already drawn keeps its record;
    the change applies to the draws that follow."""
    if not by.has_perm("reviews.manage_expert", expert):
        raise NotPermitted("只有本行政区划的大数据中心可以修改该专家的信息。")
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().select_related("user").get(pk=expert.pk)
        if "fields" in data:
            locked.fields = _clean_fields(data["fields"])
        if "employer" in data or "employer_name" in data:
            locked.employer, locked.employer_name = _clean_employer(
                locked.jurisdiction_id,
                data.get("employer", locked.employer),
                data.get("employer_name", locked.employer_name),
            )
        for key in ("title", "availability_note"):
            if key in data:
                setattr(locked, key, (data[key] or "").strip())
        if "available" in data:
            locked.available = bool(data["available"])
        locked.save()
        user = locked.user
        for key in ("full_name", "phone", "email"):
            if key in data:
                setattr(user, key, (data[key] or "").strip())
        if not user.full_name:
            raise InvalidInput("请填写专家姓名。")
        user.save(update_fields=["full_name", "phone", "email"])
    return locked


def expert_conflict_record(
    *, expert: ExpertProfile, by, organisation: Organisation, reason: str
) -> ExpertConflict:
    """A declared conflict of interest (利害关系) between an expert and an organisation: the expert is not
    drawn for that organisation's projects, nor where it is a co-builder or a bidder."""
    if not by.has_perm("reviews.declare_conflict", expert):
        raise NotPermitted("只有大数据中心或专家本人可以登记利害关系。")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写存在利害关系的原因。", extra={"errors": {"reason": ["请填写原因。"]}})
    if organisation.jurisdiction_id != expert.jurisdiction_id:
        raise InvalidInput("利害关系单位须为本行政区划登记的单位。")
    conflict = ExpertConflict.objects.filter(expert=expert, organisation=organisation).first()
    if conflict is not None:
        raise Conflict(f"已登记该专家与{organisation.name}的利害关系。")
    return ExpertConflict.objects.create(
        expert=expert, organisation=organisation, reason=reason, recorded_by=by
    )
