"""《威海市文登区“智慧文登”项目建设管理办法》威文政办字〔2021〕19号, walked over HTTP."""

from datetime import date

from tests.factories import pdf_upload

from .conftest import Walk

POLICY = "wendeng-2021"
TITLE = "《威海市文登区“智慧文登”项目建设管理办法》"

# 第三十六条(四): the thirteen documents of acceptance (合同 and 中标通知书 come with the contract filing).
ACCEPTANCE_DOCUMENTS = (
    "tender_documents",
    "bid_documents",
    "system_design",
    "database_design",
    "operation_report",
    "demo_list",
    "user_manual",
    "equipment_list",
    "design_drawings",
    "trial_report",
    "change_list",
)


def art(article: str) -> str:
    return f"{TITLE}{article}"


def walk(w: Walk) -> None:
    world = w.world
    dept, bdc, finance = world.dept, world.bdc, world.finance

    # ---- 申报 --------------------------------------------------------------------------------------
    w.today(date(2025, 3, 3))
    w.create(dept, name="智慧教育综合服务平台", year=2025, declared_amount="150.00")
    # 第十二条: 建设方案和可行性报告; 第二十一条: 信息资源目录。
    w.refused(
        dept,
        "submit",
        {"WD-12-docs": art("第十二条"), "WD-21-catalogue": art("第二十一条")},
    )
    w.upload(dept, "construction_plan")
    w.upload(dept, "feasibility_report")
    resource = w.catalogue(dept)
    w.transition(dept, "submit")

    # ---- 评审 --------------------------------------------------------------------------------------
    # 第十一条: 区大数据中心初审; 第十二条: 专家评审。
    w.refused(
        bdc,
        "start_review",
        {"ANY-prereview": art("第十一条"), "ANY-panel": art("第十二条")},
    )
    w.forbidden(dept, "start_review")
    w.action(bdc, "prereview", passed="1", opinion="符合全区信息化规划，同意进入专家评审。")
    w.action(bdc, "draw_panel", size=3)
    w.transition(bdc, "start_review")
    w.score_all()
    # 第十三条: 区大数据中心的审核意见是立项的前提。
    w.refused(
        finance,
        "approve",
        {"ANY-opinion": art("第十三条")},
        approved_amount="150.00",
        basis="财政投资评审意见",
        valid_until="2026-03-03",
    )
    w.forbidden(bdc, "approve", approved_amount="150.00", basis="评审意见", valid_until="2026-03-03")
    w.action(bdc, "consolidate_opinion", conclusion="pass", summary="项目必要、可行，投资合理，同意建设。")
    letter = w.action(bdc, "issue_opinion")
    assert letter["number"].startswith("数据评〔2025〕")
    opinion = w.entry("reviews.opinion.issue")  # the PDF, rendered inline and attached
    assert opinion["documents"][0]["kind"] == "review_opinion"
    # 第十四条: 区财政局统筹保障建设经费（批复金额不超过申报金额）; 第十七条: 核准文件有效期。
    w.refused(
        finance,
        "approve",
        {"ANY-budget": art("第十四条")},
        approved_amount="180.00",
        basis="财政投资评审意见",
        valid_until="2026-03-03",
    )
    w.transition(
        finance, "approve", approved_amount="150.00", basis="财政投资评审意见", valid_until="2026-03-03"
    )

    # ---- 采购与合同备案 --------------------------------------------------------------------------------
    w.today(date(2025, 3, 10))
    w.transition(dept, "start_procurement")
    contract = {
        "contract_amount": "148.00",
        "awarded_on": "2025-03-05",
        "signed_on": "2025-03-10",
        "supplier": "威海某某科技有限公司",
    }
    # 第十五条: 合同备案须有合同文本和中标通知书。
    w.refused(dept, "file_contract", {"ANY-contract": art("第十五条")}, **contract)
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    # 第十五条: 签订合同后立即备案（当日）。
    w.transition(dept, "file_contract", **contract)

    # ---- 完工与试运行 ----------------------------------------------------------------------------------
    w.today(date(2025, 6, 3))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2025-06-02",
    )
    # 第三十六条(三): 试运行3个月以后方可申请验收; (四): 验收资料; 第二十三条: 数据接入共享平台;
    # 第三十五条: 验收申请; 第二十四条: 安全测评。
    w.refused(
        dept,
        "apply_acceptance",
        {
            "WD-36-trial": art("第三十六条(三)"),
            "WD-36-docs": art("第三十六条(四)"),
            "WD-23-connected": art("第二十三条"),
            "ANY-application": art("第三十五条"),
            "ANY-security": art("第二十四条"),
        },
    )

    # ---- 申请验收（试运行满3个月、不满6个月） ------------------------------------------------------------
    w.today(date(2025, 9, 15))
    w.upload_all(dept, (*ACCEPTANCE_DOCUMENTS, "acceptance_application", "security_assessment"))
    w.refused(dept, "apply_acceptance", {"WD-23-connected": art("第二十三条")})
    # 第二十三条: 区大数据中心确认信息资源纳入共享平台目录并完成数据接入。
    w.action(bdc, "connect_resources", resource=resource["id"], registered=True, connected=True)
    w.transition(dept, "apply_acceptance")

    # ---- 竣工验收（区大数据中心组成验收组，第三十五条） ----------------------------------------------------
    w.today(date(2025, 9, 17))
    w.refused(bdc, "pass_acceptance", {"ANY-letter": art("第三十五条")})
    w.forbidden(dept, "draw_acceptance_group", kind="action")
    w.forbidden(dept, "pass_acceptance")
    # 竣工验收意见函由区大数据中心印发（发文），不是上传的文件：建设单位不能上传。
    w.upload_forbidden(dept, "acceptance_letter")
    # 第三十五条: 5个工作日内组成验收组（抽取专家，会同建设、设计、承建、监理单位）；第三十六条: 专家逐项意见。
    w.accept(bdc, "passed", transition="pass_acceptance")

    # ---- 绩效评价与归档（第三十四条） ----------------------------------------------------------------------
    w.today(date(2025, 10, 9))
    w.refused(bdc, "archive", {"ANY-evaluation": art("第三十四条"), "WD-38-handover": art("第三十八条")})
    w.self_evaluation(
        dept,
        summary="绩效目标全部实现：平台已覆盖全区中小学。",
        score="92.50",
        report=pdf_upload("绩效自评报告.pdf"),
    )
    # 第三十八条: 项目建成后，资产移交国有公司统一运维管理 — recorded by the department before 归档.
    w.refused(bdc, "archive", {"WD-38-handover": art("第三十八条")})
    w.forbidden(bdc, "handover_assets", kind="action")
    w.action(
        dept,
        "handover_assets",
        recipient="威海市文登区城市资产运营有限公司",
        assets="智慧教育平台软件 1套\n教室录播终端 24台",
        handed_over_on="2025-10-09",
        receipt=pdf_upload("资产移交接收确认书.pdf"),
    )
    w.transition(bdc, "archive")


