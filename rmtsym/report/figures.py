"""Figures of a derivation record, drawn with matplotlib (Agg) into PDF files with fixed metadata,
so that the same record always gives the same bytes.

Atoms ("stem" series) are drawn as arrows reaching above the continuous part, labelled with their
mass, so that a point mass does not flatten the density drawn beside it; "errorbar" series carry
their half-widths; "region" series (a phase diagram's regions, sampled on one grid) are drawn
together as a map of light fills, with the legend below it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..derivation.record import Figure

__all__ = ["draw_figure"]


def _stems(ax, x, masses, height: float, label: str) -> None:
    """Arrows at the atoms, reaching ``height``, annotated with their masses."""
    for i, (loc, mass) in enumerate(zip(x, masses)):
        ax.annotate("", xy=(loc, height), xytext=(loc, 0.0),
                    arrowprops={"arrowstyle": "-|>", "color": "tab:red", "lw": 1.6})
        ax.text(loc, height, f"  mass {mass:.4g}", color="tab:red", va="top", ha="left")
        if i == 0:
            ax.plot([], [], color="tab:red", lw=1.6, label=label)
    ax.set_ylim(0.0, 1.15 * height)

_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}
#: light fills of the regions of a phase diagram (lines keep the default colour cycle)
_REGION_COLOURS = ("#b3cde3", "#fbb4ae", "#ccebc5", "#decbe4", "#fed9a6", "#ffffcc", "#e5d8bd")


def _regions(ax, series) -> None:
    """"region" series as one map: the points of all of them form a grid (x by y), each cell
    filled with its region's colour, and a legend patch per region."""
    if not series:
        return
    from matplotlib.colors import ListedColormap

    xs = np.unique(np.concatenate([np.asarray(s.x, dtype=float) for s in series]))
    ys = np.unique(np.concatenate([np.asarray(s.y, dtype=float) for s in series]))
    grid = np.full((len(ys), len(xs)), np.nan)
    for i, s in enumerate(series):
        grid[np.searchsorted(ys, s.y), np.searchsorted(xs, s.x)] = i
    colours = [_REGION_COLOURS[i % len(_REGION_COLOURS)] for i in range(len(series))]
    cmap = ListedColormap(colours).with_extremes(bad=(0.0, 0.0, 0.0, 0.0))
    uniform = all(len(v) > 1 and np.allclose(np.diff(v), v[1] - v[0]) for v in (xs, ys))
    if uniform:  # one image: no seams between the cells
        dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
        ax.imshow(np.ma.masked_invalid(grid), origin="lower", aspect="auto", cmap=cmap,
                  interpolation="nearest", vmin=-0.5, vmax=len(series) - 0.5,
                  extent=(xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy))
    else:
        ax.pcolormesh(xs, ys, np.ma.masked_invalid(grid), shading="nearest", cmap=cmap,
                      vmin=-0.5, vmax=len(series) - 0.5, edgecolors="face", linewidth=0)
    for colour, s in zip(colours, series):
        ax.fill([], [], color=colour, label=s.label)  # a legend entry only


def draw_figure(fig: Figure, path: Path) -> Path:
    """Draw ``fig`` to ``path`` (a .pdf); returns the path."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.size": 10, "figure.figsize": (6.0, 3.8),
                                "svg.hashsalt": "rmtsym", "pdf.compression": 6}):
        f, ax = plt.subplots()
        try:
            top = max([float(np.max(s.y)) for s in fig.series if s.style != "stem" and s.y]
                      + [0.0])
            _regions(ax, [s for s in fig.series if s.style == "region"])
            for s in fig.series:
                x, y = np.asarray(s.x, dtype=float), np.asarray(s.y, dtype=float)
                if s.style == "histogram":
                    ax.stairs(y, x, fill=True, alpha=0.35, color="tab:gray", label=s.label)
                elif s.style == "points":
                    ax.plot(x, y, "o", ms=4, label=s.label)
                elif s.style == "errorbar":
                    ax.errorbar(x, y, yerr=np.asarray(s.err, dtype=float), fmt="o", ms=4,
                                capsize=3, label=s.label)
                elif s.style == "stem":
                    _stems(ax, x, y, 1.1 * top if top > 0 else 1.0, s.label)
                elif s.style == "region":
                    continue  # drawn together below, as one map
                else:
                    ax.plot(x, y, "-", lw=1.6, label=s.label)
            if fig.loglog:
                ax.set_xscale("log")
                ax.set_yscale("log")
            ax.set_xlabel(fig.xlabel)
            ax.set_ylabel(fig.ylabel)
            if any(s.style == "region" for s in fig.series):
                # a map fills the axes: the legend goes below it
                ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16),
                          fontsize=8)
                f.set_size_inches(6.0, 3.8 + 0.22 * len(fig.series))
            elif any(s.label for s in fig.series):
                ax.legend(frameon=False)
            f.tight_layout()
            f.savefig(path, format="pdf", metadata=_METADATA)
        finally:
            plt.close(f)
    return Path(path)
