"""Dual-activation kernels: closed forms against Monte Carlo over w, K(1) = eta, K'(0) = zeta."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from rmtsym.errors import ParameterError
from rmtsym.gaussian.activations import activation
from rmtsym.gaussian.kernels import RHO, ck_matrix, kernel_map

A = np.array([0.9, -0.3, 0.5])
B = np.array([0.2, 0.7, -0.6])

# every row of REFERENCES.md 5.3 (the quadratic with A, B, C = 1/2, -1, 1/3)
ROWS = ["identity", "relu", "abs", "erf", "step", "sign", "cos", "sin", "gaussian",
        "x^2/2 - x + 1/3"]


@pytest.mark.parametrize("name", ROWS)
def test_kernel_matches_monte_carlo_over_w(name, rng):
    act = activation(name)
    phi = ck_matrix(act, np.stack([A, B], axis=1))
    n = 1_000_000  # standard error s/sqrt(n); tolerance 5 standard errors
    w = rng.standard_normal((n, 3))
    samples = act(w @ A) * act(w @ B)
    se = samples.std() / np.sqrt(n)
    for i, j, mc, err in ((0, 1, samples.mean(), se),
                          (0, 0, np.mean(act(w @ A) ** 2), np.std(act(w @ A) ** 2) / np.sqrt(n))):
        assert abs(phi[i, j] - mc) < 5 * err + 1e-12, (name, phi[i, j], mc, err)


def test_quadratic_row_equals_the_published_formula():
    a_, b_, c_ = sp.Rational(1, 2), -1, sp.Rational(1, 3)
    phi = ck_matrix(activation("x^2/2 - x + 1/3"), np.stack([A, B], axis=1))[0, 1]
    ab, na, nb = A @ B, A @ A, B @ B
    ref = (float(a_ ** 2) * (2 * ab ** 2 + na * nb) + b_ ** 2 * ab + float(a_ * c_) * (na + nb)
           + float(c_) ** 2)
    assert abs(phi - ref) < 1e-14 * max(1, abs(ref))


@pytest.mark.parametrize("name", ["relu", "abs", "erf", "sign", "step", "cos", "sin", "gaussian",
                                  "quadratic", "leaky_relu", "identity"])
def test_kernel_at_one_is_eta_and_slope_at_zero_is_zeta(name):
    act = activation(name)
    k = kernel_map(act)
    assert k.exact
    eta, zeta = act.eta().value, act.zeta().value
    k1 = sp.limit(k.expr, RHO, 1, "-")
    dk0 = sp.diff(k.expr, RHO).subs(RHO, 0)
    with mp.workdps(40):
        assert mp.almosteq(mp.mpf(sp.N(k1, 40)), mp.mpf(sp.N(eta, 40)), 1e-35)
        assert mp.almosteq(mp.mpf(sp.N(dk0, 40)), mp.mpf(sp.N(zeta, 40)), 1e-35)


def test_named_closed_forms():
    assert kernel_map(activation("sign")).expr == 2 * sp.asin(RHO) / sp.pi
    assert kernel_map(activation("erf")).expr == 2 * sp.asin(2 * RHO / 3) / sp.pi
    relu = kernel_map(activation("relu")).expr
    arccos = (sp.sqrt(1 - RHO ** 2) + (sp.pi - sp.acos(RHO)) * RHO) / (2 * sp.pi)
    assert sp.simplify((relu - arccos).rewrite(sp.asin)) == 0


def test_hermite_series_fallback_converges():
    k = kernel_map(activation("tanh"), order=25)
    assert not k.exact and "Hermite" in k.method and 0 < k.tail < 1e-3
    act = activation("tanh")
    assert abs(float(k.expr.subs(RHO, 1)) - float(act.eta())) < 2 * k.tail + 1e-12
    with pytest.raises(ParameterError, match="closed form"):
        ck_matrix(act, np.eye(3))


def test_ck_matrix_bad_input():
    with pytest.raises(ParameterError, match="nonzero"):
        ck_matrix(activation("relu"), np.zeros((3, 2)))
    with pytest.raises(ParameterError):
        ck_matrix(activation("relu"), np.ones(3))
