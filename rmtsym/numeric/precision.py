"""High-precision evaluation of the physical branch (mpmath): G, the density, the CDF and integrals
against the law, at a stated number of correct digits.

One algorithm at any precision: the coefficients of P(., z0) are evaluated exactly-rounded at the
working precision and all roots are found by mpmath's ``polyroots`` (with its error estimate).  The
physical root is

* off the real axis (Im z0 > 0): the only root with Im G < 0 when there is exactly one, else the
  root nearest to the double-precision physical value (:func:`rmtsym.numeric.evaluate.cauchy`);
* on the real axis: G(x + i0) is real or has Im G < 0, so the root nearest to the double-precision
  value is taken, replaced by its conjugate (also a root, P being real) if its imaginary part is
  positive, and read as real when its imaginary part is below the root-finder's error;
* at an exact rational breakpoint (a root of the discriminant) the roots of the square-free part
  of P(., x0) are used, so that a double or triple root does not cost half or two thirds of the
  digits (the density at an edge or a cusp is then exactly 0).

Point values are computed with twice the requested digits plus a guard (root-finding near a double
root loses half the working digits) and returned as SymPy Floats of the requested precision by
:func:`to_sympy`, which never depends on mpmath's global precision.  Integrals (the CDF, linear
statistics, the log-potential) use tanh-sinh quadrature on each band, split at every real root of
the discriminant and at every atom inside it, so that square-root edges, cube-root cusps and
logarithmic singularities sit at endpoints where the double-exponential rule converges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..algebra.edges import edge_candidates
from ..core.inputs import digits_argument, exact
from ..core.polynomials import horner
from ..core.symbols import G, z
from ..errors import BranchError
from .evaluate import cauchy

__all__ = [
    "GUARD",
    "cauchy_at",
    "cauchy_mp",
    "cdf_at",
    "cdf_mp",
    "density_at",
    "density_mp",
    "integrate_mp",
    "mp_poly_eval",
    "mp_value",
    "to_sympy",
]

#: extra decimal digits carried beyond the requested ones
GUARD = 15


def to_sympy(value, digits: int) -> sp.Expr:
    """A SymPy Float (or complex Float) of ``digits`` significant digits from an mpmath number.

    The conversion goes through a decimal string of ``digits + 5`` digits, so it does not depend on
    mpmath's global precision.

    Examples
    --------
    >>> with mpmath.workdps(40):
    ...     v = mpmath.mpf(1) / 3
    >>> to_sympy(v, 30)
    0.333333333333333333333333333333
    """
    if isinstance(value, mpmath.mpc):
        # a part below the relative precision of the whole number is rounding noise
        size = max(abs(value.real), abs(value.imag))
        noise = size * mpmath.mpf(10) ** (-digits - 3)
        re = to_sympy(value.real, digits) if abs(value.real) > noise else sp.Integer(0)
        im = to_sympy(value.imag, digits) if abs(value.imag) > noise else sp.Integer(0)
        return re if im == 0 else re + sp.I * im
    if isinstance(value, (int, float)):
        value = mpmath.mpf(value)
    if mpmath.isinf(value):
        return sp.oo if value > 0 else -sp.oo
    return sp.Float(mpmath.libmp.to_str(value._mpf_, digits + 5), digits)


def mp_value(value: sp.Expr, dps: int):
    """An exact SymPy number as an mpmath number at ``dps`` digits (real or complex)."""
    re, im = sp.N(value, dps + 5).as_real_imag()
    with mpmath.workdps(dps):
        re_mp = mpmath.mpf(str(re)) if re != 0 else mpmath.mpf(0)
        if im == 0:
            return re_mp
        return mpmath.mpc(re_mp, mpmath.mpf(str(im)))


def mp_poly_eval(expr: sp.Expr, zz):
    """Value at the mpmath number ``zz`` of a polynomial in z with rational coefficients."""
    coeffs = [mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q
              for c in sp.Poly(expr, z).all_coeffs()]
    return horner(coeffs, zz)


@lru_cache(maxsize=64)
def _table(expr: sp.Expr) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Coefficients of P in G (highest degree first), each as (p, q) pairs of its z-coefficients."""
    rows = []
    for c in sp.Poly(expr, G).all_coeffs():
        cs = sp.Poly(c, z).all_coeffs()
        rows.append(tuple((int(sp.Rational(a).p), int(sp.Rational(a).q)) for a in cs))
    return tuple(rows)


