"""Many BDC staff issuing at the same instant: every letter a number, none twice, none skipped."""

import pytest
from django.db import transaction

from core.letters import letter_issue
from core.models import Letter
from reviews.issuing import review_opinion_issue
from tests.concurrency import run_together

from .conftest import bdc_with_short_name, opinion_for

THREADS = 12


@pytest.fixture
def no_rendering(monkeypatch):
    """Numbering is what is under test here; the PDFs are left pending (their rendering has its own tests)."""
    import core.letters

    monkeypatch.setattr(core.letters, "letter_queue", lambda letter: None)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_get_distinct_gapless_numbers(no_rendering):
    from tests.factories import World

    world = World()
    bdc_with_short_name(world)
    opinions = [opinion_for(world, name=f"并发项目{i}") for i in range(THREADS)]

    results = run_together(THREADS, lambda i: review_opinion_issue(opinion=opinions[i], by=world.bdc))

    assert [kind for kind, _ in results] == ["ok"] * THREADS, [v for k, v in results if k == "error"]
    letters = Letter.objects.filter(kind="review_opinion")
    serials = sorted(letters.values_list("serial", flat=True))
    assert serials == list(range(1, THREADS + 1))
    numbers = list(letters.values_list("number", flat=True))
    assert len(set(numbers)) == THREADS
    assert {letter.source_id for letter in letters} == {o.pk for o in opinions}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_with_rollbacks_leave_no_gap(no_rendering):
    """Half the issuers' transactions roll back after taking a number: the numbers they took are given
    back, so the letters that remain are numbered 1…n without a hole."""
    from tests.factories import World

    world = World()
    bdc_with_short_name(world)
    project = opinion_for(world).project

    class Abandon(Exception):
        pass

    def work(i: int):
        with transaction.atomic():
            letter = letter_issue(
                project=project,
                kind=Letter.Kind.REVIEW_OPINION,
                organisation=world.bdc_org,
                addressee="区财政局",
                title=f"测试{i}",
                content={"body": []},
                by=world.bdc,
            )
            if i % 2:
                raise Abandon
        return letter.serial

    results = run_together(THREADS, work)

    kept = sorted(value for kind, value in results if kind == "ok")
    assert len(kept) == THREADS // 2
    assert all(isinstance(v, Abandon) for kind, v in results if kind == "error")
    assert sorted(Letter.objects.values_list("serial", flat=True)) == list(range(1, THREADS // 2 + 1))
