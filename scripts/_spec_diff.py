"""Compare the parameters and responses of operations in two OpenAPI documents.

update_spec.py prints these changes in its summary. Each change is a
(breaking, description) tuple: breaking means that a client built from the old
document may fail against a server that follows the new one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe_type", "parameter_and_response_changes"]

Json = Any
Change = tuple[bool, str]

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_JSON = "application/json"


def parameter_and_response_changes(old: Json, new: Json) -> list[Change]:
    """List parameter and response changes of the operations in both documents.

    Operations are matched by operationId, as update_spec.py matches them, so
    an operation that moved to another path is compared too.
    """
    before, after = _operations(old), _operations(new)
    changes: list[Change] = []
    for op_id in sorted(before.keys() & after.keys()):
        old_item, old_op = before[op_id]
        new_item, new_op = after[op_id]

        old_params = _parameters(old, old_item, old_op)
        new_params = _parameters(new, new_item, new_op)
        changes += _parameter_changes(op_id, old_params, new_params)

        old_responses = _responses(old, old_op)
        new_responses = _responses(new, new_op)
        changes += _response_changes(op_id, old_responses, new_responses)
    return changes


def describe_type(schema: Json) -> str:
    """Describe a schema's type in a short form that compares by equality."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[1]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            parts = sorted(describe_type(s) for s in schema[combinator])
            return " | ".join(parts)
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    text = " | ".join(sorted(str(k) for k in kinds))
    if "items" in schema:
        text += f" of {describe_type(schema['items'])}"
    if "format" in schema:
        text += f" ({schema['format']})"
    return text


# --- Operations -----------------------------------------------------------------


def _operations(doc: Json) -> dict[str, tuple[Json, Json]]:
    # The keys are the ones update_spec._operations uses.
    return {
        op.get("operationId", f"{method} {path}"): (item, op)
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in _METHODS
    }


def _dereference(doc: Json, node: Json) -> Json:
    """Follow local $refs ("#/components/...") until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise SystemExit(
                f"update_spec: unsupported $ref {ref!r}: only references within"
                " the document (#/...) are resolved"
            )
        if ref in seen:
            raise SystemExit(f"update_spec: $ref {ref!r} is part of a $ref cycle")
        seen.add(ref)

        node = doc
        for part in ref.removeprefix("#/").split("/"):
            if not isinstance(node, dict) or part not in node:
                raise SystemExit(f"update_spec: $ref {ref!r} not found")
            node = node[part]
    return node


# --- Parameters -----------------------------------------------------------------


def _parameters(doc: Json, item: Json, op: Json) -> dict[tuple[str, str], Json]:
    """Map (in, name) to each parameter of an operation, with $refs resolved.

    An operation's parameter overrides a path item's parameter with the same
    location and name, as OpenAPI 3 specifies. Header names are compared in
    lowercase because HTTP header names are case-insensitive.
    """
    params = {}
    for node in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _dereference(doc, node)
        location, name = param["in"], param["name"]
        params[(location, name.lower() if location == "header" else name)] = param
    return params


def _parameter_changes(
    op_id: str, old: dict[tuple[str, str], Json], new: dict[tuple[str, str], Json]
) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        param = new[key] if key in new else old[key]
        where = f"parameter {op_id}.{param['name']} ({key[0]})"
        if key not in new:
            # Not breaking: servers ignore query parameters and headers they do
            # not define, and a path parameter goes only with a change of path,
            # which the "operation ... moved" line reports as breaking.
            changes.append((False, f"{where} removed"))
        elif key not in old:
            required = bool(param.get("required", False))
            text = f"{where} added" + (" (required)" if required else "")
            changes.append((required, text))
        else:
            changes += _kept_parameter_changes(where, old[key], new[key])
    return changes


def _kept_parameter_changes(where: str, old: Json, new: Json) -> list[Change]:
    changes = []
    was_required = bool(old.get("required", False))
    is_required = bool(new.get("required", False))
    if is_required and not was_required:
        changes.append((True, f"{where} became required"))
    elif was_required and not is_required:
        changes.append((False, f"{where} became optional"))

    before = describe_type(_parameter_schema(old))
    after = describe_type(_parameter_schema(new))
    if before != after:
        changes.append((True, f"{where} type {before} -> {after}"))
    return changes


def _parameter_schema(param: Json) -> Json:
    # A parameter has either a schema or a content map with exactly one entry.
    if "schema" in param:
        return param["schema"]
    for media in param.get("content", {}).values():
        return media.get("schema", {})
    return {}


# --- Responses ------------------------------------------------------------------


def _responses(doc: Json, op: Json) -> dict[str, Json]:
    # str() because a YAML loader reads an unquoted 200 as an integer.
    return {
        str(status): _dereference(doc, response)
        for status, response in op.get("responses", {}).items()
    }


def _is_success(status: str) -> bool:
    return status.startswith("2")  # 200 ... 299 and the range "2XX"


def _response_changes(
    op_id: str, old: dict[str, Json], new: dict[str, Json]
) -> list[Change]:
    lost_success = any(_is_success(status) for status in old.keys() - new.keys())
    changes = []
    for status in sorted(old.keys() | new.keys()):
        where = f"response {op_id}.{status}"
        success = _is_success(status)
        if status not in new:
            # A removed 2xx means the server responds with another status, which
            # a client built from the old document may not handle. A removed
            # error status is not breaking: the client builds its errors from
            # any status that is not success.
            changes.append((success, f"{where} removed"))
        elif status not in old:
            # A new 2xx counts as breaking only when it replaces a removed 2xx.
            # NOTE: the Shippo client parses any 2xx as a Track. The bare
            # generated functions return None for a status missing from their
            # document, or raise UnexpectedStatus when the generated client's
            # raise_on_unexpected_status is set. A server that sends the new
            # 2xx in place of a kept one therefore breaks those callers.
            changes.append((success and lost_success, f"{where} added"))
        else:
            changes += _kept_response_changes(where, success, old[status], new[status])
    return changes


def _kept_response_changes(
    where: str, success: bool, old: Json, new: Json
) -> list[Change]:
    # Only a change to a 2xx is breaking: the client parses a success body
    # into its model, but decodes an error body only if it can, never fatally.
    old_content, new_content = old.get("content", {}), new.get("content", {})
    changes = []
    for media_type in sorted(old_content.keys() | new_content.keys()):
        if media_type not in new_content:
            changes.append((success, f"{where} media type {media_type} removed"))
        elif media_type not in old_content:
            changes.append((success, f"{where} media type {media_type} added"))

    if _JSON in old_content and _JSON in new_content:
        before = describe_type(old_content[_JSON].get("schema", {}))
        after = describe_type(new_content[_JSON].get("schema", {}))
        if before != after:
            changes.append((success, f"{where} {_JSON} schema {before} -> {after}"))
    return changes
