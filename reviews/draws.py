"""The random draw of a review panel, as pure functions of what the Draw record keeps.

How a draw works (algorithm ``hmac-sha256-fisher-yates-v1``), so that anyone can check it by hand:

1. The candidates are the eligible experts' ids in ascending order (the canonical order).
2. A stream of random integers comes from the seed alone: block *k* is HMAC-SHA256(key = the seed's
   UTF-8 bytes, message = *k* as 8 bytes big-endian), read as four 64-bit big-endian words. A number below
   *n* is the next word *w* for which *w* < 2⁶⁴ − (2⁶⁴ mod *n*), taken mod *n* (rejection keeps it unbiased).
3. The candidates are shuffled by Fisher–Yates (for *i* from the last position down to 1, swap position *i*
   with a position drawn below *i* + 1).
4. For each field the panel must cover, in the order of `ExpertField`, that no one chosen so far covers, the
   first expert in the shuffled order who has that field is chosen.
5. The remaining seats go to the first experts of the shuffled order not yet chosen.

Every eligible expert is equally likely to hold any position of the shuffle, so without fields to cover each
is chosen with the same probability, and among the experts of a field to cover each is equally likely to be
the one chosen for it.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import InvalidInput
from core.models import Organisation
from projects.enums import ConstructionKind

from .enums import ExpertField

if TYPE_CHECKING:
    from .models import ExpertProfile

ALGORITHM = "hmac-sha256-fisher-yates-v1"

# What each kind of construction content needs on the panel.
KIND_FIELDS: dict[str, ExpertField] = {
    ConstructionKind.NEW_SERVER_ROOM: ExpertField.NETWORK,
    ConstructionKind.SERVER_ROOM_EXPANSION: ExpertField.NETWORK,
    ConstructionKind.SERVERS_STORAGE: ExpertField.NETWORK,
    ConstructionKind.DEPARTMENT_NETWORK: ExpertField.NETWORK,
    ConstructionKind.CROSS_DEPARTMENT_NETWORK: ExpertField.NETWORK,
    ConstructionKind.CLOUD_SERVICE: ExpertField.NETWORK,
    ConstructionKind.TERMINALS: ExpertField.NETWORK,
    ConstructionKind.VIDEO_CONFERENCE: ExpertField.NETWORK,
    ConstructionKind.DATA_EXCHANGE: ExpertField.DATA,
    ConstructionKind.DATA_RESOURCES: ExpertField.DATA,
    ConstructionKind.DATA_COLLECTION: ExpertField.DATA,
    ConstructionKind.COLLABORATION: ExpertField.SOFTWARE,
    ConstructionKind.WEBSITE: ExpertField.SOFTWARE,
    ConstructionKind.POWER_SYSTEM: ExpertField.SOFTWARE,
    ConstructionKind.CROSS_DEPARTMENT_APP: ExpertField.SOFTWARE,
    ConstructionKind.BUSINESS_APP: ExpertField.SOFTWARE,
    ConstructionKind.PLATFORM: ExpertField.SOFTWARE,
    ConstructionKind.VIDEO_SURVEILLANCE: ExpertField.VIDEO,
    ConstructionKind.SECURITY: ExpertField.SECURITY,
    ConstructionKind.MAINTENANCE: ExpertField.MANAGEMENT,
}

# What each of the project's flags needs on the panel.
FLAG_FIELDS: dict[str, ExpertField] = {
    "has_video": ExpertField.VIDEO,  # 公共视频监控
    "is_security": ExpertField.SECURITY,  # 信息安全
    "is_classified": ExpertField.SECURITY,  # 涉密
    "is_cross_department": ExpertField.DATA,  # 跨部门共建共享
    "adds_fixed_assets": ExpertField.FINANCE,  # 新增固定资产投资
}


def fields_needed(project) -> list[ExpertField]:
    """The fields (领域) the project's panel must cover: from its construction content, its flags and its
    policy (laohekou-2024 第十一条: 选取相应领域的专家), in the order of `ExpertField`."""
    needed = {KIND_FIELDS[k] for k in project.construction_kinds if k in KIND_FIELDS}
    needed |= {field for flag, field in FLAG_FIELDS.items() if getattr(project, flag, False)}
    # What the regulation itself asks the review to assess (gongshu-draft 四(二), fangchenggang-2022 第十四条).
    from projects.policies import policy_get

    policy = policy_get(project.policy_code, getattr(project, "policy_version", None))
    needed |= {ExpertField(value) for value in policy.draw_fields}
    return [f for f in ExpertField if f in needed]


# ---- who may be drawn ---------------------------------------------------------------------------------


def _name(value: str) -> str:
    return "".join((value or "").split())


def excluded_organisations_of(project, excluded_organisations) -> tuple[dict[int, str], dict[str, str]]:
    """The organisations whose staff may not sit on the panel, by id and by normalised name, each with its
    part: the declaring department, the co-builders, and the bidders entered with the draw (`Organisation`
    rows or names as typed)."""
    by_id: dict[int, str] = {project.organisation_id: f"{project.organisation.name}（申报单位）"}
    for org in project.co_builders.all():
        by_id.setdefault(org.pk, f"{org.name}（共建单位）")
    by_name: dict[str, str] = {}
    for entry in excluded_organisations or ():
        if isinstance(entry, Organisation):
            by_id.setdefault(entry.pk, f"{entry.name}（投标单位）")
        elif isinstance(entry, str) and _name(entry):
            by_name.setdefault(_name(entry), f"{entry.strip()}（投标单位）")
        elif entry not in (None, ""):
            raise InvalidInput("回避单位须为登记的单位或单位名称。")
    for label in list(by_id.values()):
        by_name.setdefault(_name(label.rsplit("（", 1)[0]), label)
    return by_id, by_name


def exclusion_reason(expert: "ExpertProfile", by_id: dict, by_name: dict, availability: bool = True) -> str:
    """Why the expert may not sit on the panel ("" if they may). `availability=False` asks only about the
    organisations (for a panel already drawn)."""
    if availability and not expert.available:
        return "暂不可抽取" + (f"（{expert.availability_note}）" if expert.availability_note else "")
    if availability and not expert.user.is_active:
        return "账号已停用"
    if expert.employer_id in by_id:
        return f"工作单位为{by_id[expert.employer_id]}"
    for name in {_name(expert.employer_name), _name(expert.employer.name if expert.employer else "")}:
        if name and name in by_name:
            return f"工作单位为{by_name[name]}"
    for conflict in expert.conflicts.all():
        if conflict.organisation_id in by_id:
            return f"已申报与{by_id[conflict.organisation_id]}存在利害关系"
        if _name(conflict.organisation.name) in by_name:
            return f"已申报与{by_name[_name(conflict.organisation.name)]}存在利害关系"
    return ""


class DrawImpossible(Exception):
    """The candidates cannot make a panel of this size covering these fields."""

    def __init__(self, uncovered: list[str], reason: str):
        super().__init__(reason)
        self.uncovered = uncovered
        self.reason = reason


class _Stream:
    """Unbiased integers from a seed (steps 2 of the module's description)."""

    def __init__(self, seed: str):
        self._key = seed.encode()
        self._block = 0
        self._words: list[int] = []

    def _word(self) -> int:
        if not self._words:
            digest = hmac.new(self._key, self._block.to_bytes(8, "big"), hashlib.sha256).digest()
            self._block += 1
            self._words = [int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8)]
        return self._words.pop(0)

    def below(self, n: int) -> int:
        limit = 2**64 - (2**64 % n)
        while True:
            word = self._word()
            if word < limit:
                return word % n


