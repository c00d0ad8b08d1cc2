"""《老河口市本级信息化和智慧城市项目管理办法》河政规〔2024〕1号, walked over HTTP."""

from datetime import date

from tests.factories import pdf_upload

from .conftest import Walk

POLICY = "laohekou-2024"
TITLE = "《老河口市本级信息化和智慧城市项目管理办法》"


def art(article: str) -> str:
    return f"{TITLE}{article}"


def walk(w: Walk) -> None:
    world = w.world
    dept, bdc, finance, fgw = world.dept, world.bdc, world.finance, world.fgw

    # ---- 申报（第六条: 书面提交建设意向） ----------------------------------------------------------------
    w.today(date(2024, 3, 4))
    w.create(dept, name="老河口市智慧停车管理系统", year=2024, declared_amount="150.00", category="new")
    w.refused(
        dept,
        "submit",
        {"LHK-6-intent": art("第六条"), "ANY-catalogue": art("第七条"), "LHK-25-targets": art("第二十五条")},
    )
    w.upload(dept, "intent")
    resource = w.catalogue(dept)
    # 第二十五条: 设定绩效目标，编制清晰、量化、便于考核的绩效指标。
    w.set_targets(dept)
    w.transition(dept, "submit")

    # ---- 评审（第七条: 统一答辩、评估和论证; 第十一条: 按领域选取专家） -----------------------------------------
    w.refused(
        bdc,
        "start_review",
        {"ANY-prereview": art("第七条"), "ANY-panel": art("第十一条"), "LHK-11-field": art("第十一条")},
    )
    w.action(bdc, "prereview", passed="1", opinion="需求描述完整，同意进入统一答辩评估。")
    w.action(bdc, "draw_panel", size=3)
    w.transition(bdc, "start_review")
    approval = {"approved_amount": "150.00", "basis": "市财政局预算评审意见"}
    # 第七条: 六项重点内容逐项论证; 第十二条: 技术评审意见是预算评审的前提。
    w.refused(
        finance, "approve", {"LHK-7-criteria": art("第七条"), "ANY-opinion": art("第十二条")}, **approval
    )
    w.score_all()
    w.action(bdc, "consolidate_opinion", conclusion="pass", summary="六项内容均已论证，同意建设。")
    w.action(bdc, "issue_opinion")
    # 第八条: 只有新增固定资产投资的项目由市发展和改革部门审批; 本项目由市财政局预算评审（第十二条）。
    w.forbidden(fgw, "approve", **approval)
    w.transition(finance, "approve", **approval)

    # ---- 采购、派驻监理（第十七、十八条）、合同备案 -------------------------------------------------------
    w.today(date(2024, 3, 11))
    w.transition(dept, "start_procurement")
    contract = {
        "contract_amount": "145.00",
        "awarded_on": "2024-03-08",
        "signed_on": "2024-03-11",
        "supplier": "襄阳某某软件有限公司",
    }
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    # 第十七条: 硬件和软件建设项目纳入统一监理。
    w.refused(dept, "file_contract", {"LHK-18-supervisor": art("第十七条")}, **contract)
    # 第十八条: 确定中标结果的5个工作日内书面申请派驻监理，由市城市运行管理中心派驻。
    w.forbidden(bdc, "apply_supervisor", kind="action", file=pdf_upload("派驻监理申请.pdf"))
    w.action(dept, "apply_supervisor", file=pdf_upload("派驻监理申请.pdf"), note="申请派驻监理。")
    w.forbidden(dept, "assign_supervisor", kind="action", organisation=world.supervisor_org.pk)
    w.action(bdc, "assign_supervisor", organisation=world.supervisor_org.pk)
    w.transition(dept, "file_contract", **contract)

    # ---- 完工（初验）与试运行 ------------------------------------------------------------------------------
    w.today(date(2024, 6, 3))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2024-06-03",
    )
    # 第二十三条(二): 初验后不少于一个月的试运行; (五)至(八): 用户报告、培训记录、部署于政务云;
    # 第二十二条: 验收申请; 第二十三条: 安全测评、数据共享。
    w.refused(
        dept,
        "apply_acceptance",
        {
            "LHK-23-trial": art("第二十三条(二)"),
            "LHK-23-conditions": art("第二十三条"),
            "ANY-application": art("第二十二条"),
            "ANY-security": art("第二十三条"),
            "ANY-connected": art("第二十三条"),
        },
        deployed_on_cloud=True,
    )

    # ---- 申请验收（试运行满一个月） ---------------------------------------------------------------------------
    w.today(date(2024, 7, 8))
    for kind in ("user_report", "training_record", "acceptance_application", "security_assessment"):
        w.upload(dept, kind)
    w.action(bdc, "connect_resources", resource=resource["id"], registered=True, connected=True)
    # 第二十三条(七): 部署在（迁移至）政务云。
    w.refused(dept, "apply_acceptance", {"LHK-23-conditions": art("第二十三条")}, deployed_on_cloud=False)
    w.transition(dept, "apply_acceptance", deployed_on_cloud=True)

    # ---- 竣工验收（第二十一条: 市财政局、市城市运行管理中心统一组织） -----------------------------------------
    w.today(date(2024, 7, 15))
    w.refused(finance, "pass_acceptance", {"ANY-letter": art("第二十四条")})
    w.forbidden(dept, "pass_acceptance")
    # 第二十二条: 市城市运行管理中心抽取专家组成验收专家组（建设、监理、承建、使用单位指派代表）；
    # 第二十一条: 市财政局会同中心组织验收、作出结论。
    w.accept(finance, "passed", transition="pass_acceptance", former=bdc)

    # ---- 绩效自评价（第二十六条: 验收通过后12至24个月内） ------------------------------------------------------
    w.refused(bdc, "archive", {"ANY-evaluation": art("第二十六条"), "LHK-26-window": art("第二十六条")})
    # 验收后半年即开展的自评价不在12至24个月的期间内：不予办理。
    w.today(date(2025, 1, 13))
    w.refused(
        dept,
        "self_evaluation",
        {"LHK-26-period": art("第二十六条")},
        kind="action",
        **w.actuals(dept),
        summary="运行半年，初步达到目标。",
        report=pdf_upload("自评（半年）.pdf"),
    )
    w.today(date(2025, 7, 21))
    w.self_evaluation(
        dept,
        summary="投入运行满一年，绩效目标全部实现。",
        score="90",
        report=pdf_upload("绩效自评价报告.pdf"),
    )
    # 第二十四条: 通过验收后，建设单位向市财政局、市城市运行管理中心报送签字盖章的项目验收报告。
    w.refused(bdc, "archive", {"LHK-24-report": art("第二十四条")})
    w.upload(dept, "acceptance_report")
    w.transition(bdc, "archive")

    # ---- 财政再评价（第二十六条: 市财政局有针对性的选取财政性资金项目实施再评价） ------------------------------
    w.today(date(2025, 9, 1))
    drawn = w.post(finance, "/api/v1/performance/samples/", {"year": 2025, "size": 1})
    assert drawn.status_code == 201, drawn.content
    assert drawn.json()["drawn"] == [w.pk] and drawn.json()["reproduced"] is True
    w._expect("sample", {"performance.sample.draw"}, finance)
    w.forbidden(dept, "finance_evaluation", kind="action", score="80", findings="自评")
    w.action(
        finance,
        "finance_evaluation",
        score="85",
        findings="绩效目标基本实现；建议加强停车数据共享。",
        report=pdf_upload("财政再评价报告.pdf"),
    )


