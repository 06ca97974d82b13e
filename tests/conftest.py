from __future__ import annotations

import pytest
from hypothesis import settings

from corpus.pki import DemoPki, make_demo_pki

# No deadline per example: performance is measured by the benchmarks in bench/, never by timed
# assertions, and on a shared two-core CI machine a slow example is not a wrong one.
settings.register_profile("congbo", deadline=None)
settings.load_profile("congbo")


@pytest.fixture(scope="session")
def pki() -> DemoPki:
    """The test PKI: built fresh for the session, never the committed demo keys."""
    return make_demo_pki()


@pytest.fixture(scope="session")
def impostor_pki() -> DemoPki:
    """A look-alike CA: the same subject names as `pki`, different keys. Must never be trusted."""
    return make_demo_pki()
