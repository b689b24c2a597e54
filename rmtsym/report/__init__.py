"""LaTeX reports of derivations: a Jinja2 renderer with LaTeX-safe delimiters, and figures."""

from __future__ import annotations

from .render import render_tex, tex_escape

__all__ = ["render_tex", "tex_escape"]
