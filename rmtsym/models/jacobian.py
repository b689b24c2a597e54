"""The input-output Jacobian of a deep network at initialisation (Pennington, Schoenholz & Ganguli
2017): J = D_L W_L ... D_1 W_1, D_l = diag(phi'(h_l)), and the spectrum of J J^T.

Under free independence of the layers and h_l ~ N(0, q*) at every layer, the S-transform is
multiplicative: S_{JJ^T} = S_{WW^T}^L S_{D^2}^L.  The layer laws:

* W W^T: Marchenko-Pastur of ratio 1 and variance sigma_w^2 (Gaussian weights),
  S = 1 / (sigma_w^2 (1 + w)); an atom at sigma_w^2 (orthogonal weights), S = 1 / sigma_w^2;
* D^2 = phi'(h)^2, h ~ N(0, q*): an atomic law when phi'^2 is piecewise constant (relu, hard-tanh,
  identity), whose S-transform is rational for at most two atoms; otherwise a law known through its
  moments mu_k = E[phi'(h)^(2k)], whose S-transform is an exact power series.

For numeric depth L and rational layer S-transforms S_W S_D = N(w) / D(w) the law of J J^T is
built in one step from the S-polynomial D(w)^L S - N(w)^L (no chain of L resultants).  For symbolic
L the moments are closed forms in L read from the series of S^L = exp(L log S).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from ..algebra.transforms import from_s_polynomial
from ..core.inputs import exact, integer_in, positive
from ..core.symbols import S, w
from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.expectations import X
from ..laws.algebraic import AlgebraicLaw, Recipe
from ..laws.catalog import atomic, marchenko_pastur
from .mean_field import as_activation, chi_of_q, mean_field

__all__ = [
    "WEIGHTS",
    "JacobianModel",
    "d2_atoms",
    "d2_law",
    "d2_moments",
    "jacobian_cdf",
    "jacobian_density",
    "jacobian_lambda_max",
    "jacobian_law",
    "jacobian_law_by_name",
    "jacobian_model",
    "jacobian_moments",
    "jacobian_variance",
    "s_series_from_moments",
    "weight_law",
    "weight_s_transform",
]

WEIGHTS = ("gaussian", "orthogonal")
#: the symbolic depth
L = sp.Symbol("L", positive=True, integer=True)


def _check_weights(weights: str) -> str:
    if weights not in WEIGHTS:
        raise ParameterError("weights", weights, f"one of {', '.join(WEIGHTS)}")
    return weights


def weight_law(weights: str, sigma_w: object = 1) -> AlgebraicLaw:
    """The law of W W^T: MP(1, sigma_w^2) (Gaussian) or an atom at sigma_w^2 (orthogonal).

    Examples
    --------
    >>> weight_law("gaussian", sp.sqrt(2)).s_transform()
    1/(2*(w + 1))
    >>> weight_law("orthogonal", sp.sqrt(2)).atoms()
    {2: 1}
    """
    sw = positive(sigma_w, "sigma_w")
    if _check_weights(weights) == "gaussian":
        return marchenko_pastur(1, sw ** 2)
    return atomic([sw ** 2], [1])


def weight_s_transform(weights: str, sigma_w: object = 1) -> sp.Expr:
    """S_{WW^T}(w): 1 / (sigma_w^2 (1 + w)) or 1 / sigma_w^2, read from the law's S-polynomial.

    Examples
    --------
    >>> weight_s_transform("orthogonal", 3)
    1/9
    """
    sw = positive(sigma_w, "sigma_w")
    s2 = sp.Symbol("s2", positive=True)  # derived with a symbol, then sigma_w^2 substituted
    P = weight_law(weights, sp.sqrt(s2)).s_polynomial()
    return sp.factor(sp.solve(P, S)[0].subs(s2, sw ** 2))


# --- the law of D^2 -------------------------------------------------------------------------------


def _derivative_pieces(a: Activation) -> list[tuple[sp.Expr, sp.Expr, sp.Expr]] | None:
    """[(value of phi'^2, left, right), ...] when phi'^2 is piecewise constant, else None."""
    d2 = sp.piecewise_fold(a.derivative() ** 2)
    if not d2.has(X):
        return [(d2, -sp.oo, sp.oo)]
    if not isinstance(d2, sp.Piecewise):
        return None
    out, left = [], -sp.oo
    for val, cond in d2.args:
        if val.has(X):
            return None
        if cond is sp.true:
            out.append((val, left, sp.oo))
            break
        if not (isinstance(cond, (sp.StrictLessThan, sp.LessThan)) and cond.lhs == X):
            return None
        out.append((val, left, cond.rhs))
        left = cond.rhs
    return out


def _gauss_mass(a: sp.Expr, b: sp.Expr, q: sp.Expr) -> sp.Expr:
    def cdf(t):
        return sp.Integer(1) if t == sp.oo else sp.Integer(0) if t == -sp.oo else \
            (1 + sp.erf(t / sp.sqrt(2 * q))) / 2
    return sp.simplify(cdf(b) - cdf(a))


def d2_atoms(act: object, q_star: object) -> dict | None:
    """{value: mass} of D^2 = phi'(h)^2, h ~ N(0, q*), when phi'^2 is piecewise constant.

    Examples
    --------
    >>> d2_atoms("relu", 1)
    {0: 1/2, 1: 1/2}
    >>> d2_atoms("hard_tanh", sp.Symbol("q", positive=True))
    {0: 1 - erf(sqrt(2)/(2*sqrt(q))), 1: erf(sqrt(2)/(2*sqrt(q)))}
    """
    a = as_activation(act)
    pieces = _derivative_pieces(a)
    if pieces is None:
        return None
    q = exact(q_star, "q_star")
    out: dict = {}
    for val, lo, hi in pieces:
        out[val] = sp.simplify(out.get(val, 0) + _gauss_mass(lo, hi, q))
    return {k: v for k, v in sorted(out.items(), key=lambda kv: sp.N(kv[0])) if v != 0}


def d2_law(act: object, q_star: object, digits: int = 30) -> AlgebraicLaw:
    """The law of D^2 = phi'(h)^2, h ~ N(0, q*), as an atomic AlgebraicLaw (relu, hard-tanh, ...).

    Transcendental masses (hard-tanh's erf(1 / sqrt(2 q*))) are replaced by rationals accurate to
    ``digits`` digits, so that the law stays algebraic over Q.

    Examples
    --------
    >>> d2_law("relu", 1).s_transform()
    2*(w + 1)/(2*w + 1)
    """
    atoms = d2_atoms(act, q_star)
    if atoms is None:
        raise ParameterError("activation", as_activation(act).name, "an activation with phi'^2 "
                             "piecewise constant (relu, hard_tanh, identity, ...) for an atomic "
                             "D^2; use d2_moments for smooth activations")
    pts = list(atoms)
    masses = [_rational(v, digits) for v in atoms.values()]
    masses[-1] = 1 - sum(masses[:-1])
    return atomic(pts, masses)


def _rational(v: sp.Expr, digits: int) -> sp.Expr:
    if v.is_Rational or v.free_symbols:
        return v
    return exact(sp.N(v, digits), "mass")


def d2_moments(act: object, q_star: object, k: int, digits: int = 30) -> list:
    """[mu_1, ..., mu_k], mu_j = E[phi'(h)^(2j)], h ~ N(0, q*): exact where the Gaussian
    expectation has a closed form.

    Examples
    --------
    >>> d2_moments("erf", sp.Symbol("q", positive=True), 2)
    [4/(pi*sqrt(4*q + 1)), 16/(pi**2*sqrt(8*q + 1))]
    """
    k = integer_in(k, "k", 1, 40)
    q = exact(q_star, "q_star")
    return [chi_of_q(act, 1, q, j, digits) for j in range(1, k + 1)]


# --- S-transform series -------------------------------------------------------------------------


def _trunc(expr: sp.Expr, n: int) -> sp.Expr:
    p = sp.Poly(sp.expand(expr), w)
    return sum(c * w ** e[0] for e, c in p.terms() if e[0] < n)


def _series_inverse(a: sp.Expr, n: int) -> sp.Expr:
    """1 / a mod w^n for a series a with a(0) != 0."""
    a0 = a.subs(w, 0)
    b = 1 / a0
    for _ in range(n.bit_length() + 1):
        b = _trunc(sp.expand(b * (2 - a * b)), n)
    return b


def s_series_from_moments(moments: list) -> list:
    """[s_0, ..., s_{k-1}] of S(w) = sum s_j w^j from the moments [m_1, ..., m_k] (m_1 != 0).

    chi(w) = w S(w) / (1 + w) inverts psi(y) = sum m_j y^j; the series is exact in the moments.

    Examples
    --------
    >>> s_series_from_moments([1, 2, 5])          # MP(1): S = 1/(1 + w)
    [1, -1, 1]
    """
    k = len(moments)
    ps = sum(m * w ** (j + 1) for j, m in enumerate(moments))
    # reversion: chi with psi(chi(w)) = w, by Newton on the truncated series
    chi = w / moments[0]
    for _ in range(k.bit_length() + 2):
        comp = _trunc(sp.expand(ps.subs(w, chi)), k + 1)
        dps = _trunc(sp.expand(sp.diff(ps, w).subs(w, chi)), k + 1)
        chi = _trunc(sp.expand(chi - (comp - w) * _series_inverse(dps, k + 1)), k + 1)
    s = sp.expand(sp.cancel(chi * (1 + w) / w))
    return [sp.simplify(s.coeff(w, j)) for j in range(k)]


def _log_series(coeffs: list) -> list:
    """[c_1, ..., c_{n-1}] of log(sum coeffs_j w^j / coeffs_0) mod w^n."""
    n = len(coeffs)
    a = sum(c / coeffs[0] * w ** j for j, c in enumerate(coeffs))
    da = sp.diff(a, w)
    q = _trunc(sp.expand(da * _series_inverse(a, n)), n - 1)
    return [sp.simplify(q.coeff(w, j - 1) / j) for j in range(1, n)]


# --- the Jacobian model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JacobianModel:
    """A deep network's Jacobian J J^T at one point (activation, weights, sigma_w, sigma_b).

    Attributes
    ----------
    activation : Activation
    weights : str
    sigma_w, sigma_b : sympy.Expr
    q_star : sympy.Expr
        The fixed point used for the law of D^2 (1 when every q is a fixed point).
    layer_s : sympy.Expr or None
        S_{WW^T} S_{D^2} as a rational function of w when D^2 is atomic with at most two atoms.
    """

    activation: Activation
    weights: str
    sigma_w: sp.Expr
    sigma_b: sp.Expr
    q_star: sp.Expr
    layer_s: sp.Expr | None


def jacobian_model(act: object, weights: str = "gaussian", sigma_w: object = 1,
                   sigma_b: object = 0, q_star: object = None, digits: int = 30
                   ) -> JacobianModel:
    """The layer data of the Jacobian: q* from the mean field (or given), and S_W S_D.

    Examples
    --------
    >>> jacobian_model("relu", "gaussian", sp.sqrt(2)).layer_s
    1/(2*w + 1)
    """
    a = as_activation(act)
    _check_weights(weights)
    sw, sb = positive(sigma_w, "sigma_w"), exact(sigma_b, "sigma_b")
    q = _q_star(a, sw, sb, q_star, digits)
    atoms = d2_atoms(a, q)
    layer = None
    if atoms is not None and len(atoms) <= 2:
        sd = _two_atom_s(atoms)
        if sd is not None:
            layer = sp.factor(sp.cancel(weight_s_transform(weights, sw) * sd))
    return JacobianModel(a, weights, sw, sb, q, layer)


def _two_atom_s(atoms: dict) -> sp.Expr | None:
    """S(w) of c delta_c (one atom) or (1 - p) delta_0 + p delta_c: 1/c, (1 + w) / (c (w + p))."""
    pts = list(atoms)
    if len(pts) == 1:
        return 1 / pts[0]
    if pts[0] != 0:
        return None
    p = atoms[pts[1]]
    return (1 + w) / (pts[1] * (w + p))


def _q_star(a: Activation, sw, sb, q_star, digits: int) -> sp.Expr:
    if q_star is not None:
        return positive(q_star, "q_star")
    mf = mean_field(a, sw, sb, digits)
    if mf.q_star is None:
        return sp.Integer(1)
    if mf.q_star == sp.oo or mf.q_star == 0:
        pieces = d2_atoms(a, sp.Symbol("q", positive=True))
        if pieces is not None and not any(v.free_symbols for v in pieces.values()):
            return sp.Integer(1)  # the law of D^2 does not depend on q*
        raise ParameterError("sigma_w", sw, f"a point with a finite positive fixed point q* "
                             f"for {a.name} (here q* = {mf.q_star})")
    return mf.q_star if mf.exact else exact(mf.q_star, "q_star")


def jacobian_law(activation: object, weights: str = "gaussian", depth: object = 1,
                 sigma_w: object = 1, sigma_b: object = 0, q_star: object = None,
                 digits: int = 30) -> AlgebraicLaw:
    """The exact limiting law of J J^T for numeric depth, in one step from S_{JJ^T} = (S_W S_D)^L.

    With S_W S_D = N(w) / D(w) the S-polynomial of J J^T is D(w)^L S - N(w)^L, turned into the
    Cauchy polynomial by :func:`~rmtsym.algebra.transforms.from_s_polynomial`.

    Parameters
    ----------
    act : str or Activation
        An activation whose phi'^2 is piecewise constant with at most two values (relu,
        hard_tanh, identity, step-like).
    weights : {"gaussian", "orthogonal"}
    depth : int
        L >= 1.
    sigma_w, sigma_b : numbers
        The scales; q* is the fixed point of the length map unless ``q_star`` is given.

    Examples
    --------
    >>> law = jacobian_law("relu", "orthogonal", 2, sp.sqrt(2))
    >>> law.moments(2)               # variance L = 2 at criticality
    [1, 3]
    >>> law.atoms()
    {0: 1/2}
    """
    act = activation
    L_ = integer_in(depth, "depth", 1, 200)
    model = jacobian_model(act, weights, sigma_w, sigma_b, q_star, digits)
    if model.layer_s is None:
        raise ParameterError("activation", model.activation.name, "an activation whose D^2 is "
                             "atomic with at most two atoms (relu, hard_tanh, identity); smooth "
                             "activations have only jacobian_moments")
    P = _jacobian_polynomial(_rationalised(model.layer_s, digits), L_)
    args = (("activation", model.activation.name), ("weights", model.weights), ("depth", L_),
            ("sigma_w", model.sigma_w), ("sigma_b", model.sigma_b), ("q_star", model.q_star),
            ("layer_s", model.layer_s))
    return AlgebraicLaw(P, (), Recipe(
        "jacobian", args, template="jacobian(activation={activation},weights={weights},"
        "depth={depth},sw={sigma_w},sb={sigma_b})"))


def _rationalised(expr: sp.Expr, digits: int) -> sp.Expr:
    """A rational function of w with every irrational constant (erf(...) of hard-tanh's mass,
    sigma_w^2 on its critical line) replaced by a rational accurate to ``digits`` digits."""
    num, den = sp.fraction(sp.cancel(expr))
    out = []
    for part in (num, den):
        poly = sp.Poly(part, w)
        out.append(sum(_rational(sp.nsimplify(c) if c.is_Rational else c, digits) * w ** e[0]
                       for e, c in poly.terms()))
    return sp.cancel(out[0] / out[1])


@lru_cache(maxsize=64)
def _jacobian_polynomial(layer_s: sp.Expr, depth: int) -> sp.Expr:
    num, den = sp.fraction(sp.cancel(layer_s))
    return from_s_polynomial(sp.expand(den ** depth * S - num ** depth))


# --- symbolic depth -----------------------------------------------------------------------------


def _layer_s_series(model: JacobianModel, k: int, digits: int) -> list:
    if model.layer_s is not None:
        ser = sp.series(model.layer_s, w, 0, k).removeO()
        return [sp.simplify(ser.coeff(w, j)) for j in range(k)]
    mus = d2_moments(model.activation, model.q_star, k, digits)
    sd = s_series_from_moments(mus)
    sw_ = sp.series(weight_s_transform(model.weights, model.sigma_w), w, 0, k).removeO()
    prod = sp.expand(sum(c * w ** j for j, c in enumerate(sd)) * sw_)
    return [prod.coeff(w, j) for j in range(k)]


def jacobian_moments(activation: object, weights: str = "gaussian", depth: object = L, k: int = 2,
                     sigma_w: object = 1, sigma_b: object = 0, q_star: object = None,
                     digits: int = 30) -> list:
    """[m_1, ..., m_k] of J J^T as closed forms in the depth (the symbol L by default).

    S_{JJ^T} = (S_W S_D)^L = m_1^(-1) exp(L sum_j c_j w^j) with m_1 = (sigma_w^2 mu_1)^L; the
    moments of J J^T / m_1 are polynomials in L read from the series reversion of
    chi(w) = w S(w) / (1 + w).

    Examples
    --------
    >>> m1, m2 = jacobian_moments("relu", "gaussian", k=2, sigma_w=sp.sqrt(2))
    >>> m1, sp.expand(m2 - m1**2)          # variance 2 L at criticality
    (1, 2*L)
    """
    act = activation
    model = jacobian_model(act, weights, sigma_w, sigma_b, q_star, digits)
    k = integer_in(k, "k", 1, 12)
    depth = depth if isinstance(depth, sp.Symbol) else integer_in(depth, "depth", 1, 10000)
    coeffs = _layer_s_series(model, k, digits)
    a = 1 / coeffs[0]  # the layer's mean sigma_w^2 mu_1
    logs = _log_series(coeffs)
    t = sp.expand(sum(c * w ** (j + 1) for j, c in enumerate(logs)) * depth)
    # exp of the series t (no constant term) mod w^k
    ex, term = sp.Integer(1), sp.Integer(1)
    for j in range(1, k):
        term = _trunc(sp.expand(term * t / j), k)
        ex += term
    svals = [sp.expand(ex.coeff(w, j)) for j in range(k)]
    unit = _moments_from_s(svals)
    m1 = sp.simplify(a ** depth)
    return [sp.factor(sp.expand(u)) * m1 ** (j + 1) if m1 != 1 else sp.factor(sp.expand(u))
            for j, u in enumerate(unit)]


def _moments_from_s(svals: list) -> list:
    """Moments [1, m_2, ..., m_k] of the law with S(w) = sum svals_j w^j (svals_0 = 1)."""
    k = len(svals)
    sser = sum(c * w ** j for j, c in enumerate(svals))
    chi = _trunc(sp.expand(w * sser * sum((-w) ** j for j in range(k + 1))), k + 1)
    # psi = chi^{-1}: fixed point psi = w - (chi(psi) - psi) iterated
    ps = w
    for _ in range(k + 1):
        ps = _trunc(sp.expand(ps - (chi.subs(w, ps) - w)), k + 1)
    return [sp.expand(ps.coeff(w, j)) for j in range(1, k + 1)]


def jacobian_variance(act: object, weights: str = "gaussian", depth: object = L,
                      sigma_w: object = 1, sigma_b: object = 0, q_star: object = None,
                      digits: int = 30) -> sp.Expr:
    """sigma^2_{JJ^T} = m_2 - m_1^2 as a closed form in the depth.

    Examples
    --------
    >>> jacobian_variance("relu", "orthogonal", sigma_w=sp.sqrt(2))
    L
    >>> jacobian_variance("identity", "gaussian"), jacobian_variance("identity", "orthogonal")
    (L, 0)
    """
    m1, m2 = jacobian_moments(act, weights, depth, 2, sigma_w, sigma_b, q_star, digits)
    return sp.factor(sp.simplify(m2 - m1 ** 2))


def jacobian_lambda_max(act: object, weights: str = "gaussian", depth: object = L,
                        sigma_w: object = 1, sigma_b: object = 0, q_star: object = None,
                        digits: int = 30) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(w*, the polynomial whose root w* is (the numerator of chi'/chi), lambda_max = 1 / chi(w*))
    for the right edge.

    chi(w) = w S(w) / (1 + w) with S = (S_W S_D)^L increases from 0 on (0, w*); the right edge of
    the support is 1 / chi(w*) at the first positive critical point.  Exact in L for rational
    layer S-transforms.

    Examples
    --------
    >>> ws, eq, lam = jacobian_lambda_max("identity", "gaussian")
    >>> ws, sp.factor(eq), sp.simplify(lam - (L + 1)**(L + 1) / L**L)
    (1/L, -L*w + 1, 0)
    """
    model = jacobian_model(act, weights, sigma_w, sigma_b, q_star, digits)
    if model.layer_s is None:
        raise ParameterError("activation", model.activation.name, "an activation with atomic "
                             "D^2 (at most two atoms) for an exact lambda_max")
    depth = depth if isinstance(depth, sp.Symbol) else integer_in(depth, "depth", 1, 10000)
    dlog = sp.together(1 / w - 1 / (1 + w) + depth * sp.diff(sp.log(model.layer_s), w))
    eq = sp.factor(sp.numer(dlog))
    sols = [s for s in sp.solve(eq, w) if _positive_root(s, depth)]
    chi = w * model.layer_s ** depth / (1 + w)
    if not sols:  # chi increases on (0, oo): the edge is 1 / chi(oo)
        lam = sp.simplify(1 / sp.limit(chi, w, sp.oo))
        if not (lam.is_number and lam.is_positive and lam.is_finite):
            raise ParameterError("depth", depth, "a depth at which chi(w) has a critical point "
                                 "or a finite positive limit")
        return sp.oo, eq, lam
    ws = sp.simplify(min(sols, key=lambda s: sp.N(s.subs(depth, 7)) if isinstance(
        depth, sp.Symbol) else sp.N(s)))
    lam = sp.simplify(1 / chi.subs(w, ws))
    return ws, eq, lam


def _positive_root(s: sp.Expr, depth) -> bool:
    val = s.subs(depth, 7) if isinstance(depth, sp.Symbol) else s
    val = sp.N(val, 30)
    return bool(val.is_real and val > 0)


# --- fast density from the S-transform power -----------------------------------------------------


@lru_cache(maxsize=32)
def _density_kernel(layer_s: sp.Expr, depth: int):
    """NumPy pieces of F(w) = (1 + w) / (w S(w)^L) = x, whose root w = psi(1/x) gives the density
    |Im w| / (pi x): the polynomial in w (coefficients in x, common factors removed), the
    log-derivative of S, and the right edge F(w*) (first positive critical point of 1/F, or the
    limit at infinity)."""
    num, den = sp.fraction(sp.cancel(layer_s))
    xs = sp.Symbol("x")
    a, b = sp.expand((1 + w) * den ** depth), sp.expand(w * num ** depth)
    g = sp.gcd(a, b)
    poly = sp.Poly(sp.expand(sp.cancel(a / g) - xs * sp.cancel(b / g)), w)
    coeffs = [sp.Poly(c, xs).all_coeffs()[::-1] for c in poly.all_coeffs()]
    cf = [[complex(sp.N(v, 30)) for v in c] for c in coeffs]
    fnum = sp.lambdify(w, num, "numpy")
    fden = sp.lambdify(w, den, "numpy")
    dlog = sp.lambdify(w, sp.cancel(sp.diff(num, w) / num - sp.diff(den, w) / den), "numpy")
    F = (1 + w) * den ** depth / (w * num ** depth)
    crit = sp.Poly(sp.numer(sp.together(sp.diff(sp.log(F), w))), w)
    roots = [complex(r) for r in np.roots([complex(sp.N(c, 30)) for c in crit.all_coeffs()])]
    pos = [r.real for r in roots if abs(r.imag) < 1e-10 and r.real > 1e-12]
    lam = float(sp.N(F.subs(w, sp.Float(min(pos), 30)))) if pos else float(sp.limit(F, w, sp.oo))
    return cf, fnum, fden, dlog, lam


def _coarse_roots(cf: list, xs: np.ndarray) -> np.ndarray:
    """The physical root psi(1/x) along a decreasing grid, tracked from outside the support."""
    out = np.empty(len(xs), dtype=complex)
    prev = None
    for i, x in enumerate(xs):
        c = [sum(v * x ** k for k, v in enumerate(col)) for col in cf]
        r = np.roots(c)
        if prev is None:  # beyond the right edge: the smallest positive real root
            real = r[(abs(r.imag) < 1e-7 * (1 + abs(r))) & (r.real > 0)]
            prev = complex(real.real.min()) if real.size else complex(r[np.argmax(r.real)])
        j = np.argmin(abs(r - prev) + 1e-12 * (r.imag > 0))
        prev = out[i] = r[j]
    return out


def _newton(w0: np.ndarray, x: np.ndarray, depth: int, fnum, fden, dlog, steps: int = 40
            ) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method on F(w) = x from w0; returns the roots and a mask of converged points."""
    wv = w0.astype(complex).copy()
    with np.errstate(all="ignore"):
        for _ in range(steps):
            F = (1 + wv) * fden(wv) ** depth / (wv * fnum(wv) ** depth)
            dl = 1 / (1 + wv) - 1 / wv - depth * dlog(wv)
            step = (1 - x / F) / dl
            wv = np.where(np.isfinite(step), wv - step, wv)
            if np.all(abs(step[np.isfinite(step)]) < 1e-14 * (1 + abs(wv[np.isfinite(step)]))):
                break
        F = (1 + wv) * fden(wv) ** depth / (wv * fnum(wv) ** depth)
        ok = np.isfinite(wv) & np.isfinite(F) & (abs(x / F - 1) < 1e-9)
    return wv, ok


def _roots_near(cf: list, xs: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """For each x, the companion root closest to the guess (the fallback of Newton's method)."""
    out = np.empty(len(xs), dtype=complex)
    for i, (x, g) in enumerate(zip(xs, guess)):
        r = np.roots([sum(v * x ** k for k, v in enumerate(col)) for col in cf])
        out[i] = r[np.argmin(abs(r - g))]
    return out


def _grid(lam: float, n: int) -> np.ndarray:
    """A decreasing grid on (0, 1.02 lam], geometric near 0."""
    lin = np.linspace(1.02 * lam, 1e-3 * lam, n)
    geo = np.geomspace(1e-3 * lam, 1e-9 * lam, n // 4)[1:]
    return np.concatenate([lin, geo])


def s_power_density(layer_s: sp.Expr, depth: int, xs, coarse: int = 1200) -> np.ndarray:
    """Density of the law with S-transform layer_s(w)^depth at real points (absolutely continuous
    part), vectorised.

    The root w = psi(1/x) of (1 + w) = x w S(w)^L is tracked by companion roots on a coarse grid
    and polished at every requested point by Newton's method on F(w) = (1 + w)/(w S^L), whose
    log-derivative costs O(1) in L; the density is |Im w| / (pi x).

    Examples
    --------
    >>> s_power_density(1 / (1 + w), 1, np.array([1.0, 2.0])).round(6)   # MP(1)
    array([0.275664, 0.159155])
    """
    cf, fnum, fden, dlog, lam = _density_kernel(sp.cancel(layer_s), depth)
    x = np.asarray(xs, dtype=float)
    out = np.zeros_like(x)
    grid = _grid(lam, coarse)
    roots = _coarse_roots(cf, grid)
    inside = (x > 0) & (x < lam)
    if not inside.any():
        return out
    xi = x[inside]
    order = np.argsort(grid)
    g, r = grid[order], roots[order]
    w0 = np.interp(xi, g, r.real) + 1j * np.interp(xi, g, abs(r.imag))
    wv, ok = _newton(w0, xi, depth, fnum, fden, dlog)
    if not ok.all():
        wv[~ok] = _roots_near(cf, xi[~ok], w0[~ok])
    out[inside] = abs(wv.imag) / (np.pi * xi)
    return out


def jacobian_density(act: object, weights: str = "gaussian", depth: object = 1,
                     sigma_w: object = 1, sigma_b: object = 0, xs=(), q_star: object = None,
                     digits: int = 30) -> np.ndarray:
    """Density of the absolutely continuous part of J J^T at real points, from S_{JJ^T} directly
    (:func:`s_power_density`): O(1) work per point whatever the depth.

    Examples
    --------
    >>> d = jacobian_density("identity", "gaussian", 1, 1, 0, np.array([1.0, 2.0]))
    >>> d.round(6)                                    # L = 1: Marchenko-Pastur of ratio 1
    array([0.275664, 0.159155])
    """
    L_ = integer_in(depth, "depth", 1, 100000)
    model = jacobian_model(act, weights, sigma_w, sigma_b, q_star, digits)
    if model.layer_s is None:
        raise ParameterError("activation", model.activation.name, "an activation with atomic "
                             "D^2 (at most two atoms)")
    return s_power_density(_rationalised(model.layer_s, digits), L_, xs)


def jacobian_cdf(act: object, weights: str = "gaussian", depth: object = 1, sigma_w: object = 1,
                 sigma_b: object = 0, xs=(), q_star: object = None, digits: int = 30,
                 points: int = 20000) -> np.ndarray:
    """CDF of J J^T (the atom at 0 included): 1 minus the trapezoidal integral of the density
    from x to the right edge, on a grid graded towards 0 (the density may be singular only there,
    and that end is never integrated).

    Examples
    --------
    >>> float(jacobian_cdf("relu", "orthogonal", 2, sp.sqrt(2), 0, np.array([100.0]))[0])
    1.0
    """
    L_ = integer_in(depth, "depth", 1, 100000)
    model = jacobian_model(act, weights, sigma_w, sigma_b, q_star, digits)
    layer = _rationalised(model.layer_s, digits)
    lam = _density_kernel(sp.cancel(layer), L_)[4]
    t = np.linspace(0, 1, points)
    grid = lam * t ** 4
    dens = np.concatenate([[0.0], s_power_density(layer, L_, grid[1:])])
    cells = (dens[1:] + dens[:-1]) / 2 * np.diff(grid)
    upper = np.concatenate([np.cumsum(cells[::-1])[::-1], [0.0]])   # mass in (x, lam]
    atom = float(sum(v for k, v in d2_atoms(model.activation, model.q_star).items() if k == 0))
    x = np.asarray(xs, dtype=float)
    cont = 1.0 - atom
    return np.where(x < 0, 0.0, 1.0 - np.interp(x, grid, np.minimum(upper, cont), right=0.0))


def _name_of(v: object, what: str, allowed: tuple[str, ...] | None = None) -> str:
    name = v.name if isinstance(v, sp.Symbol) else v
    if not isinstance(name, str) or (allowed is not None and name not in allowed):
        raise ParameterError(what, v, f"one of {', '.join(allowed)}" if allowed else "a name")
    return name


def jacobian_law_by_name(activation: object, weights: object = "gaussian", depth: object = 1,
                         sw: object = None, sb: object = 0, sw2: object = None) -> AlgebraicLaw:
    """:func:`jacobian_law` with the activation and the ensemble given as names (as the law
    grammar passes them) and the weight scale as ``sw`` or its square ``sw2``.

    Examples
    --------
    >>> jacobian_law_by_name(sp.Symbol("relu"), sp.Symbol("orthogonal"), 2, sw2=2).moments(2)
    [1, 3]
    """
    if sw is not None and sw2 is not None:
        raise ParameterError("sw2", sw2, "omitted when sw is given")
    scale = sp.sqrt(positive(sw2, "sw2")) if sw2 is not None else (1 if sw is None else sw)
    return jacobian_law(_name_of(activation, "activation"), _name_of(weights, "weights", WEIGHTS),
                        depth, scale, sb)
