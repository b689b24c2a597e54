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


#: cases that each take 8-20 s on two cores: they run in the ``slow`` suite (CI runs both), so the
#: default run stays under five minutes; lighter cases of the same tests stay in the default run
HEAVY = {
    "tests/test_nonlinear_gram.py::test_moments_from_quartic_equal_moments_from_p_series_and_literature",
    "tests/test_nonlinear_gram.py::test_density_against_monte_carlo[tanh-p0-s0]",
    "tests/test_nonlinear_gram.py::test_density_against_monte_carlo[relu-p3-s3]",
    "tests/test_nonlinear_gram.py::test_density_against_monte_carlo[relu-p2-s2]",
    "tests/test_nonlinear_gram.py::test_gaussian_equivalent_sampler_moments",
    "tests/test_recurrence.py::test_pennington_bahri_symbolic_recurrence",
    "tests/test_montecarlo.py::test_free_convolutions_agree_with_monte_carlo[sc(1) * mp(1/2)]",
    "tests/test_hessian.py::test_three_halves_law_with_derived_alpha0[p0]",
    "tests/test_hessian.py::test_three_halves_law_with_derived_alpha0[p2]",
    "tests/test_hessian.py::test_index_agrees_with_monte_carlo[p0-e0]",
    "tests/test_hessian.py::test_index_agrees_with_monte_carlo[p1-e1]",
    "tests/test_gaussian.py::test_eta_is_sum_of_squared_hermite_coefficients[softplus]",
    "tests/test_gaussian.py::test_eta_is_sum_of_squared_hermite_coefficients[silu]",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid in HEAVY:
            item.add_marker(pytest.mark.slow)
