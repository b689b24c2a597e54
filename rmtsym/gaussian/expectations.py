"""Gaussian expectations E[g(s Z)], Z ~ N(0, 1): exact where a closed form is derivable, else
mpmath.

The exact path is a small integrator of its own, not ``sympy.integrate`` on arbitrary input (which
can hang).  After writing ``u = s x`` the integrand is ``g(u)`` against the centred normal density
of
variance ``v = s^2``.  ``g`` is split into pieces on intervals (``Abs``, ``sign``, ``Heaviside``,
``Max``, ``Min`` and ``Piecewise`` become pieces), each piece is expanded into terms, and a term is
integrated in closed form when it is

* ``u^k`` on any interval (the incomplete Gaussian moments, a two-term recursion ending in ``erf``);
* ``u^k exp(c u^2 + b u)`` on the whole line, ``b`` possibly complex (so ``sin``/``cos`` of linear
  arguments, rewritten as exponentials, are included): the moments of a shifted normal;
* ``u^k exp(c u^2) erf(l1 u) [erf(l2 u)]`` on the whole line: Stein's lemma reduces the power of
  ``u``, the base cases are ``E[Z erf(lZ)] = 2l/sqrt(pi (1 + 2 l^2))`` and the arcsine law
  ``E[erf(aZ) erf(bZ)] = (2/pi) asin(2ab / sqrt((1 + 2a^2)(1 + 2b^2)))`` (each itself a Gaussian
  integral derived by differentiating under the integral in the erf parameter).

Anything else (``tanh``, ``log(1 + exp(u))``, ...) goes to mpmath quadrature on the pieces at the
requested number of digits, with the quadrature's own error estimate reported.  An integrand that
does not decay against the Gaussian is refused with a :class:`~rmtsym.errors.ParameterError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import sympy as sp
from sympy.calculus.util import singularities

from ..core.inputs import exact as _exact_value
from ..core.inputs import integer_in as _integer_in
from ..core.latex import as_math, to_latex
from ..errors import ParameterError, RmtsymError
from ..numeric.precision import to_sympy

__all__ = ["Expectation", "X", "gaussian_expectation", "hermite_he", "split_pieces"]

#: the variable of activation functions and of Gaussian integrands
X = sp.Symbol("x", real=True)
_U = sp.Dummy("u", real=True)


@dataclass(frozen=True)
class Expectation:
    """A Gaussian expectation: an exact SymPy value, or an mpmath value with its error estimate.

    Attributes
    ----------
    value : sympy.Expr or mpmath.mpf
        The value.
    exact : bool
        True when ``value`` is a closed form derived by the exact path.
    error : mpmath.mpf
        The quadrature's error estimate (0 for an exact value).
    digits : int
        The working precision of a numeric value (0 for an exact value).
    """

    value: object
    exact: bool
    error: object = 0
    digits: int = 0

    def __float__(self) -> float:
        return float(sp.N(self.value, 17)) if self.exact else float(self.value)

    def sympy(self) -> sp.Expr:
        """The value as a SymPy number that keeps its precision: the exact value, or a SymPy
        Float of ``digits`` digits (independent of mpmath's global precision).  ``sp.N(e, 30)``
        and ``sp.sympify(e)`` use it."""
        return self.value if self.exact else to_sympy(self.value, self.digits)

    def _sympy_(self) -> sp.Expr:
        return self.sympy()

    def __repr__(self) -> str:
        """The exact value, or the numeric value at its precision with the error estimate.

        Examples
        --------
        >>> gaussian_expectation(X**4)
        <Expectation exact: 3>
        >>> gaussian_expectation(sp.tanh(X)**2, digits=20)
        <Expectation 0.39429449039784117442 (20 digits, error estimate 8.0e-38)>
        """
        if self.exact:
            return f"<Expectation exact: {sp.sstr(self.value)}>"
        err = f", error estimate {sp.sstr(to_sympy(self.error, 2))}" if self.error else ""
        return f"<Expectation {sp.sstr(self.sympy())} ({self.digits} digits{err})>"

    def _repr_latex_(self) -> str:
        """The value (with its error estimate when numeric) as inline mathematics."""
        tex = to_latex(self.sympy())
        if not self.exact and self.error:
            tex += r" \pm " + to_latex(to_sympy(self.error, 2))
        return as_math(tex)

    def mp(self, digits: int = 30):
        """The value as an mpmath number at ``digits`` digits."""
        with mp.workdps(digits + 5):
            if self.exact:
                return mp.mpf(sp.N(self.value, digits + 5)) if self.value.is_real is not False \
                    else mp.mpmathify(complex(sp.N(self.value, digits + 5)))
            return +self.value


class _NotExact(Exception):
    """Internal: the exact path does not apply to this term."""


def hermite_he(n: int, var: sp.Expr = X) -> sp.Expr:
    """The probabilists' Hermite polynomial He_n (He_0 = 1, He_1 = x, He_2 = x^2 - 1).

    Examples
    --------
    >>> hermite_he(3)
    x**3 - 3*x
    """
    return sp.expand(sp.hermite_prob(n, var))


# -- pieces -----------------------------------------------------------------------------------

def _to_piecewise(expr: sp.Expr) -> sp.Expr:
    e = expr.replace(sp.Heaviside, lambda a, *rest: sp.Piecewise((0, a < 0), (1, True)))
    e = e.rewrite(sp.Piecewise) if e.has(sp.Abs, sp.sign, sp.Max, sp.Min) else e
    return sp.piecewise_fold(e)


def split_pieces(expr: sp.Expr, var: sp.Symbol = X) -> list[tuple[sp.Expr, sp.Interval]]:
    """Write ``expr`` as pieces on intervals of the real line (the values on a null set dropped).

    Examples
    --------
    >>> split_pieces(sp.Abs(X))
    [(-x, Interval.open(-oo, 0)), (x, Interval(0, oo))]
    """
    e = _to_piecewise(expr)
    if not e.has(sp.Piecewise):
        return [(e, sp.Interval(-sp.oo, sp.oo))]
    if not isinstance(e, sp.Piecewise):
        raise _NotExact
    if e.free_symbols - {var} and any(c.free_symbols - {var} for _, c in e.args):
        raise _NotExact
    pairs = e.as_expr_set_pairs()
    out = []
    for piece, dom in pairs:
        for iv in (dom.args if isinstance(dom, sp.Union) else (dom,)):
            if isinstance(iv, sp.Interval) and iv.measure != 0:
                out.append((piece, iv))
            elif not (isinstance(iv, sp.FiniteSet) or iv.is_empty or iv.measure == 0):
                raise _NotExact
    return sorted(out, key=lambda pair: float(pair[1].start) if pair[1].start.is_number else 0.0)


def breakpoints(expr: sp.Expr, var: sp.Symbol = X) -> list:
    """Finite interval ends of the pieces of ``expr`` (numbers), sorted."""
    try:
        pieces = split_pieces(expr, var)
    except (_NotExact, TypeError, ValueError, NotImplementedError):
        return []
    pts = set()
    for _, iv in pieces:
        for end in (iv.start, iv.end):
            if end.is_finite and end.is_number:
                pts.add(end)
    return sorted(pts, key=lambda t: float(t))


# -- exact term integrals ---------------------------------------------------------------------

def _double_factorial(n: int) -> int:
    return int(sp.factorial2(n)) if n > 0 else 1


def _normal_moment(k: int, mean: sp.Expr, var: sp.Expr) -> sp.Expr:
    """E[Y^k] for Y ~ N(mean, var)."""
    return sp.Add(*[sp.binomial(k, j) * mean ** (k - j) * var ** sp.Rational(j, 2)
                    * _double_factorial(j - 1) for j in range(0, k + 1, 2)])


def _std_normal_cdf(t: sp.Expr) -> sp.Expr:
    if t is sp.oo:
        return sp.Integer(1)
    if t is sp.S.NegativeInfinity:
        return sp.Integer(0)
    return (1 + sp.erf(t / sp.sqrt(2))) / 2


def _interval_moment(k: int, a: sp.Expr, b: sp.Expr, v: sp.Expr) -> sp.Expr:
    """int_a^b u^k N(0, v)(du) by the recursion I_k = v [-u^(k-1) phi_v]_a^b + (k-1) v I_(k-2)."""
    s = sp.sqrt(v)

    def dens(t):
        if t.is_infinite:
            return sp.Integer(0)
        return sp.exp(-t ** 2 / (2 * v)) / (s * sp.sqrt(2 * sp.pi))

    def bound_term(t, j):
        return sp.Integer(0) if t.is_infinite else t ** j * dens(t)

    if k == 0:
        return _std_normal_cdf(b / s if b.is_finite else b) - _std_normal_cdf(
            a / s if a.is_finite else a)
    if k == 1:
        return v * (dens(a) - dens(b))
    return v * (bound_term(a, k - 1) - bound_term(b, k - 1)) + (k - 1) * v * _interval_moment(
        k - 2, a, b, v)


def _gauss_exp_moment(m: int, c: sp.Expr) -> sp.Expr:
    """E[Z^m exp(-c Z^2)], c > -1/2."""
    if m % 2:
        return sp.Integer(0)
    return _double_factorial(m - 1) * (1 + 2 * c) ** (-sp.Rational(m + 1, 2))


def _erf_moment(k: int, lams: tuple) -> sp.Expr:
    """E[Z^k prod_i erf(l_i Z)] for at most two erf factors (Stein's lemma recursion)."""
    if (k + len(lams)) % 2:
        return sp.Integer(0)
    if not lams:
        return sp.Integer(_double_factorial(k - 1))
    if len(lams) == 1:
        (l1,) = lams
        if k == 1:
            return 2 * l1 / sp.sqrt(sp.pi * (1 + 2 * l1 ** 2))
        return (k - 1) * _erf_moment(k - 2, lams) + 2 * l1 / sp.sqrt(sp.pi) * _gauss_exp_moment(
            k - 1, l1 ** 2)
    if len(lams) == 2:
        l1, l2 = lams
        if k == 0:
            return 2 / sp.pi * sp.asin(2 * l1 * l2 / sp.sqrt((1 + 2 * l1 ** 2) * (1 + 2 * l2 ** 2)))
        total = (k - 1) * _erf_moment(k - 2, lams)
        for la, lb in ((l1, l2), (l2, l1)):
            c = la ** 2  # E[Z^(k-1) exp(-c Z^2) erf(lb Z)] by rescaling Z -> Z / sqrt(1 + 2c)
            r = sp.sqrt(1 + 2 * c)
            total += 2 * la / sp.sqrt(sp.pi) * r ** (-k) * _erf_moment(k - 1, (lb / r,))
        return total
    raise _NotExact


def _split_term(term: sp.Expr, var: sp.Symbol):
    """term = coeff * var^k * exp(poly) * prod erf(l var); raise _NotExact otherwise."""
    coeff, k, exponent, lams = sp.Integer(1), 0, sp.Integer(0), []
    for f in sp.Mul.make_args(term):
        if not f.has(var):
            coeff *= f
            continue
        base, p = f.as_base_exp()
        if base == var and p.is_Integer and p >= 0:
            k += int(p)
        elif isinstance(f, sp.exp):
            exponent += f.args[0]
        elif isinstance(base, sp.exp) and not p.has(var):
            exponent += base.args[0] * p
        elif isinstance(base, sp.erf) and p.is_Integer and p > 0:
            arg = sp.expand(base.args[0])
            lam = arg.coeff(var)
            if sp.expand(arg - lam * var) != 0 or lam.has(var):
                raise _NotExact
            lams.extend([lam] * int(p))
        else:
            raise _NotExact
    try:
        poly = sp.Poly(sp.expand(exponent), var) if exponent.has(var) else None
    except sp.PolynomialError:  # an exponent that is not a polynomial in x: no closed form
        raise _NotExact from None
    if poly is not None and (poly.degree() > 2):
        raise _NotExact
    cq = poly.coeff_monomial(var ** 2) if poly else sp.Integer(0)
    cb = poly.coeff_monomial(var) if poly else sp.Integer(0)
    c0 = poly.coeff_monomial(1) if poly else exponent
    return coeff * sp.exp(c0), k, cq, cb, tuple(lams)


def _decays(a: sp.Expr) -> bool:
    pos = a.is_positive
    if pos is None:
        re_a = sp.re(a)
        pos = re_a.is_positive
    if pos is None:
        raise _NotExact
    return bool(pos)


def _term_expectation(term: sp.Expr, iv: sp.Interval, v: sp.Expr, var: sp.Symbol) -> sp.Expr:
    coeff, k, cq, cb, lams = _split_term(term, var)
    full = iv.start is sp.S.NegativeInfinity and iv.end is sp.oo
    a = 1 / (2 * v) - cq  # exp(-a u^2 + cb u) after combining with the weight
    if (iv.start.is_infinite or iv.end.is_infinite) and not _decays(a):
        raise ParameterError("f", term, "a function integrable against the Gaussian weight "
                             "(this term grows at least like exp(u^2/(2 s^2)))")
    if cq == 0 and cb == 0 and not lams:
        return coeff * _interval_moment(k, iv.start, iv.end, v)
    if not full:
        raise _NotExact
    norm = 1 / sp.sqrt(2 * a * v)  # ratio of Gaussian normalisations
    if not lams:
        mean, var_ = cb / (2 * a), 1 / (2 * a)
        return coeff * norm * sp.exp(cb ** 2 / (4 * a)) * _normal_moment(k, mean, var_)
    if cb != 0:
        raise _NotExact
    r = sp.sqrt(2 * a)  # u = Z / r
    return coeff * norm * r ** (-k) * _erf_moment(k, tuple(lam / r for lam in lams))


def _prepare(expr: sp.Expr) -> sp.Expr:
    e = expr
    if e.has(sp.sin, sp.cos):
        e = e.rewrite(sp.exp)
    if e.has(sp.erfc):
        e = e.replace(sp.erfc, lambda t: 1 - sp.erf(t))
    return e


def _exact(expr: sp.Expr, v: sp.Expr, var: sp.Symbol) -> sp.Expr:
    total = sp.Integer(0)
    for piece, iv in split_pieces(_prepare(expr), var):
        for term in sp.Add.make_args(sp.expand(piece, power_base=False, log=False)):
            total += _term_expectation(term, iv, v, var)
    return _tidy(total)


def _tidy(value: sp.Expr) -> sp.Expr:
    if sp.count_ops(value) > 400:
        return sp.expand(value)
    out = sp.simplify(sp.expand_complex(value) if value.has(sp.I) else value)
    if out.has(sp.I):
        out = sp.simplify(sp.re(out)) if sp.simplify(sp.im(out)) == 0 else out
    return out


# -- numeric path -----------------------------------------------------------------------------

def _check_decay(fn, s, dps: int) -> None:
    """Refuse integrands that do not decay against the Gaussian (e.g. exp(x^2))."""
    with mp.workdps(dps):
        for side in (1, -1):
            vals = []
            for t in (8, 16, 32):
                try:
                    val = abs(fn(side * t * s)) * mp.exp(-mp.mpf(t) ** 2 / 2)
                except (OverflowError, ValueError, ZeroDivisionError):
                    val = mp.inf
                vals.append(val)
            if not all(mp.isfinite(q) for q in vals) or vals[2] > mp.mpf(10) ** (-dps) * (
                    1 + vals[0]) or vals[2] > vals[1]:
                raise ParameterError("f", "integrand", "a function integrable against the "
                                     "Gaussian weight; it does not decay (grows like exp(c x^2), "
                                     "c >= 1/2?)")


@lru_cache(maxsize=512)
def _numeric(expr: sp.Expr, s: sp.Expr, var: sp.Symbol, digits: int):
    fn = sp.lambdify(var, _to_piecewise(expr), modules="mpmath")
    dps = digits + 15
    with mp.workdps(dps):
        sm = mp.mpf(sp.N(s, dps))
        _check_decay(fn, sm, dps)
        pts = [mp.mpf(sp.N(p, dps)) / sm for p in breakpoints(expr, var)]
        pts = sorted(set(pts + [mp.mpf(0)]))
        nodes = [-mp.inf] + pts + [mp.inf]

        def integrand(t):
            try:
                v = fn(sm * t)
            except (ZeroDivisionError, OverflowError, ValueError):
                raise ParameterError("f", expr, "a function finite at every real point in "
                                     f"{dps}-digit arithmetic (it is not at x = "
                                     f"{mp.nstr(sm * t, 6)})") from None
            if isinstance(v, mp.mpc):
                if abs(v.imag) > mp.mpf(10) ** (-dps // 2) * (1 + abs(v.real)):
                    raise ParameterError("f", expr, "a real-valued function on the real line "
                                         f"(complex at x = {mp.nstr(sm * t, 6)})")
                v = v.real
            return v * mp.exp(-t * t / 2)

        val, err = mp.quad(integrand, nodes, error=True, maxdegree=10)
        norm = 1 / mp.sqrt(2 * mp.pi)
        val, err = val * norm, err * norm
        if not (mp.isfinite(val) and mp.isfinite(err)):
            raise ParameterError("f", expr, "a function integrable against the Gaussian weight")
        if isinstance(val, mp.mpc):
            val = val.real
        return +val, +err


def gaussian_expectation(expr: sp.Expr, scale: object = 1, *, digits: int = 30,
                         exact: bool = True, var: sp.Symbol = X) -> Expectation:
    """E[g(s Z)] for Z ~ N(0, 1), with g an expression in ``var``.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand g(x) (built by :func:`rmtsym.activation` or directly in SymPy).
    scale : number or positive SymPy symbol
        s > 0 (the pre-activation standard deviation sigma_w sigma_x).
    digits : int
        Precision of the numeric fallback.
    exact : bool
        Try the exact path first (default); ``False`` forces quadrature (used to cross-check).

    Returns
    -------
    Expectation

    Examples
    --------
    >>> gaussian_expectation(sp.Max(X, 0) ** 2).value
    1/2
    >>> gaussian_expectation(sp.erf(X) ** 2).value
    2*asin(2/3)/pi
    >>> r = gaussian_expectation(sp.tanh(X) ** 2, digits=20)
    >>> r.exact, mp.nstr(r.value, 12)
    (False, '0.394294490398')
    """

    s = _exact_value(scale, "scale")
    if s.is_positive is False or (s.is_number and not s > 0):
        raise ParameterError("scale", scale, "a positive number (s = sigma_w sigma_x > 0)")
    digits = _integer_in(digits, "digits", 5, 1000)
    if not isinstance(expr, sp.Basic):
        raise ParameterError("expr", expr, "a SymPy expression in x (parse text with "
                             "rmtsym.activation)")
    g = expr
    extra = g.free_symbols - {var}
    if exact:
        if sp.expand(g.subs(var, -var) + g) == 0:
            return Expectation(sp.Integer(0), True)  # odd integrand
        try:
            return Expectation(_exact(g.subs(var, _U), s ** 2, _U), True)
        except (_NotExact, NotImplementedError, TypeError):
            pass
        except ParameterError as exc:
            raise ParameterError("f", g, exc.allowed) from None
        except (ValueError, RecursionError, RmtsymError):
            pass
    if extra or not s.is_number:
        raise ParameterError("expr", g, "an expression with a closed-form Gaussian expectation "
                             f"when it has free symbols {sorted(map(str, extra | s.free_symbols))}"
                             "; substitute numbers for a numeric value")
    bad = _real_singularities(g, var)
    if bad is not None:
        raise ParameterError("f", g, "a function without singularities on the real line "
                             f"(singular at x in {bad}); quadrature needs a bounded integrand")
    val, err = _numeric(g, s, var, digits)
    return Expectation(val, False, err, digits)


def _real_singularities(expr: sp.Expr, var: sp.Symbol):
    """The real singular points of ``expr`` where SymPy can tell them (None if none found)."""

    try:
        found = singularities(expr, var, sp.S.Reals)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None
    return None if found is sp.S.EmptySet else found
