"""Operations on laws: free sum and product (polynomial method), scaling and shifting.

The algebra is done on the polynomials (:mod:`rmtsym.algebra.convolution`); this module checks the
operands, merges their parameter constraints and records the recipe.
"""

from __future__ import annotations

import sympy as sp

from ..algebra.convolution import (
    free_add_polynomial,
    free_multiply_polynomial,
    scale_polynomial,
    shift_polynomial,
)
from ..algebra.explicit import mean
from ..algebra.moments import free_cumulants_to_moments
from ..core.inputs import exact
from ..errors import ConvolutionError, ParameterError
from .algebraic import AlgebraicLaw, Constraint
from .recipe import Recipe

__all__ = ["free_add", "free_multiply", "scale", "shift"]


def _merge(*groups: tuple[Constraint, ...]) -> tuple[Constraint, ...]:
    return tuple(dict.fromkeys(c for g in groups for c in g))


def _require_law(x: object, name: str) -> AlgebraicLaw:
    if not isinstance(x, AlgebraicLaw):
        raise ParameterError(name, x, "an AlgebraicLaw")
    return x


def free_add(a: AlgebraicLaw, b: AlgebraicLaw) -> AlgebraicLaw:
    """Free additive convolution a (+) b: the law of A + O B O^T, O Haar, by a resultant of the
    R-transform polynomials (R_{a+b} = R_a + R_b).

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.free_add(rs.semicircle(1), rs.semicircle(2)).expr     # variances add
    3*G**2 - G*z + 1
    """
    a, b = _require_law(a, "a"), _require_law(b, "b")

    def expected():
        ka, kb = a.free_cumulants(6), b.free_cumulants(6)
        return [1, *free_cumulants_to_moments([x + y for x, y in zip(ka, kb)])]

    P = free_add_polynomial(a.expr, b.expr, expected)
    return AlgebraicLaw(P, _merge(a.constraints, b.constraints),
                        Recipe("add", operands=(a, b), template="{0} + {1}"))


def free_multiply(a: AlgebraicLaw, b: AlgebraicLaw) -> AlgebraicLaw:
    """Free multiplicative convolution: the law of A^(1/2) O B O^T A^(1/2), O Haar, by a resultant
    of the S-transform polynomials (S_{ab} = S_a S_b).

    One factor may have mean zero (through the algebraic S-polynomial, as in Rao-Edelman's
    Wigner x Wishart example); both cannot.  One factor must be supported in [0, inf) (numeric
    laws are checked; a :class:`ConvolutionError` names the factors otherwise).

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.free_multiply(rs.marchenko_pastur(1), rs.marchenko_pastur(1)).moments(4)  # Fuss-Catalan
    [1, 3, 12, 55]
    """
    a, b = _require_law(a, "a"), _require_law(b, "b")
    if mean(a.expr) == 0 and mean(b.expr) == 0:
        raise ConvolutionError(
            f"free_multiply needs at least one factor with nonzero mean; both {a} and {b} have "
            "mean 0, so their S-transforms are both singular at 0")
    if a.is_numeric and b.is_numeric and not (_nonnegative(a) or _nonnegative(b)):
        raise ConvolutionError(
            f"free_multiply needs one factor supported in [0, inf) (the law of A^(1/2) B A^(1/2) "
            f"takes the square root of one of them); neither a = {a} (support "
            f"{_extent(a)}) nor b = {b} (support {_extent(b)}) is")
    P = free_multiply_polynomial(a.expr, b.expr)
    return AlgebraicLaw(P, _merge(a.constraints, b.constraints),
                        Recipe("mul", operands=(a, b), template="{0} * {1}"))


def _extent(law: AlgebraicLaw) -> str:
    """[lowest, highest] point of the support and atoms, to 4 digits."""
    pts = [float(e) for iv in law.support() for e in iv] + [float(x) for x in law.atoms()]
    return f"[{min(pts):.4g}, {max(pts):.4g}]" if pts else "empty"


def _nonnegative(law: AlgebraicLaw) -> bool:
    """Whether a numeric law is supported in [0, inf) (bands and atoms), decided exactly."""
    pts = [iv[0] for iv in law.support()] + list(law.atoms())
    return all(sp.sign(sp.N(p, 30)) >= 0 or p == 0 for p in pts)


def scale(law: AlgebraicLaw, a: object) -> AlgebraicLaw:
    """The law of a X for a nonzero constant a.

    Examples
    --------
    >>> import rmtsym as rs
    >>> scale(rs.semicircle(1), 2).expr
    4*G**2 - G*z + 1
    """
    law = _require_law(law, "law")
    av = exact(a, "a")
    if av == 0:
        raise ParameterError("a", a, "a nonzero scale factor")
    cons = _merge(law.constraints, (Constraint("a", av**2, "a nonzero scale factor"),)
                  if av.free_symbols else ())
    return AlgebraicLaw(scale_polynomial(law.expr, av), cons,
                        Recipe("scale", (("a", av),), (law,), "{a}*{0}"))


def shift(law: AlgebraicLaw, b: object) -> AlgebraicLaw:
    """The law of X + b.

    Examples
    --------
    >>> import rmtsym as rs
    >>> shift(rs.semicircle(1), 1).expr
    G**2 - G*z + G + 1
    """
    law = _require_law(law, "law")
    bv = exact(b, "b")
    return AlgebraicLaw(shift_polynomial(law.expr, bv), law.constraints,
                        Recipe("shift", (("b", bv),), (law,), "{0} + {b}"))
