"""Mean-field signal propagation in a deep network at initialisation (Poole et al.; Schoenholz et
al.; Pennington-Schoenholz-Ganguli eqs. 4-5).

With h^l = W^l x^(l-1) + b^l, x^l = phi(h^l), weights of variance sigma_w^2 / N and biases of
variance sigma_b^2, the pre-activation variance follows the length map

    q -> V(q) = sigma_w^2 E[phi(sqrt(q) Z)^2] + sigma_b^2,

its fixed point is q*, and chi = sigma_w^2 E[phi'(sqrt(q*) Z)^2] is the mean squared singular
value of one layer's Jacobian D W.  Criticality is chi = 1.  Parametrised by q*, the critical line
is explicit: sigma_w^2 = 1 / E[phi'(sqrt(q*) Z)^2], sigma_b^2 = q* - sigma_w^2 E[phi(sqrt(q*) Z)^2]
(a point of the line exists where sigma_b^2 >= 0).  Every expectation comes from
:mod:`rmtsym.gaussian.expectations`: exact where a closed form exists, else mpmath.

Depth scales (Schoenholz et al. 2017): the length converges to q* like exp(-l / xi_q) with
xi_q = -1 / log V'(q*); correlations converge like exp(-l / xi_c), xi_c = -1 / log chi in the
ordered phase chi < 1; xi_c is infinite on the critical line.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
import sympy as sp

from ..core.inputs import digits_argument, exact, nonnegative, positive
from ..errors import ParameterError
from ..gaussian.activations import Activation, activation
from ..gaussian.expectations import Expectation, X, gaussian_expectation

__all__ = [
    "MeanField",
    "as_activation",
    "chi_of_q",
    "critical_line",
    "critical_point",
    "length_map",
    "mean_field",
    "slope_of_length_map",
]

#: the variance variable of the length map
Q = sp.Symbol("q", positive=True)


def as_activation(act: object) -> Activation:
    """An :class:`Activation` from a catalogue name, an expression, or an Activation."""
    if isinstance(act, Activation):
        return act
    if isinstance(act, str):
        return activation(act)
    raise ParameterError("activation", act, "a catalogue name, an expression in x or an Activation")


def _expect(expr: sp.Expr, q: object, digits: int) -> Expectation:
    return gaussian_expectation(expr, sp.sqrt(q), digits=digits)


def _value(e: Expectation):
    return e.value


def length_map(act: object, sigma_w: object = 1, sigma_b: object = 0, q: object = Q,
               digits: int = 30):
    """V(q) = sigma_w^2 E[phi(sqrt(q) Z)^2] + sigma_b^2: exact (in the symbol q by default) where
    the Gaussian expectation has a closed form, else an mpmath number at numeric q.

    Examples
    --------
    >>> length_map("relu", sp.sqrt(2), sp.Rational(1, 10))
    q + 1/100
    >>> length_map("erf")
    2*asin(2*q/(2*q + 1))/pi
    """
    a = as_activation(act)
    sw, sb = exact(sigma_w, "sigma_w"), exact(sigma_b, "sigma_b")
    e = _expect(a.expr ** 2, q, digits)
    if e.exact:
        return sp.simplify(sw ** 2 * e.value + sb ** 2)
    with mp.workdps(digits + 10):
        return mp.mpf(sp.N(sw ** 2, digits + 10)) * e.value + mp.mpf(sp.N(sb ** 2, digits + 10))


def _dphi2(a: Activation) -> sp.Expr:
    return a.derivative() ** 2


def chi_of_q(act: object, sigma_w: object = 1, q: object = Q, power: int = 1, digits: int = 30):
    """sigma_w^(2 power) E[phi'(sqrt(q) Z)^(2 power)]; ``power=1`` is chi (PSG eq. 5) and
    ``E[phi'^(2k)]`` is the k-th moment mu_k of the layer law D^2 (take sigma_w = 1).

    Examples
    --------
    >>> chi_of_q("erf")
    4/(pi*sqrt(4*q + 1))
    >>> chi_of_q("hard_tanh")
    erf(sqrt(2)/(2*sqrt(q)))
    """
    a = as_activation(act)
    sw = exact(sigma_w, "sigma_w")
    e = _expect(_dphi2(a) ** power, q, digits)
    if e.exact:
        return sp.simplify(sw ** (2 * power) * e.value)
    with mp.workdps(digits + 10):
        return mp.mpf(sp.N(sw ** (2 * power), digits + 10)) * e.value


@dataclass(frozen=True)
class MeanField:
    """The mean-field state of a deep network at (sigma_w, sigma_b).

    Attributes
    ----------
    activation : str
        The activation's label.
    sigma_w : sympy.Expr
        Weight scale.
    sigma_b : sympy.Expr
        Bias scale.
    q_star : sympy.Expr or mpmath.mpf
        The stable fixed point of the length map (``sympy.oo`` when the length diverges, ``None``
        when every q is a fixed point, as for relu at (sqrt 2, 0)).
    chi : sympy.Expr or mpmath.mpf
        sigma_w^2 E[phi'(sqrt(q*) Z)^2] (the limit at q* = oo when the length diverges).
    slope : sympy.Expr or mpmath.mpf or None
        V'(q*), the slope of the length map at its fixed point.
    exact : bool
        Whether q*, chi and the slope are closed forms.
    """

    activation: str
    sigma_w: sp.Expr
    sigma_b: sp.Expr
    q_star: object
    chi: object
    slope: object
    exact: bool

    @property
    def critical(self) -> bool:
        """Whether chi = 1 at a finite fixed point (exactly for exact values, to 20 digits
        otherwise)."""
        if self.q_star == sp.oo or self.chi is None:
            return False
        if self.exact:
            return sp.simplify(self.chi - 1) == 0
        return abs(self.chi - 1) < mp.mpf(10) ** -20

    @property
    def xi_q(self):
        """The length depth scale -1 / log V'(q*) (``oo`` when V'(q*) = 1)."""
        return _depth(self.slope, self.exact)

    @property
    def xi_c(self):
        """The correlation depth scale -1 / log chi in the ordered phase (``oo`` at chi = 1;
        ``None`` in the chaotic phase chi > 1, where the correlation map has a fixed point c* < 1
        that this object does not compute)."""
        return _depth(self.chi, self.exact)


def _depth(slope, is_exact: bool):
    if slope is None:
        return None
    if is_exact:
        if sp.simplify(slope - 1) == 0:
            return sp.oo
        if bool(slope > 1):
            return None
        return sp.simplify(-1 / sp.log(slope))
    if slope >= 1:
        return None if slope > 1 else mp.inf
    return -1 / mp.log(slope)


def _fixed_point_exact(V: sp.Expr) -> tuple[bool, object]:
    """(found, q*) for a length map V(q) rational in q: q* is ``None`` when every q is a fixed
    point, ``oo`` when the length diverges, else the smallest attracting fixed point >= 0."""
    if sp.simplify(V - Q) == 0:
        return True, None
    if not V.is_rational_function(Q):
        return False, None
    t = sp.Dummy("t")
    sols = [s for s in sp.solve(sp.Eq(V.subs(Q, t), t), t) if s.is_number and s.is_real and s >= 0]
    if not sols:
        return True, sp.oo
    stable = [s for s in sols if abs(sp.diff(V, Q).subs(Q, s)) <= 1]
    return True, min(stable or sols)


def _fixed_point_numeric(fn, digits: int):
    """The attracting fixed point of the length map from q_0 = 1: a few iterations, then
    findroot at full precision (``mp.inf`` when the length diverges)."""
    with mp.workdps(digits + 10):
        q = mp.mpf(1)
        for _ in range(60):
            nq = fn(q)
            if nq > mp.mpf(10) ** 12:
                return mp.inf
            done = abs(nq - q) < mp.mpf(10) ** (-6) * (1 + q)
            q = nq
            if done:
                break
        return mp.findroot(lambda t: fn(t) - t, q)


def slope_of_length_map(act: object, sigma_w: object, q: object, digits: int = 30):
    """V'(q) = sigma_w^2 E[(Z^2 - 1) phi(sqrt(q) Z)^2] / (2 q), from d/dq E f(sqrt(q) Z) by
    Gaussian integration by parts (no derivative of phi is needed).

    Examples
    --------
    >>> slope_of_length_map("relu", 1, sp.Rational(1, 3))
    1/2
    """
    a = as_activation(act)
    sw, qv = exact(sigma_w, "sigma_w"), positive(q, "q")
    e = _expect((X ** 2 / qv - 1) * a.expr ** 2, qv, digits)
    if e.exact:
        return sp.simplify(sw ** 2 * e.value / (2 * qv))
    with mp.workdps(digits + 10):
        return mp.mpf(sp.N(sw ** 2 / (2 * qv), digits + 10)) * e.value


def mean_field(act: object, sigma_w: object, sigma_b: object = 0, digits: int = 30) -> MeanField:
    """q*, chi and the depth scales of a deep network with the given activation and scales.

    Parameters
    ----------
    act : str or Activation
        A catalogue name (``"relu"``, ``"erf"``, ``"hard_tanh"``, ``"tanh"``, ...) or an
        expression in x.
    sigma_w : number
        Weight scale (> 0); the weights have variance sigma_w^2 / N.
    sigma_b : number
        Bias scale (>= 0).
    digits : int
        Precision of the numeric path.

    Examples
    --------
    >>> mf = mean_field("relu", sp.sqrt(2), 0)
    >>> mf.q_star is None, mf.chi, mf.critical
    (True, 1, True)
    >>> mf = mean_field("relu", 1, sp.Rational(1, 10))
    >>> mf.q_star, mf.chi, mf.xi_q
    (1/50, 1/2, 1/log(2))
    """
    a = as_activation(act)
    sw, sb = positive(sigma_w, "sigma_w"), nonnegative(sigma_b, "sigma_b")
    digits = digits_argument(digits, minimum=10)
    try:
        V = length_map(a, sw, sb, Q, digits)
        chi_q = chi_of_q(a, sw, Q, 1, digits)
    except ParameterError:
        V = chi_q = None
    if V is not None:
        ok, qs = _fixed_point_exact(V)
        if ok:
            return _exact_state(a, sw, sb, V, chi_q, qs)
    return _numeric_state(a, sw, sb, V, digits)


def _exact_state(a, sw, sb, V, chi_q, qs) -> MeanField:
    if qs is None:
        chi = chi_q if not chi_q.has(Q) else None
        return MeanField(a.name, sw, sb, None, chi, sp.Integer(1), True)
    if qs == sp.oo:
        chi = sp.limit(chi_q, Q, sp.oo)
        return MeanField(a.name, sw, sb, sp.oo, chi, None, True)
    slope = sp.simplify(sp.diff(V, Q).subs(Q, qs))
    return MeanField(a.name, sw, sb, qs, sp.simplify(chi_q.subs(Q, qs)), slope, True)


def _numeric_state(a, sw, sb, V, digits) -> MeanField:
    with mp.workdps(digits + 10):
        if a.expr.subs(X, 0) == 0 and sb == 0:
            slope0 = _chi_at_zero(a, sw)
            if slope0 <= 1:  # q = 0 is a fixed point and attracts (V(q) < q for q > 0)
                return MeanField(a.name, sw, sb, sp.Integer(0), slope0, slope0, True)
        if isinstance(V, sp.Expr):
            fn = sp.lambdify(Q, V, "mpmath")
        else:
            def fn(t):
                return length_map(a, sw, sb, t, digits)
        qs = _fixed_point_numeric(fn, digits)
        if qs == mp.inf:
            raise ParameterError("sigma_w", sw, f"a scale with a finite fixed point of the length "
                                 f"map for {a.name} (the length diverges)")
        qv = exact(qs, "q_star")
        chi = chi_of_q(a, sw, qv, 1, digits)
        slope = slope_of_length_map(a, sw, qv, digits)
        return MeanField(a.name, sw, sb, qs, _mpf(chi, digits), _mpf(slope, digits), False)


def _mpf(v, digits: int):
    return mp.mpf(sp.N(v, digits + 10)) if isinstance(v, sp.Expr) else v


def _chi_at_zero(a: Activation, sw: sp.Expr) -> sp.Expr:
    return sw ** 2 * sp.limit(_dphi2(a), X, 0)


def critical_line(act: object, q: object = Q, digits: int = 30):
    """The critical line chi = 1 parametrised by the fixed point q*:
    (sigma_w^2, sigma_b^2) = (1 / E[phi'(sqrt(q) Z)^2], q - sigma_w^2 E[phi(sqrt(q) Z)^2]).

    Exact in the symbol q where the expectations are; a point of the line exists for the q with
    sigma_b^2 >= 0.

    Examples
    --------
    >>> critical_line("relu")
    (2, 0)
    >>> sw2, sb2 = critical_line("erf")
    >>> sw2
    pi*sqrt(4*q + 1)/4
    """
    a = as_activation(act)
    mu1 = chi_of_q(a, 1, q, 1, digits)
    if isinstance(mu1, sp.Expr):
        sw2 = sp.simplify(1 / mu1)
        return sw2, sp.simplify(q - length_map(a, sp.sqrt(sw2), 0, q, digits))
    with mp.workdps(digits + 10):
        sw2 = 1 / mu1
        return sw2, mp.mpf(sp.N(q, digits + 10)) - length_map(a, 1, 0, q, digits) * sw2


def critical_point(act: object, q_star: object, digits: int = 30) -> tuple[sp.Expr, sp.Expr]:
    """(sigma_w, sigma_b) on the critical line with fixed point q* (exact where possible).

    Raises :class:`ParameterError` when the line has no point with this q* (sigma_b^2 < 0).

    Examples
    --------
    >>> critical_point("relu", 1)
    (sqrt(2), 0)
    >>> critical_point("identity", 1)
    (1, 0)
    """
    a = as_activation(act)
    qv = positive(q_star, "q_star")
    sw2, sb2 = critical_line(a, qv, digits)
    if isinstance(sw2, sp.Expr):
        if sp.N(sb2, digits) < -sp.Float(10) ** (-digits + 5):
            raise ParameterError("q_star", qv, f"a q* with a critical point of {a.name} "
                                 f"(sigma_b^2 = {sp.N(sb2, 6)} < 0)")
        return sp.sqrt(sw2), sp.sqrt(sb2)
    if sb2 < -mp.mpf(10) ** (-digits + 5):
        raise ParameterError("q_star", qv, f"a q* with a critical point of {a.name} "
                             f"(sigma_b^2 = {mp.nstr(sb2, 6)} < 0)")
    with mp.workdps(digits + 10):
        return exact(mp.sqrt(sw2), "sigma_w"), exact(mp.sqrt(max(sb2, 0)), "sigma_b")
