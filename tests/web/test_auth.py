import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户登录" in body
    assert "css/portal.css" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_home_anonymous_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_wrong_password_shows_chinese_error(world, client):
    response = client.post("/login/", {"username": "dept", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "用户名" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_logout(world, client):
    response = client.post("/login/", {"username": "dept", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert world.dept.full_name in page.content.decode()
    assert "建设单位" in page.content.decode()
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_lockout_shows_locked_page(world, client):
    for _ in range(5):
        client.post("/login/", {"username": "dept", "password": "wrong-password-1"})
    response = client.post("/login/", {"username": "dept", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "账号已锁定" in body
    assert "_auth_user_id" not in client.session


def test_post_without_csrf_token_is_refused(world):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.dept)
    response = csrf_client.post("/projects/new/", {"name": "x"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
