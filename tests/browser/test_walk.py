"""Issue 4's "done when", in a real browser on the demo data (Debian's Chromium driven by Playwright): the BDC
pre-reviews, draws the panel and starts the review; the three drawn experts each score every criterion; the
BDC consolidates (通过) and issues the numbered 评审意见 as a PDF; finance approves it from its 待立项 list;
the project is 已立项 with the PDF on its timeline. Only the declaration is set up through the services.
Screenshots: test-artifacts/browser/walk-*.png."""

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Letter
from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from reviews.models import Draw, PanelMember, PreReview, ReviewOpinion, ScoreSheet

from .support import declared_demo_project, login, shot

NAME = "智慧文登政务数据共享交换平台"


def _state(page) -> str:
    return page.locator(".project-title .badge").inner_text()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", "", text)  # lines wrap anywhere in Chinese text


@pytest.mark.browser
def test_draw_score_issue_and_approve_in_the_browser(transactional_db, live_server, browser_page):
    call_command("seed_demo", stdout=io.StringIO())
    page, url = browser_page, live_server.url
    project = declared_demo_project(name=NAME)
    detail = f"{url}/projects/{project.pk}/"
    criteria = project.policy.review_criteria
    assert criteria  # wendeng-2021 names what the experts score

    # 大数据中心: pre-review on the project page.
    login(page, url, "bdc")
    page.goto(detail)
    assert _state(page) == "已申报"
    assert page.locator(f"a[href='/projects/{project.pk}/review/panel/']").count() == 0
    prereview = page.locator(f"form[action='/projects/{project.pk}/review/prereview/']")
    prereview.locator("input[name=passed][value='1']").check()
    prereview.locator("textarea[name=opinion]").fill("材料齐全，符合区级信息化规划，同意进入专家评审。")
    prereview.locator("button:has-text('记录预审')").click()
    page.wait_for_selector("text=已记录预审意见（预审合格）")
    assert PreReview.objects.get(project=project).passed

    # ... draws the panel on the review page.
    page.click("text=组建评审专家组（随机抽取）")
    page.wait_for_url(f"{url}/reviews/projects/{project.pk}/")
    page.fill("#id_bidder_names", "威海某某信息技术有限公司")
    shot(page, "walk-01-draw-form")
    page.click("button:has-text('随机抽取')")
    page.wait_for_selector("text=已随机抽取评审专家组")
    draw = Draw.objects.get(project=project)
    members = list(
        PanelMember.objects.filter(project=project, active=True).select_related("expert__user").order_by("id")
    )
    assert len(members) == 3 and sorted(m.expert_id for m in members) == sorted(draw.result)
    drawn = [m.expert.user.username for m in members]
    assert "expert5" not in drawn  # employed by the declaring department
    for member in members:
        assert page.locator("#members").get_by_text(str(member.expert), exact=True).count() == 1
    shot(page, "walk-02-drawn")

    # ... starts the review on the transition's confirm page.
    page.goto(detail)
    page.click(f"a[href='/projects/{project.pk}/transitions/start_review/']")
    page.wait_for_url(f"{url}/projects/{project.pk}/transitions/start_review/")
    assert page.locator(".check-fail").count() == 0
    assert page.locator(".verdict-ok").count() == 1
    page.fill("#id_comment", "预审通过，专家组已随机抽取，启动评审。")
    shot(page, "walk-03-start-review")
    page.click("button:has-text('确认启动评审')")
    page.wait_for_url(detail)
    assert _state(page) == "评审中"
    assert Project.objects.get(pk=project.pk).state == ProjectState.REVIEWING

    # Each drawn expert: from the home page to the score page, every criterion graded and commented.
    for n, member in enumerate(members, 1):
        login(page, url, member.expert.user.username)
        row = page.locator("#my-reviews tr", has_text=NAME)
        assert row.get_by_text("待评分").count() == 1
        row.locator(f"a[href='/reviews/projects/{project.pk}/score/']").click()
        page.wait_for_url(f"{url}/reviews/projects/{project.pk}/score/")
        for criterion in criteria:
            page.check(f"input[name='criterion:{criterion.code}'][value='meets']")
            page.fill(f"textarea[name='comment:{criterion.code}']", f"{criterion.label}论证充分，符合要求。")
        page.fill("textarea[name='opinion']", "项目建设必要，方案可行，投资估算合理。")
        page.check("input[name='recommendation'][value='pass']")
        if n == 1:
            shot(page, "walk-04-score-form")
        page.click("button:has-text('提交评分')")
        page.wait_for_selector("text=已提交评分")
        sheet = ScoreSheet.objects.get(project=project, member=member)
        assert sheet.recommendation == "pass" and sheet.supersedes_id is None
        assert sorted(s.criterion for s in sheet.scores.all()) == sorted(c.code for c in criteria)
        assert {s.grade for s in sheet.scores.all()} == {"meets"}
    shot(page, "walk-05-scored")
    assert ScoreSheet.objects.filter(project=project).count() == 3

    # 大数据中心: consolidates (通过) on the review page ...
    login(page, url, "bdc")
    page.goto(detail)
    assert "在组专家全部提交评分后" in page.locator("#letters").inner_text()
    page.click("#panel a:has-text('评审组织与评分汇总')")
    page.wait_for_url(f"{url}/reviews/projects/{project.pk}/")
    assert page.locator("#scores .sheet").count() == 3
    page.check("input[name='conclusion'][value='pass']")
    page.fill(
        "textarea[name='summary']", "项目建设必要，技术方案可行。\n专家组一致同意建设，建议加强数据共享。"
    )
    page.click("button:has-text('汇总评审意见')")
    page.wait_for_selector("text=已汇总评审意见")
    opinion = ReviewOpinion.objects.get(project=project)
    assert opinion.conclusion == "pass" and opinion.sheets.count() == 3 and opinion.document_id is None

    # ... and issues it: the number is taken, the PDF made (inline when tasks run eagerly, as the test
    # settings do; otherwise the page says 正在生成… and reloads itself when the status poll says ready).
    page.click("text=到项目页出具评审意见")
    page.wait_for_url(f"{detail}#letters")
    shot(page, "walk-06-before-issue")
    page.click("button:has-text('出具评审意见（生成PDF）')")
    page.wait_for_url(f"{detail}#letters")
    # Eagerly (the test settings, also under live_server: the task runs in the request's thread once the
    # issue commits) the PDF is made before the redirect; with a worker the message says it is on its way,
    # the page says 正在生成… and static/js/letters.js polls the status and reloads it when ready.
    message = page.locator(".message-success").inner_text()
    number = Letter.objects.get(project=project).number
    assert message in (
        f"已出具评审意见 {number}，PDF 已生成。",
        f"已编发文字号 {number}，正在生成 PDF，完成后本页自动更新。",
    )
    download_link = page.locator("#letters a:has-text('下载PDF')")
    download_link.wait_for(timeout=90_000)
    assert page.locator("#letters").get_by_text("正在生成…").count() == 0
    letter = Letter.objects.get(project=project)
    assert letter.status == Letter.Status.READY
    assert letter.number == f"文大数据评〔{letter.year}〕1号"
    assert page.locator("#letters td.mono").inner_text() == letter.number
    shot(page, "walk-07-issued")
    opinion.refresh_from_db()
    assert opinion.document_id == letter.document_id is not None
    version = letter.document
    assert version.document.kind == DocumentKind.REVIEW_OPINION
    stored = Path(version.file.path)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == version.sha256
    with page.expect_download() as download:
        download_link.click()
    assert Path(download.value.path()).read_bytes() == stored.read_bytes()
    text = _pdf_text(stored)
    assert NAME in text and project.code in text
    assert "评审结论为“通过”" in text and letter.number in text
    assert "专家组一致同意建设" in text

    # 财政局: the project waits on its home page; 立项 is refused until the amount and the validity are right.
    login(page, url, "finance")
    assert page.locator("h1").inner_text() == "待立项"
    page.click(f"a[href='/projects/{project.pk}/']")
    page.wait_for_url(detail)
    page.click(f"a[href='/projects/{project.pk}/transitions/approve/']")
    page.wait_for_url(f"{url}/projects/{project.pk}/transitions/approve/")
    page.fill("#id_approved_amount", "160.00")  # more than the 150.00 declared, and no validity
    page.fill("#id_basis", "区财政局财政投资评审意见（文财评〔2027〕5号）")
    page.click("button:has-text('确认立项')")
    page.wait_for_selector(".notice-error")
    refusal = page.locator(".notice-error").inner_text()
    assert "批复金额160.00万元超过申报金额150.00万元" in refusal
    assert "须填写核准文件有效期" in refusal and "第十七条" in refusal
    assert page.input_value("#id_basis") == "区财政局财政投资评审意见（文财评〔2027〕5号）"  # kept
    shot(page, "walk-08-approve-refused")
    assert Project.objects.get(pk=project.pk).state == ProjectState.REVIEWING

    valid_until = timezone.localdate() + timedelta(days=365)
    page.fill("#id_approved_amount", "140.00")
    page.fill("#id_valid_until", valid_until.isoformat())
    page.fill("#id_comment", "同意立项。")
    shot(page, "walk-09-approve-confirm")
    page.click("button:has-text('确认立项')")
    page.wait_for_url(detail)
    assert _state(page) == "已立项"
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    assert str(project.approved_amount) == "140.00" and project.valid_until == valid_until
    assert project.approval_basis == "区财政局财政投资评审意见（文财评〔2027〕5号）"
    assert "140.00 万元" in page.locator("#summary").inner_text()

    issued = page.locator("#timeline li.tl-entry", has_text="印发评审意见")
    assert issued.count() == 1
    entry = issued.inner_text()
    assert letter.number in entry and f"评审意见 v{version.number}" in entry
    assert page.locator("#timeline li.tl-entry").last.locator(".tl-label").inner_text() == "立项"
    shot(page, "walk-10-approved")
    labels = list(project.timeline.order_by("seq").values_list("label", flat=True))
    for label in ("提交申报", "预审", "抽取评审专家组", "启动评审", "汇总评审意见", "印发评审意见", "立项"):
        assert label in labels
    assert labels.count("专家提交评分") == 3
