"""Local behaviour of a density at its edges and cusps, by Puiseux expansion of P(G, z).

At a point x0 where the physical root G0 of P(G, x0) = 0 is a k-fold root, write
Q(u, t) = P(G0 + u, x0 + t) = sum c_ij u^i t^j.  The first segment of the Newton polygon of Q joins
(k, 0) to (0, m) when the branch is generic: u^k ~ -(c_0m / c_k0) t^m, so G - G0 ~ c t^(m/k) and the
density behaves as A |x - x0|^(m/k).  For a square-root edge (k = 2, m = 1) the density is
sqrt(|c_01 / c_20|) |t|^(1/2) / pi on the side where -c_01 t / c_20 < 0; at a cusp (k = 3, m = 1)
the complex pair of cube roots gives (sqrt(3) / (2 pi)) |c_01 / c_30|^(1/3) |t|^(1/3) on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..core.latex import as_math, as_text, brief, brief_latex, to_latex
from ..core.symbols import G, z
from ..errors import ParameterError
from ..laws.algebraic import AlgebraicLaw

__all__ = ["EdgeBehaviour", "edge_behaviours", "local_behaviour"]


def _equals(name: str, value: str, approx: str = "~") -> str:
    """``name = value``, or ``name ~ number`` for a value shown by its number."""
    if value.startswith(approx):
        return f"{name} {approx} {value[len(approx):].strip()}"
    return f"{name} = {value}"



@dataclass(frozen=True)
class EdgeBehaviour:
    """``rho(x) ~ prefactor * |x - location|^exponent`` as x -> location from ``side``.

    ``side`` is ``"right"`` (the density lives on x > location), ``"left"`` or ``"both"``;
    ``multiplicity`` is k, the order of the root G0 of P(G, location).
    """

    location: sp.Expr
    root: sp.Expr
    multiplicity: int
    exponent: sp.Rational
    prefactor: sp.Expr
    side: str

    @property
    def kind(self) -> str:
        """``"soft edge"`` (exponent 1/2), ``"cusp"`` (1/3 on both sides) or ``"exponent p/q"``."""
        if self.exponent == sp.Rational(1, 2) and self.side != "both":
            return "soft edge"
        if self.exponent == sp.Rational(1, 3) and self.side == "both":
            return "cusp"
        return f"exponent {self.exponent}"

    def __repr__(self) -> str:
        """The kind, the leading term, the location x0 and the prefactor A (long algebraic
        numbers shown by their value).

        Examples
        --------
        >>> import rmtsym as rs
        >>> edge_behaviours(rs.semicircle(1))[1]
        <EdgeBehaviour soft edge: rho(x) ~ A |x - x0|**(1/2) as x -> x0 from the left; x0 = 2, \
