"""core.batches.first_admitted: the first rows a Python check admits, read a batch at a time."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.batches import first_admitted
from core.models import Organisation


def _organisations(world, n):
    return [
        Organisation.objects.create(name=f"测试单位{i:02d}", jurisdiction=world.dept_org.jurisdiction)
        for i in range(n)
    ]


def test_reads_until_enough_are_admitted(world):
    made = _organisations(world, 12)
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in made]).order_by("pk")
    odd = {o.pk for o in made[1::2]}
    with CaptureQueriesContext(connection) as captured:
        found = first_admitted(queryset, lambda o: o.pk in odd, 3)
    assert [o.pk for o in found] == sorted(odd)[:3]
    assert len(captured) == 2  # 3 rows admit 1, the next 3 admit 2 more: two batches, no third


def test_stops_when_the_rows_run_out(world):
    made = _organisations(world, 5)
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in made]).order_by("pk")
    assert [o.pk for o in first_admitted(queryset, lambda o: o.pk == made[-1].pk, 2)] == [made[-1].pk]
    assert first_admitted(queryset, lambda o: False, 2) == []
    assert len(first_admitted(queryset, lambda o: True, 10)) == 5
