"""Monte Carlo as seeded tasks with compact summaries, run in this process or on Dask workers.

Each draw has its own seed, ``numpy.random.SeedSequence(seed).spawn(draws)[i]``, so the i-th
matrix is the same whichever task draws it, in whatever order and on whatever worker.  A task
draws a block of ``batch`` consecutive matrices and returns a :class:`DrawSummary`: histogram
counts on fixed bins and, per draw, the power sums ``sum_i x_i^p`` (p = 1..k) of its eigenvalues
(the eigenvalues themselves only when asked).  The caller folds the summaries in draw order:
integer counts add exactly and the power sums stay one row per draw, so the result is
bit-for-bit the same for every batch size, scheduling and number of workers, and the in-process
run (``client="serial"``, the default) is the same code.  No task holds more than its own
matrices, and the caller holds counts and sums, not spectra.

Reproducibility: LAPACK's eigenvalue routine gives results that depend, at the last bit, on the
number of BLAS threads; each task therefore runs with single-threaded BLAS (threadpoolctl), as
Dask's worker processes do anyway.  Identical results assume the same NumPy build and CPU kind.

The Kolmogorov-Smirnov distance comes from the histogram: with Fn the empirical CDF of the pooled
eigenvalues and F the law's CDF, ``ks`` = max |Fn - F| over the bin edges, a lower bound of the
sup over all x, and ``ks_bound`` = max over bins of max(Fn(e_j) - F(e_(j-1)),
F(e_j) - Fn(e_(j-1))), an upper bound (both CDFs are non-decreasing).  Both are right-continuous
at the edges (a bin is (e_(j-1), e_j]), so an atom on an edge is counted consistently.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from threadpoolctl import threadpool_limits

from ..core.inputs import integer_in, positive_int
from ..errors import ParameterError, SymbolicParameterError
from ..laws.recipe import Recipe
from ..parallel.executor import SERIAL, task_runner
from .samplers import sample_recipe

__all__ = ["DrawSummary", "MonteCarloSummary", "default_edges", "draw_block", "monte_carlo",
           "seeds"]

_blas_lock = threading.Lock()
_blas_users = [0, None]  # tasks running in this process, and the limiter they share


class _SingleThreadedBlas:
    """BLAS limited to one thread while any task of this process runs (tasks may run on several
    threads of one worker; the limit is process-wide, so it is set by the first and lifted by the
    last)."""

    def __enter__(self) -> None:
        with _blas_lock:
            if _blas_users[0] == 0:
                _blas_users[1] = threadpool_limits(1, user_api="blas")
            _blas_users[0] += 1

    def __exit__(self, *exc: object) -> None:
        with _blas_lock:
            _blas_users[0] -= 1
            if _blas_users[0] == 0:
                _blas_users[1].restore_original_limits()
                _blas_users[1] = None


@dataclass(frozen=True, eq=False)
class DrawSummary:
    """What one task sends back: ``counts[j]`` eigenvalues in (e_(j-1), e_j] (``counts[0]``: at
    most e_0, ``counts[-1]``: above the last edge), ``power_sums[d, p-1]`` = sum of x^p over the
    eigenvalues of draw d, and the eigenvalues when they were asked for."""

    counts: np.ndarray
    power_sums: np.ndarray
    eigenvalues: tuple[np.ndarray, ...] | None = None


def seeds(seed: int, draws: int) -> list[np.random.SeedSequence]:
    """One independent seed per draw, spawned from the root ``seed``.

    Examples
    --------
    >>> [s.spawn_key for s in seeds(7, 3)]
    [(0,), (1,), (2,)]
    """
    return np.random.SeedSequence(seed).spawn(draws)


def _snap(x: np.ndarray, atoms: Sequence[float]) -> np.ndarray:
    """Eigenvalues within 1e-8 (relative) of an atom put exactly on it (as in ``ks_distance``)."""
    if not atoms or x.size == 0:
        return x
    scale = max(1.0, float(np.abs(x).max()))
    for loc in atoms:
        x[np.abs(x - loc) <= 1e-8 * max(scale, abs(loc))] = loc
    return x


def draw_block(recipe: Recipe, n: int, block: Sequence[np.random.SeedSequence],
               edges: np.ndarray, atoms: tuple[float, ...], k: int,
               keep: bool = False) -> DrawSummary:
    """The summary of one task: a matrix of size n per seed of ``block``, realising ``recipe``.

    Examples
    --------
    >>> import rmtsym as rs
    >>> s = draw_block(rs.semicircle(1).recipe, 50, seeds(0, 2), np.linspace(-3, 3, 7), (), 2)
    >>> int(s.counts.sum()), s.power_sums.shape
    (100, (2, 2))
    """
    counts = np.zeros(len(edges) + 1, dtype=np.int64)
    sums = np.zeros((len(block), k))
    kept = []
    with _SingleThreadedBlas():
        for d, seq in enumerate(block):
            m = sample_recipe(recipe, n, np.random.default_rng(seq))
            x = _snap(np.linalg.eigvalsh(0.5 * (m + m.T)), atoms)
            counts += np.bincount(np.searchsorted(edges, x, side="left"),
                                  minlength=len(edges) + 1)
            power = np.ones_like(x)
            for p in range(k):
                power = power * x
                sums[d, p] = power.sum()
            if keep:
                kept.append(x)
    return DrawSummary(counts, sums, tuple(kept) if keep else None)


def default_edges(law, bins: int, margin: float = 0.25) -> np.ndarray:
    """``bins + 1`` equally spaced edges over the support and atoms of ``law``, widened by
    ``margin`` times its width on each side (finite-size spectra spill past the edges).

    Examples
    --------
    >>> import rmtsym as rs
    >>> rs.marchenko_pastur(sp.Rational(1, 4)).support()
    [(1/4, 9/4)]
    >>> default_edges(rs.marchenko_pastur(sp.Rational(1, 4)), 6)
    array([-0.25,  0.25,  0.75,  1.25,  1.75,  2.25,  2.75])
    """
    points = [float(sp.N(v)) for band in law.support() for v in band]
    points += [float(sp.re(sp.N(v))) for v in law.atoms()]
    lo, hi = min(points), max(points)
    width = hi - lo if hi > lo else 1.0
    return np.linspace(lo - margin * width, hi + margin * width, bins + 1)


def _edges(law, bins: Any) -> np.ndarray:
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        return default_edges(law, positive_int(bins, "bins", maximum=100_000))
    try:
        edges = np.asarray(bins, dtype=float)
    except (TypeError, ValueError):
        edges = np.array([np.nan])
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.isfinite(edges)) \
            or not np.all(np.diff(edges) > 0):
        raise ParameterError("bins", bins, "a positive number of bins or at least two strictly "
                             "increasing finite bin edges")
    return edges


@dataclass(frozen=True, eq=False)
class MonteCarloSummary:
    """Aggregated seeded Monte Carlo of a law: histogram, moments and KS against the exact law.

    ``counts`` and ``edges`` are the histogram (see :class:`DrawSummary`); ``power_sums`` has one
    row per draw (draw order); ``cdf`` is the law's CDF at the edges; ``moments_exact`` the law's
    first k moments as floats.
    """

    label: str
    n: int
    draws: int
    seed: int
    edges: np.ndarray
    counts: np.ndarray
    power_sums: np.ndarray
    cdf: np.ndarray
    moments_exact: tuple[float, ...]
    eigenvalues: tuple[np.ndarray, ...] | None = None

    @property
    def ecdf(self) -> np.ndarray:
        """The empirical CDF of the pooled eigenvalues at the edges."""
        return np.cumsum(self.counts)[:-1] / (self.n * self.draws)

    @property
    def ks(self) -> float:
        """``max |Fn - F|`` over the edges: a lower bound of the Kolmogorov-Smirnov distance."""
        return float(np.max(np.abs(self.ecdf - self.cdf)))

    @property
    def ks_bound(self) -> float:
        """An upper bound of the Kolmogorov-Smirnov distance from the histogram alone."""
        fn, f = self.ecdf, self.cdf
        inner = np.maximum(fn[1:] - f[:-1], f[1:] - fn[:-1])
        tails = [fn[0], f[0], 1 - fn[-1], 1 - f[-1]]
        return float(max(np.max(inner, initial=0.0), *tails))

    @property
    def per_draw_moments(self) -> np.ndarray:
        """``[d, p-1]``: the p-th moment of the spectrum of draw d."""
        return self.power_sums / self.n

    @property
    def moments_mc(self) -> np.ndarray:
        """Mean over draws of each draw's moments."""
        return self.per_draw_moments.mean(axis=0)

    @property
    def standard_errors(self) -> np.ndarray:
        """Standard errors of :attr:`moments_mc` (spread between draws; NaN for one draw)."""
        if self.draws < 2:
            return np.full(self.power_sums.shape[1], np.nan)
        return self.per_draw_moments.std(axis=0, ddof=1) / np.sqrt(self.draws)

    @property
    def z_scores(self) -> np.ndarray:
        """(Monte Carlo - exact) / standard error for each moment (0 where the error is 0)."""
        se = self.standard_errors
        diff = self.moments_mc - np.array(self.moments_exact)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(se > 0, diff / se, 0.0)

    def as_dict(self) -> dict:
        """A JSON-able summary (no eigenvalues)."""
        return {"law": self.label, "n": self.n, "draws": self.draws, "seed": self.seed,
                "ks": self.ks, "ks_bound": self.ks_bound, "edges": self.edges.tolist(),
                "counts": self.counts.tolist(), "moments_exact": list(self.moments_exact),
                "moments_mc": self.moments_mc.tolist(),
                "standard_errors": self.standard_errors.tolist(),
                "z_scores": self.z_scores.tolist()}


