"""A phase diagram drawn with matplotlib: regions shaded by the law's shape, boundaries as curves,
and a density inset per region (one parameter: a strip of intervals)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

from ..analysis.phases import PhaseDiagram

__all__ = ["draw_phase_diagram"]

_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}


def _density_panel(ins, law, sample, title: str) -> None:
    """The density of ``law`` at the region's sample point, atoms as arrows."""
    sub = law.subs(dict(sample))
    supp = sub.support()
    lo = min([float(a) for a, _ in supp] + [float(k) for k in sub.atoms()] + [0.0])
    hi = max([float(b) for _, b in supp] + [float(k) for k in sub.atoms()] + [1.0])
    pad = 0.05 * (hi - lo)
    x = np.linspace(lo - pad, hi + pad, 400)
    ins.plot(x, sub.density(x), lw=1.0, color="k")
    ins.axvline(0.0, color="tab:blue", lw=0.6, ls=":")
    for loc, mass in sub.atoms().items():
        ins.annotate("", xy=(float(loc), ins.get_ylim()[1] * 0.9), xytext=(float(loc), 0),
                     arrowprops={"arrowstyle": "-|>", "color": "tab:red", "lw": 1.0})
        ins.text(float(loc), ins.get_ylim()[1] * 0.9, f" {float(mass):.2g}", color="tab:red",
                 fontsize=6)
    ins.set_yticks([])
    ins.tick_params(labelsize=6)
    ins.set_title(title, fontsize=7)


def draw_phase_diagram(d: PhaseDiagram, path: Path, resolution: int = 200,
                       insets: bool = True) -> Path:
    """Draw ``d`` to ``path`` (a .pdf or .png); returns the path."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    path = Path(path)
    with matplotlib.rc_context({"font.size": 9, "svg.hashsalt": "rmtsym", "pdf.compression": 6}):
        n = len(d.regions)
        f = plt.figure(figsize=(6.4, 5.6 if insets else 4.2))
        grid = f.add_gridspec(2 if insets else 1, max(n, 1), height_ratios=[3, 1] if insets
                              else [1])
        ax = f.add_subplot(grid[0, :])
        try:
            colors = [plt.get_cmap("Pastel1")(i % 9) for i in range(max(n, 1))]
            if len(d.parameters) == 2:
                _draw_2d(ax, d, colors, resolution)
            else:
                _draw_1d(ax, d, colors)
            if insets:
                for i, r in enumerate(d.regions):
                    _density_panel(f.add_subplot(grid[1, i]), d.law, r.sample,
                                   f"region {i + 1}")
            f.tight_layout()
            kw = {"metadata": _METADATA} if path.suffix == ".pdf" else {}
            f.savefig(path, **kw)
        finally:
            plt.close(f)
    return path


def _draw_2d(ax, d, colors, resolution) -> None:
    from matplotlib.colors import ListedColormap

    p, q = d.parameters
    xs = [float(v) for r in d.regions for k, v in r.sample if k == p]
    ys = [float(v) for r in d.regions for k, v in r.sample if k == q]
    pts = [(float(x), float(sp.N(y))) for b in d.boundaries for x, y in b.points]
    xmax = max(xs + [x for x, _ in pts] + [1.0]) * 1.25
    ymax = max(ys + [y for _, y in pts] + [1e-3]) * 1.25
    X, Y = np.meshgrid(np.linspace(xmax / resolution, xmax, resolution),
                       np.linspace(ymax / resolution, ymax, resolution))
    lab = d.labels({p: X, q: Y})
    ax.pcolormesh(X, Y, np.where(lab < 0, np.nan, lab), cmap=ListedColormap(colors),
                  shading="auto", vmin=-0.5, vmax=len(colors) - 0.5)
    for b in d.boundaries:
        fn = sp.lambdify((p, q), b.factor, "numpy")
        ax.contour(X, Y, fn(X, Y), levels=[0.0], colors="k", linewidths=1.2)
    for i, r in enumerate(d.regions):
        x, y = (float(v) for _, v in r.sample)
        ax.plot(x, y, "o", color=colors[i], mec="k", ms=6,
                label=f"{i + 1}: {r.shape.describe()}")
        ax.annotate(str(i + 1), (x, y), textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel(f"${sp.latex(p)}$")
    ax.set_ylabel(f"${sp.latex(q)}$")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), fontsize=7, frameon=False)


def _draw_1d(ax, d, colors) -> None:
    (p,) = d.parameters
    for i, r in enumerate(d.regions):
        a, b = (float(sp.N(v)) for v in r.interval)
        ax.axvspan(a, b, color=colors[i], label=f"{i + 1}: {r.shape.describe()}")
        ax.text(0.5 * (a + b), 0.5, str(i + 1), ha="center")
    for bd in d.boundaries:
        for x in bd.points:
            ax.axvline(float(sp.N(x)), color="k", lw=1.2)
    ax.set_yticks([])
    ax.set_xlabel(f"${sp.latex(p)}$")
    ax.legend(loc="upper right", fontsize=7)
