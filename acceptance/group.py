"""The acceptance group (验收组), its experts' opinions, the organiser's conclusion issued as the 竣工验收意见函,
and the rectification items of a 不合格 conclusion (issue 14).

- `acceptance_group_form`: the body the policy names (wendeng-2021 第三十五条) draws the experts from the library
  by the project's fields and contract amount (laohekou-2024 第二十二条) with the review's reproducible,
  conflict-excluding draw (`reviews.services.panel.acceptance_experts_draw`: a Draw of purpose 验收) and names
  the representatives of the parties its policy lists, each with their unit.
- `acceptance_opinion_submit`: each drawn expert, logged in, gives met / not met on each of the policy's
  acceptance conditions, once a round (a round is an acceptance application: a re-application after
  rectification goes back to the same group).
- `acceptance_conclude`: the organiser records 合格 / 不合格 (with the rectification items, each with an owner
  and a deadline) and the 竣工验收意见函 is numbered in the same transaction and rendered by the Celery task,
  through core.letters like the 评审意见. A second conclusion of the same round is a correction: its letter
  names the one it replaces. `pass_acceptance` / `fail_acceptance` need that letter, issued, with their
  conclusion (ANY-letter).
- `rectification_report`: the department reports on each item with its evidence."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.batches import first_admitted
from core.enums import Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.letters import letter_issue
from core.models import Letter
from core.timeline import timeline_append
from core.workdays import chinese_date
from projects.actions import actor_allowed
from projects.enums import AcceptanceConclusion, DocumentKind, ProjectState
from projects.locks import project_lock
from projects.models import CHAPTER_FIELDS

from .models import (
    AcceptanceApplication,
    AcceptanceGroup,
    AcceptanceGroupMember,
    AcceptanceOpinion,
    AcceptanceVerdict,
    ContractFiling,
    RectificationItem,
    SupervisorAssignment,
)

KIND = Letter.Kind.ACCEPTANCE_LETTER
PASSED, FAILED = AcceptanceConclusion.PASSED, AcceptanceConclusion.FAILED
MAX_ITEMS = 30


def _locked(project, by, name: str, what: str, states) -> object:
    if not actor_allowed(project, name, by):
        raise NotPermitted(f"无权{what}。")
    locked = project_lock(project.pk, by)
    if locked.state not in states:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能{what}。")
    return locked


def acceptance_round(project) -> int:
    """The current round: the number of acceptance applications made (a re-application opens the next)."""
    return AcceptanceApplication.objects.filter(project=project).count()


def _group(project) -> AcceptanceGroup | None:
    return AcceptanceGroup.objects.filter(project=project).first()


# ---- forming the group ------------------------------------------------------------------------------------


def _exclusions(project) -> list:
    """Beyond the declaring department and co-builders: the supplier named at 合同备案 and the supervisor."""
    excluded: list = []
    filing = ContractFiling.objects.filter(project=project).order_by("-filed_at", "-id").first()
    if filing is not None and filing.supplier.strip():
        excluded.append(filing.supplier.strip())
    for assignment in SupervisorAssignment.objects.filter(project=project).select_related("organisation"):
        excluded.append(assignment.organisation)
    return excluded


def acceptance_group_form(*, project, by, representatives: dict[str, tuple[str, str]], fields=()):
    """Form the acceptance group: draw the experts, seat them with the representatives
    (`representatives`: party code → (unit, name)), and record the draw and the members on the timeline."""
    from reviews.draws import fields_needed
    from reviews.enums import ExpertField
    from reviews.services.panel import acceptance_experts_draw

    with transaction.atomic():
        locked = _locked(project, by, "draw_acceptance_group", "组成验收组", {ProjectState.FINAL_ACCEPTANCE})
        if _group(locked) is not None:
            raise Conflict("本项目已组成验收组；整改后重新申请验收的，由原验收组再次验收。")
        application = AcceptanceApplication.objects.filter(project=locked).order_by("-id").first()
        if application is None:
            raise Conflict("尚无验收申请，不能组成验收组。")
        size, size_article = locked.policy.acceptance_group_experts(locked)
        needed = list(dict.fromkeys([*fields_needed(locked), *(fields or ())]))
        while size < len(needed):  # one expert at least for each field the project needs, an odd number
            size += 2
        draw, experts = acceptance_experts_draw(
            project=locked,
            by=by,
            size=size,
            needed=needed,
            excluded_organisations=_exclusions(locked),
            parameters={
                "contract_amount": str(locked.contract_amount) if locked.contract_amount is not None else "",
                "size_article": locked.policy.cite(size_article) if size_article else "",
            },
        )
        group = AcceptanceGroup.objects.create(
            project=locked, draw=draw, application=application, formed_on=timezone.localdate(), by=by
        )
        for expert in experts:
            AcceptanceGroupMember.objects.create(
                group=group,
                project=locked,
                kind=AcceptanceGroupMember.Kind.EXPERT,
                party="expert",
                party_label="验收专家",
                name=str(expert),
                unit=(expert.employer.name if expert.employer_id else expert.employer_name) or "—",
                expert=expert,
            )
        labels = {p.code: p.label for p in locked.policy.acceptance_parties}
        for code, (unit, name) in representatives.items():
            AcceptanceGroupMember.objects.create(
                group=group,
                project=locked,
                kind=AcceptanceGroupMember.Kind.REPRESENTATIVE,
                party=code,
                party_label=labels.get(code, code),
                name=name,
                unit=unit,
            )
        members = list(group.members.all())
        timeline_append(
            project=locked,
            action="acceptance.group.form",
            label="组成验收组",
            actor=by,
            comment=f"从专家库随机抽取{size}名验收专家，会同{len(representatives)}家单位的代表组成验收组。",
            data={
                "group": group.pk,
                "draw": draw.pk,
                "seed": draw.seed,
                "algorithm": draw.algorithm,
                "fields": [ExpertField(f).label for f in draw.needed_fields],
                "candidates": len(draw.candidates),
                "members": [f"{m.party_label}：{m.name}（{m.unit}）" for m in members],
            },
        )
    return group


# ---- the experts' opinions ------------------------------------------------------------------------------


def expert_member(project, user) -> AcceptanceGroupMember | None:
    """The user's seat in the project's acceptance group, if they are one of its experts."""
    if user is None or user.role != Role.EXPERT:
        return None
    return (
        AcceptanceGroupMember.objects.filter(
            project=project, kind=AcceptanceGroupMember.Kind.EXPERT, expert__user=user
        )
        .select_related("expert")
        .first()
    )


def acceptance_opinion_submit(*, project, by, conditions: dict, recommendation: str, opinion: str):
    """One expert's opinion for the current round: for each of the policy's conditions met or not, with a
    comment where it is not met; once a round."""
    if recommendation not in AcceptanceConclusion.values:
        raise InvalidInput("请选择建议结论（合格或不合格）。")
    if not (opinion or "").strip():
        raise InvalidInput("请填写总体意见。")
    with transaction.atomic():
        locked = _locked(project, by, "acceptance_opinion", "提交验收意见", {ProjectState.FINAL_ACCEPTANCE})
        member = expert_member(locked, by)
        if member is None:
            raise NotPermitted("只有本项目验收组的专家可以提交验收意见。")
        round_ = acceptance_round(locked)
        if AcceptanceOpinion.objects.filter(member=member, round=round_).exists():
            raise Conflict(f"您已提交第{round_}轮验收意见。")
        recorded = {}
        for condition in locked.policy.acceptance_conditions:
            given = conditions.get(condition.code)
            if given is None:
                raise InvalidInput(f"请就“{condition.label}”（{condition.article}）作出判断。")
            met, comment = given
            if not met and not (comment or "").strip():
                raise InvalidInput(f"“{condition.label}”判断为不满足的，请写明理由。")
            recorded[condition.code] = {
                "label": condition.label,
                "article": condition.article,
                "met": bool(met),
                "comment": (comment or "").strip(),
            }
        record = AcceptanceOpinion.objects.create(
            project=locked,
            member=member,
            round=round_,
            conditions=recorded,
            recommendation=recommendation,
            opinion=opinion.strip(),
        )
        unmet = [v["label"] for v in recorded.values() if not v["met"]]
        timeline_append(
            project=locked,
            action="acceptance.opinion.submit",
            label="提交验收意见",
            actor=by,
            comment=record.opinion,
            data={
                "opinion": record.pk,
                "round": round_,
                "recommendation": recommendation,
                "unmet": unmet,
            },
        )
    return record


def round_opinions(project, round_: int | None = None) -> list[AcceptanceOpinion]:
    round_ = acceptance_round(project) if round_ is None else round_
    return list(
        AcceptanceOpinion.objects.filter(project=project, round=round_)
        .select_related("member")
        .order_by("id")
    )


def condition_votes(project) -> dict[str, tuple[int, int]]:
    """For each condition: how many of the current round's opinions find it met, of how many given."""
    votes: dict[str, list[int]] = {}
    for opinion in round_opinions(project):
        for code, value in opinion.conditions.items():
            tally = votes.setdefault(code, [0, 0])
            tally[0] += 1 if value.get("met") else 0
            tally[1] += 1
    return {code: (met, total) for code, (met, total) in votes.items()}


