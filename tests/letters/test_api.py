"""The letters over the API: issue (BDC), list with status, refusals as JSON with a Chinese detail."""

import pytest
from rest_framework.authtoken.models import Token

from core.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def _api(user):
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        return client

    return _api


def _issue(client, opinion, **body):
    return client.post(
        f"/api/v1/projects/{opinion.project_id}/review-opinions/{opinion.pk}/issue/",
        body,
        content_type="application/json",
    )


def test_issue_and_list(world, opinion, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _issue(api(world.bdc), opinion)
    assert response.status_code == 202, response.json()
    assert response.json()["number"].endswith("〕1号")
    listed = api(world.finance).get(f"/api/v1/projects/{opinion.project_id}/letters/").json()
    assert len(listed) == 1
    letter = Letter.objects.get()
    assert listed[0]["status"] == "ready" and listed[0]["sha256"] == letter.document.sha256
    assert listed[0]["download_url"].endswith(f"/documents/{letter.document_id}/download/")

    with django_capture_on_commit_callbacks(execute=True):
        response = _issue(api(world.bdc), opinion, replaces=letter.pk, reason="结论表述有误")
    assert response.status_code == 202, response.json()
    assert response.json()["replaces"] == letter.number


def test_refusals(world, opinion, api):
    response = _issue(api(world.finance), opinion)
    assert response.status_code == 403 and "大数据中心" in response.json()["detail"]
    assert _issue(api(world.dept2), opinion).status_code == 404
    assert api(world.dept).get(f"/api/v1/projects/{opinion.project_id}/letters/").status_code == 403
    response = _issue(api(world.bdc), opinion, replaces=999999)
    assert response.status_code == 404
    assert _issue(api(world.bdc), opinion).status_code == 202
    response = _issue(api(world.bdc), opinion)
    assert response.status_code == 409 and "正在生成" in response.json()["detail"]
    response = api(world.bdc).post(
        f"/api/v1/projects/{opinion.project_id}/review-opinions/999999/issue/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 404
