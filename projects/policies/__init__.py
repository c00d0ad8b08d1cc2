"""The regulations, one module each: a module defines `POLICY`, its regulation article by article
(`base.Article`), and is listed here (or registered with `policy_register`).

A project is bound to the policy code and version in force for its jurisdiction when it was created, and
keeps them: when a regulation is revised, its module states the new version, the version it replaces goes
to `SUPERSEDED` (kept as it was), and projects already under way go on under the rules they started with."""

from .base import Policy
from .fangchenggang_2022 import POLICY as FANGCHENGGANG_2022
from .gongshu_draft import POLICY as GONGSHU_DRAFT
from .laohekou_2024 import POLICY as LAOHEKOU_2024
from .wendeng_2021 import POLICY as WENDENG_2021
from .zhaoyuan_2021 import POLICY as ZHAOYUAN_2021

POLICIES: dict[str, Policy] = {
    p.code: p for p in (WENDENG_2021, ZHAOYUAN_2021, LAOHEKOU_2024, GONGSHU_DRAFT, FANGCHENGGANG_2022)
}
DEFAULT_POLICY = WENDENG_2021.code

# Earlier versions that still govern projects created under them (none yet: no regulation has been revised).
SUPERSEDED: tuple[Policy, ...] = ()
VERSIONS: dict[tuple[str, str], Policy] = {(p.code, p.version): p for p in (*POLICIES.values(), *SUPERSEDED)}


def policy_register(policy: Policy, *, current: bool = True) -> Policy:
    """Make `policy` known: as the version in force for its code (`current`), and as a version projects may be
    bound to. A new regulation is a module defining its `POLICY` and one call of this (or one line above)."""
    if current:
        POLICIES[policy.code] = policy
    VERSIONS[(policy.code, policy.version)] = policy
    return policy


def policy_get(code: str, version: str | None = None) -> Policy:
    """The policy in force now (no version), or the version a project is bound to."""
    if version is None:
        try:
            return POLICIES[code]
        except KeyError:
            raise LookupError(f"未知的管理办法：{code}") from None
    try:
        return VERSIONS[(code, version)]
    except KeyError:
        raise LookupError(
            f"管理办法{code}的{version}版本已不在系统中，项目须按其立项时的版本办理。"
        ) from None
