"""What every sub-command shares: the :class:`Command` record, the parsing of numbers, counts and
law expressions given on the command line, and the options of the cost model."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp

from ..core.inputs import exact
from ..core.lexer import check_literal
from ..core.limits import DEFAULT_LIMITS, Limits, check_count
from ..core.parsing import check_parameter_name
from ..errors import ExpressionSyntaxError, ParameterError, SymbolicParameterError
from .law_expression import parse_law

__all__ = [
    "Command",
    "add_count",
    "add_law_options",
    "add_params",
    "count_of",
    "law_argument",
    "limits_of",
    "params_of",
    "rational_argument",
    "require_numbers",
    "to_float",
]

_NUM = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_RATIONAL = re.compile(rf"\s*({_NUM})(?:\s*/\s*({_NUM}))?\s*", re.ASCII)


@dataclass(frozen=True)
class Command:
    """A sub-command: ``configure(parser)`` adds its arguments, ``run(args)`` returns a JSON-able
    dict and a text rendering as ``(data, text)``; ``time_limit`` is the default of its
    ``--time-limit`` in seconds (None: no limit)."""

    name: str
    configure: Callable
    run: Callable
    help: str
    time_limit: float | None = None


def rational_argument(text: str, name: str) -> sp.Expr:
    """An exact number from a command-line argument such as ``1/2``, ``0.25`` or ``-1e-3``.

    ASCII digits only; literals are limited in digits and exponent by the cost model
    (:mod:`rmtsym.core.limits`); a zero denominator is refused.

    Examples
    --------
    >>> rational_argument("0.25", "--phi"), rational_argument("-3/4", "--x")
    (1/4, -3/4)
    """
    allowed = "a number such as 1/2, 0.25 or 1e-3 (ASCII digits)"
    mt = _RATIONAL.fullmatch(text) if isinstance(text, str) else None
    if mt is None:
        raise ParameterError(name, text, allowed)
    try:
        for part in mt.groups():
            if part is not None:
                check_literal(text, part.lstrip("+-"), 0)
    except ExpressionSyntaxError as exc:
        raise ParameterError(name, text, f"{allowed}; {str(exc).splitlines()[0]}") from None
    num = sp.Rational(mt.group(1))
    den = sp.Rational(mt.group(2)) if mt.group(2) is not None else sp.Integer(1)
    if den == 0:
        raise ParameterError(name, text, f"{allowed}, with a nonzero denominator")
    return exact(num / den, name)


def add_count(p: argparse.ArgumentParser, flag: str, default: int, high: int, what: str,
              low: int = 1, **kw) -> None:
    """An integer option whose range [low, high] is stated in ``--help`` (checked by
    :func:`count_of` when the command runs)."""
    p.add_argument(flag, type=int, default=default, help=f"{what} (default {default}; "
                   f"{low} to {high})", **kw)


def count_of(value: int, flag: str, high: int, low: int = 1) -> int:
    """The value of an option added by :func:`add_count`, checked against its range."""
    return check_count(value, flag, low, high)


def add_law_options(p: argparse.ArgumentParser) -> None:
    """``--param NAME=VALUE`` and ``--allow-large``, for commands that read a law expression."""
    add_params(p)
    p.add_argument("--allow-large", dest="allow_large", action="store_true",
                   help="lift the cost model's limit on the size of free convolutions (at most "
                   f"estimated resultant degree {DEFAULT_LIMITS.max_convolution_degree} each, "
                   f"{DEFAULT_LIMITS.max_convolution_total} in all by default)")


def add_params(p: argparse.ArgumentParser) -> None:
    """``--param NAME=VALUE`` (repeatable): values of named parameters of an expression."""
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="give a named parameter a value, e.g. --param a=1/2 (repeatable)")


def params_of(args: argparse.Namespace) -> dict[str, sp.Expr]:
    """The ``--param NAME=VALUE`` values of a command line.

    Examples
    --------
    >>> params_of(argparse.Namespace(param=["a=1/2", "b = 3"]))
    {'a': 1/2, 'b': 3}
    """
    out = {}
    for item in getattr(args, "param", None) or []:
        name, eq, value = item.partition("=")
        name = name.strip()
        if not eq:
            raise ParameterError("--param", item, "NAME=VALUE, e.g. a=1/2")
        try:
            check_parameter_name(name)
        except ExpressionSyntaxError as exc:
            raise ParameterError("--param", item, str(exc).splitlines()[0]) from None
        if name in out:
            raise ParameterError("--param", item, f"each name once ({name!r} given twice)")
        out[name] = rational_argument(value, f"--param {name}")
    return out


def limits_of(args: argparse.Namespace | None) -> Limits:
    """The cost model of a command line (``--allow-large`` lifts the convolution limit)."""
    if args is not None and getattr(args, "allow_large", False):
        return replace(DEFAULT_LIMITS, allow_large=True)
    return DEFAULT_LIMITS


def law_argument(text: str, args: argparse.Namespace | None = None):
    """The law of a law expression given on the command line, with the ``--param`` values and the
    cost model of ``args``."""
    if isinstance(text, str):
        text = text.strip()
    params = params_of(args) if args is not None else {}
    law = parse_law(text, limits_of(args), params)
    unused = set(params) - {s.name for s in law.parameters} - _names_in(text)
    if unused:
        raise ParameterError("--param", sorted(unused)[0], "a name that occurs in the expression")
    return law


def _names_in(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text, re.ASCII))


def require_numbers(free: object, what: str) -> None:
    """Refuse free symbolic parameters where a command needs numbers, pointing at ``--param``."""
    names = sorted(str(s) for s in free)
    if names:
        raise _symbolic(what, names)


def _symbolic(what: str, names: list[str]) -> SymbolicParameterError:
    err = SymbolicParameterError(what, names)
    hint = " ".join(f"--param {n}=VALUE" for n in names)
    err.args = (f"{what} needs numbers, but the expression has free parameters "
                f"{', '.join(names)}; give their values with {hint}",)
    return err


def to_float(v: sp.Expr) -> float | list[float]:
    """A JSON number for an exact value (a [re, im] pair if it is not real)."""
    c = complex(sp.N(v, 17))
    return c.real if abs(c.imag) < 1e-15 * max(1.0, abs(c)) else [c.real, c.imag]