def opinions_missing(project) -> list[str]:
    """The group's experts who have not given their opinion in the current round."""
    group = _group(project)
    if group is None:
        return []
    given = {o.member_id for o in round_opinions(project)}
    return [
        m.name
        for m in group.members.filter(kind=AcceptanceGroupMember.Kind.EXPERT).order_by("id")
        if m.pk not in given
    ]


# ---- the conclusion and its letter ----------------------------------------------------------------------


def _findings(project) -> list[dict]:
    votes = condition_votes(project)
    found = []
    for condition in project.policy.acceptance_conditions:
        met, total = votes.get(condition.code, (0, 0))
        found.append(
            {
                "code": condition.code,
                "label": condition.label,
                "article": condition.article,
                "met": total > 0 and met * 2 > total,
                "votes": met,
                "of": total,
            }
        )
    return found


def _clean_items(items, conclusion: str) -> list[dict]:
    """[{"text", "owner", "due_on"}]: required, each complete and due after today, for 不合格; none for 合格."""
    items = list(items or [])
    if conclusion == PASSED:
        if items:
            raise InvalidInput("验收合格的，不填写整改事项。")
        return []
    if not items:
        raise InvalidInput("验收不合格的，须逐项列明整改事项、责任单位和整改期限。")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"整改事项最多{MAX_ITEMS}项。")
    today = timezone.localdate()
    for number, item in enumerate(items, 1):
        if not (item.get("text") or "").strip() or not (item.get("owner") or "").strip():
            raise InvalidInput(f"第{number}项整改事项须写明整改内容和责任单位。")
        if not isinstance(item.get("due_on"), date) or item["due_on"] <= today:
            raise InvalidInput(f"第{number}项整改事项的整改期限须晚于今天。")
    return items