def test_laohekou_walk_from_draft_to_archived_over_http(walk_for):
    w = walk_for(POLICY)
    walk(w)
    assert w.state == "archived"
    entries = w.assert_timeline_covers_every_step()
    by_action = {e["action"]: e for e in entries}
    assert by_action["acceptance.supervisor.apply"]["actor"] == str(w.world.dept)
    assert by_action["acceptance.supervisor.assign"]["actor"] == str(w.world.bdc)
    assert by_action["projects.project.pass_acceptance"]["actor"] == str(w.world.finance)


def test_laohekou_refused_with_the_article_at_each_blocking_check(walk_for):
    w = walk_for(POLICY, probing=True)
    walk(w)
    assert w.state == "archived"
    assert set(w.refusals) == {
        "LHK-6-intent",
        "ANY-catalogue",
        "LHK-25-targets",
        "ANY-prereview",
        "ANY-panel",
        "LHK-11-field",
        "LHK-7-criteria",
        "ANY-opinion",
        "LHK-18-supervisor",
        "LHK-23-trial",
        "LHK-23-conditions",
        "ANY-application",
        "ANY-security",
        "ANY-connected",
        "ANY-letter",
        "ANY-evaluation",
        "LHK-26-window",
        "LHK-26-period",
        "LHK-24-report",
    }
    assert w.forbidden_steps == [
        "approve:fgw",
        "apply_supervisor:bdc",
        "assign_supervisor:dept",
        "pass_acceptance:dept",
        "finance_evaluation:dept",
    ]
