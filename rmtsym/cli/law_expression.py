"""The law-expression language of the command line, parsed by its own recursive-descent parser.

Grammar (whitespace is ignored)::

    expr    := term (("+" | "-") term)*          law + law: free sum; law + number: shift
    term    := unary (("*" | "/") unary)*        law * law: free product; number * law: scale
    unary   := "-" unary | primary
    primary := NUMBER | NAME | NAME "(" [args] ")" | "(" expr ")" | "[" [expr ("," expr)*] "]"
    args    := arg ("," arg)*;   arg := [NAME "="] expr

``NUMBER`` is a decimal literal read exactly (``0.1`` is 1/10).  A bare ``NAME`` is a positive
symbolic parameter (``mp(c)``).  ``NAME(...)`` calls a law from the registry (``sc``, ``mp``,
``fp``, ``atomic``, ...).  Nothing is ever handed to ``eval``, ``exec`` or ``sympify``: a character
outside the grammar, a name starting with an underscore, attribute access or a call of anything not
in the registry is an :class:`~rmtsym.errors.ExpressionSyntaxError` or
:class:`~rmtsym.errors.UnknownNameError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..core.lexer import Token, tokenize
from ..errors import ExpressionSyntaxError, UnknownNameError
from ..laws.algebraic import AlgebraicLaw
from ..laws.catalog import atomic, free_poisson, marchenko_pastur, semicircle
from ..laws.operations import free_add, free_multiply, scale, shift
from ..models.hessian import hessian_law
from ..models.nonlinear_gram import nonlinear_gram_law

__all__ = ["law_names", "parse_law", "register_law"]


@dataclass(frozen=True)
class LawEntry:
    """A callable law constructor with its parameter names and a one-line description."""

    fn: Callable
    params: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, LawEntry] = {}


def register_law(names: tuple[str, ...], fn: Callable, params: tuple[str, ...], doc: str) -> None:
    """Make a law constructor callable from expressions under each of ``names``."""
    for n in names:
        _REGISTRY[n] = LawEntry(fn, params, doc)


def law_names() -> dict[str, LawEntry]:
    """The registry of callable law names."""
    return dict(_REGISTRY)


register_law(("sc", "semicircle"), semicircle, ("variance",), "Wigner semicircle, R(w) = variance*w")
register_law(("mp", "marchenko_pastur"), marchenko_pastur, ("ratio", "variance"),
             "Marchenko-Pastur of X X^T/n, ratio p/n")
register_law(("fp", "free_poisson"), free_poisson, ("rate", "jump"), "free Poisson law")
register_law(("atomic",), atomic, ("points", "weights"), "finite discrete law, e.g. "
             "atomic([0,1],[1/2,1/2])")


register_law(("hessian",), hessian_law, ("phi", "eps"),
             "Pennington-Bahri Hessian MP(phi) + semicircle(2 eps)")
register_law(("gram",), nonlinear_gram_law, ("eta", "zeta", "phi", "psi"),
             "Pennington-Worah Gram matrix Y Y^T/m, Y = f(WX)")

def _tokenize(text: str) -> list[Token]:
    return tokenize(text, r"[-+*/(),=\[\]]", "a law expression")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self, text: str | None = None) -> Token:
        tok = self.toks[self.i]
        if text is not None and tok.text != text:
            what = repr(tok.text) if tok.text else "end of expression"
            raise ExpressionSyntaxError(self.text, tok.pos, f"expected {text!r}, found {what}")
        self.i += 1
        return tok

    def error(self, tok: Token, msg: str) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(self.text, tok.pos, msg)

    def parse(self):
        value = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(tok, f"unexpected {tok.text!r}")
        return value

    def expr(self):
        self.depth += 1
        if self.depth > 100:
            raise self.error(self.peek(), "expression nested too deeply")
        left = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take()
            right = self.term()
            left = self.combine(op, left, right)
        self.depth -= 1
        return left

    def term(self):
        left = self.unary()
        while self.peek().text in ("*", "/"):
            op = self.take()
            right = self.unary()
            left = self.combine(op, left, right)
        return left

    def unary(self):
        if self.peek().text == "-":
            op = self.take()
            return self.combine(op, sp.Integer(-1), self.unary(), product=True)
        if self.peek().text == "+":
            self.take()
            return self.unary()
        return self.primary()

    def primary(self):
        tok = self.peek()
        if tok.kind == "num":
            self.take()
            return sp.Rational(tok.text)
        if tok.text == "(":
            self.take()
            v = self.expr()
            self.take(")")
            return v
        if tok.text == "[":
            self.take()
            items = []
            if self.peek().text != "]":
                items.append(self.expr())
                while self.peek().text == ",":
                    self.take()
                    items.append(self.expr())
            self.take("]")
            return items
        if tok.kind == "name":
            self.take()
            if self.peek().text == "(":
                return self.call(tok)
            if tok.text in _REGISTRY:
                raise self.error(tok, f"{tok.text!r} is a law and needs arguments: {tok.text}(...)")
            return sp.Symbol(tok.text, positive=True)
        what = repr(tok.text) if tok.text else "end of expression"
        raise self.error(tok, f"expected a number, a name or '(', found {what}")

    def call(self, name: Token):
        if name.text not in _REGISTRY:
            raise UnknownNameError("law", name.text, list(_REGISTRY))
        entry = _REGISTRY[name.text]
        self.take("(")
        args, kwargs = [], {}
        if self.peek().text != ")":
            while True:
                tok = self.peek()
                if tok.kind == "name" and self.toks[self.i + 1].text == "=":
                    self.take()
                    self.take("=")
                    if tok.text not in entry.params:
                        raise self.error(tok, f"{name.text}() has no parameter {tok.text!r}; "
                                         f"its parameters are {', '.join(entry.params)}")
                    if tok.text in kwargs:
                        raise self.error(tok, f"{name.text}() got {tok.text!r} twice")
                    kwargs[tok.text] = self.expr()
                else:
                    if kwargs:
                        raise self.error(tok, "positional argument after a keyword argument")
                    args.append(self.expr())
                if self.peek().text != ",":
                    break
                self.take(",")
        self.take(")")
        if len(args) > len(entry.params):
            raise self.error(name, f"{name.text}() takes at most {len(entry.params)} arguments "
                             f"({', '.join(entry.params)})")
        for k, v in zip(entry.params, args):
            if k in kwargs:
                raise self.error(name, f"{name.text}() got {k!r} twice")
            kwargs[k] = v
        for v in kwargs.values():
            if isinstance(v, AlgebraicLaw):
                raise self.error(name, f"arguments of {name.text}() must be numbers, not laws")
        return entry.fn(**kwargs)

    def combine(self, op: Token, a, b, product: bool = False):
        la, lb = isinstance(a, AlgebraicLaw), isinstance(b, AlgebraicLaw)
        if isinstance(a, list) or isinstance(b, list):
            raise self.error(op, "lists are only allowed as arguments")
        sym = "*" if product else op.text
        if sym == "+":
            if la and lb:
                return free_add(a, b)
            return shift(a, b) if la else shift(b, a) if lb else a + b
        if sym == "-":
            if la and lb:
                return free_add(a, scale(b, -1))
            if la:
                return shift(a, -b)
            return shift(scale(b, -1), a) if lb else a - b
        if sym == "*":
            if la and lb:
                return free_multiply(a, b)
            return scale(a, b) if la else scale(b, a) if lb else a * b
        if lb:
            raise self.error(op, "division by a law is not defined")
        if b == 0:
            raise self.error(op, "division by zero")
        return scale(a, 1 / b) if la else a / b


def parse_law(text: str) -> AlgebraicLaw:
    """Parse a law expression such as ``"mp(1/2) + sc(1)"`` into an :class:`AlgebraicLaw`.

    Examples
    --------
    >>> parse_law("mp(1/2) + sc(1)").expr
    G**3 - G**2*z - 2*G**2 + 2*G*z - G - 2
    >>> parse_law("2*sc(1) + 3").label
    '2*sc(1) + 3'
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(repr(text), 0, "a law expression must be a string")
    value = _Parser(text).parse()
    if not isinstance(value, AlgebraicLaw):
        raise ExpressionSyntaxError(text, 0, "the expression is a number, not a law")
    return value