def _regulation(policy) -> str:
    return f"《{policy.title}》" + (f"（{policy.document_number}）" if policy.document_number else "")


def _letter_content(project, group, verdict_data: dict, issuer, items: list[dict]) -> dict:
    """What the 竣工验收意见函 says, from the records as they stand: the snapshot stored on the letter."""
    policy = project.policy
    members = list(group.members.order_by("kind", "id"))
    findings = verdict_data["findings"]
    met = [f for f in findings if f["met"]]
    unmet = [f for f in findings if not f["met"]]
    conclusion = AcceptanceConclusion(verdict_data["conclusion"])
    articles = "、".join(
        dict.fromkeys(f["article"].split("(")[0] for f in findings)
    )  # 第三十六条, not each item
    experts = [m for m in members if m.kind == AcceptanceGroupMember.Kind.EXPERT]
    opening = (
        f"根据{_regulation(policy)}{('有关' + articles) if articles else ''}的规定，{issuer.name}于"
        f"{group.formed_on.year}年{group.formed_on.month}月{group.formed_on.day}日组成验收组（{len(experts)}名验收专家"
        f"及有关单位代表，名单见附件1），对{project.organisation.name}建设的“{project.name}”"
        f"（项目编号：{project.code}）进行了竣工验收"
        + (f"（第{verdict_data['round']}次验收，整改后复验）" if verdict_data["round"] > 1 else "")
        + "。验收组审阅了项目验收资料，听取了建设情况汇报，经讨论形成验收意见如下。"
    )
    body = [
        {"text": opening},
        {"heading": "一、验收结论"},
        {
            "text": f"验收结论为“{conclusion.label}”。"
            + (
                "项目按程序进入绩效评价。"
                if conclusion == PASSED
                else "项目建设单位须按本函所列整改事项限期整改，整改完成后重新申请验收。"
            )
        },
        {"heading": "二、验收条件认定"},
        *(
            {
                "text": f"{i}. {f['label']}（{f['article']}）：{'满足' if f['met'] else '不满足'}（{f['votes']}/{f['of']}名专家认为满足）。"
            }
            for i, f in enumerate(findings, 1)
        ),
        {"heading": "三、验收意见"},
        *({"text": line.strip()} for line in verdict_data["summary"].splitlines() if line.strip()),
    ]
    if items:
        body.append({"heading": "四、整改事项"})
        body += [
            {
                "text": f"{i}. {it['text']}（责任单位：{it['owner']}；整改期限：{it['due_on'].year}年{it['due_on'].month}月{it['due_on'].day}日）"
            }
            for i, it in enumerate(items, 1)
        ]
    if verdict_data["after_rectification"]:
        body.append(
            {
                "text": "项目经整改后仍不合格。"
                + (f"依照{_regulation(policy)}，{credit}。" if (credit := credit_referral(policy)) else "")
            }
        )
    body.append({"text": "特此函告。"})
    attachments = [
        {
            "title": "验收组成员名单",
            "columns": ["序号", "参加方", "姓名", "单位"],
            "widths": [9, 22, 19, 50],
            "rows": [[str(i), m.party_label, m.name, m.unit] for i, m in enumerate(members, 1)],
        }
    ]
    return {
        "verdict_round": verdict_data["round"],
        "project": {
            "id": project.pk,
            "code": project.code,
            "name": project.name,
            "department": project.organisation.name,
            "contract_amount": f"{project.contract_amount:.2f}"
            if project.contract_amount is not None
            else "",
        },
        "policy": {"code": policy.code, "version": project.policy_version, "regulation": _regulation(policy)},
        "conclusion": conclusion.value,
        "conclusion_label": conclusion.label,
        "members": [{"party": m.party_label, "name": m.name, "unit": m.unit} for m in members],
        "conditions_met": [f"{f['label']}（{f['article']}）" for f in met],
        "conditions_unmet": [f"{f['label']}（{f['article']}）" for f in unmet],
        "rectification_items": [
            {"text": it["text"], "owner": it["owner"], "due_on": it["due_on"].isoformat()} for it in items
        ],
        "after_rectification": verdict_data["after_rectification"],
        "body": body,
        "attachments": attachments,
    }


