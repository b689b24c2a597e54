"""Typed errors of rmtsym.

Every error names what was wrong and what is allowed, so that a user never has to read a traceback
from deep inside SymPy or NumPy to find out what to change.
"""

from __future__ import annotations

import difflib

__all__ = [
    "AlgebraError",
    "BranchError",
    "ConvolutionError",
    "ExpressionSyntaxError",
    "ParameterError",
    "RmtsymError",
    "SymbolicParameterError",
    "TimeLimitError",
    "UnknownNameError",
]


class RmtsymError(Exception):
    """Base class of every error rmtsym raises on purpose."""


class ParameterError(RmtsymError, ValueError):
    """A parameter is outside its allowed range.

    Parameters
    ----------
    name : str
        The parameter's name as the caller wrote it.
    value : object
        The value received.
    allowed : str
        A description of the allowed values, e.g. ``"a positive number"``.
    """

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(f"parameter {name!r} must be {allowed}; got {value!r}")


class SymbolicParameterError(RmtsymError, ValueError):
    """A numeric evaluation was asked of a law that still has free symbolic parameters."""

    def __init__(self, what: str, symbols: object) -> None:
        self.symbols = symbols
        super().__init__(
            f"{what} needs numeric parameters, but the law has free symbols {symbols}; "
            "substitute values first with law.subs(name=value)"
        )


class ExpressionSyntaxError(RmtsymError, ValueError):
    """A user-written expression could not be parsed; the message points at the offending place."""

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text = text
        self.position = position
        pointer = " " * position + "^"
        super().__init__(f"{message} at position {position}:\n  {text}\n  {pointer}")


class UnknownNameError(RmtsymError, KeyError):
    """An unknown law, function or derivation name was used."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:

        self.name = name
        self.known = sorted(known)
        close = difflib.get_close_matches(name, self.known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"unknown {kind} {name!r}{hint} (known: {', '.join(self.known)})")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class ConvolutionError(RmtsymError, ValueError):
    """A free convolution is not defined for the given laws."""


class BranchError(RmtsymError, ArithmeticError):
    """The physical branch of an algebraic law could not be identified."""


class AlgebraError(RmtsymError, ArithmeticError):
    """An exact algebraic step failed on the given input (a series without an inverse, a
    recurrence whose leading coefficient vanishes, a polynomial that is not square-free)."""


class TimeLimitError(RmtsymError, TimeoutError):
    """A computation ran past the time budget it was given (the command line's ``--time-limit``)."""
