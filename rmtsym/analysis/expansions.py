"""Series and Puiseux expansions of closed forms, and their verification at high precision.

``verify_expansion`` evaluates an exact quantity (a SymPy expression, or a numeric function that
computes it with mpmath, such as the Hessian index from root-finding and quadrature) and its
truncated expansion at a geometric sequence of distances h_j from the expansion point.

* **Precision floor.**  The error e_j = |exact - expansion| is computed twice, at ``digits`` and at
  a higher check precision.  Where the two disagree by more than 1% the error at ``digits`` is
  rounding noise (cancellation in the exact value, or a numeric ``exact`` not accurate enough): the
  point is *below the precision floor*, excluded from the fit and reported.
* **Order.**  The observed order is the least-squares slope of log e_j against log h_j over all
  usable points (at least three are needed); when the omitted term carries a logarithm,
  e ~ h^p |log h|^q, the errors are divided by |log h|^q first.
* **Expected order.**  ``next_order`` is the first omitted order; for a SymPy series with an O()
  term it is read off the O() (fractional powers and powers of log allowed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy as sp

from ..core.inputs import digits_argument, positive_int
from ..core.inputs import exact as to_exact
from ..core.latex import as_math, as_text
from ..errors import ParameterError

__all__ = ["ExpansionCheck", "order_of", "series", "verify_expansion"]

_AGREEMENT = mpmath.mpf("0.01")  # relative disagreement of the two precisions that marks the floor


def series(expr: sp.Expr, var: sp.Symbol, point: object, order: int,
           direction: str = "+") -> sp.Expr:
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
    order = positive_int(order, "order")
    if direction not in ("+", "-"):
        raise ParameterError("direction", direction, "'+' or '-'")
    h = sp.Symbol("h", positive=True)
    pt = to_exact(point, "point")
    sub = expr.subs(var, pt + h if direction == "+" else pt - h)
    ser = sp.series(sub, h, 0, order).removeO()
    dist = var - pt if direction == "+" else pt - var
    return sp.expand(ser).subs(h, dist)


def order_of(term: sp.Expr, var: sp.Symbol, point: object = 0) -> tuple[sp.Rational, int]:
    """(p, q) such that ``term`` ~ c h^p log(h)^q, h = |var - point|: the order of an O() term.

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> order_of(x**sp.Rational(3, 2), x), order_of(x**2 * sp.log(x), x)
    ((3/2, 0), (2, 1))
    >>> order_of((x - 1)**21, x, 1)
    (21, 0)
    """
    if isinstance(term, sp.Order):
        term = term.expr
    if not isinstance(term, sp.Basic):
        raise ParameterError("term", term, "a SymPy expression (text is never parsed)")
    h = sp.Dummy("h", positive=True)
    pt = to_exact(point, "point")
    t = sp.powsimp(sp.expand_log(term.subs(var, pt + h), force=True), force=True)
    p, q = sp.Integer(0), 0
    for factor in sp.Mul.make_args(t):
        base, e = factor.as_base_exp()
        if base == h and e.is_Rational:
            p += e
        elif isinstance(base, sp.log) and base.args[0] == h and e.is_Integer:
            q += int(e)
        elif factor.has(h):
            raise ParameterError("series", term, "an O() term of the form "
                                 f"(x - x0)^p log(x - x0)^q in {var}")
    return p, q


@dataclass(frozen=True)
class ExpansionCheck:
    """The verdict of :func:`verify_expansion` and its table.

    Attributes
    ----------
    rows : tuple of (distance, exact, expansion, error, local order) strings
        One row per distance, largest first.
    expected_order : float
        First omitted order.
    observed_order : float
        The least-squares order over the usable points.
    tolerance : float
        Allowed ``|observed - expected|``.
    passed : bool
        The verdict.
    digits : int
        The working precision; ``check_digits`` the second precision that locates the floor.
    usable : tuple of bool
        Whether each row's error stood above the precision floor (used in the fit).
    floor : float
        The largest disagreement between the two precisions (an estimate of the floor).
    log_power : int
        The power q of ``|log h|`` divided out before the fit.
    """

    rows: tuple[tuple[str, str, str, str, str], ...]
    expected_order: float
    observed_order: float
    tolerance: float
    passed: bool
    digits: int
    usable: tuple[bool, ...] = ()
    floor: float = 0.0
    check_digits: int = 0
    log_power: int = 0

    @property
    def excluded(self) -> tuple[str, ...]:
        """The distances whose error was below the precision floor."""
        return tuple(r[0] for r, ok in zip(self.rows, self.usable) if not ok)

    def _summary(self) -> tuple[str, str, str]:
        verdict = "passed" if self.passed else "failed"
        observed = "nan" if self.observed_order != self.observed_order else \
            f"{self.observed_order:.2f}"
        used = f"{sum(self.usable)} of {len(self.rows)} points above the precision floor, " \
            f"{self.digits} digits"
        return verdict, observed, used

    def __repr__(self) -> str:
        """The verdict, the observed and expected orders, and the points used.

        Examples
        --------
        >>> x = sp.Symbol("x")
        >>> verify_expansion(sp.exp(x), 1 + x + sp.O(x**2), x, 0, digits=30)
        <ExpansionCheck passed: observed order 2.00, expected 2 +/- 0.05; 8 of 8 points above \
