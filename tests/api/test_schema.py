import yaml
from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/policies/",
        "/api/v1/document-kinds/",
        "/api/v1/construction-kinds/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/projects/{id}/documents/",
        "/api/v1/projects/{id}/resources/",
        "/api/v1/projects/{id}/transitions/",
        "/api/v1/projects/{id}/transitions/{name}/",
        "/api/v1/projects/{id}/timeline/",
        "/api/v1/workdays/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/projects/{id}/transitions/{name}/"]["post"]["responses"]) >= {
        "200",
        "400",
        "403",
        "404",
        "409",
    }
    assert (
        "multipart/form-data" in paths["/api/v1/projects/{id}/documents/"]["post"]["requestBody"]["content"]
    )
    assert paths["/api/v1/auth/token/"]["post"].get("security", []) in ([], [{}])  # no credentials needed
    assert paths["/api/v1/projects/"]["post"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_schema_endpoint_serves(world, api):
    response = api(world.dept).get("/api/v1/schema/")
    assert response.status_code == 200
