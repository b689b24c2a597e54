"""Theory against Monte Carlo on sampled matrices.

Tolerance for the KS distance: the pooled spectrum has n = N * draws eigenvalues.  For n i.i.d.
samples the 1% critical value of the KS statistic is 1.63 / sqrt(n); eigenvalues of one matrix are
far more regular than i.i.d. samples (their empirical CDF fluctuates by O(log N / N)), so this bound
is conservative, while the finite-N bias of the spectrum (O(1/N) in the bulk, O(N^(-2/3)) at the
edges) stays well inside it for N = 1000.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.sampling.montecarlo import compare, haar_orthogonal, sample_matrix, sample_spectra

N, DRAWS = 1000, 3
KS_TOL = 1.63 / np.sqrt(N * DRAWS)

LAWS = [
    rs.free_add(rs.marchenko_pastur(sp.Rational(1, 2)), rs.semicircle(1)),
    rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(sp.Rational(1, 2))),
    rs.free_multiply(rs.marchenko_pastur(sp.Rational(1, 2)), rs.marchenko_pastur(2)),
    rs.free_add(rs.atomic([-1, 1], [sp.Rational(1, 2)] * 2), rs.semicircle(sp.Rational(1, 4))),
]


@pytest.mark.parametrize("law", LAWS, ids=str)
def test_free_convolutions_agree_with_monte_carlo(law):
    rng = np.random.default_rng(7)
    spectra = sample_spectra(law, N, DRAWS, rng)
    cmp = compare(law, spectra, n_moments=4)
    assert cmp.ks < KS_TOL, cmp
    # moments: statistical error (z) plus an O(1/N) finite-size bias
    for exact, mc, se in zip(cmp.moments_exact, cmp.moments_mc, cmp.standard_errors):
        assert abs(mc - exact) <= 5 * se + 20 * (1 + abs(exact)) / N


@pytest.mark.parametrize("law", [rs.semicircle(2), rs.marchenko_pastur(3),
                                 rs.free_poisson(2, -1), rs.shift(rs.scale(rs.semicircle(1), 2), 1)],
                         ids=str)
def test_catalogue_samplers(law):
    spectra = sample_spectra(law, 600, 2, np.random.default_rng(3))
    assert compare(law, spectra).ks < 1.63 / np.sqrt(1200)


def test_haar_orthogonal_is_orthogonal_and_seeded():
    a = haar_orthogonal(50, np.random.default_rng(1))
    b = haar_orthogonal(50, np.random.default_rng(1))
    assert np.allclose(a @ a.T, np.eye(50)) and np.array_equal(a, b)


def test_sampler_rejects_bad_input():
    law = rs.semicircle(1)
    with pytest.raises(rs.ParameterError, match="Generator"):
        sample_matrix(law, 10, 42)
    with pytest.raises(rs.ParameterError, match="positive integer"):
        sample_matrix(law, 0, np.random.default_rng(0))
    with pytest.raises(rs.SymbolicParameterError):
        sample_matrix(rs.semicircle(rs.parameter("s")), 10, np.random.default_rng(0))
    with pytest.raises(rs.ParameterError, match="2 independent draws"):
        compare(law, [np.zeros(3)])
