"""The project page's 评审意见发文 block, the issue button, the JSON status it polls, and the refusals."""

import pytest

from core.models import Letter
from reviews.issuing import review_opinion_issue
from tests.factories.records import opinion_record

from .conftest import opinion_for

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def as_user(client):
    def _as(user):
        client.logout()
        client.force_login(user, backend=BACKEND)
        return client

    return _as


def _issue_url(opinion):
    return f"/projects/{opinion.project_id}/review/opinions/{opinion.pk}/issue/"


def _status_url(letter):
    return f"/projects/{letter.project_id}/letters/{letter.pk}/status/"


def test_the_bdc_sees_the_issue_button_and_others_do_not(world, opinion, as_user):
    page = as_user(world.bdc).get(f"/projects/{opinion.project_id}/").content.decode()
    assert "出具评审意见（生成PDF）" in page and _issue_url(opinion) in page
    for role in ("finance", "auditor"):
        page = as_user(getattr(world, role)).get(f"/projects/{opinion.project_id}/").content.decode()
        assert "评审意见发文" in page
        assert "出具评审意见（生成PDF）" not in page


def test_issuing_from_the_page_renders_and_links_the_pdf(
    world, opinion, as_user, django_capture_on_commit_callbacks
):
    client = as_user(world.bdc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_issue_url(opinion))
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.status == "ready"
    page = client.get(response["Location"]).content.decode()
    assert letter.number in page
    assert f"/projects/{opinion.project_id}/documents/{letter.document_id}/download/" in page
    assert f"已编发文字号 {letter.number}" in page  # the message was written before the task ran
    download = client.get(f"/projects/{opinion.project_id}/documents/{letter.document_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_while_pending_the_page_says_so_and_polls(world, opinion, as_user):
    letter = review_opinion_issue(opinion=opinion, by=world.bdc)  # on_commit never fires in this test
    page = as_user(world.bdc).get(f"/projects/{opinion.project_id}/").content.decode()
    assert "已登记，生成排队中" in page  # not handed to the broker (yet)
    assert "js/letters.js" in page
    assert f'data-letter-status="{_status_url(letter)}"' in page
    assert "出具评审意见（生成PDF）" not in page  # one letter at a time

    data = as_user(world.finance).get(_status_url(letter)).json()
    assert data == {
        "id": letter.pk,
        "number": letter.number,
        "status": "pending",
        "status_label": "已登记，生成排队中",
        "error": "",
        "download_url": None,
    }

    from django.utils import timezone

    Letter.objects.filter(pk=letter.pk).update(queued_at=timezone.now())  # the broker took its task
    page = as_user(world.bdc).get(f"/projects/{opinion.project_id}/").content.decode()
    assert "正在生成…" in page and "已登记，生成排队中" not in page
    assert as_user(world.finance).get(_status_url(letter)).json()["status_label"] == "正在生成"


def test_status_when_ready_gives_the_download(world, opinion, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = review_opinion_issue(opinion=opinion, by=world.bdc)
    letter.refresh_from_db()
    data = as_user(world.auditor).get(_status_url(letter)).json()
    assert data["status"] == "ready"
    assert data["download_url"] == f"/projects/{opinion.project_id}/documents/{letter.document_id}/download/"


@pytest.mark.parametrize(
    ("role", "status"), [("dept", 403), ("dept2", 404), ("supervisor", 404), ("sysadmin", 404)]
)
def test_status_refusals(world, opinion, as_user, role, status):
    letter = review_opinion_issue(opinion=opinion, by=world.bdc)
    response = as_user(getattr(world, role)).get(_status_url(letter))
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_status_of_a_letter_of_another_project_is_not_found(world, opinion, as_user):
    letter = review_opinion_issue(opinion=opinion, by=world.bdc)
    other = opinion_for(world, name="另一个项目")
    response = as_user(world.bdc).get(f"/projects/{other.project_id}/letters/{letter.pk}/status/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [("finance", 403), ("auditor", 403), ("dept", 403), ("dept2", 404)]
)
def test_only_the_bdc_may_press_issue(world, opinion, as_user, role, status):
    response = as_user(getattr(world, role)).post(_issue_url(opinion))
    assert response.status_code == status
    assert not Letter.objects.exists()


def test_issue_refusals_are_chinese_4xx(world, opinion, as_user):
    client = as_user(world.bdc)
    review_opinion_issue(opinion=opinion, by=world.bdc)
    response = client.post(_issue_url(opinion))
    assert response.status_code == 409
    assert "正在生成PDF" in response.content.decode()
    assert client.post(f"/projects/{opinion.project_id}/review/opinions/999999/issue/").status_code == 404
    assert client.get(_issue_url(opinion)).status_code == 405
    bad = client.post(_issue_url(opinion), {"replaces": "abc"})
    assert bad.status_code == 404


def test_anonymous_is_sent_to_login(client, opinion):
    response = client.post(_issue_url(opinion))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_retry_after_failure_from_the_page(
    world, opinion, as_user, django_capture_on_commit_callbacks, monkeypatch
):
    import core.letters

    monkeypatch.setattr(core.letters, "letter_pdf", lambda letter: (_ for _ in ()).throw(OSError("磁盘已满")))
    client = as_user(world.bdc)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_issue_url(opinion))
    letter = Letter.objects.get()
    page = client.get(f"/projects/{opinion.project_id}/").content.decode()
    assert "生成失败" in page and "磁盘已满" in page and "重新生成" in page
    assert (
        as_user(world.finance).post(f"/projects/{opinion.project_id}/letters/{letter.pk}/retry/").status_code
        == 403
    )
    monkeypatch.undo()
    client = as_user(world.bdc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projects/{opinion.project_id}/letters/{letter.pk}/retry/")
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "ready"


def test_project_page_queries_do_not_grow_with_letters(
    world, issuer, as_user, django_capture_on_commit_callbacks
):
    """The same number of queries with one letter as with three (each opinion issued, the latest shown)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def issue(op):
        with django_capture_on_commit_callbacks(execute=True):
            return review_opinion_issue(opinion=op, by=world.bdc)

    opinion = opinion_for(world)
    issue(opinion)
    client = as_user(world.bdc)
    url = f"/projects/{opinion.project_id}/"
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(2):
        newer = opinion_record(
            project=opinion.project, by=world.bdc, conclusion="pass", summary=f"第{i + 2}次复议。"
        )
        last = issue(newer)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert Letter.objects.filter(project=opinion.project).count() == 3
    assert last.number in response.content.decode()
    # 34 since issue 14: the performance targets, the department's past results, the 预审 letters
    assert len(three.captured_queries) == len(one.captured_queries) <= 34


def test_a_correction_from_the_page(world, opinion, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.bdc)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_issue_url(opinion))
    first = Letter.objects.get()
    page = client.get(f"/projects/{opinion.project_id}/").content.decode()
    assert "出具更正件" in page and f'name="replaces" value="{first.pk}"' in page
    refused = client.post(_issue_url(opinion), {"replaces": first.pk, "reason": ""})
    assert refused.status_code == 400 and "请填写更正原因" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_issue_url(opinion), {"replaces": first.pk, "reason": "专家单位有误"})
    assert response.status_code == 302
    second = Letter.objects.exclude(pk=first.pk).get()
    assert second.replaces_id == first.pk and second.status == "ready"
    page = client.get(f"/projects/{opinion.project_id}/").content.decode()
    assert f"更正 {first.number}" in page