def _fold(parts: Iterator[DrawSummary], bins: int, k: int) -> tuple:
    counts = np.zeros(bins, dtype=np.int64)
    sums, kept = [], []
    for part in parts:
        counts += part.counts
        sums.append(part.power_sums)
        if part.eigenvalues is not None:
            kept.extend(part.eigenvalues)
    return counts, np.vstack(sums) if sums else np.zeros((0, k)), kept


def monte_carlo(law, n: int, draws: int, seed: int, *, bins: Any = 200, moments: int = 4,
                eigenvalues: bool = False, batch: int = 1, client: Any = SERIAL,
                n_workers: int | None = None, progress: bool = False) -> MonteCarloSummary:
    """Seeded Monte Carlo of ``law``: ``draws`` matrices of size n, summarised as a histogram,
    moments and a Kolmogorov-Smirnov distance, in this process or on Dask workers.

    Parameters
    ----------
    law : AlgebraicLaw
        A law without free parameters whose recipe can be sampled.
    n, draws : int
        Matrix size and number of matrices.
    seed : int
        Root seed; draw i uses ``numpy.random.SeedSequence(seed).spawn(draws)[i]``.
    bins : int or sequence of float
        Number of equal bins over the support widened by a quarter of its width each side
        (:func:`default_edges`), or the bin edges.
    moments : int
        How many moments to compare (k >= 1).
    eigenvalues : bool
        Also keep every draw's eigenvalues.
    batch : int
        Draws per task (the result does not depend on it).
    client : "serial", None, dask.distributed.Client or str
        Where the tasks run (:func:`rmtsym.parallel.executor.task_runner`): "serial" (default)
        in this process; None a local Dask cluster; a Client or a scheduler address.
    n_workers : int, optional
        Workers of the local cluster (``client=None``).
    progress : bool
        A ``done/total`` line on standard error.

    Examples
    --------
    The semicircle of variance 1 has moments 0, 1, 0, 2:

    >>> import rmtsym as rs
    >>> mc = monte_carlo(rs.semicircle(1), 200, 8, seed=1)
    >>> mc.moments_exact
    (0.0, 1.0, 0.0, 2.0)
    >>> bool(np.all(np.abs(mc.z_scores) < 5)), mc.ks <= mc.ks_bound < 0.05
    (True, True)
    >>> again = monte_carlo(rs.semicircle(1), 200, 8, seed=1, batch=3)
    >>> np.array_equal(again.power_sums, mc.power_sums), np.array_equal(again.counts, mc.counts)
    (True, True)
    """
    if law.parameters:
        raise SymbolicParameterError("Monte Carlo", law.parameters)
    n = positive_int(n, "n")
    draws = positive_int(draws, "draws")
    seed = integer_in(seed, "seed", minimum=0)
    k = positive_int(moments, "moments")
    batch = positive_int(batch, "batch")
    edges = _edges(law, bins)
    atoms = tuple(float(sp.re(sp.N(v))) for v in law.atoms())
    all_seeds = seeds(seed, draws)
    blocks = [all_seeds[i:i + batch] for i in range(0, draws, batch)]
    task = functools.partial(draw_block, law.recipe, n, edges=edges, atoms=atoms, k=k,
                             keep=bool(eigenvalues))
    with task_runner(client, n_workers, "Monte Carlo") as runner:
        counts, sums, kept = _fold(runner.map(task, blocks, progress, "Monte Carlo"),
                                   len(edges) + 1, k)
    exact = tuple(float(sp.N(m)) for m in law.moments(k))
    return MonteCarloSummary(
        label=str(law), n=n, draws=draws, seed=seed, edges=edges, counts=counts,
        power_sums=sums, cdf=np.asarray(law.cdf(edges), dtype=float), moments_exact=exact,
        eigenvalues=tuple(kept) if eigenvalues else None)
