"""How errors reach API clients: JSON with a Chinese `detail`, never a 500 for bad input, never an HTML page.

Inside the API's views `exception_handler` answers every refusal. Outside them, under /api/, the same JSON
comes from `api_not_found` (an address no view answers) and from the project's error handlers (`handler400`
and the others in config/urls.py: a request Django itself refuses, an unexpected error), which keep the
browser's pages everywhere else."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError

DRF_MESSAGES = {
    exceptions.NotAuthenticated: "未登录或令牌无效。",
    exceptions.AuthenticationFailed: "令牌无效或已过期。",
    exceptions.PermissionDenied: "无权执行此操作。",
    exceptions.NotFound: "不存在或无权查看。",
    exceptions.MethodNotAllowed: "不支持该请求方法。",
    exceptions.NotAcceptable: "无法按请求头 Accept 的要求返回：本接口只返回 JSON（application/json）。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型。",
    exceptions.Throttled: "请求过于频繁，请稍后再试。",
    exceptions.ParseError: "请求内容格式有误。",
}


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "；".join(
            f"{k}：{_flatten(v)}" if k != "non_field_errors" else _flatten(v) for k, v in detail.items()
        )
    if isinstance(detail, list):
        return "；".join(_flatten(d) for d in detail)
    return str(detail)


class FileRenderer(BaseRenderer):
    """For the views that answer a file of its own type (a download, the Excel ledger): whatever the Accept
    header asks is served the file; their refusals are JSON like every other (`exception_handler`)."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


FILE_RENDERERS = [JSONRenderer, FileRenderer]


def exception_handler(exc, context):
    request = context.get("request")
    if request is not None:  # a refusal is JSON, whatever the view would have answered
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status)
    if isinstance(exc, ValidationError):
        return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": _flatten(exc.detail), "errors": errors}
    else:
        message = next((m for cls, m in DRF_MESSAGES.items() if isinstance(exc, cls)), None)
        if message and not _is_chinese(str(getattr(exc, "detail", ""))):
            response.data = {"detail": message}
    return response


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---- under /api/, outside the API's views ------------------------------------------------------------


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt  # it answers every method with a 404: there is nothing to forge
def api_not_found(request, *args, **kwargs):
    """An address under /api/v1/ that no endpoint answers (a mistyped path, a non-integer id)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            return JsonResponse(
                {"detail": f"接口地址须以“/”结尾：{request.path}/。"}, status=status.HTTP_404_NOT_FOUND
            )
    return JsonResponse({"detail": "接口地址不存在：请检查路径（编号须为整数）。"}, status=404)


def bad_request(request, exception, template_name="400.html"):
    """handler400: a request Django itself refuses (too many fields, a malformed multipart body)."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "请求内容有误，无法受理（如字段过多、内容过大或格式不完整）。"}, status=400
        )
    return defaults.bad_request(request, exception, template_name=template_name)


def permission_denied(request, exception, template_name="403.html"):
    if _is_api(request):
        return JsonResponse({"detail": DRF_MESSAGES[exceptions.PermissionDenied]}, status=403)
    return defaults.permission_denied(request, exception, template_name=template_name)


def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception, template_name=template_name)


def server_error(request, template_name="500.html"):
    if _is_api(request):
        return JsonResponse(
            {"detail": "服务器内部错误，请稍后再试；如持续出现请联系系统管理员。"}, status=500
        )
    return defaults.server_error(request, template_name=template_name)
