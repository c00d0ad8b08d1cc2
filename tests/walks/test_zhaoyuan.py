"""《招远市政务信息系统项目管理实施细则》招政办字〔2021〕33号, walked over HTTP."""

from datetime import date

from tests.factories import pdf_upload

from .conftest import Walk

POLICY = "zhaoyuan-2021"
TITLE = "《招远市政务信息系统项目管理实施细则》"

# 第七条: 申请表、建设方案、数据资源目录表、云平台服务资源需求表和审核表。
DECLARATION = ("application_form", "construction_plan", "catalogue_table", "cloud_demand", "cloud_review")


def art(article: str) -> str:
    return f"{TITLE}{article}"


def walk(w: Walk) -> None:
    world = w.world
    dept, bdc, finance = world.dept, world.bdc, world.finance

    # ---- 申报（第七条: 每年7至8月申报下一年度项目） ----------------------------------------------------------
    w.today(date(2025, 6, 30))
    w.create(dept, name="招远市智慧养老服务平台", year=2026, declared_amount="120.00")
    w.refused(
        dept,
        "submit",
        {"ZY-7-docs": art("第七条"), "ANY-catalogue": art("第十六条"), "ZY-7-window": art("第七条")},
    )
    for kind in DECLARATION:
        w.upload(dept, kind)
    resource = w.catalogue(dept)
    # 6月30日: 材料齐全，但不在申报期内。
    w.refused(dept, "submit", {"ZY-7-window": art("第七条")})
    w.today(date(2025, 7, 7))
    w.transition(dept, "submit")

    # ---- 评审（第八条: 专家组初审九项内容） ------------------------------------------------------------------
    w.refused(bdc, "start_review", {"ANY-prereview": art("第八条"), "ANY-panel": art("第八条")})
    w.action(bdc, "prereview", passed="1", opinion="材料齐全，同意提交专家评审。")
    w.action(bdc, "draw_panel", size=3)
    w.transition(bdc, "start_review")
    approval = {"approved_amount": "120.00", "basis": "市政府同意建设；专项小组审核预算"}
    # 第八条: 评审专家组逐项评审九项内容并出具评审意见。
    w.refused(bdc, "approve", {"ANY-opinion": art("第八条"), "ZY-8-criteria": art("第八条")}, **approval)
    w.score_all()
    w.action(bdc, "consolidate_opinion", conclusion="pass", summary="九项内容均符合要求，同意建设。")
    w.action(bdc, "issue_opinion")
    assert w.entry("reviews.opinion.issue")["documents"][0]["kind"] == "review_opinion"
    # 第六条: 经审核通过并报呈市政府同意后方可实施。
    w.refused(bdc, "approve", {"ZY-6-decision": art("第六条")}, **approval)
    w.forbidden(finance, "approve", **approval)
    w.today(date(2025, 7, 28))
    w.action(
        bdc,
        "record_decision",
        body="招远市人民政府",
        agreed="1",
        decided_on="2025-07-25",
        document_number="招政字〔2025〕18号",
        file=pdf_upload("市政府批复.pdf"),
    )
    # 第十条: 项目预算（批复金额不超过申报金额）。
    w.refused(bdc, "approve", {"ANY-budget": art("第十条")}, approved_amount="150.00", basis="超出申报")
    w.transition(bdc, "approve", **approval)

    # ---- 采购与合同备案（第二十一条: 签订合同5个工作日内备案） --------------------------------------------------
    w.today(date(2026, 1, 12))
    w.transition(dept, "start_procurement")
    contract = {
        "contract_amount": "118.00",
        "awarded_on": "2026-01-05",
        "signed_on": "2026-01-09",
        "supplier": "烟台某某信息技术有限公司",
    }
    w.refused(dept, "file_contract", {"ANY-contract": art("第二十一条")}, **contract)
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    w.transition(dept, "file_contract", **contract)

    # ---- 完工、申请验收 ----------------------------------------------------------------------------------
    w.today(date(2026, 6, 1))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2026-05-25",
    )
    # 第二十条: 验收申请; 第十八条: 安全风险评估; 第十七条: 信息资源纳入共享平台。
    w.refused(
        dept,
        "apply_acceptance",
        {
            "ANY-application": art("第二十条"),
            "ZY-18-security": art("第十八条"),
            "ANY-connected": art("第十七条"),
        },
    )
    w.upload(dept, "acceptance_application")
    w.upload(dept, "security_assessment")
    w.refused(dept, "apply_acceptance", {"ANY-connected": art("第十七条")})
    w.action(bdc, "connect_resources", resource=resource["id"], registered=True, connected=True)
    w.transition(dept, "apply_acceptance")

    # ---- 竣工验收（第二十条: 市大数据服务中心备案，含项目验收报告） ------------------------------------------------
    w.today(date(2026, 6, 8))
    w.refused(bdc, "pass_acceptance", {"ANY-letter": art("第二十条")})
    w.forbidden(finance, "pass_acceptance")
    w.accept(bdc, "passed", transition="pass_acceptance")

    # ---- 绩效评价与归档 ----------------------------------------------------------------------------------
    w.today(date(2026, 7, 6))
    w.refused(bdc, "archive", {"ANY-evaluation": art("第二十条")})
    w.self_evaluation(dept, summary="绩效目标均已实现。", report=pdf_upload("绩效自评报告.pdf"))
    w.transition(bdc, "archive")


def test_zhaoyuan_walk_from_draft_to_archived_over_http(walk_for):
    w = walk_for(POLICY)
    walk(w)
    assert w.state == "archived"
    entries = w.assert_timeline_covers_every_step()
    # 第六条: the 市政府's decision on the record, then the centre's 立项.
    actions = [e["action"] for e in entries]
    assert actions.index("reviews.decision.record") < actions.index("projects.project.approve")
    assert next(e for e in entries if e["action"] == "projects.project.approve")["actor"] == str(w.world.bdc)


def test_zhaoyuan_refused_with_the_article_at_each_blocking_check(walk_for):
    w = walk_for(POLICY, probing=True)
    walk(w)
    assert w.state == "archived"
    assert set(w.refusals) == {
        "ZY-7-docs",
        "ZY-7-window",
        "ANY-catalogue",
        "ANY-prereview",
        "ANY-panel",
        "ANY-opinion",
        "ZY-8-criteria",
        "ZY-6-decision",
        "ANY-budget",
        "ANY-contract",
        "ANY-application",
        "ZY-18-security",
        "ANY-connected",
        "ANY-letter",
        "ANY-evaluation",
    }
    assert w.forbidden_steps == ["approve:finance", "pass_acceptance:finance"]
