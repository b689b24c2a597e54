"""Imaginary parts of the complex roots of real polynomials of degree 2 to 4, in real arithmetic.

On the real axis a law's polynomial has real coefficients, so its non-real roots come in conjugate
pairs; the density needs only the size of the imaginary part of one of them.  These kernels give it
without complex arithmetic, sorting or eigenvalues: the quadratic formula, Cardano's formula in its
stable real form, and Ferrari's reduction to two real quadratics through the largest real root of
the resolvent cubic.  ``lower_imag(a, count, index)`` returns |Im| of the ``index``-th (by real
part) of the ``count`` roots in the lower half plane, or NaN where a kernel cannot decide (the
caller then uses the general path).

For a law cubic in G the coefficients are polynomials in x, and so are the quantities Cardano's
formula needs (the discriminant and the depressed cubic's P and Q): :func:`cubic_kernel` forms
them once per law, and :func:`cubic_pair_imag` evaluates the density from them with a handful of
in-place passes and one cube root per point.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = [
    "CubicKernel",
    "cubic_kernel",
    "cubic_pair_imag",
    "largest_real_cubic_root",
    "lower_imag",
]

_K = 1.5 * np.sqrt(3.0)  # (3 sqrt 3) / 2


def _quadratic_imag(a: list[np.ndarray]) -> np.ndarray:
    a0, a1, a2 = a
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.maximum(4 * a2 * a0 - a1 * a1, 0.0)) / (2 * np.abs(a2))


def _cubic_imag(a: list[np.ndarray]) -> np.ndarray:
    """|Im| of the complex pair of a real cubic with one real root (Cardano, stable form).

    With P = 3 a3 a1 - a2^2, Q = 2 a2^3 - 9 a3 a2 a1 + 27 a3^2 a0 and the discriminant Delta < 0,
    U^3 = -Q/2 - sign(Q) (3 sqrt 3 / 2) |a3| sqrt(-Delta) (two terms of one sign) and V = -P/U
    give the roots (U + V - a2) / (3 a3) and the pair's |Im| = sqrt 3 |U - V| / (6 |a3|).  Since
    U^3 - V^3 = -sign(Q) 3 sqrt 3 |a3| sqrt(-Delta), that is 3 sqrt(-Delta) / (2 (U^2 + UV + V^2)),
    with no difference of close numbers and no division by a3: the same formula holds when the
    real root is huge (a3 small) and tends to the quadratic formula as a3 -> 0.
    """
    a0, a1, a2, a3 = a
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = 3 * a3 * a1 - a2 * a2
        q = (2 * a2 * a2 - 9 * a3 * a1) * a2 + 27 * a3 * a3 * a0
        root = np.sqrt(-(a2 * a2 * (a1 * a1 - 4 * a0 * a2)
                         + a3 * (18 * a2 * a1 * a0 - 4 * a1 * a1 * a1 - 27 * a3 * a0 * a0)))
        u = np.cbrt(-q / 2 - np.copysign(_K * np.abs(a3) * root, q))
        v = -p / u
        return 1.5 * root / (u * u + u * v + v * v)


@dataclass(frozen=True)
class CubicKernel:
    """The polynomials in x (float, highest degree first) that give the pair's |Im| of the real
    cubic a3 G^3 + a2 G^2 + a1 G + a0 (each a_i a polynomial in x) at a cost of a few Horner
    passes (see :func:`_cubic_imag` for the formula): ``half_q`` = -Q/2, ``minus_p`` = -P,
    ``radicand`` = (27/4) a3^2 (-Delta) when a3 is a constant (then ``lead`` is None), else -Delta
    with ``lead`` = a3 and ``rows`` = (a0, a1, a2) for the near-pole test; ``factor`` multiplies
    the result."""

    half_q: np.ndarray
    minus_p: np.ndarray
    radicand: np.ndarray
    lead: np.ndarray | None
    rows: tuple
    factor: float


def _pmul(*ps: list) -> list:
    out = [Fraction(1)]
    for p in ps:
        prod = [Fraction(0)] * (len(out) + len(p) - 1)
        for i, x in enumerate(out):
            for j, y in enumerate(p):
                prod[i + j] += x * y
        out = prod
    return out


def _pcomb(*terms: tuple) -> list:
    """sum of k * p over the (k, p) pairs, lowest degree first."""
    out = [Fraction(0)] * max(len(p) for _, p in terms)
    for k, p in terms:
        for i, c in enumerate(p):
            out[i] += k * c
    return out


def _floats(p: list) -> np.ndarray:
    """Lowest-first exact coefficients as floats, highest degree first, leading zeros dropped."""
    p = list(p)
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return np.array([float(c) for c in reversed(p)])


def cubic_kernel(C: np.ndarray, scale: float = 1.0) -> CubicKernel:
    """The :class:`CubicKernel` of the coefficient matrix C (C[i, j] the coefficient of G^i x^j,
    4 rows), for |Im| times ``scale``.  The products of the float coefficients are formed exactly
    (as fractions) and rounded once.

    Examples
    --------
    >>> C = np.array([[-1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [1.0, 0.0]])  # G^3 - G^2 + x G - 1
    >>> k = cubic_kernel(C)
    >>> a = [np.array([-1.0]), np.array([2.0]), np.array([-1.0]), np.array([1.0])]
    >>> bool(np.allclose(cubic_pair_imag(k, np.array([2.0])), _cubic_imag(a)))
    True
    """
    a0, a1, a2, a3 = ([Fraction(float(c)) for c in row] for row in C)
    p = _pcomb((3, _pmul(a3, a1)), (-1, _pmul(a2, a2)))
    q = _pcomb((2, _pmul(a2, a2, a2)), (-9, _pmul(a3, a2, a1)), (27, _pmul(a3, a3, a0)))
    minus_disc = _pcomb((-1, _pmul(a2, a2, a1, a1)), (4, _pmul(a3, a1, a1, a1)),
                        (4, _pmul(a2, a2, a2, a0)), (27, _pmul(a3, a3, a0, a0)),
                        (-18, _pmul(a3, a2, a1, a0)))
    lead = _floats(a3)
    if len(lead) == 1:
        c = Fraction(lead[0])
        return CubicKernel(_floats(_pcomb((Fraction(-1, 2), q))), _floats(_pcomb((-1, p))),
                           _floats(_pcomb((Fraction(27, 4) * c * c, minus_disc))), None, (),
                           scale / (_K * abs(float(c))) * 1.5)
    return CubicKernel(_floats(_pcomb((Fraction(-1, 2), q))), _floats(_pcomb((-1, p))),
                       _floats(minus_disc), lead, tuple(_floats(r) for r in (a0, a1, a2)),
                       1.5 * scale)


def _horner(c: np.ndarray, x: np.ndarray) -> np.ndarray:
    acc = x * c[0] if len(c) > 1 else np.full(x.shape, c[0])
    for v in c[1:-1]:
        acc += v
        acc *= x
    if len(c) > 1:
        acc += c[-1]
    return acc


_THIRD32 = np.float32(1 / 3)


def _cbrt(y: np.ndarray) -> np.ndarray:
    """Real cube root, elementwise: a single-precision seed exp(log|y| / 3) (vectorised
    instructions) and one Halley step u (u^3 + 2y) / (2u^3 + y) in double precision (cubic
    convergence: 1e-7 -> below the double rounding); np.cbrt where |y| leaves the range where the
    seed is accurate.  Each value depends on its own y only.

    Examples
    --------
    >>> y = np.array([-27.0, 8.0, 1e-30, 2.0, 1e300])
    >>> _cbrt(y[:4])[:3]
    array([-3.e+00,  2.e+00,  1.e-10])
    >>> bool(np.all(np.abs(_cbrt(y) / np.cbrt(y) - 1) <= 4e-16))    # 1e300: by np.cbrt
    True
    """
    m = np.abs(y)
    off = ~((m > 1e-36) & (m < 1e36))  # zero, tiny, huge or NaN: np.cbrt there
    np.copyto(m, 1.0, where=off)
    s = m.astype(np.float32)
    np.log(s, out=s)
    s *= _THIRD32
    np.exp(s, out=s)
    u = s.astype(np.float64)
    np.copysign(u, y, out=u)
    with np.errstate(over="ignore", invalid="ignore"):
        u3 = u * u
        u3 *= u
        num = u3 + y
        num += y
        u3 += u3
        u3 += y
        u *= num
        u /= u3
    if off.any():
        u[off] = np.cbrt(y[off])
    return u


def cubic_pair_imag(k: CubicKernel, x: np.ndarray) -> np.ndarray:
    """|Im| (times the kernel's factor) of the complex pair at the points x; NaN where the cubic
    has three real roots (Delta > 0 in rounding) or, for a varying a3, where a3 is nearly 0
    (|a3| <= 1e-6 max |a_i|: a root near infinity); x a short array (a block that stays in
    cache: every step is one pass updated in place).

    Examples
    --------
    >>> C = np.array([[-1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [1.0, 0.0]])  # G^3 - G^2 + x G - 1
    >>> x = np.array([0.0, 1.0, 3.0])
    >>> a = [-np.ones(3), x, -np.ones(3), np.ones(3)]
    >>> bool(np.allclose(cubic_pair_imag(cubic_kernel(C), x), _cubic_imag(a)))
    True
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        s = _horner(k.radicand, x)
        np.sqrt(s, out=s)
        w = s
        if k.lead is not None:
            lead = np.abs(_horner(k.lead, x))
            w = s * lead
            w *= _K
        u = _horner(k.half_q, x)
        u += np.copysign(w, u)
        u = _cbrt(u)
        v = _horner(k.minus_p, x)
        v /= u
        den = u + v
        den *= u
        v *= v
        den += v
        s *= k.factor
        s /= den
        if k.lead is not None:
            big = np.abs(_horner(k.rows[0], x))
            for row in k.rows[1:]:
                np.maximum(big, np.abs(_horner(row, x)), out=big)
            s[lead <= 1e-6 * big] = np.nan
    return s


def largest_real_cubic_root(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Largest real root of y^3 + a y^2 + b y + c (real coefficients), elementwise.

    Examples
    --------
    >>> largest_real_cubic_root(np.array([-6.0]), np.array([11.0]), np.array([-6.0]))  # 1, 2, 3
    array([3.])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        p = b - a * a / 3
        q = (2 * a * a * a - 9 * a * b) / 27 + c
        D = q * q / 4 + p * p * p / 27
        u = np.cbrt(-q / 2 - np.copysign(np.sqrt(np.maximum(D, 0.0)), q))
        one = u - np.where(u != 0, p / (3 * u), 0.0)
        rad = np.sqrt(np.maximum(-p / 3, 0.0))
        cosarg = np.clip(np.where(rad > 0, -q / (2 * rad**3), 0.0), -1.0, 1.0)
        three = 2 * rad * np.cos(np.arccos(cosarg) / 3)
        return np.where(D > 0, one, three) - a / 3


def _quartic_imags(a: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """|Im| of the roots of the two real quadratic factors of a real quartic (Ferrari): the factor
    whose roots have the smaller real part first."""
    a0, a1, a2, a3, a4 = a
    with np.errstate(divide="ignore", invalid="ignore"):
        A, B, C, D = a3 / a4, a2 / a4, a1 / a4, a0 / a4
        s4 = A / 4
        p = B - 6 * s4 * s4
        q = C - 2 * B * s4 + 8 * s4 * s4 * s4
        r = D - C * s4 + B * s4 * s4 - 3 * s4 * s4 * s4 * s4
        m = largest_real_cubic_root(p, p * p / 4 - r, -q * q / 8)
        s = np.sqrt(np.maximum(2 * m, 0.0))
        qs = q / s
        ok = s > 1e-7 * (1 + np.abs(p))
        # t^2 - s t + (p/2 + m + q/(2s)): real parts s/2; t^2 + s t + (...): real parts -s/2
        im_right = np.sqrt(np.maximum(2 * m + 2 * p + 2 * qs, 0.0)) / 2
        im_left = np.sqrt(np.maximum(2 * m + 2 * p - 2 * qs, 0.0)) / 2
        return np.where(ok, im_left, np.nan), np.where(ok, im_right, np.nan)


def lower_imag(a: list[np.ndarray], count: int, index: int) -> np.ndarray | None:
    """|Im| of the selected lower-half-plane root, or None when no kernel applies.

    ``a`` are the real coefficient arrays a_0, ..., a_d (d = 2, 3, 4).

    Examples
    --------
    >>> a = [np.array([5.0]), np.array([-2.0]), np.array([1.0])]     # roots 1 +/- 2i
    >>> lower_imag(a, 1, 0)
    array([2.])
    """
    d = len(a) - 1
    if d == 2:
        return _quadratic_imag(a)
    if d == 3 and count == 1:
        return _cubic_imag(a)
    if d == 4 and count in (1, 2):
        left, right = _quartic_imags(a)
        if count == 1:
            return np.maximum(left, right)
        return left if index == 0 else right
    return None
