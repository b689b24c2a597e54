"""Building blocks of verification for derivation records: each returns a
:class:`~rmtsym.derivation.record.Check` (or the data of a figure), never a bare boolean.

* :func:`symbolic_check` - exact equality after simplification;
* :func:`digits_check` - agreement of two numbers at high precision, counted in digits;
* :func:`spectrum_check` - a law against sampled matrices at n >= 2000 (seed printed): the
  Kolmogorov-Smirnov distance against its n-dependent threshold :func:`ks_threshold`, and moment
  z-scores after the 1/n finite-size bias is removed by extrapolation from n/2 and n (one rule
  for every report: ``|z| < Z_TOLERANCE``), with the histogram (Freedman-Diaconis bins) and the
  atoms (stems) for the figure;
* :func:`density_figure` - theory over a Monte Carlo histogram.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact
from ..sampling.montecarlo import ks_distance, sample_spectra
from .record import Check, Figure, Series, digits_agree, to_latex

__all__ = [
    "KS_ALPHA",
    "MIN_SIZE",
    "Z_TOLERANCE",
    "density_figure",
    "density_series",
    "digits_check",
    "expansion_check",
    "expansion_figure",
    "extrapolated_z",
    "fd_edges",
    "fmt",
    "ks_threshold",
    "shown",
    "spectrum_check",
    "symbolic_check",
]

#: the one tolerance on moment z-scores, in every report
Z_TOLERANCE = 4.0
#: level of the Kolmogorov-Smirnov threshold (Dvoretzky-Kiefer-Wolfowitz-Massart)
KS_ALPHA = 1e-3
#: the smallest matrix size of a Monte Carlo check
MIN_SIZE = 2000
#: widest inline formula (in characters) shown in the verification table
_INLINE = 34


def fmt(x, digits: int = 4) -> str:
    """A float formatted with ``digits`` significant digits (deterministic text for reports).

    Examples
    --------
    >>> fmt(3.14159265, 3), fmt(-1.2e-7, 2)
    ('3.14', '-1.2e-07')
    """
    return f"{float(x):.{digits}g}"


def ks_threshold(count: int, alpha: float = KS_ALPHA) -> float:
    """The Kolmogorov-Smirnov threshold sqrt(ln(2/alpha) / (2 count)) for ``count`` values.

    It bounds the distance of ``count`` independent draws with probability 1 - alpha (the
    Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant); eigenvalues of one matrix are
    more regular than independent draws, so a finite-size bias of the spectrum shows as a
    distance above it.

    Examples
    --------
    >>> round(ks_threshold(6000), 4)
    0.0252
    """
    return float(np.sqrt(np.log(2 / alpha) / (2 * count)))


def _width(tex: str) -> int:
    """A rough printed width of inline LaTeX, in characters."""
    text = tex.replace(r"\left", "").replace(r"\right", "")
    count, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            j = i + 1
            while j < len(text) and text[j].isalpha():
                j += 1
            count += 1 if j > i + 1 else 0
            i = max(j, i + 2) if j == i + 1 else j
            continue
        if ch not in "{} ":
            count += 1
        i += 1
    return count


def shown(e, label: str, limit: int = _INLINE) -> str:
    """Inline LaTeX of a short expression, else ``label`` (prose)."""
    if isinstance(e, str):
        return e
    tex = to_latex(e)
    return f"${tex}$" if _width(tex) <= limit else label


def symbolic_check(claim: str, lhs, rhs, method: str = "exact", lhs_label: str = "derived",
                   rhs_label: str = "expected") -> Check:
    """Exact equality of two SymPy expressions (their difference simplifies to 0)."""

    diff = sp.simplify(sp.expand(exact(lhs, "lhs") - exact(rhs, "rhs")))
    ok = diff == 0
    return Check(claim, method, shown(lhs, lhs_label), shown(rhs, rhs_label),
                 "equal" if ok else "differ by " + shown(diff, "a nonzero expression"), bool(ok))


def digits_check(claim: str, exact_value, numeric, method: str, need: int, dps: int = 60,
                 label: str = "exact value") -> Check:
    """Agreement of ``exact_value`` and ``numeric`` to at least ``need`` significant digits; the
    numeric side is printed to 15 digits."""

    got = digits_agree(exact_value, numeric, dps)
    value = numeric if isinstance(numeric, sp.Basic) else sp.Float(mp.nstr(numeric, 20), 20)
    return Check(claim, method, shown(exact_value, label), f"${sp.N(value, 15)}$",
                 f"{got}{'+' if got >= dps else ''} digits agree (need {need})", got >= need)


def fd_edges(values: np.ndarray, lo: float, hi: float, minimum: int = 40) -> np.ndarray:
    """Histogram bin edges on [lo, hi] of width the Freedman-Diaconis rule
    2 IQR / N^(1/3), or finer so that there are at least ``minimum`` bins.

    Examples
    --------
    >>> len(fd_edges(np.linspace(0, 1, 10**6), 0.0, 1.0)) - 1, len(fd_edges(np.zeros(9), 0, 1)) - 1
    (100, 40)
    """
    q1, q3 = np.quantile(values, [0.25, 0.75])
    width = 2 * (q3 - q1) / len(values) ** (1 / 3)
    bins = int(np.ceil((hi - lo) / width)) if width > 0 else minimum
    return np.linspace(lo, hi, min(max(bins, minimum), 400) + 1)


def density_series(law, a: float, b: float, points: int = 400, label: str = "theory") -> Series:
    """The density of ``law`` on [a, b] as a plotted line."""
    xs = np.linspace(a, b, points)
    ys = law.density(xs)
    return Series(label, tuple(np.round(xs, 10)), tuple(np.round(ys, 10)), "line")


def _split_atoms(law, pooled: np.ndarray) -> tuple[np.ndarray, dict[float, float]]:
    """Eigenvalues off the atoms of ``law``, and the atoms {location: mass}."""
    atoms = {float(k): float(v) for k, v in law.atoms().items()}
    keep = np.ones(len(pooled), dtype=bool)
    scale = max(1.0, float(np.abs(pooled).max()))
    for loc in atoms:
        keep &= np.abs(pooled - loc) > 1e-8 * scale
    return pooled[keep], atoms


def _per_draw(spectra: Sequence[np.ndarray], k: int) -> np.ndarray:
    return np.array([[np.mean(s**j) for j in range(1, k + 1)] for s in spectra])


def extrapolated_z(big: np.ndarray, small: np.ndarray, n: int,
                   exact_moments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z-scores of the moments at size n alone and extrapolated, 2 m(n) - m(n/2).

    ``big`` and ``small`` hold one row of moments per draw at sizes n and n/2.  A moment is a
    linear statistic divided by n, so its fluctuations scale as 1/n; the variance of n m is
    therefore pooled over both sizes (d1 + d2 - 2 degrees of freedom).
    """
    d1, d2 = len(big), len(small)
    dev = np.concatenate([n * (big - big.mean(axis=0)), (n / 2) * (small - small.mean(axis=0))])
    var = np.sum(dev**2, axis=0) / (d1 + d2 - 2)
    se_big = np.sqrt(var / (n**2 * d1))
    se_ext = np.sqrt(4 * var / (n**2 * d1) + 4 * var / (n**2 * d2))
    raw = (big.mean(axis=0) - exact_moments) / se_big
    ext = (2 * big.mean(axis=0) - small.mean(axis=0) - exact_moments) / se_ext
    return raw, ext


