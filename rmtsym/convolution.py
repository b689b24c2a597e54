"""Operations on laws: free sum and product (polynomial method), scaling, shifting, substitution of
parameter values, and the explicit transforms in radicals.
"""

from __future__ import annotations

import sympy as sp

from .errors import ConvolutionError, ParameterError
from .law import AlgebraicLaw, Constraint
from .moments import free_cumulants_to_moments, moments
from .symbols import G, R, S, w, z
from .transforms import (
    explicit_branch,
    free_add_polynomial,
    free_multiply_polynomial,
    physical_factor,
    r_polynomial,
    s_polynomial,
    scale_polynomial,
    shift_polynomial,
)
from .values import exact

__all__ = ["free_add", "free_multiply", "scale", "shift", "substitute",
           "explicit_r", "explicit_s", "explicit_cauchy"]


def _merge(*groups: tuple[Constraint, ...]) -> tuple[Constraint, ...]:
    return tuple(dict.fromkeys(c for g in groups for c in g))


def _wrap(law: AlgebraicLaw) -> str:
    s = str(law)
    return f"({s})" if (" " in s) else s


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
    return AlgebraicLaw(P, _merge(a.constraints, b.constraints), ("add", a, b),
                        f"{_wrap(a)} + {_wrap(b)}")


def _mean(law: AlgebraicLaw) -> sp.Expr:
    return sp.simplify(moments(law.expr, 1)[0])


def free_multiply(a: AlgebraicLaw, b: AlgebraicLaw) -> AlgebraicLaw:
    """Free multiplicative convolution: the law of A^(1/2) O B O^T A^(1/2), O Haar, by a resultant
    of the S-transform polynomials (S_{ab} = S_a S_b).

    One factor may have mean zero (through the algebraic S-polynomial, as in Rao-Edelman's
    Wigner x Wishart example); both cannot.

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.free_multiply(rs.marchenko_pastur(1), rs.marchenko_pastur(1)).moments(4)  # Fuss-Catalan
    [1, 3, 12, 55]
    """
    a, b = _require_law(a, "a"), _require_law(b, "b")
    if _mean(a) == 0 and _mean(b) == 0:
        raise ConvolutionError(
            f"free_multiply needs at least one factor with nonzero mean; both {a} and {b} have "
            "mean 0, so their S-transforms are both singular at 0")
    P = free_multiply_polynomial(a.expr, b.expr)
    return AlgebraicLaw(P, _merge(a.constraints, b.constraints), ("mul", a, b),
                        f"{_wrap(a)} * {_wrap(b)}")


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
    text = "-" if av == -1 else f"{av}*"
    return AlgebraicLaw(scale_polynomial(law.expr, av), cons, ("scale", law, av),
                        f"{text}{_wrap(law)}")


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
    sign = f"- {-bv}" if (bv.is_number and bv < 0) else f"+ {bv}"
    return AlgebraicLaw(shift_polynomial(law.expr, bv), law.constraints, ("shift", law, bv),
                        f"{_wrap(law)} {sign}")


def _subs_source(src, mapping):
    out = []
    for item in src:
        if isinstance(item, AlgebraicLaw):
            out.append(substitute(item, mapping))
        elif isinstance(item, tuple):
            out.append(tuple(exact(v, "source").subs(mapping) for v in item))
        elif isinstance(item, sp.Basic):
            out.append(item.subs(mapping))
        else:
            out.append(item)
    return tuple(out)


def substitute(law: AlgebraicLaw, mapping: dict) -> AlgebraicLaw:
    """The law with parameter values substituted; the values are checked against the law's
    constraints and the physical factor is re-selected."""
    mapping = {k: exact(v, str(k)) for k, v in mapping.items()}
    cons = []
    for c in law.constraints:
        v = c.expr.subs(mapping)
        c.check(v)
        if v.free_symbols:
            cons.append(Constraint(c.label, v, c.allowed, c.strict))
    P = physical_factor(law.expr.subs(mapping))
    label = law.label
    for k, v in mapping.items():
        label = label.replace(str(k), str(v))
    return AlgebraicLaw(P, tuple(cons), _subs_source(law.source, mapping), label)


def explicit_r(law: AlgebraicLaw) -> sp.Expr | None:
    """R(w) in radicals: the branch with R(0) = m_1.

    Examples
    --------
    >>> import rmtsym as rs
    >>> explicit_r(rs.marchenko_pastur(sp.Rational(1, 2)))
    -2/(w - 2)
    """
    return explicit_branch(r_polynomial(law.expr), R, w, False, _mean(law))


def explicit_s(law: AlgebraicLaw) -> sp.Expr | None:
    """S(w) in radicals: the branch with S(0) = 1/m_1 (None for a zero-mean law)."""
    mean = _mean(law)
    if mean == 0:
        return None
    return explicit_branch(s_polynomial(law.expr), S, w, False, 1 / mean)


def explicit_cauchy(law: AlgebraicLaw) -> sp.Expr | None:
    """G(z) in radicals: the branch with z G(z) -> 1 as z -> +infinity along the real axis."""
    return explicit_branch(law.expr, G, z, True, sp.Integer(1))
