"""The five regulations, one module each. A project is bound to its policy code when it is created."""

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


def policy_get(code: str) -> Policy:
    try:
        return POLICIES[code]
    except KeyError:
        raise LookupError(f"未知的管理办法：{code}") from None


def policy_choices() -> list[tuple[str, str]]:
    return [(p.code, p.jurisdiction) for p in POLICIES.values()]
