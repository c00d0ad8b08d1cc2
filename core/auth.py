"""Logging in beyond Django's own: the lockout's per-parameter limits (django-axes) and expiring API tokens.

Lockout. django-axes counts the failures of every parameter set in `AXES_LOCKOUT_PARAMETERS` but compares
them all with one `AXES_FAILURE_LIMIT` (a callable limit gets the request, not the parameter set). We lock
by the pair (username, address) at `AXES_FAILURE_LIMIT` and by the address alone at the higher
`AXES_ADDRESS_FAILURE_LIMIT`, so the handler below scales each set's count to the common limit.

Tokens. DRF's `Token` stays as it is, its `created` is the issue time; `TokenUse` records the last use,
written at most once a minute. A token older than `TOKEN_TTL`, or idle longer than `TOKEN_IDLE_TIMEOUT`
(the session idle timeout), is refused and deleted; a password change deletes the user's tokens
(core.signals)."""

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from .models import TokenUse

# How often a token's last use is written: an idle timeout counted in minutes needs no finer record.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def client_ip_address(request) -> str | None:
    """The client's address for the lockout. Behind `TRUSTED_PROXY_COUNT` proxies it is the X-Forwarded-For
    entry the outermost of them appended (entries left of it are the client's own, and can be forged)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_limit(parameters) -> int:
    """The failures that lock one parameter set: the address alone has its own, higher limit."""
    if parameters == "ip_address" or list(parameters) == ["ip_address"]:
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler with a limit per lockout parameter set.

    axes locks when `get_failures() >= get_failure_limit()`; each set's count is scaled to that common
    limit (`count * common // own`), which reaches it exactly when the count reaches the set's own limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        common = get_failure_limit(request, credentials)
        parameters = settings.AXES_LOCKOUT_PARAMETERS
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        return max(
            (count * common // lockout_limit(p) for p, count in zip(parameters, counts, strict=True)),
            default=0,
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login forgives that user's own failures from that address, nothing else: axes would
        delete every record of each lockout set, the whole address's among them, so one valid login would
        wipe the count of a password spray from the same address."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def token_expires_at(token: Token) -> datetime:
    return token.created + settings.TOKEN_TTL


def token_last_used(token: Token) -> datetime:
    use = getattr(token, "use", None)  # the reverse one-to-one raises an AttributeError when absent
    return use.last_used_at if use else token.created


def token_expiry_reason(token: Token, now: datetime | None = None) -> str | None:
    """Why the token is no longer valid, in Chinese; None while it is."""
    now = now or timezone.now()
    if now >= token_expires_at(token):
        hours = settings.TOKEN_TTL.total_seconds() / 3600
        return f"令牌已过期（有效期{hours:g}小时），请重新获取令牌。"
    idle = settings.TOKEN_IDLE_TIMEOUT
    if idle and now - token_last_used(token) >= idle:
        minutes = int(idle.total_seconds() // 60)
        return f"令牌已闲置超过{minutes}分钟而失效，请重新获取令牌。"
    return None


def token_touch(token: Token, now: datetime | None = None) -> None:
    """Record a use; at most one write a minute per token."""
    now = now or timezone.now()
    if now - token_last_used(token) < TOKEN_USE_RESOLUTION:
        return
    use, _ = TokenUse.objects.update_or_create(token=token, defaults={"last_used_at": now})
    token.use = use


def token_for(user) -> Token:
    """The user's token, a new one if the old has expired. Issuing counts as a use."""
    token = Token.objects.select_related("use").filter(user=user).first()
    if token is not None and token_expiry_reason(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    token_touch(token)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication that refuses (and deletes) tokens past their lifetime or idle timeout."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user", "use").get(key=key)
        except Token.DoesNotExist:
            raise AuthenticationFailed("令牌无效。") from None
        if not token.user.is_active:
            raise AuthenticationFailed("用户已停用或已删除。")
        reason = token_expiry_reason(token)
        if reason:
            token.delete()
            raise AuthenticationFailed(reason)
        token_touch(token)
        return (token.user, token)
