"""Operators' duties are kept apart (等保 三权分立): each operator role gets exactly one group of admin
permissions, and only operators may enter the admin at all."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_init, post_migrate, post_save
from django.dispatch import receiver

from .enums import OPERATOR_ROLES, Role
from .middleware import session_renewed
from .models import User

# Role → (app_label, codename) permissions of its admin group.
OPERATOR_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.SYSADMIN: [
        ("core", f"{verb}_{model}")
        for model in ("user", "organisation", "jurisdiction")
        for verb in ("add", "change", "view")
    ]
    + [
        ("core", f"{verb}_{model}")
        for model in ("holidayyear", "holidayday")
        for verb in ("add", "change", "delete", "view")
    ]
    + [("reviews", f"{verb}_expertprofile") for verb in ("add", "change", "view")],
    Role.SECADMIN: [
        ("axes", "view_accessattempt"),
        ("axes", "delete_accessattempt"),
        ("axes", "view_accessfailurelog"),
        ("core", "view_user"),
    ],
    Role.AUDITADMIN: [
        ("auditlog", "view_logentry"),
        ("axes", "view_accesslog"),
        ("axes", "view_accessfailurelog"),
        ("core", "view_timelineentry"),
    ],
}


def operator_groups_sync() -> dict[str, object]:
    """Each operator role's group holds exactly the permissions above (a release that changes the
    list changes the groups at the next migrate)."""
    from django.contrib.auth.models import Group, Permission

    groups = {}
    for role, perms in OPERATOR_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        wanted = [
            p
            for app_label, codename in perms
            for p in Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        ]
        if set(group.permissions.all()) != set(wanted):
            group.permissions.set(wanted)
        groups[role] = group
    return groups


def role_group_sync(user: User) -> None:
    from django.contrib.auth.models import Group

    operator_groups = {
        g.name: g for g in Group.objects.filter(name__in=[Role(r).label for r in OPERATOR_ROLES])
    }
    if len(operator_groups) < len(OPERATOR_ROLES):
        groups = operator_groups_sync()
        operator_groups = {g.name: g for g in groups.values()}
    wanted = operator_groups.get(Role(user.role).label) if user.role in OPERATOR_ROLES else None
    user.groups.remove(*[g for g in operator_groups.values() if g != wanted])
    if wanted:
        user.groups.add(wanted)


@receiver(post_save, sender=User)
def user_role_sync(sender, instance: User, **kwargs):
    is_operator = instance.role in OPERATOR_ROLES
    if instance.is_staff != is_operator and not instance.is_superuser:
        User.objects.filter(pk=instance.pk).update(is_staff=is_operator)
        instance.is_staff = is_operator
    if not kwargs.get("raw"):
        role_group_sync(instance)


@receiver(post_migrate)
def operator_groups_after_migrate(sender, **kwargs):
    if sender.name == "core":
        operator_groups_sync()


@receiver(post_init, sender=User)
def user_password_remember(sender, instance: User, **kwargs):
    # From __dict__: a deferred password (`.only(...)`) must not cost a query on every load.
    instance._loaded_password = instance.__dict__.get("password")


@receiver(post_save, sender=User)
def user_tokens_rotate_on_password_change(sender, instance: User, created: bool, **kwargs):
    """A new password hash ends every API token of the user, as Django's session hash ends the sessions.
    (A hash upgraded at login by a new hasher setting counts too, like it does for the sessions.)"""
    loaded = getattr(instance, "_loaded_password", None)
    if created or kwargs.get("raw") or "password" not in instance.__dict__ or instance.password == loaded:
        return
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=instance).delete()
    instance._loaded_password = instance.password


@receiver(user_logged_in)
def session_renewed_at_login(sender, request, user, **kwargs):
    """A login saves a new session, whose expiry starts now: the idle renewal's clock starts with it."""
    if getattr(request, "session", None) is not None:
        session_renewed(request.session)
