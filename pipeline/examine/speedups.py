"""How replacements of library internals are installed: explicitly, version by version.

verify_speedups.py and text_speedups.py replace a few pure-Python hot spots of pyhanko, asn1crypto
and pypdf with equivalent faster code. A replacement is only equivalent to the code it was compared
with, so each group names the exact versions it was written and tested against; on any other
version it is not installed, the library's own code runs, and the group's notice says so. Nothing
is installed on import: sandbox.py installs them in its examining workers only, so the signing
command and the build's own process run the libraries as published.
"""

from __future__ import annotations

import importlib.metadata
import platform
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PYTHON = "Python"  # in `written_for`: the interpreter's major.minor version (the standard library's code)


@dataclass(frozen=True)
class Replacement:
    """`owner.name = value`: `value` exactly as stored in the module's or class's namespace (a
    function, classmethod, staticmethod or property)."""

    owner: Any  # a module or a class
    name: str
    value: Any
    original: Any = field(init=False)  # what the library defines, put back by `uninstall`

    def __post_init__(self) -> None:
        object.__setattr__(self, "original", vars(self.owner)[self.name])

    @property
    def target(self) -> str:
        """The replaced attribute's dotted name, e.g. 'pypdf.generic._font.Font.from_font_resource'."""
        owner = self.owner
        prefix = owner.__name__ if isinstance(owner, types.ModuleType) else f"{owner.__module__}.{owner.__qualname__}"
        return f"{prefix}.{self.name}"

    @property
    def installed(self) -> bool:
        return vars(self.owner).get(self.name) is self.value


@dataclass(frozen=True)
class SpeedUp:
    """Replacements installed together, on the exact versions they were written for."""

    label: str  # e.g. "text speed-ups"
    written_for: tuple[tuple[str, str], ...]  # (distribution or PYTHON, exact version)
    replacements: tuple[Replacement, ...]

    def notice(self) -> str | None:
        """None when every version matches; else why the library's own code runs."""
        for name, expected in self.written_for:
            found = _version(name)
            if found != expected:
                return (f"{name} {found}: {self.label} not installed (written for {expected}),"
                        " the library's own code runs")
        return None


def _version(name: str) -> str:
    if name == PYTHON:
        return ".".join(platform.python_version_tuple()[:2])
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def notices(speedups: Iterable[SpeedUp]) -> list[str]:
    """What `install` would report, without installing anything."""
    return [notice for speedup in speedups if (notice := speedup.notice()) is not None]


def install(speedups: Iterable[SpeedUp]) -> list[str]:
    """Install every group whose versions match (again is harmless); return the others' notices."""
    found = []
    for speedup in speedups:
        notice = speedup.notice()
        if notice is not None:
            found.append(notice)
            continue
        for replacement in speedup.replacements:
            setattr(replacement.owner, replacement.name, replacement.value)
    return found


def uninstall(speedups: Iterable[SpeedUp]) -> None:
    """Put the libraries' own code back (for tests that install in their own process)."""
    for speedup in speedups:
        for replacement in speedup.replacements:
            setattr(replacement.owner, replacement.name, replacement.original)


def installed(speedups: Iterable[SpeedUp]) -> dict[str, bool]:
    """Whether each replaced attribute holds its replacement now, by dotted name."""
    return {replacement.target: replacement.installed
            for speedup in speedups for replacement in speedup.replacements}
