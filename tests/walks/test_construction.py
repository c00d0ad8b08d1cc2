"""已立项 → 合同备案 → reports → 完工自检 over HTTP under each regulation that requires supervision, the
supervisor arranged by the body its regulation names, and refused (with the article) without it. (The state
before 已立项 is set directly: the declaration and review are the other walks' business.)"""

from datetime import date

import pytest

from projects.models import Project
from tests.factories import pdf_upload

ITEMS = ("schedule", "quality", "cost", "change", "contract", "document", "security")
TITLES = {
    "laohekou-2024": "《老河口市本级信息化和智慧城市项目管理办法》",
    "gongshu-draft": "《拱墅区信息化项目管理办法（征求意见稿）》",
    "fangchenggang-2022": "《防城港市政务信息化项目建设管理办法（试行）》",
}
SUPERVISOR_CHECK = {
    "laohekou-2024": ("LHK-18-supervisor", "第十七条"),
    "gongshu-draft": ("GS-5-supervisor", "五(四)"),
    "fangchenggang-2022": ("FCG-22-supervisor", "第二十二条"),
}


def approved(w, amount="150.00"):
    w.create(w.world.dept, declared_amount=amount)
    Project.objects.filter(pk=w.pk).update(state="approved", approved_amount=amount)


@pytest.mark.parametrize("policy", sorted(SUPERVISOR_CHECK))
def test_construction_walk_with_supervision_over_http(walk_for, policy):
    w = walk_for(policy, probing=True)
    world, dept, bdc, sup = w.world, w.world.dept, w.world.bdc, w.world.supervisor
    approved(w)
    if policy == "gongshu-draft":
        w.action(bdc, "confirm_bidding", experts="张三、李四、王五", ceiling_price="150.00")
    w.transition(dept, "start_procurement")
    w.upload(dept, "contract")
    w.upload(dept, "award_notice")
    contract = {
        "contract_amount": "140.00",
        "awarded_on": "2025-01-03",
        "signed_on": "2025-01-06",
        "supplier": "某某科技有限公司",
        "planned_completion_on": "2025-03-31",
        "milestones": "需求调研完成 2025-01-31\n系统上线 2025-03-15",
    }
    code, article = SUPERVISOR_CHECK[policy]
    w.refused(dept, "file_contract", {code: TITLES[policy] + article}, **contract)
    # The supervisor cannot see the project before it is assigned.
    assert w.client(sup).get(w.url()).status_code == 404
    if policy == "laohekou-2024":  # 第十八条: the department applies, the centre assigns
        w.action(dept, "apply_supervisor", file=pdf_upload("派驻监理申请.pdf"))
        w.forbidden(dept, "assign_supervisor", kind="action", organisation=world.supervisor_org.pk)
        w.action(bdc, "assign_supervisor", organisation=world.supervisor_org.pk, starts_on="2025-01-06")
    else:  # the department commissions it (五(四), 第二十二条)
        w.forbidden(bdc, "assign_supervisor", kind="action", organisation=world.supervisor_org.pk)
        w.action(dept, "assign_supervisor", organisation=world.supervisor_org.pk, starts_on="2025-01-06")
    w.transition(dept, "file_contract", **contract)
    assert w.get(sup)["state"] == "construction"

    # ---- a month of construction: the supervisor's report, the department's, the BDC's rating -----------
    w.today(date(2025, 1, 27))
    report = {"period": "2025-01", "issues": "需求确认略有滞后。", "follow_up": ""}
    for item in ITEMS:
        report[f"finding:{item}"], report[f"rating:{item}"] = "符合监理规范。", "good"
    w.forbidden(dept, "supervision_report", kind="action", **report)
    w.action(sup, "supervision_report", **report)
    progress = {"period": "2025-01", "milestone:1": 80, "milestone:2": 10, "paid_amount": "30.00"}
    if policy == "fangchenggang-2022":  # 第二十三条: 征求使用单位和监理单位的意见
        w.refused(
            dept,
            "progress_report",
            {"FCG-23-opinions": TITLES[policy] + "第二十三条"},
            kind="action",
            **progress,
        )
        progress.update(users_opinion="使用单位认可。", supervisor_opinion="监理单位认可。")
    body = w.action(dept, "progress_report", **progress)
    assert body["baseline"] == 1 and body["schedule_variance_days"] == 0
    w.forbidden(sup, "rate_risk", kind="action", rating="4")
    w.action(bdc, "rate_risk", rating="4", comment="")

    # ---- 完工自检, then the department scores the supervisor ----------------------------------------------
    w.today(date(2025, 3, 14))
    w.transition(
        dept,
        "complete_construction",
        goals_met=True,
        functions_complete=True,
        hardware_matches=True,
        trial_started_on="2025-03-14",
    )
    w.forbidden(bdc, "score_supervisor", kind="action", score="90", comment="好")
    w.action(dept, "score_supervisor", score="92", comment="监理尽职尽责。")
    entries = w.assert_timeline_covers_every_step()
    actors = {e["action"]: e["actor"] for e in entries}
    assert actors["acceptance.supervision.report"] == str(sup)
    assert actors["acceptance.risk.rate"] == str(bdc)
    assert actors["acceptance.supervisor.score"] == str(dept)