@lru_cache(maxsize=64)
def _discriminant(expr: sp.Expr) -> sp.Poly:
    return sp.Poly(sp.discriminant(sp.Poly(expr, G), G), z)


def _coefficients(expr: sp.Expr, zz) -> list:
    out = [horner([mpmath.mpf(p) / q for p, q in row], zz) for row in _table(expr)]
    while out and out[0] == 0:
        out = out[1:]
    return out


def _newton(cs: list) -> tuple[list, object] | None:
    """All roots by Newton's method from double-precision starting values, or None when the
    roots are too close together for it to converge fast (then Durand-Kerner is used)."""
    with np.errstate(all="ignore"):
        start = np.roots(np.array([complex(c) for c in cs]))
    n = len(cs) - 1
    if len(start) != n or not np.all(np.isfinite(start)):
        return None
    scale = max(1.0, float(np.max(np.abs(start))))
    if n > 1 and np.min([abs(a - b) for i, a in enumerate(start) for b in start[i + 1:]]) \
            < 1e-6 * scale:
        return None
    dcs = [c * (n - i) for i, c in enumerate(cs[:-1])]
    eps = mpmath.mpf(10) ** (-mpmath.mp.dps + 3) * scale
    out, err = [], mpmath.mpf(0)
    for r0 in start:
        r = mpmath.mpc(r0)
        for _ in range(12):
            step = horner(cs, r) / horner(dcs, r)
            r -= step
            if abs(step) <= eps:
                break
        else:
            return None
        out.append(r)
        err = max(err, abs(step))
    return out, max(err, eps)


def _polyroots(cs: list) -> tuple[list, object]:
    if len(cs) < 2:
        return [], mpmath.mpf(0)
    fast = _newton(cs)
    if fast is not None:
        return fast
    for steps in (100, 400, 2000):
        try:
            rts, err = mpmath.polyroots(cs, maxsteps=steps, extraprec=2 * mpmath.mp.prec,
                                        error=True)
            return [mpmath.mpc(r) for r in rts], err
        except mpmath.mp.NoConvergence:
            continue
    raise BranchError("the roots of P(G, z0) did not converge at high precision")


def _roots_at(expr: sp.Expr, x_exact: sp.Expr | None, zz) -> tuple[list, object]:
    """All roots of P(., z0) at the working precision; the square-free part at an exact rational
    root of the discriminant."""
    if x_exact is not None and x_exact.is_Rational and _discriminant(expr).eval(x_exact) == 0:
        part = sp.Poly(sp.Poly(expr, G).as_expr().subs(z, x_exact), G).sqf_part()
        cs = [mpmath.mpf(int(c.p)) / int(c.q) for c in part.all_coeffs()]
        return _polyroots(cs)
    return _polyroots(_coefficients(expr, zz))


def _tolerance(err, r):
    return max(err, mpmath.mpf(10) ** (-mpmath.mp.dps + 5)) * max(1, abs(r))


def _double_value(expr: sp.Expr, zz) -> complex:
    """The double-precision physical value (only used to choose among the roots); far outside
    the double range, or where it is not finite, the asymptote G ~ 1/z."""
    zc = complex(zz)
    if np.isfinite(zc) and abs(zc) < 1e150:
        with np.errstate(all="ignore"):
            g = complex(cauchy(expr, np.array([zc]))[0])
        if np.isfinite(g):
            return g
    return complex(1 / zz)


