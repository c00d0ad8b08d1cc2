"""Accounts against guessing: the lockout by (username, address) and by address, expiring API tokens that
end with a password change, the password rules against name-and-digits passwords, and the CSP."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.enums import Role
from core.models import TokenUse
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TOKEN_URL = "/api/v1/auth/token/"
A, B = "10.1.1.1", "10.2.2.2"


def login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def token_login(client, username, password, address=A):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


# Lockout


def test_five_failures_lock_the_pair_only(client, world):
    for attempt in range(4):
        assert login(client, "bdc", f"Wrong-{attempt}", A).status_code == 200
    assert login(client, "bdc", "Wrong-4", A).status_code == 429
    assert login(client, "bdc", PASSWORD, A).status_code == 429  # locked from A, even with the password

    # From another address bdc still logs in: nobody can lock an account out from elsewhere.
    assert login(client, "bdc", PASSWORD, B).status_code == 302
    # And from A another user of the same (NAT) address still logs in.
    client.logout()
    assert login(client, "dept", PASSWORD, A).status_code == 302


def test_spraying_usernames_from_one_address_is_locked(world):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    client = APIClient()
    codes = [token_login(client, f"guess{i}", "Wrong-Pass-1", A).status_code for i in range(limit)]
    assert codes == [400] * (limit - 1) + [429]
    # The address is locked, for every username, the right password included ...
    response = token_login(client, "dept", PASSWORD, A)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    # ... and only that address.
    assert token_login(client, "dept", PASSWORD, B).status_code == 200


def test_a_valid_login_does_not_reset_the_address_count(client, world):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for i in range(limit - 1):
        login(client, f"guess{i}", "Wrong-Pass-1", A)
    assert login(client, "dept", PASSWORD, A).status_code == 302  # dept had no failures of its own
    assert AccessAttempt.objects.filter(ip_address=A).count() == limit - 1
    client.logout()
    assert login(client, "guess-last", "Wrong-Pass-1", A).status_code == 429


def test_a_valid_login_forgives_the_users_own_failures(client, world):
    for attempt in range(4):
        login(client, "dept", f"Wrong-{attempt}", A)
    login(client, "other", "Wrong-0", A)
    login(client, "dept", "Wrong-0", B)
    assert login(client, "dept", PASSWORD, A).status_code == 302
    assert sorted(AccessAttempt.objects.values_list("username", "ip_address")) == [("dept", B), ("other", A)]


def test_client_address_behind_the_proxy(rf, settings):
    from core.auth import client_ip_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "10.9.9.9"  # what our proxy saw; 1.2.3.4 may be forged
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip_address(request) == "10.0.0.2"  # fewer entries than proxies: no trust


# Tokens


def test_token_response_states_its_expiry(world):
    before = timezone.now()
    response = token_login(APIClient(), "dept", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires_at = parse_datetime(body["expires_at"])
    assert before + settings.TOKEN_TTL <= expires_at <= timezone.now() + settings.TOKEN_TTL
    assert timedelta(hours=8) == settings.TOKEN_TTL


def test_token_past_its_lifetime_is_401_in_chinese(world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    key = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # Used every 20 minutes, it stays valid up to its lifetime ...
    steps = int(settings.TOKEN_TTL / timedelta(minutes=20))
    for _ in range(steps - 1):
        time_machine.shift(timedelta(minutes=20))
        assert client.get("/api/v1/projects/").status_code == 200
    # ... and not past it.
    time_machine.shift(timedelta(minutes=20, seconds=1))
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已过期（有效期8小时），请重新获取令牌。"
    assert not Token.objects.filter(key=key).exists()
    # A new login issues a new token.
    new = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    assert new != key


def test_idle_token_is_401(world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    key = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    time_machine.shift(settings.TOKEN_IDLE_TIMEOUT + timedelta(seconds=1))
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已闲置超过30分钟而失效，请重新获取令牌。"


def test_token_use_is_written_at_most_once_a_minute(world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    key = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    issued = Token.objects.get(key=key).created
    assert not TokenUse.objects.filter(token_id=key).exists()  # issued just now: `created` is the last use
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    time_machine.shift(timedelta(seconds=30))
    assert client.get("/api/v1/policies/").status_code == 200
    assert not TokenUse.objects.filter(token_id=key).exists()
    time_machine.shift(timedelta(seconds=31))
    assert client.get("/api/v1/policies/").status_code == 200
    used = TokenUse.objects.get(token_id=key).last_used_at
    assert used == issued + timedelta(seconds=61)
    time_machine.shift(timedelta(seconds=59))
    assert client.get("/api/v1/policies/").status_code == 200
    assert TokenUse.objects.get(token_id=key).last_used_at == used


def test_password_change_deletes_the_tokens(world):
    key = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/projects/").status_code == 200

    user = type(world.dept).objects.get(pk=world.dept.pk)
    user.last_name = "x"
    user.save()  # other changes leave the token alone
    assert Token.objects.filter(key=key).exists()

    user.set_password("Another-Pass-2026!")
    user.save()
    assert not Token.objects.filter(user=user).exists()
    assert client.get("/api/v1/projects/").status_code == 401


def test_login_keeps_the_tokens(world, client):
    key = token_login(APIClient(), "dept", PASSWORD).json()["token"]
    assert login(client, "dept", PASSWORD, A).status_code == 302  # saves last_login
    assert Token.objects.filter(key=key).exists()


# Passwords


@pytest.mark.parametrize(
    ("username", "full_name", "password", "expected"),
    [
        (None, None, "dept123456A", "密码不能包含用户名。"),
        ("zm01", "张明", "Zhangming2026", "密码为字母加数字的简单组合，容易被猜中，请混入符号或打乱顺序。"),
        ("zm01", "张明", "Zhang.Ming-2026", "密码不能使用姓名拼音或常见单词加数字的组合。"),
        ("zm01", "张明", "Woaini@1314!", "密码不能使用姓名拼音或常见单词加数字的组合。"),
    ],
)
def test_name_and_digits_passwords_are_refused_in_chinese(world, username, full_name, password, expected):
    from tests.factories import UserFactory

    user = world.dept  # username "dept"
    if username:
        user = UserFactory(
            username=username, full_name=full_name, role=Role.DEPARTMENT, organisation=world.dept_org
        )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password, user=user)
    assert expected in caught.value.messages


@pytest.mark.parametrize("password", ["Hq7#mVt2-pLx", "Wd-Portal-2026#", PASSWORD])
def test_strong_passwords_are_accepted(world, password):
    validate_password(password, user=world.dept)


# Content-Security-Policy


def test_pages_carry_a_strict_csp(client, world):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    client.force_login(world.dept)
    assert "script-src 'self'" in client.get(reverse("home"))["Content-Security-Policy"]


def test_api_docs_carry_a_csp_and_load_their_script_from_self(client, world):
    client.force_login(world.dept)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    body = response.content.decode()
    # Every script is external, and the one inline <style> is allowed by its hash.
    assert not [s for s in re.findall(r"<script[^>]*>(.*?)</script>", body, re.S) if s.strip()]
    import base64
    import hashlib

    for style in re.findall(r"<style>(.*?)</style>", body, re.S):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', body).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# WeasyPrint's PDF layouts are never served to a browser: their <style> and style attributes stay.
NOT_SERVED = ("pdf/",)


def _served_templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            name = path.relative_to(directory).as_posix()
            if not name.startswith(NOT_SERVED):
                yield name, path.read_text(encoding="utf-8")


def test_no_template_has_inline_script_or_style():
    found = []
    for name, text in _served_templates():
        for body in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S | re.I):
            if body.strip():
                found.append((name, "inline <script>"))
        if re.search(r"<style\b", text, re.I):
            found.append((name, "<style>"))
        if re.search(r"\son[a-z]+\s*=", text, re.I):
            found.append((name, "on…= handler"))
        if re.search(r"\sstyle\s*=", text, re.I):
            found.append((name, "style= attribute"))
        if re.search(r"javascript:", text, re.I):
            found.append((name, "javascript: URL"))
    assert found == []
