"""Issuing the review opinion (评审意见) as a numbered official document (LETTERS.md).

`review_opinion_issue` numbers the letter and records what it says in the BDC's transaction; the PDF is made
by the Celery task `core.tasks.letter_render`, which then calls `review_opinion_attach` so the opinion cites
its PDF (the approve check `ANY-opinion` reads that)."""

from django.db import transaction

from core.enums import OrganisationKind, Role
from core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from core.letters import letter_issue, letter_retry
from core.models import Letter, Organisation
from core.timeline import timeline_append
from projects.enums import ProjectState
from projects.locks import project_lock

from .enums import Conclusion, ExpertField
from .models import PanelMember, ReviewOpinion

KIND = Letter.Kind.REVIEW_OPINION

# What the conclusion means for the next step, in the letter's words.
CONCLUSION_SENTENCES = {
    Conclusion.PASS: "同意该项目按程序报财政部门审核立项。",
    Conclusion.PASS_WITH_CHANGES: "项目须按本评审意见修改完善建设方案，修改完善后按程序报财政部门审核立项。",
    Conclusion.FAIL: "不同意该项目立项。",
}


def _lock_project(project, by):
    if by.role != Role.BDC or by.organisation_id is None:
        raise NotPermitted("只有大数据中心可以出具评审意见。")
    locked = project_lock(project.pk, by)
    if locked.state != ProjectState.REVIEWING:
        raise Conflict(f"项目当前状态为“{locked.get_state_display()}”，不能出具评审意见。")
    return locked


def _project_title(name: str) -> str:
    return f"关于{name}{'' if name.endswith('项目') else '项目'}的评审意见"


def _amount(value) -> str:
    return f"{value:.2f}"


def review_opinion_content(*, project, opinion: ReviewOpinion, issuer: Organisation) -> dict:
    """What the letter says, from the records as they stand: the snapshot stored on the letter."""
    policy = project.policy
    members = list(
        PanelMember.objects.filter(project=project, active=True)
        .select_related("expert__user", "expert__employer")
        .order_by("id")
    )
    if not members:
        raise Conflict("尚未组建评审专家组，不能出具评审意见。")
    criteria = [
        {"code": c.code, "label": c.label, "article": c.article, "source": policy.cite(c.article)}
        for c in policy.review_criteria
    ]
    regulation = f"《{policy.title}》" + (f"（{policy.document_number}）" if policy.document_number else "")
    conclusion = Conclusion(opinion.conclusion)
    experts = [_expert_row(m.expert) for m in members]
    opening = _opinion_opening(project, issuer, regulation, criteria, panel_size=len(members))
    return {
        "opinion_id": opinion.pk,
        "project": {
            "id": project.pk,
            "code": project.code,
            "name": project.name,
            "department": project.organisation.name,
            "year": project.year,
            "declared_amount": _amount(project.declared_amount),
        },
        "policy": {"code": policy.code, "version": project.policy_version, "regulation": regulation},
        "conclusion": conclusion.value,
        "conclusion_label": conclusion.label,
        "summary": opinion.summary,
        "experts": experts,
        "criteria": criteria,
        "body": _opinion_body(opening, conclusion, opinion.summary),
        "attachments": _opinion_attachments(experts, criteria),
    }


def _opinion_opening(project, issuer, regulation: str, criteria: list[dict], *, panel_size: int) -> str:
    """The letter's first paragraph: under which articles, who reviewed what, with which panel and criteria."""
    articles = list(dict.fromkeys(c["article"] for c in criteria))
    opening = (
        f"根据{regulation}"
        + ("、".join(articles) if articles else "")
        + f"的规定，{issuer.name}组织评审专家组对{project.organisation.name}申报的“{project.name}”"
        f"（项目编号：{project.code}，计划年度：{project.year}年，申报金额：{_amount(project.declared_amount)}万元）"
        f"进行了评审。评审专家组由{panel_size}名专家组成（名单见附件1）"
    )
    if criteria:
        opening += f"，按照{'、'.join(c['label'] for c in criteria)}等评审要点（见附件2）审阅了项目申报材料"
    return opening + "，经集体讨论，形成评审意见如下。"


