"""Polynomial algebra for the polynomial method: one place for resultants, discriminants,
square-free parts, factorisation and canonical forms.

Every function takes and returns SymPy expressions that are polynomials in the named variables with
coefficients polynomial in the parameters (any other free symbols).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

import numpy as np
import sympy as sp

from ..errors import AlgebraError, ParameterError
from .symbols import G, z

__all__ = [
    "as_polynomial",
    "canonical",
    "clear_denominators",
    "discriminant",
    "factors",
    "horner",
    "horner_derivative",
    "resultant",
    "square_free",
]


def _poly(expr: sp.Expr, *gens: sp.Symbol, name: str = "P") -> sp.Poly:
    """``sp.Poly(expr, *gens)``, with SymPy's failures turned into a :class:`ParameterError`."""
    try:
        return sp.Poly(expr, *gens)
    except (sp.PolynomialError, sp.polys.polyerrors.GeneratorsNeeded,
            sp.polys.polyerrors.CoercionFailed) as exc:
        gen_text = ", ".join(str(g) for g in gens)
        raise ParameterError(name, expr, f"a polynomial in {gen_text} ({exc})") from None


def as_polynomial(obj: object, name: str = "P") -> sp.Expr:
    """The Cauchy polynomial P(G, z) of ``obj``: a SymPy expression itself, or a law's ``expr``.

    Lets the algorithm functions take a law or its polynomial alike (``rs.moment_recurrence(law)``
    is ``law.moment_recurrence()``).

    Examples
    --------
    >>> from rmtsym.core.symbols import G, z
    >>> as_polynomial(G**2 - z*G + 1)
    G**2 - G*z + 1
    """
    expr = obj if isinstance(obj, sp.Basic) else getattr(obj, "expr", None)
    if isinstance(expr, sp.Expr):
        if not expr.has(G) or not expr.is_polynomial(G, z):
            raise ParameterError(name, obj, "a polynomial P(G, z) in G and z")
        return expr
    raise ParameterError(name, obj,
                         "an AlgebraicLaw or its polynomial P(G, z) as a SymPy expression")


def clear_denominators(expr: sp.Expr) -> sp.Expr:
    """Numerator of ``expr`` over a common denominator, expanded.

    Examples
    --------
    >>> from rmtsym.core.symbols import G, z
    >>> clear_denominators((z - 1/G) * G - 2)
    G*z - 3
    """
    num, _ = sp.fraction(sp.together(sp.expand(expr)))
    return sp.expand(num)


def canonical(expr: sp.Expr, gens: Sequence[sp.Symbol]) -> sp.Expr:
    """Primitive form of a polynomial: content over Q[params] removed, leading term positive.

    The leading term is taken in lexicographic order of ``gens`` followed by the parameters sorted
    by name, so that the same polynomial always gets the same representative.

    Examples
    --------
    >>> from rmtsym.core.symbols import G, z
    >>> canonical(-4*G**2 + 2*z*G - 2, (G, z))
    2*G**2 - G*z + 1
    """
    expr = sp.expand(expr)
    if expr == 0:
        raise ParameterError("P", expr, "a nonzero polynomial (0 has no canonical form)")
    params = sorted(expr.free_symbols - set(gens), key=lambda s: s.name)
    poly = _poly(expr, *gens, *params)
    _, prim = poly.primitive()
    if prim.LC() < 0:
        prim = -prim
    # remove a content that is a polynomial in the parameters only
    pg = sp.Poly(prim.as_expr(), *gens)
    content = reduce(sp.gcd, pg.coeffs())
    out = sp.expand(sp.cancel(prim.as_expr() / content)) if content.free_symbols else prim.as_expr()
    lead = sp.Poly(out, *gens, *params).LC()
    return sp.expand(-out) if lead < 0 else sp.expand(out)


def square_free(expr: sp.Expr, gens: Sequence[sp.Symbol]) -> sp.Expr:
    """The square-free part of ``expr`` as a polynomial in all its symbols."""
    symbols = list(gens) + sorted(expr.free_symbols - set(gens), key=lambda s: s.name)
    return _poly(expr, *symbols).sqf_part().as_expr()


def factors(expr: sp.Expr, var: sp.Symbol) -> list[sp.Expr]:
    """Distinct irreducible factors of ``expr`` (over Q with the parameters as variables) that
    involve ``var``.

    Examples
    --------
    >>> from rmtsym.core.symbols import G, z
    >>> factors((G*z - 1)**2 * (z + 1) * (G - 2), G)
    [G - 2, G*z - 1]
    """
    expr = sp.expand(expr)
    single = _irreducible_in(expr, var)
    if single is not None:
        return [single]
    _, facs = sp.factor_list(expr)
    out = [f for f, _ in facs if f.has(var)]
    return sorted(out, key=sp.default_sort_key)


