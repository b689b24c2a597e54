"""Named laws, each derived from its R-transform (never typed in as a Cauchy polynomial).

All parameters may be exact numbers or SymPy symbols (``rmtsym.parameter("c")`` makes a positive
one); numeric values are checked against their allowed range at once, symbolic ones when they are
substituted.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..algebra.transforms import from_r_polynomial
from ..core.inputs import exact
from ..core.polynomials import canonical, clear_denominators
from ..core.symbols import G, R, w, z
from ..errors import ParameterError
from .algebraic import AlgebraicLaw, Constraint
from .recipe import Recipe

__all__ = ["atomic", "free_poisson", "marchenko_pastur", "semicircle", "wigner"]


def _pos(name: str, v: sp.Expr) -> Constraint:
    return Constraint(name, v, "a positive number")


def semicircle(variance: object = 1) -> AlgebraicLaw:
    """Wigner's semicircle law of the given variance, from R(w) = variance * w.

    Examples
    --------
    >>> semicircle(2).expr
    2*G**2 - G*z + 1
    """
    s2 = exact(variance, "variance")
    P = from_r_polynomial(R - s2 * w)
    return AlgebraicLaw(P, (_pos("variance", s2),),
                        Recipe("sc", (("variance", s2),), template="sc({variance})"))


wigner = semicircle


def marchenko_pastur(ratio: object, variance: object = 1) -> AlgebraicLaw:
    """Marchenko-Pastur law of X X^T / n, X p x n with i.i.d. entries of the given variance,
    ratio c = p / n; from R(w) = variance / (1 - c variance w).

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> marchenko_pastur(c).expr
    G**2*c*z - G*c - G*z + G + 1
    """
    c = exact(ratio, "ratio")
    s2 = exact(variance, "variance")
    cons = (_pos("ratio", c), _pos("variance", s2))
    for k in cons:
        k.check()
    P = from_r_polynomial((1 - c * s2 * w) * R - s2)
    template = "mp({ratio})" if s2 == 1 else "mp({ratio},{variance})"
    return AlgebraicLaw(P, cons, Recipe("mp", (("ratio", c), ("variance", s2)), template=template))


def free_poisson(rate: object, jump: object = 1) -> AlgebraicLaw:
    """Free Poisson law with the given rate and jump size: R(w) = rate * jump / (1 - jump w).

    Examples
    --------
    >>> free_poisson(1).moments(4)     # Catalan numbers
    [1, 2, 5, 14]
    """
    lam = exact(rate, "rate")
    a = exact(jump, "jump")
    cons = (_pos("rate", lam), Constraint("jump", a**2, "a nonzero number"))
    for k in cons:
        k.check()
    P = from_r_polynomial((1 - a * w) * R - lam * a)
    return AlgebraicLaw(P, cons, Recipe("fp", (("rate", lam), ("jump", a)),
                                        template="fp({rate},{jump})"))


def atomic(points: Sequence[object], weights: Sequence[object]) -> AlgebraicLaw:
    """A finite discrete law: G(z) = sum_i weights[i] / (z - points[i]).

    Examples
    --------
    >>> law = atomic([0, 1], [sp.Rational(1, 2), sp.Rational(1, 2)])
    >>> law.expr
    2*G*z**2 - 2*G*z - 2*z + 1
    """
    pts = [exact(p, f"points[{i}]") for i, p in enumerate(points)]
    wts = [exact(v, f"weights[{i}]") for i, v in enumerate(weights)]
    if not pts:
        raise ParameterError("points", points, "a non-empty sequence")
    if len(pts) != len(wts):
        raise ParameterError("weights", weights, f"a sequence of {len(pts)} weights, one per point")
    if len(set(pts)) != len(pts):
        raise ParameterError("points", points, "distinct locations")
    cons = tuple(_pos(f"weights[{i}]", v) for i, v in enumerate(wts))
    for k in cons:
        k.check()
    total = sp.simplify(sum(wts) - 1)
    if total != 0:
        raise ParameterError("weights", weights, "weights summing to exactly 1")
    expr = G - sum(v / (z - p) for p, v in zip(pts, wts))
    P = canonical(clear_denominators(expr), (G, z))
    return AlgebraicLaw(P, cons, Recipe("atomic", (("points", tuple(pts)), ("weights", tuple(wts))),
                                        template="atomic({points},{weights})"))
