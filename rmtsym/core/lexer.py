"""The tokenizer shared by rmtsym's own expression parsers (laws and activations).

Numbers, names and a caller-given set of operators; keywords and names starting with an underscore
are refused at once, so that nothing resembling Python's object model survives tokenizing.
"""

from __future__ import annotations

import keyword
import re
from typing import NamedTuple

from ..errors import ExpressionSyntaxError

__all__ = ["Token", "tokenize"]

MAX_LEN = 2000


class Token(NamedTuple):
    """A token: its kind ("num", "name", "op" or "end"), its text and its position."""

    kind: str
    text: str
    pos: int


def _pattern(ops: str) -> re.Pattern:
    return re.compile(
        r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
        rf"|(?P<op>{ops}))")


def tokenize(text: str, ops: str, what: str) -> list[Token]:
    """Tokens of ``text``; ``ops`` is a regular expression of the operators, ``what`` names the
    language in error messages.

    Examples
    --------
    >>> [t.text for t in tokenize("2*x^2", r"\\*\\*|[-+*/^(),]", "an activation")]
    ['2', '*', 'x', '^', '2', '']
    """
    if len(text) > MAX_LEN:
        raise ExpressionSyntaxError(text[:60] + "...", 0, f"expression longer than {MAX_LEN}")
    pattern = _pattern(ops)
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        mt = pattern.match(text, pos)
        if not mt:
            bad = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise ExpressionSyntaxError(text, bad, f"unexpected character {text[bad]!r}")
        kind = mt.lastgroup
        tok, start = mt.group(kind), mt.start(kind)
        if kind == "name" and keyword.iskeyword(tok):
            raise ExpressionSyntaxError(text, start, f"{tok!r} is not allowed in {what}")
        if kind == "name" and tok.startswith("_"):
            raise ExpressionSyntaxError(text, start, f"{tok!r} is not allowed in {what}: names "
                                                     "may not start with '_'")
        out.append(Token(kind, tok, start))
        pos = mt.end()
    out.append(Token("end", "", len(text)))
    return out
