"""Linear statistics and the logarithmic potential of an algebraic law, at a stated precision.

* ``expect(P, f, ...)`` = E[f(X)] = int f d(mu), atoms included:

  - a polynomial f (exact coefficients) gives the exact value sum_k c_k m_k from the exact moments;
  - a rational f whose poles are simple and off the support and the atoms gives the value through
    the Cauchy transform: f = p + sum_j A_j / (x - c_j) and E[1 / (X - c)] = -G(c), so
    E[f] = E[p] - sum_j A_j G(c_j), with G(c_j) on the physical branch at high precision;
  - any other f (a SymPy expression in one symbol, or a callable on mpmath numbers) is integrated
    by tanh-sinh quadrature on each band against the density, the bands split at every breakpoint
    so that edge singularities sit at endpoints, plus the atoms.

* ``log_potential(P, x, ...)`` = U(x) = int log|x - y| mu(dy), the quadrature split at x when x lies
  in a band (the logarithmic singularity then sits at an endpoint); -oo at an atom.

These live in the numeric layer so that :class:`rmtsym.laws.algebraic.AlgebraicLaw` can delegate
to them (``law.expect``, ``law.log_potential``); they take the law's exact bands and atoms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath
import sympy as sp

from ..algebra.moments import moments
from ..core.inputs import digits_argument, exact
from ..errors import ParameterError
from .precision import GUARD, cauchy_mp, integrate_mp, mp_value, to_sympy

__all__ = ["expect", "log_potential"]


def _variable(f: sp.Expr) -> sp.Symbol | None:
    free = f.free_symbols
    if len(free) > 1:
        raise ParameterError("f", f, "an expression in one variable (or a callable)")
    return next(iter(free)) if free else None


def _exact_polynomial(f: sp.Expr, x: sp.Symbol | None, P: sp.Expr) -> sp.Expr | None:
    if x is None:
        return f
    if not f.is_polynomial(x):
        return None
    poly = sp.Poly(f, x)
    if any(not c.is_number for c in poly.coeffs()):
        return None
    ms = [sp.Integer(1)] + (moments(P, poly.degree()) if poly.degree() > 0 else [])
    return sp.expand(sum(c * ms[k] for (k,), c in poly.terms()))


def _on_support(c: sp.Expr, bands: Sequence, atoms: dict) -> bool:
    if c.is_real is False:
        return False
    cv = sp.N(c, 30)
    if any(bool(sp.N(sp.Abs(c - a), 30) < sp.Float(10) ** -25) for a in atoms):
        return True
    return any(bool(sp.N(a, 30) <= cv <= sp.N(b, 30)) for a, b in bands)


def _via_cauchy(f: sp.Expr, x: sp.Symbol, P: sp.Expr, bands: Sequence, atoms: dict,
                dps: int):
    """E[f] for a rational f with simple poles off the support, or None when f is not such."""
    num, den = sp.fraction(sp.cancel(sp.together(f)))
    if not (num.is_polynomial(x) and den.is_polynomial(x)):
        return None
    dpoly, npoly = sp.Poly(den, x), sp.Poly(num, x)
    if any(not c.is_number for c in dpoly.coeffs() + npoly.coeffs()):
        return None
    if sp.degree(sp.gcd(dpoly, dpoly.diff(x))) > 0:
        return None  # a multiple pole: quadrature
    quo, rem = sp.div(npoly, dpoly)
    poles = dpoly.all_roots()
    for c in poles:
        if _on_support(c, bands, atoms):
            raise ParameterError("f", f, "a function without poles on the support or at the atoms "
                                 f"of the law (pole at {c})")
    base = _exact_polynomial(quo.as_expr(), x, P)
    dden = dpoly.diff(x)
    with mpmath.workdps(dps):
        total = mp_value(base, dps) if base != 0 else mpmath.mpf(0)
        for c in poles:
            a = mp_value(rem.as_expr().subs(x, c) / dden.as_expr().subs(x, c), dps)
            total -= a * cauchy_mp(P, c, dps)
        if isinstance(total, mpmath.mpc) and abs(total.imag) <= abs(total) * mpmath.mpf(10) ** (
                -dps + 5):
            total = total.real
        return +total


def expect(P: sp.Expr, f: sp.Expr | Callable, bands: Sequence, atoms: dict,
           digits: object = 30) -> sp.Expr:
    """E[f(X)] under the law of P (see the module docstring for the three routes).

    Returns an exact SymPy value for a polynomial f, a SymPy Float of ``digits`` digits otherwise.

    Examples
    --------
    >>> import rmtsym as rs
    >>> x = sp.Symbol("x")
    >>> law = rs.semicircle(1)
    >>> expect(law.expr, x**4 + 3*x, law.support(), law.atoms())
    2
    >>> expect(law.expr, 1 / (3 - x), law.support(), law.atoms(), 25)   # G(3) = (3 - sqrt 5)/2
    0.3819660112501051517954132
    """
    d = digits_argument(digits, minimum=1)
    dps = d + GUARD
    if isinstance(f, sp.Basic) or isinstance(f, (int, float)):
        fe = exact(f, "f")
        x = _variable(fe)
        ex = _exact_polynomial(fe, x, P)
        if ex is not None:
            return ex
        val = _via_cauchy(fe, x, P, bands, atoms, dps)
        if val is None:
            fn = sp.lambdify(x, fe, modules="mpmath")
            val = integrate_mp(P, fn, bands, atoms, dps)
        return to_sympy(val, d)
    if not callable(f):
        raise ParameterError("f", f, "a SymPy expression in one variable or a callable")
    return to_sympy(integrate_mp(P, f, bands, atoms, dps), d)


def log_potential(P: sp.Expr, x: object, bands: Sequence, atoms: dict,
                  digits: object = None) -> sp.Expr | float:
    """U(x) = int log|x - y| mu(dy): a SymPy Float of ``digits`` digits (a float when None).

    Examples
    --------
    >>> import rmtsym as rs
    >>> law = rs.semicircle(1)                     # U(x) = x^2/4 - 1/2 on [-2, 2]
    >>> log_potential(law.expr, 1, law.support(), law.atoms(), 20)
    -0.25000000000000000000
    """
    d = 17 if digits is None else digits_argument(digits, minimum=1)
    xe = exact(x, "x")
    if any(sp.simplify(xe - a) == 0 for a in atoms):
        return -sp.oo if digits is not None else float("-inf")
    dps = d + GUARD
    with mpmath.workdps(dps):
        xm = mp_value(xe, dps)

        def g(t):
            return mpmath.log(abs(xm - t))

        val = integrate_mp(P, g, bands, atoms, dps, extra_points=[xe])
    out = to_sympy(val, d)
    return float(out) if digits is None else out