def _pick(expr: sp.Expr, zz, rts: list, err, on_axis: bool, in_band: bool | None):
    """The physical root among ``rts`` at zz (see the module docstring)."""
    if not rts:
        raise BranchError(f"P(G, z) has no root in G at z = {mpmath.nstr(zz, 15)}")
    if not on_axis or in_band:
        lower = [r for r in rts if r.imag < -_tolerance(err, r)]
        if len(lower) == 1:
            return lower[0]
        if in_band and not lower:
            return min(rts, key=lambda r: abs(r.imag))
    g0 = _double_value(expr, zz)
    best = min(rts, key=lambda r: abs(complex(r) - g0))
    if not on_axis:
        return best
    if abs(best.imag) <= _tolerance(err, best):
        return mpmath.mpc(best.real, 0)
    return mpmath.conj(best) if best.imag > 0 else best


def cauchy_mp(expr: sp.Expr, z0, dps: int = 50, in_band: bool | None = None):
    """G(z0) on the physical branch at ``dps`` working digits (an ``mpc``).

    ``z0`` is an exact SymPy number, a Python number or an mpmath number; the lower half plane uses
    G(conj z) = conj G(z).  ``in_band`` (for real z0) says that z0 is known to lie inside a band of
    the support, which lets the root with Im G < 0 be taken without a double-precision value.

    Examples
    --------
    >>> import rmtsym as rs
    >>> g = cauchy_mp(rs.semicircle(1).expr, sp.Integer(3), 40)      # (3 - sqrt 5) / 2
    >>> with mpmath.workdps(40):
    ...     print(mpmath.almosteq(g.real, (3 - mpmath.sqrt(5)) / 2, 1e-38), g.imag)
    True 0.0
    """
    x_exact = z0 if isinstance(z0, sp.Basic) else None
    with mpmath.workdps(dps):
        zz = mp_value(z0, dps) if x_exact is not None else mpmath.mpmathify(z0)
        if isinstance(zz, mpmath.mpc) and zz.imag < 0:
            conj = sp.conjugate(x_exact) if x_exact is not None else mpmath.conj(zz)
            return mpmath.conj(cauchy_mp(expr, conj, dps, in_band))
        on_axis = not isinstance(zz, mpmath.mpc) or zz.imag == 0
        if on_axis:
            zz = mpmath.mpf(zz.real) if isinstance(zz, mpmath.mpc) else zz
        rts, err = _roots_at(expr, x_exact if on_axis else None, zz)
        return +_pick(expr, zz, rts, err, on_axis, in_band)


def density_mp(expr: sp.Expr, x, dps: int = 50, in_band: bool | None = None):
    """The density -Im G(x + i0) / pi at ``dps`` working digits (an ``mpf``, >= 0).

    Examples
    --------
    >>> import rmtsym as rs
    >>> v = density_mp(rs.semicircle(1).expr, sp.Integer(1), 40)     # sqrt(3) / (2 pi)
    >>> with mpmath.workdps(40):
    ...     mpmath.almosteq(v, mpmath.sqrt(3) / (2 * mpmath.pi), 1e-38)
    True
    """
    with mpmath.workdps(dps):
        g = cauchy_mp(expr, x, dps, in_band)
        return max(-g.imag / mpmath.pi, mpmath.mpf(0))


def _inner_points(expr: sp.Expr, a: sp.Expr, b: sp.Expr, extra: Sequence) -> list[sp.Expr]:
    """Breakpoints (real discriminant roots) and extra points strictly inside (a, b), sorted."""
    pts = [c for c in list(edge_candidates(expr)) + list(extra)
           if bool(sp.N(c - a, 30) > 0) and bool(sp.N(b - c, 30) > 0)]
    return sorted(set(pts), key=lambda c: sp.N(c, 30))


