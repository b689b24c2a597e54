"""Figures of a derivation record, drawn with matplotlib (Agg) into PDF files with fixed metadata,
so that the same record always gives the same bytes.

Atoms ("stem" series) are drawn as arrows reaching above the continuous part, labelled with their
mass, so that a point mass does not flatten the density drawn beside it; "errorbar" series carry
their half-widths; "region" series (a phase diagram's regions, sampled on a grid) are light
squares, with the legend below the map.
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
                    ax.scatter(x, y, s=9, marker="s", alpha=0.35, linewidths=0, label=s.label)
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
                          fontsize=8, markerscale=1.5)
                f.set_size_inches(6.0, 3.8 + 0.22 * len(fig.series))
            elif any(s.label for s in fig.series):
                ax.legend(frameon=False)
            f.tight_layout()
            f.savefig(path, format="pdf", metadata=_METADATA)
        finally:
            plt.close(f)
    return Path(path)
