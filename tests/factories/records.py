"""Records put in place directly, for the tests of a rule at its edge that need a panel or an opinion of an
exact shape (three named experts, an insider on the panel, an opinion that later one replaces). The portal
itself has no door for these: in it a panel is drawn (`draw_panel`) and an opinion consolidated from the
experts' score sheets (`consolidate_opinion`); the walks through those doors are `World.project_in_state` and
tests/walks. Each record is written on the project's timeline as a service would write it."""

from django.db import transaction

from core.timeline import timeline_append
from projects.locks import project_lock
from reviews.models import PanelMember, ReviewOpinion


def panel_assign(*, project, by, experts) -> list[PanelMember]:
    """A panel of exactly these experts, as if drawn on paper before the portal went live."""
    with transaction.atomic():
        locked = project_lock(project.pk, by)
        PanelMember.objects.filter(project=locked, active=True).update(active=False)
        members = [PanelMember.objects.create(project=locked, expert=e, assigned_by=by) for e in experts]
        timeline_append(
            project=locked,
            action="tests.panel.assign",
            label="组建评审专家组（测试数据）",
            actor=by,
            data={"experts": [str(e) for e in experts]},
        )
    return members


def opinion_record(*, project, by, conclusion: str, summary: str, document_version=None) -> ReviewOpinion:
    """A review opinion of this conclusion, optionally citing a PDF already stored as the 评审意见 document."""
    with transaction.atomic():
        locked = project_lock(project.pk, by)
        opinion = ReviewOpinion.objects.create(
            project=locked, conclusion=conclusion, summary=summary, document=document_version, issued_by=by
        )
        timeline_append(
            project=locked,
            action="tests.opinion.record",
            label="评审意见（测试数据）",
            actor=by,
            comment=summary,
            data={"conclusion": conclusion},
            documents=[document_version.as_record()] if document_version else [],
        )
    return opinion
