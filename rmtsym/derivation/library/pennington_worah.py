"""Pennington-Worah: conjugate-kernel spectrum of Y = f(WX) for tanh and relu, derived from the
P-equation."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp
from scipy.integrate import quad

from rmtsym.core.polynomials import canonical
from rmtsym.core.symbols import G, parameter, z
from rmtsym.derivation.checks import (
    MIN_SIZE,
    density_figure,
    fmt,
    spectrum_check,
    symbolic_check,
)
from rmtsym.derivation.record import Check, Collected, Derivation, Result, Series, Step, to_latex
from rmtsym.gaussian.activations import activation
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.models.nonlinear_gram import (
    gram_moments_from_p,
    gram_polynomial,
    linear_network_polynomial,
    nonlinear_gram_law,
    training_loss,
)

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, PW

DESCRIPTION = "Pennington-Worah Gram spectrum: quartic from the P-equation, limits, tanh and relu"


def coefficient_lines(P) -> tuple:
    """P = sum_k c_k G^k as one factored equation c_k = ... per coefficient."""
    deg = sp.Poly(P, G).degree()
    return tuple(sp.Eq(sp.Symbol(f"c_{k}"), sp.factor(P.coeff(G, k))) for k in range(deg, -1, -1))


def loss_by_quadrature(law, gamma: float, ratio: float) -> float:
    """1 - r + r int gamma^2/(x + gamma)^2 rho(x) dx: the training loss from the density (the
    spectrum of Y^T Y / m is that of M plus m - n_1 zeros; r = n_1/m = phi/psi < 1)."""
    total = 0.0
    for a, b in law.support():
        lo, hi = float(sp.N(a)), float(sp.N(b))
        f = lambda x: gamma**2 / (x + gamma) ** 2 * float(law.density(np.array([x]))[0])
        total += quad(f, lo, hi, limit=200, epsabs=1e-13, epsrel=1e-12)[0]
    return 1 - ratio + ratio * total


def p_equation_display() -> sp.Expr:
    eta, zeta = parameter("eta"), parameter("zeta")
    p, t, pf, ps = sp.symbols("P t P_phi P_psi")
    q = pf * ps * t
    return sp.Eq(p, 1 + (eta - zeta) * q + q * zeta / (1 - q * zeta))


def refined_histogram(pooled: np.ndarray, first: Series, share: float = 0.03) -> Series:
    """The histogram of ``first`` (Freedman-Diaconis bins) with every bin that holds more than
    ``share`` of the eigenvalues split in four, three times: the peak near 0 is resolved."""
    edges = np.asarray(first.x, dtype=float)
    for _ in range(3):
        counts, _ = np.histogram(pooled, bins=edges)
        new = [edges[0]]
        for i, cnt in enumerate(counts):
            if cnt > share * len(pooled):
                new += list(np.linspace(edges[i], edges[i + 1], 5)[1:])
            else:
                new.append(edges[i + 1])
        edges = np.array(new)
    counts, _ = np.histogram(pooled, bins=edges)
    heights = counts / (len(pooled) * np.diff(edges))
    return Series(first.label, tuple(np.round(edges, 10)), tuple(np.round(heights, 10)),
                  "histogram")


def centring(name: str) -> str:
    """The centring cell of the table: what was subtracted."""
    mean = activation(name).mean()
    if mean.exact and mean.value == 0:
        return "none ($E f(Z) = 0$)"
    value = to_latex(mean.value) if mean.exact else mp.nstr(mean.value, 12)
    return f"subtracted $E f(Z) = {value}$"


def build() -> Derivation:
    eta, zeta, phi, psi = (parameter(n) for n in ("eta", "zeta", "phi", "psi"))
    P = gram_polynomial()
    mp_limit = nonlinear_gram_law(eta, 0, phi, psi).expr
    lin = nonlinear_gram_law(zeta, zeta, phi, psi).expr
    moments = nonlinear_gram_law(eta, zeta, phi, psi).moments(3)
    from_p = gram_moments_from_p(3)
    checks = [symbolic_check("$\\zeta = 0$ is MP with ratio $\\phi/\\psi$, variance $\\eta$",
                             mp_limit, marchenko_pastur(phi / psi, eta).expr)]
    q = sp.Rational
    p_, s_, z_ = q(1, 2), q(3, 4), q(3, 5)
    expected = linear_network_polynomial(z_, p_, s_)
    checks.append(symbolic_check("$\\eta = \\zeta$ is the linear network MP($\\phi$) "
                                 "$\\boxtimes$ MP($\\psi$) at $\\phi = 1/2$, $\\psi = 3/4$, "
                                 "$\\zeta = 3/5$",
                                 canonical(lin.subs({zeta: z_, phi: p_, psi: s_}), (G, z)),
                                 canonical(expected, (G, z))))
    for i in range(3):
        checks.append(symbolic_check(f"$m_{i + 1}$ from the quartic equals the one from the "
                                     "series of the P-equation", moments[i], from_p[i]))
    checks.append(symbolic_check("$m_2 = \\eta^2 (1 + \\phi/\\psi) + \\zeta^2/\\psi$",
                                 moments[1], eta**2 * (1 + phi / psi) + zeta**2 / psi))
    figs, rows = [], []
    for name, seed in (("tanh", 31), ("relu", 32)):
        act = activation(name).centred()
        law = nonlinear_gram_law(activation=act, phi=q(1, 2), psi=1)
        e, zz = act.eta(), act.zeta()
        rows.append((f"$\\mathrm{{{name}}}$", centring(name),
                     e.value if e.exact else sp.Float(mp.nstr(e.value, 15), 15),
                     zz.value if zz.exact else sp.Float(mp.nstr(zz.value, 15), 15)))
        mc, series, pooled = spectrum_check(law, seed,
                                            f"centred {name}, $\\phi = 1/2$, $\\psi = 1$")
        series = (refined_histogram(pooled, series[0]), *series[1:])
        checks += mc
        figs.append(density_figure(name, law, series, "Spectrum of $M = YY^T/m$, $Y = f(WX)$, "
                                   f"$f$ = centred {name}, $\\phi = 1/2$, $\\psi = 1$: theory "
                                   f"over three draws with $n_0 = n_1 = {MIN_SIZE}$, "
                                   f"$m = {2 * MIN_SIZE}$ (seed {seed}; Freedman-Diaconis "
                                   "bins, each bin holding more than 3% of the eigenvalues "
                                   "split in four, to resolve the peak near 0)."))
    tl = nonlinear_gram_law(activation="tanh", phi=q(1, 2), psi=q(3, 4))
    gammas = (0.05, 0.2, 1.0)
    vals = training_loss(np.array(gammas), tl, q(1, 2), q(3, 4))
    quads = np.array([loss_by_quadrature(tl, g, 2 / 3) for g in gammas])
    diff = float(np.max(np.abs(vals - quads)))
    checks.append(Check("ridge training loss, tanh, $\\phi = 1/2$, $\\psi = 3/4$, "
                        "$\\gamma = 0.05, 0.2, 1$",
                        "$G'(-\\gamma)$ from $P$ against quadrature of $\\rho$",
                        ", ".join(fmt(v, 6) for v in vals), ", ".join(fmt(v, 6) for v in quads),
                        f"largest difference {fmt(diff, 2)} (need below $10^{{-8}}$)",
                        diff < 1e-8))
    gam = sp.Symbol("gamma", positive=True)
    return Derivation(
        name="pennington_worah",
        title="Nonlinear random matrix theory: the conjugate-kernel spectrum",
        summary="For $Y = f(WX)$ the limiting spectrum of $M = YY^T/m$ depends on $f$ only "
                "through $\\eta = E f(sZ)^2$ and $\\zeta = (s E f'(sZ))^2$ [1]. rmtsym derives "
                "the quartic for $G$ from the P-equation, its limits $\\zeta = 0$ and "
                "$\\eta = \\zeta$, the moments and the ridge training loss, and checks the "
                "densities for tanh and relu against sampled networks.",
        model="$W \\in \\mathbb{R}^{n_1 \\times n_0}$ with variance $\\sigma_w^2/n_0$, "
              "$X \\in \\mathbb{R}^{n_0 \\times m}$ with variance $\\sigma_x^2$, $Y = f(WX)$ "
              "entrywise, $M = YY^T/m$; $\\phi = n_0/m$, $\\psi = n_0/n_1$ [1].",
        assumptions=("$E f(sZ) = 0$ at $s = \\sigma_w\\sigma_x$: activations are centred "
                     "explicitly and the table says so.", "$\\eta \\ge \\zeta \\ge 0$."),
        conventions=(CAUCHY, EDGES, "$G(z) = E\\,\\frac{1}{n_1}\\mathrm{tr}(z - M)^{-1}$.",
                     MONTE_CARLO),
        steps=(Step("The P-equation, with $P_\\phi = 1 + (P-1)\\phi$, $P_\\psi = 1 + (P-1)\\psi$, "
                    "and the branch $P \\to 1$ as $t \\to 0$ (the engine works with it cleared of "
                    "its denominator):", p_equation_display()),
               Step("With $t = 1/(z\\psi)$ and $G = (\\psi/z)P + (1-\\psi)/z$, clearing "
                    "denominators and removing the content in $G$ gives the quartic "
                    "$\\sum_{k=0}^{4} c_k G^k = 0$ with", coefficient_lines(P)),
               Step("At $\\zeta = 0$ it reduces to", Collected(sp.factor(mp_limit), G)),
               Step("At $\\eta = \\zeta$ (linear $f$) to the cubic", Collected(lin, G)),
               Step("Moments from the series at infinity:",
                    tuple(sp.Eq(sp.Symbol(f"m_{i}"), sp.factor(v))
                          for i, v in enumerate(moments, 1))),
               Step("For a ridge readout on the features $Y$ with unit-variance targets, the "
                    "training loss follows from $G$ and its derivative:",
                    sp.Eq(sp.Symbol("E_train"), 1 - phi / psi - phi / psi * gam**2
                          * sp.Symbol("G'(-\\gamma)")))),
        results=(Result("Quartic", coefficient_lines(P),
                        "$\\sum_k c_k G^k = 0$, physical branch $G \\sim 1/z$."),
                 Result("Spectrum-preserving class", Collected(mp_limit.subs(eta, 1), G),
                        "$\\zeta = 0$, $\\eta = 1$: Marchenko-Pastur with ratio $\\phi/\\psi$.")),
        tables=(("Gaussian constants of the activations used ($s = 1$); numerical values "
                 "computed to 30 digits, shown to 15",
                 ("$f$", "centring", "$\\eta$", "$\\zeta$"), tuple(rows)),),
        checks=tuple(checks), figures=tuple(figs),
        references=(PW, MASSART))
