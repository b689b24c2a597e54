"""Gaussian expectations, Hermite coefficients, eta and zeta.

Every exact value is checked against mpmath quadrature of the same integrand at >= 30 digits (the
numeric path, an independent algorithm), and against the literature value where one is stated
(REFERENCES.md 2.6).
"""

from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp

from rmtsym.errors import ParameterError
from rmtsym.gaussian.activations import activation
from rmtsym.gaussian.expectations import X, gaussian_expectation, hermite_he

DIGITS = 32


def agree(exact_value, numeric_value, digits=30):
    with mp.workdps(digits + 10):
        a = mp.mpf(sp.N(exact_value, digits + 10))
        return mp.almosteq(a, numeric_value, rel_eps=mp.mpf(10) ** (-digits),
                           abs_eps=mp.mpf(10) ** (-digits))


EXACT_CASES = ["relu", "abs", "erf", "sign", "quadratic", "sin", "cos", "step", "cubic",
               "gaussian", "hard_tanh", "leaky_relu", "gelu", "identity"]


@pytest.mark.parametrize("name", EXACT_CASES)
@pytest.mark.parametrize("scale", [1, sp.Rational(7, 5)])
def test_exact_eta_zeta_mean_agree_with_quadrature(name, scale):
    act = activation(name)
    for expr in (act.expr, act.expr ** 2, act.expr * X / scale):
        e = gaussian_expectation(expr, scale)
        assert e.exact, (name, expr)
        q = gaussian_expectation(expr, scale, exact=False, digits=DIGITS)
        assert not q.exact and q.error < mp.mpf(10) ** -30
        assert agree(e.value, q.value), (name, expr, e.value, q.value)


def test_literature_values_exactly():
    relu = activation("relu").centred()
    assert sp.simplify(relu.eta().value - (sp.pi - 1) / (2 * sp.pi)) == 0
    assert relu.zeta().value == sp.Rational(1, 4)
    ab = activation("abs").centred()
    assert sp.simplify(ab.eta().value - (1 - 2 / sp.pi)) == 0
    assert ab.zeta().value == 0
    erf = activation("erf")
    assert sp.simplify(erf.eta().value - 2 / sp.pi * sp.asin(sp.Rational(2, 3))) == 0
    assert sp.simplify(erf.zeta().value - 4 / (3 * sp.pi)) == 0
    assert activation("sign").eta().value == 1
    assert activation("sign").zeta().value == 2 / sp.pi
    assert activation("quadratic").eta().value == 3
    assert sp.simplify(activation("sin").eta().value - (1 - sp.exp(-2)) / 2) == 0
    assert sp.simplify(activation("cos").eta().value - (1 + sp.exp(-2)) / 2) == 0


def test_symbolic_scale():
    s = sp.Symbol("s", positive=True)
    relu = activation("relu")
    assert relu.eta(s).value == s ** 2 / 2
    assert sp.simplify(relu.mean(s).value - s / sp.sqrt(2 * sp.pi)) == 0
    erf = activation("erf")
    val = erf.eta(s).value
    assert sp.simplify(val.subs(s, 1) - 2 / sp.pi * sp.asin(sp.Rational(2, 3))) == 0
    assert sp.simplify(erf.zeta(s).value - 4 * s ** 2 / (sp.pi * (1 + 2 * s ** 2))) == 0


SMOOTH = ["tanh", "sigmoid", "gelu", "silu", "softplus"]


@pytest.mark.parametrize("name", SMOOTH)
def test_stein_identity_zeta_is_first_hermite_squared(name):
    act = activation(name).centred()
    zeta = act.zeta(digits=DIGITS).mp(DIGITS)
    deriv = gaussian_expectation(sp.diff(act.expr, X), exact=False, digits=DIGITS).value
    with mp.workdps(40):
        assert mp.almosteq(zeta, deriv ** 2, rel_eps=mp.mpf(10) ** -30)


