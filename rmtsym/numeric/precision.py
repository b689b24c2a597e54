"""High-precision evaluation of the physical branch (mpmath)."""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from ..core.polynomials import horner
from ..core.symbols import G, z
from .evaluate import cauchy

__all__ = ["cauchy_mp", "mp_poly_eval"]


def cauchy_mp(expr: sp.Expr, z0, dps: int = 50):
    """G(z0) at ``dps`` digits: the double-precision physical root, refined by mpmath's polyroots
    at high precision (the nearest root is taken)."""
    g0 = complex(cauchy(expr, np.array([complex(z0)]))[0])
    poly = sp.Poly(expr, G)
    with mpmath.workdps(dps + 10):
        zz = mpmath.mpmathify(z0)
        coeffs = [mp_poly_eval(c, zz) for c in poly.all_coeffs()]
        while coeffs and coeffs[0] == 0:
            coeffs = coeffs[1:]
        rts = mpmath.polyroots(coeffs, maxsteps=200, extraprec=4 * dps)
        best = min(rts, key=lambda r: abs(complex(r) - g0))
        return +best

def mp_poly_eval(expr: sp.Expr, zz):
    """Value at the mpmath number ``zz`` of a polynomial in z with rational coefficients."""
    coeffs = [mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q for c in sp.Poly(expr, z).all_coeffs()]
    return horner(coeffs, zz)
