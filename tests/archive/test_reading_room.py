"""The reading room (档案阅览室, issue 15 §4) and the addenda (补记, §1): archived projects browsed by year,
department and policy with counts; one project read as one chronological record with its chain's verification;
Excel exports with text as text; who may read what; a correction recorded as an addendum, shown, and exported."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from archive.models import Addendum
from core.enums import OrganisationKind, Role
from core.models import ExportJob, TimelineEntry
from core.verification import timeline_check_record
from projects.enums import ProjectState
from tests.archive.conftest import archived_project
from tests.core.tampering import behind_the_triggers
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOM = "/archive/reading-room/"


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader(world):
    office = OrganisationFactory(
        jurisdiction=world.jurisdiction, kind=OrganisationKind.EXTERNAL, name="区政府办公室"
    )
    return UserFactory(username="leader", role=Role.LEADER, organisation=office)


@pytest.fixture
def archived_pair(world, archived):
    """Two archived projects of two departments and two years."""
    return archived, archived_project(world, world.dept2, name="卫生健康数据平台", year=archived.year + 1)


def test_the_reading_room_lists_archived_projects_with_facets(world, archived_pair, leader):
    first, second = archived_pair
    in_progress = world.project_in_state(ProjectState.DECLARED, name="尚在申报的项目")
    for user in (world.auditor, world.bdc, world.finance, leader):
        page = page_client(user).get(ROOM)
        assert page.status_code == 200
        text = page.content.decode()
        assert first.name in text and second.name in text and in_progress.name not in text
        facets = page.context["facets"]
        assert {f["value"]: f["count"] for f in facets["year"]} == {first.year: 1, second.year: 1}
        assert {f["label"]: f["count"] for f in facets["organisation"]} == {
            "区教育和体育局": 1,
            "区卫生健康局": 1,
        }
        assert [f["count"] for f in facets["policy"]] == [2]
    # A filter narrows the list; the other facets count within it, its own keeps the choices open.
    page = page_client(world.auditor).get(ROOM, {"organisation": world.dept2_org.pk})
    assert [p.pk for p in page.context["page"]] == [second.pk]
    assert {f["value"]: f["count"] for f in page.context["facets"]["year"]} == {second.year: 1}
    assert len(page.context["facets"]["organisation"]) == 2
    # A department sees its own archive only.
    page = page_client(world.dept2).get(ROOM)
    assert [p.pk for p in page.context["page"]] == [second.pk]


def test_who_may_not_read_a_project_gets_404_and_other_roles_403(world, archived):
    url = f"{ROOM}{archived.pk}/"
    assert page_client(world.dept2).get(url).status_code == 404  # another department's
    assert page_client(world.dept2).get(f"{url}export.xlsx").status_code == 404
    for user in (world.supervisor, world.experts[0].user, world.fgw, world.sysadmin):
        assert page_client(user).get(url).status_code == 403
        assert page_client(user).get(ROOM).status_code == 403
    declared = world.project_in_state(ProjectState.DECLARED)
    assert page_client(world.auditor).get(f"{ROOM}{declared.pk}/").status_code == 404  # not archived
    assert Client().get(url).status_code == 302  # to the login


def test_a_project_reads_as_one_chronological_record_with_its_chain(world, archived, leader):
    check = timeline_check_record(by=world.auditor)
    assert str(archived.pk) not in check.broken
    for user in (world.auditor, world.dept, leader):
        response = page_client(user).get(f"{ROOM}{archived.pk}/")
        assert response.status_code == 200
        text = response.content.decode()
        steps = response.context["steps"]
        # Every entry once, in order, grouped under the state it was made in; the state changes in between.
        seqs = [e.seq for s in steps for e in s.entries]
        assert (
            seqs == sorted(seqs) == list(range(1, TimelineEntry.objects.filter(project=archived).count() + 1))
        )
        assert [s.state for s in steps][:3] == [
            ProjectState.DRAFT,
            ProjectState.DECLARED,
            ProjectState.REVIEWING,
        ]
        assert steps[-2].state == ProjectState.EVALUATION and steps[-1].state == ProjectState.ARCHIVED
        assert "链校验通过" in text and "当时的规则核验" in text
        for letter in archived.letters.all():
            assert letter.number in text
    versions = response.context["versions"]
    assert versions and all(f"v{v.number}" in text for v in versions)
    # Verified on request, now.
    response = page_client(world.auditor).get(f"{ROOM}{archived.pk}/", {"verify": "1"})
    assert response.context["verification"].live and response.context["verification"].intact
    assert "链校验通过" in response.content.decode() and "刚刚核验" in response.content.decode()


def test_a_broken_chain_is_shown_as_broken(world, archived):
    last = TimelineEntry.objects.filter(project=archived).order_by("-seq").first()
    with behind_the_triggers() as cursor:  # as a database superuser would, behind the platform's back
        cursor.execute("UPDATE core_timelineentry SET comment = %s WHERE id = %s", ["事后改写", last.pk])
    response = page_client(world.auditor).get(f"{ROOM}{archived.pk}/", {"verify": "1"})
    assert not response.context["verification"].intact
    assert "链校验未通过" in response.content.decode()


def test_the_reading_room_queries_stay_constant(world, archived, django_assert_max_num_queries):
    client = page_client(world.auditor)

    def counted(url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one_list, one_page = counted(ROOM), counted(f"{ROOM}{archived.pk}/")
    # Many projects, and on the one project many more entries, documents and addenda.
    archived_project(world, world.dept2, name="第二个")
    archived_project(world, name="第三个", year=archived.year + 1)
    for n in range(3):
        world.act(
            archived,
            "add_addendum",
            world.bdc,
            {"text": f"补记{n}"},
            {"file": SimpleUploadedFile(f"a{n}.pdf", b"%PDF-1.4\n%%EOF\n")},
        )
    assert counted(ROOM) == one_list
    assert counted(f"{ROOM}{archived.pk}/") == one_page
    with django_assert_max_num_queries(one_page):
        client.get(f"{ROOM}{archived.pk}/")


def test_the_list_export_is_built_in_the_background_with_the_filters_of_the_page(
    world, archived_pair, django_capture_on_commit_callbacks
):
    first, _second = archived_pair
    client = page_client(world.auditor)
    # An old link to the export leads back to the list with its filters.
    old = client.get(f"{ROOM}export.xlsx", {"year": first.year})
    assert old.status_code == 302 and old["Location"] == f"{ROOM}?year={first.year}"
    page = client.get(ROOM, {"year": first.year}).content.decode()
    assert f'name="year" value="{first.year}"' in page and 'id="room-export"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the task runs inline here (eager)
        response = client.post(f"{ROOM}export.xlsx", {"year": first.year})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.name, job.params, job.status) == (
        "reading_room",
        {"year": first.year, "user_id": world.auditor.pk},
        ExportJob.Status.READY,
    )
    download = client.get(f"/exports/{job.pk}/download/")
    rows = list(
        load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][0].endswith("档案目录") and f"{first.year}年度" in rows[1][0]
    assert rows[2][:3] == ("项目编号", "项目名称", "申报单位")
    assert [r[:2] for r in rows[3:]] == [(first.code, first.name)]  # the other year's project left out
    assert job.rows_done == job.rows_total == 1
    # Only the one who asked downloads it; a role outside the reading room may not ask.
    assert page_client(world.bdc).get(f"/exports/{job.pk}/download/").status_code == 404
    assert page_client(world.experts[0].user).post(f"{ROOM}export.xlsx").status_code == 403
    assert client.post(f"{ROOM}export.xlsx", {"year": "abc"}).status_code == 400
    assert ExportJob.objects.count() == 1


def test_a_department_exports_only_its_own_archive(world, archived_pair, django_capture_on_commit_callbacks):
    first, _second = archived_pair  # first is world.dept's, second world.dept2's
    with django_capture_on_commit_callbacks(execute=True):
        page_client(world.dept).post(f"{ROOM}export.xlsx")
    job = ExportJob.objects.get()
    with job.file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows] == [first.code]


def test_the_excel_exports_hold_the_list_and_the_record_as_text(
    world, archived, django_capture_on_commit_callbacks
):
    client = page_client(world.auditor)
    world.act(archived, "add_addendum", world.bdc, {"text": '=HYPERLINK("http://x")更正批复金额'})
    archived.name = '=HYPERLINK("http://x")'
    archived.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{ROOM}export.xlsx")
    with ExportJob.objects.get().file.open("rb") as handle:
        sheet = load_workbook(handle).active
    assert (
        sheet.cell(row=4, column=2).value.startswith("'=HYPERLINK")
        and sheet.cell(row=4, column=2).data_type == "s"
    )
    response = client.get(f"{ROOM}{archived.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["时间线", "文档", "发文", "补记"]
    timeline = list(book["时间线"].iter_rows(values_only=True))
    assert len(timeline) - 1 == TimelineEntry.objects.filter(project=archived).count()
    addenda = list(book["补记"].iter_rows(values_only=True))
    assert addenda[1][2].startswith("'=HYPERLINK")  # a formula is written as text
    assert book["补记"].cell(row=2, column=3).data_type == "s"


def test_an_addendum_is_recorded_shown_and_exported(world, archived, api, django_capture_on_commit_callbacks):
    url = f"/api/v1/projects/{archived.pk}/actions/add_addendum/"
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    attachment = SimpleUploadedFile("更正说明.pdf", content, content_type="application/pdf")
    response = api(world.bdc).post(
        url, {"text": "批复金额应为 95.00 万元，见附件。", "file": attachment}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["file"] == "更正说明.pdf" and body["sha256"]
    addendum = Addendum.objects.get(pk=body["id"])
    entry = TimelineEntry.objects.filter(project=archived).order_by("-seq").first()
    assert (entry.action, entry.comment, entry.from_state, entry.to_state) == (
        "archive.addendum.add",
        "批复金额应为 95.00 万元，见附件。",
        "",
        "",
    )
    assert entry.documents[0]["sha256"] == addendum.sha256
    archived.refresh_from_db()
    assert archived.state == ProjectState.ARCHIVED
    # The department adds to its own project; not another's; the auditor adds nothing.
    assert (
        api(world.dept).post(url, {"text": "补充：验收资料第3项页码更正。"}, format="json").status_code == 201
    )
    assert api(world.dept2).post(url, {"text": "x"}, format="json").status_code == 404
    assert api(world.auditor).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(world.bdc).post(url, {"text": "  "}, format="json").status_code == 400
    # Shown on the project page and in the reading room.
    for page in (f"/projects/{archived.pk}/", f"{ROOM}{archived.pk}/"):
        text = page_client(world.auditor).get(page).content.decode()
        assert (
            "批复金额应为 95.00 万元" in text and "更正说明.pdf" in text and "验收资料第3项页码更正" in text
        )
    # Only on an archived project: before, corrections are edits of the record's own.
    evaluation = world.project_in_state(ProjectState.EVALUATION)
    response = api(world.bdc).post(
        f"/api/v1/projects/{evaluation.pk}/actions/add_addendum/", {"text": "x"}, format="json"
    )
    assert response.status_code == 409
    # The package carries both, the file under addenda/, all in the manifest.
    with django_capture_on_commit_callbacks(execute=True):
        package = api(world.auditor).post(
            f"/api/v1/projects/{archived.pk}/actions/export_archive/", {}, format="json"
        )
    status = api(world.auditor).get(f"/api/v1/archive-packages/{package.json()['id']}/").json()
    data = b"".join(api(world.auditor).get(status["download_url"]).streaming_content)
    zipped = zipfile.ZipFile(io.BytesIO(data))
    manifest = {f["path"] for f in json.loads(zipped.read("manifest.json"))["files"]}
    addenda = json.loads(zipped.read("addenda.json"))
    assert [a["text"] for a in addenda] == [
        "批复金额应为 95.00 万元，见附件。",
        "补充：验收资料第3项页码更正。",
    ]
    assert (
        addenda[0]["file"] == "addenda/1-更正说明.pdf"
        and {"addenda.json", "addenda/1-更正说明.pdf"} <= manifest
    )
    assert zipped.read("addenda/1-更正说明.pdf") == content


def test_the_list_export_over_the_api(world, archived_pair, api, django_capture_on_commit_callbacks):
    first, _second = archived_pair
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.finance).post(
            "/api/v1/exports/reading_room/", {"year": first.year}, format="json"
        )
    assert response.status_code == 202, response.json()
    job = api(world.finance).get(f"/api/v1/exports/jobs/{response.json()['id']}/").json()
    assert job["status"] == "ready" and job["rows_total"] == 1
    download = api(world.finance).get(job["file_url"])
    assert download.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(
            min_row=4, values_only=True
        )
    )
    download.close()
    assert [r[0] for r in rows] == [first.code]
    assert (
        api(world.finance).post("/api/v1/exports/reading_room/", {"year": "x"}, format="json").status_code
        == 400
    )
    assert api(world.supervisor).post("/api/v1/exports/reading_room/", {}, format="json").status_code == 403
