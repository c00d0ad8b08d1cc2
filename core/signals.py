"""Operators' duties are kept apart (等保 三权分立): each operator role gets exactly one group of admin
permissions, and only operators may enter the admin at all."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .enums import OPERATOR_ROLES, Role
from .models import User

# Role → (app_label, codename) permissions of its admin group.
OPERATOR_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.SYSADMIN: [("core", f"{verb}_{model}") for model in ("user", "organisation", "jurisdiction")
                    for verb in ("add", "change", "view")]
    + [("reviews", f"{verb}_expertprofile") for verb in ("add", "change", "view")],
    Role.SECADMIN: [("axes", "view_accessattempt"), ("axes", "delete_accessattempt"),
                    ("axes", "view_accessfailurelog"), ("core", "view_user")],
    Role.AUDITADMIN: [("auditlog", "view_logentry"), ("axes", "view_accesslog"),
                      ("axes", "view_accessfailurelog"), ("core", "view_timelineentry")],
}


def role_group_sync(user: User) -> None:
    from django.contrib.auth.models import Group, Permission

    wanted = set()
    for role, perms in OPERATOR_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        if not group.permissions.exists():
            for app_label, codename in perms:
                perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if perm:
                    group.permissions.add(perm)
        if user.role == role:
            wanted.add(group)
    operator_groups = Group.objects.filter(name__in=[Role(r).label for r in OPERATOR_ROLES])
    user.groups.remove(*[g for g in operator_groups if g not in wanted])
    user.groups.add(*wanted)


@receiver(post_save, sender=User)
def user_role_sync(sender, instance: User, **kwargs):
    is_operator = instance.role in OPERATOR_ROLES
    if instance.is_staff != is_operator and not instance.is_superuser:
        User.objects.filter(pk=instance.pk).update(is_staff=is_operator)
        instance.is_staff = is_operator
    if not kwargs.get("raw"):
        role_group_sync(instance)