def credit_referral(policy) -> str:
    """What the policy does with a project still 不合格 after rectification (wendeng-2021 第三十七条), or ""."""
    for article in policy.articles:
        if "整改后仍不合格" in article.params:
            return f"{article.number}：整改后仍不合格的，{article.params['整改后仍不合格']}"
    return ""


def acceptance_conclude(*, project, by, conclusion: str, summary: str, items=(), reason: str = ""):
    """The organiser's conclusion of the current round, issued as the numbered 竣工验收意见函 (its PDF follows
    from the task). A conclusion already issued for this round is corrected by a new one with a reason."""
    if conclusion not in AcceptanceConclusion.values:
        raise InvalidInput("请选择验收结论（合格或不合格）。")
    if not (summary or "").strip():
        raise InvalidInput("请填写验收意见。")
    items = _clean_items(items, conclusion)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(
            project, by, "issue_acceptance_letter", "记录验收结论", {ProjectState.FINAL_ACCEPTANCE}
        )
        group = _group(locked)
        if group is None:
            raise Conflict("尚未组成验收组，不能记录验收结论。")
        if by.organisation_id is None:
            raise NotPermitted("记录验收结论须以发文机关的身份办理。")
        round_ = acceptance_round(locked)
        previous = (
            AcceptanceVerdict.objects.select_for_update()
            .filter(project=locked, round=round_)
            .select_related("letter")
            .order_by("-id")
            .first()
        )
        replaces = None
        if previous is not None:
            if previous.letter.status == Letter.Status.PENDING:
                raise Conflict(f"竣工验收意见函{previous.letter.number}正在生成PDF，请稍候。")
            if not reason:
                raise InvalidInput(
                    f"本轮已出具竣工验收意见函（{previous.letter.number}）。如需更正，请填写更正原因，"
                    "更正件将注明所更正的文件。"
                )
            replaces = previous.letter if previous.letter.status == Letter.Status.READY else None
        failed_before = AcceptanceVerdict.objects.filter(
            project=locked, round__lt=round_, conclusion=FAILED
        ).exists()
        verdict_data = {
            "round": round_,
            "conclusion": conclusion,
            "summary": summary.strip(),
            "findings": _findings(locked),
            "after_rectification": conclusion == FAILED and failed_before,
        }
        issuer = by.organisation
        content = _letter_content(locked, group, verdict_data, issuer, items)
        if replaces is not None:
            content["correction_reason"] = reason
        letter = letter_issue(
            project=locked,
            kind=KIND,
            organisation=issuer,
            addressee=locked.organisation.name,
            title=f"关于{locked.name}{'' if locked.name.endswith('项目') else '项目'}竣工验收意见的函",
            content=content,
            by=by,
            replaces=replaces,
        )
        verdict = AcceptanceVerdict.objects.create(
            project=locked,
            group=group,
            round=round_,
            conclusion=conclusion,
            summary=verdict_data["summary"],
            findings=verdict_data["findings"],
            after_rectification=verdict_data["after_rectification"],
            letter=letter,
            replaces=previous,
            correction_reason=reason if previous else "",
            by=by,
        )
        for number, item in enumerate(items, 1):
            RectificationItem.objects.create(
                project=locked,
                verdict=verdict,
                number=number,
                text=item["text"].strip(),
                owner=item["owner"].strip(),
                due_on=item["due_on"],
            )
        notice = (
            _rectification_notice_issue(locked, verdict, previous, issuer, by, items, reason)
            if conclusion == FAILED
            else None
        )
        timeline_append(
            project=locked,
            action="acceptance.verdict.record",
            label=("更正验收结论" if previous else "记录验收结论")
            + (f"：{AcceptanceConclusion(conclusion).label}")
            + ("（整改后仍不合格）" if verdict.after_rectification else ""),
            actor=by,
            comment=verdict.summary if not previous else reason,
            data={
                "verdict": verdict.pk,
                "round": round_,
                "conclusion": conclusion,
                "number": letter.number,
                "letter_id": letter.pk,
                "replaces": replaces.number if replaces else "",
                "items": len(items),
                "notice": notice.number if notice else "",
                "notice_id": notice.pk if notice else None,
                "after_rectification": verdict.after_rectification,
                "credit_referral": credit_referral(locked.policy) if verdict.after_rectification else "",
            },
        )
    return verdict


