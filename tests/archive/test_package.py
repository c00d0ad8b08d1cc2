"""The archive package: exported through the `export_archive` action over HTTP, built, downloaded, opened and
read back; verified; and every change to it — one byte in one file, a file removed or added, a manifest
rewritten to match — named by the verification."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from archive.models import ArchivePackage
from archive.services import package_verify
from core.models import TimelineEntry

pytestmark = pytest.mark.django_db


def export(api, user, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(user).post(f"/api/v1/projects/{project.pk}/actions/export_archive/", {}, format="json")
    return response


@pytest.fixture
def package_zip(world, api, archived, django_capture_on_commit_callbacks):
    response = export(api, world.auditor, archived, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.json()
    body = api(world.auditor).get(f"/api/v1/archive-packages/{response.json()['id']}/").json()
    assert (body["status"], body["progress"]) == ("ready", 100)
    download = api(world.auditor).get(body["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    return b"".join(download.streaming_content)


def _rewrite(data: bytes, change) -> bytes:
    """The package with its members passed through `change(name, bytes) -> bytes | None` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def test_the_package_holds_the_whole_record_and_its_manifest(world, archived, package_zip):
    archive = zipfile.ZipFile(io.BytesIO(package_zip))
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest) == {"project", "created_at", "files"} and manifest["project"] == archived.code
    names = {info.filename for info in archive.infolist()}
    assert names - {"manifest.json"} == {item["path"] for item in manifest["files"]}
    for item in manifest["files"]:
        content = archive.read(item["path"])
        assert len(content) == item["size"]
        assert hashlib.sha256(content).hexdigest() == item["sha256"]
        assert hashlib.new("sm3", content).hexdigest() == item["sm3"]

    timeline = json.loads(archive.read("timeline.json"))
    entries = TimelineEntry.objects.filter(project=archived).exclude(action="archive.package.ready")
    assert timeline["verification"] == []
    assert [e["seq"] for e in timeline["entries"]] == list(
        entries.order_by("seq").values_list("seq", flat=True)
    )
    assert [e["to_state"] for e in timeline["entries"] if e["to_state"]][-1] == "archived"

    versions = archived.documents.values_list("versions__sha256", flat=True)
    documents = [item for item in manifest["files"] if item["path"].startswith("documents/")]
    assert sorted(d["sha256"] for d in documents) == sorted(versions)
    letters = json.loads(archive.read("letters.json"))
    assert letters and all(letter["pdf"] in names for letter in letters)
    reviews = json.loads(archive.read("records/reviews.json"))
    assert {"reviews.PreReview", "reviews.ReviewOpinion"} <= set(reviews)
    assert reviews["reviews.ReviewOpinion"][0]["display"].startswith("评审意见")
    # The bidding, supervision and acceptance records.
    assert json.loads(archive.read("records/acceptance.json"))

    pdf = PdfReader(io.BytesIO(archive.read("timeline.pdf")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert archived.code in text and "项目时间线" in text and "提交申报" in text


def test_the_manifest_digest_is_on_the_timeline(world, archived, package_zip):
    manifest = zipfile.ZipFile(io.BytesIO(package_zip)).read("manifest.json")
    entry = TimelineEntry.objects.filter(project=archived, action="archive.package.ready").get()
    assert entry.data["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
    assert entry.data["manifest_sm3"] == hashlib.new("sm3", manifest).hexdigest()
    assert entry.actor == world.auditor
    assert TimelineEntry.objects.filter(project=archived, action="archive.package.request").count() == 1


def test_an_intact_package_verifies_against_the_platform(archived, package_zip):
    check = package_verify(io.BytesIO(package_zip))
    assert check.intact, check.problems
    assert check.recorded.project == archived and check.project == archived.code


def test_one_byte_changed_in_one_file_is_named(package_zip):
    target = next(
        n for n in zipfile.ZipFile(io.BytesIO(package_zip)).namelist() if n.startswith("documents/")
    )

    def flip(name, content):
        return content[:-1] + bytes([content[-1] ^ 1]) if name == target else content

    check = package_verify(io.BytesIO(_rewrite(package_zip, flip)))
    assert check.problems == [f"文件与清单不符：{target}（SHA-256 不符）"]


def test_a_removed_file_and_an_added_file_are_named(package_zip):
    tampered = _rewrite(package_zip, lambda name, content: None if name == "letters.json" else content)
    assert package_verify(io.BytesIO(tampered)).problems == ["缺少文件：letters.json"]
    with zipfile.ZipFile(buffer := io.BytesIO(package_zip), "a") as archive:
        archive.writestr("documents/补充.pdf", b"%PDF-1.4 later")
    assert package_verify(io.BytesIO(buffer.getvalue())).problems == ["清单未列出的文件：documents/补充.pdf"]


def test_a_manifest_rewritten_to_match_a_changed_file_is_named(package_zip):
    """Change timeline.json, then fix its size and digests in the manifest: the files match the manifest, but
    the manifest is not the one on the project's timeline."""
    forged = b'{"entries": []}'

    def forge(name, content):
        if name == "timeline.json":
            return forged
        if name == "manifest.json":
            manifest = json.loads(content)
            for item in manifest["files"]:
                if item["path"] == "timeline.json":
                    item.update(size=len(forged), sha256=hashlib.sha256(forged).hexdigest())
                    item["sm3"] = hashlib.new("sm3", forged).hexdigest()
            return json.dumps(manifest).encode()
        return content

    check = package_verify(io.BytesIO(_rewrite(package_zip, forge)))
    assert check.problems == ["清单的摘要不在本平台的记录中：清单被改动过，或这不是本平台生成的归档包。"]
    assert package_verify(io.BytesIO(_rewrite(package_zip, forge)), against_platform=False).intact


def test_what_is_not_a_package_is_said_so():
    assert package_verify(io.BytesIO(b"not a zip")).problems == ["不是有效的归档包：不是有效的 zip 文件。"]
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    assert "没有 manifest.json" in package_verify(empty).problems[0]


def test_the_command_verifies_and_exits_1_on_a_change(tmp_path, package_zip, capsys):
    good = tmp_path / "good.zip"
    good.write_bytes(package_zip)
    call_command("archive_verify", str(good))
    assert "均与清单相符" in capsys.readouterr().out
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_rewrite(package_zip, lambda name, content: None if name == "project.json" else content))
    with pytest.raises(SystemExit) as exit_:
        call_command("archive_verify", str(good), str(bad))
    assert exit_.value.code == 1
    assert "缺少文件：project.json" in capsys.readouterr().err


# ---- who may ------------------------------------------------------------------------------------------


def test_who_may_export(world, api, archived, django_capture_on_commit_callbacks):
    for user, status in (
        (world.finance, 403),
        (world.supervisor, 404),  # does not supervise it: the project is not there for it
        (world.dept2, 404),  # another department's project
        (world.fgw, 403),
    ):
        assert export(api, user, archived, django_capture_on_commit_callbacks).status_code == status, user
    assert ArchivePackage.objects.count() == 0
    assert export(api, world.dept, archived, django_capture_on_commit_callbacks).status_code == 201
    assert export(api, world.bdc, archived, django_capture_on_commit_callbacks).status_code == 201
    package = ArchivePackage.objects.filter(requested_by=world.dept).get()
    assert api(world.finance).get(f"/api/v1/archive-packages/{package.pk}/").status_code == 404
    assert api(world.dept2).get(f"/api/v1/archive-packages/{package.pk}/download/").status_code == 404
    assert api(None).get(f"/api/v1/archive-packages/{package.pk}/").status_code in (401, 403)


def test_a_draft_has_no_package(world, api, django_capture_on_commit_callbacks):
    draft = world.project()
    response = export(api, world.dept, draft, django_capture_on_commit_callbacks)
    assert response.status_code == 409 and "导出归档包" in response.json()["detail"]


def test_the_project_page_lists_the_packages_in_constant_queries(
    world, archived, client, django_capture_on_commit_callbacks, api, django_assert_max_num_queries
):
    client.force_login(world.auditor)
    export(api, world.auditor, archived, django_capture_on_commit_callbacks)
    connection.queries_log.clear()  # the log keeps 9,000 queries; building the project took more
    with django_assert_max_num_queries(200) as one:
        page = client.get(f"/projects/{archived.pk}/").content.decode()
    first = len(one.captured_queries)
    assert 'id="archive"' in page and "下载" in page and "导出归档包" in page
    for _ in range(4):
        export(api, world.auditor, archived, django_capture_on_commit_callbacks)
    connection.queries_log.clear()
    with django_assert_max_num_queries(first):
        client.get(f"/projects/{archived.pk}/")
