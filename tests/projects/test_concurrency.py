"""Many people pressing the same button at once: the row lock lets exactly one through."""

import pytest

from core.errors import Conflict
from core.models import TimelineEntry
from core.verification import timeline_verify
from projects.enums import DocumentKind, ProjectState
from projects.models import DocumentVersion, Project
from projects.services import document_upload, project_transition
from tests.concurrency import run_together
from tests.factories import World, pdf_upload
from tests.factories.records import opinion_record

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_approvals_let_exactly_one_through():
    world = World()
    project = world.project_in_state(ProjectState.REVIEWING)
    version = document_upload(
        project=project, by=world.bdc, kind=DocumentKind.REVIEW_OPINION, file=pdf_upload("opinion.pdf")
    )
    opinion_record(
        project=project, by=world.bdc, conclusion="pass", summary="同意建设。", document_version=version
    )

    def approve(i: int):
        return project_transition(
            project_id=project.pk,
            name="approve",
            by=world.finance,
            data={
                **world.transition_data("approve"),
                "approved_amount": f"{100 + i}.00",
                "basis": f"财政评审意见{i}",
            },
        )

    results = run_together(THREADS, approve)

    successes = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(successes) == 1
    assert len(errors) == THREADS - 1
    assert all(type(e) is Conflict for e in errors), {type(e).__name__ for e in errors}
    assert all("已立项" in e.message for e in errors), errors[0].message
    stored = Project.objects.get(pk=project.pk)
    assert stored.state == ProjectState.APPROVED
    assert stored.approved_amount == successes[0].approved_amount
    approvals = TimelineEntry.objects.filter(project=project, action="projects.project.approve")
    assert approvals.count() == 1
    assert (approvals.get().from_state, approvals.get().to_state) == ("reviewing", "approved")
    assert timeline_verify(project_id=project.pk) == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_of_one_kind_get_versions_one_and_two():
    world = World()
    project = world.project_in_state(ProjectState.DRAFT)

    def upload(i: int):
        return document_upload(
            project=project,
            by=world.dept,
            kind=DocumentKind.CONSTRUCTION_PLAN,
            file=pdf_upload(f"plan-{i}.pdf"),
        )

    results = run_together(2, upload)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    versions = DocumentVersion.objects.filter(
        document__project=project, document__kind=DocumentKind.CONSTRUCTION_PLAN
    )
    assert sorted(versions.values_list("number", flat=True)) == [1, 2]
    assert versions.values("document_id").distinct().count() == 1
    assert sorted(v.original_name for v in versions) == ["plan-0.pdf", "plan-1.pdf"]
    uploads = TimelineEntry.objects.filter(project=project, action="projects.document.upload").order_by("seq")
    assert [e.documents[0]["number"] for e in uploads] == [1, 2]
    assert timeline_verify(project_id=project.pk) == []