def _zs(values: Sequence[float]) -> str:
    return "$z = [" + ", ".join(f"{z:+.2f}" for z in values) + "]$"


def spectrum_check(law, seed: int, claim: str, *, n: int = MIN_SIZE, draws: int = 3,
                   moments: int = 4,
                   sampler: Callable[[int, np.random.Generator], np.ndarray] | None = None,
                   ) -> tuple[list[Check], tuple[Series, ...], np.ndarray]:
    """Sample ``draws`` n x n matrices of ``law`` and ``2 draws`` of size n/2 (one seeded
    generator), compare the distribution and the moments with the exact law.

    The Kolmogorov-Smirnov distance of the pooled size-n spectra must lie below
    :func:`ks_threshold`.  Spectral moments carry a finite-size bias of order 1/n, of the same order
    as their fluctuations, so z-scores at one size grow with the number of draws; the moments are
    therefore extrapolated, m = 2 m(n) - m(n/2), with the standard error propagated, and judged by
    ``|z| < Z_TOLERANCE``; the z-scores at size n alone are printed beside them.

    ``sampler(size, rng)`` returns one symmetric matrix; by default the law's own recipe.
    Returns the checks, the figure series (histogram with Freedman-Diaconis bins, atoms as stems)
    and the pooled size-n eigenvalues.
    """

    if n < MIN_SIZE:
        raise ValueError(f"Monte Carlo checks use n >= {MIN_SIZE}; got n = {n}")
    rng = np.random.default_rng(seed)
    if sampler is None:
        big = sample_spectra(law, n, draws, rng)
        small = sample_spectra(law, n // 2, 2 * draws, rng)
    else:
        big = [np.linalg.eigvalsh(sampler(n, rng)) for _ in range(draws)]
        small = [np.linalg.eigvalsh(sampler(n // 2, rng)) for _ in range(2 * draws)]
    pooled = np.concatenate(big)
    ks = ks_distance(law, pooled)
    limit = ks_threshold(len(pooled))
    where = f"$n = {n}$, {draws} draws, seed {seed}"
    checks = [Check(f"{claim}: distribution", f"Monte Carlo, {where}", "empirical CDF",
                    "exact CDF", f"KS distance {fmt(ks, 3)} (threshold {fmt(limit, 3)})",
                    ks < limit)]
    exact_m = np.array([float(sp.N(m)) for m in law.moments(moments)])
    z_raw, z_ext = extrapolated_z(_per_draw(big, moments), _per_draw(small, moments), n, exact_m)
    checks.append(Check(
        f"{claim}: moments 1 to {moments}",
        f"Monte Carlo, $n = {n}$ ({draws} draws) and $n = {n // 2}$ ({2 * draws} draws), "
        f"seed {seed}; extrapolated $2\\hat m(n) - \\hat m(n/2)$",
        "sample moments", "exact moments",
        f"{_zs(z_ext)} ($|z| < {Z_TOLERANCE:g}$); at $n = {n}$ alone {_zs(z_raw)}",
        bool(np.all(np.abs(z_ext) < Z_TOLERANCE))))
    return checks, _spectrum_series(law, pooled, n, draws), pooled


def _spectrum_series(law, pooled: np.ndarray, n: int, draws: int) -> tuple[Series, ...]:
    rest, atoms = _split_atoms(law, pooled)
    lo, hi = float(rest.min()), float(rest.max())
    pad = 0.04 * (hi - lo)
    edges = fd_edges(rest, lo - pad, hi + pad)
    counts, _ = np.histogram(rest, bins=edges)
    heights = counts / (len(pooled) * np.diff(edges))
    out = [Series(f"Monte Carlo, $n = {n}$, {draws} draws", tuple(np.round(edges, 10)),
                  tuple(np.round(heights, 10)), "histogram")]
    for loc, mass in sorted(atoms.items()):
        out.append(Series(f"atom of mass {sp.nsimplify(mass, rational=True)}", (loc,),
                          (mass,), "stem"))
    return tuple(out)


def density_figure(name: str, law, series: Sequence[Series], caption: str,
                   a: float | None = None, b: float | None = None) -> Figure:
    """Theory (the continuous part of the density) over the Monte Carlo series."""
    hist = series[0]
    lo = hist.x[0] if a is None else a
    hi = hist.x[-1] if b is None else b
    return Figure(name, caption, "$x$", r"$\rho(x)$",
                  (*series, density_series(law, lo, hi)))


def expansion_check(claim: str, chk) -> Check:
    """A :class:`~rmtsym.analysis.expansions.ExpansionCheck` as a record check."""
    return Check(claim, f"error of the expansion at {chk.digits} digits", "exact value",
                 "truncated expansion",
                 f"observed order {chk.observed_order:.3f}, expected {chk.expected_order:g} "
                 f"(tolerance {chk.tolerance:g})", chk.passed)


def expansion_figure(name: str, chk, caption: str, label: str = "|exact - expansion|") -> Figure:
    """Error against distance on log axes, from an ExpansionCheck's table."""
    hs = tuple(float(r[0]) for r in chk.rows)
    errs = tuple(float(r[3]) for r in chk.rows)
    ref = tuple(errs[-1] * (h / hs[-1]) ** chk.expected_order for h in hs)
    return Figure(name, caption, "distance to the expansion point", "error",
                  (Series(label, hs, errs, "points"),
                   Series(f"slope {chk.expected_order:g}", hs, ref, "line")), loglog=True)
