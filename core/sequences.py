from django.db import transaction

from .models import Sequence


def sequence_next(key: str) -> int:
    """The next number of the counter `key`: gapless and never repeated, even under concurrency.

    Must run inside the caller's transaction, so that a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must run inside transaction.atomic()")
    Sequence.objects.get_or_create(key=key)
    row = Sequence.objects.select_for_update().get(key=key)
    row.value += 1
    row.save(update_fields=["value"])
    return row.value
