"""The self-evaluation (绩效自评价): inside laohekou-2024 第二十六条's window (12–24 months after the acceptance on
the record), each indicator's actual value against its target, the opinions fangchenggang-2022 第二十三条 asks
for, who may take it, the archive checks that read it, and the old acceptance.Evaluation rows carried over."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest

from performance.models import IndicatorResult, SelfEvaluation
from projects.checks import evaluate_checks
from projects.models import Project
from tests.factories import World, pdf_upload

from .conftest import ACCEPTED, act, in_evaluation, on

BACKEND = "django.contrib.auth.backends.ModelBackend"
LHK = "《老河口市本级信息化和智慧城市项目管理办法》"


def _fields(project, **actuals):
    """The action's fields, indicator by indicator in their order: actual values as given (target when not)."""
    indicators = list(project.performance_target_sets.order_by("-number").first().indicators.all())
    values = list(actuals.get("values", [i.target for i in indicators]))
    fields = {"summary": "对照绩效目标逐项评价。", "score": "88", "report": pdf_upload("绩效自评价报告.pdf")}
    for i, value in zip(indicators, values, strict=True):
        fields[f"actual:{i.pk}"] = value
        if i.direction == "qualitative":
            fields[f"met:{i.pk}"] = actuals.get("met", "met")
    return fields


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (date(2026, 3, 30), False),  # the day before the window opens (accepted 2025-03-31 + 12 months)
        (date(2026, 3, 31), True),  # the first allowed day
        (date(2027, 3, 31), True),  # the last allowed day (+ 24 months)
        (date(2027, 4, 1), False),  # the day after
    ],
)
def test_self_evaluation_window_on_its_edges(lhk, day, allowed):
    project = in_evaluation(lhk, accepted=ACCEPTED)
    with on(day):
        response = act(project, "self_evaluation", lhk.dept, _fields(project))
        if allowed:
            assert response.status_code == 201, response.json()
            assert response.json()["evaluated_on"] == day.isoformat()
            archive = {c.code: c for c in evaluate_checks(Project.objects.get(pk=project.pk), "archive")}
            assert archive["LHK-26-window"].passed is True and archive["ANY-evaluation"].passed is True
        else:
            assert response.status_code == 409, response.json()
            check = next(c for c in response.json()["checks"] if c["code"] == "LHK-26-period")
            assert check["source"] == f"{LHK}第二十六条"
            assert "2026年3月31日至2027年3月31日" in check["message"]
            assert not SelfEvaluation.objects.filter(project=project).exists()


def test_archive_refused_without_a_self_evaluation(lhk):
    project = in_evaluation(lhk)
    with on(date(2026, 6, 1)):
        checks = {c.code: c for c in evaluate_checks(project, "archive")}
    assert checks["ANY-evaluation"].passed is False and checks["LHK-26-window"].passed is False


def test_actuals_compared_with_targets_on_the_page(lhk, client):
    project = in_evaluation(lhk)
    with on(date(2026, 6, 1)):
        response = act(
            project,
            "self_evaluation",
            lhk.dept,
            _fields(project, values=["27", "95", "部分实现"], met="not_met"),
        )
    assert response.status_code == 201, response.json()
    results = {r["name"]: r for r in response.json()["results"]}
    assert (results["接入学校数"]["met"], results["接入学校数"]["rate"]) == (False, "90.00")
    assert (results["师生满意度"]["met"], results["师生满意度"]["rate"]) == (True, "105.56")
    assert results["家校沟通渠道"]["met"] is False and results["家校沟通渠道"]["rate"] is None
    client.force_login(lhk.bdc, backend=BACKEND)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    rows = {
        name: html.split(f'data-indicator="{name}"', 1)[1].split("</tr>", 1)[0]
        for name in ("接入学校数", "师生满意度", "家校沟通渠道")
    }
    assert "≥ 30所" in rows["接入学校数"] and "27所" in rows["接入学校数"] and "90.00%" in rows["接入学校数"]
    assert "未达成" in rows["接入学校数"]
    assert "≥ 90%" in rows["师生满意度"] and "105.56%" in rows["师生满意度"] and "达成" in rows["师生满意度"]
    assert "部分实现" in rows["家校沟通渠道"] and "未达成" in rows["家校沟通渠道"]