def _irreducible_in(expr: sp.Expr, var: sp.Symbol) -> sp.Expr | None:
    """The part of a bivariate numeric polynomial that involves ``var`` when it is irreducible,
    proved by one univariate specialisation; None when that does not decide.

    If f(var, t) = a b with both factors of positive degree in ``var``, then f(var, t0) = a(., t0)
    b(., t0) for every t0 that keeps the leading coefficient, so an irreducible square-free
    specialisation of full degree proves f irreducible.  This spares SymPy's multivariate
    factoriser, whose prime search takes tens of seconds on coefficients of hundreds of digits.
    """
    others = sorted(expr.free_symbols - {var}, key=lambda s: s.name)
    if len(others) != 1 or not expr.has(var):
        return None
    t = others[0]
    _, prim = _poly(expr, var, t).primitive()
    p_var = sp.Poly(prim.as_expr(), var)  # coefficients in Z[t]
    d = p_var.degree()
    part = sp.Poly(prim.as_expr(), var, t)
    g = reduce(sp.gcd, [sp.Poly(c, t) for c in p_var.all_coeffs()])
    if g.degree() > 0:
        return None  # a content in t: leave it to the full factoriser
    for t0 in (2, 3, 5, 7, 11, -2, -3, 13):
        spec = sp.Poly(p_var.as_expr().subs(t, t0), var)
        if spec.degree() != d or sp.degree(sp.gcd(spec, spec.diff(var))) > 0:
            continue
        _, fl = spec.factor_list()
        if len(fl) == 1 and fl[0][1] == 1:
            return (part if part.LC() > 0 else -part).as_expr()
        return None
    return None


def resultant(f: sp.Expr, g: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """Resultant of ``f`` and ``g`` with respect to ``var``, expanded."""
    symbols = sorted((f.free_symbols | g.free_symbols) - {var}, key=lambda s: s.name)
    pf = _poly(f, var, *symbols, name="f")
    pg = _poly(g, var, *symbols, name="g")
    res = pf.resultant(pg)
    return sp.expand(res.as_expr() if isinstance(res, sp.Poly) else res)


def discriminant(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """Discriminant of ``expr`` with respect to ``var``, factored.

    Examples
    --------
    >>> from rmtsym.core.symbols import G, z
    >>> discriminant(G**2 - z*G + 1, G)
    (z - 2)*(z + 2)
    """
    poly = _poly(expr, var)
    if poly.degree() < 1:
        raise AlgebraError(f"the discriminant in {var} needs a degree >= 1; {expr} has degree "
                           f"{poly.degree()}")
    return sp.factor(sp.discriminant(poly, var).as_expr())


def horner(coeffs: Sequence, x):
    """The value of sum_k coeffs[k] x^(n - k) (highest degree first) by Horner's rule.

    One routine for every number kind: Python and SymPy numbers, mpmath numbers, and NumPy arrays
    (elementwise, updated in place after the first product so that long grids allocate once).

    Examples
    --------
    >>> horner([1, -3, 2], 5)                      # x^2 - 3x + 2 at 5
    12
    >>> horner([2.0, 0.0, -1.0], np.array([0.0, 1.0, 2.0]))
    array([-1.,  1.,  7.])
    """
    coeffs = list(coeffs)
    if not coeffs:
        return 0 * x
    if len(coeffs) == 1:
        return coeffs[0] + 0 * x
    if isinstance(x, np.ndarray) and not any(isinstance(c, np.ndarray) for c in coeffs):
        acc = x * coeffs[0]
        for c in coeffs[1:-1]:
            acc += c
            acc *= x
        acc += coeffs[-1]
        return acc
    acc = coeffs[0]
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def horner_derivative(coeffs: Sequence, x):
    """(p(x), p'(x)) for p = sum_k coeffs[k] x^(n - k), highest degree first, by Horner's rule.

    Examples
    --------
    >>> horner_derivative([1, -3, 2], 5)
    (12, 7)
    """
    coeffs = list(coeffs)
    p = coeffs[0] + 0 * x
    dp = 0 * p
    for c in coeffs[1:]:
        dp = dp * x + p
        p = p * x + c
    return p, dp
