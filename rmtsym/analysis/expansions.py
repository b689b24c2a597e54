"""Series and Puiseux expansions of closed forms, and their verification at high precision.

``verify_expansion`` evaluates an exact quantity (a SymPy expression, or a numeric function that
computes it with mpmath, such as the Hessian index from root-finding and quadrature) and its
truncated expansion at a geometric sequence of points approaching the expansion point, at ``digits``
significant digits.  The observed order of the error, log(e_j / e_(j+1)) / log(h_j / h_(j+1)), must
approach the first omitted order: that is the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy as sp

from ..core.inputs import exact as to_exact
from ..errors import ParameterError

__all__ = ["ExpansionCheck", "series", "verify_expansion"]


def series(expr: sp.Expr, var: sp.Symbol, point: object, order: int, direction: str = "+") -> sp.Expr:
    """Expansion of ``expr`` in ``var`` at ``point`` with terms up to (but excluding) ``order`` in
    the distance; fractional (Puiseux) powers appear when the expression has them.

    The result is in powers of the distance ``var - point`` (``point - var`` for
    ``direction="-"``), written in ``var`` itself, without an O() term.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> series(sp.sqrt(x) * (1 + x), x, 0, 3)
    x**(3/2) + sqrt(x)
    """
    if not isinstance(order, int) or order < 1:
        raise ParameterError("order", order, "a positive integer")
    if direction not in ("+", "-"):
        raise ParameterError("direction", direction, "'+' or '-'")
    h = sp.Symbol("h", positive=True)
    pt = to_exact(point, "point")
    sub = expr.subs(var, pt + h if direction == "+" else pt - h)
    ser = sp.series(sub, h, 0, order).removeO()
    dist = var - pt if direction == "+" else pt - var
    return sp.expand(ser).subs(h, dist)


@dataclass(frozen=True)
class ExpansionCheck:
    """Table of (distance, exact, expansion, error, observed order) and the verdict."""

    rows: tuple[tuple[str, str, str, str, str], ...]
    expected_order: float
    observed_order: float
    tolerance: float
    passed: bool
    digits: int

    def as_dict(self) -> dict:
        return {"rows": [list(r) for r in self.rows], "expected_order": self.expected_order,
                "observed_order": self.observed_order, "tolerance": self.tolerance,
                "passed": self.passed, "digits": self.digits}


def _evaluator(f: sp.Expr | Callable, var: sp.Symbol | None) -> Callable:
    if callable(f) and not isinstance(f, sp.Basic):
        return f
    expr = to_exact(f, "exact")
    free = expr.free_symbols - ({var} if var is not None else set())
    if free:
        raise ParameterError("exact", expr, f"an expression in {var} only (free symbols {free})")
    fn = sp.lambdify(var, expr, modules="mpmath")
    return fn


def verify_expansion(exact: sp.Expr | Callable, expansion: sp.Expr | Callable, var: sp.Symbol,
                     point: object, digits: int = 50, next_order: float | None = None,
                     direction: str = "+", h0: float = 0.05, ratio: float = 0.5,
                     points: int = 8, tolerance: float = 0.05) -> ExpansionCheck:
    """Check that ``exact - expansion`` vanishes like distance^next_order at ``point``.

    ``exact`` and ``expansion`` are SymPy expressions in ``var`` or callables taking an mpmath
    number; ``next_order`` is the first omitted order (for a SymPy series with an O() term it is
    read off the O()).  The distances are h0 * ratio^j, j = 0..points-1, approached from
    ``direction`` ('+' above the point, '-' below).  The verdict: the observed order at the two
    smallest distances is within ``tolerance`` of ``next_order``.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> chk = verify_expansion(sp.exp(x), 1 + x + x**2/2, x, 0, digits=30, next_order=3)
    >>> chk.passed, round(chk.observed_order, 2)
    (True, 3.0)
    """
    if isinstance(expansion, sp.Order) or (isinstance(expansion, sp.Basic) and expansion.has(sp.Order)):
        o = expansion.getO()
        if next_order is None and o is not None:
            next_order = float(sp.degree(o.expr.subs(var, var + point) if point else o.expr, var))
        expansion = expansion.removeO()
    if next_order is None:
        raise ParameterError("next_order", None, "the first omitted order (a number)")
    if not isinstance(digits, int) or digits < 15:
        raise ParameterError("digits", digits, "an integer >= 15")
    if direction not in ("+", "-"):
        raise ParameterError("direction", direction, "'+' or '-'")
    f_exact, f_exp = _evaluator(exact, var), _evaluator(expansion, var)
    rows, errs, hs = [], [], []
    with mpmath.workdps(digits):
        pt = mpmath.mpmathify(sp.N(to_exact(point, "point"), digits + 10))
        for j in range(points):
            h = mpmath.mpf(h0) * mpmath.mpf(ratio) ** j
            x = pt + h if direction == "+" else pt - h
            e_val, s_val = f_exact(x), f_exp(x)
            err = abs(e_val - s_val)
            hs.append(h)
            errs.append(err)
            order = (mpmath.log(errs[-2] / err) / mpmath.log(hs[-2] / h)) if j and err > 0 else None
            rows.append((mpmath.nstr(h, 8), mpmath.nstr(e_val, 20), mpmath.nstr(s_val, 20),
                         mpmath.nstr(err, 8), "" if order is None else mpmath.nstr(order, 6)))
        last = [float(mpmath.log(errs[i] / errs[i + 1]) / mpmath.log(hs[i] / hs[i + 1]))
                for i in range(len(errs) - 2, len(errs) - 1) if errs[i + 1] > 0]
    observed = last[-1] if last else float("nan")
    passed = bool(last) and abs(observed - float(next_order)) <= tolerance
    return ExpansionCheck(tuple(rows), float(next_order), observed, tolerance, passed, digits)
