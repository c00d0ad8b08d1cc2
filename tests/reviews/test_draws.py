"""The draw as a pure function: reproducible from its record, fair, covering the fields the project needs."""

from collections import Counter
from types import SimpleNamespace

import pytest

from reviews.draws import DrawImpossible, draw_from_record, fields_needed, shuffled
from reviews.enums import ExpertField

DRAWS = 3000


def chi_square(counts: Counter, keys, total_picks: int) -> float:
    expected = total_picks / len(keys)
    return sum((counts[k] - expected) ** 2 / expected for k in keys)


# χ² critical values at p = 0.001 (a fair draw fails this bound once in a thousand seed sets; the seeds are
# fixed, so the test is deterministic).
CHI2_001 = {1: 10.83, 9: 27.88}


def test_draw_from_record_is_reproducible():
    args = (
        "3f9a0c",
        [2, 5, 7, 11, 13, 17],
        3,
        {2: ["software"], 5: ["video"], 7: [], 11: [], 13: [], 17: []},
        [],
    )
    first = draw_from_record(*args)
    assert draw_from_record(*args) == first
    assert len(first) == 3 and len(set(first)) == 3
    # The record's JSON gives string keys: the same panel.
    stored = {str(k): v for k, v in args[3].items()}
    assert draw_from_record(args[0], args[1], 3, stored, []) == first


def test_different_seeds_give_different_panels():
    candidates = list(range(1, 21))
    fields = {c: [] for c in candidates}
    panels = {tuple(draw_from_record(f"seed-{i}", candidates, 3, fields, [])) for i in range(50)}
    assert len(panels) > 40


def test_candidates_must_be_in_canonical_order():
    with pytest.raises(ValueError):
        draw_from_record("s", [3, 1, 2], 1, {1: [], 2: [], 3: []}, [])


def test_shuffle_is_a_permutation():
    assert sorted(shuffled("abc", list(range(50)))) == list(range(50))


def test_every_eligible_expert_is_drawn_at_the_same_rate():
    candidates = [3, 8, 9, 14, 21, 22, 30, 31, 40, 41]
    fields = {c: ["software"] for c in candidates}
    counts = Counter()
    for i in range(DRAWS):
        counts.update(draw_from_record(f"fair-{i}", candidates, 3, fields, ["software"]))
    total = DRAWS * 3
    assert sum(counts.values()) == total
    assert chi_square(counts, candidates, total) < CHI2_001[9]
    expected = total / len(candidates)
    assert max(abs(counts[c] - expected) for c in candidates) < 0.1 * expected


def test_the_fairness_bound_catches_a_biased_draw():
    """The same statistic on a draw that favours low ids (each seat: lowest of two random picks) fails."""
    candidates = list(range(10))
    counts = Counter()
    for i in range(DRAWS):
        order = shuffled(f"bias-{i}", candidates)
        pool = [min(order[k], order[k + 1]) for k in (0, 2, 4, 6)]
        counts.update(list(dict.fromkeys(pool))[:3])
    assert chi_square(counts, candidates, sum(counts.values())) > CHI2_001[9]


def test_field_coverage_is_fair_among_the_fields_experts():
    candidates = [1, 2, 3, 4, 5, 6, 7]
    fields = {1: ["video"], 2: ["video"], 3: ["software"], 4: ["software"], 5: ["data"], 6: ["data"], 7: []}
    video_picks = Counter()
    for i in range(DRAWS):
        panel = draw_from_record(f"cover-{i}", candidates, 3, fields, ["video", "data"])
        assert any(p in (1, 2) for p in panel) and any(p in (5, 6) for p in panel)
        video_picks.update(p for p in panel if p in (1, 2))
    assert chi_square(video_picks, [1, 2], sum(video_picks.values())) < CHI2_001[1]


def test_a_field_nobody_has_is_named():
    with pytest.raises(DrawImpossible) as exc:
        draw_from_record("s", [1, 2, 3], 3, {1: ["software"], 2: [], 3: []}, ["video", "software"])
    assert exc.value.uncovered == ["video"]


def test_more_fields_than_seats_is_refused_when_no_expert_spans_them():
    fields = {1: ["video"], 2: ["data"], 3: ["finance"], 4: ["security"], 5: []}
    with pytest.raises(DrawImpossible) as exc:
        draw_from_record("s", [1, 2, 3, 4, 5], 3, fields, ["video", "data", "finance", "security"])
    assert exc.value.uncovered


def test_too_few_candidates():
    with pytest.raises(DrawImpossible):
        draw_from_record("s", [1, 2], 3, {1: [], 2: []}, [])


def _project(**kw):
    base = {
        "construction_kinds": [],
        "policy_code": "wendeng-2021",
        "has_video": False,
        "is_security": False,
        "is_classified": False,
        "is_cross_department": False,
        "adds_fixed_assets": False,
    }
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"construction_kinds": ["business_app"]}, [ExpertField.SOFTWARE]),
        (
            {"construction_kinds": ["business_app"], "has_video": True},
            [ExpertField.SOFTWARE, ExpertField.VIDEO],
        ),
        ({"construction_kinds": ["video_surveillance"]}, [ExpertField.VIDEO]),
        (
            {"construction_kinds": ["platform"], "is_security": True},
            [ExpertField.SOFTWARE, ExpertField.SECURITY],
        ),
        ({"is_classified": True}, [ExpertField.SECURITY]),
        ({"construction_kinds": ["data_exchange", "cloud_service"]}, [ExpertField.NETWORK, ExpertField.DATA]),
        ({"adds_fixed_assets": True}, [ExpertField.FINANCE]),
        (
            {"construction_kinds": ["business_app"], "policy_code": "gongshu-draft"},
            [ExpertField.SOFTWARE, ExpertField.DATA, ExpertField.FINANCE],
        ),
        ({"policy_code": "fangchenggang-2022"}, [ExpertField.SECURITY, ExpertField.DATA]),
        ({}, []),
    ],
)
def test_fields_needed(kw, expected):
    assert fields_needed(_project(**kw)) == [f for f in ExpertField if f in expected]
