"""The ``rmtsym-api`` directive: the public API (``rmtsym.__all__``) grouped by the layer the
package root imports each name from, each group a section with a summary table and the documented
entries.

The page is generated from ``__all__`` at build time, so a name added to the public API appears in
the documentation without editing it, and a name cannot be documented that is not public.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import rmtsym

#: sections in the order of the layers, low-level last; a layer not listed gets its own name
GROUPS = {
    "laws": "Laws and their algebra",
    "algebra": "Moments, cumulants and recurrences",
    "analysis": "Expansions, edges, phase diagrams and spikes",
    "gaussian": "Gaussian expectations, activations and kernels",
    "models": "Models",
    "parallel": "Parameter sweeps and parallel Monte Carlo",
    "sampling": "Monte Carlo",
    "core": "Symbols and parameters",
    "errors": "Errors",
}

#: names that are values rather than functions or classes, with their description
DATA = {
    "G": "The symbol of the Cauchy transform in every polynomial P(G, z).",
    "z": "The symbol of the argument of the Cauchy transform in P(G, z).",
    "__version__": "The version of rmtsym.",
}


def _layers() -> dict[str, str]:
    """Each name imported by ``rmtsym/__init__.py`` and the layer (sub-package) it comes from."""
    tree = ast.parse(Path(rmtsym.__file__).read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                out[alias.asname or alias.name] = node.module.split(".")[0]
    return out


def _documented(obj: object) -> bool:
    """Whether autodoc documents ``obj`` (a class or a function; other values are data)."""
    return inspect.isclass(obj) or inspect.isroutine(obj)


def _entry(name: str, obj: object) -> list[str]:
    if name in DATA or not _documented(obj):
        return [f".. py:data:: {name}", "", "   " + DATA.get(name, f"``{obj!r}``"), ""]
    if inspect.isclass(obj):
        extra = ["   :show-inheritance:"] if issubclass(obj, BaseException) else []
        return [f".. autoclass:: {name}", "   :members:", *extra, ""]
    return [f".. autofunction:: {name}", ""]


def api_lines() -> list[str]:
    """The reStructuredText of the API page's body."""
    groups: dict[str, list[str]] = {}
    layers = _layers()
    for name in rmtsym.__all__:
        layer = layers.get(name, "core")
        groups.setdefault("core" if layer.startswith("_") else layer, []).append(name)
    order = [g for g in GROUPS if g in groups] + sorted(set(groups) - set(GROUPS))
    lines = [".. currentmodule:: rmtsym", ""]
    for g in order:
        title = GROUPS.get(g, g)
        lines += [title, "-" * len(title), ""]
        listed = [n for n in groups[g] if n not in DATA and _documented(getattr(rmtsym, n))]
        if listed:
            lines += [".. autosummary::", "   :nosignatures:", ""]
            lines += [f"   {n}" for n in listed] + [""]
        for n in groups[g]:
            lines += _entry(n, getattr(rmtsym, n))
    return lines


class PublicAPI(SphinxDirective):
    """``.. rmtsym-api::`` expands to the sections of :func:`api_lines`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(api_lines(), source="rmtsym.__all__"),
                                 node)
        return node.children


def setup(app):
    app.add_directive("rmtsym-api", PublicAPI)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
