"""《防城港市政务信息化项目建设管理办法（试行）》, walked over HTTP."""

from datetime import date

from tests.factories import pdf_upload

from .conftest import Walk, expert

POLICY = "fangchenggang-2022"
TITLE = "《防城港市政务信息化项目建设管理办法（试行）》"


def art(article: str) -> str:
    return f"{TITLE}{article}"


def walk(w: Walk) -> None:
    world = w.world
    dept, bdc, finance, fgw = world.dept, world.bdc, world.finance, world.fgw
    # 第十四条: 评估信息资源共享开放分析篇和项目系统安全分析篇 — the library has experts of those fields.
    expert(world, "expert_data", "data")
    expert(world, "expert_security", "security")

    # ---- 申报（第十条: 总投资200万元以上、400万元（含）以下报项目建议书和可行性研究报告） ---------------------------
    w.today(date(2025, 10, 13))
    w.create(dept, name="防城港市口岸通关数据共享平台", year=2026, declared_amount="300.00")
    w.refused(dept, "submit", {"FCG-10-tier": art("第十条"), "FCG-14-catalogue": art("第十四条")})
    w.upload(dept, "proposal")
    if w.probing:
        # 第十四条: 可行性研究报告须含信息资源共享开放分析篇和项目系统安全分析篇。
        w.upload(dept, "feasibility_report")
        w.refused(dept, "submit", {"FCG-14-chapters": art("第十四条"), "FCG-14-catalogue": art("第十四条")})
    w.upload(dept, "feasibility_report", has_sharing_chapter=True, has_security_chapter=True)
    resource = w.catalogue(dept)
    w.transition(dept, "submit")

    # ---- 评审（第十四条: 评估共享、安全两篇; 本办法无预审环节，直接抽取专家） -----------------------------------
    w.refused(bdc, "start_review", {"ANY-panel": art("第十四条")})
    w.action(bdc, "draw_panel", size=3)
    w.transition(bdc, "start_review")
    approval = {"approved_amount": "300.00", "basis": "市发展和改革委审批；市财政局审核投资"}
    w.refused(fgw, "approve", {"ANY-opinion": art("第十四条")}, **approval)
    w.score_all()
    w.action(
        bdc, "consolidate_opinion", conclusion="pass", summary="共享开放、系统安全两篇论证充分，同意建设。"
    )
    w.action(bdc, "issue_opinion")
    # 第四条: 市发展和改革委负责项目审批（财政局审核投资，不审批）。
    w.forbidden(finance, "approve", **approval)
    w.refused(fgw, "approve", {"ANY-budget": art("第四条")}, approved_amount="320.00", basis="超出申报金额")
    w.transition(fgw, "approve", **approval)

    # ---- 采购、委托监理（第二十二条）、合同备案（第十七条） ------------------------------------------------------
    w.today(date(2026, 1, 12))
    w.transition(dept, "start_procurement")
    contract = {
        "contract_amount": "296.00",
        "awarded_on": "2026-01-06",
        "signed_on": "2026-01-09",
        "supplier": "南宁某某信息技术有限公司",
    }
    w.refused(
        dept,
        "file_contract",
        {"ANY-contract": art("第十七条"), "FCG-22-supervisor": art("第二十二条")},
        **contract,
    )
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    w.forbidden(bdc, "assign_supervisor", kind="action", organisation=world.supervisor_org.pk)
    w.action(
        dept, "assign_supervisor", organisation=world.supervisor_org.pk, note="委托监理公司实施工程监理。"
    )
    w.transition(dept, "file_contract", **contract)

    # ---- 建成、申请验收（第十八至二十条: 安全测评、密码应用安全性评估、产品安全可靠情况） ------------------------------
    w.today(date(2026, 4, 1))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2026-04-01",
    )
    w.refused(
        dept,
        "apply_acceptance",
        {
            "ANY-application": art("第二十七条"),
            "ANY-security": art("第十八条"),
            "FCG-20-security": art("第十九、二十条"),
        },
    )
    for kind in ("acceptance_application", "security_assessment", "crypto_assessment", "product_security"):
        w.upload(dept, kind)
    # 第二十九条: 未按要求共享开放数据资源的，原则上不安排运行维护经费。
    w.action(bdc, "connect_resources", resource=resource["id"], registered=True, connected=True)
    w.transition(dept, "apply_acceptance")

    # ---- 验收（第二十七条: 建设单位自行组织，建成后半年内; 第二十八条: 档案验收） -----------------------------------
    w.today(date(2026, 5, 11))
    w.refused(
        dept,
        "pass_acceptance",
        {"FCG-28-archive": art("第二十八条"), "ANY-letter": art("第二十七条")},
    )
    w.forbidden(bdc, "pass_acceptance")
    w.forbidden(bdc, "archive_acceptance", kind="action", file=pdf_upload("档案验收意见.pdf"))
    w.action(dept, "archive_acceptance", file=pdf_upload("档案验收意见.pdf"), note="档案验收合格。")
    w.refused(dept, "pass_acceptance", {"ANY-letter": art("第二十七条")})
    # 验收报告由组织验收的建设单位形成（第二十七条），不由市大数据和行政审批局上传。
    w.upload_forbidden(bdc, "acceptance_report")
    # 第二十七条: 建设单位自行组织（会同有关部门或第三方机构）组成验收组、作出结论、印发竣工验收意见函。
    w.accept(dept, "passed", transition="pass_acceptance")

    # ---- 绩效评价与归档（第三十三条） ----------------------------------------------------------------------
    w.today(date(2026, 6, 8))
    w.refused(bdc, "archive", {"ANY-evaluation": art("第三十三条")})
    # 第二十三条: 绩效评价征求项目使用单位和监理单位的意见。
    w.refused(
        dept,
        "self_evaluation",
        {"FCG-23-evaluation": art("第二十三条")},
        kind="action",
        summary="绩效目标全部实现。",
        report=pdf_upload("绩效自评报告.pdf"),
    )
    w.self_evaluation(
        dept,
        summary="绩效目标全部实现。",
        users_opinion="使用单位：系统运行稳定，满足业务需要。",
        supervisor_opinion="监理单位：建设内容与批复一致。",
        report=pdf_upload("绩效自评报告.pdf"),
    )
    w.transition(bdc, "archive")


