"""Refusals in the order a caller can act on them: a project the caller may not see is 404; a step their role may
never take is 403 before anything they sent is read (a malformed body, a bad value) or anything it names is
sought (a review opinion, a letter). And every refusal under /api/ is JSON with a Chinese detail, whatever
went wrong: the method, the content type, the Accept header, the JSON itself, the address."""

import json

import pytest
from django.test import Client

from projects.enums import ProjectState
from tests.api.conftest import submit
from tests.factories import pdf_upload

MALFORMED = "{not json"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _chinese(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    detail = json.loads(response.content)["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    return detail


def _post_raw(client, path, body=MALFORMED, content_type="application/json"):
    return client.post(path, data=body, content_type=content_type)


# ---- authorisation before the body is read ---------------------------------------------------------------


@pytest.fixture
def declared(world):
    return submit(world, world.project())


@pytest.mark.parametrize("body", [{}, {"kind": "no-such-kind"}, {"kind": "construction_plan", "file": "x"}])
def test_an_auditors_upload_is_403_whatever_it_sends(world, api, declared, body):
    response = api(world.auditor).post(f"/api/v1/projects/{declared.pk}/documents/", body, format="multipart")
    assert response.status_code == 403
    _chinese(response)


def test_an_auditors_upload_with_a_file_is_403_and_stores_nothing(world, api, declared):
    filed = declared.documents.count()
    response = api(world.auditor).post(
        f"/api/v1/projects/{declared.pk}/documents/",
        {"kind": "construction_plan", "file": pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 403
    assert declared.documents.count() == filed


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("auditor", "/api/v1/plan/budget/"),
        ("bdc", "/api/v1/plan/budget/"),
        ("auditor", "/api/v1/plan/ranking/"),
        ("finance", "/api/v1/plan/ranking/"),
    ],
)
@pytest.mark.parametrize("body", [{}, {"year": "abc", "amount": "-1"}, MALFORMED])
def test_a_plan_write_by_a_role_that_may_not_is_403_whatever_it_sends(world, api, role, path, body):
    client = api(getattr(world, role))
    response = _post_raw(client, path) if body == MALFORMED else client.post(path, body, format="json")
    assert response.status_code == 403
    _chinese(response)


@pytest.mark.parametrize("role", ["auditor", "finance", "bdc"])
def test_an_edit_by_anyone_but_the_department_is_403_whatever_it_sends(world, api, role):
    project = world.project_in_state(ProjectState.DECLARED)
    client = api(getattr(world, role))
    for response in (
        client.patch(f"/api/v1/projects/{project.pk}/", {"year": "abc"}, format="json"),
        client.patch(f"/api/v1/projects/{project.pk}/", MALFORMED, content_type="application/json"),
    ):
        assert response.status_code == 403
        _chinese(response)


@pytest.mark.parametrize("body", [{"name": ""}, {"share_type": "随便"}, MALFORMED])
def test_a_catalogue_entry_by_the_auditor_is_403_whatever_it_sends(world, api, declared, body):
    client = api(world.auditor)
    path = f"/api/v1/projects/{declared.pk}/resources/"
    response = _post_raw(client, path) if body == MALFORMED else client.post(path, body, format="json")
    assert response.status_code == 403
    _chinese(response)


@pytest.mark.parametrize(
    ("kind", "name"), [("transitions", "approve"), ("transitions", "start_review"), ("actions", "score")]
)
def test_a_step_the_auditor_may_never_take_is_403_before_its_body_is_parsed(world, api, declared, kind, name):
    response = _post_raw(api(world.auditor), f"/api/v1/projects/{declared.pk}/{kind}/{name}/")
    assert response.status_code == 403
    _chinese(response)


def test_the_one_who_may_gets_400_for_malformed_json(world, api, declared):
    response = _post_raw(api(world.bdc), f"/api/v1/projects/{declared.pk}/transitions/start_review/")
    assert response.status_code == 400
    assert _chinese(response)


@pytest.mark.parametrize("role", ["finance", "auditor"])
def test_issuing_a_missing_opinion_is_403_for_a_role_that_issues_none(world, api, role):
    project = world.project_in_state(ProjectState.REVIEWING)
    response = api(getattr(world, role)).post(
        f"/api/v1/projects/{project.pk}/review-opinions/999999/issue/", {}, format="json"
    )
    assert response.status_code == 403
    _chinese(response)


def test_issuing_a_missing_opinion_is_404_for_the_bdc(world, api):
    project = world.project_in_state(ProjectState.REVIEWING)
    response = api(world.bdc).post(
        f"/api/v1/projects/{project.pk}/review-opinions/999999/issue/", {}, format="json"
    )
    assert response.status_code == 404
    _chinese(response)


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("patch", "", {"year": "abc"}),
        ("post", "documents/", {}),
        ("post", "resources/", {}),
        ("post", "transitions/submit/", MALFORMED),
        ("post", "actions/score/", MALFORMED),
        ("post", "review-opinions/999999/issue/", {}),
        ("get", "letters/", None),
    ],
)
def test_a_project_the_caller_may_not_see_is_404_before_anything_else(world, api, method, tail, body):
    project = world.project()  # a draft: only its own department sees it
    client = api(world.dept2)
    path = f"/api/v1/projects/{project.pk}/{tail}"
    if body == MALFORMED:
        response = _post_raw(client, path)
    elif body is None:
        response = client.get(path)
    else:
        response = getattr(client, method)(path, body, format="json")
    assert response.status_code == 404
    _chinese(response)


