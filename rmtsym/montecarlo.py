"""Monte Carlo: finite-size random matrices realising every catalogue law and model, their
spectra, and comparison with the exact law (Kolmogorov-Smirnov distance, moment z-scores).

Every function takes an explicit ``numpy.random.Generator``; nothing touches global random state.
A law knows how it was built (``law.source``), and the sampler follows that recipe: a free sum
A + B is sampled as A + O B O^T and a free product as A^(1/2) O B O^T A^(1/2), with O Haar
orthogonal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .errors import ParameterError, SymbolicParameterError

__all__ = [
    "haar_orthogonal",
    "sample_matrix",
    "sample_spectra",
    "register_sampler",
    "MonteCarloComparison",
    "compare",
    "ks_distance",
]

_SAMPLERS: dict[str, Callable] = {}


def register_sampler(kind: str):
    """Decorator registering the sampler for laws whose ``source`` starts with ``kind``."""

    def deco(fn):
        _SAMPLERS[kind] = fn
        return fn

    return deco


def haar_orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-distributed n x n orthogonal matrix (QR of a Gaussian matrix, signs fixed).

    Examples
    --------
    >>> O = haar_orthogonal(5, np.random.default_rng(0))
    >>> np.allclose(O @ O.T, np.eye(5))
    True
    """
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _f(v) -> float:
    return float(sp.N(v))


@register_sampler("sc")
def _sc(src, n, rng):
    s2 = _f(src[1])
    # every entry (diagonal included) of variance s2 / n: E tr(A^2) / n = s2 exactly
    x = np.triu(rng.standard_normal((n, n)))
    return np.sqrt(s2 / n) * (x + np.triu(x, 1).T)


@register_sampler("mp")
def _mp(src, n, rng):
    c, s2 = _f(src[1]), _f(src[2])
    cols = max(1, round(n / c))
    x = rng.standard_normal((n, cols))
    return s2 * (x @ x.T) / cols


@register_sampler("fp")
def _fp(src, n, rng):
    lam, a = _f(src[1]), _f(src[2])
    return a * _mp(("mp", 1 / lam, lam), n, rng)


@register_sampler("atomic")
def _atomic(src, n, rng):
    pts = np.array([_f(p) for p in src[1]])
    wts = np.array([_f(v) for v in src[2]])
    raw = wts * n
    counts = np.floor(raw).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(-(raw - counts))[:rest]] += 1
    return np.diag(np.repeat(pts, counts))


@register_sampler("add")
def _add(src, n, rng):
    a = sample_matrix(src[1], n, rng)
    b = sample_matrix(src[2], n, rng)
    o = haar_orthogonal(n, rng)
    return a + o @ b @ o.T


def _psd_root(m: np.ndarray) -> np.ndarray | None:
    vals, vecs = np.linalg.eigh(m)
    if vals.min() < -1e-8 * max(1.0, np.abs(vals).max()):
        return None
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


@register_sampler("mul")
def _mul(src, n, rng):
    a = sample_matrix(src[1], n, rng)
    b = sample_matrix(src[2], n, rng)
    root = _psd_root(a)
    if root is None:
        root, b = _psd_root(b), a
    if root is None:
        raise ParameterError("law", src, "a free product with at least one positive factor "
                             "(A^(1/2) O B O^T A^(1/2) needs A >= 0) to be sampled")
    o = haar_orthogonal(n, rng)
    return root @ (o @ b @ o.T) @ root


@register_sampler("scale")
def _scale(src, n, rng):
    return _f(src[2]) * sample_matrix(src[1], n, rng)


@register_sampler("shift")
def _shift(src, n, rng):
    return sample_matrix(src[1], n, rng) + _f(src[2]) * np.eye(n)


