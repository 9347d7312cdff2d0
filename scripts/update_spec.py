#!/usr/bin/env python3
"""Rebuild openapi.yaml from a full Shippo OpenAPI document.

Usage: scripts/update_spec.py UPSTREAM.yaml [--output PATH] [--no-regen]

Steps:
1. Extract the Tracks operations (tag "Tracking Status"), the webhooks whose
   payload contains a Track, and every component they reference; vendor
   extensions (x-...) are dropped.
2. Apply spec/corrections.overlay.yaml, an OpenAPI Overlay 1.0 document that
   contains the project's corrections as data.
3. Write the result (to openapi.yaml unless --output is given), check it with
   openapi-spec-validator, run scripts/regen.sh when the committed spec was
   written, and print what changed in the API compared with the old file
   (operations, their parameters and responses, schemas), each change marked
   breaking or not.
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath
import yaml
from _spec_diff import describe_type, parameter_and_response_changes
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi.yaml"
OVERLAY = ROOT / "spec" / "corrections.overlay.yaml"
TAG = "Tracking Status"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

Json = Any


# --- 1. Extract ---------------------------------------------------------------


def extract(upstream: Json) -> Json:
    """Return the Tracks part of a full Shippo document."""
    paths = {
        path: ops
        for path, ops in upstream.get("paths", {}).items()
        if any(TAG in _tags(ops.get(m)) for m in METHODS)
    }
    if not paths:
        raise SystemExit(f"update_spec: no operation tagged {TAG!r} in the document")

    refs = _reachable(upstream, paths)
    webhooks = {
        name: hook
        for name, hook in upstream.get("webhooks", {}).items()
        if "#/components/schemas/Track" in _reachable(upstream, hook)
    }
    refs |= _reachable(upstream, webhooks)

    components: dict[str, dict[str, Json]] = {}
    for ref in sorted(refs, key=_ref_order(upstream)):
        _, _, section, name = ref.split("/")
        components.setdefault(section, {})[name] = upstream["components"][section][name]
    schemes = {
        name: upstream["components"]["securitySchemes"][name]
        for requirement in upstream.get("security", [])
        for name in requirement
    }
    tags = [t for t in upstream.get("tags", []) if t.get("name") == TAG]

    doc = {
        "openapi": upstream["openapi"],
        "info": upstream["info"],
        "servers": upstream.get("servers", []),
        "security": upstream.get("security", []),
        "tags": tags,
        "paths": paths,
        "webhooks": webhooks,
        "components": {"securitySchemes": schemes, **components},
    }
    return _without_extensions(copy.deepcopy(doc))


def _tags(operation: Json) -> list[str]:
    return operation.get("tags", []) if isinstance(operation, dict) else []


def _refs(node: Json) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _reachable(doc: Json, start: Json) -> set[str]:
    seen: set[str] = set()
    todo = list(_refs(start))
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        todo.extend(_refs(_resolve(doc, ref)))
    return seen


def _resolve(doc: Json, ref: str) -> Json:
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _ref_order(doc: Json) -> Any:
    # Components keep the upstream document's order, section by section.
    index = {
        f"#/components/{section}/{name}": (i, j)
        for i, (section, items) in enumerate(doc["components"].items())
        for j, name in enumerate(items)
    }
    return lambda ref: index[ref]


def _without_extensions(node: Json) -> Json:
    if isinstance(node, dict):
        return {
            k: _without_extensions(v)
            for k, v in node.items()
            if not (isinstance(k, str) and k.startswith("x-"))
        }
    if isinstance(node, list):
        return [_without_extensions(item) for item in node]
    return node


# --- 2. Overlay ---------------------------------------------------------------


def apply_overlay(doc: Json, overlay: Json) -> tuple[Json, list[str]]:
    """Apply an OpenAPI Overlay 1.0 document; return the result and warnings.

    update merges objects recursively (the update's values win) and appends
    to a targeted array; remove deletes every node the target selects. An
    action whose target selects nothing is reported, since it usually means
    that upstream renamed or removed what the correction was about.
    """
    if not str(overlay.get("overlay", "")).startswith("1."):
        raise SystemExit("update_spec: the corrections file is not an Overlay 1.x")

    doc = copy.deepcopy(doc)
    warnings = []
    for number, action in enumerate(overlay.get("actions", []), 1):
        nodes = list(jsonpath.finditer(action["target"], doc))
        if not nodes:
            what = action.get("description", "")
            warnings.append(
                f"action {number} matched nothing: {action['target']} {what}"
            )
        for node in reversed(nodes):  # removals from the end keep indexes valid
            _act(doc, node.location, action)
    return doc, warnings


def _act(doc: Json, location: tuple[str | int, ...], action: Json) -> None:
    parent = _resolve_location(doc, location[:-1]) if location else None
    if action.get("remove"):
        if parent is None:
            raise SystemExit("update_spec: an overlay may not remove the root")
        del parent[location[-1]]
        return

    target = _resolve_location(doc, location)
    update = copy.deepcopy(action["update"])
    if isinstance(target, list):
        target.append(update)
    elif isinstance(target, dict) and isinstance(update, dict):
        _merge(target, update)
    elif parent is not None:
        parent[location[-1]] = update


def _resolve_location(doc: Json, location: tuple[str | int, ...]) -> Json:
    node = doc
    for part in location:
        node = node[part]
    return node


def _merge(target: dict[str, Json], update: dict[str, Json]) -> None:
    for key, value in update.items():
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            _merge(target[key], value)
        else:
            target[key] = value


# --- 3. Write -----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, indented sequences, no line wrapping, no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Json) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    analysis = dumper.analyze_scalar(value)
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    plain = analysis.allow_block_plain and resolved == "tag:yaml.org,2002:str"
    style = None if plain else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


# Keys of OpenAPI objects are written in this order, others after them in
# their own order. Objects whose keys are names (paths, properties, ...) keep
# their order: the generated models follow the order of properties.
_KEY_ORDER = [
    *("openapi", "info", "title", "version", "operationId", "name", "url"),
    *("type", "format", "minLength", "maxLength", "in", "summary", "description"),
    *("servers", "security", "tags", "parameters", "requestBody", "required"),
    *("enum", "anyOf", "oneOf", "allOf", "items", "properties"),
    *("additionalProperties", "examples", "headers", "content", "schema"),
    *("responses", "paths", "webhooks", "components"),
]
_RANK = {key: rank for rank, key in enumerate(_KEY_ORDER)}
_NAME_MAPS = {
    *("paths", "webhooks", "properties", "responses", "content", "headers"),
    *("schemas", "securitySchemes", "requestBodies", "links", "callbacks"),
    *("patternProperties", "$defs"),
}


def canonical(node: Json, names: bool = False) -> Json:
    """Order keys as _KEY_ORDER lists them, and required properties first.

    The generated models take required fields in the order of their
    properties, so putting them first, in the order of `required`, keeps the
    models' field order stable whatever order upstream lists them in.
    """
    if isinstance(node, list):
        return [canonical(item) for item in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {key: canonical(value) for key, value in node.items()}

    keys = sorted(node, key=lambda k: _RANK.get(k, len(_RANK)))
    out = {key: canonical(node[key], _is_name_map(key, node[key])) for key in keys}
    if isinstance(out.get("properties"), dict) and isinstance(
        out.get("required"), list
    ):
        properties = out["properties"]
        first = [name for name in out["required"] if name in properties]
        rest = [name for name in properties if name not in first]
        out["properties"] = {name: properties[name] for name in first + rest}
    return out


def _is_name_map(key: str, value: Json) -> bool:
    # components.parameters is a map of names, an operation's parameters a list.
    return isinstance(value, dict) and (key in _NAME_MAPS or key == "parameters")


def dump(doc: Json) -> str:
    return str(
        yaml.dump(
            canonical(doc),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=10_000,
        )
    )


def build(upstream_path: Path, overlay_path: Path = OVERLAY) -> tuple[str, list[str]]:
    """Return the new openapi.yaml text and the overlay's warnings."""
    upstream = yaml.safe_load(upstream_path.read_text(encoding="utf-8"))
    overlay = yaml.safe_load(overlay_path.read_text(encoding="utf-8"))
    doc, warnings = apply_overlay(extract(upstream), overlay)
    validate(doc)
    return dump(doc), warnings


# --- 4. Summarise -------------------------------------------------------------


def summary(old: Json, new: Json) -> list[tuple[bool, str]]:
    """List the API changes from old to new as (breaking, description)."""
    changes = _operation_changes(old, new)
    changes += parameter_and_response_changes(old, new)
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name in sorted(old_schemas.keys() | new_schemas.keys()):
        if name not in new_schemas:
            changes.append((True, f"schema {name} removed"))
        elif name not in old_schemas:
            changes.append((False, f"schema {name} added"))
        else:
            changes += _schema_changes(name, old_schemas[name], new_schemas[name])
    return changes


def _operations(doc: Json) -> dict[str, str]:
    return {
        op.get("operationId", f"{method} {path}"): f"{method.upper()} {path}"
        for path, ops in doc.get("paths", {}).items()
        for method, op in ops.items()
        if method in METHODS
    }


def _operation_changes(old: Json, new: Json) -> list[tuple[bool, str]]:
    before, after = _operations(old), _operations(new)
    changes = []
    for op_id in sorted(before.keys() | after.keys()):
        if op_id not in after:
            changes.append((True, f"operation {op_id} ({before[op_id]}) removed"))
        elif op_id not in before:
            changes.append((False, f"operation {op_id} ({after[op_id]}) added"))
        elif before[op_id] != after[op_id]:
            changes.append(
                (True, f"operation {op_id} moved: {before[op_id]} -> {after[op_id]}")
            )
    return changes


def _schema_changes(name: str, old: Json, new: Json) -> list[tuple[bool, str]]:
    changes = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = (
        set(old.get("required", [])),
        set(new.get("required", [])),
    )
    for field in sorted(old_props.keys() | new_props.keys()):
        where = f"{name}.{field}"
        if field not in new_props:
            changes.append((True, f"field {where} removed"))
        elif field not in old_props:
            required = field in new_required
            changes.append(
                (False, f"field {where} added" + (" (required)" if required else ""))
            )
        else:
            before = describe_type(old_props[field])
            after = describe_type(new_props[field])
            if before != after:
                changes.append((True, f"field {where} type {before} -> {after}"))
    for field in sorted(new_required - old_required):
        if field in old_props:
            changes.append((False, f"field {name}.{field} became required"))
    for field in sorted(old_required - new_required):
        if field in new_props:
            changes.append((True, f"field {name}.{field} became optional"))
    old_enum, new_enum = old.get("enum", []), new.get("enum", [])
    for value in old_enum:
        if value not in new_enum:
            changes.append((True, f"enum value {name}.{value} removed"))
    for value in new_enum:
        if value not in old_enum:
            changes.append((False, f"enum value {name}.{value} added"))
    return changes


def print_summary(changes: list[tuple[bool, str]]) -> None:
    if not changes:
        print("API change: none")
        return
    breaking = sum(1 for is_breaking, _ in changes if is_breaking)
    print(f"API change: {len(changes)} change(s), {breaking} breaking")
    for is_breaking, text in changes:
        print(f"  {'BREAKING' if is_breaking else 'ok      '}  {text}")


# --- Main ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="a full Shippo OpenAPI document")
    parser.add_argument(
        "--output", type=Path, default=SPEC, help="default: openapi.yaml"
    )
    parser.add_argument("--overlay", type=Path, default=OVERLAY)
    parser.add_argument("--no-regen", action="store_true", help="skip `make regen`")
    args = parser.parse_args(argv)

    text, warnings = build(args.upstream, args.overlay)
    old = (
        yaml.safe_load(args.output.read_text(encoding="utf-8"))
        if args.output.exists()
        else {}
    )
    args.output.write_text(text, encoding="utf-8")
    for warning in warnings:
        print(f"warning: overlay {warning}", file=sys.stderr)
    print(f"wrote {args.output}")

    if args.output.resolve() == SPEC and not args.no_regen:
        subprocess.run(["bash", str(ROOT / "scripts" / "regen.sh")], check=True)
        print("regenerated src/shippo_client/_generated")
    print_summary(summary(old, yaml.safe_load(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
