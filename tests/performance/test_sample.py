"""Finance's re-evaluation of the year's sample (laohekou-2024 第二十六条): drawn reproducibly from the seed and the
candidates on the record, only by finance; its own evaluation per sampled project; third-party evaluations
(gongshu-draft 六(三)); the results shown beside the department's next declarations (第二十七条)."""

import hashlib
import hmac
from datetime import date

import pytest

from performance.models import FinanceEvaluation, SampleDraw, ThirdPartyEvaluation
from performance.sampling import sample_from_record
from projects.models import Project
from tests.factories import World, pdf_upload

from .conftest import act, api, in_evaluation, on
from .test_self_evaluation import BACKEND, _fields

SAMPLES = "/api/v1/performance/samples/"


def _evaluated(world, n, day=date(2026, 6, 1)):
    projects = []
    for i in range(n):
        project = in_evaluation(world, accepted=date(day.year - 1, 3, 31), name=f"绩效项目{i}")
        with on(day):
            assert act(project, "self_evaluation", world.dept, _fields(project)).status_code == 201
        projects.append(project)
    return projects


def _by_hand(seed: str, candidates: list[int], size: int) -> list[int]:
    """The draw as its description (performance.sampling) tells a reader to run it, written out again here."""
    words: list[int] = []
    block = 0

    def below(n):
        nonlocal block
        limit = 2**64 - (2**64 % n)
        while True:
            if not words:
                digest = hmac.new(seed.encode(), block.to_bytes(8, "big"), hashlib.sha256).digest()
                block += 1
                words.extend(int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8))
            word = words.pop(0)
            if word < limit:
                return word % n

    order = list(candidates)
    for i in range(len(order) - 1, 0, -1):
        j = below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order[:size]


