"""《拱墅区信息化项目管理办法（征求意见稿）》, walked over HTTP."""

from datetime import date

from tests.factories import pdf_upload

from .conftest import Walk, expert

POLICY = "gongshu-draft"
TITLE = "《拱墅区信息化项目管理办法（征求意见稿）》"


def art(article: str) -> str:
    return f"{TITLE}{article}"


def walk(w: Walk) -> None:
    world = w.world
    dept, bdc, finance = world.dept, world.bdc, world.finance
    # 四(二): 评审专家组审查经费是否合理、数据资源是否归集与共享 — the library has experts of those fields.
    expert(world, "expert_finance", "finance")
    expert(world, "expert_data", "data", "software")

    # ---- 申报（四(一): 随下一年度预算申报实施方案和绩效目标; 二(二): 政务资源目录） -------------------------------
    w.today(date(2025, 11, 3))
    w.create(dept, name="拱墅区基层治理数字驾驶舱", year=2026, declared_amount="150.00")
    w.refused(
        dept,
        "submit",
        {"GS-4-docs": art("四(一)"), "GS-4-targets": art("四(一)"), "GS-2-catalogue": art("二(二)")},
    )
    w.upload(dept, "implementation_plan")
    w.set_targets(dept)
    resource = w.catalogue(dept)
    w.transition(dept, "submit")

    # ---- 评审（四(二): 申报后5个工作日内预审; 区发改经信局、区财政局和专家组成评审专家组） ------------------------
    w.refused(
        bdc,
        "start_review",
        {"ANY-prereview": art("四(二)"), "ANY-panel": art("四(二)"), "GS-4-agencies": art("四(二)")},
    )
    # 四(二): 预审意见书 — the outcome 预审合格, issued as a numbered letter (rendered inline).
    w.forbidden(dept, "prereview", kind="action", outcome="pass", opinion="自己预审")
    pre = w.action(bdc, "prereview", outcome="pass", opinion="实施方案符合年度任务，同意评审。")
    assert pre["letter"]["number"] and pre["project_state"] == "declared"
    w.action(bdc, "draw_panel", size=3)
    w.refused(bdc, "start_review", {"GS-4-agencies": art("四(二)")})
    invited = w.action(bdc, "invite_agency")  # empty: every agency the regulation requires
    assert {i["organisation"] for i in invited["invitations"]} == {
        world.development_org.name,
        world.finance_org.name,
    }
    w.transition(bdc, "start_review")
    approval = {"approved_amount": "150.00", "basis": "区财政局安排2026年度信息化项目资金"}
    w.refused(finance, "approve", {"ANY-opinion": art("四(二)")}, **approval)
    w.score_all()
    w.action(bdc, "consolidate_opinion", conclusion="pass", summary="符合规划，经费合理，数据已归集共享。")
    w.action(bdc, "issue_opinion")
    # 四(三): 区财政局在部门预算中安排资金。
    w.forbidden(bdc, "approve", **approval)
    w.transition(finance, "approve", **approval)

    # ---- 采购（五(一)、五(二): 50万元以上，专家确认招标需求并确定最高限价） ---------------------------------------
    w.today(date(2026, 1, 12))
    w.refused(dept, "start_procurement", {"GS-5-requirements": art("五(一)"), "GS-5-ceiling": art("五(二)")})
    w.forbidden(dept, "confirm_bidding", kind="action", experts="张三、李四、王五", ceiling_price="148.00")
    w.action(
        bdc, "confirm_bidding", experts="张三、李四、王五", ceiling_price="148.00", note="招标需求已确认。"
    )
    w.transition(dept, "start_procurement")

    # ---- 合同备案（五(三): 5个工作日内备案; 五(四): 100万元以上由建设单位落实监理） -------------------------------
    w.today(date(2026, 3, 2))
    contract = {
        "contract_amount": "146.00",
        "awarded_on": "2026-02-24",
        "signed_on": "2026-02-27",
        "supplier": "杭州某某数字科技有限公司",
    }
    w.refused(
        dept,
        "file_contract",
        {"ANY-contract": art("五(三)"), "GS-5-supervisor": art("五(四)")},
        **contract,
    )
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    w.forbidden(bdc, "assign_supervisor", kind="action", organisation=world.supervisor_org.pk)
    w.action(dept, "assign_supervisor", organisation=world.supervisor_org.pk, note="委托监理公司。")
    w.refused(
        dept, "file_contract", {"GS-5-ceiling": art("五(二)")}, **{**contract, "contract_amount": "149.00"}
    )
    w.transition(dept, "file_contract", **contract)

    # ---- 完工、申请验收（五(五); 六(二): 上线前与区数据中枢对接） ---------------------------------------------------
    w.today(date(2026, 6, 1))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2026-05-18",
    )
    w.refused(
        dept,
        "apply_acceptance",
        {"ANY-application": art("五(五)"), "ANY-security": art("五(五)"), "ANY-connected": art("六(二)")},
    )
    w.upload(dept, "acceptance_application")
    w.upload(dept, "security_assessment")
    w.action(bdc, "connect_resources", resource=resource["id"], registered=True, connected=True)
    w.transition(dept, "apply_acceptance")

    # ---- 竣工验收（五(五): 领导小组办公室统一组织专家验收） -------------------------------------------------------
    w.today(date(2026, 6, 8))
    w.refused(bdc, "pass_acceptance", {"ANY-letter": art("五(五)")})
    w.forbidden(finance, "pass_acceptance")
    w.accept(bdc, "passed", transition="pass_acceptance")

    # ---- 绩效评价与归档（六(三)） ------------------------------------------------------------------------
    w.today(date(2026, 7, 6))
    w.refused(bdc, "archive", {"ANY-evaluation": art("六(三)")})
    w.self_evaluation(dept, summary="绩效目标全部实现。", report=pdf_upload("绩效自评报告.pdf"))
    w.transition(bdc, "archive")


def test_gongshu_walk_from_draft_to_archived_over_http(walk_for):
    w = walk_for(POLICY)
    walk(w)
    assert w.state == "archived"
    entries = w.assert_timeline_covers_every_step()
    by_action = {e["action"]: e for e in entries}
    assert by_action["acceptance.bidding.confirm"]["actor"] == str(w.world.bdc)
    assert by_action["acceptance.supervisor.assign"]["actor"] == str(w.world.dept)
    assert by_action["projects.project.approve"]["actor"] == str(w.world.finance)


def test_gongshu_refused_with_the_article_at_each_blocking_check(walk_for):
    w = walk_for(POLICY, probing=True)
    walk(w)
    assert w.state == "archived"
    assert set(w.refusals) == {
        "GS-4-docs",
        "GS-4-targets",
        "GS-2-catalogue",
        "ANY-prereview",
        "ANY-panel",
        "GS-4-agencies",
        "ANY-opinion",
        "GS-5-requirements",
        "GS-5-ceiling",
        "ANY-contract",
        "GS-5-supervisor",
        "ANY-application",
        "ANY-security",
        "ANY-connected",
        "ANY-letter",
        "ANY-evaluation",
    }
    assert w.forbidden_steps == [
        "prereview:dept",
        "approve:bdc",
        "confirm_bidding:dept",
        "assign_supervisor:bdc",
        "pass_acceptance:finance",
    ]
