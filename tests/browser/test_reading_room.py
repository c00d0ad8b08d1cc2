"""Issue 15's auditor, in Debian's Chromium on the demo data: searches (全文检索), opens the archived sample in the
reading room, exports and downloads its package (the zip and its manifest read back), and sees the chain
verified. Screenshots: test-artifacts/browser/reading-room-*.png."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from projects.enums import ProjectState
from projects.models import Project

from .support import ARTIFACTS, login, shot

ARCHIVED_SAMPLE = "全民健康信息平台（一期）"  # portal.demo_samples: walked to 已归档


@pytest.mark.browser
def test_the_auditor_reads_an_archived_project_and_takes_its_package(
    transactional_db, live_server, browser_page
):
    call_command("seed_demo", "--with-projects", stdout=io.StringIO())
    project = Project.objects.get(name=ARCHIVED_SAMPLE)
    assert project.state == ProjectState.ARCHIVED
    page, url = browser_page, live_server.url
    login(page, url, "auditor")

    # 全文检索: the project by a word of its name.
    page.click("nav >> text=全文检索")
    page.fill("input[name=q]", "全民健康")
    page.click("button:has-text('检索')")
    page.wait_for_selector(f"article.hit >> text={project.name}")
    shot(page, "reading-room-1-search")

    # The project page says it is archived and read-only, and leads to the reading room.
    page.click(f"article.hit a:has-text('{project.name}')")
    page.wait_for_url(f"{url}/projects/{project.pk}/**")
    assert "已归档 · 档案只读" in page.content()
    page.locator("#addenda").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reading-room-1b-project-page.png"))
    page.click("text=在档案阅览室中查阅")
    page.wait_for_url(f"{url}/archive/reading-room/{project.pk}/")
    content = page.content()
    assert "全过程记录（按时间顺序）" in content and "验收合格" in content
    shot(page, "reading-room-2-project")

    # The chain verified on request.
    page.click("text=立即核验本项目")
    page.wait_for_selector("[data-chain=intact]")
    assert "链校验通过" in page.inner_text("#verification")
    shot(page, "reading-room-3-verified")

    # The package: asked for, built (the eager worker of the tests), downloaded and read back.
    page.click("a:has-text('导出归档包')")
    page.click("button:has-text('确认导出归档包')")
    page.wait_for_url(f"{url}/projects/{project.pk}/#archive")
    page.goto(f"{url}/archive/reading-room/{project.pk}/#packages")
    with page.expect_download() as info:
        page.click("#packages a:has-text('下载')")
    data = info.value.path().read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["project"] == project.code
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(archive.namelist()) - {"manifest.json"} == set(listed)
    for path, item in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == item["sha256"], path
    assert {"timeline.json", "timeline.pdf", "addenda.json"} <= set(listed)
    assert json.loads(archive.read("timeline.json"))["verification"] == []
    shot(page, "reading-room-4-package")

    # The reading room's list, with its facets.
    page.goto(f"{url}/archive/reading-room/")
    assert project.name in page.content()
    shot(page, "reading-room-5-list")
