"""core's own pages: what a locked-out user is told (django-axes)."""

from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes: what a locked-out user is told. JSON for the API, a page for the browser."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"登录失败次数过多，账号已锁定{minutes}分钟。如需提前解锁，请联系安全管理员。"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)
