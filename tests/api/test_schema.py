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
        "/api/v1/projects/{id}/transitions/approve/",
        "/api/v1/projects/{id}/timeline/",
        "/api/v1/workdays/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/projects/{id}/transitions/approve/"]["post"]["responses"]) >= {
        "200",
        "400",
        "401",
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


def _schema(tmp_path) -> dict:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    return yaml.safe_load(target.read_text())


def test_every_operation_documents_its_refusals_as_json(tmp_path, db):
    schema = _schema(tmp_path)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            parameters = {p["in"] for p in operation.get("parameters", [])}
            secured = operation.get("security") not in (None, [], [{}])
            expected = {"406"}
            expected |= {"401"} if secured else set()
            expected |= {"404"} if "path" in parameters else set()
            expected |= {"400", "415"} if "requestBody" in operation else set()
            expected |= {"400"} if "query" in parameters else set()
            expected |= {"403"} if secured and method != "get" else set()
            assert codes >= expected, (method, path, sorted(expected - codes))
            for code, response in operation["responses"].items():
                if code[0] in "45" and "content" in response:
                    assert list(response["content"]) == ["application/json"], (method, path, code)


def test_each_transition_has_its_own_body(tmp_path, db):
    from projects.transitions import TRANSITIONS

    schema = _schema(tmp_path)
    for name, spec in TRANSITIONS.items():
        operation = schema["paths"][f"/api/v1/projects/{{id}}/transitions/{name}/"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(body["properties"]) == set(spec.form.base_fields), name
        required = {f for f, field in spec.form.base_fields.items() if field.required}
        assert set(body.get("required", [])) == required, name
    assert "/api/v1/projects/{id}/transitions/{name}/" not in schema["paths"]  # an unknown name: 404


def test_the_list_filters_say_an_empty_value_is_no_filter(tmp_path, db):
    schema = _schema(tmp_path)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert all(parameters[name]["allowEmptyValue"] for name in ("state", "year", "q", "limit", "offset"))
    assert parameters["limit"]["schema"]["minimum"] == 1
