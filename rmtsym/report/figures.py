"""Figures of a derivation record, drawn with matplotlib (Agg) into PDF files with fixed metadata,
so that the same record always gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..derivation.record import Figure

__all__ = ["draw_figure"]

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
            for s in fig.series:
                x, y = np.asarray(s.x, dtype=float), np.asarray(s.y, dtype=float)
                if s.style == "histogram":
                    ax.stairs(y, x, fill=True, alpha=0.35, color="tab:gray", label=s.label)
                elif s.style == "points":
                    ax.plot(x, y, "o", ms=4, label=s.label)
                else:
                    ax.plot(x, y, "-", lw=1.6, label=s.label)
            if fig.loglog:
                ax.set_xscale("log")
                ax.set_yscale("log")
            ax.set_xlabel(fig.xlabel)
            ax.set_ylabel(fig.ylabel)
            if any(s.label for s in fig.series):
                ax.legend(frameon=False)
            f.tight_layout()
            f.savefig(path, format="pdf", metadata=_METADATA)
        finally:
            plt.close(f)
    return Path(path)
