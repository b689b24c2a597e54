"""Exact moments, free cumulants and the moment-cumulant relations."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.sampling.montecarlo import compare, sample_spectra

c = sp.Symbol("c", positive=True)
s2 = sp.Symbol("s2", positive=True)
half = sp.Rational(1, 2)


def narayana(n, x):
    """Independent: N_n(x) = sum_j (1/n) binom(n, j) binom(n, j - 1) x^(j-1)."""
    return sp.expand(sum(sp.binomial(n, j) * sp.binomial(n, j - 1) * x ** (j - 1)
                         for j in range(1, n + 1)) / n)


def test_semicircle_moments_are_catalan_and_cumulants_are_s2():
    law = rs.semicircle(s2)
    ms = law.moments(12)
    assert ms == [0 if k % 2 else sp.catalan(k // 2) * s2 ** (k // 2) for k in range(1, 13)]
    assert law.free_cumulants(6) == [0, s2, 0, 0, 0, 0]


def test_marchenko_pastur_moments_are_narayana_polynomials():
    ms = rs.marchenko_pastur(c).moments(10)
    assert all(sp.expand(m - narayana(n, c)) == 0 for n, m in enumerate(ms, 1))


def test_marchenko_pastur_free_cumulants():
    assert rs.marchenko_pastur(c).free_cumulants(8) == [c**n for n in range(8)]


@pytest.mark.parametrize("factors", [2, 3])
def test_products_of_square_wisharts_are_fuss_catalan(factors):
    law = rs.marchenko_pastur(1)
    for _ in range(factors - 1):
        law = rs.free_multiply(law, rs.marchenko_pastur(1))
    expected = [sp.binomial((factors + 1) * n, n) / (factors * n + 1) for n in range(1, 16)]
    assert law.moments(15) == expected


LAWS = [
    rs.semicircle(2),
    rs.marchenko_pastur(sp.Rational(1, 3)),
    rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1)),
    rs.free_multiply(rs.marchenko_pastur(1), rs.marchenko_pastur(1)),
    rs.atomic([-1, 2], [sp.Rational(2, 3), sp.Rational(1, 3)]),
]


@pytest.mark.parametrize("law", LAWS, ids=str)
def test_round_trip_moments_cumulants_50_terms(law):
    ms = law.moments(50)
    ks = rs.moments_to_free_cumulants(ms)
    assert rs.free_cumulants_to_moments(ks) == ms
    # and the cumulants agree with the independent R-transform series
    assert ks == law.free_cumulants(50)
    cl = rs.moments_to_classical_cumulants(ms)
    assert rs.classical_cumulants_to_moments(cl) == ms


def test_atomic_moments_match_direct_sum():
    law = LAWS[-1]
    assert law.moments(6) == [sp.Rational(2, 3) * (-1) ** n + sp.Rational(1, 3) * 2**n
                              for n in range(1, 7)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "law",
    [rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1)),
     rs.free_add(rs.marchenko_pastur(half), rs.semicircle(sp.Rational(1, 5)))],
    ids=str,
)
def test_first_eight_moments_agree_with_monte_carlo(law):
    """N = 1000, 8 draws.  Each moment: |MC - exact| within 5 standard errors plus the O(1/N)
    finite-size bias (bounded by 10 m_k^(...) / N for these bounded spectra)."""
    spectra = sample_spectra(law, 1000, 8, np.random.default_rng(11))
    cmp = compare(law, spectra, n_moments=8)
    for exact, mc, se in zip(cmp.moments_exact, cmp.moments_mc, cmp.standard_errors):
        assert abs(mc - exact) <= 5 * se + 10 * abs(exact) / 1000 + 1e-3


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: rs.semicircle(1).moments(0), "n"),
        (lambda: rs.semicircle(1).moments(2.5), "n"),
        (lambda: rs.semicircle(1).moments("3"), "n"),
        (lambda: rs.semicircle(1).moments(True), "n"),
        (lambda: rs.semicircle(1).free_cumulants(-1), "n"),
        (lambda: rs.moments_to_free_cumulants([2, 1, 3], starts_at=0), "moments[0]"),
        (lambda: rs.moments_to_classical_cumulants([0, 1], starts_at=0), "moments[0]"),
        (lambda: rs.moments_to_free_cumulants([]), "moments"),
        (lambda: rs.moments_to_free_cumulants([1], starts_at=2), "starts_at"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(rs.ParameterError) as info:
        call()
    assert info.value.name == name


def test_sequence_with_m0_accepted_when_it_is_one():
    assert rs.moments_to_free_cumulants([1, 0, 1, 0, 2], starts_at=0) == [0, 1, 0, 0]


ROUTE_LAWS = [
    rs.semicircle(2),
    rs.marchenko_pastur(sp.Rational(1, 3)),
    rs.hessian_law(half, sp.Rational(1, 10)),
    rs.atomic([-1, 2], [sp.Rational(2, 3), sp.Rational(1, 3)]),
]


@pytest.mark.parametrize("law", ROUTE_LAWS, ids=str)
def test_series_and_recurrence_routes_agree_exactly(law):
    by_series = law.moments(40, method="series")
    assert law.moments(40, method="recurrence") == by_series
    assert law.moments(40) == by_series


def test_auto_route_picks_the_recurrence_for_many_terms_of_a_numeric_law():
    from rmtsym.algebra.moments import moment_route

    P = rs.hessian_law(half, sp.Rational(1, 10)).expr
    assert moment_route(P, 10) == "series"
    assert moment_route(P, 1000) == "recurrence"
    assert moment_route(rs.semicircle(s2).expr, 1000) == "series"      # symbolic: series
    with pytest.raises(rs.ParameterError) as info:
        rs.semicircle(1).moments(3, method="fast")
    assert info.value.name == "method"
