"""Check that a parsed model contains values of its annotated types.

The generated from_dict methods check nullable fields and parse nested
objects, dates and enums, but copy required strings and booleans, and list
items, as they come: ``"carrier": 5`` would give a Track whose carrier is an
int. This module reads each attrs model's field annotations once and checks
those fields of an instance, so that a wrong type becomes a
ResponseValidationError instead of a surprise later.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import attrs

from ._generated import models
from ._generated.types import Unset

__all__ = ["wrong_type"]

_SCALARS: dict[str, type] = {
    "str": str,
    "bool": bool,
    "int": int,
    "float": float,
    "None": type(None),
    "Unset": Unset,
    "datetime.datetime": datetime.datetime,
    "Any": object,
}


@attrs.frozen
class _Rule:
    name: str
    allowed: tuple[type, ...]
    item: tuple[type, ...] | None


@attrs.frozen
class _Field:
    """One field to check, with what the fast and the slow check need."""

    name: str
    get: Callable[[Any], Any]
    allowed: tuple[type, ...] = ()
    # The exact types JSON decoding produces for `allowed`, for set checks.
    exact: frozenset[type] = frozenset()


def _field(name: str, allowed: tuple[type, ...] = ()) -> _Field:
    exact = set(allowed)
    if float in exact:
        exact.add(int)
    return _Field(name, attrgetter(name), allowed, frozenset(exact))


@attrs.frozen
class _Plan:
    """The checks of one model: only those the generated parser skips.

    The parser already checks nullable fields, dates, enums and nested
    objects; it copies required strings and booleans, and list items, as
    they come.
    """

    scalars: tuple[_Field, ...]
    items: tuple[_Field, ...]
    children: tuple[_Field, ...]
    child_lists: tuple[_Field, ...]

    @property
    def empty(self) -> bool:
        return not (self.scalars or self.items or self.children or self.child_lists)


# The plan of each model class, read from its annotations on first use.
_PLANS: dict[type, _Plan] = {}

_PLAIN = (str, bool, int, float)


def wrong_type(instance: Any) -> str | None:
    """Return a description of the first mistyped field, or None.

    This runs on every successful call. A batch check, which looks at each
    field of all objects of one class at once with C-level map and set
    operations, clears a valid Track quickly. Only when it fails does the
    slower walk run, which finds the first mistyped field and its path.
    """
    if _all_valid(type(instance), [instance]):
        return None
    return _first_problem(instance)


def _all_valid(cls: type, objects: list[Any]) -> bool:
    plan = _plan(cls)
    if len(objects) == 1:
        return _one_valid(plan, objects[0])

    for field in plan.scalars:
        if not set(map(type, map(field.get, objects))) <= field.exact:
            return False

    for field in plan.items:
        for value in map(field.get, objects):
            if type(value) is list and not set(map(type, value)) <= field.exact:
                return False

    for field in plan.children:
        if not _all_models_valid(list(map(field.get, objects))):
            return False

    for field in plan.child_lists:
        values = map(field.get, objects)
        flat = [item for value in values if type(value) is list for item in value]
        if not _all_models_valid(flat):
            return False
    return True


def _one_valid(plan: _Plan, obj: Any) -> bool:
    # The same checks as _all_valid, without building sets for one object.
    for field in plan.scalars:
        if type(field.get(obj)) not in field.exact:
            return False

    for field in plan.items:
        value = field.get(obj)
        if type(value) is list and not set(map(type, value)) <= field.exact:
            return False

    for field in plan.children:
        value = field.get(obj)
        child = _PLANS.get(type(value))
        if child is not None and not _one_valid(child, value):
            return False

    for field in plan.child_lists:
        value = field.get(obj)
        if type(value) is list and not _all_models_valid(value):
            return False
    return True


def _all_models_valid(values: list[Any]) -> bool:
    # Values that are not models (None, UNSET) were checked by the parser.
    for cls in set(map(type, values)) & _PLANS.keys():
        group = [value for value in values if type(value) is cls]
        if not _all_valid(cls, group):
            return False
    return True


def _first_problem(instance: Any) -> str | None:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(instance, ())]
    while stack:
        obj, where = stack.pop()
        plan = _plan(type(obj))
        for field in plan.scalars:
            value = field.get(obj)
            if not isinstance(value, field.allowed):
                return _message((where, field.name, None), field.allowed, value)
        for field in plan.items:
            value = field.get(obj)
            if type(value) is not list:
                continue
            for index, item in enumerate(value):
                if not isinstance(item, field.allowed):
                    return _message((where, field.name, index), field.allowed, item)
        for field in plan.children:
            value = field.get(obj)
            if type(value) in _PLANS:
                stack.append((value, (where, field.name, None)))
        for field in plan.child_lists:
            value = field.get(obj)
            if type(value) is list:
                for index, item in enumerate(value):
                    stack.append((item, (where, field.name, index)))
    return None


def _message(where: tuple[Any, ...], allowed: tuple[type, ...], value: Any) -> str:
    # `where` links (parent, field name, list index or None) back to the root.
    names: list[str] = []
    while where:
        where, name, index = where
        names.append(name if index is None else f"{name}[{index}]")
    path = ".".join(reversed(names))
    return f"{path}: expected {_names(allowed)}, got {type(value).__name__}"


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _read_plan(cls)
    return plan


def _read_plan(cls: type) -> _Plan:
    scalars: list[_Field] = []
    items: list[_Field] = []
    children: list[_Field] = []
    child_lists: list[_Field] = []
    for field in attrs.fields(cls):
        if field.name == "additional_properties":
            continue
        rule = _rule(field.name, str(field.type))
        models_in = [t for t in (*rule.allowed, *(rule.item or ())) if attrs.has(t)]
        walk = any(not _plan(model).empty for model in models_in)
        if rule.item is not None:
            if all(t in _PLAIN for t in rule.item):
                items.append(_field(rule.name, rule.item))
            elif walk:
                child_lists.append(_field(rule.name))
        elif len(rule.allowed) == 1 and rule.allowed[0] in _PLAIN:
            scalars.append(_field(rule.name, rule.allowed))
        elif walk:
            children.append(_field(rule.name))
    return _Plan(tuple(scalars), tuple(items), tuple(children), tuple(child_lists))


def _rule(name: str, annotation: str) -> _Rule:
    allowed: list[type] = []
    item: tuple[type, ...] | None = None
    for part in (token.strip() for token in annotation.split("|")):
        if part.startswith("list[") and part.endswith("]"):
            allowed.append(list)
            item = _types(part[5:-1])
        else:
            allowed.extend(_types(part))
    return _Rule(name, tuple(allowed), item)


def _types(name: str) -> tuple[type, ...]:
    if name in _SCALARS:
        # bool is an int, so a number field would accept True; the spec
        # has no number fields, and no field is typed int.
        return (_SCALARS[name],)
    model = getattr(models, name, None)
    if isinstance(model, type) and issubclass(model, enum.Enum):
        # Enums keep unknown values as plain strings.
        return (model, str)
    if isinstance(model, type):
        return (model,)
    raise TypeError(f"unsupported annotation {name!r}")


def _names(types: tuple[type, ...]) -> str:
    names = dict.fromkeys("null" if t is type(None) else t.__name__ for t in types)
    return " or ".join(name for name in names if name != "Unset")
