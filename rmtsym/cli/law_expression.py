"""The law-expression language of the command line, parsed by the shared iterative parser base
(:mod:`rmtsym.core.parsing`) under the cost model (:mod:`rmtsym.core.limits`).

Grammar (whitespace is ignored)::

    expr    := term (("+" | "-") term)*          law + law: free sum; law + number: shift
    term    := unary (("*" | "/") unary)*        law * law: free product; number * law: scale
    unary   := "-" unary | primary
    primary := NUMBER | NAME | NAME "(" [args] ")" | "(" expr ")" | "[" [expr ("," expr)*] "]"
    args    := arg ("," arg)*;   arg := [NAME "="] expr

``NUMBER`` is a decimal literal read exactly (``0.1`` is 1/10).  A bare ``NAME`` is a positive
symbolic parameter (``mp(c)``), unless it is one of the engine's own variables
(:data:`RESERVED`: ``G``, ``z``, ``w``, ...).  ``NAME(...)`` calls a law from the registry
(``sc``, ``mp``, ``fp``, ``atomic``, ...).  Nothing is ever handed to ``eval``, ``exec`` or
``sympify``: a character outside the grammar, a name starting with an underscore, attribute
access or a call of anything not in the registry is an
:class:`~rmtsym.errors.ExpressionSyntaxError` or :class:`~rmtsym.errors.UnknownNameError`.
Literals are limited in digits and exponent, exact numbers in size, and each free convolution by
the estimated degree of its resultant (lifted by ``Limits(allow_large=True)``, ``--allow-large``
on the command line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..core.inputs import exact
from ..core.lexer import Token
from ..core.limits import DEFAULT_LIMITS, Limits, check_number_size, convolution_estimate
from ..core.parsing import RESERVED as CORE_RESERVED
from ..core.parsing import ExpressionParser, Grammar, check_parameter_name
from ..errors import ExpressionSyntaxError, UnknownNameError
from ..laws.algebraic import AlgebraicLaw
from ..laws.catalog import atomic, free_poisson, marchenko_pastur, semicircle
from ..laws.operations import free_add, free_multiply, scale, shift
from ..models.hessian import hessian_law
from ..models.jacobian import jacobian_law_by_name
from ..models.multilayer_ck import ck_law_by_name
from ..models.nonlinear_gram import nonlinear_gram_law

__all__ = ["RESERVED", "law_names", "parse_law", "register_law"]


@dataclass(frozen=True)
class LawEntry:
    """A callable law constructor with its parameter names and a one-line description."""

    fn: Callable
    params: tuple[str, ...]
    doc: str
    required: int = 1
    lists: frozenset = frozenset()


_REGISTRY: dict[str, LawEntry] = {}


def register_law(names: tuple[str, ...], fn: Callable, params: tuple[str, ...], doc: str,
                 required: int = 1, lists: tuple[str, ...] = ()) -> None:
    """Make a law constructor callable from expressions under each of ``names``; the first
    ``required`` parameters must be given, those in ``lists`` take a list ``[a, b, ...]``."""
    for n in names:
        _REGISTRY[n] = LawEntry(fn, params, doc, required, frozenset(lists))


def law_names() -> dict[str, LawEntry]:
    """The registry of callable law names."""
    return dict(_REGISTRY)


register_law(("sc", "semicircle"), semicircle, ("variance",),
             "Wigner semicircle, R(w) = variance*w", required=0)
register_law(("mp", "marchenko_pastur"), marchenko_pastur, ("ratio", "variance"),
             "Marchenko-Pastur of X X^T/n, ratio p/n")
register_law(("fp", "free_poisson"), free_poisson, ("rate", "jump"), "free Poisson law")
register_law(("atomic",), atomic, ("points", "weights"), "finite discrete law, e.g. "
             "atomic([0,1],[1/2,1/2])", required=2, lists=("points", "weights"))


register_law(("hessian",), hessian_law, ("phi", "eps"),
             "Pennington-Bahri Hessian MP(phi) + semicircle(2 eps)", required=2)
register_law(("gram", "nonlinear_gram"), nonlinear_gram_law, ("eta", "zeta", "phi", "psi"),
             "Pennington-Worah Gram matrix Y Y^T/m, Y = f(WX)", required=4)
register_law(("jacobian",), jacobian_law_by_name,
             ("activation", "weights", "depth", "sw", "sb", "sw2"),
             "J J^T of a deep network at its fixed point, e.g. "
             "jacobian(activation=relu, weights=orthogonal, depth=8, sw2=2)", required=3)
register_law(("ck",), ck_law_by_name, ("activation", "n", "widths"),
             "Fan-Wang conjugate kernel of n Gaussian inputs through widths [d_0, d_1, ...], "
             "e.g. ck(activation=tanh, n=1, widths=[2, 2])", required=3, lists=("widths",))

#: names the engine uses for its own variables; a parameter may not take one of them
RESERVED = CORE_RESERVED | {"x"}


class _LawParser(ExpressionParser):
    grammar = Grammar("a law expression", r"[-+*/(),=\[\]]",
                      {"+": (1, False), "-": (1, False), "*": (2, False), "/": (2, False)},
                      {"-": 3, "+": 3}, lists=True, keywords=True)

    def __init__(self, text: str, limits: Limits = DEFAULT_LIMITS,
                 params: dict[str, sp.Expr] | None = None) -> None:
        super().__init__(text, limits)
        self.params = dict(params or {})
        self.cost = 0

    def number(self, tok: Token) -> sp.Expr:
        return check_number_size(sp.Rational(tok.text), "number", self.limits)

    def name(self, tok: Token):
        if tok.text in _REGISTRY:
            raise self.error(tok, f"{tok.text!r} is a law and needs arguments: {tok.text}(...)")
        if tok.text in self.params:
            return self.params[tok.text]
        if tok.text in RESERVED:
            raise self.error(tok, f"{tok.text!r} is reserved for rmtsym's own variables "
                             f"({', '.join(sorted(RESERVED))}); call the parameter otherwise")
        return sp.Symbol(tok.text, positive=True)

    def listing(self, tok: Token, items: list) -> list:
        for v in items:
            if isinstance(v, (AlgebraicLaw, list)):
                raise self.error(tok, "list items must be numbers")
        return items

    def prefix(self, tok: Token, a):
        if isinstance(a, list):
            raise self.error(tok, "lists are only allowed as arguments")
        return a if tok.text == "+" else self.binary(tok, sp.Integer(-1), a, product=True)

    def call(self, name: Token, args: list, kwargs: list):
        if name.text not in _REGISTRY:
            raise UnknownNameError("law", name.text, list(_REGISTRY))
        entry = _REGISTRY[name.text]
        given = {}
        for tok, v in kwargs:
            if tok.text not in entry.params:
                raise self.error(tok, f"{name.text}() has no parameter {tok.text!r}; "
                                 f"its parameters are {', '.join(entry.params)}")
            if tok.text in given:
                raise self.error(tok, f"{name.text}() got {tok.text!r} twice")
            given[tok.text] = v
        if len(args) > len(entry.params):
            raise self.error(name, f"{name.text}() takes at most {len(entry.params)} arguments "
                             f"({', '.join(entry.params)})")
        for k, v in zip(entry.params, args):
            if k in given:
                raise self.error(name, f"{name.text}() got {k!r} twice")
            given[k] = v
        missing = [k for k in entry.params[:entry.required] if k not in given]
        if missing:
            raise self.error(name, f"{name.text}() needs {', '.join(missing)}: "
                             f"{name.text}({', '.join(entry.params)})")
        for k, v in given.items():
            if isinstance(v, AlgebraicLaw):
                raise self.error(name, f"arguments of {name.text}() must be numbers, not laws")
            if isinstance(v, list) != (k in entry.lists):
                want = "a list such as [0, 1]" if k in entry.lists else "a number, not a list"
                raise self.error(name, f"argument {k!r} of {name.text}() must be {want}")
        return entry.fn(**given)

    def _convolve(self, op: Token, fn: Callable, a: AlgebraicLaw, b: AlgebraicLaw):
        est = convolution_estimate(a.expr, b.expr)
        self.cost += est
        lim = self.limits
        if not lim.allow_large and (est > lim.max_convolution_degree
                                    or self.cost > lim.max_convolution_total):
            raise self.error(op, f"free convolution too large: its resultant has estimated degree "
                             f"{est} (at most {lim.max_convolution_degree} allowed) and the "
                             f"expression's convolutions {self.cost} in all (at most "
                             f"{lim.max_convolution_total}); --allow-large lifts this limit")
        return fn(a, b)

    def binary(self, op: Token, a, b, product: bool = False):
        la, lb = isinstance(a, AlgebraicLaw), isinstance(b, AlgebraicLaw)
        if isinstance(a, list) or isinstance(b, list):
            raise self.error(op, "lists are only allowed as arguments")
        sym = "*" if product else op.text
        if sym == "+":
            if la and lb:
                return self._convolve(op, free_add, a, b)
            return shift(a, b) if la else shift(b, a) if lb else self._num(op, a + b)
        if sym == "-":
            if la and lb:
                return self._convolve(op, free_add, a, scale(b, -1))
            if la:
                return shift(a, -b)
            return shift(scale(b, -1), a) if lb else self._num(op, a - b)
        if sym == "*":
            if la and lb:
                return self._convolve(op, free_multiply, a, b)
            return scale(a, b) if la else scale(b, a) if lb else self._num(op, a * b)
        if lb:
            raise self.error(op, "division by a law is not defined")
        if b == 0:
            raise self.error(op, "division by zero")
        return scale(a, 1 / b) if la else self._num(op, a / b)

    def _num(self, op: Token, v: sp.Expr) -> sp.Expr:
        return check_number_size(v, f"the value at position {op.pos}", self.limits)


def parse_law(text: str, limits: Limits = DEFAULT_LIMITS,
              params: dict[str, object] | None = None) -> AlgebraicLaw:
    """Parse a law expression such as ``"mp(1/2) + sc(1)"`` into an :class:`AlgebraicLaw`.

    ``limits`` is the cost model (:mod:`rmtsym.core.limits`); ``params`` gives values to named
    parameters (``parse_law("mp(c)", params={"c": 2})``).

    Examples
    --------
    >>> parse_law("mp(1/2) + sc(1)").expr
    G**3 - G**2*z - 2*G**2 + 2*G*z - G - 2
    >>> parse_law("2*sc(1) + 3").label
    '2*sc(1) + 3'
    >>> parse_law("mp(c)", params={"c": 2}) == parse_law("mp(2)")
    True
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(repr(text)[:60], 0, "a law expression must be a string")
    values = {check_parameter_name(k): exact(v, k) for k, v in (params or {}).items()}
    value = _LawParser(text, limits, values).parse()
    if not isinstance(value, AlgebraicLaw):
        raise ExpressionSyntaxError(text, 0, "the expression is a number, not a law")
    return value
