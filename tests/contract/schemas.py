"""JSON Schemas of openapi.yaml's components, ready for generators and validators."""

from __future__ import annotations

import functools
import string
from typing import Any, cast

import yaml
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from contract.wire import SPEC_PATH

__all__ = ["RFC3339", "bodies", "rfc3339", "schema", "validator"]

# Generation renames "date-time" to this custom format, so that rfc3339()
# below replaces hypothesis-jsonschema's own date-time strategy, which writes
# no lowercase "t" or "z" and no leap second.
RFC3339 = "x-rfc3339"


@functools.cache
def _components() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def schema(name: str, *, fmt: str = "date-time") -> dict[str, Any]:
    """Return the named schema with every $ref inlined (the spec has no cycles)."""
    return _inline(_components()[name], fmt)


def _inline(node: Any, fmt: str) -> Any:
    if isinstance(node, list):
        return [_inline(item, fmt) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(_components()[node["$ref"].rsplit("/", 1)[1]], fmt)
    out = {key: _inline(value, fmt) for key, value in node.items()}
    if out.get("format") == "date-time":
        out["format"] = fmt
    out.pop("examples", None)
    return out


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


@st.composite
def rfc3339(draw: st.DrawFn) -> str:
    """Any RFC 3339 date-time, including the forms datetime.fromisoformat rejects."""
    day = draw(st.dates()).isoformat()
    hour, minute = draw(_two(0, 23)), draw(_two(0, 59))
    second = "60" if draw(st.integers(0, 19)) == 0 else draw(_two(0, 59))
    digits = st.text(string.digits, min_size=1, max_size=9)
    fraction = draw(st.one_of(st.just(""), digits.map(lambda d: "." + d)))
    zone = draw(
        st.one_of(
            st.sampled_from(["Z", "z", "+00:00", "-00:00"]),
            st.builds(
                lambda sign, h, m: f"{sign}{h}:{m}",
                st.sampled_from("+-"),
                _two(0, 23),
                _two(0, 59),
            ),
        )
    )
    separator = draw(st.sampled_from("Tt"))
    return f"{day}{separator}{hour}:{minute}:{second}{fraction}{zone}"


def bodies(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Valid bodies of the named schema."""
    strategy = from_schema(
        schema(name, fmt=RFC3339), custom_formats={RFC3339: rfc3339()}
    )
    return cast(st.SearchStrategy[dict[str, Any]], strategy)
