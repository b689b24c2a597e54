"""Dual activations (arc-cosine kernels) and the conjugate-kernel matrix of Louart-Liao-Couillet.

``K(rho; s1, s2) = E[f(s1 X) f(s2 Y)]`` for standard normals X, Y with correlation rho.  With
``s_i = |x_i|`` and ``rho = cos angle(x_i, x_j)`` it is the entry ``Phi_ij = E_w[f(w.x_i)
f(w.x_j)]``,
``w ~ N(0, I)``.  rmtsym derives K in closed form by one of three routes, tried in order:

1. **Gaussian integral.**  f a sum of terms ``x^k exp(c x^2 + b x)`` (polynomials, exp(-x^2/2),
   sin, cos as complex exponentials): ``E[exp(a1 X^2 + b1 X + a2 Y^2 + b2 Y)]`` is the
   two-dimensional Gaussian integral ``det(I - 2 Sigma D)^(-1/2) exp(b^T (Sigma^-1 - 2 D)^-1 b /
   2)``,
   and powers of X, Y are derivatives in b1, b2.
2. **Price's theorem** ``dK/drho = E[g1'(X) g2'(Y)]``, ``K(0) = E[g1] E[g2]``: used when f' falls in
   route 1 (erf: the arcsine kernel comes out of the integral over rho).
3. **Piecewise-linear with a kink at 0** (relu, leaky relu, |x|, sign, step): f = c0 + c1 x +
   d0 H(x) + d1 x H(x), and the kernels of the basis {1, x, H, xH} follow from Price's theorem with
   H' = delta; ``E[delta(X) delta(Y)]`` is the bivariate density at the origin and ``E[delta(X)
   b(Y)]``
   conditions Y on X = 0.

Otherwise K is returned as its truncated Hermite series sum_n g1_n g2_n rho^n, with a bound on the
tail, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact
from ..errors import ParameterError, SymbolicParameterError
from .expectations import X, _NotExact, _split_term, gaussian_expectation, split_pieces

__all__ = ["RHO", "S1", "S2", "KernelMap", "ck_matrix", "kernel_map"]

RHO = sp.Symbol("rho", real=True)
S1, S2 = sp.symbols("s1 s2", positive=True)
_Y = sp.Symbol("y", real=True)
_B1, _B2 = sp.symbols("b1 b2")


@dataclass(frozen=True)
class KernelMap:
    """K(rho) = E[f(s1 X) f(s2 Y)], corr(X, Y) = rho.

    Attributes
    ----------
    expr : sympy.Expr
        K as an expression in ``rho`` (and ``s1``, ``s2`` where they were left symbolic).
    exact : bool
        True for a closed form, False for a truncated Hermite series.
    method : str
        How it was derived.
    tail : float
        For a series: a bound on the omitted terms for ``|rho| <= 1`` (Cauchy-Schwarz); else 0.
    """

    expr: sp.Expr
    exact: bool
    method: str
    tail: float = 0.0

    def __call__(self, rho):
        """K at the values ``rho`` (a NumPy array in [-1, 1])."""
        free = self.expr.free_symbols - {RHO}
        if free:
            raise SymbolicParameterError("kernel evaluation", sorted(map(str, free)))
        fn = sp.lambdify(RHO, self.expr, modules=["numpy", "scipy"])
        r = np.asarray(rho, dtype=float)
        return np.broadcast_to(np.asarray(fn(r), dtype=float), r.shape).copy()


# -- route 1: Gaussian integral ---------------------------------------------------------------

def _smooth_terms(g: sp.Expr, var: sp.Symbol):
    """g as terms (coeff, k, cq, cb) of coeff * var^k exp(cq var^2 + cb var), or _NotExact."""
    if g.has(sp.Piecewise, sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.erf, sp.erfc):
        raise _NotExact
    e = g.rewrite(sp.exp) if g.has(sp.sin, sp.cos, sp.sinh, sp.cosh) else g
    out = []
    for term in sp.Add.make_args(sp.expand(e, power_base=False, log=False)):
        coeff, k, cq, cb, lams = _split_term(term, var)
        if lams:
            raise _NotExact
        out.append((coeff, k, cq, cb))
    return out


@lru_cache(maxsize=256)
def _pair_moment(k: int, l: int, a1, b1, a2, b2, rho) -> sp.Expr:  # noqa: E741
    sigma = sp.Matrix([[1, rho], [rho, 1]])
    d = sp.diag(a1, a2)
    m = sp.eye(2) - 2 * sigma * d
    det = sp.factor(m.det())
    prec = sp.simplify(sigma.inv() - 2 * d)
    quad = sp.simplify((sp.Matrix([[_B1, _B2]]) * prec.inv() * sp.Matrix([_B1, _B2]))[0] / 2)
    gen = sp.exp(quad) / sp.sqrt(det)
    return sp.diff(gen, _B1, k, _B2, l).subs({_B1: b1, _B2: b2})


def _gaussian_route(g1: sp.Expr, g2: sp.Expr) -> sp.Expr:
    t1, t2 = _smooth_terms(g1, X), _smooth_terms(g2, _Y)
    total = sp.Integer(0)
    for c1, k1, a1, b1 in t1:
        for c2, k2, a2, b2 in t2:
            total += c1 * c2 * _pair_moment(k1, k2, a1, b1, a2, b2, RHO)
    return _real_tidy(total)


def _real_tidy(expr: sp.Expr) -> sp.Expr:
    e = expr
    if e.has(sp.I):
        e = sp.expand_complex(sp.expand(e))
        e = sp.simplify(sp.re(e).rewrite(sp.exp)) if sp.simplify(sp.im(e)) == 0 else e
        e = sp.simplify(e.rewrite(sp.cosh)) if e.has(sp.exp) else e
    return sp.simplify(e)


# -- route 2: Price's theorem --------------------------------------------------------------------

def _price_route(g1: sp.Expr, g2: sp.Expr) -> sp.Expr:
    if any(g.has(sp.Piecewise, sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min) for g in (g1, g2)):
        raise _NotExact  # derivatives of jumps and kinks are distributions: route 3
    d1, d2 = sp.diff(g1, X), sp.diff(g2, _Y)
    inner = _gaussian_route(d1, d2)
    t = sp.Dummy("t", real=True)
    integral = sp.integrate(inner.subs(RHO, t), (t, 0, RHO), conds="none")
    if integral.has(sp.Integral) or integral.has(sp.Piecewise):
        raise _NotExact
    m1, m2 = gaussian_expectation(g1), gaussian_expectation(g2.subs(_Y, X))
    if not (m1.exact and m2.exact):
        raise _NotExact
    return sp.simplify(m1.value * m2.value + integral)


# -- route 3: piecewise linear with a kink at 0 -------------------------------------------------

_DERIV = {"1": None, "x": "1", "H": "d", "xH": "H", "d": None}
_DEGREE = {"1": 0, "x": 1, "H": 0, "xH": 1}
_BASIS = {"1": sp.Integer(1), "x": X, "H": sp.Piecewise((0, X < 0), (1, True)),
          "xH": sp.Piecewise((0, X < 0), (X, True))}


@cache
def _basis_mean(a: str) -> sp.Expr:
    if a == "d":
        return 1 / sp.sqrt(2 * sp.pi)  # the normal density at 0
    return gaussian_expectation(_BASIS[a]).value


@cache
def _basis_kernel(a: str, b: str) -> sp.Expr:
    """E[a(X) b(Y)] for basis functions a, b (with 'd' the delta at 0), as a function of RHO."""
    if a == "d" and b == "d":
        return 1 / (2 * sp.pi * sp.sqrt(1 - RHO ** 2))
    if a == "d" or b == "d":
        other = b if a == "d" else a  # Y | X = 0 is N(0, 1 - rho^2); `other` is homogeneous
        return _basis_mean("d") * (1 - RHO ** 2) ** sp.Rational(_DEGREE[other], 2) * _basis_mean(
            other)
    base = _basis_mean(a) * _basis_mean(b)
    da, db = _DERIV[a], _DERIV[b]
    if da is None or db is None:
        return base
    t = sp.Dummy("t", real=True)
    inner = _basis_kernel(da, db).subs(RHO, t)
    return sp.simplify(base + sp.integrate(inner, (t, 0, RHO), conds="none"))


def _kink_coefficients(f: sp.Expr, s: sp.Expr):
    pieces = split_pieces(f)
    lin = []
    for e, _ in pieces:
        poly = sp.Poly(e, X) if e.is_polynomial(X) else None
        if poly is None or poly.degree() > 1:
            raise _NotExact
        lin.append((poly.coeff_monomial(1), poly.coeff_monomial(X)))
    if len(pieces) == 1:
        (p0, p1), (q0, q1) = lin[0], lin[0]
    elif len(pieces) == 2 and pieces[0][1].end == 0:
        (p0, p1), (q0, q1) = lin
    else:
        raise _NotExact
    return {"1": p0, "x": p1 * s, "H": q0 - p0, "xH": (q1 - p1) * s}


def _kink_route(f: sp.Expr, s1, s2) -> sp.Expr:
    c1, c2 = _kink_coefficients(f, s1), _kink_coefficients(f, s2)
    total = sp.Integer(0)
    for a, ca in c1.items():
        for b, cb in c2.items():
            if ca != 0 and cb != 0:
                total += ca * cb * _basis_kernel(a, b)
    return sp.simplify(total)


# -- the entry point ----------------------------------------------------------------------------

@lru_cache(maxsize=128)
def _closed_form(f: sp.Expr, s1, s2):
    g1, g2 = f.subs(X, s1 * X), f.subs(X, s2 * _Y)
    for name, route in (("two-dimensional Gaussian integral", lambda: _gaussian_route(g1, g2)),
                        ("Price's theorem (dK/drho = E[f'(X) f'(Y)])",
                         lambda: _price_route(g1, g2)),
                        ("piecewise-linear basis kernels by Price's theorem",
                         lambda: _kink_route(f, s1, s2))):
        try:
            return route(), name
        except (_NotExact, NotImplementedError, ValueError, TypeError, sp.PolynomialError):
            continue
    return None, None


def kernel_map(act, s1: object = 1, s2: object | None = None, *, order: int = 30,
               digits: int = 20) -> KernelMap:
    """The dual activation K(rho; s1, s2) = E[f(s1 X) f(s2 Y)] with corr(X, Y) = rho.

    Parameters
    ----------
    act : Activation
    s1, s2 : number or positive symbol
        The two input scales (s2 defaults to s1); symbols ``S1``, ``S2`` keep them symbolic.
    order, digits : int
        Truncation order and precision of the Hermite series when no closed form is derivable.

    Examples
    --------
    >>> from rmtsym.gaussian.activations import activation
    >>> kernel_map(activation("sign")).expr
    2*asin(rho)/pi
    >>> kernel_map(activation("erf")).expr
    2*asin(2*rho/3)/pi
    """
    a = exact(s1, "s1")
    b = a if s2 is None else exact(s2, "s2")
    for name, v in (("s1", a), ("s2", b)):
        if v.is_positive is False or (v.is_number and not v > 0):
            raise ParameterError(name, v, "a positive scale")
    expr, method = _closed_form(act.expr, a, b)
    if expr is not None:
        return KernelMap(expr, True, method)
    if not (a.is_number and b.is_number) or act.expr.free_symbols - {X}:
        raise ParameterError("act", act.name, "an activation with a closed-form kernel when the "
                             "scales or parameters are symbolic")
    if not isinstance(order, int) or not 1 <= order <= 200:
        raise ParameterError("order", order, "an integer between 1 and 200")
    ha = [act.hermite(n, a, digits) for n in range(order + 1)]
    hb = ha if b == a else [act.hermite(n, b, digits) for n in range(order + 1)]
    with mp.workdps(digits + 10):
        fa = [h.mp(digits) for h in ha]
        fb = [h.mp(digits) for h in hb]
        tail_a = act.eta(a, digits).mp(digits) - sum(c * c for c in fa)
        tail_b = act.eta(b, digits).mp(digits) - sum(c * c for c in fb)
        tail = float(mp.sqrt(max(tail_a, 0) * max(tail_b, 0)))
        coeffs = [sp.Float(fa[n] * fb[n], digits) for n in range(order + 1)]
    poly = sp.Add(*[c * RHO ** n for n, c in enumerate(coeffs)])
    return KernelMap(poly, False, f"Hermite series to order {order}", tail)


@lru_cache(maxsize=64)
def _ck_function(f: sp.Expr):
    expr, _method = _closed_form(f, S1, S2)
    if expr is None:
        return None
    return sp.lambdify((RHO, S1, S2), expr, modules=["numpy", "scipy"], cse=True)


def ck_matrix(act, data) -> np.ndarray:
    """The conjugate-kernel matrix Phi_ij = E_w[f(w.x_i) f(w.x_j)], w ~ N(0, I_p).

    ``data`` is a p x T array whose columns are the inputs x_i (Louart-Liao-Couillet's X).  The
    closed-form kernel is derived once with symbolic scales and evaluated in NumPy at
    ``s1 = |x_i|``, ``s2 = |x_j|``, ``rho = cos angle(x_i, x_j)``.

    Examples
    --------
    >>> from rmtsym.gaussian.activations import activation
    >>> xs = np.array([[0.9, 0.2], [-0.3, 0.7], [0.5, -0.6]])
    >>> round(float(ck_matrix(activation("relu"), xs)[0, 1]), 5)
    0.08716
    """
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2 or not np.all(np.isfinite(arr)):
        raise ParameterError("data", getattr(arr, "shape", None), "a finite p x T array")
    act_free = act.expr.free_symbols - {X}
    if act_free:
        raise ParameterError("act", act.name, "an activation with numeric parameters")
    fn = _ck_function(act.expr)
    if fn is None:
        raise ParameterError("act", act.name, "an activation whose kernel has a closed form "
                             "(see rmtsym.gaussian.kernels); use kernel_map for its Hermite series")
    norms = np.linalg.norm(arr, axis=0)
    if np.any(norms == 0):
        raise ParameterError("data", "a zero column", "inputs with nonzero norm")
    unit = arr / norms
    rho = np.clip(unit.T @ unit, -1.0, 1.0)
    np.fill_diagonal(rho, 1.0)  # exact on the diagonal: asin and sqrt(1 - rho^2) amplify rounding
    out = fn(rho, norms[:, None], norms[None, :])
    return np.broadcast_to(np.asarray(out, dtype=float), rho.shape).copy()
