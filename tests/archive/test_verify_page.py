"""The page where an auditor drops a package: the result, nothing stored, and who may use it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db
URL = "/archive/verify/"


@pytest.fixture
def package(world, api, archived, django_capture_on_commit_callbacks):
    project = archived
    with django_capture_on_commit_callbacks(execute=True):
        created = api(world.auditor).post(
            f"/api/v1/projects/{project.pk}/actions/export_archive/", {}, format="json"
        )
    download = api(world.auditor).get(f"/api/v1/archive-packages/{created.json()['id']}/download/")
    return project, b"".join(download.streaming_content)


def test_the_auditor_drops_a_package_and_reads_the_result(client, world, package):
    project, data = package
    client.force_login(world.auditor)
    assert "核验归档包" in client.get(URL).content.decode()
    page = client.post(URL, {"package": SimpleUploadedFile("p.zip", data)}).content.decode()
    assert "完好" in page and project.code in page and "归档包 #" in page

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "timeline.pdf":
                target.writestr(info, source.read(info))
    page = client.post(URL, {"package": SimpleUploadedFile("p.zip", out.getvalue())}).content.decode()
    assert "发现问题" in page and "缺少文件：timeline.pdf" in page


def test_bad_input_is_a_clear_4xx(client, world):
    client.force_login(world.auditor)
    response = client.post(URL, {})
    assert response.status_code == 400 and "请选择要核验的归档包" in response.content.decode()
    page = client.post(URL, {"package": SimpleUploadedFile("x.zip", b"plain text")}).content.decode()
    assert "不是有效的 zip 文件" in page


@pytest.mark.parametrize("role", ["dept", "finance", "supervisor", "fgw"])
def test_other_roles_are_refused(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"package": SimpleUploadedFile("x.zip", b"PK")}).status_code == 403
