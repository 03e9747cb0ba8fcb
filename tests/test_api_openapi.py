"""The OpenAPI schema tells clients and fuzzers the truth: every operation lists the error
codes it can answer, every list pages the same way, and every request body refuses
unknown fields and bounds its text."""

import pytest

from linkwork.api import api


@pytest.fixture(scope="module")
def schema() -> dict:
    return api.get_openapi_schema()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_operation_lists_its_error_codes_with_the_error_schema(schema):
    for method, path, operation in operations(schema):
        codes = {int(code) for code in operation["responses"]}
        expected = {401, 403, 422}
        if "{" in path:
            expected.add(404)
        if method in ("post", "put", "patch"):
            expected |= {409, 413}
        assert expected <= codes, (method, path, codes)
        for code in expected:
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"] and "errors" in error["properties"]


def test_every_list_is_documented_as_a_page(schema):
    lists = []
    for method, path, operation in operations(schema):
        if method != "get":
            continue
        ok = resolve(schema, operation["responses"][200]["content"]["application/json"]["schema"])
        if method == "get" and "items" in ok.get("properties", {}):
            lists.append(path)
            assert set(ok["required"]) == {"items", "total", "page", "per_page", "next"}
            names = {p["name"]: p["schema"] for p in operation["parameters"]}
            assert (names["page"]["minimum"], names["per_page"]["maximum"]) == (1, 200), path
            assert names["per_page"]["default"] == 50
        elif method == "get":
            assert ok.get("type") != "array", f"{path} answers a bare list"
    assert {
        "/api/v1/referrals",
        "/api/v1/connections",
        "/api/v1/follow-ups",
        "/api/v1/services",
        "/api/v1/insight/gaps",
        "/api/v1/referrals/{referral_id}/responses",
    } <= set(lists)


def _body_schemas(schema: dict, node: dict, seen: set):
    node = resolve(schema, node)
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node
    for prop in node.get("properties", {}).values():
        for option in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
            if "$ref" in option:
                yield from _body_schemas(schema, option, seen)


def _strings(prop: dict):
    for option in [prop, *prop.get("anyOf", [])]:
        if option.get("type") == "string" and "enum" not in option and "format" not in option:
            yield option
        if option.get("type") == "array":
            yield from _strings(option.get("items", {}))
        if option.get("type") == "object" and isinstance(option.get("additionalProperties"), dict):
            yield from _strings(option["additionalProperties"])


def test_every_request_body_refuses_unknown_fields_and_bounds_its_text(schema):
    for method, path, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        for model in _body_schemas(schema, body, set()):
            assert model.get("additionalProperties") is False, (path, model.get("title"))
            for name, prop in model["properties"].items():
                for text in _strings(prop):
                    assert text.get("maxLength", 0) > 0, (method, path, name)
                for option in [prop, *prop.get("anyOf", [])]:
                    if option.get("type") == "array":
                        assert option.get("maxItems"), (method, path, name)
