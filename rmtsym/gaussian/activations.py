"""Activation functions: a catalogue, a whitelist parser for user-written ones, and their reduction
to Gaussian moments (Hermite coefficients, eta, zeta, mean-field maps).

Conventions (CONVENTIONS.md, "Gaussian and Hermite"): Z ~ N(0, 1), probabilists' Hermite
polynomials, normalised coefficients g_n = E[g(Z) He_n(Z)] / sqrt(n!) of g(x) = f(s x), and

    eta = E[f(s Z)^2] = sum_n g_n^2,     zeta = (s E[f'(s Z)])^2 = g_1^2 = (E[Z f(s Z)])^2,

the last equality being Stein's lemma; rmtsym computes zeta as ``(E[Z f(s Z)])^2`` so that
activations with jumps (sign, step) are covered, their derivative being a distribution.

Expression grammar (whitespace ignored)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("-" | "+") unary | power
    power := atom [("^" | "**") unary]
    atom  := NUMBER | "x" | "pi" | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"

``FUNC`` is one of a fixed list (:data:`FUNCTIONS`); any other ``NAME`` is a real parameter, unless
it is reserved (``G``, ``z``, ``w``, ...).  An exponent depending on x needs a positive constant
base.
Nothing is handed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``; the parser is the shared
iterative one of :mod:`rmtsym.core.parsing`, under the limits of :mod:`rmtsym.core.limits`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact, integer_in
from ..core.lexer import Token
from ..core.limits import DEFAULT_LIMITS, Limits, check_number_size, power_bits
from ..core.parsing import ExpressionParser, Grammar, check_parameter_name
from ..errors import ParameterError, SymbolicParameterError, UnknownNameError
from .expectations import (
    Expectation,
    X,
    breakpoints,
    gaussian_expectation,
    hermite_he,
    split_pieces,
)
from .kernels import kernel_map

__all__ = ["CATALOGUE", "FUNCTIONS", "Activation", "activation", "parse_activation"]


def _relu(t):
    return sp.Piecewise((0, t < 0), (t, True))


def _step(t):
    return sp.Piecewise((0, t < 0), (1, True))


#: the functions a user-written activation may call, with their arities
FUNCTIONS: dict[str, tuple[int, Callable]] = {
    "exp": (1, sp.exp), "log": (1, sp.log), "sqrt": (1, sp.sqrt),
    "sin": (1, sp.sin), "cos": (1, sp.cos), "tan": (1, sp.tan),
    "sinh": (1, sp.sinh), "cosh": (1, sp.cosh), "tanh": (1, sp.tanh),
    "atan": (1, sp.atan), "arctan": (1, sp.atan),
    "erf": (1, sp.erf), "erfc": (1, sp.erfc),
    "abs": (1, sp.Abs), "sign": (1, sp.sign), "step": (1, _step), "heaviside": (1, _step),
    "relu": (1, _relu), "sigmoid": (1, lambda t: 1 / (1 + sp.exp(-t))),
    "softplus": (1, lambda t: sp.log(1 + sp.exp(t))),
    "max": (2, sp.Max), "min": (2, sp.Min),
}
_CONSTANTS = {"pi": sp.pi}



class _ActivationParser(ExpressionParser):
    grammar = Grammar("an activation", r"\*\*|[-+*/^(),]",
                      {"+": (1, False), "-": (1, False), "*": (2, False), "/": (2, False),
                       "^": (4, True), "**": (4, True)}, {"-": 3, "+": 3})

    def __init__(self, text: str, params: dict[str, sp.Expr],
                 limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(text, limits)
        self.params = params

    def number(self, tok: Token) -> sp.Expr:
        return sp.Rational(tok.text)

    def name(self, tok: Token) -> sp.Expr:
        if tok.text == "x":
            return X
        if tok.text in _CONSTANTS:
            return _CONSTANTS[tok.text]
        if tok.text in FUNCTIONS:
            raise self.error(tok, f"{tok.text!r} is a function: {tok.text}(...)")
        if tok.text in self.params:
            return self.params[tok.text]
        check_parameter_name(tok.text, self.text, tok.pos)
        return sp.Symbol(tok.text, real=True)

    def call(self, tok: Token, args: list, kwargs: list) -> sp.Expr:
        if tok.text not in FUNCTIONS:
            raise UnknownNameError("function", tok.text, list(FUNCTIONS))
        arity, fn = FUNCTIONS[tok.text]
        if len(args) != arity:
            raise self.error(tok, f"{tok.text} takes {arity} argument(s), got {len(args)}")
        return self._real(tok, fn(*args))

    def prefix(self, tok: Token, a: sp.Expr) -> sp.Expr:
        return -a if tok.text == "-" else a

    def binary(self, tok: Token, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        op = tok.text
        if op == "+":
            return self._sized(tok, a + b)
        if op == "-":
            return self._sized(tok, a - b)
        if op == "*":
            return self._sized(tok, a * b)
        if op == "/":
            if b == 0:
                raise self.error(tok, "division by zero")
            return self._sized(tok, a / b)
        return self._power(tok, a, b)

    def _power(self, tok: Token, base: sp.Expr, expo: sp.Expr) -> sp.Expr:
        if expo.has(X) and not (base.is_number and base.is_positive):
            raise self.error(tok, "an exponent depending on x needs a positive constant base "
                             "(2^x, or exp(x*log(b)))")
        if expo.is_number and abs(expo) > 64:
            raise self.error(tok, "exponent larger than 64")
        bits = power_bits(base, expo)
        if bits > self.limits.max_number_bits:
            raise self.error(tok, f"the power would have about {bits} bits; at most "
                             f"{self.limits.max_number_bits} are allowed")
        if base == 0 and expo.is_number and expo.is_negative:
            raise self.error(tok, "division by zero")
        return self._real(tok, base ** expo)

    def _real(self, tok: Token, v: sp.Expr) -> sp.Expr:
        if v.is_number and (v.is_extended_real is False or v.has(sp.zoo, sp.nan, sp.oo)):
            raise self.error(tok, f"{sp.sstr(v)} is not a finite real number")
        return self._sized(tok, v)

    def _sized(self, tok: Token, v: sp.Expr) -> sp.Expr:
        return check_number_size(v, f"the value at position {tok.pos}", self.limits)


def parse_activation(text: str, **params: object) -> sp.Expr:
    """Parse a user-written activation in ``x`` into a SymPy expression.

    Parameters named in ``params`` take those values; other names are real symbols, unless they
    are reserved (:data:`rmtsym.core.parsing.RESERVED`).  The parser is the shared iterative one
    (:mod:`rmtsym.core.parsing`) under the cost model (:mod:`rmtsym.core.limits`).

    Examples
    --------
    >>> parse_activation("x*erf(x) - 0.3")
    x*erf(x) - 3/10
    >>> parse_activation("a*x^2 + b", a=2)
    b + 2*x**2
    """
    if not isinstance(text, str):
        raise ParameterError("expression", text, "a string")
    values = {check_parameter_name(k): exact(v, k) for k, v in params.items()}
    return _ActivationParser(text, values).parse()


# -- catalogue ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    build: Callable[..., sp.Expr]
    params: tuple[str, ...]
    doc: str


_LEAK = sp.Rational(1, 100)

CATALOGUE: dict[str, _Entry] = {
    "identity": _Entry(lambda: X, (), "f(x) = x"),
    "relu": _Entry(lambda: _relu(X), (), "max(x, 0)"),
    "leaky_relu": _Entry(lambda a=_LEAK: sp.Piecewise((a * X, X < 0), (X, True)),
                         ("a",), "x for x >= 0, a x otherwise (default a = 1/100)"),
    "abs": _Entry(lambda: sp.Abs(X), (), "|x|"),
    "tanh": _Entry(lambda: sp.tanh(X), (), "tanh(x)"),
    "erf": _Entry(lambda: sp.erf(X), (), "erf(x)"),
    "sigmoid": _Entry(lambda: 1 / (1 + sp.exp(-X)), (), "1/(1 + exp(-x))"),
    "softplus": _Entry(lambda: sp.log(1 + sp.exp(X)), (), "log(1 + exp(x))"),
    "gelu": _Entry(lambda: X * (1 + sp.erf(X / sp.sqrt(2))) / 2, (), "x Phi(x) (exact GELU)"),
    "silu": _Entry(lambda: X / (1 + sp.exp(-X)), (), "x sigmoid(x) (swish)"),
    "sin": _Entry(lambda: sp.sin(X), (), "sin(x)"),
    "cos": _Entry(lambda: sp.cos(X), (), "cos(x)"),
    "hard_tanh": _Entry(lambda: sp.Piecewise((-1, X < -1), (X, X <= 1), (1, True)), (),
                        "clip(x, -1, 1)"),
    "sign": _Entry(lambda: sp.sign(X), (), "sign(x)"),
    "step": _Entry(lambda: _step(X), (), "1 for x >= 0, else 0"),
    "quadratic": _Entry(lambda: X ** 2, (), "x^2"),
    "cubic": _Entry(lambda: X ** 3, (), "x^3"),
    "gaussian": _Entry(lambda: sp.exp(-X ** 2 / 2), (), "exp(-x^2/2)"),
}


@dataclass(frozen=True)
class Activation:
    """An activation function f(x) with its Gaussian reduction.

    Built by :func:`activation`.  Every method taking ``scale`` works at s = sigma_w sigma_x (a
    positive number or symbol); results are
    :class:`~rmtsym.gaussian.expectations.Expectation` objects, exact closed forms where the exact
    path applies, else mpmath values with an error estimate.

    Attributes
    ----------
    expr : sympy.Expr
        f as an expression in ``x``.
    name : str
        A label ("tanh", or the expression text).
    note : str
        What was done to the function (e.g. centring), for reports.
    """

    expr: sp.Expr
    name: str
    note: str = field(default="", compare=False)

    # -- evaluation
    @cached_property
    def _numpy(self):
        fn = sp.lambdify(X, self.expr, modules=["numpy", "scipy"])
        return fn

    def __call__(self, values):
        """f evaluated elementwise on a NumPy array."""
        self._require_numeric("evaluation")
        arr = np.asarray(values, dtype=float)
        out = self._numpy(arr)
        return np.broadcast_to(np.asarray(out, dtype=float), arr.shape).copy()

    def _require_numeric(self, what: str) -> None:
        free = self.expr.free_symbols - {X}
        if free:
            raise SymbolicParameterError(what, sorted(map(str, free)))

    # -- Gaussian reduction
    def expectation(self, g: sp.Expr, scale: object = 1, digits: int = 30) -> Expectation:
        """E[g(s Z)] for an expression ``g`` in x (the engine behind the methods below)."""
        return gaussian_expectation(g, scale, digits=digits)

    def mean(self, scale: object = 1, digits: int = 30) -> Expectation:
        """E[f(s Z)]."""
        return gaussian_expectation(self.expr, scale, digits=digits)

    def eta(self, scale: object = 1, digits: int = 30) -> Expectation:
        """eta = E[f(s Z)^2] (Benigni-Peche's theta_1).

        Examples
        --------
        >>> activation("erf").eta().value
        2*asin(2/3)/pi
        """
        return gaussian_expectation(self.expr ** 2, scale, digits=digits)

    def hermite(self, n: int, scale: object = 1, digits: int = 30) -> Expectation:
        """The normalised Hermite coefficient g_n = E[f(s Z) He_n(Z)] / sqrt(n!).

        Examples
        --------
        >>> activation("relu").hermite(2).value
        1/(2*sqrt(pi))
        """
        n = integer_in(n, "n", 0, 200)
        s = exact(scale, "scale")
        e = gaussian_expectation(self.expr * hermite_he(n, X / s), s, digits=digits)
        return _affine(e, 1 / sp.sqrt(sp.factorial(n)), 0, digits)

    def zeta(self, scale: object = 1, digits: int = 30) -> Expectation:
        """zeta = (s E[f'(s Z)])^2 = (E[Z f(s Z)])^2 (Stein's lemma; Benigni-Peche's theta_2).

        Examples
        --------
        >>> activation("relu").zeta().value
        1/4
        """
        g1 = self.hermite(1, scale, digits)
        if g1.exact:
            return Expectation(sp.simplify(g1.value ** 2), True)
        with mp.workdps(digits + 15):
            return Expectation(g1.value ** 2, False, 2 * abs(g1.value) * g1.error, digits)

    tau = zeta

    def centred(self, scale: object = 1, digits: int = 30) -> Activation:
        """f - E[f(s Z)], the centred activation the Pennington-Worah results assume.

        Examples
        --------
        >>> c = activation("relu").centred()
        >>> c.note
        'centred: subtracted E[f(sZ)] = sqrt(2)/(2*sqrt(pi)) at s = 1'
        """
        mu = self.mean(scale, digits)
        s = exact(scale, "scale")
        if mu.exact:
            shift, text = mu.value, sp.sstr(mu.value)
        else:
            shift = sp.Float(mu.value, digits)
            text = f"{sp.sstr(shift)} (numeric, {digits} digits)"
        if mu.exact and mu.value == 0:
            return Activation(self.expr, self.name, f"already centred: E[f(sZ)] = 0 at s = {s}")
        note = f"centred: subtracted E[f(sZ)] = {text} at s = {s}"
        return Activation(self.expr - shift, f"{self.name} (centred)", note)

    def derivative(self) -> sp.Expr:
        """f' where f is differentiable; a ParameterError where f jumps (f' has a delta)."""
        for p in breakpoints(self.expr):
            left = sp.limit(self.expr, X, p, "-")
            right = sp.limit(self.expr, X, p, "+")
            if sp.simplify(left - right) != 0:
                raise ParameterError("activation", self.name, "a continuous function: f jumps at "
                                     f"x = {p}, so f' has a delta and chi is infinite")
        pieces = split_pieces(self.expr)
        if len(pieces) == 1:
            return sp.diff(self.expr, X)
        return sp.Piecewise(*[(sp.diff(e, X), X < iv.end) for e, iv in pieces[:-1]],
                            (sp.diff(pieces[-1][0], X), True))

    def length_map(self, q: object, sigma_w: object = 1, sigma_b: object = 0,
                   digits: int = 30) -> Expectation:
        """The mean-field length map q -> sigma_w^2 E[f(sqrt(q) Z)^2] + sigma_b^2 (PSG eq. 4)."""
        qv, sw, sb = exact(q, "q"), exact(sigma_w, "sigma_w"), exact(sigma_b, "sigma_b")
        e = self.eta(sp.sqrt(qv), digits)
        return _affine(e, sw ** 2, sb ** 2, digits)

    def chi(self, q: object, sigma_w: object = 1, digits: int = 30) -> Expectation:
        """chi = sigma_w^2 E[f'(sqrt(q) Z)^2] (PSG eq. 5); chi = 1 is criticality.

        Examples
        --------
        >>> activation("relu").chi(1, sigma_w=sp.sqrt(2)).value
        1
        """
        qv, sw = exact(q, "q"), exact(sigma_w, "sigma_w")
        e = gaussian_expectation(self.derivative() ** 2, sp.sqrt(qv), digits=digits)
        return _affine(e, sw ** 2, 0, digits)

    def kernel_map(self, scale: object = 1, order: int = 30, digits: int = 20):
        """The dual activation K(rho) = E[f(sX) f(sY)], corr(X, Y) = rho (see
        rmtsym.gaussian.kernels)."""
        return kernel_map(self, scale, scale, order=order, digits=digits)


def _affine(e: Expectation, a, b, digits) -> Expectation:
    if e.exact:
        return Expectation(sp.simplify(a * e.value + b), True)
    with mp.workdps(digits + 15):
        av, bv = mp.mpf(sp.N(a, digits + 15)), mp.mpf(sp.N(b, digits + 15))
        return Expectation(av * e.value + bv, False, abs(av) * e.error, digits)


def activation(name_or_expression: str, **params: object) -> Activation:
    """An activation from the catalogue or from an expression in ``x``.

    Parameters
    ----------
    name_or_expression : str
        A catalogue name (:data:`CATALOGUE`) or an expression such as ``"x*erf(x) - 0.3"``.
    **params
        Parameter values (``activation("leaky_relu", a=0.1)``, ``activation("a*tanh(x)", a=2)``).

    Examples
    --------
    >>> activation("relu").expr
    Piecewise((0, x < 0), (x, True))
    >>> activation("x*erf(x) - 0.3").eta().exact
    True
    """
    if not isinstance(name_or_expression, str):
        raise ParameterError("activation", name_or_expression, "a catalogue name or an expression")
    key = name_or_expression.strip()
    if key in CATALOGUE:
        entry = CATALOGUE[key]
        unknown = set(params) - set(entry.params)
        if unknown:
            raise ParameterError(sorted(unknown)[0], params[sorted(unknown)[0]],
                                 f"one of the parameters of {key}: {entry.params or 'none'}")
        vals = {k: exact(v, k) for k, v in params.items()}
        label = key + ("(" + ", ".join(f"{k}={v}" for k, v in vals.items()) + ")" if vals else "")
        return Activation(entry.build(**vals), label)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) and key not in ("x",) and key not in params:
        raise UnknownNameError("activation", key, list(CATALOGUE))
    expr = parse_activation(key, **params)
    if not expr.has(X):
        raise ParameterError("activation", key, "an expression in x")
    _require_real(expr, key)
    return Activation(expr, key)


def _require_real(expr: sp.Expr, text: str) -> None:
    """Refuse expressions that are complex somewhere on the real line (sqrt(x), log(x), ...),
    read at a few sample points; expressions with free parameters are checked when evaluated."""
    if expr.free_symbols - {X}:
        return
    for x0 in (sp.Rational(-23, 10), sp.Rational(-7, 10), sp.Rational(2, 5), sp.Rational(19, 10)):
        val = sp.N(expr.subs(X, x0), 20)
        if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            continue  # a singular point: reported by the Gaussian integrator
        if abs(sp.im(val)) > 1e-15:
            raise ParameterError("activation", text, "a real-valued function of real x "
                                 f"(complex at x = {x0})")