def _notice_content(project, verdict, issuer, items: list[dict]) -> dict:
    """What the 整改通知 says: the items of the 不合格 conclusion, each with its owner and deadline, the
    acceptance letter it follows from, and what the department must do (report on each item, then apply
    again: wendeng-2021 第三十七条, zhaoyuan-2021 第二十四条 责令限期整改)."""
    policy = project.policy
    last_due = max(it["due_on"] for it in items)
    body = [
        {
            "text": f"经竣工验收，你单位建设的“{project.name}”（项目编号：{project.code}）验收结论为“不合格”"
            f"（见{verdict.letter.number}）。根据{_regulation(policy)}的规定，现通知你单位对下列事项限期整改："
        },
        {"heading": "一、整改事项"},
        *(
            {"text": f"{i}. {it['text']}（责任单位：{it['owner']}；整改期限：{chinese_date(it['due_on'])}）"}
            for i, it in enumerate(items, 1)
        ),
        {"heading": "二、整改要求"},
        {
            "text": "请逐项落实整改，并在各项整改期限届满前通过平台逐项报送整改情况及佐证材料；"
            f"全部事项整改完成后（最迟{chinese_date(last_due)}），重新申请竣工验收。逾期未整改的，平台将逐项预警。"
        },
    ]
    if verdict.after_rectification:
        body.append(
            {
                "text": "本项目经整改后仍不合格。"
                + (f"依照{_regulation(policy)}，{credit}。" if (credit := credit_referral(policy)) else "")
            }
        )
    body.append({"text": "特此通知。"})
    return {
        "project": {"id": project.pk, "code": project.code, "name": project.name},
        "policy": {"code": policy.code, "version": project.policy_version, "regulation": _regulation(policy)},
        "verdict_round": verdict.round,
        "acceptance_letter": verdict.letter.number,
        "rectification_items": [
            {"text": it["text"], "owner": it["owner"], "due_on": it["due_on"].isoformat()} for it in items
        ],
        "after_rectification": verdict.after_rectification,
        "body": body,
        "attachments": [],
    }