def integrate_mp(expr: sp.Expr, g: Callable | None, bands: Sequence, atoms: dict, dps: int,
                 upper: sp.Expr | None = None, extra_points: Sequence = ()) -> object:
    """int g(x) rho(dx) over the law (atoms included), at ``dps`` working digits.

    ``g`` maps an mpmath number to an mpmath number (None: g = 1); ``bands`` are the exact support
    intervals and ``atoms`` the exact {location: mass}; ``upper`` restricts the integral to
    (-inf, upper]; ``extra_points`` are split points (singularities of g).  tanh-sinh quadrature on
    each piece between consecutive breakpoints.
    """
    one = (lambda t: 1) if g is None else g
    with mpmath.workdps(dps):
        total = mpmath.mpf(0)
        for loc, mass in atoms.items():
            if upper is None or bool(sp.N(loc - upper, 30) <= 0):
                total += one(mp_value(loc, dps)) * mp_value(mass, dps)
        for a, b in bands:
            hi = b if upper is None or bool(sp.N(upper - b, 30) >= 0) else upper
            if bool(sp.N(hi - a, 30) <= 0):
                continue
            pts = [a, *_inner_points(expr, a, hi, list(extra_points) + list(atoms)), hi]
            nodes = [mp_value(p, dps) for p in pts]

            def f(t):
                return one(t) * density_mp(expr, t, dps, in_band=True)

            total += mpmath.quad(f, nodes, method="tanh-sinh")
        return +total


def cdf_mp(expr: sp.Expr, x: object, bands: Sequence, atoms: dict, digits: int) -> sp.Float:
    """F(x) = mass of (-inf, x] at ``digits`` correct digits, a SymPy Float.

    Examples
    --------
    >>> import rmtsym as rs
    >>> law = rs.semicircle(1)
    >>> cdf_mp(law.expr, 1, law.support(), law.atoms(), 30)   # 1/2 + sqrt(3)/(4 pi) + 1/6
    0.804498890522114679044498291245
    """
    xe = exact(x, "x")
    return to_sympy(integrate_mp(expr, None, bands, atoms, digits + GUARD, upper=xe), digits)


def exact_point(value: object, name: str = "z") -> sp.Expr:
    """An exact (possibly complex) evaluation point: real values by :func:`exact`, complex ones
    (Python, NumPy or SymPy) part by part."""
    if isinstance(value, (complex, np.complexfloating)):
        return exact(value.real, name) + sp.I * exact(value.imag, name)
    if isinstance(value, sp.Basic) and value.is_number and value.is_real is False:
        re, im = value.as_real_imag()
        return exact(re, name) + sp.I * exact(im, name)
    return exact(value, name)


def _elementwise(fn: Callable, values: object, name: str, complex_ok: bool = False):
    """fn at one exact point, or a list of fn over a sequence/array of points."""
    conv = exact_point if complex_ok else exact
    if isinstance(values, (str, bytes)):
        return fn(conv(values, name))  # refused by the door with a typed error
    if (isinstance(values, np.ndarray) and values.ndim > 0) or isinstance(values, (list, tuple)):
        return [fn(conv(v, name)) for v in np.asarray(values, dtype=object).ravel()]
    return fn(conv(values, name))


def density_at(expr: sp.Expr, xs: object, digits: object):
    """The density at ``digits`` correct digits: a SymPy Float, or a list of them for a sequence.

    Examples
    --------
    >>> import rmtsym as rs
    >>> density_at(rs.semicircle(1).expr, 0, 25)          # 1 / pi
    0.3183098861837906715377675
    """
    d = digits_argument(digits, minimum=1)
    return _elementwise(lambda x: to_sympy(density_mp(expr, x, 2 * d + GUARD), d), xs, "x")


def cauchy_at(expr: sp.Expr, zs: object, digits: object):
    """G(z) at ``digits`` correct digits: a SymPy (complex) Float, or a list of them.

    Examples
    --------
    >>> import rmtsym as rs
    >>> cauchy_at(rs.semicircle(1).expr, 1j, 20)           # i (1 - sqrt 5) / 2
    -0.6180339887498948482*I
    """
    d = digits_argument(digits, minimum=1)
    return _elementwise(lambda v: to_sympy(cauchy_mp(expr, v, 2 * d + GUARD), d), zs, "z",
                        complex_ok=True)


def cdf_at(expr: sp.Expr, xs: object, bands: Sequence, atoms: dict, digits: object):
    """F(x) at ``digits`` correct digits: a SymPy Float, or a list of them."""
    d = digits_argument(digits, minimum=1)
    return _elementwise(lambda x: cdf_mp(expr, x, bands, atoms, d), xs, "x")
