"""The BDC's pre-review (预审) of a declared project."""

from django.db import transaction

from core.errors import InvalidInput
from core.timeline import timeline_append
from projects.enums import ProjectState

from ..models import PreReview
from ._common import _lock


def prereview_record(*, project, by, passed: bool, opinion: str) -> PreReview:
    if not (opinion or "").strip():
        raise InvalidInput("请填写预审意见。")
    with transaction.atomic():
        locked = _lock(project, by, {ProjectState.DECLARED}, "预审")
        pre = PreReview.objects.create(project=locked, passed=passed, opinion=opinion.strip(), by=by)
        timeline_append(
            project=locked,
            action="reviews.prereview.record",
            label="预审",
            actor=by,
            comment=pre.opinion,
            data={"passed": passed},
        )
    return pre
