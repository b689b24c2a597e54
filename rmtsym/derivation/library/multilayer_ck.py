"""The conjugate kernel of a deep network of linear widths (Fan and Wang): an iterated free
product of Marchenko-Pastur laws, and its first step against Pennington-Worah."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.core.symbols import w
from rmtsym.derivation.checks import MIN_SIZE, density_figure, spectrum_check, symbolic_check
from rmtsym.derivation.record import Derivation, Reference, Remark, Result, Step
from rmtsym.laws.catalog import marchenko_pastur
from rmtsym.laws.operations import free_multiply, scale, shift
from rmtsym.models.multilayer_ck import ck_b2, ck_forward, multilayer_ck_law
from rmtsym.models.nonlinear_gram import nonlinear_gram_law

from ._common import CAUCHY, EDGES, MASSART, MONTE_CARLO, PW, RAO_EDELMAN, VOICULESCU

DESCRIPTION = "Multi-layer conjugate kernel (Fan-Wang): iterated MP free products, exact laws"

FAN_WANG = Reference("FW20", "Z. Fan and Z. Wang",
                     "Spectra of the conjugate kernel and neural tangent kernel for linear-width "
                     "neural networks", "Advances in Neural Information Processing Systems 33 "
                     "(NeurIPS)", 2020, "2005.11879")

HALF = sp.Rational(1, 2)


def _pw_agreement() -> tuple:
    """First step from Gaussian data against the Pennington-Worah law with eta = 1, zeta = b^2."""
    phi, psi, b2 = HALF, sp.Rational(3, 4), sp.Rational(2, 3)
    pw = nonlinear_gram_law(eta=1, zeta=b2, phi=phi, psi=psi).moments(4)
    ck = free_multiply(marchenko_pastur(psi / phi),
                       shift(scale(marchenko_pastur(1 / phi), b2), 1 - b2)).moments(4)
    mapped = [(phi / psi) ** k * m for k, m in enumerate(ck)]
    return symbolic_check("first layer = Pennington-Worah with $\\eta = 1$, $\\zeta = b^2$: "
                          "moments 1 to 4 at $\\phi = 1/2$, $\\psi = 3/4$, $b^2 = 2/3$, after "
                          "$m_k \\to (\\phi/\\psi)^{k-1} m_k$",
                          sum((a - b) ** 2 for a, b in zip(pw, mapped)), 0,
                          method="exact; two independent constructions")


def build() -> Derivation:
    b2 = ck_b2("relu")
    laws = multilayer_ck_law("relu", [HALF, HALF], marchenko_pastur(HALF))
    m1 = [sp.nsimplify(v) for v in laws[0].moments(2)]
    m2 = laws[1].moments(2)
    checks = [symbolic_check("identity: $b^2 = 1$", ck_b2("identity"), 1),
              symbolic_check("linear two layers: $m_2 = 1 + \\gamma_0 + \\gamma_1 + \\gamma_2$",
                             multilayer_ck_law("identity", [HALF, HALF],
                                               marchenko_pastur(HALF))[-1].moments(2)[1],
                             sp.Rational(5, 2)),
              _pw_agreement()]
    law = laws[0]

    def sampler(n, rng):
        x0 = rng.standard_normal((2 * n, n)) / np.sqrt(2 * n)
        return ck_forward("relu", x0, [2 * n], rng)

    mc, series, _ = spectrum_check(law, 20, "relu, one layer, $\\gamma_0 = \\gamma_1 = 1/2$",
                                   n=MIN_SIZE, draws=2, moments=3, sampler=sampler)
    checks += mc
    fig = density_figure("density", law, series, "The CK spectrum after one relu layer "
                         "($\\gamma_0 = \\gamma_1 = 1/2$) over the eigenvalues of $X_1^T X_1$ "
                         f"for Gaussian inputs, two forward passes with $n = {MIN_SIZE}$ "
                         "(seed 20).")
    S = sp.Function("S")
    mu = sp.Function("mu")
    return Derivation(
        name="multilayer_ck",
        title="The conjugate kernel of a deep network of linear widths",
        summary="Under the Gaussian-equivalence linearisation the conjugate kernel of each layer "
                "is the free product of a Marchenko-Pastur law with an affine image of the "
                "previous layer's kernel [1]. rmtsym builds every layer's law exactly by the "
                "polynomial method, and shows that the first step is the Pennington-Worah law.",
        model="$X_l = \\sigma(W_l X_{l-1})/\\sqrt{d_l}$, $W_l$ of i.i.d. standard Gaussian "
              "entries, $n$ inputs, $\\gamma_l = n/d_l$; the CK is $X_l^T X_l$, and $\\sigma$ is "
              "normalised: $E\\sigma(\\xi) = 0$, $E\\sigma(\\xi)^2 = 1$.",
        assumptions=("The recursion is the one recalled in the reference sheet (the original "
                     "was not read); it follows from the linearisation $\\sigma(WX) \\approx "
                     "bWX + \\sqrt{1-b^2}Z$ with $b = E\\sigma'(\\xi)$, which this report uses.",
                     "Inputs are Gaussian, so the input kernel $X_0^T X_0$ is MP($\\gamma_0$)."),
        conventions=(CAUCHY, EDGES, MONTE_CARLO),
        steps=(Step("The recursion of [1], each step a free product (S-transforms multiply):",
                    sp.Eq(S(w), sp.Symbol("S_MP") * sp.Symbol("S_inner"))),
               Step("For the normalised relu, by Stein's lemma,", sp.Eq(sp.Symbol("b") ** 2, b2)),
               Step("After one layer ($\\gamma_0 = \\gamma_1 = 1/2$, $b^2$ entering as a "
                    "30-digit rational) the first moments are",
                    tuple(sp.Eq(sp.Symbol(f"m_{i}"), sp.N(v, 12)) for i, v in
                          enumerate(m1, 1))),
               Step("and after two layers", tuple(sp.Eq(sp.Symbol(f"m_{i}"), sp.N(v, 12))
                                                  for i, v in enumerate(m2, 1)))),
        results=(Result("Degrees of the Cauchy polynomials", (
            sp.Eq(sp.Symbol("d_1"), laws[0].degree), sp.Eq(sp.Symbol("d_2"), laws[1].degree)),
            "the degree in $G$ doubles with each layer."),
                 Result("Layer map", sp.Eq(mu(sp.Symbol("l")), sp.Symbol("MP_gamma") * (
                     1 - sp.Symbol("b") ** 2 + sp.Symbol("b") ** 2 * mu(sp.Symbol("l") - 1))),
                        "free product with Marchenko-Pastur of ratio $\\gamma_l$.")),
        checks=tuple(checks), figures=(fig,),
        remarks=(Remark("Agreement with Pennington-Worah [2]: for Gaussian data the first step, "
                        "MP($\\psi/\\phi$) times $(1 - b^2) + b^2$ MP($1/\\phi$), has the same "
                        "moments as their law with $\\eta = 1$, $\\zeta = b^2$, after the "
                        "rescaling $m_k \\to (\\phi/\\psi)^{k-1} m_k$ between the $m \\times m$ "
                        "kernel and their $n_1 \\times n_1$ matrix; they agree exactly when the "
                        "activation is centred and normalised ($\\eta = 1$)."),),
        references=(FAN_WANG, PW, VOICULESCU, RAO_EDELMAN, MASSART),
    )
