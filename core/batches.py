"""Reading a queryset a batch at a time, for the pages that show the first few rows a Python check admits."""

from collections.abc import Callable, Iterable


def first_admitted(queryset, admits: Callable[[object], bool], limit: int) -> list:
    """The first `limit` rows of `queryset` (ordered by `pk`) for which `admits(row)` is true, read `limit` rows
    at a time by id until enough are found or the rows run out.

    Not `.iterator()`: PostgreSQL materialises a held server-side cursor's every row — thousands at a
    province's scale — before the first is read; a keyset batch reads only what is looked at."""
    found: list = []
    last = None
    while len(found) < limit:
        batch = list((queryset if last is None else queryset.filter(pk__gt=last))[:limit])
        found.extend(_admitted(batch, admits, limit - len(found)))
        if len(batch) < limit:
            break
        last = batch[-1].pk
    return found


def _admitted(rows: Iterable, admits, wanted: int) -> list:
    kept = []
    for row in rows:
        if len(kept) >= wanted:
            break
        if admits(row):
            kept.append(row)
    return kept