def _opinion_body(opening: str, conclusion: Conclusion, summary: str) -> list[dict]:
    return [
        {"text": opening},
        {"heading": "一、评审结论"},
        {"text": f"评审结论为“{conclusion.label}”。{CONCLUSION_SENTENCES[conclusion]}"},
        {"heading": "二、评审意见"},
        *({"text": line.strip()} for line in summary.splitlines() if line.strip()),
        {"text": "特此出具评审意见。"},
    ]


def _expert_row(expert) -> dict:
    return {
        "name": str(expert),
        "employer": (expert.employer.name if expert.employer_id else expert.employer_name) or "—",
        "title": expert.title or "—",
        "fields": "、".join(ExpertField(f).label for f in expert.fields if f in ExpertField.values),
    }


def _opinion_attachments(experts: list[dict], criteria: list[dict]) -> list[dict]:
    """附件1 the panel; 附件2 the review criteria and their sources, when the policy has any."""
    attachments = [
        {
            "title": "评审专家组名单",
            "columns": ["序号", "姓名", "工作单位", "职称", "专业领域"],
            "widths": [9, 15, 32, 18, 26],
            "rows": [
                [str(i), e["name"], e["employer"], e["title"], e["fields"] or "—"]
                for i, e in enumerate(experts, 1)
            ],
        }
    ]
    if criteria:
        attachments.append(
            {
                "title": "评审要点及依据",
                "columns": ["序号", "评审要点", "依据"],
                "widths": [9, 36, 55],
                "rows": [[str(i), c["label"], c["source"]] for i, c in enumerate(criteria, 1)],
            }
        )
    return attachments


def review_opinion_issue(*, opinion: ReviewOpinion, by, replaces: Letter | None = None, reason: str = ""):
    """Issue the project's latest review opinion as a numbered 评审意见; its PDF follows from a task.

    A second issue of the same opinion is a correction: it names the letter it replaces and says why."""
    reason = (reason or "").strip()
    with transaction.atomic():
        project = _lock_project(opinion.project, by)
        issuer = by.organisation
        current = _latest_opinion(project, opinion)
        _check_not_issued(current, correcting=replaces is not None)
        replaces = _correction_target(project, replaces, reason) if replaces is not None else None
        content = review_opinion_content(project=project, opinion=current, issuer=issuer)
        if replaces is not None:
            content["correction_reason"] = reason
        letter = letter_issue(
            project=project,
            kind=KIND,
            organisation=issuer,
            addressee=_addressee(project),
            title=_project_title(project.name),
            content=content,
            by=by,
            source_id=current.pk,
            replaces=replaces,
        )
        timeline_append(
            project=project,
            action="reviews.opinion.number",
            label="评审意见编号（生成PDF中）" if replaces is None else "评审意见更正件编号（生成PDF中）",
            actor=by,
            comment=reason,
            data={
                "number": letter.number,
                "letter_id": letter.pk,
                "opinion_id": current.pk,
                "conclusion": current.conclusion,
                "replaces": replaces.number if replaces else "",
            },
        )
    return letter


def review_opinion_issued_message(letter: Letter) -> str:
    """What the BDC is told once the issue has committed: the PDF made (tasks inline), on its way, or, the
    broker being down, registered and waiting for the queue (the sweep hands it over once the broker is back)."""
    letter.refresh_from_db(fields=["status", "queued_at"])
    if letter.status == Letter.Status.READY:
        return f"已出具评审意见 {letter.number}，PDF 已生成。"
    if letter.status == Letter.Status.FAILED:
        return f"已编发文字号 {letter.number}，但 PDF 生成失败，请“重新生成”（沿用原发文字号）。"
    if letter.queued_at:
        return f"已编发文字号 {letter.number}，正在生成 PDF，完成后本页自动更新。"
    return (
        f"已编发文字号 {letter.number}，已登记，生成排队中：PDF 生成服务暂时不可用，恢复后自动生成，"
        "无需重新出具。"
    )


def _latest_opinion(project, opinion: ReviewOpinion) -> ReviewOpinion:
    """The project's latest opinion, locked, which must be `opinion`: an opinion since replaced is not issued."""
    current = (
        ReviewOpinion.objects.select_for_update()
        .filter(project=project)
        .order_by("-issued_at", "-id")
        .first()
    )
    if current is None or current.pk != opinion.pk:
        if not ReviewOpinion.objects.filter(pk=opinion.pk, project=project).exists():
            raise NotFound("评审意见不存在。")
        raise Conflict("该评审意见已被此后形成的评审意见取代，只能出具最新的评审意见。")
    return current


