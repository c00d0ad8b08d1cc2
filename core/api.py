"""How errors reach API clients: JSON with a Chinese `detail`, never a 500 for bad input."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError

DRF_MESSAGES = {
    exceptions.NotAuthenticated: "未登录或令牌无效。",
    exceptions.AuthenticationFailed: "令牌无效或已过期。",
    exceptions.PermissionDenied: "无权执行此操作。",
    exceptions.NotFound: "不存在或无权查看。",
    exceptions.MethodNotAllowed: "不支持该请求方法。",
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


def exception_handler(exc, context):
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
        response.data = {"detail": _flatten(exc.detail), "errors": exc.detail}
    else:
        message = next((m for cls, m in DRF_MESSAGES.items() if isinstance(exc, cls)), None)
        if message and not _is_chinese(str(getattr(exc, "detail", ""))):
            response.data = {"detail": message}
    return response


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