# ---- JSON everywhere under /api/ ---------------------------------------------------------------------------


def test_an_unsupported_method_is_405_in_json_with_allow(world, api):
    response = api(world.dept).delete("/api/v1/projects/")
    assert response.status_code == 405
    assert "GET" in response["Allow"] and "POST" in response["Allow"]
    _chinese(response)


def test_an_unsupported_content_type_is_415_in_json(world, api):
    project = world.project()
    response = api(world.dept).post(
        f"/api/v1/projects/{project.pk}/documents/",
        json.dumps({"kind": "other"}),
        content_type="application/json",
    )
    assert response.status_code == 415
    _chinese(response)


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_an_accept_without_json_is_406_in_json(world, api, accept):
    response = api(world.dept).get("/api/v1/projects/", HTTP_ACCEPT=accept)
    assert response.status_code == 406
    _chinese(response)


def test_an_error_is_json_even_when_the_accept_asks_for_a_file(world, api):
    project = world.project()
    response = api(world.dept).get(
        f"/api/v1/projects/{project.pk}/documents/versions/999999/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    _chinese(response)


def test_a_download_is_served_whatever_file_type_the_accept_names(world, api):
    project = world.project()
    version = world.upload(project, "construction_plan")
    response = api(world.dept).get(
        f"/api/v1/projects/{project.pk}/documents/versions/{version.pk}/download/",
        HTTP_ACCEPT="application/pdf",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()


def test_malformed_json_is_400_in_chinese(world, api):
    response = _post_raw(api(world.dept), "/api/v1/projects/")
    assert response.status_code == 400
    _chinese(response)


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "1"])
def test_a_body_that_is_not_an_object_is_400(world, api, body):
    response = _post_raw(api(world.dept), "/api/v1/projects/", body)
    assert response.status_code == 400
    _chinese(response)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/projects/abc/", "/api/v1/projects/-1/", "/api/v1/no-such-endpoint", "/api/no-such-version/"],
)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_address_no_endpoint_answers_is_404_in_json_for_every_method(world, api, path, method):
    response = getattr(api(world.dept), method)(path)
    assert response.status_code == 404
    _chinese(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/projects/99999999999999999999999/"),
        ("get", "/api/v1/projects/99999999999999999999999/documents/versions/99999999999999999999/download/"),
        ("post", "/api/v1/projects/{pk}/transitions/no-such-step/"),
        ("post", "/api/v1/projects/{pk}/actions/no-such-step/"),
    ],
)
def test_a_record_that_is_not_there_is_404_in_json(world, api, method, path):
    project = world.project()
    response = getattr(api(world.dept), method)(path.format(pk=project.pk))
    assert response.status_code == 404
    _chinese(response)


def test_an_address_without_its_final_slash_says_so(world, api):
    response = api(world.dept).get("/api/v1/projects")
    assert response.status_code == 404
    assert "/api/v1/projects/" in _chinese(response)


def test_a_post_to_a_bad_address_with_a_session_is_json_not_the_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.dept, backend=BACKEND)
    response = client.post("/api/v1/projects/abc/", {"x": "1"})
    assert response.status_code == 404
    _chinese(response)


def test_a_session_post_without_its_csrf_token_is_403_in_json(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.dept, backend=BACKEND)
    response = client.post("/api/v1/projects/", {"name": "x"})
    assert response.status_code == 403
    _chinese(response)


def test_too_many_fields_is_400_in_json(world, api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=1" for i in range(20))
    response = api(world.dept).post(
        "/api/v1/projects/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    _chinese(response)


def test_an_unexpected_error_under_the_api_is_json(rf):
    from core.api import server_error

    response = server_error(rf.get("/api/v1/projects/"))
    assert response.status_code == 500
    _chinese(response)
    page = server_error(rf.get("/projects/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=abc", "limit=201", "offset=-1", "year=abc", "state=nope"]
)
def test_a_list_query_out_of_range_is_400(world, api, query):
    response = api(world.dept).get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    _chinese(response)


@pytest.mark.parametrize("query", ["state=", "year=", "q=", "limit=", "limit=200&offset=0"])
def test_a_list_filter_sent_empty_is_no_filter(world, api, query):
    world.project()
    response = api(world.dept).get(f"/api/v1/projects/?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("year", "2027"),
        ("is_emergency", "true"),
        ("name", 7),
        ("declared_amount", "1e2"),
        ("declared_amount", " 5"),
    ],
)
def test_json_is_read_as_the_schema_types_it(world, api, field, value):
    body = {"name": "新项目", "year": 2027, "declared_amount": "10.00", field: value}
    response = api(world.dept).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


@pytest.mark.parametrize("amount", ["10", "10.5", 10, 10.25])
def test_an_amount_is_a_string_or_a_number(world, api, amount):
    body = {"name": "新项目", "year": 2027, "declared_amount": amount}
    assert api(world.dept).post("/api/v1/projects/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("value", "status"), [("true", 201), ("false", 201), ("0", 400), ("yes", 400), ("", 400)]
)
def test_a_multipart_boolean_is_true_or_false(world, api, value, status):
    body = {"name": "新项目", "year": "2027", "declared_amount": "10.00", "is_emergency": value}
    assert api(world.dept).post("/api/v1/projects/", body, format="multipart").status_code == status
