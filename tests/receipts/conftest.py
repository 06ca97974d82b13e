"""Fixtures of the receipts tests (issue 19): real SMTP server, real databases, the real service."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from receipts_kit import (
    Portal,
    Postgres,
    Recorder,
    Service,
    environment,
    make_portal,
    postgres,
    postgres_bin,
    smtp_server,
)

_names = itertools.count()


@pytest.fixture(scope="session")
def pg() -> Iterator[Postgres]:
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql; make test installs it)")
    with postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
    server: Postgres = request.getfixturevalue("pg")
    return server.create_database(f"t{next(_names)}")


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    return make_portal(tmp_path / "portal")


@pytest.fixture
def smtp() -> Iterator[tuple[Any, Recorder]]:
    with smtp_server() as pair:
        yield pair


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[Any]:
    """Start the real service (python -m receipts serve) in its own process; stopped at the end."""
    started: list[Service] = []

    def start(portal: Portal, smtp_port: int | None, prepare: Callable[[Service], None] | None = None,
              **extra: str) -> Service:
        service = Service(environment(portal, smtp_port, **extra), tmp_path / f"service-{len(started)}.log")
        started.append(service)
        if prepare is not None:  # e.g. arm a fault before the service can send anything
            prepare(service)
        return service.start()

    yield start
    for service in started:
        service.stop()
