"""Render a :class:`~rmtsym.derivation.record.Derivation` to LaTeX through Jinja2.

The environment uses LaTeX-safe delimiters (``\\VAR{...}`` for values, ``%%`` line statements,
``\\BLOCK{...}`` blocks), ``StrictUndefined`` (a missing field is an error, never an empty string)
and no autoescaping: prose goes through the :func:`tex_escape` filter, mathematics is turned into
LaTeX by ``sympy.latex`` here, before the template sees it.  Templates hold layout only.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .._version import __version__
from ..derivation.record import Derivation, to_latex

__all__ = ["environment", "render_tex", "tex_escape"]

_TEMPLATES = Path(__file__).parent / "templates"
_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
            "<": r"\textless{}", ">": r"\textgreater{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))
_MATH_RE = re.compile(r"(\$[^$]+\$)")
_LONG = 180  # characters of LaTeX above which a display is scaled to the line width


def tex_escape(text: object) -> str:
    """Escape prose for LaTeX; ``$...$`` segments are inline mathematics and pass unchanged.

    Examples
    --------
    >>> tex_escape("50% of x_1 & $\\\\eta$")
    '50\\\\% of x\\\\_1 \\\\& $\\\\eta$'
    """
    parts = _MATH_RE.split(str(text))
    return "".join(p if i % 2 else _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], p)
                   for i, p in enumerate(parts))


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


def _is_long(latex: str) -> bool:
    return max(len(part) for part in latex.split("\\\\")) > _LONG


def _context(d: Derivation, figure_paths: dict[str, str]) -> dict:
    steps = []
    for i, s in enumerate(d.steps, 1):
        latex = to_latex(s.equation)
        steps.append({"why": s.why, "latex": latex, "long": _is_long(latex),
                      "anchor": s.label or f"{d.name}-{i}"})
    results = [{"name": r.name, "text": r.text, "latex": to_latex(r.equation),
                "long": _is_long(to_latex(r.equation))} for r in d.results]
    checks = [{"claim": c.claim, "method": c.method, "lhs": c.lhs, "rhs": c.rhs,
               "measure": c.measure, "verdict": r"\pass" if c.passed else r"\fail"}
              for c in d.checks]
    tables = [{"caption": cap, "columns": "l" * len(header),
               "header": " & ".join(r"\textbf{" + tex_escape(h) + "}" for h in header),
               "rows": [" & ".join(_cell(c) for c in row) for row in rows]}
              for cap, header, rows in d.tables]
    figures = [{"caption": f.caption, "path": figure_paths[f.name]} for f in d.figures]
    return {"version": __version__, "name": d.name, "title": d.title, "summary": d.summary,
            "model": d.model, "assumptions": list(d.assumptions),
            "conventions": list(d.conventions), "steps": steps, "results": results,
            "tables": tables, "remarks": [{"text": r.text, "backed_by": r.backed_by}
                                          for r in d.remarks],
            "checks": checks, "failed": len(d.failed_checks()), "figures": figures,
            "references": list(d.references)}


def render_tex(d: Derivation, figure_paths: dict[str, str] | None = None,
               template: str = "report.tex.j2") -> str:
    """The LaTeX source of the report of ``d``.

    ``figure_paths`` maps each figure's name to the path the .tex should include (relative to the
    .tex file); every figure of ``d`` must have one.
    """
    paths = figure_paths or {}
    missing = [f.name for f in d.figures if f.name not in paths]
    if missing:
        raise ValueError(f"no file for the figures {missing}")
    return environment().get_template(template).render(**_context(d, paths))