def shuffled(seed: str, candidates: Sequence[int]) -> list[int]:
    order = list(candidates)
    stream = _Stream(seed)
    for i in range(len(order) - 1, 0, -1):
        j = stream.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


@dataclass(frozen=True)
class DrawOutcome:
    panel: list[int]
    order: list[int]


def _field_order(field: str) -> int:
    return ExpertField.values.index(field) if field in ExpertField.values else len(ExpertField.values)


def draw_from_record(
    seed: str,
    candidates: Sequence[int],
    size: int,
    fields_by_candidate: Mapping,
    needed: Iterable[str],
) -> list[int]:
    """The panel (expert ids, in the order chosen) that a draw with these inputs gives. Raises
    `DrawImpossible` when the candidates cannot fill `size` seats covering every needed field."""
    return run_draw(seed, candidates, size, fields_by_candidate, needed).panel


def run_draw(seed, candidates, size, fields_by_candidate, needed) -> DrawOutcome:
    candidates = [int(c) for c in candidates]
    if candidates != sorted(set(candidates)):
        raise ValueError("候选专家须按编号升序排列且不重复。")
    fields = {int(k): set(v) for k, v in fields_by_candidate.items()}
    needed = sorted(set(needed), key=_field_order)
    if size < 1:
        raise ValueError("抽取人数须大于零。")
    missing = [f for f in needed if not any(f in fields.get(c, ()) for c in candidates)]
    if missing:
        raise DrawImpossible(missing, "no candidate has the field")
    if len(candidates) < size:
        raise DrawImpossible([], "too few candidates")
    order = shuffled(seed, candidates)
    chosen: list[int] = []
    for field in needed:
        if any(field in fields.get(c, ()) for c in chosen):
            continue
        chosen.append(next(c for c in order if c not in chosen and field in fields.get(c, ())))
    if len(chosen) > size:
        covered = set().union(*(fields.get(c, set()) for c in chosen[:size]))
        raise DrawImpossible([f for f in needed if f not in covered], "too many fields for the seats")
    for c in order:
        if len(chosen) == size:
            break
        if c not in chosen:
            chosen.append(c)
    return DrawOutcome(panel=chosen, order=order)