def test_finance_draws_the_year_sample_reproducibly(lhk):
    projects = _evaluated(lhk, 5)
    with on(date(2026, 9, 1)):
        response = api(lhk.finance).post(
            SAMPLES, {"year": 2026, "size": 2, "note": "重点抽查"}, format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["candidates"] == sorted(p.pk for p in projects)
    draw = SampleDraw.objects.get()
    # Run again from what the record keeps: the same sample, by the module and by hand.
    assert sample_from_record(draw.seed, draw.candidates, draw.size) == draw.drawn == body["drawn"]
    assert _by_hand(draw.seed, draw.candidates, draw.size) == draw.drawn
    assert body["reproduced"] is True
    # Each sampled project's timeline has the seed and the candidates; the others have nothing.
    for project in projects:
        entries = list(project.timeline.filter(action="performance.sample.draw"))
        if project.pk in draw.drawn:
            assert entries[0].data["seed"] == draw.seed and entries[0].data["candidates"] == draw.candidates
        else:
            assert entries == []
    again = api(lhk.finance).post(SAMPLES, {"year": 2026, "size": 1}, format="json")
    assert again.status_code == 409 and "不可重抽" in again.json()["detail"]


def test_only_finance_draws(lhk):
    _evaluated(lhk, 2)
    for user in (lhk.bdc, lhk.auditor, lhk.dept, lhk.fgw):
        response = api(user).post(SAMPLES, {"year": 2026, "size": 1}, format="json")
        assert response.status_code == 403, (user, response.json())
    assert not SampleDraw.objects.exists()
    assert api(lhk.auditor).get(SAMPLES).status_code == 200
    assert api(lhk.dept).get(SAMPLES).status_code == 403


@pytest.mark.parametrize(("size", "status"), [(0, 400), (3, 400), ("两个", 400)])
def test_draw_bad_input(lhk, size, status):
    _evaluated(lhk, 2)
    response = api(lhk.finance).post(SAMPLES, {"year": 2026, "size": size}, format="json")
    assert response.status_code == status and response.json()["detail"]


def test_no_sample_where_the_policy_has_none(world):
    response = api(world.finance).post(SAMPLES, {"year": 2026, "size": 1}, format="json")
    assert response.status_code == 403


def test_finance_evaluates_each_sampled_project_once(lhk):
    projects = _evaluated(lhk, 3)
    with on(date(2026, 9, 1)):
        api(lhk.finance).post(SAMPLES, {"year": 2026, "size": 1}, format="json")
    drawn = Project.objects.get(pk=SampleDraw.objects.get().drawn[0])
    other = next(p for p in projects if p.pk != drawn.pk)

    def fields():
        return {"score": "82.5", "findings": "指标基本达成。", "report": pdf_upload("再评价.pdf")}

    assert act(drawn, "finance_evaluation", lhk.dept, fields()).status_code == 403
    assert act(drawn, "finance_evaluation", lhk.auditor, fields()).status_code == 403
    listed = [a["name"] for a in api(lhk.finance).get(f"/api/v1/projects/{other.pk}/actions/").json()]
    assert "finance_evaluation" not in listed  # not drawn: nothing to re-evaluate
    assert act(other, "finance_evaluation", lhk.finance, fields()).status_code == 409
    response = act(drawn, "finance_evaluation", lhk.finance, fields())
    assert response.status_code == 201, response.json()
    assert response.json()["year"] == 2026
    assert act(drawn, "finance_evaluation", lhk.finance, fields()).status_code == 409  # once
    assert FinanceEvaluation.objects.get().project_id == drawn.pk


def test_third_party_evaluation_where_the_policy_names_it(db):
    world = World("gongshu-draft")
    project = in_evaluation(world)

    def fields():
        return {
            "evaluator": "某某绩效评价咨询有限公司",
            "evaluated_on": "2026-05-20",
            "score": "91",
            "conclusion": "项目绩效良好。",
            "report": pdf_upload("第三方评价报告.pdf"),
        }

    with on(date(2026, 6, 1)):
        assert act(project, "third_party_evaluation", world.dept, fields()).status_code == 403
        response = act(project, "third_party_evaluation", world.bdc, fields())
    assert response.status_code == 201, response.json()
    assert ThirdPartyEvaluation.objects.get().evaluator == "某某绩效评价咨询有限公司"
    entry = project.timeline.get(action="performance.third_party_evaluation.record")
    assert entry.documents and entry.documents[0]["kind"] == "performance_report"


def test_third_party_evaluation_absent_under_wendeng(world):
    project = in_evaluation(world)
    assert act(project, "third_party_evaluation", world.bdc, {"evaluator": "x"}).status_code == 404


def test_past_results_beside_the_next_declaration(lhk, client):
    earlier = _evaluated(lhk, 1)[0]
    with on(date(2026, 9, 1)):
        api(lhk.finance).post(SAMPLES, {"year": 2026, "size": 1}, format="json")
        act(
            earlier,
            "finance_evaluation",
            lhk.finance,
            {"score": "76", "findings": "偏差较大。", "report": pdf_upload("r.pdf")},
        )
    following = lhk.project(name="下一年度的申报")
    Project.objects.filter(pk=following.pk).update(state="declared")
    client.force_login(lhk.bdc, backend=BACKEND)
    html = client.get(f"/projects/{following.pk}/").content.decode()
    past = html.split('id="past-results"', 1)[1]
    row = past.split("<td>2026</td>", 1)[1].split("</tr>", 1)[0]
    assert earlier.code in row and "88分" in row and "76分" in row
    body = api(lhk.finance).get(f"/api/v1/projects/{following.pk}/performance/").json()
    assert body["past_results"][0]["year"] == 2026
    assert body["past_results"][0]["finance_evaluations"] == [{"project": earlier.code, "score": "76.00"}]


def test_samples_page_says_where_the_policy_has_no_sample(world, client):
    client.force_login(world.finance, backend=BACKEND)
    html = client.get("/performance/samples/").content.decode()
    assert "未规定财政部门抽取项目再评价" in html and 'action="/performance/samples/draw/"' not in html
    client.force_login(world.dept, backend=BACKEND)
    assert client.get("/performance/samples/").status_code == 403
    assert client.post("/performance/samples/draw/", {"year": 2026, "size": 1}).status_code == 403


def test_the_archive_package_holds_the_performance_records(lhk):
    from archive.services import _records

    project = _evaluated(lhk, 1)[0]
    records = _records(project)["performance"]
    assert {"performance.TargetSet", "performance.Indicator", "performance.SelfEvaluation"} <= set(records)
    assert len(records["performance.IndicatorResult"]) == 3
