"""The parser base of rmtsym's two expression languages (laws and activations).

An operator-precedence (shunting-yard) parser driven by an explicit stack, not by recursion, so
that its depth limit is real: ``"+" * 1000 + "sc(1)"`` or ``"x" + "^x" * 600`` is an
:class:`~rmtsym.errors.ExpressionSyntaxError` in microseconds, never a ``RecursionError``.

A language subclasses :class:`ExpressionParser`, states its operators in a :class:`Grammar` and
says what each construct means through five actions (``number``, ``name``, ``call``, ``binary``,
``prefix``, and ``listing`` where lists are allowed).  Actions run as soon as their operands are
known, so a value is built bottom-up without ever holding a syntax tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ExpressionSyntaxError
from .lexer import Token, tokenize
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["RESERVED", "ExpressionParser", "Grammar", "check_parameter_name"]

#: names of the engine's own variables and constants: no user parameter may take one of them
RESERVED = frozenset({"G", "z", "w", "y", "m", "R", "S", "psi", "u", "I", "E", "oo", "nan", "zoo",
                      "inf", "pi"})


def check_parameter_name(name: str, text: str = "", pos: int = 0) -> str:
    """``name`` if a user parameter may be called so, else an
    :class:`~rmtsym.errors.ExpressionSyntaxError` (reserved names, non-ASCII or malformed names).

    Examples
    --------
    >>> check_parameter_name("phi")
    'phi'
    """
    if not (name.isascii() and name.isidentifier()) or name.startswith("_"):
        raise ExpressionSyntaxError(text or name, pos, f"{name!r} is not a valid parameter name "
                                    "(ASCII letters, digits and '_', not starting with '_')")
    if name in RESERVED:
        raise ExpressionSyntaxError(text or name, pos, f"{name!r} is reserved for rmtsym's own "
                                    f"variables and constants ({', '.join(sorted(RESERVED))}); "
                                    "call the parameter otherwise")
    return name


@dataclass(frozen=True)
class Grammar:
    """The operators of a language.

    Attributes
    ----------
    what : str
        The language's name in messages ("a law expression").
    ops : str
        Regular expression of the operator tokens (for :func:`~rmtsym.core.lexer.tokenize`).
    binary : dict
        Binary operator -> (precedence, right associative?).
    prefix : dict
        Prefix operator -> its precedence (binary operators of higher precedence bind first:
        ``-x^2`` is ``-(x^2)`` when ``^`` is above ``-``).
    lists : bool
        Whether ``[a, b]`` is allowed.
    keywords : bool
        Whether calls take ``name=value`` arguments.
    """

    what: str
    ops: str
    binary: dict[str, tuple[int, bool]]
    prefix: dict[str, int]
    lists: bool = False
    keywords: bool = False


@dataclass
class _Frame:
    """An open bracket: "(", "[" or a call, with the arguments gathered so far."""

    kind: str
    tok: Token
    base: int
    args: list = field(default_factory=list)
    kwargs: list = field(default_factory=list)
    key: Token | None = None


class ExpressionParser:
    """Parse ``text`` of a :class:`Grammar` into a value built by the subclass's actions.

    Examples
    --------
    >>> class Sum(ExpressionParser):
    ...     grammar = Grammar("a sum", r"[-+()]", {"+": (1, False), "-": (1, False)}, {"-": 3})
    ...     def number(self, tok): return int(tok.text)
    ...     def binary(self, tok, a, b): return a + b if tok.text == "+" else a - b
    ...     def prefix(self, tok, a): return -a
    >>> Sum("1 - (2 - 3) + -4").parse()
    -2
    """

    grammar: Grammar

    def __init__(self, text: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.text, self.limits = text, limits
        self.toks = tokenize(text, self.grammar.ops, self.grammar.what, limits)

    # -- actions, overridden by a language
    def number(self, tok: Token) -> Any:
        raise self.error(tok, "numbers are not allowed here")

    def name(self, tok: Token) -> Any:
        raise self.error(tok, f"unknown name {tok.text!r}")

    def call(self, tok: Token, args: list, kwargs: list[tuple[Token, Any]]) -> Any:
        raise self.error(tok, f"{tok.text!r} cannot be called")

    def binary(self, tok: Token, a: Any, b: Any) -> Any:
        raise self.error(tok, f"operator {tok.text!r} is not allowed here")

    def prefix(self, tok: Token, a: Any) -> Any:
        raise self.error(tok, f"operator {tok.text!r} is not allowed here")

    def listing(self, tok: Token, items: list) -> Any:
        raise self.error(tok, "lists are not allowed here")

    # -- the parser
    def error(self, tok: Token, msg: str) -> ExpressionSyntaxError:
        """An :class:`ExpressionSyntaxError` pointing at ``tok``."""
        return ExpressionSyntaxError(self.text, tok.pos, msg)

    @staticmethod
    def _found(tok: Token) -> str:
        return repr(tok.text) if tok.text else "end of expression"

    def parse(self) -> Any:
        """The value of the whole text."""
        g = self.grammar
        values: list = []
        stack: list = []  # ("op", tok, prec, right) | ("pre", tok, prec) | _Frame
        toks, i, operand = self.toks, 0, True
        while True:
            tok = toks[i]
            if len(stack) > self.limits.max_depth:
                raise self.error(tok, f"expression nested too deeply (more than "
                                 f"{self.limits.max_depth} open brackets and pending operators)")
            if operand:
                i, operand = self._operand(toks, i, values, stack)
                continue
            text = tok.text
            if text in g.binary and tok.kind == "op":
                prec, right = g.binary[text]
                self._reduce(values, stack, prec, right)
                stack.append(("op", tok, prec, right))
                i, operand = i + 1, True
            elif text in (",", ")", "]") and tok.kind == "op":
                self._reduce(values, stack, -1, False)
                frame = stack[-1] if stack else None
                i = self._close(tok, frame, values, stack) + i
                operand = text == ","
            elif tok.kind == "end":
                self._reduce(values, stack, -1, False)
                if stack:
                    close = ")" if stack[-1].kind in ("(", "call") else "]"
                    raise self.error(tok, f"expected {close!r}, found end of expression")
                return values[-1]
            else:
                raise self.error(tok, f"unexpected {self._found(tok)}")

    def _operand(self, toks: list[Token], i: int, values: list, stack: list) -> tuple[int, bool]:
        g, tok = self.grammar, toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else tok
        frame = stack[-1] if stack and isinstance(stack[-1], _Frame) else None
        if tok.kind == "op" and tok.text in g.prefix:
            stack.append(("pre", tok, g.prefix[tok.text]))
            return i + 1, True
        if tok.kind == "num":
            values.append(self.number(tok))
            return i + 1, False
        if tok.kind == "name" and nxt.text == "=" and g.keywords:
            if frame is None or frame.kind != "call" or frame.key is not None or \
                    len(values) != frame.base:
                raise self.error(nxt, "'=' is only allowed for a keyword argument of a call")
            frame.key = tok
            return i + 2, True
        if tok.kind == "name" and nxt.text == "(":
            stack.append(_Frame("call", tok, len(values)))
            if toks[i + 2].text == ")":
                stack.pop()
                values.append(self.call(tok, [], []))
                return i + 3, False
            return i + 2, True
        if tok.kind == "name":
            values.append(self.name(tok))
            return i + 1, False
        if tok.text == "(":
            stack.append(_Frame("(", tok, len(values)))
            return i + 1, True
        if tok.text == "[" and g.lists:
            if nxt.text == "]":
                values.append(self.listing(tok, []))
                return i + 2, False
            stack.append(_Frame("[", tok, len(values)))
            return i + 1, True
        raise self.error(tok, f"expected a number, a name or '(', found {self._found(tok)}")

    def _reduce(self, values: list, stack: list, prec: int, right: bool) -> None:
        """Apply the pending operators that bind at least as tightly as an incoming ``prec``."""
        while stack and not isinstance(stack[-1], _Frame):
            top = stack[-1]
            if top[2] < prec or (top[2] == prec and right):
                return
            stack.pop()
            b = values.pop()
            if top[0] == "pre":
                values.append(self.prefix(top[1], b))
            else:
                values.append(self.binary(top[1], values.pop(), b))

    def _close(self, tok: Token, frame: _Frame | None, values: list, stack: list) -> int:
        """Handle ",", ")" or "]" after the pending operators are reduced; returns 1 (tokens
        consumed)."""
        text = tok.text
        want = {"(": ")", "call": ")", "[": "]"}
        if frame is None or (text != "," and want[frame.kind] != text) or (
                text == "," and frame.kind == "("):
            raise self.error(tok, f"unexpected {text!r}")
        value = values.pop()
        if frame.key is not None:
            frame.kwargs.append((frame.key, value))
            frame.key = None
        elif frame.kwargs:
            raise self.error(tok, "positional argument after a keyword argument")
        else:
            frame.args.append(value)
        if text == ",":
            return 1
        stack.pop()
        if frame.kind == "(":
            values.append(value)
        elif frame.kind == "call":
            values.append(self.call(frame.tok, frame.args, frame.kwargs))
        else:
            values.append(self.listing(frame.tok, frame.args))
        return 1
