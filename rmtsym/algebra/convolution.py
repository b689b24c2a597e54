"""Free convolutions and affine maps on Cauchy polynomials (the polynomial method of Rao-Edelman).

Free additive convolution adds R-transforms, free multiplicative convolution multiplies
S-transforms; on polynomials both are resultants, followed by the choice of the physical factor.
"""

from __future__ import annotations

import sympy as sp

from ..core.polynomials import canonical, clear_denominators, resultant
from ..core.symbols import G, R, S, _u, w, z
from .transforms import physical_factor, r_polynomial, s_back, s_polynomial

__all__ = ["free_add_polynomial", "free_multiply_polynomial", "scale_polynomial",
           "shift_polynomial"]


def free_add_polynomial(Pa: sp.Expr, Pb: sp.Expr, expected=None) -> sp.Expr:
    """Cauchy polynomial of the free additive convolution, by a resultant of R-polynomials.

    Examples
    --------
    >>> free_add_polynomial(G**2 - z*G + 1, 2*G**2 - z*G + 1)     # semicircle variances add
    3*G**2 - G*z + 1
    """
    La, Lb = r_polynomial(Pa), r_polynomial(Pb)
    Lc = resultant(La.subs(R, _u), Lb.subs(R, R - _u), _u)
    return physical_factor(clear_denominators(Lc.subs({R: z - 1 / G, w: G}, simultaneous=True)),
                           expected)


def free_multiply_polynomial(Pa: sp.Expr, Pb: sp.Expr, expected=None) -> sp.Expr:
    """Cauchy polynomial of the free multiplicative convolution, by a resultant of S-polynomials."""
    La, Lb = s_polynomial(Pa), s_polynomial(Pb)
    db = sp.degree(Lb, S)
    Lb_scaled = clear_denominators(_u**db * Lb.subs(S, S / _u))
    Lc = resultant(La.subs(S, _u), Lb_scaled, _u)
    return physical_factor(s_back(Lc), expected)


def scale_polynomial(P: sp.Expr, a: sp.Expr) -> sp.Expr:
    """Cauchy polynomial of a X: G_aX(z) = G_X(z / a) / a.

    Examples
    --------
    >>> scale_polynomial(G**2 - z*G + 1, 2)
    4*G**2 - G*z + 1
    """
    return canonical(clear_denominators(P.subs({G: a * G, z: z / a}, simultaneous=True)), (G, z))


def shift_polynomial(P: sp.Expr, b: sp.Expr) -> sp.Expr:
    """Cauchy polynomial of X + b: G_{X+b}(z) = G_X(z - b)."""
    return canonical(P.subs(z, z - b), (G, z))
