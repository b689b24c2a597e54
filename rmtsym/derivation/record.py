"""The Derivation record: what was assumed, each step with its reason, the results, the checks.

A derivation module (``derivations/*.py``) computes; the record only holds what it computed, so that
the report renderer never calculates (DESIGN.md: data moves left to right).  Steps and results hold
SymPy objects; checks hold both sides of a comparison as text together with the measure and the
verdict; figures hold the numbers to plot.  The record is frozen, compares by value, and turns into
JSON with :meth:`Derivation.to_json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp

__all__ = [
    "Check",
    "Derivation",
    "Figure",
    "Remark",
    "Result",
    "Series",
    "Step",
    "digits_agree",
    "to_latex",
]

#: parameter names typeset as Greek letters that SymPy would print as plain words
_GREEK = {"eps": r"\epsilon"}


def to_latex(obj) -> str:
    """LaTeX of a SymPy object in the reports' notation (``eps`` as epsilon); text passes
    unchanged."""
    if isinstance(obj, str):
        return obj
    names = {s: _GREEK[s.name] for s in getattr(obj, "free_symbols", ())
             if getattr(s, "name", None) in _GREEK}
    return sp.latex(obj, symbol_names=names)


def _equation(obj) -> dict:
    """An equation as its plain and LaTeX forms (LaTeX text passes unchanged)."""
    if isinstance(obj, str):
        return {"equation": obj, "latex": obj}
    return {"equation": sp.sstr(obj), "latex": to_latex(obj)}


def _cell(obj) -> str:
    return obj if isinstance(obj, str) else sp.sstr(obj)


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
    """One plotted series: ``style`` is "line", "points" or "histogram" (x = bin edges)."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    style: str = "line"


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
    references: tuple[str, ...] = ()
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
                "references": list(self.references),
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