the precision floor, 30 digits>
        """
        verdict, observed, used = self._summary()
        return (f"<ExpansionCheck {verdict}: observed order {observed}, expected "
                f"{self.expected_order:g} +/- {self.tolerance:g}; {used}>")

    def _repr_latex_(self) -> str:
        """The verdict and the orders as inline mathematics."""
        verdict, observed, used = self._summary()
        observed = r"\mathrm{NaN}" if observed == "nan" else observed
        return as_math(as_text(verdict + ": ") + rf"p_\mathrm{{observed}} = {observed},\ "
                       rf"p_\mathrm{{expected}} = {self.expected_order:g} \pm "
                       rf"{self.tolerance:g}\ " + as_text(f"({used})"))

    def as_dict(self) -> dict:
        return {"rows": [list(r) for r in self.rows], "expected_order": self.expected_order,
                "observed_order": self.observed_order, "tolerance": self.tolerance,
                "passed": self.passed, "digits": self.digits, "check_digits": self.check_digits,
                "usable": list(self.usable), "excluded": list(self.excluded),
                "floor": self.floor, "log_power": self.log_power}


def _evaluator(f: sp.Expr | Callable, var: sp.Symbol | None, name: str) -> Callable:
    if callable(f) and not isinstance(f, sp.Basic):
        return f
    expr = to_exact(f, name)
    free = expr.free_symbols - ({var} if var is not None else set())
    if free:
        raise ParameterError(name, expr, f"an expression in {var} only (free symbols {free})")
    return sp.lambdify(var, expr, modules="mpmath")


def _split_order(expansion: object, var: sp.Symbol, point: object):
    """(expansion without O(), (p, q) of its O() term or None)."""
    if isinstance(expansion, sp.Basic) and expansion.has(sp.Order):
        o = expansion.getO() if not isinstance(expansion, sp.Order) else expansion
        rest = expansion.removeO() if not isinstance(expansion, sp.Order) else sp.Integer(0)
        return rest, (order_of(o.expr, var, point) if o is not None else None)
    return expansion, None


def _errors(f_exact: Callable, f_exp: Callable, xs: list, dps: int) -> list:
    with mpmath.workdps(dps):
        out = []
        for x in xs:
            e_val, s_val = f_exact(+x), f_exp(+x)
            out.append((abs(e_val - s_val), e_val, s_val))
        return out


def _slope(hs: list, errs: list, q: int) -> float:
    """Least-squares slope of log(err / |log h|^q) against log h."""
    lx = [float(mpmath.log(h)) for h in hs]
    ly = [float(mpmath.log(e) - q * mpmath.log(abs(mpmath.log(h)))) for h, e in zip(hs, errs)]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sxx


def verify_expansion(exact: sp.Expr | Callable, expansion: sp.Expr | Callable, var: sp.Symbol,
                     point: object, digits: int = 50, next_order: float | None = None,
                     direction: str = "+", h0: float = 0.05, ratio: float = 0.5,
                     points: int = 8, tolerance: float = 0.05,
                     check_digits: int | None = None, log_power: int | None = None
                     ) -> ExpansionCheck:
    """Check that ``exact - expansion`` vanishes like distance^next_order at ``point``.

    Parameters
    ----------
    exact, expansion : SymPy expression in ``var``, or callable taking an mpmath number
        The quantity and its truncated expansion; a SymPy expansion may carry an O() term, from
        which ``next_order`` (and a power of log) is read.
    var : Symbol
        The variable.
    point : number
        The expansion point (exact or float; algebraic numbers allowed).
    digits : int
        Working precision (>= 15).
    next_order : float, optional
        The first omitted order; required when the expansion has no O() term.
    direction : {'+', '-'}
        Approach the point from above or below.
    h0, ratio, points : float, float, int
        The distances h0 * ratio^j, j = 0..points-1.
    tolerance : float
        Allowed ``|observed - expected|`` order.
    check_digits : int, optional
        The second precision that locates the floor (default digits + max(10, digits // 2)).
    log_power : int, optional
        q in ``e ~ h^p |log h|^q`` (default: read from the O() term, else 0).

    Returns
    -------
    ExpansionCheck
        ``passed`` needs at least three points above the precision floor and an observed order
        within ``tolerance`` of ``next_order``; when the expected order is read from an O() term
        (a bound on the error) an observed order above it also passes.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> chk = verify_expansion(sp.exp(x), 1 + x + x**2/2 + sp.O(x**3), x, 0, digits=30)
    >>> chk.passed, round(chk.expected_order, 2), round(chk.observed_order, 1)
    (True, 3.0, 3.0)

    A Puiseux series: the O() term's fractional order is read off.

    >>> y = sp.Symbol("y", positive=True)
    >>> chk = verify_expansion(sp.sqrt(y * (1 + y)), sp.sqrt(y) + sp.O(y**sp.Rational(3, 2)), y, 0)
    >>> chk.passed, chk.expected_order
    (True, 1.5)
    """
    digits = digits_argument(digits)
    points = positive_int(points, "points")
    if direction not in ("+", "-"):
        raise ParameterError("direction", direction, "'+' or '-'")
    if not 0 < ratio < 1:
        raise ParameterError("ratio", ratio, "a number in (0, 1)")
    if not h0 > 0:
        raise ParameterError("h0", h0, "a positive number")
    pt_exact = to_exact(point, "point")
    expansion, o_term = _split_order(expansion, var, pt_exact)
    from_o_term = next_order is None
    if next_order is None:
        if o_term is None:
            raise ParameterError("next_order", None, "the first omitted order (a number), or an "
                                 "O() term in the expansion")
        next_order = float(o_term[0])
    if log_power is None:
        log_power = o_term[1] if o_term is not None else 0
    high = digits_argument(check_digits if check_digits is not None
                           else digits + max(10, digits // 2), "check_digits", digits + 1)
    f_exact, f_exp = _evaluator(exact, var, "exact"), _evaluator(expansion, var, "expansion")
    with mpmath.workdps(high + 10):
        pt = mpmath.mpmathify(sp.N(pt_exact, high + 10))
        hs = [mpmath.mpf(h0) * mpmath.mpf(ratio) ** j for j in range(points)]
        xs = [pt + h if direction == "+" else pt - h for h in hs]
    low_vals = _errors(f_exact, f_exp, xs, digits)
    high_vals = _errors(f_exact, f_exp, xs, high)
    with mpmath.workdps(high):
        errs = [v[0] for v in high_vals]
        gaps = [abs(lo[0] - hi[0]) for lo, hi in zip(low_vals, high_vals)]
        usable = tuple(bool(e > 0 and g <= _AGREEMENT * e) for e, g in zip(errs, gaps))
        rows = []
        for j, (h, (e, e_val, s_val)) in enumerate(zip(hs, high_vals)):
            local = ""
            if j and e > 0 and errs[j - 1] > 0:
                local = mpmath.nstr(mpmath.log(errs[j - 1] / e) / mpmath.log(hs[j - 1] / h), 6)
            rows.append((mpmath.nstr(h, 8), mpmath.nstr(e_val, 20), mpmath.nstr(s_val, 20),
                         mpmath.nstr(e, 8), local))
        keep = [j for j in range(points) if usable[j]]
        observed = (_slope([hs[j] for j in keep], [errs[j] for j in keep], log_power)
                    if len(keep) >= 3 else float("nan"))
        floor = float(max(gaps)) if gaps else 0.0
    # an O() term bounds the error (SymPy writes O(y^4) for a Puiseux series whose first omitted
    # term is y^(9/2)): a higher observed order is consistent with it; an explicit next_order is
    # the first omitted order itself and is checked from both sides
    low_ok = observed >= float(next_order) - tolerance
    high_ok = from_o_term or observed <= float(next_order) + tolerance
    passed = len(keep) >= 3 and low_ok and high_ok
    return ExpansionCheck(tuple(rows), float(next_order), observed, tolerance, passed, digits,
                          usable, floor, high, log_power)
