"""Imaginary parts of the complex roots of real polynomials of degree 2 to 4, in real arithmetic.

On the real axis a law's polynomial has real coefficients, so its non-real roots come in conjugate
pairs; the density needs only the size of the imaginary part of one of them.  These kernels give it
without complex arithmetic, sorting or eigenvalues: the quadratic formula, Cardano's formula in its
stable real form, and Ferrari's reduction to two real quadratics through the largest real root of
the resolvent cubic.  ``lower_imag(a, count, index)`` returns |Im| of the ``index``-th (by real
part) of the ``count`` roots in the lower half plane, or NaN where a kernel cannot decide (the
caller then uses the general path).
"""

from __future__ import annotations

import numpy as np

__all__ = ["largest_real_cubic_root", "lower_imag"]

_SQRT3_2 = np.sqrt(3.0) / 2


def _quadratic_imag(a: list[np.ndarray]) -> np.ndarray:
    a0, a1, a2 = a
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.maximum(4 * a2 * a0 - a1 * a1, 0.0)) / (2 * np.abs(a2))


def _cubic_imag(a: list[np.ndarray]) -> np.ndarray:
    """|Im| of the complex pair of a real cubic with one real root (Cardano, stable form)."""
    a0, a1, a2, a3 = a
    with np.errstate(divide="ignore", invalid="ignore"):
        A, B, C = a2 / a3, a1 / a3, a0 / a3
        p = B - A * A / 3
        q = (2 * A * A * A - 9 * A * B) / 27 + C
        D = q * q / 4 + p * p * p / 27
        u = np.cbrt(-q / 2 - np.copysign(np.sqrt(np.maximum(D, 0.0)), q))
        v = np.where(u != 0, -p / (3 * u), 0.0)
        im = np.where(D >= 0, _SQRT3_2 * np.abs(u - v), np.nan)
        # u - v cancels (|u - v| << |u|) when the real root R dominates the pair r1, r2 (a small
        # leading coefficient); there the pair comes from Vieta without cancellation:
        # r1 r2 = -C / R, r1 + r2 = (B - r1 r2) / R
        big = np.flatnonzero(im * 100 < np.abs(u))
        if big.size:
            Rb = u[big] + v[big] - A[big] / 3
            prod = -C[big] / Rb
            total = (B[big] - prod) / Rb
            im[big] = 0.5 * np.sqrt(np.maximum(4 * prod - total * total, 0.0))
        return im


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
