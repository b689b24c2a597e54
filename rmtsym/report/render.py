"""Render a :class:`~rmtsym.derivation.record.Derivation` to LaTeX through Jinja2.

The environment uses LaTeX-safe delimiters (``\\VAR{...}`` for values, ``%%`` line statements,
``\\BLOCK{...}`` blocks), ``StrictUndefined`` (a missing field is an error, never an empty string)
and no autoescaping: prose goes through the :func:`tex_escape` filter, mathematics is turned into
LaTeX by :func:`~rmtsym.derivation.record.to_latex` here, before the template sees it.  Templates
hold layout only.

Displays are never scaled: a formula wider than the line is broken at the terms of its sums
(:func:`display`) into an ``split`` environment; table columns get paragraph widths when their
content would not fit on the line.  :func:`render_book` puts every derivation in one document,
one chapter each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import jinja2
import sympy as sp

from .._version import __version__
from ..core.latex import INLINE_MATH, tex_escape
from ..derivation.record import Ascending, Collected, Derivation, Reference, to_latex

__all__ = ["display", "environment", "latex_width", "render_book", "render_tex", "tex_escape"]

_TEMPLATES = Path(__file__).parent / "templates"
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
#: widest display line, in the character units of :func:`latex_width`
_LINE = 58
#: widest table row on one line before the columns get paragraph widths
_TABLE = 72


def _group(tex: str, start: int) -> tuple[str, int]:
    """The brace group starting at ``tex[start] == '{'`` and the index after it."""
    depth = 0
    for i in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return tex[start + 1:i], i + 1
    return tex[start + 1:], len(tex)


def latex_width(tex: str) -> float:
    """A rough printed width of a LaTeX formula in characters: fractions count their wider part,
    sub- and superscripts count 0.7, commands one character, binary operators with their spaces.

    Examples
    --------
    >>> latex_width(r"\\frac{a + b}{c}"), latex_width("x^{2}")
    (4.0, 1.7)
    """
    total, i = 0.0, 0
    tex = tex.replace(r"\left", "").replace(r"\right", "")
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = _COMMAND.match(tex, i)
            if m is None:
                break
            name, i = m.group(1), m.end()
            if name in ("frac", "dfrac", "tfrac") and i < len(tex) and tex[i] == "{":
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                total += max(latex_width(num), latex_width(den))
            elif name in ("mathrm", "operatorname", "text", "textbf", "mathbf"):
                arg, i = _group(tex, i) if i < len(tex) and tex[i] == "{" else ("", i)
                total += len(arg)
            elif name in ("quad", "qquad"):
                total += 2
            elif name.isalpha():
                total += 1 if name not in ("sqrt",) else 1.5
        elif ch in "^_":
            if i + 1 < len(tex) and tex[i + 1] == "{":
                arg, i = _group(tex, i + 1)
            else:
                arg, i = tex[i + 1:i + 2], i + 2
            total += 0.7 * latex_width(arg)
        elif ch in "+-=<>":
            total += 2
            i += 1
        elif ch in "{} ":
            i += 1
        else:
            total += 1
            i += 1
    return round(total, 6)


def _terms(expr, order: str | None) -> list[str]:
    """The terms of a sum as LaTeX with their signs ("+ a", "- b")."""
    out = []
    for t in expr.as_ordered_terms(order=order):
        neg = t.could_extract_minus_sign()
        body = to_latex(Ascending(-t if neg else t) if order else (-t if neg else t))
        out.append(("- " if neg else "+ ") + body)
    return out


def _rows(lhs: str, terms: list[str], tail: str, limit: float) -> list[str]:
    """Greedy lines ``lhs &= t1 + t2 \\\\ &\\quad + t3 ...``."""
    rows, line = [], ""
    first = f"{lhs} &= " if lhs else "& "
    for t in terms:
        piece = t[2:] if not rows and not line and t.startswith("+") else t
        cand = f"{line} {piece}".strip()
        if line and latex_width(cand) + (latex_width(lhs) + 2 if not rows else 4) > limit:
            rows.append(line)
            line = piece
        else:
            line = cand
    rows.append(line + tail)
    return [first + rows[0]] + [r"&\quad " + r for r in rows[1:]]


def _lines(obj, limit: float) -> list[str]:
    """The lines of one equation, broken at the terms of its sums if it is too wide."""
    order = None
    if isinstance(obj, Ascending):
        obj, order = obj.expr, "rev-lex"
    whole = to_latex(Ascending(obj) if order else obj)
    if isinstance(obj, str) or latex_width(whole) <= limit:
        return [whole]
    if isinstance(obj, Collected):
        lhs, rhs = obj.sides()
        return _rows(lhs, obj.terms(), "" if lhs else f" = {rhs}", limit)
    if isinstance(obj, sp.Eq):
        lhs, rhs = obj.lhs, obj.rhs
        if rhs == 0 and isinstance(lhs, sp.Add):
            return _rows("", _terms(lhs, order), " = 0", limit)
        if isinstance(rhs, sp.Add):
            return _rows(to_latex(lhs), _terms(rhs, order), "", limit)
        return [whole]
    if isinstance(obj, sp.Add):
        return _rows("", _terms(obj, order), "", limit)
    return [whole]


def display(obj, limit: float = _LINE) -> dict:
    """A display: ``{"latex": ..., "split": bool}``; a tuple is one line (or more) per item,
    aligned at its relation sign, and long sums are broken at their terms.

    Examples
    --------
    >>> display(sp.Symbol("x") + 1)
    {'latex': 'x + 1', 'split': False}
    """
    if isinstance(obj, tuple):
        rows = []
        for item in obj:
            lines = _lines(item, limit)
            if len(lines) == 1 and "&" not in lines[0]:
                lines = [lines[0].replace(" = ", " &= ", 1) if " = " in lines[0]
                         else "& " + lines[0]]
            rows += lines
        return {"latex": " \\\\\n".join(rows), "split": True}
    lines = _lines(obj, limit)
    return {"latex": " \\\\\n".join(lines), "split": len(lines) > 1}


def environment(extra_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of rmtsym reports."""
    dirs = [str(extra_dir)] if extra_dir else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs + [str(_TEMPLATES)]),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        line_statement_prefix="%%", line_comment_prefix="%#",
        trim_blocks=True, lstrip_blocks=True, autoescape=False,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["tex"] = tex_escape
    return env


