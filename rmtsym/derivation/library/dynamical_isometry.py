"""Dynamical isometry: the spectrum of the input-output Jacobian of a deep network at criticality
(Pennington, Schoenholz and Ganguli), derived from S-transforms."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.analysis.expansions import verify_expansion
from rmtsym.core.symbols import w
from rmtsym.derivation.checks import MIN_SIZE, expansion_check, spectrum_check, symbolic_check
from rmtsym.derivation.record import (
    Check,
    Derivation,
    Figure,
    Reference,
    Remark,
    Result,
    Series,
    Step,
)
from rmtsym.models.jacobian import (
    L,
    d2_atoms,
    d2_law,
    d2_moments,
    jacobian_density,
    jacobian_lambda_max,
    jacobian_law,
    jacobian_variance,
    weight_s_transform,
)
from rmtsym.models.mean_field import critical_line, critical_point
from rmtsym.sampling.samplers import jacobian_forward

from ._common import CAUCHY, MONTE_CARLO, PSG, RAO_EDELMAN, VOICULESCU

DESCRIPTION = "Jacobian spectra of deep networks: S-transform powers, variance in L, lambda_max"

SCHOENHOLZ = Reference("SGGS17", "S. S. Schoenholz, J. Gilmer, S. Ganguli and J. Sohl-Dickstein",
                       "Deep information propagation",
                       "Int. Conf. Learning Representations (ICLR)", 2017, "1611.01232")
POOLE = Reference("PLRSG16", "B. Poole, S. Lahiri, M. Raghu, J. Sohl-Dickstein and S. Ganguli",
                  "Exponential expressivity in deep neural networks through transient chaos",
                  "Advances in Neural Information Processing Systems 29 (NeurIPS)", 2016,
                  "1606.05340")

SQRT2 = sp.sqrt(2)
SIGMA2 = sp.Symbol("sigma2")
q = sp.Symbol("q", positive=True)


def _variance_rows() -> tuple[list[Check], tuple]:
    checks, rows = [], []
    expected = {("relu", "gaussian"): 2 * L, ("relu", "orthogonal"): L,
                ("identity", "gaussian"): L, ("identity", "orthogonal"): sp.Integer(0)}
    for (act, weights), want in expected.items():
        sw = SQRT2 if act == "relu" else 1
        v = jacobian_variance(act, weights, sigma_w=sw)
        checks.append(symbolic_check(f"{act}, {weights} weights, critical: variance of "
                                     "$JJ^T$", v, want, method="exact in $L$ (S-series)"))
        verdict = "no: grows like $L$" if v != 0 else "yes: exact isometry"
        rows.append((act, weights, f"${sp.latex(v)}$", verdict))
    p = d2_atoms("hard_tanh", q)[1]
    sw = 1 / sp.sqrt(p)
    for weights in ("gaussian", "orthogonal"):
        v = jacobian_variance("hard_tanh", weights, sigma_w=sw, q_star=q)
        lim = sp.limit(v / L, q, 0)
        want = L / p if weights == "gaussian" else L * (1 / p - 1)
        checks.append(symbolic_check(f"hard-tanh, {weights} weights, critical line: variance",
                                     v, want, method="exact in $L$ and $q^*$"))
        verdict = ("yes, with $q^* = O(1/\\ln L)$" if lim == 0 else
                   "no: at least $L$")
        rows.append(("hard-tanh", weights, "$L/p$" if weights == "gaussian" else "$L(1/p - 1)$",
                     verdict))
    mu1, mu2 = d2_moments("erf", q, 2)
    for weights, s1 in (("gaussian", -1), ("orthogonal", 0)):
        general = sp.simplify(L * (mu2 / mu1 ** 2 - 1 - s1))
        qv = sp.Rational(1, 4)
        sw_, sb_ = critical_point("erf", qv)
        v = jacobian_variance("erf", weights, sigma_w=sw_, sigma_b=sb_, q_star=qv)
        checks.append(symbolic_check(f"erf, {weights} weights, $q^* = 1/4$: S-series variance "
                                     "equals the general formula", v, general.subs(q, qv)))
        verdict = "yes, with $q^* = o(L^{-1/2})$" if s1 == 0 else "no: at least $L$"
        rows.append(("erf", weights, f"${sp.latex(general)}$", verdict))
    return checks, tuple(rows)


def _lambda_checks() -> tuple[list[Check], list[Step], Figure]:
    _, eq, lam = jacobian_lambda_max("identity", "gaussian")
    t = sp.Symbol("t", positive=True)
    expansion = sp.E * (1 / t + sp.Rational(1, 2) - t / 24)
    chk = verify_expansion(lam.subs(L, 1 / t), expansion, t, 0, digits=40, next_order=2)
    checks = [symbolic_check("linear, Gaussian: $\\lambda_{\\max} = (L+1)^{L+1}/L^L$", lam,
                             (L + 1) ** (L + 1) / L ** L),
              expansion_check("linear, Gaussian: $\\lambda_{\\max} = e(L + 1/2 - 1/(24L)) "
                              "+ O(1/L^2)$ (in $t = 1/L$)", chk)]
    steps = [Step("For linear Gaussian layers the edge condition $\\chi'(w) = 0$ reads",
                  sp.Eq(sp.factor(eq), 0))]
    series = []
    for weights, var in (("gaussian", 2 * L), ("orthogonal", L)):
        _, eqr, lamr = jacobian_lambda_max("relu", weights, sigma_w=SQRT2)
        steps.append(Step(f"relu, {weights} weights at $\\sigma_w^2 = 2$: $w^*$ solves",
                          sp.Eq(sp.factor(eqr), 0)))
        ratio = sp.limit(lamr / (sp.E * var), L, sp.oo)
        checks.append(symbolic_check(f"relu, {weights}: $\\lambda_{{\\max}} / (e\\sigma^2) \\to "
                                     "1$ as $L \\to \\infty$", ratio, 1, method="exact limit"))
        depths = [3, 4, 6, 8, 12, 16, 24, 32]
        series.append(Series(f"relu, {weights}", tuple(float(d) for d in depths),
                             tuple(float(sp.N(lamr.subs(L, d)) / float(sp.N(sp.E * var.subs(
                                 L, d)))) for d in depths), "points"))
    fig = Figure("lambda_max", "The right edge over $e\\sigma^2_{JJ^T}$ at criticality: it "
                 "tends to 1 as the depth grows.", "depth $L$",
                 "$\\lambda_{\\max}/(e\\sigma^2)$", tuple(series))
    return checks, steps, fig


def _density_figure() -> Figure:
    series = []
    for depth in (2, 8, 32):
        lam = float(sp.N(jacobian_lambda_max("relu", "orthogonal", depth, SQRT2)[2]))
        xs = np.geomspace(1e-3, lam, 300)
        d = jacobian_density("relu", "orthogonal", depth, SQRT2, 0, xs)
        series.append(Series(f"$L = {depth}$", tuple(np.round(xs, 10)),
                             tuple(np.round(xs * d, 10))))
    return Figure("densities", "relu with orthogonal weights at $\\sigma_w^2 = 2$: $x\\rho(x)$ "
                  "of the continuous part of $JJ^T$ (each law also has an atom of mass 1/2 at "
                  "0), computed from $S_{JJ^T}$ with $O(1)$ work per point.",
                  "$x$", "$x\\rho(x)$", tuple(series), loglog=True)


def _monte_carlo() -> list[Check]:
    law = jacobian_law("relu", "gaussian", 2, SQRT2)

    def sampler(n, rng):
        jac = jacobian_forward("relu", "gaussian", 2, float(SQRT2), 0.0, 1.0, n, rng)
        return jac @ jac.T

    checks, _, _ = spectrum_check(law, 14, "relu, Gaussian weights, $L = 2$, forward passes",
                                  n=MIN_SIZE, draws=2, moments=2, sampler=sampler)
    # the spread of a spectral moment over forward passes is dominated by the global scale set by
    # the active fractions (relative size about sqrt(L/N)), not by the 1/n of a linear
    # statistic, so the moment is judged by the spread over independent passes instead
    draws, seed = 5, 140
    rng = np.random.default_rng(seed)
    vals = [np.var(np.linalg.eigvalsh(sampler(MIN_SIZE, rng))) for _ in range(draws)]
    z = (np.mean(vals) - 4) / (np.std(vals, ddof=1) / np.sqrt(draws))
    return [checks[0], Check(
        "relu, Gaussian weights, $L = 2$: variance of the spectrum of $JJ^T$ is $2L = 4$",
        f"Monte Carlo, {draws} forward passes of width $n = {MIN_SIZE}$, seed {seed}; standard "
        "error from the spread over passes", f"${np.mean(vals):.4f}$", "$4$",
        f"$z = {z:+.2f}$ ($|z| < 4$)", bool(abs(z) < 4))]


def build() -> Derivation:
    s_w = {k: weight_s_transform(k, sp.Symbol("sigma_w", positive=True))
           for k in ("gaussian", "orthogonal")}
    s_relu = d2_law("relu", 1).s_transform()
    sw2_line, sb2_line = critical_line("erf")
    var_checks, rows = _variance_rows()
    lam_checks, lam_steps, lam_fig = _lambda_checks()
    m8 = jacobian_law("relu", "orthogonal", 8, SQRT2).moments(2)
    relu_line = critical_line("relu")
    checks = [*var_checks,
              symbolic_check("relu critical line: $\\sigma_w^2 = 2$ and $\\sigma_b^2 = 0$ "
                             "(sum of squares of the differences)",
                             (relu_line[0] - 2) ** 2 + relu_line[1] ** 2, 0),
              symbolic_check("exact law of $JJ^T$, relu orthogonal $L = 8$: variance",
                             m8[1] - m8[0] ** 2, 8, method="exact, from the degree-8 polynomial"),
              *lam_checks, *_monte_carlo()]
    S = sp.Function("S")
    return Derivation(
        name="dynamical_isometry",
        title="Dynamical isometry: Jacobian spectra of deep networks",
        summary="The singular values of the input-output Jacobian $J$ of a deep network at "
                "initialisation follow from free multiplicativity of S-transforms. rmtsym derives "
                "the exact law of $JJ^T$ for numeric depth in one step from the power of the "
                "layer S-transform, its moments and variance as closed forms in the depth $L$, "
                "the right edge and its large-$L$ behaviour, and the verdicts on dynamical "
                "isometry for each activation and weight ensemble.",
        model="$h^l = W^l x^{l-1} + b^l$, $x^l = \\phi(h^l)$, $J = \\prod_l D^l W^l$ with "
              "$D^l = \\mathrm{diag}\\,\\phi'(h^l)$; $W^l$ Gaussian of variance "
              "$\\sigma_w^2/N$ or $\\sigma_w$ times Haar orthogonal; width $N \\to \\infty$.",
        assumptions=("The layers are asymptotically free and $h^l \\sim N(0, q^*)$ at every "
                     "layer (the input sits at the fixed point of the length map), as in [1].",
                     "Criticality: $\\chi = \\sigma_w^2 E[\\phi'(h)^2] = 1$ [2, 3].",
                     "The symbol $q$ is the fixed point $q^*$; $p$ is the mass of the atom at 1 "
                     "of $D^2$ for hard-tanh."),
        conventions=(CAUCHY, MONTE_CARLO),
        steps=(Step("S-transforms of $WW^T$ (Gaussian, orthogonal), read from the laws' "
                    "S-polynomials:", (sp.Eq(S(w), s_w["gaussian"]),
                                       sp.Eq(S(w), s_w["orthogonal"]))),
               Step("For relu $D^2$ is Bernoulli(1/2) on $\\{0, 1\\}$, with", sp.Eq(S(w), s_relu)),
               Step("Free multiplicativity gives $S_{JJ^T} = (S_{WW^T} S_{D^2})^L$; the moments "
                    "follow from the series of $\\exp(L \\ln S)$, giving in general",
                    sp.Eq(SIGMA2, L * (sp.Symbol("mu_2") / sp.Symbol("mu_1") ** 2
                                       - 1 - sp.Symbol("s_1")) * sp.Symbol("m_1") ** 2)),
               Step("The erf critical line, parametrised by $q^*$:",
                    (sp.Eq(sp.Symbol("sigma_w") ** 2, sw2_line),
                     sp.Eq(sp.Symbol("sigma_b") ** 2, sb2_line))),
               *lam_steps),
        results=(Result("Variance of the Jacobian spectrum on the critical line",
                        (sp.Eq(SIGMA2, 2 * L), sp.Eq(SIGMA2, L)),
                        "relu with Gaussian and with orthogonal weights; linear: $L$ and $0$."),),
        checks=tuple(checks),
        figures=(_density_figure(), lam_fig),
        remarks=(Remark("The reference sheet recalls that orthogonal hard-tanh or erf networks "
                        "reach isometry with $q^* = O(1/L)$. The derived variances show that "
                        "this is sufficient but not necessary: for erf $\\sigma^2 = 8Lq^2 + "
                        "O(Lq^3)$ at small $q$, so $q^* = o(L^{-1/2})$ suffices, and for "
                        "hard-tanh $\\sigma^2 = L\\,\\mathrm{erfc}(1/\\sqrt{2q})/p$ is "
                        "exponentially small, so $q^* = O(1/\\ln L)$ suffices."),
                 Remark("Monte Carlo of forward passes at width $N = 1000$ carries a global "
                        "scale fluctuation of relative size about $\\sqrt{L/N}$ (the fraction "
                        "of active relu units varies from layer to layer), and the rank of $J$ "
                        "is at most the smallest number of active units over the layers; both "
                        "vanish as $N \\to \\infty$.")),
        references=(PSG, SCHOENHOLZ, POOLE, VOICULESCU, RAO_EDELMAN),
        tables=(("Dynamical isometry on the critical line",
                 ("activation", "weights", "variance of $JJ^T$", "isometry"), rows),),
    )
