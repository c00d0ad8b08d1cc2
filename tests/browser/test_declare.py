"""A department declares a project in a real browser (Debian's Chromium driven by Playwright)."""

import io

import pytest
from django.core.management import call_command

from projects.enums import ProjectState
from projects.models import Project

from .support import shot

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CHAPTERS = [
    "落实教育数字化战略行动，解决全区教育业务系统分散、数据不通的问题。",
    "现有学籍、招生、资助等系统二十余个，数据标准不一，重复录入。",
    "建设统一身份认证、学籍管理、教育数据共享交换三个子系统。",
    "依托区政务云部署，采用微服务架构，按等保二级要求设计。",
    "成立项目领导小组，由分管局长任组长，信息中心具体实施。",
    "软件开发120万元，等保测评15万元，监理及其他15万元，合计150万元。",
    "覆盖全区中小学100%，教育数据共享率达到90%以上；主要风险为数据质量。",
]


@pytest.mark.browser
def test_department_declares_and_submits(transactional_db, live_server, browser_page, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    page = browser_page
    url = live_server.url

    page.goto(f"{url}/login/")
    shot(page, "01-login")
    page.fill("#id_username", "dept")
    page.fill("#id_password", "Demo-Pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert page.locator("h1").inner_text() == "我的项目"
    shot(page, "02-home-department")

    page.click("text=＋ 新建申报")
    page.wait_for_url(f"{url}/projects/new/")
    page.fill("#id_name", "智慧教育综合服务平台")
    page.fill("#id_declared_amount", "一百五十")  # wrong on purpose: the form must keep what was typed
    page.check("input[name=construction_kinds][value=business_app]")
    page.check("input[name=construction_kinds][value=data_resources]")
    page.fill("#id_contact_name", "张明")
    page.fill("#id_contact_phone", "0631-8451234")
    page.check("#id_in_plan")
    for field, text in zip(
        (
            "background",
            "current_state",
            "content",
            "design",
            "organisation_plan",
            "investment",
            "performance",
        ),
        CHAPTERS,
        strict=True,
    ):
        page.fill(f"#id_{field}", text)
    shot(page, "03-declaration-form")
    page.click("text=保存草稿")
    assert "申报金额须为数字" in page.content()
    assert page.input_value("#id_background") == CHAPTERS[0]
    assert page.is_checked("input[name=construction_kinds][value=data_resources]")
    shot(page, "04-declaration-invalid-amount")
    page.fill("#id_declared_amount", "150.00")
    page.click("text=保存草稿")
    page.wait_for_url(f"{url}/projects/*/")
    project = Project.objects.get(name="智慧教育综合服务平台")
    assert project.code in page.content()

    page.click(f"a[href='/projects/{project.pk}/transitions/submit/']")
    assert page.locator(".check-fail").count() >= 1
    shot(page, "05-submit-checks-failing")
    page.go_back()

    for kind, name in (("construction_plan", "建设方案.pdf"), ("feasibility_report", "可行性研究报告.pdf")):
        path = tmp_path / name
        path.write_bytes(PDF + name.encode())
        page.select_option("#documents select[name=kind]", kind)
        page.set_input_files("#documents input[name=file]", str(path))
        assert page.locator("#documents .file-name").inner_text() == name
        page.click("#documents button:has-text('上传')")
        page.wait_for_selector(".message-success")
    page.fill("#catalogue input[name=name]", "学生学籍信息")
    page.fill("#catalogue input[name=source]", "学籍管理系统")
    page.fill("#catalogue input[name=format]", "数据库表")
    page.fill("#catalogue input[name=update_frequency]", "每日")
    page.select_option("#catalogue select[name=share_type]", "无条件共享")
    page.select_option("#catalogue select[name=open_type]", "不开放")
    page.click("#catalogue button:has-text('登记')")
    page.wait_for_selector("text=已登记数据资源")
    shot(page, "06-project-page-draft")

    page.click(f"a[href='/projects/{project.pk}/transitions/submit/']")
    assert page.locator(".check-fail").count() == 0
    assert "《威海市文登区“智慧文登”项目建设管理办法》第十二条" in page.content()
    page.fill("#id_comment", "请予审核。")
    shot(page, "07-submit-confirm")
    page.click("button:has-text('确认提交申报')")
    page.wait_for_url(f"{url}/projects/{project.pk}/")
    assert page.locator(".project-title .badge").inner_text() == "已申报"
    shot(page, "08-project-declared")
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED

    # The big-data center sees it waiting.
    page.click("button:has-text('退出')")
    page.fill("#id_username", "bdc")
    page.fill("#id_password", "Demo-Pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert "智慧教育综合服务平台" in page.content()
    shot(page, "09-home-bdc")
    page.goto(f"{url}/projects/{project.pk}/")
    shot(page, "10-project-page-bdc")
    page.goto(f"{url}/projects/?state=declared")
    assert "智慧教育综合服务平台" in page.content()
    shot(page, "11-project-list")