def test_wendeng_walk_from_draft_to_archived_over_http(walk_for):
    w = walk_for(POLICY)
    walk(w)
    assert w.state == "archived"
    entries = w.assert_timeline_covers_every_step()
    approve = next(e for e in entries if e["action"] == "projects.project.approve")
    assert approve["actor"] == str(w.world.finance)
    assert [e["to_state"] for e in entries if e["action"].startswith("projects.project.")][-1] == "archived"


def test_wendeng_refused_with_the_article_at_each_blocking_check(walk_for):
    w = walk_for(POLICY, probing=True)
    walk(w)
    assert w.state == "archived"
    assert set(w.refusals) == {
        "WD-12-docs",
        "WD-21-catalogue",
        "ANY-prereview",
        "ANY-panel",
        "ANY-opinion",
        "ANY-budget",
        "ANY-contract",
        "WD-36-trial",
        "WD-36-docs",
        "WD-23-connected",
        "ANY-application",
        "ANY-security",
        "ANY-letter",
        "ANY-evaluation",
        "WD-38-handover",
    }
    assert w.forbidden_steps == [
        "start_review:dept",
        "approve:bdc",
        "draw_acceptance_group:dept",
        "pass_acceptance:dept",
        "upload acceptance_letter:dept",
        "handover_assets:bdc",
    ]
