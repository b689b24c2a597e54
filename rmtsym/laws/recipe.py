"""How a law was built: a typed, immutable recipe read by name.

A :class:`Recipe` names the construction (``"mp"``, ``"add"``, ...), its arguments by name and the
laws it was built from.  Samplers follow it to realise the law as a random matrix, and the law's
label is rendered from it, so a substitution of parameter values changes both consistently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = ["Recipe"]


def _fmt(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ",".join(_fmt(v) for v in value) + "]"
    return str(value).replace(" ", "")


def _subs(value: Any, mapping: dict) -> Any:
    if isinstance(value, tuple):
        return tuple(_subs(v, mapping) for v in value)
    if isinstance(value, sp.Basic):
        return value.subs(mapping)
    return value


@dataclass(frozen=True)
class Recipe:
    """A construction of a law: its ``kind``, named ``args`` and the ``operands`` it combines.

    ``template`` renders the label: ``{name}`` is an argument, ``{0}``, ``{1}`` an operand's label
    (parenthesised when it contains a space).  Arguments are read by name, ``recipe["ratio"]``.

    Examples
    --------
    >>> r = Recipe("mp", (("ratio", sp.Symbol("c")),), template="mp({ratio})")
    >>> r["ratio"], r.label()
    (c, 'mp(c)')
    >>> r.subs({sp.Symbol("c"): 2}).label()
    'mp(2)'
    """

    kind: str
    args: tuple[tuple[str, Any], ...] = ()
    operands: tuple = field(default=())
    template: str = ""

    def __getitem__(self, name: str) -> Any:
        for key, value in self.args:
            if key == name:
                return value
        raise KeyError(f"recipe {self.kind!r} has no argument {name!r}; it has "
                       f"{[k for k, _ in self.args]}")

    def get(self, name: str, default: Any = None) -> Any:
        """The argument ``name``, or ``default`` when the recipe has none of that name."""
        return next((v for k, v in self.args if k == name), default)

    def subs(self, mapping: dict) -> Recipe:
        """The recipe with parameter values substituted in every argument and operand."""
        return Recipe(self.kind, tuple((k, _subs(v, mapping)) for k, v in self.args),
                      tuple(op.subs(mapping) for op in self.operands), self.template)

    def label(self) -> str:
        """The law's name rendered from the template (empty when there is none)."""
        if not self.template:
            return ""
        ops = [str(op) for op in self.operands]
        ops = [f"({s})" if " " in s else s for s in ops]
        text = self.template.format(*ops, **{k: _fmt(v) for k, v in self.args})
        return re.sub(r"(?<![\w.)])-1\*", "-", text.replace("+ -", "- "))
