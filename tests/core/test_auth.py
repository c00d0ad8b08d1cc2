"""Logging in: lockout after five failures (django-axes), every attempt on record, password rules,
the idle timeout, and the operators' separate duties (等保 三权分立)."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.enums import Role
from tests.factories import PASSWORD

LOCKED_MESSAGE = "登录失败次数过多，账号已锁定30分钟。如需提前解锁，请联系安全管理员。"


def login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_served_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "用户登录" in response.content.decode()


def test_successful_login_is_logged(client, world):
    response = login(client, "dept", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert auth.get_user(client).pk == world.dept.pk
    assert AccessLog.objects.filter(username="dept").count() == 1
    assert AccessFailureLog.objects.filter(username="dept").count() == 0


def test_wrong_password_is_refused_and_logged(client, world):
    response = login(client, "dept", "Wrong-Pass-0000")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own Chinese message
    assert not auth.get_user(client).is_authenticated
    assert AccessFailureLog.objects.filter(username="dept", locked_out=False).count() == 1
    assert AccessAttempt.objects.get(username="dept").failures_since_start == 1


def test_five_wrong_passwords_lock_the_account(client, world):
    for attempt in range(1, 5):
        response = login(client, "dept", f"Wrong-Pass-{attempt}")
        assert response.status_code == 200, attempt
    response = login(client, "dept", "Wrong-Pass-5")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert AccessAttempt.objects.get(username="dept").failures_since_start == 5

    # Now even the right password is refused, and nobody is logged in.
    response = login(client, "dept", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not auth.get_user(client).is_authenticated
    assert AccessLog.objects.filter(username="dept").count() == 0
    assert AccessFailureLog.objects.filter(username="dept").count() == 6
    assert AccessFailureLog.objects.filter(username="dept", locked_out=True).count() == 2

    # The lock is per (account, address): another user of the same address still logs in.
    assert login(client, "dept2", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, world):
    for attempt in range(4):
        login(client, "dept", f"Wrong-{attempt}")
    assert login(client, "dept", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="dept").exists()


def test_api_lockout_answers_json(world):
    """The lockout through `authenticate` with a request, as the API's token login uses it."""
    factory = RequestFactory()
    for attempt in range(5):
        request = factory.post("/api/v1/auth/token/")
        assert auth.authenticate(request=request, username="bdc", password=f"Wrong-{attempt}") is None
    request = factory.post("/api/v1/auth/token/")
    assert auth.authenticate(request=request, username="bdc", password=PASSWORD) is None
    assert request.axes_locked_out is True
    from core.views import lockout_response

    response = lockout_response(request, {"username": "bdc"})
    assert response.status_code == 429
    assert json.loads(response.content) == {"detail": LOCKED_MESSAGE}


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1!xyz", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("Abcdefg1!", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("abcdefghijkmnop", "密码须至少包含小写字母、大写字母、数字、符号中的3类。"),
        ("QWERTYUIOPASDF", "密码须至少包含小写字母、大写字母、数字、符号中的3类。"),
        ("Abcdefghijklm", "密码须至少包含小写字母、大写字母、数字、符号中的3类。"),
        ("83920174659", "密码只包含数字。"),
        ("Qwerty123456", "这个密码太常见了。"),
    ],
)
def test_password_validators_refuse_weak_passwords_in_chinese(db, password, expected):
    # The LocaleMiddleware activates zh-hans for every request; a test outside a request says so itself.
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert expected in caught.value.messages


@pytest.mark.parametrize("password", ["Ab1!xyz", "Abcdefg1!"])
def test_short_password_is_refused(db, password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert [e.code for e in caught.value.error_list] == ["password_too_short"]


def test_password_like_the_username_is_refused(world):
    from tests.factories import UserFactory

    user = UserFactory(username="zhangwei2026", role=Role.DEPARTMENT, organisation=world.dept_org)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("Zhangwei2026!", user=user)
    assert any("用户名" in m and "相似" in m for m in caught.value.messages), caught.value.messages


def test_strong_password_passes(world):
    validate_password("Wd-Portal-2026#", user=world.dept)


def test_session_idle_timeout_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_SECONDS == 60


def test_session_is_renewed_while_used_and_expires_when_idle(client, world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    assert login(client, "dept", PASSWORD).status_code == 302
    key = client.session.session_key
    assert client.session.get_expiry_age() == 30 * 60
    expiry = Session.objects.get(session_key=key).expire_date

    # Within the minute of the last renewal a request writes nothing: the expiry stays where it is.
    time_machine.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in captured.captured_queries)
    assert Session.objects.get(session_key=key).expire_date == expiry

    # A minute on, a request pushes the expiry back to 30 minutes from now.
    time_machine.shift(timedelta(minutes=25))
    assert client.get(reverse("login")).status_code == 302  # already logged in: sent home
    assert Session.objects.get(session_key=key).expire_date == timezone.now() + timedelta(minutes=30)

    # Idle past the limit: the session is gone.
    time_machine.shift(timedelta(minutes=30, seconds=1))
    assert not auth.get_user(client).is_authenticated
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_operator_roles_are_staff_with_their_own_group(world, role):
    user = getattr(world, str(role))
    user.refresh_from_db()
    assert user.is_staff is True
    assert [g.name for g in user.groups.all()] == [Role(role).label]


def test_operator_duties_are_separate(world):
    sysadmin, secadmin, auditadmin = (getattr(world, n) for n in ("sysadmin", "secadmin", "auditadmin"))
    for user in (sysadmin, secadmin, auditadmin):
        user.refresh_from_db()
    assert sysadmin.has_perm("core.add_user")
    assert not sysadmin.has_perm("auditlog.view_logentry")
    assert not sysadmin.has_perm("axes.delete_accessattempt")
    assert secadmin.has_perm("axes.delete_accessattempt")
    assert not secadmin.has_perm("core.add_user")
    assert not secadmin.has_perm("auditlog.view_logentry")
    assert auditadmin.has_perm("auditlog.view_logentry")
    assert auditadmin.has_perm("axes.view_accesslog")
    assert not auditadmin.has_perm("core.change_user")
    assert not auditadmin.has_perm("axes.delete_accessattempt")
    assert Group.objects.get(name="系统管理员").permissions.filter(codename="add_user").exists()


@pytest.mark.parametrize("name", ["dept", "bdc", "finance", "auditor", "supervisor"])
def test_business_users_are_not_staff(world, name):
    user = getattr(world, name)
    user.refresh_from_db()
    assert user.is_staff is False
    assert user.groups.count() == 0


def test_changing_role_moves_staff_and_group(world):
    user = world.sysadmin
    user.role = Role.DEPARTMENT
    user.organisation = world.dept_org
    user.save()
    user.refresh_from_db()
    assert (user.is_staff, user.groups.count()) == (False, 0)
    user.role = Role.AUDITADMIN
    user.save()
    user.refresh_from_db()
    assert user.is_staff is True
    assert [g.name for g in user.groups.all()] == ["审计管理员"]


def test_department_user_cannot_enter_admin(client, world):
    assert login(client, "dept", PASSWORD).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
