"""What every sub-command shares: the :class:`Command` record and the parsing of numbers and law
expressions given on the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..core.inputs import exact
from ..errors import ParameterError
from .law_expression import parse_law

__all__ = ["Command", "law_argument", "rational_argument", "to_float"]


@dataclass(frozen=True)
class Command:
    """A sub-command: ``configure(parser)`` adds its arguments, ``run(args)`` returns a JSON-able
    dict and a text rendering as ``(data, text)``."""

    name: str
    configure: Callable
    run: Callable
    help: str


def rational_argument(text: str, name: str) -> sp.Expr:
    """An exact number from a command-line argument such as ``1/2`` or ``0.25``.

    Examples
    --------
    >>> rational_argument("0.25", "--phi")
    1/4
    """
    try:
        return exact(sp.Rational(text), name)
    except (TypeError, ValueError):
        raise ParameterError(name, text, "a number such as 1/2 or 0.25") from None


def law_argument(text: str):
    """The law of a law expression given on the command line."""
    return parse_law(text)


def to_float(v: sp.Expr) -> float | list[float]:
    """A JSON number for an exact value (a [re, im] pair if it is not real)."""
    c = complex(sp.N(v, 17))
    return c.real if abs(c.imag) < 1e-15 * max(1.0, abs(c)) else [c.real, c.imag]