def _rectification_notice_issue(project, verdict, previous, issuer, by, items, reason) -> Letter:
    """The 整改通知 of a 不合格 conclusion, numbered in the same transaction as the 竣工验收意见函 (its own
    sequence: 机关代字改〔年〕n号) and rendered by the same task; a corrected conclusion's notice names the
    notice it replaces."""
    replaces = None
    if previous is not None:
        replaces = Letter.objects.filter(
            project=project,
            kind=Letter.Kind.RECTIFICATION_NOTICE,
            source_id=previous.pk,
            status=Letter.Status.READY,
        ).first()
    content = _notice_content(project, verdict, issuer, items)
    if replaces is not None:
        content["correction_reason"] = reason
    return letter_issue(
        project=project,
        kind=Letter.Kind.RECTIFICATION_NOTICE,
        organisation=issuer,
        addressee=project.organisation.name,
        title=f"关于{project.name}{'' if project.name.endswith('项目') else '项目'}限期整改的通知",
        content=content,
        by=by,
        source_id=verdict.pk,
        replaces=replaces,
    )


def rectification_notices(project) -> dict[int, Letter]:
    """Each conclusion's 整改通知, by the conclusion's id (one query)."""
    return {
        letter.source_id: letter
        for letter in Letter.objects.filter(
            project=project, kind=Letter.Kind.RECTIFICATION_NOTICE
        ).select_related("replaces")
    }


def current_verdict(project) -> AcceptanceVerdict | None:
    """The latest conclusion of the current round (a correction supersedes the one it corrects)."""
    return (
        AcceptanceVerdict.objects.filter(project=project, round=acceptance_round(project))
        .select_related("letter")
        .order_by("-id")
        .first()
    )