A = 1/pi>
        """
        side = {"right": " from the right", "left": " from the left"}.get(self.side, "")
        values = ", ".join(_equals(name, brief(v)) for name, v in
                           (("x0", self.location), ("A", self.prefactor)))
        return (f"<EdgeBehaviour {self.kind}: rho(x) ~ A |x - x0|**({self.exponent}) as "
                f"x -> x0{side}; {values}>")

    def _repr_latex_(self) -> str:
        """The leading term rho(x) ~ A |x - x0|^a, the side, x0 and A as display mathematics."""
        side = {"right": "^{+}", "left": "^{-}"}.get(self.side, "")
        values = r",\ ".join(_equals(name, brief_latex(v), r"\approx") for name, v in
                             (("x_0", self.location), ("A", self.prefactor)))
        return as_math(rf"\rho(x) \sim A \left|x - x_0\right|^{{{to_latex(self.exponent)}}},"
                       rf"\quad x \to x_0{side},\qquad {values}\ " + as_text(f"({self.kind})"),
                       display=True)


def _minimal_polynomial(x0: sp.Expr) -> sp.Poly:
    """The minimal polynomial over Q of the algebraic number ``x0``, in z."""
    if x0.is_Rational:
        return sp.Poly(z - x0, z)
    if isinstance(x0, sp.CRootOf):
        return sp.Poly(x0.poly.as_expr().subs(x0.poly.gen, z), z)
    return sp.Poly(sp.minimal_polynomial(x0, z), z)


class _AtPoint:
    """Exact arithmetic of rational functions of z evaluated at an algebraic point x0: a function
    vanishes there iff the minimal polynomial divides its numerator (no tolerance)."""

    def __init__(self, x0: sp.Expr) -> None:
        self.x0 = x0
        self.m = _minimal_polynomial(x0)

    def is_zero(self, f: sp.Expr) -> bool:
        num, _ = sp.fraction(sp.cancel(sp.together(f)))
        return sp.Poly(num, z).rem(self.m).is_zero

    def value(self, f: sp.Expr) -> sp.Expr:
        return sp.simplify(sp.cancel(f).subs(z, self.x0))


def _multiple_root(P: sp.Expr, at: _AtPoint) -> tuple[sp.Expr, int]:
    """G0(z) as a rational function of z (valid at x0) and the multiplicity k of the multiple root
    G0(x0) of P(G, x0), from the subresultant chain of P and dP/dG: the gcd of P(G, x0) and
    P_G(G, x0) is the first subresultant that does not vanish at x0, here (G - G0)^(k-1)."""
    chain = sp.subresultants(sp.Poly(P, G), sp.Poly(sp.diff(P, G), G))
    by_degree = sorted((sp.Poly(c, G) for c in chain), key=lambda c: c.degree())
    for c in by_degree:
        j = c.degree()
        coeffs = c.all_coeffs()
        if all(at.is_zero(a) for a in coeffs):
            continue
        if j == 0:
            raise ParameterError("x0", at.x0, "a point where P(G, x0) has a multiple root")
        lead, nxt = coeffs[0], coeffs[1]
        if at.is_zero(lead):
            raise ParameterError("x0", at.x0, "an edge where the leading subresultant is regular")
        G0 = sp.cancel(-nxt / (j * lead))
        # the gcd must be (G - G0)^j: one multiple root, of multiplicity j + 1
        num, _ = sp.fraction(sp.together(c.as_expr() - lead * (G - G0) ** j))
        if not all(at.is_zero(a) for a in sp.Poly(sp.expand(num), G).all_coeffs()):
            raise ParameterError("x0", at.x0, "an edge where a single root of P is multiple")
        return G0, j + 1
    raise ParameterError("x0", at.x0, "a point where P(G, x0) has a multiple root (an edge)")


def local_behaviour(P: sp.Expr, x0: object) -> EdgeBehaviour:
    """The Puiseux leading behaviour of the density at an edge or cusp ``x0`` (exact).

    Examples
    --------
    >>> b = local_behaviour(G**2 - z*G + 1, 2)          # semicircle, right edge
    >>> b.exponent, b.prefactor, b.side
    (1/2, 1/pi, 'left')
    >>> c = local_behaviour(G**3 - 2*G**2*z + G*z**2 - z, 0)   # SC(1) + Bernoulli: a cusp
    >>> c.exponent, c.prefactor, c.side
    (1/3, sqrt(3)/(2*pi), 'both')
    """
    x0 = sp.nsimplify(x0) if not isinstance(x0, sp.Basic) else x0
    at = _AtPoint(x0)
    G0z, k = _multiple_root(P, at)
    # Taylor coefficients c_ij(z) = d^i_G d^j_z P / (i! j!) at (G0(z), z), rational in z
    def coeff(i: int, j: int) -> sp.Expr:
        d = sp.diff(P, G, i, z, j) if j else sp.diff(P, G, i)
        return sp.cancel(d.subs(G, G0z) / (sp.factorial(i) * sp.factorial(j)))

    if at.is_zero(coeff(k, 0)):
        raise ParameterError("x0", x0, "an edge whose Newton polygon has the generic first "
                             "segment u^k ~ t^m (this one needs the full Puiseux expansion)")
    m = 1
    while at.is_zero(coeff(0, m)):
        m += 1
        if m > 6:
            raise ParameterError("x0", x0, "an edge of finite order (m <= 6)")
    # the segment (k, 0)-(0, m) is the lower hull iff no c_ij below it is nonzero
    for i in range(1, k):
        for j in range(0, m):
            if i * m + j * k < k * m and not at.is_zero(coeff(i, j)):
                raise ParameterError("x0", x0, "an edge whose Newton polygon has the generic "
                                     "first segment (this one needs the full Puiseux expansion)")
    ratio = at.value(-coeff(0, m) / coeff(k, 0))
    exponent = sp.Rational(m, k)
    if k == 2 and m % 2 == 1:
        # u^2 = ratio t^m: imaginary where ratio t < 0; ratio != 0 exactly, so its sign at
        # 50 digits is certain
        side = "left" if sp.N(ratio, 50) > 0 else "right"
        pref = sp.sqrt(sp.Abs(ratio)) / sp.pi
    elif k == 3 and m % 3 != 0:
        side = "both"
        pref = sp.sqrt(3) / (2 * sp.pi) * sp.Abs(ratio) ** sp.Rational(1, 3)
    else:
        side = "both"
        pref = sp.sin(sp.pi / k) * sp.Abs(ratio) ** sp.Rational(1, k) / sp.pi
    return EdgeBehaviour(x0, at.value(G0z), k, exponent, sp.simplify(pref), side)


def edge_behaviours(law: AlgebraicLaw) -> list[EdgeBehaviour]:
    """The local behaviour at every edge of the support of a numeric law, and at every interior
    breakpoint where the density vanishes (cusps).

    Examples
    --------
    >>> import rmtsym as rs
    >>> [(b.location, b.exponent, b.prefactor) for b in edge_behaviours(rs.semicircle(1))]
    [(-2, 1/2, 1/pi), (2, 1/2, 1/pi)]
    """
    if not law.is_numeric:
        raise ParameterError("law", str(law), "a law with numeric parameters (law.subs(...))")
    out = []
    for a, b in law.support():
        for x0 in (a, b):
            out.append(local_behaviour(law.expr, x0))
        for x0 in _interior_zeros(law, a, b):
            out.append(local_behaviour(law.expr, x0))
    return out


def _interior_zeros(law: AlgebraicLaw, a: sp.Expr, b: sp.Expr) -> list[sp.Expr]:
    """Breakpoints strictly inside a band where the density vanishes (cusps).

    At an interior breakpoint x0 the physical root is continuous; if P(G, x0) has a real root of
    multiplicity k >= 3 and P has degree at most k + 1 in G, no non-real root is left at x0, so
    the density is exactly zero there: decided exactly, with no tolerance.  Other breakpoints
    (two non-physical roots colliding) are not cusps.
    """
    disc = sp.Poly(sp.discriminant(sp.Poly(law.expr, G), G), z)
    out = []
    fa, fb = float(a), float(b)
    for r in sorted(set(disc.real_roots()), key=float):
        if not fa < float(r) < fb:
            continue
        at = _AtPoint(r)
        try:
            G0z, k = _multiple_root(law.expr, at)
        except ParameterError:
            continue
        if k >= 3 and at.value(G0z).is_real and law.degree <= k + 1:
            out.append(r)
    return out
