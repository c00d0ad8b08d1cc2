"""In Debian's Chromium: the BDC pre-reviews a gongshu-draft project as 完善需求方案 and the page shows the
预审意见书 with its 发文字号 and PDF; the department records a wendeng-2021 asset handover after acceptance.
Screenshots: test-artifacts/browser/prereview-*.png, handover-*.png."""

import pytest
from django.test import Client
from django.utils import timezone

from acceptance.models import AssetHandover
from core.models import Letter
from projects.enums import ProjectState
from projects.models import Project
from tests.factories import World, pdf_upload

from .support import shot


def _as(page, url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}])


@pytest.mark.browser
def test_prereview_letter_and_asset_handover_in_the_browser(
    transactional_db, live_server, browser_page, tmp_path
):
    page, url = browser_page, live_server.url
    gongshu = World("gongshu-draft")
    gongshu.bdc_org.short_name = "拱数据"
    gongshu.bdc_org.save(update_fields=["short_name"])
    project = gongshu.project(name="拱墅区基层治理数字驾驶舱")
    Project.objects.filter(pk=project.pk).update(state=ProjectState.DECLARED, declared_at=timezone.now())

    _as(page, url, gongshu.bdc)
    page.goto(f"{url}/projects/{project.pk}/#review")
    form = page.locator(f"form[action='/projects/{project.pk}/review/prereview/']")
    form.locator("input[name=outcome][value=revise]").check()
    form.locator("textarea[name=opinion]").fill(
        "需求方案未说明与区城市大脑的数据共享关系，请完善后重新申报。"
    )
    form.locator("button:has-text('记录预审并出具预审意见书')").click()
    page.wait_for_load_state()
    letter = Letter.objects.get(project=project, kind=Letter.Kind.PREREVIEW_OPINION)
    assert letter.status == Letter.Status.READY, letter.error
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT
    content = page.content()
    assert letter.number in content and "完善需求方案" in content
    shot(page, "prereview-1-revise")
    with page.expect_download() as download:
        page.click("a:has-text('[下载PDF]')")
    saved = tmp_path / "prereview.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    wendeng = _second_world()  # a second jurisdiction in the same database, under wendeng-2021
    accepted = wendeng.project(name="智慧文登教育资源平台")
    Project.objects.filter(pk=accepted.pk).update(state=ProjectState.EVALUATION, declared_at=timezone.now())
    _as(page, url, wendeng.dept)
    page.goto(f"{url}/projects/{accepted.pk}/actions/handover_assets/")
    page.fill("input[name=recipient]", "威海市文登区城市资产运营有限公司")
    page.fill("textarea[name=assets]", "智慧教育平台软件 1套\n教室录播终端 24台")
    page.fill("input[name=handed_over_on]", timezone.localdate().isoformat())
    page.set_input_files("input[name=receipt]", files=[_pdf(tmp_path)])
    page.click("button:has-text('确认登记资产移交')")
    page.wait_for_url(f"{url}/projects/{accepted.pk}/#handover")
    assert AssetHandover.objects.get(project=accepted).assets[1] == {
        "name": "教室录播终端",
        "quantity": "24台",
    }
    assert "教室录播终端" in page.content()
    shot(page, "handover-1-recorded")


def _second_world() -> World:
    from core.enums import OrganisationKind, Role
    from tests.factories import JurisdictionFactory, OrganisationFactory, UserFactory

    world = World.__new__(World)
    world.jurisdiction = JurisdictionFactory(code="wendeng", policy_code="wendeng-2021", project_prefix="WD")
    world.dept_org = OrganisationFactory(jurisdiction=world.jurisdiction, kind=OrganisationKind.DEPARTMENT)
    world.dept = UserFactory(username="wd_dept", role=Role.DEPARTMENT, organisation=world.dept_org)
    return world


def _pdf(tmp_path):
    path = tmp_path / "接收确认书.pdf"
    path.write_bytes(pdf_upload("r.pdf").read())
    return str(path)
