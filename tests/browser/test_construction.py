"""Issue 13's "done when", in Debian's Chromium on the demo data: the supervisor files a 四控三管 report, the BDC
rates the project 2, a 督办单 opens, the department answers it, the BDC closes it. The project up to 建设中 is set
up through the services (the state before procurement directly). Screenshots: test-artifacts/browser/construction-*.png."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from acceptance.models import Escalation, RiskRating, SupervisionReport
from core.enums import OrganisationKind
from core.models import Organisation, User
from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from projects.services import document_upload, project_create, project_transition
from tests.factories import PROJECT_DEFAULTS, pdf_upload

from .support import login, shot

ITEMS = ("schedule", "quality", "cost", "change", "contract", "document", "security")


def _under_construction() -> Project:
    from projects.actions import project_action

    dept = User.objects.get(username="dept")
    project = project_create(by=dept, data={**PROJECT_DEFAULTS, "name": "智慧文登城市运行监测平台"})
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.PROCUREMENT, approved_amount=project.declared_amount, declared_at=timezone.now()
    )
    supervisor_org = Organisation.objects.get(users__username="supervisor", kind=OrganisationKind.SUPERVISION)
    project_action(
        project_id=project.pk, name="assign_supervisor", by=dept, data={"organisation": supervisor_org.pk}
    )
    for kind in (DocumentKind.CONTRACT, DocumentKind.AWARD_NOTICE):
        document_upload(project=project, by=dept, kind=kind, file=pdf_upload(f"{kind}.pdf"))
    today = timezone.localdate()
    project_transition(
        project_id=project.pk,
        name="file_contract",
        by=dept,
        data={
            "contract_amount": "140.00",
            "awarded_on": (today - timedelta(days=2)).isoformat(),
            "signed_on": today.isoformat(),
            "supplier": "山东某某信息技术有限公司",
            "planned_completion_on": (today + timedelta(days=120)).isoformat(),
            "milestones": f"需求调研完成 {(today + timedelta(days=30)).isoformat()}\n系统上线试运行 {(today + timedelta(days=100)).isoformat()}",
        },
    )
    return project


@pytest.mark.browser
def test_supervise_rate_escalate_answer_close_in_the_browser(transactional_db, live_server, browser_page):
    call_command("seed_demo", stdout=io.StringIO())
    page, url = browser_page, live_server.url
    project = _under_construction()
    detail = f"{url}/projects/{project.pk}/"

    # 监理: the project is on its home page; it files the month's report on the action's page.
    login(page, url, "supervisor")
    assert project.code in page.content()
    page.goto(f"{url}/projects/{project.pk}/actions/supervision_report/")
    for item in ITEMS:
        page.fill(f"textarea[name='finding:{item}']", "符合合同和监理规范要求。")
        page.select_option(f"select[name='rating:{item}']", "good")
    page.select_option("select[name='rating:quality']", "poor")
    page.fill("textarea[name=issues]", "单元测试覆盖率不足，质量控制较差。")
    page.click("button:has-text('确认报送监理报告')")
    page.wait_for_url(f"{detail}#supervision")
    assert SupervisionReport.objects.filter(project=project).count() == 1
    shot(page, "construction-1-supervision-report")

    # 大数据中心: rates the project 2 with its reason; a 督办单 opens.
    login(page, url, "bdc")
    page.goto(f"{url}/projects/{project.pk}/actions/rate_risk/")
    page.select_option("select[name=rating]", "2")
    page.click("button:has-text('确认月度风险评级')")
    assert page.locator(".errorlist, .field-error, .notice-error").count() > 0  # 1–3 need a comment
    page.fill("textarea[name=comment]", "监理报告质量控制较差，测试不足，存在延期风险。")
    page.click("button:has-text('确认月度风险评级')")
    page.wait_for_url(f"{detail}#ratings")
    assert RiskRating.objects.get(project=project).rating == 2
    escalation = Escalation.objects.get(project=project)
    assert page.locator("[data-escalation='1']").count() == 1
    shot(page, "construction-2-rated-and-escalated")

    # 建设单位: the 督办 item is on its home page; it answers.
    login(page, url, "dept")
    assert "待答复的督办事项" in page.content()
    shot(page, "construction-3-department-home")
    page.goto(f"{url}/projects/{project.pk}/actions/answer_escalation/")
    page.select_option("select[name=escalation]", str(escalation.pk))
    page.fill("textarea[name=answer]", "已要求承建单位补充单元测试，两周内完成并报监理复核。")
    page.click("button:has-text('确认答复督办单')")
    page.wait_for_url(f"{detail}#escalations")

    # 大数据中心: the answered 督办单 waits on its home page; it closes it (继续).
    login(page, url, "bdc")
    assert "已答复，待办结" in page.content()
    page.goto(f"{url}/projects/{project.pk}/actions/close_escalation/")
    page.select_option("select[name=escalation]", str(escalation.pk))
    page.check("input[name=outcome][value=continue]")
    page.fill("textarea[name=note]", "整改措施可行，同意继续建设，下月复评。")
    page.click("button:has-text('确认办结督办单')")
    page.wait_for_url(f"{detail}#escalations")
    escalation.refresh_from_db()
    assert escalation.status == "closed" and escalation.outcome == "continue"
    assert "办结督办单第1号：继续" in page.content()
    shot(page, "construction-4-closed")
