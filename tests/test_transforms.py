"""Transforms and free convolutions by the polynomial method, checked exactly."""

from __future__ import annotations

import pytest
import sympy as sp

import rmtsym as rs
from rmtsym.algebra.transforms import is_physical
from rmtsym.core.power_series import series_root
from rmtsym.core.symbols import G, R, S, m, w, z

c, s2, phi, eps = sp.symbols("c s2 phi eps", positive=True)
half = sp.Rational(1, 2)


def proportional(p, q, var):
    """p = k q for a nonzero constant k (free of the variables)."""
    ratio = sp.cancel(p / q)
    return ratio != 0 and not ratio.free_symbols & {G, z, m, R, S, w}


def test_r_transforms_of_anchors():
    assert rs.semicircle(s2).r_transform() == s2 * w
    assert sp.simplify(rs.marchenko_pastur(c, s2).r_transform() - s2 / (1 - c * s2 * w)) == 0


def test_s_transform_of_marchenko_pastur():
    assert sp.simplify(rs.marchenko_pastur(c, s2).s_transform() - 1 / (s2 * (1 + c * w))) == 0


def test_semicircle_s_polynomial_zero_mean():
    # Rao-Edelman: L_sy = s^2 y - 1 in the Stieltjes sign; here S^2 w - 1 (G = -m flips nothing in S)
    assert rs.semicircle(1).s_polynomial() == S**2 * w - 1


def test_stieltjes_of_semicircle_matches_rao_edelman():
    assert rs.semicircle(1).stieltjes_polynomial() == m**2 + m * z + 1


def test_free_sum_mp_half_plus_semicircle_rao_edelman_cubic():
    law = rs.free_add(rs.marchenko_pastur(half), rs.semicircle(1))
    target = m**3 + (z + 2) * m**2 + (2 * z - 1) * m + 2
    assert proportional(law.stieltjes_polynomial(), target, m)


def test_free_product_semicircle_mp_half_rao_edelman_quartic():
    law = rs.free_multiply(rs.semicircle(1), rs.marchenko_pastur(half))
    target = m**4 * z**2 - 2 * m**3 * z + m**2 + 4 * m * z + 4
    assert proportional(law.stieltjes_polynomial(), target, m)


def test_pennington_bahri_cubic_with_symbols():
    law = rs.free_add(rs.marchenko_pastur(phi), rs.semicircle(2 * eps))
    target = 2 * eps * phi * G**3 - (2 * eps + phi * z) * G**2 + (z + phi - 1) * G - 1
    assert proportional(law.expr, target, G)
    # and the widely copied "+1" version is not what the engine derives
    wrong = 2 * eps * phi * G**3 - (2 * eps + phi * z) * G**2 + (z + phi - 1) * G + 1
    assert not proportional(law.expr, wrong, G)


def test_results_are_canonical_square_free_primitive():
    law = rs.free_add(rs.marchenko_pastur(phi), rs.semicircle(2 * eps))
    poly = sp.Poly(law.expr, G, z, phi, eps)
    assert poly.sqf_part() == poly or poly.sqf_part() == -poly
    assert poly.primitive()[0] == 1
    assert is_physical(law.expr)


PAIRS_ADD = [
    (rs.marchenko_pastur(half), rs.semicircle(1)),
    (rs.marchenko_pastur(sp.Rational(1, 3)), rs.marchenko_pastur(2)),
    (rs.atomic([-1, 1], [half, half]), rs.semicircle(sp.Rational(1, 4))),
    (rs.free_poisson(2, 3), rs.shift(rs.semicircle(1), 1)),
]


@pytest.mark.parametrize(("a", "b"), PAIRS_ADD, ids=lambda x: str(x))
def test_free_cumulants_add(a, b):
    n = 7
    ka, kb = a.free_cumulants(n), b.free_cumulants(n)
    kc = rs.free_add(a, b).free_cumulants(n)
    assert all(sp.simplify(x + y - u) == 0 for x, y, u in zip(ka, kb, kc))


def _s_series(law, n):
    mean = law.moments(1)[0]
    return series_root(law.s_polynomial(), S, w, 1 / mean, n)


PAIRS_MUL = [
    (rs.marchenko_pastur(half), rs.marchenko_pastur(sp.Rational(1, 3))),
    (rs.marchenko_pastur(half), rs.free_poisson(2, 3)),
    (rs.shift(rs.semicircle(sp.Rational(1, 9)), 1), rs.marchenko_pastur(2)),
]


@pytest.mark.parametrize(("a", "b"), PAIRS_MUL, ids=lambda x: str(x))
def test_s_transforms_multiply(a, b):
    n = 6
    sa, sb = _s_series(a, n), _s_series(b, n)
    prod = [sum(sa[i] * sb[k - i] for i in range(k + 1)) for k in range(n)]
    sc = _s_series(rs.free_multiply(a, b), n)
    assert all(sp.simplify(x - y) == 0 for x, y in zip(prod, sc))


def test_free_multiply_of_two_zero_mean_laws_is_refused():
    with pytest.raises(rs.ConvolutionError, match="nonzero mean"):
        rs.free_multiply(rs.semicircle(1), rs.semicircle(2))


def test_scale_and_shift_moments():
    law = rs.shift(rs.scale(rs.semicircle(1), 2), 3)   # 2 X + 3, X semicircle: mean 3, var 4
    m1, m2 = law.moments(2)
    assert (m1, m2 - m1**2) == (3, 4)


def test_scale_by_zero_is_refused():
    with pytest.raises(rs.ParameterError, match="nonzero"):
        rs.scale(rs.semicircle(1), 0)


def test_explicit_cauchy_of_semicircle_is_the_physical_branch():
    g = rs.semicircle(1).cauchy_explicit()
    assert sp.limit(z * g, z, sp.oo) == 1
    assert sp.expand(g**2 - z * g + 1) == 0
