"""One gradient step on the first layer of a two-layer network (Ba et al. 2022): the spike it puts
into the weights, the step size at which a singular value separates, where it goes, and how well
the top singular vector aligns with the teacher direction.

Model.  f(x) = a^T sigma(W x) / sqrt(N), W (N x d) with i.i.d. N(0, 1/d) entries, a_i = +-1 fixed;
n samples x_k ~ N(0, I_d) with labels y_k = sigma_*(<x_k, beta_*>) + noise (|beta_*| = 1, noise
variance s_eps^2); squared loss (1/2n) sum_k (y_k - f(x_k))^2 with the initial prediction left out
of the residual (f_0 = 0); one step W_1 = W_0 + eta G_0 with G_0 the negative gradient:

    G_0 = (1 / (n sqrt N)) sum_k y_k (a o sigma'(W_0 x_k)) x_k^T.

Derivation.  Split sigma'(W_0 x_k) = mu_1 1 + (sigma'(W_0 x_k) - mu_1), mu_1 = E sigma'(Z) =
E[Z sigma(Z)] (Stein).  The first part gives the rank-one matrix (mu_1 / sqrt N) a v^T with
v = X^T y / n; the second is an N x n matrix of centred entries times an n x d one, divided by
n sqrt(N): operator norm O(1/sqrt N).  By the law of large numbers and the Hermite expansion of
sigma_*, v = mu_1* beta_* + xi with mu_1* = E[Z sigma_*(Z)] and xi asymptotically orthogonal to
beta_*, in a direction independent of W_0, with |xi|^2 -> tr Cov(x y) / n -> (d/n) E y^2 (the
trace of E[y^2 x x^T] is d E y^2 to leading order).  Hence

    W_1 = W_0 + theta u v^T / |v|,   theta = eta mu_1 |v|,   u = a / sqrt(N),
    |v|^2 = mu_1*^2 + (d/n) E y^2,

a rectangular rank-one spike (:mod:`rmtsym.numeric.rectangular_spikes`) on W_0, whose W_0 W_0^T
has the Marchenko-Pastur law of ratio c = N/d.  A singular value separates iff theta > c^(1/4),
i.e. eta > eta_c = c^(1/4) / (mu_1 |v|); W_1 W_1^T then has the outlier (1 + theta^2)(c +
theta^2) / theta^2; the top right singular vector has squared overlap R with v / |v| (the right
overlap) and, since the rest of it is a random direction, squared overlap R mu_1*^2 / |v|^2 with
the teacher direction beta_*.  Regimes: eta = O(1) gives this BBP transition; for eta of order
sqrt(N) the spike dominates (R -> 1, the alignment tends to the ceiling mu_1*^2 / |v|^2 set by the
finite sample), while the remainder eta O(1/sqrt N) of G_0 is no longer negligible in the bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath as mp
import numpy as np
import sympy as sp

from ..core.inputs import exact, nonnegative, positive
from ..core.latex import as_math, as_text, brief, brief_latex, to_latex
from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.activations import activation as make_activation
from ..laws.catalog import marchenko_pastur
from ..numeric.rectangular_spikes import RectangularSpike, law_rectangular_spike

__all__ = ["OneStepSpike", "one_step_spike"]


@dataclass(frozen=True)
class OneStepSpike:
    """The spike of one gradient step: ``mu1`` (student), ``mu1_teacher``, ``label_power``
    (E y^2), ``v_norm2`` (the squared norm of X^T y / n in the limit), ``eta_threshold``, the
    step ``eta``, ``theta = eta mu1 sqrt(v_norm2)``, the rectangular spike on the
    Marchenko-Pastur bulk of W_0 W_0^T
    (``spike``: outlier, left and right overlaps), and the squared alignment of the top right
    singular vector with the teacher direction."""

    student: str
    teacher: str
    width_ratio: sp.Expr
    sample_ratio: sp.Expr
    noise: sp.Expr
    mu1: sp.Expr
    mu1_teacher: sp.Expr
    label_power: sp.Expr
    v_norm2: sp.Expr
    eta_threshold: sp.Expr
    eta: Any
    theta: Any
    spike: RectangularSpike
    teacher_alignment: Any

    @property
    def alignment_ceiling(self) -> sp.Expr:
        """The alignment with the teacher as eta grows (the right overlap tends to 1):
        ``mu1_teacher**2 / v_norm2``."""
        return sp.simplify(self.mu1_teacher**2 / self.v_norm2)

    def __repr__(self) -> str:
        """Student, teacher, the ratios, eta_c, eta and the spike's outcome.

        Examples
        --------
        >>> one_step_spike("relu", "relu", 2, sp.Rational(1, 2), 6)
        <OneStepSpike relu -> relu, N/d = 2, d/n = 1/2: eta_c = 2*2**(3/4); eta = 6: outlier \
