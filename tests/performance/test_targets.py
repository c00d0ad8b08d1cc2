"""绩效目标 set at declaration (laohekou-2024 第二十五条, gongshu-draft 四(一)): the `set_targets` action over the
API and the page's form, the submit checks that refuse a declaration without them, and the review seeing them."""

import pytest

from performance.models import TargetSet
from tests.factories import CATALOGUE_ENTRY, TARGETS, World, pdf_upload

from .conftest import act, api

BACKEND = "django.contrib.auth.backends.ModelBackend"
LHK = "《老河口市本级信息化和智慧城市项目管理办法》"
GS = "《拱墅区信息化项目管理办法（征求意见稿）》"


def _submit(world, project):
    return api(world.dept).post(f"/api/v1/projects/{project.pk}/transitions/submit/", {}, format="json")


def _ready(world, project, intent_kind):
    from projects.services import document_upload
    from sharing.services import resource_add

    document_upload(project=project, by=world.dept, kind=intent_kind, file=pdf_upload("doc.pdf"))
    resource_add(project=project, by=world.dept, data=dict(CATALOGUE_ENTRY))


def test_set_targets_over_the_api_versions_and_timeline(lhk):
    project = lhk.project()
    response = act(project, "set_targets", lhk.dept, dict(TARGETS))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1
    assert [(i["name"], i["direction"], i["target"]) for i in body["indicators"]] == [
        ("接入学校数", "at_least", "30"),
        ("师生满意度", "at_least", "90"),
        ("家校沟通渠道", "qualitative", "实现线上统一办理"),
    ]
    again = act(project, "set_targets", lhk.dept, {**TARGETS, "indicator:1:target": "40"})
    assert again.status_code == 201 and again.json()["number"] == 2
    assert TargetSet.objects.filter(project=project).count() == 2  # the first version stays on the record
    entries = api(lhk.dept).get(f"/api/v1/projects/{project.pk}/timeline/").json()
    assert [e["action"] for e in entries].count("performance.targets.set") == 2
    assert (
        api(lhk.auditor).get(f"/api/v1/projects/{project.pk}/timeline/").status_code == 404
    )  # the dept's own


def test_set_targets_fields_describe_the_rows(lhk):
    project = lhk.project()
    listed = api(lhk.dept).get(f"/api/v1/projects/{project.pk}/actions/").json()
    spec = next(a for a in listed if a["name"] == "set_targets")
    names = {f["name"]: f for f in spec["fields"]}
    assert names["goal"]["required"] is True
    assert {c["code"] for c in names["indicator:1:category"]["choices"]} >= {
        "output_quantity",
        "output_quality",
        "output_timeliness",
        "output_cost",
        "benefit_economic",
        "benefit_social",
        "benefit_ecological",
        "benefit_sustainable",
        "satisfaction",
    }
    assert names["indicator:1:direction"]["type"] == "choice"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"indicator:1:target": "三十"}, "目标值须为数字"),
        ({"indicator:1:category": ""}, "请选择指标类别"),
        ({"goal": ""}, "绩效目标"),
    ],
)
def test_set_targets_bad_input_is_400_in_chinese_and_saves_nothing(lhk, change, message):
    project = lhk.project()
    response = act(project, "set_targets", lhk.dept, {**TARGETS, **change})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not TargetSet.objects.filter(project=project).exists()


def test_set_targets_without_any_indicator_is_400(lhk):
    project = lhk.project()
    response = act(project, "set_targets", lhk.dept, {"goal": "目标"})
    assert response.status_code == 400 and "至少填写一项绩效指标" in response.json()["detail"]


def test_set_targets_refused_to_others_and_after_submission(lhk):
    project = lhk.project()
    assert act(project, "set_targets", lhk.dept2, dict(TARGETS)).status_code == 404  # another department
    assert (
        act(project, "set_targets", lhk.auditor, dict(TARGETS)).status_code == 404
    )  # a draft is the dept's own
    _ready(lhk, project, "intent")
    act(project, "set_targets", lhk.dept, dict(TARGETS))
    assert _submit(lhk, project).status_code == 200
    after = act(project, "set_targets", lhk.dept, dict(TARGETS))
    assert after.status_code == 409  # declared: no longer the department's to edit
    assert act(project, "set_targets", lhk.auditor, dict(TARGETS)).status_code == 403
    assert act(project, "set_targets", lhk.bdc, dict(TARGETS)).status_code == 403


def test_laohekou_submit_refused_without_quantified_targets(lhk):
    project = lhk.project()
    _ready(lhk, project, "intent")
    refused = _submit(lhk, project)
    assert refused.status_code == 409
    check = next(c for c in refused.json()["checks"] if c["code"] == "LHK-25-targets")
    assert check["source"] == f"{LHK}第二十五条" and "绩效目标" in check["message"]
    qualitative_only = {
        k: v for k, v in TARGETS.items() if not k.startswith(("indicator:1:", "indicator:2:"))
    }
    assert act(project, "set_targets", lhk.dept, qualitative_only).status_code == 201
    refused = _submit(lhk, project)
    assert refused.status_code == 409
    assert "量化" in next(c for c in refused.json()["checks"] if c["code"] == "LHK-25-targets")["message"]
    act(project, "set_targets", lhk.dept, dict(TARGETS))
    assert _submit(lhk, project).status_code == 200


def test_gongshu_submit_refused_without_targets(db):
    world = World("gongshu-draft")
    project = world.project()
    _ready(world, project, "implementation_plan")
    refused = _submit(world, project)
    assert refused.status_code == 409
    codes = {c["code"]: c["source"] for c in refused.json()["checks"]}
    assert codes["GS-4-targets"] == f"{GS}四(一)"
    act(project, "set_targets", world.dept, dict(TARGETS))
    assert _submit(world, project).status_code == 200


def test_wendeng_declares_without_targets(world):
    project = world.project()
    world.ready_to_submit(project)
    assert _submit(world, project).status_code == 200


def test_the_page_form_sets_targets_and_the_review_sees_them(lhk, client):
    project = lhk.project()
    client.force_login(lhk.dept, backend=BACKEND)
    page = client.get(f"/projects/{project.pk}/")
    assert 'id="targets-form"' in page.content.decode()
    response = client.post(f"/projects/{project.pk}/actions/set_targets/", dict(TARGETS))
    assert response.status_code == 302, response.content.decode()[:500]
    _ready(lhk, project, "intent")
    assert _submit(lhk, project).status_code == 200
    client.logout()
    client.force_login(lhk.bdc, backend=BACKEND)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="performance-targets"' in html and 'id="targets-form"' not in html
    for text in ("接入学校数", "≥ 30", "师生满意度", "实现线上统一办理", "产出指标·数量指标"):
        assert text in html


def test_the_page_form_refuses_bad_rows_in_chinese_and_keeps_them(lhk, client):
    project = lhk.project()
    client.force_login(lhk.dept, backend=BACKEND)
    response = client.post(
        f"/projects/{project.pk}/actions/set_targets/", {**TARGETS, "indicator:2:target": "九十"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "目标值须为数字" in html and 'value="九十"' in html  # what was typed stays
    assert not TargetSet.objects.filter(project=project).exists()
    client.force_login(lhk.dept2, backend=BACKEND)
    assert client.post(f"/projects/{project.pk}/actions/set_targets/", dict(TARGETS)).status_code == 404
