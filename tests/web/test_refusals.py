"""The pages' forms refuse in the API's order: a project the user may not see is 404; a step their role may never
take is 403 before the form is validated or the record it names (a change, a letter, a panel member, an
invitation) is sought; only then a missing record is 404 and a malformed form 400."""

import pytest

from projects.enums import ProjectState
from tests.api.conftest import submit

BACKEND = "django.contrib.auth.backends.ModelBackend"
MISSING = 999999


@pytest.fixture
def as_user(client):
    def _as(user):
        client.logout()
        client.force_login(user, backend=BACKEND)
        return client

    return _as


@pytest.fixture
def declared(world):
    return submit(world, world.project())


PROJECT_FORMS = [
    "documents/",
    "resources/",
    "changes/",
    f"changes/{MISSING}/decision/",
    "procurement/bidding/",
    "resources/connect/",
    f"letters/{MISSING}/retry/",
]


@pytest.mark.parametrize("tail", PROJECT_FORMS)
def test_a_form_the_auditor_may_never_send_is_403_whatever_it_holds(world, as_user, declared, tail):
    response = as_user(world.auditor).post(f"/projects/{declared.pk}/{tail}", {"kind": "nonsense", "x": ""})
    assert response.status_code == 403, response.content.decode()[:500]


@pytest.mark.parametrize("tail", PROJECT_FORMS)
def test_a_form_for_a_project_the_user_may_not_see_is_404(world, as_user, tail):
    project = world.project()  # a draft: its department's alone
    assert as_user(world.dept2).post(f"/projects/{project.pk}/{tail}", {}).status_code == 404


@pytest.mark.parametrize("role", ["finance", "auditor", "dept"])
def test_deciding_a_missing_change_is_403_for_a_role_that_decides_none(world, as_user, declared, role):
    response = as_user(getattr(world, role)).post(
        f"/projects/{declared.pk}/changes/{MISSING}/decision/", {"decision": "approve"}
    )
    assert response.status_code == 403


def test_deciding_a_missing_change_is_404_for_the_bdc(world, as_user, declared):
    response = as_user(world.bdc).post(f"/projects/{declared.pk}/changes/{MISSING}/decision/", {})
    assert response.status_code == 404
    assert "该变更不存在" in response.content.decode()


def test_retrying_a_missing_letter_is_404_for_the_bdc(world, as_user, declared):
    assert as_user(world.bdc).post(f"/projects/{declared.pk}/letters/{MISSING}/retry/").status_code == 404


@pytest.mark.parametrize("tail", [f"members/{MISSING}/decline/", f"agencies/{MISSING}/participation/"])
@pytest.mark.parametrize(
    ("role", "status"), [("auditor", 403), ("finance", 403), ("bdc", 404), ("dept2", 404)]
)
def test_the_review_forms_refuse_before_they_seek_the_record(world, as_user, tail, role, status):
    project = world.project_in_state(ProjectState.REVIEWING)
    response = as_user(getattr(world, role)).post(f"/reviews/projects/{project.pk}/{tail}", {"reason": ""})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("auditor", "/plan/budget/"),
        ("bdc", "/plan/budget/"),
        ("auditor", "/plan/rank/"),
        ("finance", "/plan/rank/"),
    ],
)
@pytest.mark.parametrize("year", ["abc", "1999", ""])
def test_a_plan_form_the_role_may_not_send_is_403_whatever_year_it_names(world, as_user, role, path, year):
    response = as_user(getattr(world, role)).post(path, {"year": year, "amount": "-1"})
    assert response.status_code == 403


def test_the_one_who_may_is_told_the_year_is_wrong(world, as_user):
    assert as_user(world.finance).post("/plan/budget/", {"year": "abc", "amount": "1"}).status_code == 400
