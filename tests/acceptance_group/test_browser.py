"""竣工验收 in a real browser (Debian's Chromium driven by Playwright): the BDC finds the group to form on its home
page and forms it; each drawn expert finds the opinion awaited on theirs and gives it condition by condition; the
BDC records 合格, which issues the 竣工验收意见函 — downloaded from the project page and read back — and 验收合格
follows; the department self-evaluates and hands the assets over, and the BDC archives. Screenshots:
test-artifacts/browser/acceptance-*.png."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.models import Letter
from projects.enums import ProjectState
from projects.models import Project
from tests.browser.support import ARTIFACTS, login, shot
from tests.factories import PASSWORD, World, pdf_upload


@pytest.mark.browser
def test_group_opinions_letter_and_pass_in_the_browser(transactional_db, live_server, browser_page, tmp_path):
    world = World()
    world.bdc_org.short_name = "文大数据"
    world.bdc_org.save(update_fields=["short_name"])
    project = world.project_in_state(ProjectState.FINAL_ACCEPTANCE, name="智慧文登城市运行平台")
    page, url = browser_page, live_server.url
    detail = f"{url}/projects/{project.pk}/"

    login(page, url, "bdc", PASSWORD)
    page.click(f"#acceptance-awaiting a[href='/projects/{project.pk}/actions/draw_acceptance_group/']")
    for party in project.policy.acceptance_parties:
        page.fill(f"input[name='party:{party.code}']", f"{party.label}（文登）")
        page.fill(f"input[name='name:{party.code}']", "刘洋")
    shot(page, "acceptance-01-form-group")
    page.click("button:has-text('确认组成验收组')")
    page.wait_for_url(f"{detail}#acceptance-group")
    assert "项目建设单位（文登）" in page.locator("#acceptance-group").inner_text()
    experts = [
        m.expert.user for m in project.acceptance_members.filter(kind="expert").select_related("expert__user")
    ]
    assert len(experts) == 3

    for expert in experts:
        login(page, url, expert.username, PASSWORD)
        page.click(f"#acceptance-awaiting a[href='/projects/{project.pk}/actions/acceptance_opinion/']")
        for condition in project.policy.acceptance_conditions:
            page.check(f"input[name='condition:{condition.code}'][value='met']")
        page.check("input[name='recommendation'][value='passed']")
        page.fill("textarea[name='opinion']", "建设内容完成，资料齐全，同意通过验收。")
        shot(page, "acceptance-02-opinion")
        page.click("button:has-text('确认提交验收意见')")
        page.wait_for_url(f"{detail}#acceptance-group")

    login(page, url, "bdc", PASSWORD)
    page.goto(f"{url}/projects/{project.pk}/actions/issue_acceptance_letter/")
    page.check("input[name='conclusion'][value='passed']")
    page.fill("textarea[name='summary']", "项目按批复内容建成，验收组一致同意通过竣工验收。")
    page.click("button:has-text('确认记录验收结论并印发竣工验收意见函')")
    page.wait_for_url(f"{detail}#acceptance-group")
    letter = Letter.objects.get(project=project, kind="acceptance_letter")
    assert letter.status == Letter.Status.READY, letter.error
    card = page.locator("#acceptance-group")
    assert letter.number in card.inner_text() and "已生成" in card.inner_text()
    shot(page, "acceptance-03-letter")
    card.screenshot(path=str(ARTIFACTS / "acceptance-03-card.png"))
    with page.expect_download() as download:
        card.locator("a:has-text('下载PDF')").click()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(download.value.path()).pages))
    assert letter.number in text and "验收结论为“合格”" in text and "项目建设单位（文登）" in text

    page.goto(f"{url}/projects/{project.pk}/transitions/pass_acceptance/")
    page.click("button:has-text('确认验收合格')")
    page.wait_for_url(detail)
    assert Project.objects.get(pk=project.pk).state == ProjectState.EVALUATION
    shot(page, "acceptance-04-passed")
    assert Path(download.value.path()).stat().st_size > 10_000

    # The department evaluates each indicator against its target and hands the assets over (wendeng-2021
    # 第三十八条); the BDC archives: acceptance to 已归档, every step in the browser.
    report = tmp_path / "绩效自评报告.pdf"
    report.write_bytes(pdf_upload("绩效自评报告.pdf").read())
    login(page, url, "dept", PASSWORD)
    page.goto(f"{url}/projects/{project.pk}/actions/self_evaluation/")
    targets = project.performance_target_sets.order_by("-number").first()
    indicators = targets.indicators.all() if targets else []
    for indicator in indicators:
        page.fill(f"[name='actual:{indicator.pk}']", str(indicator.target or "达成"))
        met = page.locator(f"[name='met:{indicator.pk}']")
        if met.count() > 1:
            page.check(f"input[name='met:{indicator.pk}'][value='met']")
        elif met.count() == 1:
            met.select_option("met")
    page.fill("[name='summary']", "对照绩效目标逐项评价，目标全部实现。")
    page.fill("[name='score']", "90")
    page.set_input_files("[name='report']", str(report))
    page.click("button:has-text('确认绩效自评')")
    page.wait_for_url(re.compile(rf".*/projects/{project.pk}/.*"))
    assert project.self_evaluations.count() == 1, page.content()[:2000]
    page.goto(f"{url}/projects/{project.pk}/actions/handover_assets/")
    page.fill("[name='recipient']", "威海市文登区城市运营有限公司")
    page.fill("[name='assets']", "应用服务器 2台\n城市运行平台软件 1套")
    page.fill("[name='handed_over_on']", timezone.localdate().isoformat())
    page.set_input_files("[name='receipt']", str(report))
    page.click("button[type=submit]:has-text('确认')")
    page.wait_for_url(re.compile(rf".*/projects/{project.pk}/.*"))
    assert project.asset_handovers.count() == 1, page.content()[:2000]
    login(page, url, "bdc", PASSWORD)
    page.goto(f"{url}/projects/{project.pk}/transitions/archive/")
    page.click("button:has-text('确认归档')")
    page.wait_for_url(detail)
    assert Project.objects.get(pk=project.pk).state == ProjectState.ARCHIVED
    assert "档案只读" in page.inner_text("body")
    shot(page, "acceptance-05-archived")
