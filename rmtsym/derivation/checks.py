"""Building blocks of verification for derivation records: each returns a
:class:`~rmtsym.derivation.record.Check` (or the data of a figure), never a bare boolean.

* :func:`symbolic_check` - exact equality after simplification;
* :func:`digits_check` - agreement of two numbers at high precision, counted in digits;
* :func:`spectrum_check` - a law against sampled matrices: KS distance and moment z-scores, with
  the histogram for the figure;
* :func:`density_figure` - theory over a Monte Carlo histogram.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact
from ..sampling.montecarlo import compare, sample_spectra
from .record import Check, Figure, Series, digits_agree, to_latex

__all__ = [
    "density_figure",
    "density_series",
    "digits_check",
    "fmt",
    "spectrum_check",
    "symbolic_check",
]


def fmt(x, digits: int = 4) -> str:
    """A float formatted with ``digits`` significant digits (deterministic text for reports)."""
    return f"{float(x):.{digits}g}"


def symbolic_check(claim: str, lhs, rhs, method: str = "symbolic") -> Check:
    """Exact equality of two SymPy expressions (difference simplifies to 0)."""

    diff = sp.simplify(sp.expand(exact(lhs, "lhs") - exact(rhs, "rhs")))
    ok = diff == 0
    return Check(claim, method, _shown(lhs), _shown(rhs),
                 "equal exactly" if ok else f"differ by {_short(diff)}", bool(ok))


def _short(e, limit: int = 60) -> str:
    text = e if isinstance(e, str) else sp.sstr(e)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(e, limit: int = 90) -> str:
    """Inline LaTeX of a short expression, else its truncated plain form."""
    if isinstance(e, sp.Basic):
        tex = to_latex(e)
        if len(tex) <= limit:
            return f"${tex}$"
    return _short(e)


def digits_check(claim: str, exact, numeric, method: str, need: int, dps: int = 60) -> Check:
    """Agreement of ``exact`` and ``numeric`` to at least ``need`` significant digits."""

    got = digits_agree(exact, numeric, dps)
    shown = sp.sstr(sp.N(numeric, 15)) if isinstance(numeric, sp.Basic) else mp.nstr(numeric, 15)
    return Check(claim, method, _short(exact), shown,
                 f"{got}{'+' if got >= dps else ''} digits agree (need {need})", got >= need)


def density_series(law, a: float, b: float, points: int = 400, label: str = "theory") -> Series:
    """The density of ``law`` on [a, b] as a plotted line."""
    xs = np.linspace(a, b, points)
    ys = law.density(xs)
    return Series(label, tuple(np.round(xs, 10)), tuple(np.round(ys, 10)), "line")


def spectrum_check(law, n: int, draws: int, seed: int, claim: str, *, ks_tolerance: float = 0.03,
                   z_tolerance: float = 4.0, moments: int = 4,
                   bins: int = 60) -> tuple[list[Check], Series, np.ndarray]:
    """Sample ``draws`` n x n matrices of ``law`` (seeded), compare KS and moments.

    Returns the checks, the histogram series of the pooled eigenvalues, and the eigenvalues.
    """

    spectra = sample_spectra(law, n, draws, np.random.default_rng(seed))
    res = compare(law, spectra, moments)
    pooled = np.concatenate(spectra)
    checks = [Check(f"{claim}: distribution", f"Monte Carlo (n = {n}, {draws} draws, seed {seed})",
                    "empirical CDF", "exact CDF",
                    f"KS = {fmt(res.ks, 3)} (tolerance {ks_tolerance})", res.ks < ks_tolerance)]
    zs = ", ".join(f"{z:+.2f}" for z in res.z_scores)
    checks.append(Check(f"{claim}: moments 1..{moments}", f"Monte Carlo (n = {n}, {draws} draws)",
                        "sample moments", "exact moments", f"z = [{zs}] ($|z| < {z_tolerance}$)",
                        bool(np.all(np.abs(res.z_scores) < z_tolerance))))
    lo, hi = np.quantile(pooled, [0.0, 1.0])
    pad = 0.05 * (hi - lo)
    edges = np.linspace(lo - pad, hi + pad, bins + 1)
    heights, _ = np.histogram(pooled, bins=edges, density=True)
    hist = Series(f"Monte Carlo, n = {n}, {draws} draws", tuple(np.round(edges, 10)),
                  tuple(np.round(heights, 10)), "histogram")
    return checks, hist, pooled


def density_figure(name: str, law, hist: Series, caption: str, a: float | None = None,
                   b: float | None = None) -> Figure:
    """Theory over histogram."""
    lo = hist.x[0] if a is None else a
    hi = hist.x[-1] if b is None else b
    return Figure(name, caption, "$x$", r"$\rho(x)$", (hist, density_series(law, lo, hi)))


def expansion_check(claim: str, chk) -> Check:
    """A :class:`~rmtsym.analysis.expansions.ExpansionCheck` as a record check."""
    return Check(claim, f"verify_expansion at {chk.digits} digits", "exact value",
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
