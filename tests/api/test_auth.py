import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

URL = "/api/v1/auth/token/"


def test_token_good_credentials_returns_a_working_token(world):
    client = APIClient()
    response = client.post(URL, {"username": "dept", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=world.dept).key
    assert response.json()["expires_at"]  # the lifetime is tested in tests/core/test_accounts.py
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/projects/").status_code == 200


def test_token_bad_password_is_400_in_chinese(world):
    response = APIClient().post(URL, {"username": "dept", "password": "wrong-password"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码错误。"}
    assert not Token.objects.filter(user=world.dept).exists()


def test_token_missing_password_is_400(world):
    response = APIClient().post(URL, {"username": "dept"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写密码。"


def test_token_five_failures_lock_the_account_with_429(world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = APIClient()
    codes = [
        client.post(URL, {"username": "dept", "password": f"wrong-{i}"}, format="json").status_code
        for i in range(5)
    ]
    assert codes == [400, 400, 400, 400, 429]
    # Locked: even the right password is refused, with a clear message and never a 500.
    response = client.post(URL, {"username": "dept", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    assert "30分钟" in response.json()["detail"]
    assert not Token.objects.filter(user=world.dept).exists()
    # The lockout is per (account, address): another user of the same address still gets in.
    assert client.post(URL, {"username": "dept2", "password": PASSWORD}, format="json").status_code == 200


def test_api_without_credentials_is_401_in_chinese(world):
    response = APIClient().get("/api/v1/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_api_with_a_wrong_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/projects/").status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/v1/policies/", "/api/v1/document-kinds/", "/api/v1/construction-kinds/"]
)
def test_vocabularies_require_authentication(world, path):
    assert APIClient().get(path).status_code == 401