@pytest.mark.parametrize("name", SMOOTH)
def test_eta_is_sum_of_squared_hermite_coefficients(name):
    act = activation(name)
    eta = act.eta(digits=20).mp(20)
    with mp.workdps(30):
        partial, tails = mp.mpf(0), []
        for n in range(25):
            partial += act.hermite(n, digits=20).mp(20) ** 2
            if n in (8, 16, 24):
                tails.append(eta - partial)
    assert all(t >= -mp.mpf(10) ** -18 for t in tails)
    assert tails[0] > tails[1] > tails[2]
    assert tails[2] < 0.01 * tails[0]  # converging (sub-exponentially for tanh-like f)


def test_tanh_reference_values():
    tanh = activation("tanh")
    with mp.workdps(40):  # agreement of two quadratures at different precisions: 30 digits
        a, b = tanh.eta(digits=30).mp(30), tanh.eta(digits=45).mp(45)
        assert mp.almosteq(a, b, mp.mpf(10) ** -30)
    assert mp.nstr(tanh.zeta().mp(30), 6) == "0.366879"


def test_hermite_coefficients_exact():
    relu = activation("relu")
    assert relu.hermite(0).value == 1 / sp.sqrt(2 * sp.pi)
    assert relu.hermite(1).value == sp.Rational(1, 2)
    assert relu.hermite(3).value == 0
    cubic = activation("cubic")
    assert [cubic.hermite(n).value for n in range(5)] == [0, 3, 0, sp.sqrt(6), 0]
    assert hermite_he(2) == X ** 2 - 1


def test_designed_activations_of_pennington_worah():
    f1 = activation("-1 + sqrt(5)*exp(-2*x^2)")
    assert f1.mean().value == 0 and f1.zeta().value == 0 and f1.eta().value == sp.Rational(2, 3)
    f2 = activation("sin(2*x) + cos(3*x/2) - 2*exp(-2)*x - exp(-9/8)")
    assert f2.mean().value == 0 and f2.zeta().value == 0
    assert mp.nstr(f2.eta().mp(20), 6) == "0.826725"
    f3 = activation("(1 - 4/sqrt(3)*exp(-x^2/2))*erf(x)")
    assert f3.mean().value == 0 and sp.simplify(f3.zeta().value) == 0
    assert mp.nstr(f3.eta().mp(20), 6) == "0.182585"


def test_mean_field_maps():
    relu = activation("relu")
    q = sp.Symbol("q", positive=True)
    assert relu.length_map(q, sigma_w=sp.sqrt(2), sigma_b=0).value == q
    assert relu.chi(q, sigma_w=sp.sqrt(2)).value == 1
    ht = activation("hard_tanh")
    chi = ht.chi(sp.Rational(1, 2)).value  # E[1_{|sqrt(q) Z| < 1}] = erf(1/sqrt(2q))
    assert sp.simplify(chi - sp.erf(1)) == 0
    with pytest.raises(ParameterError, match="jumps"):
        activation("sign").chi(1)


def test_non_integrable_and_bad_scale():
    with pytest.raises(ParameterError, match="integrable"):
        activation("exp(x^2)").eta()
    with pytest.raises(ParameterError, match="integrable"):
        activation("exp(x^2/3)*tanh(x)").eta()
    with pytest.raises(ParameterError, match="scale"):
        activation("tanh").eta(-1)
    with pytest.raises(ParameterError, match="scale"):
        activation("tanh").eta(0)
    with pytest.raises(ParameterError):
        activation("tanh").eta(digits=2)
    with pytest.raises(ParameterError):
        gaussian_expectation("x**2")
    with pytest.raises(ParameterError, match="singular"):
        activation("1/x").eta()
    with pytest.raises(ParameterError, match="singular"):
        activation("tanh(x)/(x - 1)").eta()
    with pytest.raises(ParameterError, match=r"real-valued|singular"):
        activation("sqrt(x)").eta()
    with pytest.raises(ParameterError, match=r"real-valued|singular"):
        activation("log(x)").mean()