def _cell(obj) -> str:
    if isinstance(obj, str):
        return tex_escape(obj)
    return f"${to_latex(obj)}$"


def _text_width(text: str) -> float:
    parts = INLINE_MATH.split(text)
    return sum(latex_width(p[1:-1]) if i % 2 else len(p) * 0.9 for i, p in enumerate(parts))


def _columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """``l`` columns when the widest row fits on the line, else paragraph columns whose widths
    follow the widest entry of each column."""
    widths = [max([_text_width(h)] + [_text_width(r[j]) for r in rows])
              for j, h in enumerate(header)]
    if sum(widths) + 2 * len(widths) <= _TABLE:
        return "l" * len(widths)
    room = 0.98 - 0.03 * len(widths)
    shares = [max(w, 8.0) for w in widths]
    scale = room / sum(shares)
    fracs = [s * scale for s in shares]
    # a bold header word cannot be broken: widen its column (about 5.2 pt a character in a
    # 455 pt line) and narrow the others in proportion
    need = [max([len(wd) for wd in INLINE_MATH.sub("x", h).split()] + [1]) * 5.2 / 455
            for h in header]
    if any(n > f for n, f in zip(need, fracs)):
        fixed = [max(n, f) for n, f in zip(need, fracs)]
        extra = sum(fixed) - room
        free = [f for n, f in zip(need, fracs) if f > n]
        shrink = 1 - extra / sum(free) if free else 1.0
        fracs = [n if n >= f else f * shrink for n, f in zip(need, fracs)]
    return "".join(f">{{\\raggedright\\arraybackslash}}p{{{f:.3f}\\linewidth}}"
                   for f in fracs)


def _reference(r) -> str:
    return r.text() if isinstance(r, Reference) else tex_escape(r)


def _context(d: Derivation, figure_paths: dict[str, str]) -> dict:
    steps = [{"why": s.why, **display(s.equation), "anchor": s.label or f"{d.name}-{i}"}
             for i, s in enumerate(d.steps, 1)]
    results = [{"name": r.name, "text": r.text, **display(r.equation, _LINE - 6)}
               for r in d.results]
    checks = [{"claim": c.claim, "method": c.method, "lhs": c.lhs, "rhs": c.rhs,
               "measure": c.measure, "verdict": r"\pass" if c.passed else r"\fail"}
              for c in d.checks]
    tables = []
    for cap, header, rows in d.tables:
        cells = [[_cell(c) for c in row] for row in rows]
        tables.append({"caption": cap, "columns": _columns(header, cells),
                       "header": " & ".join(r"\textbf{" + tex_escape(h) + "}" for h in header),
                       "rows": [" & ".join(r) for r in cells]})
    figures = [{"caption": f.caption, "path": figure_paths[f.name],
                "label": f"fig:{d.name}-{f.name}"} for f in d.figures]
    return {"version": __version__, "name": d.name, "title": d.title, "summary": d.summary,
            "model": d.model, "assumptions": list(d.assumptions),
            "conventions": list(d.conventions), "steps": steps, "results": results,
            "tables": tables, "remarks": [{"text": r.text, "backed_by": r.backed_by}
                                          for r in d.remarks],
            "checks": checks, "failed": len(d.failed_checks()), "figures": figures,
            "references": [_reference(r) for r in d.references]}


def _paths(d: Derivation, figure_paths: dict[str, str] | None) -> dict[str, str]:
    paths = figure_paths or {}
    missing = [f.name for f in d.figures if f.name not in paths]
    if missing:
        raise ValueError(f"no file for the figures {missing} of {d.name}")
    return paths


def render_tex(d: Derivation, figure_paths: dict[str, str] | None = None,
               template: str = "report.tex.j2") -> str:
    """The LaTeX source of the report of ``d``.

    ``figure_paths`` maps each figure's name to the path the .tex should include (relative to the
    .tex file); every figure of ``d`` must have one.
    """
    return environment().get_template(template).render(
        d=_context(d, _paths(d, figure_paths)), version=__version__)


def render_book(records: Sequence[Derivation], figure_paths: dict[str, dict[str, str]],
                title: str = "Worked derivations in random matrix theory",
                template: str = "book.tex.j2") -> str:
    """One LaTeX document with a title page, a table of contents and each record as a chapter;
    ``figure_paths[name]`` maps the figures of the record ``name`` to their files."""
    chapters = [_context(d, _paths(d, figure_paths.get(d.name))) for d in records]
    return environment().get_template(template).render(
        chapters=chapters, title=title, version=__version__)
