"""Finance's draw of the year's sample for re-evaluation, as a pure function of what the SampleDraw keeps.

How a draw works (algorithm ``hmac-sha256-fisher-yates-sample-v1``), so that anyone can check it by hand:

1. The candidates are the ids, in ascending order, of the jurisdiction's projects whose self-evaluation
   (绩效自评价) is dated in the year.
2. They are shuffled by the stream and the Fisher–Yates shuffle of the expert draw (`reviews.draws`: block *k*
   is HMAC-SHA256(key = the seed's UTF-8 bytes, message = *k* as 8 bytes big-endian), four 64-bit words each,
   rejection for an unbiased number below *n*).
3. The sample is the first `size` projects of the shuffled order, in that order.

Every candidate is equally likely to be drawn."""

from collections.abc import Sequence

from reviews.draws import shuffled

ALGORITHM = "hmac-sha256-fisher-yates-sample-v1"


def sample_from_record(seed: str, candidates: Sequence[int], size: int) -> list[int]:
    """The projects (ids, in the order drawn) that a draw with these inputs gives."""
    candidates = [int(c) for c in candidates]
    if candidates != sorted(set(candidates)):
        raise ValueError("候选项目须按编号升序排列且不重复。")
    if not 1 <= size <= len(candidates):
        raise ValueError(f"抽取数量须在1至{len(candidates)}之间。")
    return shuffled(seed, candidates)[:size]
