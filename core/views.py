"""core's own pages: what a locked-out user is told (django-axes), and the timeline's integrity for the
auditors."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .enums import Role
from .models import TimelineAnchor, TimelineCheck, TimelineHead
from .pages import refusal
from .seal import ALGORITHM, SM3_AVAILABLE
from .verification import timeline_verify

log = logging.getLogger(__name__)


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes: what a locked-out user is told. JSON for the API, a page for the browser."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"登录失败次数过多，账号已锁定{minutes}分钟。如需提前解锁，请联系安全管理员。"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)


# ---- the timeline's integrity, for the auditors ------------------------------------------------------

# Who reads the verification: the 审计局 and the platform's 审计管理员 (docs/operations.md, "Accounts").
INTEGRITY_READERS = frozenset({Role.AUDITOR, Role.AUDITADMIN})
BROKEN_SHOWN = 200


def _integrity_reader(user) -> bool:
    return user.is_superuser or user.role in INTEGRITY_READERS


def _project_by_code(code: str):
    project_model = TimelineHead._meta.get_field("project").related_model
    return project_model.objects.filter(code=code.strip()).only("pk", "code", "name").first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def timeline_integrity(request):
    """The latest verification of every project's record, project by project; a verification on request;
    one project checked at once by its code; the anchors."""
    if not _integrity_reader(request.user):
        return refusal(request, "只有审计局和审计管理员可以查看时间线校验。", 403)
    if request.method == "POST":
        return _verification_request(request)
    check = (
        TimelineCheck.objects.select_related("requested_by", "anchor").order_by("-started_at", "-id").first()
    )
    broken = sorted((check.broken if check else {}).items(), key=lambda kv: kv[1].get("code", ""))
    code = request.GET.get("code", "").strip()[:32]
    one = None
    if code:
        project = _project_by_code(code)
        one = {
            "code": code,
            "project": project,
            "problems": timeline_verify(project_id=project.pk) if project else None,
        }
    anchors = TimelineAnchor.objects.defer("heads").order_by("-made_at", "-id")[:30]
    return render(
        request,
        "core/timeline_integrity.html",
        {
            "check": check,
            "broken": broken[:BROKEN_SHOWN],
            "broken_more": max(len(broken) - BROKEN_SHOWN, 0),
            "one": one,
            "anchors": anchors,
            "algorithm": ALGORITHM,
            "sm3": SM3_AVAILABLE,
        },
    )


def _verification_request(request):
    from .tasks import timeline_verify_all

    try:
        timeline_verify_all.apply_async(kwargs={"requested_by": request.user.pk}, retry=False)
    except Exception:  # the broker is down: say so, change nothing
        log.exception("时间线校验任务未能排队")
        messages.error(request, "任务队列暂时不可用，校验未能开始；请稍后再试或联系系统管理员。")
    else:
        messages.success(request, "已开始全面校验；完成后刷新本页即可看到结果。")
    return redirect("timeline_integrity")


@login_required
@require_http_methods(["GET", "HEAD"])
def timeline_anchor(request, pk: int):
    """One anchor as a printable record: its number, time, counts, digest and seal, and the verification made
    before it."""
    if not _integrity_reader(request.user):
        return refusal(request, "只有审计局和审计管理员可以查看时间线锚定。", 403)
    anchor = TimelineAnchor.objects.defer("heads").select_related("verification").filter(pk=pk).first()
    if anchor is None:
        return refusal(request, "没有这份锚定记录。", 404)
    return render(request, "core/timeline_anchor.html", {"anchor": anchor, "intact": anchor.seal_intact()})
