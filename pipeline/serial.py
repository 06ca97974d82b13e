"""Frozen records to JSON-ready values and back, driven by type hints (never pickle)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import functools
import sys
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
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def from_data(cls: Any, data: Any) -> Any:
    """Rebuild a value of type `cls` (a record, tuple[...], X | None, date, enum...) from to_data()."""
    return _converter(cls)(data)


@functools.cache
def _converter(cls: Any) -> Any:
    """A function that rebuilds values of type `cls`, made once per type from its hints: looking
    the hints up for every value dominated reading 10,000 cached inspections."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(cls) if a is not type(None)]
        inner = _converter(options[0])
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = typing.get_args(cls)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [_converter(a) for a in args]
        return lambda data: tuple(convert(v) for convert, v in zip(items, data, strict=True))
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        fields = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls) if f.init}
        record: Any = cls
        return lambda data: record(**{k: fields[k](v) for k, v in data.items() if k in fields})
    if cls is dt.datetime:
        return dt.datetime.fromisoformat
    if cls is dt.date:
        return dt.date.fromisoformat
    if cls is bytes:
        return base64.b64decode
    if cls is str:
        # One object for each distinct text: a build holds every document's record, and most of
        # their texts repeat (signers, certificate chains, issuers, recipients). At 10,000 letters
        # this halved the records' memory (issue 21).
        return sys.intern
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return cls
    return _same


def _same(data: Any) -> Any:
    return data
