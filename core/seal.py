"""Seals: keyed digests (HMAC) over the record, with a key that lives outside the database.

Whoever can write the database can change a row and recompute a plain hash; without the key they cannot
make a seal that verifies. The digest is SM3 (GB/T 32905, the one GB/T 39786 asks for) where Python's
OpenSSL offers it, otherwise SHA-256 — a system check says which, and each seal names its algorithm and key,
so keys can be rotated (old ones stay listed to verify what they sealed) and a record moved to a machine
without SM3 is refused rather than misread.

`TIMELINE_KEYS` (settings, from the environment) is "id:secret" pairs separated by commas; the first seals
new entries, the others only verify."""

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

SM3_AVAILABLE = "sm3" in hashlib.algorithms_available
ALGORITHM = "hmac-sm3" if SM3_AVAILABLE else "hmac-sha256"
_DIGESTS = {"hmac-sm3": "sm3", "hmac-sha256": "sha256"}


@dataclass(frozen=True)
class Seal:
    key_id: str
    algorithm: str
    value: str


@cache
def _keys(spec: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for part in (p.strip() for p in spec.split(",")):
        key_id, sep, secret = part.partition(":")
        if not sep or not key_id or len(secret) < 16:
            raise ImproperlyConfigured(
                "TIMELINE_KEYS 格式应为“编号:密钥”，多个以逗号分隔，密钥至少16个字符。"
            )
        keys.append((key_id, secret.encode()))
    return tuple(keys)


def seal_keys() -> tuple[tuple[str, bytes], ...]:
    return _keys(settings.TIMELINE_KEYS)


def seal_make(message: str) -> Seal:
    """The seal of `message` with the key in use."""
    key_id, key = seal_keys()[0]
    return Seal(key_id, ALGORITHM, _mac(key, ALGORITHM, message))


def seal_matches(message: str, seal: Seal) -> bool:
    """Whether `seal` is the seal of `message` under the key and algorithm it names (False when that key is
    no longer listed or the algorithm is not available here)."""
    key = dict(seal_keys()).get(seal.key_id)
    if key is None or seal.algorithm not in _DIGESTS:
        return False
    if seal.algorithm == "hmac-sm3" and not SM3_AVAILABLE:
        return False
    return hmac.compare_digest(_mac(key, seal.algorithm, message), seal.value)


def seal_problem(seal: Seal) -> str:
    """Why a seal cannot be checked here at all, or ""."""
    if seal.key_id not in dict(seal_keys()):
        return f"密钥“{seal.key_id}”不在本机配置的 TIMELINE_KEYS 中，无法核验"
    if seal.algorithm == "hmac-sm3" and not SM3_AVAILABLE:
        return "本机 OpenSSL 不提供 SM3，无法核验以 SM3 封存的记录"
    return ""


def digest(text: str) -> str:
    """An unkeyed digest (for the anchor's list of heads, which anyone may recompute)."""
    return hashlib.new(_DIGESTS[ALGORITHM], text.encode()).hexdigest()


def _mac(key: bytes, algorithm: str, message: str) -> str:
    return hmac.new(key, message.encode(), _DIGESTS[algorithm]).hexdigest()


@register(Tags.security)
def seal_check(app_configs, **kwargs):
    problems = []
    try:
        keys = seal_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="core.E010")]
    if not SM3_AVAILABLE:
        problems.append(
            Warning(
                "本机 Python 的 OpenSSL 不提供 SM3：时间线以 HMAC-SHA256 封存（GB/T 39786 要求 SM3）。",
                hint="安装带 SM3 的 OpenSSL（Debian 的 libssl3 即有），然后重启。",
                id="core.W010",
            )
        )
    if not settings.DEBUG and keys[0][0] == "dev":
        problems.append(
            Error(
                "TIMELINE_KEYS 仍是开发用密钥：任何能写数据库的人都能重新封存被改动的时间线。",
                hint="在环境变量 TIMELINE_KEYS 中设置“编号:随机密钥”，密钥不要放进数据库或代码库。",
                id="core.E011",
            )
        )
    return problems