143/18, teacher alignment 73/198>
        """
        head = (f"<OneStepSpike {self.student} -> {self.teacher}, N/d = "
                f"{sp.sstr(self.width_ratio)}, d/n = {sp.sstr(self.sample_ratio)}: eta_c = "
                f"{brief(self.eta_threshold)}; ")
        if isinstance(self.eta, np.ndarray):
            flags = np.asarray(self.spike.separated, dtype=bool)
            return head + f"eta: {self.eta.size} values, {int(flags.sum())} separated>"
        return (head + f"eta = {sp.sstr(self.eta)}: outlier {brief(self.spike.outlier)}, "
                f"teacher alignment {brief(self.teacher_alignment)}>")

    def _repr_latex_(self) -> str:
        """eta_c, and at a scalar eta the outlier and the alignment, as display mathematics."""
        head = (as_text(f"one step, {self.student} on {self.teacher}: ")
                + rf"N/d = {to_latex(self.width_ratio)},\ d/n = {to_latex(self.sample_ratio)},"
                rf"\ \eta_c = {brief_latex(self.eta_threshold)}")
        if isinstance(self.eta, np.ndarray):
            return as_math(head + r"\quad " + as_text(f"({self.eta.size} values of eta)"),
                           display=True)
        return as_math(head + rf",\quad \eta = {to_latex(self.eta)}:\ \lambda_\mathrm{{out}} "
                       rf"= {brief_latex(self.spike.outlier)},\ A = "
                       rf"{brief_latex(self.teacher_alignment)}", display=True)

    def as_dict(self) -> dict:
        """JSON-able: exact values as text, arrays as lists."""
        def conv(v):
            if isinstance(v, np.ndarray):
                return v.tolist()
            return str(v) if isinstance(v, sp.Basic) else v
        keys = ("student", "teacher", "width_ratio", "sample_ratio", "noise", "mu1",
                "mu1_teacher", "label_power", "v_norm2", "eta_threshold", "eta", "theta",
                "teacher_alignment")
        return {**{k: conv(getattr(self, k)) for k in keys},
                "alignment_ceiling": str(self.alignment_ceiling),
                **{f"spike_{k}": v for k, v in self.spike.as_dict().items()}}


def _value(e: Any, digits: int) -> sp.Expr:
    """An Expectation's exact value, or the rational of its ``digits`` significant digits."""
    if e.exact:
        return sp.nsimplify(e.value) if e.value.is_Float else sp.simplify(e.value)
    with mp.workdps(digits + 10):
        return sp.Rational(mp.nstr(mp.mpf(e.value), digits, min_fixed=-mp.inf,
                                   max_fixed=mp.inf))


def _act(f: Any, name: str) -> Activation:
    if isinstance(f, Activation):
        return f
    if not isinstance(f, str):
        raise ParameterError(name, f, "an Activation or a catalogue name / expression")
    return make_activation(f)


def one_step_spike(student: Any, teacher: Any, width_ratio: Any, sample_ratio: Any, eta: Any,
                   noise: Any = 0, digits: int = 30) -> OneStepSpike:
    """The first-layer spike after one gradient step (see the module docstring).

    Parameters
    ----------
    student, teacher : Activation or str
        sigma and sigma_*.
    width_ratio : exact number
        N / d (hidden width over input dimension).
    sample_ratio : exact number
        d / n (input dimension over number of samples).
    eta : exact number or array of floats
        The step size (exact: exact outlier and overlaps where they are algebraic).
    noise : exact number
        The label noise variance.
    digits : int
        Significant digits kept for Gaussian moments without a closed form.

    Examples
    --------
    >>> import sympy as sp
    >>> r = one_step_spike("relu", "relu", sp.Rational(3, 2), sp.Rational(1, 2), 8)
    >>> r.mu1, r.mu1_teacher, r.v_norm2                      # 1/4 + (1/2)(1/2)
    (1/2, 1/2, 1/2)
    >>> r.theta**2, r.spike.outlier                          # (1 + t^2)(c + t^2) / t^2
    (8, 171/16)
    >>> r.teacher_alignment, r.alignment_ceiling             # R mu1*^2 / v_norm2, its limit
    (125/288, 1/2)
    """
    s, t = _act(student, "student"), _act(teacher, "teacher")
    c = positive(width_ratio, "width_ratio")
    q = positive(sample_ratio, "sample_ratio")
    s2 = nonnegative(noise, "noise")
    if any(v.free_symbols for v in (c, q, s2)):
        raise ParameterError("width_ratio, sample_ratio, noise", (width_ratio, sample_ratio,
                                                                  noise), "numbers")
    mu1 = _value(s.hermite(1, 1, digits), digits)
    mu1t = _value(t.hermite(1, 1, digits), digits)
    power = _value(t.eta(1, digits), digits) + s2
    v2 = sp.nsimplify(mu1t**2 + q * power)
    if mu1 == 0:
        raise ParameterError("student", s.name, "an activation with E[Z sigma(Z)] != 0 (with "
                             "mu_1 = 0 the first step has no rank-one part)")
    law = marchenko_pastur(c)
    per_eta = abs(mu1) * sp.sqrt(v2)
    th_c = sp.radsimp(c ** sp.Rational(1, 4) / per_eta)
    if isinstance(eta, (np.ndarray, list, tuple)):
        etas = np.asarray(eta, dtype=float)
        theta = np.abs(etas) * float(per_eta)
        res = law_rectangular_spike(law, theta, c)
        align = res.right_overlap * float(mu1t**2 / v2)
        return OneStepSpike(s.name, t.name, c, q, s2, mu1, mu1t, power, v2, th_c, etas, theta,
                            res, align)
    e = exact(eta, "eta")
    theta = sp.radsimp(abs(e) * per_eta)
    res = law_rectangular_spike(law, theta, c)
    align = sp.radsimp(sp.simplify(res.right_overlap * mu1t**2 / v2))
    return OneStepSpike(s.name, t.name, c, q, s2, mu1, mu1t, power, v2, th_c, e, theta, res,
                        align)
