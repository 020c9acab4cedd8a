"""Schemathesis hooks of scripts/schemathesis.sh (loaded via SCHEMATHESIS_HOOKS).

CAMB.AI's API is FastAPI with Pydantic v2 in lax mode, which reads a JSON
`true`/`false` as the integer 1/0 and the integers 0/1 as booleans
(https://docs.pydantic.dev/2.14/concepts/conversion_table/); the simulator
does the same. Schemathesis takes such a value for invalid data that must be
refused, so it would report every such accepted request. The fuzzer, not the
spec clients generate from, is told: in request bodies an `integer` may also
be a boolean, and a `boolean` the integer 0 or 1
(a schema a body shares with an answer is relaxed in both; the simulator
answers no booleans for integers, which the Rust tests check).

A parameter's `X | None` (FastAPI's `Optional[X]` on a path or query
parameter) means the parameter may be left out, not that the text `null` is
a value: FastAPI reads `null` as text, which is no integer. spec/README.md
("Converting 3.1 to 3.0.3") reads parameters the same way, so the fuzzer is
told too: a parameter's schema loses its `null` branch.

A multipart form is text and bytes on the wire, and FastAPI reads it so
(measured with FastAPI 0.165.0, Pydantic 2.14.4, python-multipart 0.0.34 and
its TestClient by scripts/fastapi_form_probe.py, endpoints declared as the
spec's `Body_*` forms say: `Form` and `File` parameters, optional ones
`Optional[X] = Form(None)`):

- an empty field is a field not sent: `enhance_audio=` (an optional
  boolean) and `description=` (an optional string) are accepted as `None`
  (200), while an empty required field (`voice_name=`, `gender=`,
  `source_language=`) is 422 `missing`; the simulator answers the same. So an
  optional field of a form may also be the empty string;
- a file part is bytes, whatever Schemathesis generated for it: the integer
  3 in `file` goes as a part with `filename="file"` and content `3`, a
  valid upload (200). So a file part may be any scalar.

Schemathesis took both for invalid data (ST201 on `POST /create-custom-voice`
and `POST /story`); the fuzzer's copy of each form schema says so instead.
"""

import schemathesis


def _lax_integers(node, seen):
    """Lets every `integer` under `node` (a JSON Schema) also be a boolean,
    and every `boolean` also 0 or 1 (bounds apply to numbers only)."""
    if isinstance(node, dict):
        if id(node) in seen:
            return
        seen.add(id(node))
        if node.get("type") == "integer":
            node["type"] = ["integer", "boolean"]
        elif node.get("type") == "boolean":
            node.update({"type": ["boolean", "integer"], "minimum": 0, "maximum": 1})
        for value in node.values():
            _lax_integers(value, seen)
    elif isinstance(node, list):
        for value in node:
            _lax_integers(value, seen)


def _refs(node, found):
    """The names of the component schemas `node` refers to, transitively."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _not_null(schema):
    """`schema` (a parameter's) without its `null` branch."""
    if not isinstance(schema, dict):
        return schema
    for union in ("anyOf", "oneOf"):
        branches = schema.get(union)
        if isinstance(branches, list):
            kept = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
            if len(kept) != len(branches):
                schema = dict(schema)
                if len(kept) == 1 and isinstance(kept[0], dict):
                    merged = {k: v for k, v in schema.items() if k != union}
                    merged.update(kept[0])
                    schema = merged
                else:
                    schema[union] = kept
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        schema = dict(schema, type=[k for k in kind if k != "null"])
    return schema


def _is_file_part(schema):
    """Whether a form property is a file part (as Schemathesis decides)."""
    return isinstance(schema, dict) and (
        schema.get("format") in ("binary", "base64")
        or schema.get("contentMediaType") == "application/octet-stream"
    )


def _form_as_fastapi_reads_it(form):
    """Relaxes a multipart form's schema (in place) to what FastAPI accepts:
    an optional field may be empty, a file part any scalar."""
    for name, prop in form.get("properties", {}).items():
        if not isinstance(prop, dict):
            continue
        if _is_file_part(prop):
            prop["type"] = ["string", "integer", "number", "boolean"]
            continue
        branches = prop.get("anyOf")
        optional = isinstance(branches, list) and any(
            isinstance(b, dict) and b.get("type") == "null" for b in branches
        )
        empty = {"type": "string", "maxLength": 0}
        if optional and name not in form.get("required", []) and empty not in branches:
            branches.append(empty)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for item in raw_schema.get("paths", {}).values():
        for operation in [item] + [op for op in item.values() if isinstance(op, dict)]:
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if isinstance(parameter, dict) and "schema" in parameter:
                    parameter["schema"] = _not_null(parameter["schema"])
    components = raw_schema.get("components", {}).get("schemas", {})
    for operations in raw_schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            media = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data", {})
            form = media.get("schema", {})
            ref = form.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                form = components.get(ref.rsplit("/", 1)[1], {})
            if isinstance(form, dict):
                _form_as_fastapi_reads_it(form)
    bodies = []
    for operations in raw_schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                content = operation.get("requestBody", {}).get("content", {})
                bodies.extend(media["schema"] for kind, media in content.items()
                              if kind == "application/json" and "schema" in media)
    names, pending = set(), set()
    _refs(bodies, pending)
    while pending:
        name = pending.pop()
        if name not in names and name in components:
            names.add(name)
            _refs(components[name], pending)
    seen = set()
    _lax_integers(bodies, seen)
    for name in sorted(names):
        _lax_integers(components[name], seen)
