"""API views of what core owns: the login token and official working days."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import api_fields as strict
from .auth import token_expires_at, token_for
from .errors import InvalidInput
from .workdays import MAX_DAYS, add_workdays


class WorkdaysQuery(serializers.Serializer):
    from_query = True

    start = serializers.DateField(
        help_text="起算日期（YYYY-MM-DD），当日不计入",
        error_messages={
            "required": "请提供起算日期 start（YYYY-MM-DD）。",
            "invalid": "起算日期 start 须为 YYYY-MM-DD 格式。",
        },
    )
    days = strict.IntegerField(
        help_text="工作日天数",
        min_value=0,
        max_value=MAX_DAYS,
        error_messages={
            "required": "请提供工作日天数 days。",
            "invalid": "工作日天数 days 须为整数。",
            "min_value": "工作日天数 days 不能为负数。",
            "max_value": f"工作日天数 days 不能超过{MAX_DAYS}。",
        },
    )


class WorkdaysView(APIView):
    @extend_schema(
        summary="第N个工作日",
        description="start 之后的第 days 个工作日（start 当日不计入），按国务院公布的节假日和调休安排计算。"
        "日期所在年份的安排尚未公布或录入时返回 400。",
        parameters=[WorkdaysQuery],
        responses={200: inline_serializer("WorkdaysResult", {"deadline": serializers.DateField()})},
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        if not query.is_valid():
            raise InvalidInput("；".join(str(e) for errors in query.errors.values() for e in errors))
        deadline = add_workdays(query.validated_data["start"], query.validated_data["days"])
        return Response({"deadline": deadline.isoformat()})


class TokenCredentials(serializers.Serializer):
    username = strict.CharField(error_messages={"required": "请填写用户名。", "blank": "请填写用户名。"})
    password = strict.CharField(
        trim_whitespace=False,
        style={"input_type": "password"},
        error_messages={"required": "请填写密码。", "blank": "请填写密码。"},
    )


class TokenView(APIView):
    """A token for scripts and neighbouring platforms. The login goes through `authenticate` with the request,
    so django-axes counts the failures and, past the limit, its middleware answers 429 instead."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="获取访问令牌",
        description="用户名和密码正确时返回令牌，此后以请求头 Authorization: Token <令牌> 调用接口。"
        f"令牌自签发起{settings.TOKEN_TTL.total_seconds() / 3600:g}小时内有效（expires_at），"
        f"连续{int(settings.TOKEN_IDLE_TIMEOUT.total_seconds() // 60)}分钟未使用即失效，修改密码后作废；"
        "失效后调用接口返回 401，请重新获取。有效期内再次获取返回同一令牌。"
        f"同一账号在同一地址连续{settings.AXES_FAILURE_LIMIT}次登录失败后锁定该账号在该地址的登录，"
        f"同一地址累计{settings.AXES_ADDRESS_FAILURE_LIMIT}次登录失败（不论账号）后锁定该地址，"
        f"锁定{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}分钟，锁定期间返回 429。",
        auth=[],
        request=TokenCredentials,
        responses={
            200: inline_serializer(
                "TokenResult",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(
                        help_text="令牌的失效时间（闲置超时可能使其更早失效）"
                    ),
                },
            ),
            400: inline_serializer("TokenError", {"detail": serializers.CharField()}),
            429: inline_serializer("TokenLockedOut", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request):
        query = TokenCredentials(data=request.data)
        if not query.is_valid():
            raise InvalidInput("；".join(str(e) for errors in query.errors.values() for e in errors))
        # The plain HttpRequest: axes marks it as locked out, and its middleware reads the mark from there.
        user = authenticate(
            request=request._request,
            username=query.validated_data["username"],
            password=query.validated_data["password"],
        )
        if user is None:
            raise InvalidInput("用户名或密码错误。")
        token = token_for(user)
        return Response(
            {
                "token": token.key,
                "expires_at": serializers.DateTimeField().to_representation(token_expires_at(token)),
            }
        )
