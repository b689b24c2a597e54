"""Vectorised roots of many small polynomials at once.

``roots(a)`` takes the coefficient arrays a_0(z), ..., a_d(z) of sum_i a_i G^i at N points and
returns all d roots at every point, shape (d, N).  Degrees up to 4 use closed forms (Cardano,
Ferrari) evaluated in complex arithmetic and polished by Newton steps, so there is no per-point
loop and no eigenvalue problem; higher degrees use batched companion-matrix eigenvalues.  Where the
leading coefficient vanishes the missing roots are infinite, returned as ``inf``.
"""

from __future__ import annotations

import numpy as np

from ..core.polynomials import horner_derivative

__all__ = ["companion_roots", "lower_coefficient_scale", "polish", "roots"]


def polish(a: list[np.ndarray], r: np.ndarray, steps: int = 2) -> np.ndarray:
    """Newton steps on the roots ``r`` (any shape broadcasting against the a_i), each kept only
    where it does not increase |p|."""
    finite = np.isfinite(r)
    x = np.where(finite, r, 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(steps):
            p, dp = horner_derivative(a[::-1], x)
            cand = x - p / dp
            pc, _ = horner_derivative(a[::-1], np.where(np.isfinite(cand), cand, 0))
            better = np.isfinite(cand) & (np.abs(pc) <= np.abs(p))
            x = np.where(better, cand, x)
    return np.where(finite, x, r)


def lower_coefficient_scale(a: list[np.ndarray]) -> np.ndarray:
    """max |a_i| over the coefficients below the leading one, elementwise: the yardstick for
    deciding that a leading coefficient is (nearly) zero."""
    scale = np.abs(a[0])
    for c in a[1:-1]:
        scale = np.maximum(scale, np.abs(c))
    return scale


def _quadratic(b, c):
    """Roots of x^2 + b x + c, stable form."""
    d = np.sqrt(b * b - 4 * c)
    # choose the sign that avoids cancellation
    s = np.where((np.conj(b) * d).real >= 0, 1.0, -1.0)
    q = -0.5 * (b + s * d)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(q != 0, c / q, 0)
    return q, r2


def _cubic(a, b, c):
    """Roots of x^3 + a x^2 + b x + c (Cardano in complex arithmetic)."""
    a3 = a / 3
    p = b - a * a3
    q = 2 * a3**3 - a3 * b + c
    disc = np.sqrt(q * q / 4 + p**3 / 27)
    u1 = -q / 2 + disc
    u2 = -q / 2 - disc
    u = np.where(np.abs(u1) >= np.abs(u2), u1, u2)
    C = u ** (1 / 3)
    omega = np.exp(2j * np.pi / 3)
    out = []
    for k in range(3):
        Ck = C * omega**k
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(Ck != 0, Ck - p / (3 * Ck), 0)
        out.append(t - a3)
    return out


def _quartic(a, b, c, d):
    """Roots of x^4 + a x^3 + b x^2 + c x + d (Ferrari through the resolvent cubic)."""
    a4 = a / 4
    p = b - 6 * a4**2
    q = c - 2 * b * a4 + 8 * a4**3
    r = d - c * a4 + b * a4**2 - 3 * a4**4
    # resolvent 8 m^3 + 8 p m^2 + (2 p^2 - 8 r) m - q^2 = 0; take the root of largest modulus
    ms = _cubic(p, p * p / 4 - r, -q * q / 8)
    mstack = np.stack(ms)
    idx = np.argmax(np.abs(mstack), axis=0)
    mm = np.take_along_axis(mstack, idx[None], axis=0)[0]
    s = np.sqrt(2 * mm)
    with np.errstate(divide="ignore", invalid="ignore"):
        qs = np.where(mm != 0, q / (2 * s), 0)
    out = []
    for sign in (1, -1):
        # t^2 - sign*s t + (p/2 + m + sign*q/(2 s)) = 0
        r1, r2 = _quadratic(-sign * s, p / 2 + mm + sign * qs)
        out += [r1 - a4, r2 - a4]
    return out


def companion_roots(a: list[np.ndarray]) -> np.ndarray:
    """Roots through batched companion-matrix eigenvalues (any degree), shape (d, N)."""
    d = len(a) - 1
    lead = a[-1]
    n = np.broadcast(*a).shape[0]
    comp = np.zeros((n, d, d), dtype=complex)
    comp[:, 1:, :-1] = np.eye(d - 1)
    for i in range(d):
        comp[:, i, -1] = -a[i] / lead
    return np.linalg.eigvals(comp).T


def roots(a: list[np.ndarray], polish_steps: int = 2) -> np.ndarray:
    """All roots of sum_i a_i x^i at every point, shape (d, N); lowest degree coefficient first.

    Examples
    --------
    >>> r = roots([np.array([2.0]), np.array([-3.0]), np.array([1.0])])   # x^2 - 3x + 2
    >>> np.sort(r[:, 0].real)
    array([1., 2.])
    """
    a = [np.asarray(c, dtype=complex) for c in a]
    n = np.broadcast(*a).shape[0] if a[0].ndim else 1
    a = [np.broadcast_to(c, (n,)).astype(complex) for c in a]
    d = len(a) - 1
    lead = a[-1]
    scale = lower_coefficient_scale(a)
    deficient = lead == 0
    # near a zero of the leading coefficient some roots are huge and the closed forms lose the
    # others to cancellation: those few points go through balanced companion eigenvalues
    near = ~deficient & (np.abs(lead) <= 1e-6 * scale)
    safe_lead = np.where(deficient | near, 1.0, lead)
    with np.errstate(all="ignore"):
        return _roots(a, d, safe_lead, near, deficient, polish_steps)


def _roots(a, d, safe_lead, near, deficient, polish_steps):
    mon = [c / safe_lead for c in a[:-1]]
    if d == 1:
        out = [-mon[0]]
    elif d == 2:
        out = list(_quadratic(mon[1], mon[0]))
    elif d == 3:
        out = _cubic(mon[2], mon[1], mon[0])
    elif d == 4:
        out = _quartic(mon[3], mon[2], mon[1], mon[0])
    else:
        out = list(companion_roots(a[:-1] + [safe_lead]))
    res = np.stack(out)
    if d in (3, 4):
        res = _vieta_smallest(res, mon[0], d)
    if polish_steps:
        res = polish(a, res, steps=polish_steps)
    if np.any(near):
        idx = np.nonzero(near)[0]
        sub = [c[idx] for c in a]
        res[:, idx] = polish(sub, _reversed_roots(sub), steps=2)
    if np.any(deficient):
        idx = np.nonzero(deficient)[0]
        res[:, idx] = _deficient_roots([c[idx] for c in a], d)
    return res


def _reversed_roots(a: list[np.ndarray]) -> np.ndarray:
    """Roots where the leading coefficient is nearly 0: 1 / (balanced companion eigenvalues of
    the reversed polynomial), whose leading coefficient a_0 is not small (a zero root of the
    reversed one is infinite); eigenvalues keep the relative precision of the huge roots, so their
    imaginary parts stay small and never pass for the physical root's."""
    rev = a[::-1]
    if np.all(rev[-1] != 0):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            w = companion_roots(rev)
            return np.where(w != 0, 1 / w, np.inf + 0j)
    return companion_roots(a)  # pragma: no cover - both end coefficients small


def _vieta_smallest(res: np.ndarray, const: np.ndarray, d: int) -> np.ndarray:
    """Recompute the root of smallest modulus from the product of roots, (-1)^d a_0 / a_d:
    the closed forms lose it to cancellation when the other roots are much larger."""
    idx = np.argmin(np.abs(res), axis=0)
    cols = np.arange(res.shape[1])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        others = np.prod(res, axis=0) / res[idx, cols]
        vieta = (-1) ** d * const / others
    ok = np.isfinite(vieta) & (np.abs(others) > 0)
    res[idx[ok], cols[ok]] = vieta[ok]
    return res


def _deficient_roots(a: list[np.ndarray], d: int) -> np.ndarray:
    """Roots where the leading coefficient vanishes: lower degree, the rest infinite."""
    out = np.full((d, len(a[0])), np.inf + 0j)
    for k in range(len(a[0])):
        coeffs = [c[k] for c in a]
        if not np.all(np.isfinite(coeffs)):
            out[:, k] = np.nan
            continue
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        if len(coeffs) > 1:
            try:
                r = np.roots(coeffs[::-1])
            except np.linalg.LinAlgError:  # under- or overflowing coefficients
                out[:, k] = np.nan
                continue
            out[: len(r), k] = r
    return out
