"""Projects filed before baselines existed (issue 13): the data migration (acceptance 0006) makes baseline 1
from each one's contract filing, and until then the page says there is no baseline instead of failing."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from acceptance.models import Baseline, ContractFiling
from projects.enums import ProjectState
from projects.models import Project
from tests.factories import World

migration = importlib.import_module("acceptance.migrations.0006_rectification_handover")


def legacy(world, amount="88.00", filings=1):
    """A project under construction with its contract filed the old way: a filing, no baseline."""
    project = world.project()
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.CONSTRUCTION, approved_amount=Decimal("100")
    )
    for i in range(filings):
        ContractFiling.objects.create(
            project=project,
            amount=Decimal(amount) + i,
            signed_on=date(2024, 3, 1),
            supplier="某某科技有限公司",
            filed_by=world.dept,
        )
    project.refresh_from_db()
    return project


@pytest.fixture
def world(db):
    return World("zhaoyuan-2021")


def test_data_migration_makes_baseline_1_from_the_contract_filing(world):
    old = legacy(world, "88.00")
    refiled = legacy(world, "50.00", filings=2)  # filed twice: the last filing is the contract in force
    kept = legacy(world, "70.00")
    Baseline.objects.create(project=kept, number=1, contract_amount=Decimal("70.00"), set_by=world.dept)

    migration.baselines_from_contracts(apps, None)
    migration.baselines_from_contracts(apps, None)  # run twice: nothing more

    first = Baseline.objects.get(project=old)
    assert (first.number, first.contract_amount, first.milestones, first.planned_completion_on) == (
        1,
        Decimal("88.00"),
        [],
        None,
    )
    assert "合同备案记录补建" in first.reason and first.set_by_id == world.dept.pk
    assert Baseline.objects.get(project=refiled).contract_amount == Decimal("51.00")
    assert Baseline.objects.filter(project=kept).count() == 1


def test_page_and_api_say_there_is_no_baseline(world, client):
    project = legacy(world)
    client.force_login(world.bdc)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert "尚无项目基线" in page.content.decode()

    api = APIClient()
    api.force_authenticate(user=world.dept)
    body = api.get(f"/api/v1/projects/{project.pk}/construction/").json()
    assert body["baselines"] == [] and body["contract"]["amount"] == "88.00"
    names = [a["name"] for a in api.get(f"/api/v1/projects/{project.pk}/actions/").json()]
    assert "progress_report" not in names
    response = api.post(
        f"/api/v1/projects/{project.pk}/actions/progress_report/",
        {"period": "2024-03", "percent_done": "10", "paid_amount": "1.00"},
        format="json",
    )
    assert response.status_code in (400, 409) and "基线" in response.json()["detail"], response.json()

    migration.baselines_from_contracts(apps, None)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "尚无项目基线" not in page and "现行基线（第1版）" in page