def acceptance_letter_fact(project) -> dict | None:
    """What ANY-letter reads: the current round's letter, its status and conclusion."""
    verdict = current_verdict(project)
    if verdict is None:
        return None
    return {
        "number": verdict.letter.number,
        "status": verdict.letter.status,
        "conclusion": verdict.conclusion,
    }


# ---- rectification ------------------------------------------------------------------------------------


def rectification_report(*, project, by, item_id: int, report: str, evidence):
    """The department reports on one rectification item, with its evidence stored as a document version."""
    from .services import _stored

    if not (report or "").strip():
        raise InvalidInput("请填写整改情况。")
    with transaction.atomic():
        locked = _locked(project, by, "rectification_report", "报告整改情况", {ProjectState.RECTIFYING})
        item = RectificationItem.objects.select_for_update().filter(pk=item_id, project=locked).first()
        if item is None:
            raise NotFound("整改事项不存在。")
        if item.reported_on is not None:
            raise Conflict(f"整改事项{item.number}已于{item.reported_on:%Y-%m-%d}报告整改情况。")
        version = _stored(locked, by, DocumentKind.OTHER, evidence, f"整改佐证材料：整改事项{item.number}")
        item.report, item.evidence, item.reported_on, item.reported_by = (
            report.strip(),
            version,
            timezone.localdate(),
            by,
        )
        item.save(update_fields=["report", "evidence", "reported_on", "reported_by"])
        timeline_append(
            project=locked,
            action="acceptance.rectification.report",
            label=f"报告整改情况：整改事项{item.number}",
            actor=by,
            comment=item.report,
            data={
                "item": item.pk,
                "number": item.number,
                "due_on": item.due_on,
                "late": item.reported_on > item.due_on,
            },
            documents=[version.as_record()],
        )
    return item


def open_items(project) -> list[RectificationItem]:
    return list(RectificationItem.objects.filter(project=project, reported_on__isnull=True).order_by("id"))


# ---- what waits on the home pages -----------------------------------------------------------------------

HOME_LIMIT = 20


def acceptance_awaiting(*, user, projects) -> dict:
    """For the home page: the acceptance opinions an expert still owes in the current round, and the groups
    the user's body is to form (the body the policy names, `draw_acceptance_group`), both among `projects`
    (what the user may see). A constant number of queries; at most HOME_LIMIT of each."""
    from django.db.models import Count, Exists, OuterRef, Subquery

    from projects.actions import ACTIONS, action_acting, policies_where_role_acts

    found: dict = {"opinions": [], "groups": [], "limit": HOME_LIMIT}
    if user.role == Role.EXPERT:
        rounds = (
            AcceptanceApplication.objects.filter(project=OuterRef("project"))
            .order_by()
            .values("project")
            .annotate(n=Count("id"))
            .values("n")
        )
        found["opinions"] = list(
            AcceptanceGroupMember.objects.filter(
                kind=AcceptanceGroupMember.Kind.EXPERT,
                expert__user=user,
                project__state=ProjectState.FINAL_ACCEPTANCE,
            )
            .annotate(current=Subquery(rounds))
            .exclude(
                Exists(AcceptanceOpinion.objects.filter(member=OuterRef("pk"), round=OuterRef("current")))
            )
            .select_related("project")
            .order_by("project_id")[:HOME_LIMIT]
        )
        return found
    spec = ACTIONS["draw_acceptance_group"]
    candidates = (
        projects.filter(
            state=ProjectState.FINAL_ACCEPTANCE,
            policy_code__in=policies_where_role_acts(spec.name, spec.roles, user.role),
        )
        .exclude(Exists(AcceptanceGroup.objects.filter(project=OuterRef("pk"))))
        .select_related("organisation")
        .defer(*CHAPTER_FIELDS.values())
        .order_by("pk")
    )

    def admits(project) -> bool:
        who = action_acting(project, spec)
        return who is not None and who.admits(user, project)

    found["groups"] = first_admitted(candidates, admits, HOME_LIMIT)
    return found
