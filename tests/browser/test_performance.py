"""绩效 in a real browser: the department fills the targets' rows on the project page, the reviewers see them, the
self-evaluation's actuals stand against the targets, and finance draws the year's sample (screenshots looked at)."""

from datetime import date

import pytest

from tests.factories import PASSWORD, World

from .support import login, shot

pytestmark = pytest.mark.browser


def test_targets_evaluation_and_sample_in_the_browser(transactional_db, live_server, browser_page):
    from tests.performance.conftest import act, in_evaluation, on
    from tests.performance.test_self_evaluation import _fields

    world = World("laohekou-2024")
    page, url = browser_page, live_server.url
    draft = world.project(name="老河口市智慧停车管理系统")

    login(page, url, "dept", PASSWORD)
    page.goto(f"{url}/projects/{draft.pk}/#performance")
    page.fill("textarea[name=goal]", "建成全市统一停车管理平台，提升泊位周转率。")
    rows = [
        ("output_quantity", "接入停车场数", "个", "0", "at_least", "40"),
        ("satisfaction", "车主满意度", "%", "75", "at_least", "90"),
        ("benefit_social", "停车诱导服务", "", "", "qualitative", "实现全市统一诱导"),
    ]
    for n, (category, name, unit, baseline, direction, target) in enumerate(rows, start=1):
        page.select_option(f"select[name='indicator:{n}:category']", category)
        page.fill(f"input[name='indicator:{n}:name']", name)
        page.fill(f"input[name='indicator:{n}:unit']", unit)
        page.fill(f"input[name='indicator:{n}:baseline']", baseline)
        page.select_option(f"select[name='indicator:{n}:direction']", direction)
        page.fill(f"input[name='indicator:{n}:target']", target)
    shot(page, "performance-01-targets-form")
    page.click("#targets-form button[type=submit]")
    page.wait_for_url(f"{url}/projects/{draft.pk}/#performance")
    table = page.locator("#performance-targets").inner_text()
    assert "接入停车场数" in table and "≥ 40" in table and "实现全市统一诱导" in table
    shot(page, "performance-02-targets-set")

    evaluated = in_evaluation(world, name="老河口市政务服务一网通办平台")
    with on(date(2026, 6, 1)):
        fields = _fields(evaluated, values=["25", "93", "实现"], met="met")
        assert act(evaluated, "self_evaluation", world.dept, fields).status_code == 201
    login(page, url, "bdc", PASSWORD)
    page.goto(f"{url}/projects/{evaluated.pk}/#performance")
    results = page.locator("table.evaluation-results").inner_text()
    assert "83.33%" in results and "未达成" in results and "103.33%" in results
    shot(page, "performance-03-self-evaluation")

    login(page, url, "finance", PASSWORD)
    page.goto(f"{url}/performance/samples/")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=size]", "1")
    page.click("form[action$='/samples/draw/'] button[type=submit]")
    page.wait_for_url(f"{url}/performance/samples/")
    assert "按种子和候选重新抽取，结果一致" in page.content()
    shot(page, "performance-04-sample")
