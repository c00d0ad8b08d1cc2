"""The year's sample for finance's re-evaluation, as a page: every draw with its seed and candidates (and the
draw run again from them, so a reader sees it holds), and for finance the form that draws the year's sample.
Finance, the centre and the auditor of the jurisdiction read it; only finance draws."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError, form_message
from core.pages import refusal

from . import services
from .forms import SampleDrawForm
from .rules import can_draw_sample, can_view_samples
from .sampling import sample_from_record
from .selectors import sample_candidates, sample_draws

READ_REFUSED = "财政再评价抽样仅供本行政区划的财政局、大数据中心和审计局查阅。"


def _jurisdiction(request):
    user = request.user
    return user.organisation.jurisdiction if user.organisation_id else None


def draws_rows(draws) -> list[dict]:
    """Each draw with its projects by id, and whether running it again from its record gives its sample."""
    rows = []
    for draw in draws:
        members = list(draw.members.all())
        try:
            again = sample_from_record(draw.seed, draw.candidates, draw.size)
        except ValueError:
            again = None
        rows.append({"draw": draw, "members": members, "reproduced": again == list(draw.drawn)})
    return rows


def _render(request, jurisdiction, form=None, status=200):
    from projects.policies import policy_get

    policy = policy_get(jurisdiction.policy_code)
    year = timezone.localdate().year
    may_draw = can_draw_sample(request.user, jurisdiction)
    return render(
        request,
        "performance/samples.html",
        {
            "jurisdiction": jurisdiction,
            "rows": draws_rows(sample_draws(jurisdiction=jurisdiction)),
            "form": (form or SampleDrawForm(initial={"year": year})) if may_draw else None,
            "candidates_now": sample_candidates(jurisdiction=jurisdiction, year=year).count()
            if may_draw
            else None,
            "year": year,
            "policy": policy,
            "policy_samples": policy.actor_for("finance_evaluation", None) is not None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def samples_page(request):
    jurisdiction = _jurisdiction(request)
    if jurisdiction is None or not can_view_samples(request.user, jurisdiction):
        return refusal(request, READ_REFUSED, 403)
    return _render(request, jurisdiction)


@login_required
@require_POST
def sample_draw_post(request):
    jurisdiction = _jurisdiction(request)
    if jurisdiction is None or not can_view_samples(request.user, jurisdiction):
        return refusal(request, READ_REFUSED, 403)
    if not can_draw_sample(request.user, jurisdiction):
        return refusal(request, "只有本行政区划的财政局可以抽取再评价项目。", 403)
    form = SampleDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未能抽取：" + form_message(form))
        return _render(request, jurisdiction, form, status=400)
    data = form.cleaned_data
    try:
        draw = services.sample_draw(
            jurisdiction=jurisdiction,
            year=data["year"],
            size=data["size"],
            by=request.user,
            note=data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, "未能抽取：" + exc.message)
        return _render(request, jurisdiction, form, status=exc.status)
    messages.success(request, f"已抽取{draw.year}年度财政再评价项目{draw.size}个，已记入各项目档案。")
    return redirect("performance:samples")
