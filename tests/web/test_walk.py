"""The whole road to 立项 through the pages: dept declares; the BDC pre-reviews, draws the panel and starts the
review; each drawn expert scores; the BDC consolidates and issues the numbered 评审意见; finance approves.
There is no page for a hand-picked panel or an uploaded opinion: those old addresses are gone."""

from core.models import Letter
from projects.enums import DocumentKind, ProjectState
from projects.models import Project
from reviews.models import Draw, PanelMember, ReviewOpinion, ScoreSheet
from tests.factories import ExpertFactory, UserFactory, pdf_upload

from .test_declare import declaration
from .test_transitions import RESOURCE

LEGACY = ("review/panel/", "review/opinion/")


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def _score_post(project, grade="meets", note="论证充分"):
    post = {}
    for c in project.policy.review_criteria:
        post[f"criterion:{c.code}"] = grade
        post[f"comment:{c.code}"] = f"{c.label}{note}。"
    post.update(opinion="建设必要，方案可行，投资合理。", recommendation="pass")
    return post


def _library_expert(world, username, fields):
    return ExpertFactory(
        user=UserFactory(username=username, role="expert", organisation=None),
        employer=world.expert_org,
        fields=fields,
    )


def test_walk_to_approved_in_the_browser(world, login, django_capture_on_commit_callbacks):
    world.bdc_org.short_name = "文大数据"  # the 机关代字 the 发文字号 needs
    world.bdc_org.save(update_fields=["short_name"])
    _library_expert(world, "expert-data", ["data", "software"])  # the declaration's 数据资源 needs one

    # 建设单位: declare, upload what the policy requires, register a resource, submit.
    client = login(world.dept)
    _ok(client.post("/projects/new/", declaration()))
    project = Project.objects.get()
    base = f"/projects/{project.pk}"
    review = f"/reviews/projects/{project.pk}"
    for kind in (DocumentKind.CONSTRUCTION_PLAN, DocumentKind.FEASIBILITY_REPORT):
        _ok(client.post(f"{base}/documents/", {"kind": kind, "file": pdf_upload(f"{kind}.pdf")}))
    _ok(client.post(f"{base}/resources/", RESOURCE))
    confirm = _ok(client.get(f"{base}/transitions/submit/"), 200).content.decode()
    assert "check-fail" not in confirm
    _ok(client.post(f"{base}/transitions/submit/", {"comment": "请予审核"}))
    project.refresh_from_db()
    assert project.state == ProjectState.DECLARED

    # 大数据中心: pre-review on the project page, then the random draw on the review page.
    client = login(world.bdc)
    page = _ok(client.get(f"{base}/"), 200).content.decode()
    assert "记录预审意见" in page and "组建评审专家组（随机抽取）" in page and f'href="{review}/"' in page
    assert not any(f"{base}/{path}" in page for path in LEGACY)
    refused = client.post(f"{base}/transitions/start_review/", {})
    assert refused.status_code == 409 and "尚未进行预审" in refused.content.decode()
    _ok(client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": "符合规划，同意进入评审。"}))
    refused = client.post(f"{base}/transitions/start_review/", {})
    assert refused.status_code == 409 and "评审专家组人数不足" in refused.content.decode()
    assert "随机抽取" in _ok(client.get(f"{review}/"), 200).content.decode()
    _ok(client.post(f"{review}/draw/", {"size": "3", "bidder_names": "威海某某信息技术有限公司"}))
    draw = Draw.objects.get(project=project)
    members = list(PanelMember.objects.filter(project=project, active=True).select_related("expert__user"))
    assert sorted(m.expert_id for m in members) == sorted(draw.result) and len(members) == 3
    assert all(m.draw_id == draw.pk for m in members)
    _ok(client.post(f"{base}/transitions/start_review/", {"comment": "启动专家评审"}))
    project.refresh_from_db()
    assert project.state == ProjectState.REVIEWING

    # Each drawn expert scores every criterion on the score page; the BDC cannot consolidate before.
    for i, member in enumerate(members):
        if i == len(members) - 1:
            client = login(world.bdc)
            early = client.post(f"{review}/opinion/", {"conclusion": "pass", "summary": "同意建设。"})
            assert early.status_code == 409
            assert f"专家{member.expert}尚未提交评分" in early.content.decode()
        client = login(member.expert.user)
        form = _ok(client.get(f"{review}/score/"), 200).content.decode()
        assert "提交评分" in form
        _ok(client.post(f"{review}/score/", _score_post(project)))
        sheet = ScoreSheet.objects.get(project=project, member=member)
        assert sheet.scores.count() == len(project.policy.review_criteria)
        assert {s.grade for s in sheet.scores.all()} == {"meets"}

    # 大数据中心: consolidate; until the opinion is issued as a PDF, finance cannot approve.
    client = login(world.bdc)
    assert f'href="{review}/#opinion"' in _ok(client.get(f"{base}/"), 200).content.decode()
    _ok(client.post(f"{review}/opinion/", {"conclusion": "pass", "summary": "专家组一致同意建设。"}))
    assert f'href="{base}/#letters"' in _ok(client.get(f"{review}/"), 200).content.decode()
    opinion = ReviewOpinion.objects.get(project=project)
    assert opinion.conclusion == "pass" and opinion.document_id is None
    assert opinion.sheets.count() == 3
    finance = login(world.finance)
    assert project.name not in _ok(finance.get("/"), 200).content.decode()  # not yet 待立项
    refused = finance.post(
        f"{base}/transitions/approve/",
        {"approved_amount": "140.00", "basis": "财政投资评审意见", "valid_until": "2099-12-31"},
    )
    assert refused.status_code == 409 and "评审意见尚未正式出具" in refused.content.decode()

    client = login(world.bdc)
    page = _ok(client.get(f"{base}/"), 200).content.decode()
    issue = f"{base}/review/opinions/{opinion.pk}/issue/"
    assert "出具评审意见（生成PDF）" in page and issue in page
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs inline in the tests
        _ok(client.post(issue))
    letter = Letter.objects.get(project=project)
    opinion.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.number == f"文大数据评〔{letter.year}〕1号"
    assert opinion.document_id == letter.document_id is not None

    # 财政局: sees it waiting, approves within the declared amount with the approval's validity.
    client = login(world.finance)
    assert project.name in _ok(client.get("/"), 200).content.decode()
    _ok(
        client.post(
            f"{base}/transitions/approve/",
            {"approved_amount": "140.00", "basis": "财政投资评审意见", "valid_until": "2099-12-31"},
        )
    )
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    assert str(project.approved_amount) == "140.00" and str(project.valid_until) == "2099-12-31"

    body = _ok(client.get(f"{base}/"), 200).content.decode()
    assert "已立项" in body and "140.00 万元" in body and letter.number in body
    labels = list(project.timeline.order_by("seq").values_list("label", flat=True))
    assert labels[-1] == "立项"
    for label in ("提交申报", "预审", "抽取评审专家组", "启动评审", "汇总评审意见", "印发评审意见"):
        assert label in labels
    assert labels.count("专家提交评分") == 3
    assert "组建评审专家组" not in labels and "出具评审意见" not in labels  # the old hand-made records


def test_the_old_panel_and_opinion_addresses_are_gone(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    base = f"/projects/{project.pk}"
    client = login(world.bdc)
    response = client.post(f"{base}/review/panel/", {"experts": [e.pk for e in world.experts]})
    assert response.status_code == 404
    response = client.post(
        f"{base}/review/opinion/", {"conclusion": "pass", "summary": "x", "file": pdf_upload("o.pdf")}
    )
    assert response.status_code == 404
    assert not project.panel.exists() and not project.review_opinions.exists()
    assert not project.documents.filter(kind=DocumentKind.REVIEW_OPINION).exists()


def test_draw_prereview_and_consolidate_refusals(world, login):
    project = world.project_in_state(ProjectState.DECLARED)
    base = f"/projects/{project.pk}"
    review = f"/reviews/projects/{project.pk}"
    client = login(world.bdc)
    response = client.post(f"{review}/draw/", {"size": "4"})
    assert response.status_code == 400 and "未能抽取评审专家组" in response.content.decode()
    response = client.post(f"{review}/draw/", {"size": "15"})  # the library has 4 experts
    body = response.content.decode()
    assert response.status_code == 400 and "未能抽取评审专家组：可抽取的专家只有4名，不足15名" in body
    assert body.count("未能抽取评审专家组") == 1  # said once, not prefixed twice
    assert not Draw.objects.exists()
    response = client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": ""})
    assert response.status_code == 400 and "请填写预审意见" in response.content.decode()
    response = client.post(f"{review}/opinion/", {"conclusion": "pass", "summary": "同意。"})
    assert response.status_code == 409  # no opinion before the review starts
    assert "不能汇总评审意见" in response.content.decode()
    assert not project.review_opinions.exists()
    dept = login(world.dept)
    response = dept.post(f"{base}/review/prereview/", {"passed": "1", "opinion": "自己预审"})
    assert response.status_code == 403
    response = dept.post(f"{review}/draw/", {"size": "3"})
    assert response.status_code == 403 and not Draw.objects.exists()


def test_security_project_needs_the_police(world, login):
    _library_expert(world, "expert-sec", ["security"])
    project = world.project_in_state(ProjectState.DECLARED, is_security=True)
    base = f"/projects/{project.pk}"
    client = login(world.bdc)
    _ok(client.post(f"{base}/review/prereview/", {"passed": "1", "opinion": "同意。"}))
    _ok(client.post(f"/reviews/projects/{project.pk}/draw/", {"size": "3"}))
    assert "expert-sec" in [m.expert.user.username for m in project.panel.filter(active=True)]
    refused = client.post(f"{base}/transitions/start_review/", {})
    assert refused.status_code == 409 and "须邀请区公安部门参与审核" in refused.content.decode()
    _ok(client.post(f"{base}/review/agencies/", {"organisation": world.police_org.pk}))
    _ok(client.post(f"{base}/transitions/start_review/", {}))
    project.refresh_from_db()
    assert project.state == ProjectState.REVIEWING
