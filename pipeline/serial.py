"""Frozen records to JSON-ready values and back, driven by type hints (never pickle)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@functools.cache
def _record_fields(cls: Any) -> tuple[dict[str, Any], frozenset[str]]:
    """Type hints resolved once per record class: resolving them per value dominated cache reads."""
    return typing.get_type_hints(cls), frozenset(f.name for f in dataclasses.fields(cls) if f.init)


def from_data(cls: Any, data: Any) -> Any:
    """Rebuild a value of type `cls` (a record, tuple[...], X | None, date, enum...) from to_data()."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(cls) if a is not type(None)]
        if data is None:
            return None
        return from_data(options[0], data)
    if origin is tuple:
        args = typing.get_args(cls)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=True))
    if dataclasses.is_dataclass(cls):
        hints, names = _record_fields(typing.cast(type, cls))
        record: Any = cls
        return record(**{k: from_data(hints[k], v) for k, v in data.items() if k in names})
    if cls is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if cls is dt.date:
        return dt.date.fromisoformat(data)
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return cls(data)
    return data