def sample_matrix(law, n: int, rng: np.random.Generator) -> np.ndarray:
    """A symmetric n x n random matrix whose spectrum tends to ``law`` as n grows.

    Examples
    --------
    >>> import rmtsym as rs
    >>> m = sample_matrix(rs.marchenko_pastur(sp.Rational(1, 2)), 200, np.random.default_rng(1))
    >>> m.shape, bool(np.allclose(m, m.T))
    ((200, 200), True)
    """
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng", rng, "a numpy.random.Generator (numpy.random.default_rng(seed))")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("n", n, "a positive integer matrix size")
    if law.parameters:
        raise SymbolicParameterError("sampling", law.parameters)
    kind = law.source[0]
    if kind not in _SAMPLERS:
        raise ParameterError("law", str(law), f"a law built from the catalogue (kinds: "
                             f"{', '.join(sorted(_SAMPLERS))}); no sampler for {kind!r}")
    return _SAMPLERS[kind](law.source, int(n), rng)


def sample_spectra(law, n: int, draws: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Eigenvalues of ``draws`` independent n x n samples."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ParameterError("draws", draws, "a positive integer")
    out = []
    for _ in range(draws):
        m = sample_matrix(law, n, rng)
        out.append(np.linalg.eigvalsh(0.5 * (m + m.T)))
    return out


def ks_distance(law, eigenvalues: np.ndarray) -> float:
    """Kolmogorov-Smirnov distance sup |F_emp - F| between eigenvalues and the law's CDF.

    Eigenvalues within 1e-8 (relative) of an atom are snapped onto it, so that rounding noise
    around an exact point mass does not count as a distance.
    """
    from .support import numeric_atoms

    x = np.sort(np.asarray(eigenvalues, dtype=float))
    atoms = numeric_atoms(law)
    left_mass = np.zeros_like(x)
    for loc, mass in atoms.items():
        near = np.abs(x - loc) <= 1e-8 * max(1.0, abs(loc), np.abs(x).max())
        x[near] = loc
        left_mass[x == loc] = mass
    x = np.sort(x)
    F = law.cdf(x)
    F_left = F - left_mass
    n = len(x)
    i = np.arange(n)
    # first and last index of each run of equal values
    first = np.searchsorted(x, x, side="left")
    last = np.searchsorted(x, x, side="right")
    d_plus = np.max(last / n - F)
    d_minus = np.max(F_left - first / n)
    del i
    return float(max(d_plus, d_minus))


@dataclass(frozen=True)
class MonteCarloComparison:
    """Theory against Monte Carlo: KS distance of the pooled spectra and moment z-scores."""

    n: int
    draws: int
    ks: float
    moments_exact: tuple[float, ...]
    moments_mc: tuple[float, ...]
    standard_errors: tuple[float, ...]
    z_scores: tuple[float, ...]

    def as_dict(self) -> dict:
        return {
            "n": self.n, "draws": self.draws, "ks": self.ks,
            "moments_exact": list(self.moments_exact), "moments_mc": list(self.moments_mc),
            "standard_errors": list(self.standard_errors), "z_scores": list(self.z_scores),
        }


def compare(law, spectra: Sequence[np.ndarray], n_moments: int = 4) -> MonteCarloComparison:
    """Compare sampled spectra (one array per draw, at least 2 draws) with the exact law."""
    if len(spectra) < 2:
        raise ParameterError("spectra", len(spectra), "at least 2 independent draws")
    pooled = np.concatenate(spectra)
    exact = [float(sp.N(m)) for m in law.moments(n_moments)]
    per = np.array([[np.mean(s**k) for k in range(1, n_moments + 1)] for s in spectra])
    mean = per.mean(axis=0)
    se = per.std(axis=0, ddof=1) / np.sqrt(len(spectra))
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = np.where(se > 0, (mean - np.array(exact)) / se, 0.0)
    return MonteCarloComparison(
        n=len(spectra[0]), draws=len(spectra), ks=ks_distance(law, pooled),
        moments_exact=tuple(exact), moments_mc=tuple(mean.tolist()),
        standard_errors=tuple(se.tolist()), z_scores=tuple(zs.tolist()))
