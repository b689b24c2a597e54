"""Shared fixtures: every test must leave mpmath's global precision as it found it."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp


@pytest.fixture(autouse=True)
def _mpmath_precision_untouched():
    before = mpmath.mp.dps
    yield
    assert mpmath.mp.dps == before, "a test or library call changed mpmath's global precision"


@pytest.fixture
def rng():
    return np.random.default_rng(20261122)


def Q(p, q=1):
    """Shorthand for an exact rational."""
    return sp.Rational(p, q)
