"""Pennington-Worah: conjugate-kernel spectrum of Y = f(WX) for tanh and relu, derived from the
P-equation."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.core.polynomials import canonical
from rmtsym.core.symbols import G, parameter, z
from rmtsym.derivation.checks import density_figure, fmt, spectrum_check, symbolic_check
from rmtsym.derivation.record import Check, Derivation, Remark, Result, Step
from rmtsym.gaussian.activations import activation
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.models.nonlinear_gram import (
    gram_moments_from_p,
    gram_polynomial,
    linear_network_polynomial,
    nonlinear_gram_law,
    training_loss,
)

from ._common import CAUCHY, EDGES, PW

DESCRIPTION = "Pennington-Worah Gram spectrum: quartic from the P-equation, limits, tanh and relu"


def coefficient_lines(P) -> str:
    """LaTeX of P = sum_k c_k G^k, one factored coefficient per line."""
    deg = sp.Poly(P, G).degree()
    lines = [f"c_{{{k}}} &= {sp.latex(sp.factor(P.coeff(G, k)))}" for k in range(deg, -1, -1)]
    return (f"\\sum_{{k=0}}^{{{deg}}} c_k G^k = 0,\\qquad \\begin{{aligned}}"
            + " \\\\ ".join(lines) + "\\end{aligned}")


def p_equation_display() -> sp.Expr:
    eta, zeta = parameter("eta"), parameter("zeta")
    p, t, pf, ps = sp.symbols("P t P_phi P_psi")
    q = pf * ps * t
    return sp.Eq(p, 1 + (eta - zeta) * q + q * zeta / (1 - q * zeta))


def build() -> Derivation:
    eta, zeta, phi, psi = (parameter(n) for n in ("eta", "zeta", "phi", "psi"))
    P = gram_polynomial()
    mp_limit = nonlinear_gram_law(eta, 0, phi, psi).expr
    lin = nonlinear_gram_law(zeta, zeta, phi, psi).expr
    moments = nonlinear_gram_law(eta, zeta, phi, psi).moments(3)
    from_p = gram_moments_from_p(3)
    checks = [symbolic_check("zeta = 0 is MP with ratio phi/psi, variance eta", mp_limit,
                             marchenko_pastur(phi / psi, eta).expr)]
    wrong = z * G**2 + ((1 - psi / phi) * z - 1) * G + psi / phi
    wrong_c = canonical(sp.numer(sp.together(wrong)), (G, z))
    checks.append(Check("the printed zeta = 0 equation of the student report is this law",
                        "exact comparison of canonical polynomials", "printed", "derived",
                        "different" if wrong_c != mp_limit.subs(eta, 1) else "equal",
                        wrong_c != mp_limit.subs(eta, 1)))
    q = sp.Rational
    p_, s_, z_ = q(1, 2), q(3, 4), q(3, 5)
    expected = linear_network_polynomial(z_, p_, s_)
    checks.append(symbolic_check("eta = zeta is the linear network MP(phi) x MP(psi, 1/psi) "
                                 "(phi = 1/2, psi = 3/4, zeta = 3/5)",
                                 canonical(lin.subs({zeta: z_, phi: p_, psi: s_}), (G, z)),
                                 canonical(expected, (G, z))))
    for i in range(3):
        checks.append(symbolic_check(f"m_{i + 1} from the quartic = from the P-series",
                                     moments[i], from_p[i]))
    checks.append(symbolic_check("m_2 = eta^2 (1 + phi/psi) + zeta^2/psi", moments[1],
                                 eta**2 * (1 + phi / psi) + zeta**2 / psi))
    figs, rows = [], []
    for name, seed in (("tanh", 31), ("relu", 32)):
        act = activation(name).centred()
        law = nonlinear_gram_law(activation=act, phi=q(1, 2), psi=1)
        e, zz = act.eta(), act.zeta()
        rows.append((name, act.note, e.value if e.exact else sp.Float(e.value, 12),
                     zz.value if zz.exact else sp.Float(zz.value, 12)))
        mc, hist, _ = spectrum_check(law, 800, 3, seed, f"{name}, phi = 1/2, psi = 1",
                                     z_tolerance=6.0)
        checks += mc
        figs.append(density_figure(name, law, hist, f"Spectrum of $M = YY^T/m$, $Y = f(WX)$, "
                                   f"$f$ = centred {name}, $\\phi = 1/2$, $\\psi = 1$: theory "
                                   "over three draws with $n_0 = n_1 = 800$, $m = 1600$."))
    tl = nonlinear_gram_law(activation="tanh", phi=q(1, 2), psi=q(3, 4))
    vals = training_loss(np.array([0.05, 0.2, 1.0]), tl, q(1, 2), q(3, 4))
    checks.append(Check("ridge training loss, tanh, phi = 1/2, psi = 3/4",
                        "against the values of REFERENCES 2.5 (theory column)",
                        ", ".join(fmt(v, 4) for v in vals), "0.4910, 0.6154, 0.7818",
                        f"max difference {fmt(np.max(np.abs(vals - [0.4910, 0.6154, 0.7818])), 2)}",
                        bool(np.max(np.abs(vals - [0.4910, 0.6154, 0.7818])) < 6e-4)))
    return Derivation(
        name="pennington_worah",
        title="Nonlinear random matrix theory: the conjugate-kernel spectrum",
        summary="For $Y = f(WX)$ the limiting spectrum of $M = YY^T/m$ depends on $f$ only "
                "through $\\eta = E f(sZ)^2$ and $\\zeta = (s E f'(sZ))^2$. rmtsym derives the "
                "quartic for $G$ from the P-equation, its limits $\\zeta = 0$ and "
                "$\\eta = \\zeta$, the moments, and checks the densities for tanh and relu "
                "against sampled networks.",
        model="$W \\in \\mathbb{R}^{n_1 \\times n_0}$ with variance $\\sigma_w^2/n_0$, "
              "$X \\in \\mathbb{R}^{n_0 \\times m}$ with variance $\\sigma_x^2$, $Y = f(WX)$ "
              "entrywise, $M = YY^T/m$; $\\phi = n_0/m$, $\\psi = n_0/n_1$.",
        assumptions=("$E f(sZ) = 0$ at $s = \\sigma_w\\sigma_x$: activations are centred "
                     "explicitly and the table says so.", "$\\eta \\ge \\zeta \\ge 0$."),
        conventions=(CAUCHY, EDGES, "$G(z) = E\\,\\frac{1}{n_1}\\mathrm{tr}(z - M)^{-1}$."),
        steps=(Step("The P-equation, with $P_\\phi = 1 + (P-1)\\phi$, $P_\\psi = 1 + (P-1)\\psi$, "
                    "and the branch $P \\to 1$ as $t \\to 0$ (the engine works with it cleared of "
                    "its denominator):", p_equation_display()),
               Step("With $t = 1/(z\\psi)$ and $G = (\\psi/z)P + (1-\\psi)/z$, clearing "
                    "denominators and removing the content in $G$ gives the quartic",
                    coefficient_lines(P)),
               Step("At $\\zeta = 0$ it reduces to", sp.Eq(sp.factor(mp_limit), 0)),
               Step("At $\\eta = \\zeta$ (linear $f$) to the cubic", sp.Eq(lin, 0)),
               Step("Moments from the series at infinity:",
                    sp.Eq(sp.Symbol("m"), sp.Tuple(*[sp.factor(m) for m in moments])))),
        results=(Result("Quartic", coefficient_lines(P), "physical branch $G \\sim 1/z$."),
                 Result("Spectrum-preserving class", sp.Eq(sp.factor(mp_limit.subs(eta, 1)), 0),
                        "$\\zeta = 0$, $\\eta = 1$: Marchenko-Pastur with ratio $\\phi/\\psi$.")),
        tables=(("Gaussian constants of the activations used (s = 1)",
                 ("f", "centring", "eta", "zeta"), tuple(rows)),),
        checks=tuple(checks), figures=tuple(figs),
        remarks=(Remark("A student report prints the $\\zeta = 0$ case as "
                        "$zG^2 + ((1 - \\psi/\\phi)z - 1)G + \\psi/\\phi = 0$; that equation is "
                        "not the derived law (nor Marchenko-Pastur) and is a transcription "
                        "error.", "the printed zeta = 0 equation of the student report is this "
                        "law"),),
        references=(PW,))
