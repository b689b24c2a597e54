"""The Derivation record: what was assumed, each step with its reason, the results, the checks.

A derivation module (``rmtsym/derivation/library/*.py``) computes; the record only holds what it
computed, so that the report renderer never calculates (DESIGN.md: data moves left to right).
Steps and results hold SymPy objects; checks hold both sides of a comparison as short text together
with the measure and the verdict; figures hold the numbers to plot.  The record is frozen, compares
by value, and turns into JSON with :meth:`Derivation.to_json`.

Conventions every derivation follows
------------------------------------
* **Mathematics is SymPy, never Python text.**  Equations, results and table cells are SymPy
  objects (or LaTeX strings for notation SymPy cannot build); :func:`to_latex` is the one
  conversion, with the reports' symbol names (``phi`` -> :math:`\\phi`, ``eps`` ->
  :math:`\\epsilon`, ``s2`` -> :math:`s^2`, ``K_erf`` -> :math:`K_\\mathrm{erf}`).  Prose
  (titles, reasons, claims) may hold inline ``$...$`` LaTeX; outside it, no ``_``, ``^``, ``**``
  or function-call syntax (``tests/test_report.py`` scans every generated .tex for them).
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

#: symbol names (or their parts) typeset otherwise than SymPy would
_NAMES = {"eps": r"\epsilon", "s2": "s^{2}", "sigma2": r"\sigma^{2}", "lam": r"\lambda"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
          "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
          "varphi", "varepsilon"}
_WORD = re.compile(r"^[A-Za-z]+$")


def _part(text: str, sub: bool) -> str:
    if text in _NAMES:
        return _NAMES[text]
    if text in _GREEK:
        return "\\" + text
    if sub and _WORD.match(text) and len(text) > 1:
        return r"\mathrm{" + text + "}"
    return text


def latex_name(name: str) -> str:
    """LaTeX of a symbol name in the reports' notation.

    Names holding a backslash or braces are taken as LaTeX already; otherwise ``base_sub`` becomes
    a subscript, Greek words become letters and a word subscript is upright.

    Examples
    --------
    >>> [latex_name(n) for n in ("phi", "s2", "eps", "K_erf", "eps_c", "m_2", "x")]
    ['\\\\phi', 's^{2}', '\\\\epsilon', 'K_\\\\mathrm{erf}', '\\\\epsilon_{c}', 'm_{2}', 'x']
    """
    if "\\" in name or "{" in name:
        return name
    base, _, sub = name.partition("_")
    out = _part(base, False)
    if sub:
        tex = _part(sub, True)
        out += "_" + (tex if tex.startswith(r"\mathrm") else "{" + tex + "}")
    return out


@dataclass(frozen=True)
class Ascending:
    """A SymPy object to be printed with its sums in ascending powers (series)."""

    expr: object


@dataclass(frozen=True)
class Collected:
    """A polynomial in ``var`` printed by powers of ``var`` (descending, or ascending with
    ``ascending=True``), each coefficient factored: ``c z G^2 - (z + c - 1) G + 1``; ``lhs``, if
    given, is printed as ``lhs = ...`` and ``rhs`` (default 0) on the other side."""

    expr: object
    var: object
    lhs: object = None
    rhs: object = 0
    ascending: bool = False

    def terms(self) -> list[str]:
        """The terms as LaTeX with their signs ("+ ...", "- ...")."""
        poly = sp.Poly(sp.expand(self.expr), self.var)
        powers = sorted((m[0] for m in poly.monoms()), reverse=not self.ascending)
        out = []
        for p in powers:
            coef = sp.factor(poly.coeff_monomial(self.var**p))
            neg = coef.could_extract_minus_sign()
            coef = -coef if neg else coef
            var = "" if p == 0 else to_latex(self.var**p)
            if coef == 1 and var:
                body = var
            else:
                body = to_latex(coef)
                if isinstance(coef, sp.Add) and var:
                    body = r"\left(" + body + r"\right)"
                body = f"{body} {var}".strip()
            out.append(("- " if neg else "+ ") + body)
        return out

    def sides(self) -> tuple[str, str]:
        """The LaTeX of the left side (empty if none) and the right side."""
        return ("" if self.lhs is None else to_latex(self.lhs)), to_latex(self.rhs)


#: variance-like parameters printed as the square of a letter (s2 -> s^2, s2^2 -> s^4)
_SQUARES = {"s2": "s", "sigma2": "sigma"}


def _squares(obj):
    subs = {s: sp.Symbol(_SQUARES[s.name], positive=True) ** 2
            for s in getattr(obj, "free_symbols", ()) if getattr(s, "name", None) in _SQUARES}
    return obj.xreplace(subs) if subs else obj


def _symbol_names(obj) -> dict:
    names = {}
    for s in getattr(obj, "free_symbols", ()):
        name = getattr(s, "name", None)
        if name is not None and latex_name(name) != sp.latex(s):
            names[s] = latex_name(name)
    return names


def to_latex(obj) -> str:
    """LaTeX of a SymPy object in the reports' notation; text (LaTeX already) passes unchanged.

    The one conversion used by records, checks and the renderer: symbol names through
    :func:`latex_name`, inverse trigonometric functions as ``\\arcsin``, ``log`` as ``\\ln``;
    an :class:`Ascending` object prints its sums in ascending powers.

    Examples
    --------
    >>> phi = sp.Symbol("phi", positive=True)
    >>> to_latex(2 * sp.asin(phi) / sp.pi)
    '\\\\frac{2 \\\\arcsin{\\\\left(\\\\phi \\\\right)}}{\\\\pi}'
    >>> to_latex(Ascending(phi**2 + phi + 1))
    '1 + \\\\phi + \\\\phi^{2}'
    """
    if isinstance(obj, str):
        return obj
    if isinstance(obj, Collected):
        text = " ".join(obj.terms())
        text = text[2:] if text.startswith("+ ") else "-" + text[1:]
        lhs, rhs = obj.sides()
        return f"{lhs} = {text}" if lhs else f"{text} = {rhs}"
    order = None
    if isinstance(obj, Ascending):
        obj, order = obj.expr, "rev-lex"
    obj = _squares(obj)
    return sp.latex(obj, symbol_names=_symbol_names(obj), inv_trig_style="full",
                    ln_notation=True, order=order)


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
    "histogram" (x = bin edges) or "stem" (atoms: x = locations, y = masses, drawn as arrows
    labelled with their mass)."""

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
