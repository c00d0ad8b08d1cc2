"""The review in a real browser on the demo data: the BDC draws the panel, an expert scores, the BDC
consolidates (Debian's Chromium driven by Playwright; screenshots in test-artifacts/browser)."""

import io

import pytest
from django.core.management import call_command

from core.models import User
from projects.enums import ProjectState
from projects.models import Project
from projects.services import project_transition
from reviews.models import Draw, PanelMember, ReviewOpinion, ScoreSheet
from reviews.services import prereview_record, score_sheet_submit
from tests.browser.support import declared_demo_project, login, shot

from .test_scores import answers


@pytest.mark.browser
def test_review_in_the_browser(transactional_db, live_server, browser_page):
    call_command("seed_demo", stdout=io.StringIO())
    page, url = browser_page, live_server.url
    project = declared_demo_project()
    bdc = User.objects.get(username="bdc")

    login(page, url, "bdc")
    page.goto(f"{url}/projects/{project.pk}/")
    page.click("text=组建评审专家组（随机抽取）")
    page.fill("#id_bidder_names", "威海某某信息技术有限公司")
    shot(page, "reviews-01-draw-form")
    page.click("button:has-text('随机抽取')")
    page.wait_for_selector("text=已随机抽取评审专家组")
    shot(page, "reviews-02-drawn")
    draw = Draw.objects.get(project=project)
    drawn = [m.expert.user.username for m in PanelMember.objects.filter(project=project, active=True)]
    assert "expert5" not in drawn  # employed by the declaring department
    page.click(f"a[href='/reviews/draws/{draw.pk}/']")
    page.wait_for_selector("text=结果与记录一致")
    shot(page, "reviews-03-draw-verified")

    prereview_record(project=project, by=bdc, passed=True, opinion="符合规划，同意进入评审。")
    project_transition(project_id=project.pk, name="start_review", by=bdc)
    assert Project.objects.get(pk=project.pk).state == ProjectState.REVIEWING

    login(page, url, drawn[0])
    assert project.name in page.content()
    page.goto(f"{url}/reviews/projects/{project.pk}/score/")
    for criterion in project.policy.review_criteria:
        page.check(f"input[name='criterion:{criterion.code}'][value='meets']")
        page.fill(f"textarea[name='comment:{criterion.code}']", f"{criterion.label}论证充分。")
    page.fill("textarea[name='opinion']", "建设必要，方案可行，投资合理。")
    page.check("input[name='recommendation'][value='pass']")
    shot(page, "reviews-04-score-form")
    page.click("button:has-text('提交评分')")
    page.wait_for_selector("text=已提交评分")
    shot(page, "reviews-05-scored")
    assert ScoreSheet.objects.filter(expert__user__username=drawn[0]).count() == 1

    for username in drawn[1:]:
        score_sheet_submit(project=project, by=User.objects.get(username=username), **answers(project))
    login(page, url, "bdc")
    page.goto(f"{url}/reviews/projects/{project.pk}/")
    page.check("input[name='conclusion'][value='pass']")
    page.fill("textarea[name='summary']", "专家组一致同意建设。")
    page.click("button:has-text('汇总评审意见')")
    page.wait_for_selector("text=已汇总评审意见")
    shot(page, "reviews-06-consolidated")
    assert ReviewOpinion.objects.get(project=project).conclusion == "pass"
