"""Bad input through every write route of the OpenAPI document: a clear 4xx, never a 500,
nothing written (issue #9 §3).

Generated from ``app.openapi()`` — no route is listed here, so a route added tomorrow is
covered tomorrow.  For every POST/PUT/PATCH/DELETE under ``/api/v1`` (tenant routes as a
user holding every tenant role, the others as the platform operator) and, for a body that
is a choice (the notifications' ``kind``), for every choice:

(a) an empty body (``{}`` / an empty form) — refused, unless the route is in
    :data:`EMPTY_BODY_IS_A_REQUEST` with the reason;
(b) every text item holding a lone surrogate (``"\\ud800"``; in a form, the bytes such an
    escape would be in WTF-8) — ``422 INPUT_LONE_SURROGATE`` for JSON;
(c) each text item in turn 100,000 characters long, everything else plausible — ``422``
    naming that item with its maximum length (every text item has one: ``kernel.fields``);
(d) each integer (body, path and query) 10**20 — a 4xx, not an overflow.

Each answer must be a 4xx with a stable UPPER_SNAKE ``code`` and a Japanese message, and no
table may change — not a row, not an audit entry: bad input is refused at the edge
(``web/input_guard.py``) or by the request's shape (pydantic with ``kernel.fields``) before
any service runs, so nothing is written and nothing is audited (the services' own refusals
— permission, 支援措置 — are audited, but those are not bad input).  Runs on SQLite and on
PostgreSQL (``make test`` runs both), where NUL and surrogates fail differently.
"""

from __future__ import annotations

import hashlib
import json
import re
from copy import deepcopy
from urllib.parse import quote_from_bytes

import pytest
from sqlalchemy import select

from municloud.kernel.db import Base

WRITE_METHODS = ("post", "put", "patch", "delete")
LONG = "x" * 100_000
SURROGATE = "\ud800"
SURROGATE_BYTES = b"\xed\xa0\x80"  # what "\ud800" would be in WTF-8: not UTF-8
HUGE = 10**20
CODE = re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+")
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")

EMPTY_BODY_IS_A_REQUEST = {
    ("post", "/api/v1/t/{tenant}/tax/{year}/assessments"):
        "the 当初賦課 of the whole city takes no parameters (a 更正 needs a reason: the service asks for it)",
    ("post", "/api/v1/t/{tenant}/tax/calc"):
        "a 試算 computes and writes nothing; an empty case is a person without income",
}
"""Write routes whose empty body is an ordinary request (case (a) does not apply)."""

NO_BODY = {
    ("post", "/api/v1/t/{tenant}/users/{username}/deactivate"): "the member is named in the path; nothing else to say",
    ("post", "/api/v1/users/{username}/deactivate"): "the account is named in the path; nothing else to say",
    ("post", "/api/v1/t/{tenant}/api-clients/{client_id}/revoke"): "the client is named in the path; nothing else to say",
    ("post", "/api/v1/t/{tenant}/support-measures/expiries"):
        "records every lapse up to today: the measures and the day come from the register, not the caller",
    ("post", "/api/v1/t/{tenant}/support-holds/{hold_no}/certificate"):
        "a released request is issued exactly as it was held (the hold holds the request)",
    ("post", "/api/v1/t/{tenant}/certificates/{issue_no}/receipt"):
        "the receipt prints what the 交付履歴 recorded for that 発行番号 (payer, fee, copies): nothing to add",
}
"""Write routes that legitimately take no body at all, with the reason.  A write
route without a request body that is not listed here fails the test: decide and say why."""

PLAUSIBLE_TEXT = {"name": "山田", "address": "長井市", "kana": "ヤマダ", "text": "1", "note": "1", "code": "1"}
PATH_VALUES = {"tenant": None, "year": "2026", "key": "registry.certificate.fee"}


# The OpenAPI document -------------------------------------------------------------------------


def resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def not_null(doc: dict, schema: dict) -> dict:
    schema = resolve(doc, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema and "discriminator" not in schema:
            options = [resolve(doc, s) for s in schema[key] if resolve(doc, s).get("type") != "null"]
            return not_null(doc, options[0])
    return schema


def fixed(schema: dict) -> bool:
    """A choice (enum / const): a plausible value is kept, never replaced by bad text."""
    return "enum" in schema or "const" in schema


def plausible(doc: dict, schema: dict):
    """A value the shape accepts (every property filled, lists with one item, dicts with one entry)."""
    schema = not_null(doc, schema)
    if fixed(schema):
        return schema["const"] if "const" in schema else schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date":
            return "2020-01-01"
        if schema.get("format") == "date-time":
            return "2020-01-01T00:00:00"
        if "contentMediaType" in schema or schema.get("format") == "binary":
            return b"x"
        return PLAUSIBLE_TEXT.get(schema.get("x-text-kind"), "1")
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [plausible(doc, schema.get("items", {}))]
    if kind == "object" or "properties" in schema:
        value = {name: plausible(doc, sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            value["0000000001"] = plausible(doc, extra)
        return value
    return "1"


def leaves(doc: dict, schema: dict, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, "string" | "integer") of every text item and integer the shape declares."""
    schema = not_null(doc, schema)
    if fixed(schema):
        return []
    kind = schema.get("type")
    if kind == "string" and not ("contentMediaType" in schema or schema.get("format") in ("binary", "date",
                                                                                          "date-time")):
        return [(path, "string")]
    if kind == "integer":
        return [(path, "integer")]
    if kind == "array":
        return leaves(doc, schema.get("items", {}), (*path, 0))
    found = []
    for name, sub in schema.get("properties", {}).items():
        found += leaves(doc, sub, (*path, name))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        found += leaves(doc, extra, (*path, "0000000001"))
    return found


def variants(doc: dict, schema: dict) -> list[tuple[str, dict]]:
    """(label, object schema) per choice of a discriminated body, else the one schema."""
    schema = resolve(doc, schema)
    if "oneOf" in schema and "discriminator" in schema:
        return [(tag, resolve(doc, {"$ref": ref})) for tag, ref in schema["discriminator"]["mapping"].items()]
    return [("", not_null(doc, schema))]


def put(body, path: tuple, value):
    body = deepcopy(body)
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


def dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def write_routes(doc: dict) -> list[tuple[str, str, dict]]:
    return [(method, path, op) for path, ops in doc["paths"].items() if path.startswith("/api/v1/")
            for method, op in ops.items() if method in WRITE_METHODS]


def cases(doc: dict) -> list[tuple[str, str, str, str, object, str]]:
    """(method, path, case id, content type, body, expectation) for every route and bad input."""
    out = []
    for method, path, op in write_routes(doc):
        content = op.get("requestBody", {}).get("content", {})
        if not content:
            assert (method, path) in NO_BODY, f"{method.upper()} {path} takes no body: add it to NO_BODY with the reason"
            continue
        [(ctype, media)] = content.items()
        for label, schema in variants(doc, media["schema"]):
            name = f"{method.upper()} {path}" + (f" [{label}]" if label else "")
            base = plausible(doc, schema)
            texts = [p for p, kind in leaves(doc, schema) if kind == "string"]
            ints = [p for p, kind in leaves(doc, schema) if kind == "integer"]
            if (method, path) not in EMPTY_BODY_IS_A_REQUEST:
                out.append((method, path, f"{name} empty", ctype, {"kind": label} if label else {}, "refused"))
            bad = base
            for p in texts:
                bad = put(bad, p, SURROGATE)
            if not texts and ctype == "application/json":
                bad = {**base, "k": SURROGATE} if isinstance(base, dict) else {"k": SURROGATE}
            if texts or ctype == "application/json":
                out.append((method, path, f"{name} surrogate", ctype, bad, "surrogate"))
            out += [(method, path, f"{name} long {dotted(p)}", ctype, put(base, p, LONG), f"long:{dotted(p)}")
                    for p in texts]
            out += [(method, path, f"{name} huge {dotted(p)}", ctype, put(base, p, HUGE), "refused") for p in ints]
    return out


# Sending ------------------------------------------------------------------------------------------


def url_of(path: str, op_params: list[dict], tenant: str, override: tuple[str, object] | None = None) -> str:
    query = {}
    for param in op_params:
        name, where = param["name"], param["in"]
        value = PATH_VALUES.get(name) or (tenant if name == "tenant" else None)
        if value is None:
            value = str(plausible({}, param.get("schema", {})) if param.get("schema", {}).get("type") == "integer"
                        else "0000000001")
        if override and override[0] == name:
            value = str(override[1])
        if where == "path":
            path = path.replace("{" + name + "}", value)
        elif where == "query" and (param.get("required") or (override and override[0] == name)):
            query[name] = value
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def send(client, method: str, url: str, ctype: str, body, headers: dict):
    if ctype == "application/json":
        return client.request(method, url, content=json.dumps(body).encode("ascii"),
                              headers={**headers, "content-type": "application/json"})
    if ctype == "application/x-www-form-urlencoded":
        pairs = [f"{k}={quote_from_bytes(_bytes(v))}" for k, v in (body or {}).items() if v is not None]
        return client.request(method, url, content="&".join(pairs).encode("ascii"),
                              headers={**headers, "content-type": ctype})
    files = {k: ("file.bin", v) for k, v in (body or {}).items() if isinstance(v, bytes)}
    data = {k: _bytes(v) for k, v in (body or {}).items() if v is not None and not isinstance(v, bytes)}
    if not files and not data:
        return client.request(method, url, content=b"", headers={**headers, "content-type": "multipart/form-data;"
                                                                                            " boundary=x"})
    return client.request(method, url, files={**files, **{k: (None, v) for k, v in data.items()}}, headers=headers)


def _bytes(value) -> bytes:
    if value == SURROGATE:
        return SURROGATE_BYTES
    return str(value).encode("utf-8")


def snapshot(platform) -> dict[str, str]:
    """A digest of every row of every table: equal before and after means nothing was written."""
    out = {}
    with platform.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            out[table.name] = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
    return out


# The test -----------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(api, nagai, platform):
    roles = sorted(name for name, role in platform.catalog.roles.items() if not role.platform)
    return {"tenant": api.token(api.add_user(nagai, *roles, username="every-role")),
            "operator": api.login_as(None, "operator")}


def test_every_write_route_refuses_bad_input_with_a_4xx_and_writes_nothing(api, nagai, platform, signed_in):
    doc = api.client.app.openapi()
    operations = {(m, p): op for m, p, op in write_routes(doc)}
    all_cases = cases(doc)
    assert len(operations) >= 10 and len(all_cases) > 100  # the generator found the routes and their items
    before = snapshot(platform)
    failures = []
    for method, path, case, ctype, body, expect in all_cases:
        headers = signed_in["tenant" if "{tenant}" in path else "operator"]
        url = url_of(path, operations[(method, path)].get("parameters", []), nagai)
        response = send(api.client, method, url, ctype, body, headers)
        problem = judge(response, expect, ctype)
        if problem:
            failures.append(f"{case}: {problem}")
        if snapshot(platform) != before:
            failures.append(f"{case}: the database changed")
            before = snapshot(platform)
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} problems)"


def judge(response, expect: str, ctype: str) -> str | None:
    if not 400 <= response.status_code < 500:
        return f"{response.status_code} {response.text[:200]}"
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:100]}"
    if not CODE.fullmatch(body.get("code", "")) or not JAPANESE.search(body.get("message", "")):
        return f"no stable code and Japanese message: {body}"
    if expect == "surrogate" and ctype == "application/json" and body["code"] != "INPUT_LONE_SURROGATE":
        return f"expected INPUT_LONE_SURROGATE, got {body}"
    if expect.startswith("long:"):
        field = expect[len("long:"):]
        message = (body.get("fields") or {}).get(field, "")
        if response.status_code != 422 or "文字以内" not in message:
            return f"the item {field} has no maximum length: {str(body)[:300]}"
    return None


@pytest.mark.parametrize("method", ["get", *WRITE_METHODS])
def test_every_integer_in_a_url_is_bounded(api, nagai, signed_in, method):
    """A number in a path or query (a tax 年度, a measure number, a limit) of 10**20 is a 4xx, not
    an overflow (it used to reach the database), on every route, reading ones included."""
    doc = api.client.app.openapi()
    failures = []
    for path, ops in doc["paths"].items():
        op = ops.get(method)
        if not path.startswith("/api/v1/") or op is None:
            continue
        for param in op.get("parameters", []):
            schema = not_null(doc, param.get("schema", {}))
            if schema.get("type") != "integer":
                continue
            if "maximum" not in schema:
                failures.append(f"{method.upper()} {path}: {param['name']} has no maximum")
            url = url_of(path, op.get("parameters", []), nagai, (param["name"], HUGE))
            headers = signed_in["tenant" if "{tenant}" in path else "operator"]
            response = api.client.request(method, url, headers=headers)
            if not 400 <= response.status_code < 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
