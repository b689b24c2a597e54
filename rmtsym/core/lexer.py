"""The tokenizer shared by rmtsym's own expression parsers (laws and activations).

Numbers, names and a caller-given set of operators, ASCII only; keywords and names starting with
an underscore are refused at once, so that nothing resembling Python's object model survives
tokenizing.  Number literals are checked against the cost model (:mod:`rmtsym.core.limits`) before
anything expands them: ``1e99999999`` is an error here, not a gigabyte of digits later.
"""

from __future__ import annotations

import keyword
import re
from typing import NamedTuple

from ..errors import ExpressionSyntaxError
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["MAX_LEN", "Token", "tokenize"]

#: characters in an expression (the cost model's ``max_length``)
MAX_LEN = DEFAULT_LIMITS.max_length

_NUMBER = r"(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
_NAME = r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"


class Token(NamedTuple):
    """A token: its kind ("num", "name", "op" or "end"), its text and its position."""

    kind: str
    text: str
    pos: int


def _pattern(ops: str) -> re.Pattern:
    return re.compile(rf"[ \t\r\n]*(?:{_NUMBER}|{_NAME}|(?P<op>{ops}))", re.ASCII)


def check_literal(text: str, literal: str, pos: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a number literal with too many significant digits or too large an exponent.

    Examples
    --------
    >>> check_literal("1e40", "1e40", 0)    # passes
    >>> check_literal("1e400", "1e400", 0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rmtsym.errors.ExpressionSyntaxError: number 1e400 has a decimal exponent of size 400; ...
    """
    mantissa, _, expo = literal.lower().partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) > limits.max_literal_digits:
        raise ExpressionSyntaxError(text, pos, f"number with {len(digits)} digits; at most "
                                    f"{limits.max_literal_digits} are allowed")
    if expo and (len(expo.lstrip("+-")) > 6 or abs(int(expo)) > limits.max_literal_exponent):
        size = expo.lstrip("+-") if len(expo.lstrip("+-")) > 6 else abs(int(expo))
        raise ExpressionSyntaxError(text, pos, f"number {literal} has a decimal exponent of size "
                                    f"{size}; at most {limits.max_literal_exponent} is allowed")


def tokenize(text: str, ops: str, what: str, limits: Limits = DEFAULT_LIMITS) -> list[Token]:
    """Tokens of ``text``; ``ops`` is a regular expression of the operators, ``what`` names the
    language in error messages.

    Examples
    --------
    >>> [t.text for t in tokenize("2*x^2", r"\\*\\*|[-+*/^(),]", "an activation")]
    ['2', '*', 'x', '^', '2', '']
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(repr(text)[:60], 0, f"{what} must be a string")
    if len(text) > limits.max_length:
        raise ExpressionSyntaxError(text[:60] + "...", 0, f"expression longer than "
                                    f"{limits.max_length} characters")
    pattern = _pattern(ops)
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip(" \t\r\n") == "":
            break
        mt = pattern.match(text, pos)
        if not mt:
            bad = pos + len(text[pos:]) - len(text[pos:].lstrip(" \t\r\n"))
            hint = "" if text[bad].isascii() else " (only ASCII letters and digits are allowed)"
            raise ExpressionSyntaxError(text, bad, f"unexpected character {text[bad]!r}{hint}")
        kind = mt.lastgroup
        tok, start = mt.group(kind), mt.start(kind)
        if kind == "name" and keyword.iskeyword(tok):
            raise ExpressionSyntaxError(text, start, f"{tok!r} is not allowed in {what}")
        if kind == "name" and tok.startswith("_"):
            raise ExpressionSyntaxError(text, start, f"{tok!r} is not allowed in {what}: names "
                                                     "may not start with '_'")
        if kind == "num":
            check_literal(text, tok, start, limits)
        out.append(Token(kind, tok, start))
        pos = mt.end()
    out.append(Token("end", "", len(text)))
    return out