def test_fangchenggang_walk_from_draft_to_archived_over_http(walk_for):
    w = walk_for(POLICY)
    walk(w)
    assert w.state == "archived"
    entries = w.assert_timeline_covers_every_step()
    # 第四条: the project was approved by the 市发展和改革委's user.
    approve = next(e for e in entries if e["action"] == "projects.project.approve")
    assert approve["actor"] == str(w.world.fgw)
    assert approve["actor_role"] == "development"
    by_action = {e["action"]: e for e in entries}
    assert by_action["acceptance.supervisor.assign"]["actor"] == str(w.world.dept)
    assert by_action["acceptance.archive.accept"]["actor"] == str(w.world.dept)
    assert by_action["projects.project.pass_acceptance"]["actor"] == str(w.world.dept)
    assert "reviews.prereview.record" not in by_action


def test_fangchenggang_refused_with_the_article_at_each_blocking_check(walk_for):
    w = walk_for(POLICY, probing=True)
    walk(w)
    assert w.state == "archived"
    assert set(w.refusals) == {
        "FCG-10-tier",
        "FCG-14-catalogue",
        "FCG-14-chapters",
        "ANY-panel",
        "ANY-opinion",
        "ANY-budget",
        "ANY-contract",
        "FCG-22-supervisor",
        "ANY-application",
        "ANY-security",
        "FCG-20-security",
        "FCG-28-archive",
        "ANY-letter",
        "ANY-evaluation",
        "FCG-23-evaluation",
    }
    assert w.forbidden_steps == [
        "approve:finance",
        "assign_supervisor:bdc",
        "pass_acceptance:bdc",
        "archive_acceptance:bdc",
        "upload acceptance_report:bdc",
    ]
