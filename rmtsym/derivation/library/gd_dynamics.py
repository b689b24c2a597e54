"""Gradient-descent dynamics of a linear classifier on a Gaussian mixture (Liao and Couillet)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.derivation.checks import Z_TOLERANCE, digits_check, fmt, symbolic_check
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
from rmtsym.models.gd_dynamics import gd_dynamics, mp_density_expr, simulate_gd, spike

from ._common import CAUCHY, MARCHENKO_PASTUR

DESCRIPTION = "Gradient-descent dynamics (Liao-Couillet): spiked measure, errors along time"

LC18 = Reference("LC18", "Z. Liao and R. Couillet",
                 "The dynamics of learning: a random matrix approach",
                 "Proc. 35th Int. Conf. Machine Learning (ICML), PMLR 80, 3078-3087", 2018,
                 "1805.11917")
BBP = Reference("BBP05", "J. Baik, G. Ben Arous and S. P\\'ech\\'e",
                "Phase transition of the largest eigenvalue for nonnull complex sample "
                "covariance matrices", "Ann. Probab. 33, 1643-1697", 2005, "math/0403022")

HALF = sp.Rational(1, 2)
#: the parameters that reproduce the theory numbers quoted for t = 100
PARAMS = dict(c=HALF, norm_mu2=2, sigma2=sp.Rational(1, 10), alpha=sp.Rational(1, 20))
QUOTED = (0.6525, 0.4197, 0.8156, 0.1391)
SEED, N, DRAWS = 1701, 2000, 10
TIMES = (10, 100, 300)


def _ode_step() -> tuple[sp.Expr, sp.Expr]:
    """The solution of w' = -alpha (x + gamma) w + alpha b along one eigendirection, by dsolve,
    and the same written as filter times start plus (1 - filter) times the ridge solution."""
    t, al, x, ga, b, w0 = sp.symbols("t alpha x gamma b w_0", positive=True)
    w = sp.Function("w")
    sol = sp.dsolve(sp.Eq(w(t).diff(t), -al * (x + ga) * w(t) + al * b), w(t),
                    ics={w(0): w0}).rhs
    f = sp.exp(-al * (x + ga) * t)
    shown = sp.Add(f * w0, sp.Mul(1 - f, b / (x + ga), evaluate=False), evaluate=False)
    return sol, sp.Eq(w(t), shown)


def _mc(model) -> tuple[list[Check], np.ndarray]:
    sim = simulate_gd(model, N, TIMES, DRAWS, np.random.default_rng(SEED))
    theory = model.curve(np.array(TIMES, dtype=float))
    mean, se = sim.mean(0), sim.std(0, ddof=1) / np.sqrt(DRAWS)
    names = ("$\\mu^Tw$", "$\\|w\\|^2$", "$E_{\\mathrm{train}}$", "$V_{\\mathrm{train}}$")
    checks = []
    for k, (name, th) in enumerate(zip(names, theory.as_tuple())):
        z = (mean[:, k] - th) / se[:, k]
        checks.append(Check(
            f"{name} at $t = 10, 100, 300$ (discrete filter)",
            f"Monte Carlo of gradient descent, $p = {N // 2}$, $n = {N}$, {DRAWS} draws, "
            f"seed {SEED}", ", ".join(fmt(v, 4) for v in mean[:, k]),
            ", ".join(fmt(v, 4) for v in th),
            "$z = [" + ", ".join(f"{v:+.2f}" for v in z) + f"]$ ($|z| < {Z_TOLERANCE:g}$)",
            bool(np.all(np.abs(z) < Z_TOLERANCE))))
    return checks, sim


def _figures(model, sim) -> tuple[Figure, ...]:
    ts = np.linspace(0, 300, 151)
    cu = model.curve(ts)
    mean = sim.mean(0)
    err = 2 * sim.std(0, ddof=1) / np.sqrt(DRAWS)
    names = ("$\\mu^Tw$", "$\\|w\\|^2$", "$E_{\\mathrm{train}}$", "$V_{\\mathrm{train}}$")
    series = []
    for k, name in enumerate(names):
        series.append(Series(name, tuple(ts), tuple(np.round(cu.as_tuple()[k], 10))))
    for k, name in enumerate(names):
        series.append(Series(f"{name}, gradient descent", tuple(float(t) for t in TIMES),
                             tuple(np.round(mean[:, k], 8)), "errorbar",
                             tuple(np.round(err[:, k], 8))))
    fig1 = Figure("statistics", "Score statistics along gradient descent ($c = 1/2$, "
                  "$\\|\\mu\\|^2 = 2$, $\\sigma^2 = 1/10$, $\\alpha = 1/20$, $\\gamma = 0$, "
                  f"discrete filter); points: actual descent, $n = {N}$, {DRAWS} draws, two "
                  "standard errors.", "$t$", "value", tuple(series))
    rates = (Series("train, theory", tuple(ts), tuple(np.round(cu.p_train, 10))),
             Series("test, theory", tuple(ts), tuple(np.round(cu.p_test, 10))),
             Series("train, gradient descent", tuple(float(t) for t in TIMES),
                    tuple(np.round(mean[:, 4], 8)), "errorbar", tuple(np.round(err[:, 4], 8))),
             Series("test, gradient descent", tuple(float(t) for t in TIMES),
                    tuple(np.round(mean[:, 5], 8)), "errorbar", tuple(np.round(err[:, 5], 8))))
    fig2 = Figure("error_rates", "Misclassification rates $Q(E/\\sqrt{V})$ along time, same "
                  "parameters; the training error falls below the test error as the classifier "
                  "fits the sample.", "$t$", "error rate", rates)
    spikes = []
    for a in (sp.Rational(1, 2), 1, 2):
        d = gd_dynamics(HALF, a, sp.Rational(1, 10), sp.Rational(1, 20))
        label = (f"$\\|\\mu\\|^2 = {sp.latex(a)}$"
                 + (" (no spike)" if a**2 <= HALF else ""))
        spikes.append(Series(label, tuple(ts), tuple(np.round(d.curve(ts).p_test, 10))))
    fig3 = Figure("spike_effect", "Test error along time for three class-mean strengths at "
                  "$c = 1/2$: below $\\|\\mu\\|^2 = \\sqrt{c}$ the measure $\\mu$ has no atom "
                  "and the isolated eigenvalue that carries the class information is absent.",
                  "$t$", "test error rate", tuple(spikes))
    return fig1, fig2, fig3


def build() -> Derivation:
    c, a = sp.Symbol("c", positive=True), sp.Symbol("a", positive=True)
    x = sp.Symbol("x", positive=True)
    lam_s, thr = spike()
    ode, ode_shown = _ode_step()
    model = gd_dynamics(**PARAMS)
    disc = gd_dynamics(**PARAMS, filter="discrete")
    hp = model.at(100, digits=30)
    cu = model.curve(np.array([100.0]))
    dens = mp_density_expr(c)
    lam_sym = sp.Symbol("\\lambda_s")
    radical = sp.sqrt(4 * c * x - (x + c - 1) ** 2)
    dens_shown = radical / (2 * sp.pi * c * x)
    mu_bulk = c * x / (lam_s - x) * dens.subs(sp.Symbol("x", positive=True), x)
    mu_shown = radical / (2 * sp.pi * (lam_sym - x))
    checks = [
        symbolic_check("the flow solved by dsolve", ode, ode_shown.rhs, lhs_label="dsolve",
                       rhs_label="shown"),
        symbolic_check("density of $\\nu$", dens.subs(sp.Symbol("x", positive=True), x),
                       dens_shown, lhs_label="derived", rhs_label="shown"),
        symbolic_check("bulk density of $\\mu$", mu_bulk, mu_shown.subs(lam_sym, lam_s),
                       lhs_label="derived", rhs_label="shown"),
        symbolic_check("isolated eigenvalue", lam_s, 1 + a + c + c / a),
        symbolic_check("threshold of the spike", thr, sp.sqrt(c)),
    ]
    names = ("$\\mu^Tw$", "$\\|w\\|^2$", "$E_{\\mathrm{train}}$", "$V_{\\mathrm{train}}$")
    for name, val, quoted in zip(names, hp.as_tuple(), QUOTED):
        checks.append(Check(f"{name} at $t = 100$ against the quoted theory value",
                            "30-digit quadrature, rounded to 4 decimals", fmt(val, 6),
                            f"{quoted}", f"difference {fmt(abs(float(val) - quoted), 2)} "
                            "(rounding: below $5 \\cdot 10^{-5}$)",
                            abs(float(val) - quoted) < 5e-5))
    for name, a_, b_ in zip(names, hp.as_tuple(), cu.as_tuple()):
        checks.append(digits_check(f"{name} at $t = 100$: tanh-sinh against Gauss-Chebyshev",
                                   a_, float(b_[0]), "Gauss-Chebyshev with 400 nodes", 12,
                                   label="30-digit value"))
    big = gd_dynamics(HALF, 2, 0, 1).curve(np.array([1e7]))
    checks.append(Check("$E_{\\mathrm{train}}/E_{\\mathrm{test}} = (\\|\\mu\\|^2 + c)/"
                        "\\|\\mu\\|^2$ at late times", "Gauss-Chebyshev", fmt(
                            big.e_train[0] / big.e_test[0], 12), "1.25",
                        "relative difference below $10^{-12}$",
                        abs(big.e_train[0] / big.e_test[0] - 1.25) < 1e-12))
    mc, sim = _mc(disc)
    checks += mc
    hd = disc.at(100, digits=15)
    t = sp.Symbol("t", positive=True)
    al, ga = sp.Symbol("alpha", positive=True), sp.Symbol("gamma", positive=True)
    f_t = sp.exp(-al * (x + ga) * t)
    mu_f, nu_f = sp.Function("\\mu")(x), sp.Function("\\nu")(x)
    e_test = sp.Integral((1 - f_t) / (x + ga) * mu_f, x)
    sig2 = sp.Symbol("sigma", positive=True) ** 2
    v_test = (a + c) / a * sp.Integral((1 - f_t) ** 2 / (x + ga) ** 2 * mu_f, x) + sig2 * \
        sp.Integral(f_t**2 * nu_f, x)
    return Derivation(
        name="gd_dynamics",
        title="The dynamics of learning: gradient descent on a Gaussian mixture",
        summary="A linear classifier trained by gradient descent on the squared loss acts on "
                "the spectrum of the sample covariance through the filter "
                "$f_t(x) = e^{-\\alpha x t}$. The mean and variance of its scores along time are "
                "integrals against the Marchenko-Pastur law and against a spiked measure whose "
                "atom sits at the isolated eigenvalue carrying the class means. rmtsym derives "
                "the filter, the isolated eigenvalue and its threshold from the engine's laws, "
                "evaluates the integrals at high precision and along time, and checks them "
                "against actual gradient descent.",
        model="$X = \\mu y^T + Z \\in \\mathbb{R}^{p \\times n}$, labels $y_i = \\pm 1$ "
              "balanced, $Z$ with i.i.d. $N(0, 1)$ entries, $c = p/n$, $C = XX^T/n$; "
              "$w(0) \\sim N(0, \\sigma^2 I_p/p)$, "
              "$w \\leftarrow w - \\alpha((C + \\gamma I)w - Xy/n)$.",
        assumptions=("$n, p \\to \\infty$ with $p/n = c$; $\\|\\mu\\|$ fixed.",
                     "The continuous-time filter $e^{-\\alpha x t}$ is the small-step limit; "
                     "the Monte Carlo compares actual descent with the discrete filter "
                     "$(1 - \\alpha x)^t$, which is exact for the iteration."),
        conventions=(CAUCHY, "$E_{\\mathrm{test}} = \\lim \\mu^Tw$, "
                     "$V_{\\mathrm{test}} = \\lim \\|w\\|^2$, $E_{\\mathrm{train}} = \\lim "
                     "y^TX^Tw/n$, $V_{\\mathrm{train}}$ the variance of the training scores "
                     "$y_i x_i^Tw$; $Q$ is the standard normal tail.",
                     "Monte Carlo checks run actual gradient descent at $n \\ge 2000$ with a "
                     "seeded generator (seed printed) and judge the means by $|z| < 4$."),
        steps=(
            Step("Along an eigenvector of $C$ with eigenvalue $x$, the flow "
                 "$\\dot w = -\\alpha((x+\\gamma)w - b)$ solves to", ode_shown),
            Step("The covariance of a sample is $I + \\mu\\mu^T$: a population spike "
                 "$\\ell = 1 + \\|\\mu\\|^2$. The $n \\times n$ Gram matrix has the "
                 "Marchenko-Pastur law of ratio $1/c$ and variance $c$, whose Stieltjes "
                 "polynomial is linear in $z$; its inverse $z(m)$ at $m = -1/\\ell$ is the "
                 "isolated eigenvalue ($a = \\|\\mu\\|^2$)",
                 sp.Eq(sp.Symbol("\\lambda_s"), lam_s)),
            Step("It leaves the bulk where $z'(m)$ vanishes, at", sp.Eq(a, thr)),
            Step("The density of the Marchenko-Pastur law $\\nu$, from its quadratic "
                 "$AG^2 + BG + 1$ as $\\sqrt{4A - B^2}/(2\\pi|A|)$:",
                 sp.Eq(sp.Function("\\rho_\\nu")(x), dens_shown)),
            Step("The spiked measure has the bulk density $c x \\rho_\\nu(x)/(\\lambda_s - x)$ "
                 "and an atom of mass $(a^2 - c)^+/a$ at $\\lambda_s$; the bulk density is",
                 sp.Eq(sp.Function("\\rho_\\mu")(x), mu_shown)),
            Step("The test score mean ($f_t$ at $x + \\gamma$) is the limit of $\\mu^Tw(t)$:",
                 sp.Eq(sp.Symbol("E_{\\mathrm{test}}"), e_test)),
            Step("and its variance the limit of $\\|w(t)\\|^2$:",
                 sp.Eq(sp.Symbol("V_{\\mathrm{test}}"), v_test)),
        ),
        results=(
            Result("Isolated eigenvalue", sp.Eq(sp.Symbol("\\lambda_s"), lam_s),
                   "present for $\\|\\mu\\|^2 > \\sqrt{c}$."),
            Result("Training mean", sp.Eq(sp.Symbol("E_{\\mathrm{train}}"),
                                          (a + c) / a * sp.Symbol("E_{\\mathrm{test}}")), ""),
            Result("Values at t = 100", sp.Tuple(*[sp.Float(v, 10) for v in hp.as_tuple()]),
                   "$(E_{\\mathrm{test}}, V_{\\mathrm{test}}, E_{\\mathrm{train}}, "
                   "V_{\\mathrm{train}})$ at $c = 1/2$, $\\|\\mu\\|^2 = 2$, "
                   "$\\sigma^2 = 1/10$, $\\alpha = 1/20$, $\\gamma = 0$."),
        ),
        tables=(("Statistics at $t = 100$: continuous filter (the quoted theory), discrete "
                 "filter (exact for the iteration), and the quoted values",
                 ("filter", "$\\mu^Tw$", "$\\|w\\|^2$", "$E_{\\mathrm{train}}$",
                  "$V_{\\mathrm{train}}$"),
                 (("continuous",) + tuple(sp.Float(v, 6) for v in hp.as_tuple()),
                  ("discrete",) + tuple(sp.Float(v, 6) for v in hd.as_tuple()),
                  ("quoted",) + tuple(sp.Float(v, 4) for v in QUOTED))),),
        checks=tuple(checks),
        figures=_figures(disc, sim),
        remarks=(Remark("The quoted theory values at $t = 100$ are reproduced with $c = 1/2$, "
                        "$\\|\\mu\\|^2 = 2$, $\\sigma^2 = 1/10$, $\\alpha = 1/20$, $\\gamma = 0$ "
                        "(so $\\alpha t = 5$) and the continuous-time filter. The source quotes "
                        "the numbers without all of its parameters: $\\alpha t$ and $\\sigma^2$ "
                        "were solved for from the first two numbers at $c = 1/2$, "
                        "$\\|\\mu\\|^2 = 2$ (the ratio of the third to the first fixes "
                        "$c/\\|\\mu\\|^2 = 1/4$), and the last two then agree to the printed "
                        "digits.", "$V_{\\mathrm{train}}$ at $t = 100$ against the quoted theory "
                        "value"),),
        references=(LC18, BBP, MARCHENKO_PASTUR))