def _check_not_issued(current: ReviewOpinion, *, correcting: bool) -> None:
    """No letter of the opinion is being rendered or has failed; an issued one is only corrected."""
    letters = list(Letter.objects.filter(kind=KIND, source_id=current.pk).order_by("id"))
    if any(x.status == Letter.Status.PENDING for x in letters):
        raise Conflict("该评审意见正在生成PDF，请稍候；长时间未完成的可“重新生成”（沿用原发文字号）。")
    if any(x.status == Letter.Status.FAILED for x in letters):
        raise Conflict("该评审意见上次生成PDF失败，请使用“重新生成”（沿用原发文字号）。")
    issued = [x for x in letters if x.status == Letter.Status.READY]
    if not correcting and issued:
        raise Conflict(f"该评审意见已出具（{issued[-1].number}）。如需更正，请出具更正件并写明更正原因。")


def _correction_target(project, replaces: Letter, reason: str) -> Letter:
    """The letter a correction replaces, locked: this project's issued 评审意见 with no correction yet."""
    target = Letter.objects.select_for_update().filter(pk=replaces.pk, project=project).first()
    if target is None or target.kind != KIND:
        raise NotFound("要更正的评审意见文件不存在。")
    if target.status != Letter.Status.READY:
        raise Conflict(f"“{target.number}”尚未生成，不能更正。")
    if Letter.objects.filter(replaces=target).exists():
        raise Conflict(f"“{target.number}”已有更正件，请更正最新的文件。")
    if not reason:
        raise InvalidInput("请填写更正原因。")
    return target


def _addressee(project) -> str:
    """The declaring department and the jurisdiction's finance departments."""
    finance = list(
        Organisation.objects.filter(
            jurisdiction_id=project.organisation.jurisdiction_id, kind=OrganisationKind.FINANCE
        )
        .order_by("id")
        .values_list("name", flat=True)
    )
    return "、".join([project.organisation.name, *finance])


def review_opinion_attach(*, letter: Letter, version) -> None:
    """Called in the rendering task's transaction once the PDF is stored: the opinion cites its PDF."""
    ReviewOpinion.objects.filter(pk=letter.source_id, project_id=letter.project_id).update(document=version)


def review_letter_retry(*, letter: Letter, by) -> Letter:
    if by.role != Role.BDC or not by.has_perm("projects.view_project", letter.project):
        raise NotPermitted("只有大数据中心可以重新生成评审意见。")
    if letter.organisation_id != by.organisation_id:
        raise NotPermitted("只有发文机关可以重新生成该文件。")
    return letter_retry(letter=letter, by=by)


def review_letters_context(*, project, user, opinions: list) -> dict:
    """What the project page's 评审意见发文 block shows: each opinion with its letters, and each pre-review's
    预审意见书 by pre-review (`prereview_letters`), in one query."""
    found = list(
        Letter.objects.filter(project=project, kind__in=(KIND, Letter.Kind.PREREVIEW_OPINION))
        .select_related("replaces")
        .order_by("issued_at", "id")
    )
    letters = [x for x in found if x.kind == KIND]
    prereview_letters = {x.source_id: x for x in found if x.kind == Letter.Kind.PREREVIEW_OPINION}
    by_opinion: dict[int, list[Letter]] = {}
    for letter in letters:
        by_opinion.setdefault(letter.source_id, []).append(letter)
    latest = max(opinions, key=lambda o: (o.issued_at, o.pk)) if opinions else None
    can_issue = (
        user.role == Role.BDC
        and user.organisation_id is not None
        and project.state == ProjectState.REVIEWING
        and user.has_perm("projects.run_transition", project)
    )
    rows = []
    for opinion in opinions:
        mine = by_opinion.get(opinion.pk, [])
        ready = [x for x in mine if x.status == Letter.Status.READY]
        busy = any(x.status != Letter.Status.READY for x in mine)
        is_latest = latest is not None and opinion.pk == latest.pk
        rows.append(
            {
                "opinion": opinion,
                "letters": mine,
                "is_latest": is_latest,
                "can_issue": can_issue and is_latest and not mine,
                "can_correct": can_issue and is_latest and bool(ready) and not busy,
                "correct_target": ready[-1] if ready else None,
            }
        )
    return {
        "letter_rows": rows,
        "letters_pending": any(x.status == Letter.Status.PENDING for x in found),
        "prereview_letters": prereview_letters,
    }
