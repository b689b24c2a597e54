"""Monte Carlo: finite-size random matrices realising every catalogue law and model, their
spectra, and comparison with the exact law (Kolmogorov-Smirnov distance, moment z-scores).

Every function takes an explicit ``numpy.random.Generator``; nothing touches global random state.
A law knows how it was built (``law.recipe``), and :mod:`rmtsym.sampling.samplers` follows that
recipe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..core.inputs import positive_int
from ..errors import ParameterError, SymbolicParameterError
from .samplers import haar_orthogonal, sample_recipe

__all__ = [
    "MonteCarloComparison",
    "compare",
    "haar_orthogonal",
    "ks_distance",
    "sample_matrix",
    "sample_spectra",
]


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
        raise ParameterError("rng", rng,
                             "a numpy.random.Generator (numpy.random.default_rng(seed))")
    n = positive_int(n, "n")
    if law.parameters:
        raise SymbolicParameterError("sampling", law.parameters)
    return sample_recipe(law.recipe, int(n), rng)

def sample_spectra(law, n: int, draws: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Eigenvalues of ``draws`` independent n x n samples."""
    draws = positive_int(draws, "draws")
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
    x = np.sort(np.asarray(eigenvalues, dtype=float))
    atoms = {float(k): float(v) for k, v in law.atoms().items()}
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
