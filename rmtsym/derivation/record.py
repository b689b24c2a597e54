"""The Derivation record: what was assumed, each step with its reason, the results, the checks.

A derivation module (``rmtsym/derivation/library/*.py``) computes; the record only holds what it
computed, so that the report renderer never calculates (DESIGN.md: data moves left to right).
Steps and results hold SymPy objects; checks hold both sides of a comparison as short text together
with the measure and the verdict; figures hold the numbers to plot.  The record is frozen, compares
by value, and turns into JSON with :meth:`Derivation.to_json`.

Conventions every derivation follows
------------------------------------
* **Mathematics is SymPy, never Python text.**  Equations, results and table cells are SymPy
  objects (or LaTeX strings for notation SymPy cannot build); :func:`to_latex`
  (:mod:`rmtsym.core.latex`) is the one conversion, with the reports' symbol names
  (``phi`` -> :math:`\\phi`, ``eps`` -> :math:`\\epsilon`, ``s2`` -> :math:`s^2`, ``K_erf`` ->
  :math:`K_\\mathrm{erf}`).  Prose (titles, reasons, claims) may hold inline ``$...$`` LaTeX;
  outside it, no ``_``, ``^``, ``**`` or function-call syntax (``tests/test_report.py`` scans
  every generated .tex for them).
* **Long formulas are simplified before they are shown** (factor, collect by powers of the main
  variable, name subexpressions such as :math:`t = \\sqrt{1 + 8\\phi}`); the renderer breaks a
  long sum over lines at its terms, but cannot break a single huge fraction.  Series are shown in
  ascending powers (wrap them in :class:`Ascending`).
* **Monte Carlo** goes through :func:`rmtsym.derivation.checks.spectrum_check` (or states the same
  things): matrix size n >= 2000, a seeded ``numpy.random.default_rng`` with the seed printed in the
  check, moments judged by ``|z| < 4`` (:data:`rmtsym.derivation.checks.Z_TOLERANCE`) after the
  1/n finite-size bias is removed by extrapolation from n/2 and n, and the Kolmogorov-Smirnov
  distance judged against its n-dependent threshold
  (:func:`rmtsym.derivation.checks.ks_threshold`).
* **Checks can fail and are independent**: exact symbolic equality, high-precision digits against
  a different algorithm, or Monte Carlo.  A round trip (e.g. the R-transform of a polynomial built
  from that R-transform) only tests factor selection and says so in its method.
* **References** are :class:`Reference` objects from ``rmtsym/derivation/library/_common.py``
  (authors, title, venue, year, arXiv id); a remark about a published formula quotes it and cites
  it; no reference points to a file outside the repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp

from ..core.latex import Ascending, Collected, latex_name, to_latex

__all__ = [
    "Ascending",
    "Check",
    "Collected",
    "Derivation",
    "Figure",
    "Reference",
    "Remark",
    "Result",
    "Series",
    "Step",
    "digits_agree",
    "latex_name",
    "to_latex",
]

def _plain(obj) -> str:
    if isinstance(obj, Collected):
        return sp.sstr(sp.Eq(obj.lhs, obj.expr) if obj.lhs is not None
                       else sp.Eq(obj.expr, obj.rhs))
    return sp.sstr(obj.expr if isinstance(obj, (Ascending, Collected)) else obj)


def _equation(obj) -> dict:
    """An equation as its plain and LaTeX forms (LaTeX text passes unchanged)."""
    if isinstance(obj, str):
        return {"equation": obj, "latex": obj}
    if isinstance(obj, tuple):
        return {"equation": [_plain(o) for o in obj], "latex": [to_latex(o) for o in obj]}
    return {"equation": _plain(obj), "latex": to_latex(obj)}


def _cell(obj) -> str:
    return obj if isinstance(obj, str) else to_latex(obj)


@dataclass(frozen=True)
class Reference:
    """A bibliography entry; :meth:`text` is the LaTeX the report prints."""

    key: str
    authors: str
    title: str
    venue: str
    year: int
    arxiv: str = ""

    def text(self) -> str:
        """The entry as LaTeX (authors, emphasised title, venue, year, arXiv id).

        Examples
        --------
        >>> Reference("x", "A. B", "On things", "J. Stuff 1, 2-3", 2001, "0101.00001").text()
        'A. B, \\\\emph{On things}, J. Stuff 1, 2--3 (2001), arXiv:0101.00001.'
        """
        tail = f", arXiv:{self.arxiv}" if self.arxiv else ""
        venue = re.sub(r"(\d)-(\d)", r"\1--\2", self.venue)
        return f"{self.authors}, \\emph{{{self.title}}}, {venue} ({self.year}){tail}."


@dataclass(frozen=True)
class Step:
    """One step: an equation (a SymPy object, or LaTeX text) and a sentence of why it holds."""

    why: str
    equation: object
    label: str = ""

    def as_dict(self) -> dict:
        return {"why": self.why, **_equation(self.equation), "label": self.label}


@dataclass(frozen=True)
class Result:
    """A boxed result: a name, an equation, and one sentence."""

    name: str
    equation: object
    text: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, **_equation(self.equation), "text": self.text}


@dataclass(frozen=True)
class Check:
    """A verification: ``claim`` compared by ``method``; ``lhs`` and ``rhs`` are the two sides as
    text, ``measure`` the agreement (digits, z-score, KS distance with N and draws)."""

    claim: str
    method: str
    lhs: str
    rhs: str
    measure: str
    passed: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "passed", bool(self.passed))  # numpy booleans in, bool out

    def as_dict(self) -> dict:
        return {"claim": self.claim, "method": self.method, "lhs": self.lhs, "rhs": self.rhs,
                "measure": self.measure, "passed": self.passed}


@dataclass(frozen=True)
class Series:
    """One plotted series: ``style`` is "line", "points", "errorbar" (``err`` = half-widths),
    "histogram" (x = bin edges), "stem" (atoms: x = locations, y = masses, drawn as arrows
    labelled with their mass) or "region" (grid points of one region of a phase diagram)."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    style: str = "line"
    err: tuple[float, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A figure: its file stem, caption, axis labels and series; ``loglog`` for error plots."""

    name: str
    caption: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    loglog: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "caption": self.caption, "xlabel": self.xlabel,
                "ylabel": self.ylabel, "loglog": self.loglog,
                "series": [{"label": s.label, "style": s.style, "points": len(s.y)}
                           for s in self.series]}


@dataclass(frozen=True)
class Remark:
    """A remark, e.g. where a published formula differs from the derived one, and the check
    (by its claim) that backs it."""

    text: str
    backed_by: str = ""


@dataclass(frozen=True)
class Derivation:
    """A worked derivation, ready to render."""

    name: str
    title: str
    summary: str
    model: str
    assumptions: tuple[str, ...] = ()
    conventions: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    results: tuple[Result, ...] = ()
    checks: tuple[Check, ...] = ()
    figures: tuple[Figure, ...] = ()
    remarks: tuple[Remark, ...] = ()
    references: tuple[Reference | str, ...] = ()
    tables: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = field(
        default=())

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "summary": self.summary,
                "model": self.model, "assumptions": list(self.assumptions),
                "conventions": list(self.conventions),
                "steps": [s.as_dict() for s in self.steps],
                "results": [r.as_dict() for r in self.results],
                "checks": [c.as_dict() for c in self.checks],
                "figures": [f.as_dict() for f in self.figures],
                "remarks": [{"text": r.text, "backed_by": r.backed_by} for r in self.remarks],
                "references": [r.text() if isinstance(r, Reference) else r
                               for r in self.references],
                "tables": [{"caption": t[0], "header": list(t[1]),
                            "rows": [[_cell(c) for c in r] for r in t[2]]} for t in self.tables],
                "passed": self.passed}

    def to_json(self) -> str:
        """The record as JSON (SymPy objects as their string and LaTeX forms)."""
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)


def digits_agree(a, b, dps: int = 60) -> int:
    """The number of agreeing significant digits of two numbers (capped at ``dps``).

    Examples
    --------
    >>> digits_agree(sp.pi, sp.Rational(355, 113))
    7
    """

    with mp.workdps(dps + 10):
        x = mp.mpf(sp.N(a, dps + 10)) if isinstance(a, sp.Basic) else mp.mpf(a)
        y = mp.mpf(sp.N(b, dps + 10)) if isinstance(b, sp.Basic) else mp.mpf(b)
        if x == y:
            return dps
        scale = max(abs(x), abs(y))
        if scale == 0:
            return dps
        err = abs(x - y) / scale
        return int(min(dps, max(0, mp.floor(-mp.log10(err)))))
