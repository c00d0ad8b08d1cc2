"""The OpenAPI schema's refusals, stated once for every operation (drf-spectacular's POSTPROCESSING_HOOKS).

A view declares the refusals that are its own (the 409 of a rule, the 403 of a read only some roles make);
what every operation of a kind may answer is added here, each with the JSON error body of core.api:

- 400 when it reads a body or query parameters (malformed JSON, a value out of range);
- 401 when it needs credentials (none, or a token expired);
- 403 when it needs credentials and changes something (a role that may not; a browser session without its
  CSRF token);
- 404 when its address names a record (missing, or not the caller's to see);
- 406 always (an Accept header that excludes JSON: the API answers nothing else);
- 415 when it reads a body (a content type it does not parse).

An optional query parameter sent empty (`?state=`) counts as absent, as the list filters read it, so the schema
says `allowEmptyValue`. Text is read with its blanks trimmed and without NUL characters, so the schema's
patterns say a text field holds no NUL and, where it may not be blank, a character that is not a blank."""

ERROR = {
    "type": "object",
    "description": "错误：detail 为中文说明；按情形另有字段（如 errors、checks）。",
    "properties": {"detail": {"type": "string", "description": "中文说明"}},
    "required": ["detail"],
}
INVALID_INPUT = {
    "type": "object",
    "description": "请求内容有误：detail 为中文说明，errors 按字段列出。",
    "properties": {
        "detail": {"type": "string", "description": "中文说明"},
        "errors": {"type": "object", "additionalProperties": {}, "description": "按字段列出的错误"},
    },
    "required": ["detail"],
}
DESCRIPTIONS = {
    "400": "请求内容有误（格式、取值或必填项）",
    "401": "未登录，或令牌无效、已过期",
    "403": "无权执行此操作",
    "404": "不存在或无权查看",
    "406": "请求头 Accept 不接受 JSON",
    "409": "当前状态或规则不允许",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁",
}
UNSAFE = frozenset({"post", "put", "patch", "delete"})
METHODS = UNSAFE | {"get", "head", "options", "trace"}


def _error(code: str, component: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _secured(operation: dict, default: list) -> bool:
    security = operation.get("security", default)
    return bool(security) and {} not in security


# What str.strip() removes (the fields trim their input), spelled out: JSON Schema's \\s is not Python's.
BLANKS = r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL = r"^[^\u0000]*$"  # text never holds NUL (PostgreSQL cannot store it; the fields refuse it)
NOT_BLANK = rf"^[^\u0000]*[^\u0000{BLANKS}][^\u0000]*$"


def _text(schema) -> None:
    """Every text field a client sends: no NUL, and not blanks alone where it may not be blank (minLength 1)."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema):
        schema["pattern"] = NOT_BLANK if schema.get("minLength") == 1 else NO_NUL
    for value in schema.get("properties", {}).values():
        _text(value)
    if isinstance(schema.get("items"), dict):
        _text(schema["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        for value in schema.get(key, []):
            _text(value)


def error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: what clients send
            _text(component)
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("InvalidInput", INVALID_INPUT)
    default_security = result.get("security", [])
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                if parameter.get("in") == "query":
                    _text(parameter.get("schema"))
                    if not parameter.get("required"):
                        parameter["allowEmptyValue"] = True
            body = "requestBody" in operation
            query = any(p.get("in") == "query" for p in parameters)
            named = any(p.get("in") == "path" for p in parameters)
            secured = _secured(operation, default_security)
            wanted = {
                "400": body or query,
                "401": secured,
                "403": secured and method in UNSAFE,
                "404": named,
                "406": True,
                "415": body,
            }
            responses = operation.setdefault("responses", {})
            for code, applies in wanted.items():
                if applies and code not in responses:
                    responses[code] = _error(code, "InvalidInput" if code == "400" else "Error")
            for code, response in responses.items():
                if code[0] in "45" and "content" in response:  # errors are JSON whatever the success is
                    response["content"] = {
                        "application/json": response["content"].get("application/json")
                        or {"schema": {"$ref": "#/components/schemas/Error"}}
                    }
    return result