def test_an_at_most_indicator_and_a_non_numeric_actual(lhk):
    targets = {
        "goal": "缩短办理时长",
        "indicator:1:category": "output_timeliness",
        "indicator:1:name": "平均办理时长",
        "indicator:1:unit": "天",
        "indicator:1:direction": "at_most",
        "indicator:1:target": "5",
    }
    project = in_evaluation(lhk, targets=targets)
    with on(date(2026, 6, 1)):
        bad = act(project, "self_evaluation", lhk.dept, _fields(project, values=["五天"]))
        assert bad.status_code == 400 and "须为数字" in bad.json()["detail"]
        ok = act(project, "self_evaluation", lhk.dept, _fields(project, values=["4"]))
    assert ok.status_code == 201
    result = IndicatorResult.objects.get(evaluation__project=project)
    assert (result.met, result.rate, result.actual_value) == (True, Decimal("125.00"), Decimal("4"))


def test_roles_refused(lhk):
    project = in_evaluation(lhk)
    with on(date(2026, 6, 1)):
        assert (
            act(project, "self_evaluation", lhk.dept2, _fields(project)).status_code == 404
        )  # another's project
        assert act(project, "self_evaluation", lhk.auditor, _fields(project)).status_code == 403  # reads only
        assert act(project, "self_evaluation", lhk.bdc, _fields(project)).status_code == 403
        assert act(project, "self_evaluation", lhk.finance, _fields(project)).status_code == 403
    assert not SelfEvaluation.objects.exists()


def test_fangchenggang_asks_the_users_and_the_supervisor(db):
    world = World("fangchenggang-2022")
    project = in_evaluation(world)
    fields = _fields(project)
    refused = act(project, "self_evaluation", world.dept, fields)
    assert refused.status_code == 409
    check = next(c for c in refused.json()["checks"] if c["code"] == "FCG-23-evaluation")
    assert "使用单位、监理单位" in check["message"] and check["source"].endswith("第二十三条")
    fields = {**_fields(project), "users_opinion": "运行稳定。", "supervisor_opinion": "与批复一致。"}
    assert act(project, "self_evaluation", world.dept, fields).status_code == 201
    evaluation = SelfEvaluation.objects.get(project=project)
    assert (evaluation.users_opinion, evaluation.supervisor_opinion) == ("运行稳定。", "与批复一致。")


def test_old_evaluations_are_carried_over(world):
    """performance/0002: an acceptance.Evaluation becomes a SelfEvaluation with its report, once."""
    from projects.services import document_upload

    project = in_evaluation(world, targets=None)
    version = document_upload(
        project=project, by=world.dept, kind="self_evaluation", file=pdf_upload("old.pdf")
    )
    # The models as they stood when 0002 ran (acceptance.Evaluation was removed by acceptance 0007); its
    # table made again inside the test's transaction, which rolls it back.
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(connection).project_state(
        [("performance", "0002_carry_evaluations"), ("acceptance", "0006_rectification_handover")]
    )
    Evaluation = state.apps.get_model("acceptance", "Evaluation")
    with connection.schema_editor() as editor:
        editor.create_model(Evaluation)
    old = Evaluation.objects.create(
        project_id=project.pk, summary="旧的自评结论", score=Decimal("80"), by_id=world.dept.pk
    )
    migration = import_module("performance.migrations.0002_carry_evaluations")
    migration.carry(state.apps, None)
    migration.carry(state.apps, None)  # again: nothing more
    carried = SelfEvaluation.objects.get(project=project)
    assert (carried.carried_from, carried.summary, carried.score, carried.report_id) == (
        old.pk,
        "旧的自评结论",
        Decimal("80.00"),
        version.pk,
    )
    assert {c.code: c.passed for c in evaluate_checks(project, "archive")}["ANY-evaluation"] is True
