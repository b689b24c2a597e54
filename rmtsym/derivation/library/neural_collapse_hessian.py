"""Neural collapse: the classifier Hessian in the unconstrained-features model, exactly."""

from __future__ import annotations

import numpy as np
import sympy as sp

from rmtsym.derivation.checks import fmt
from rmtsym.derivation.record import Check, Derivation, Reference, Remark, Result, Step
from rmtsym.models.neural_collapse import (
    class_means,
    classifier_hessian,
    collapse_structure,
    direct_classifier_hessian,
    logit_hessian,
    rho,
)

DESCRIPTION = ("Neural collapse, unconstrained features: classifier Hessian, rank and "
               "eigenvalues for MSE and cross-entropy")

PHD = Reference("PHD20", "V. Papyan, X. Y. Han and D. L. Donoho",
                "Prevalence of neural collapse during the terminal phase of deep learning "
                "training", "Proc. Natl. Acad. Sci. USA 117, 24652-24663", 2020, "2008.08186")
MPP = Reference("MPP21", "D. G. Mixon, H. Parshall and J. Pi",
                "Neural collapse with unconstrained features", "Sampling Theory, Signal "
                "Processing, and Data Analysis 20, article 11", 2022, "2011.11619")
PAPYAN = Reference("P20", "V. Papyan", "Traces of class/cross-class structure pervade deep "
                   "learning spectra", "J. Mach. Learn. Res. 21, 1-64", 2020, "2008.11865")


def _fd_hessian(K: int, loss: str, r: float, h: float = 1e-4) -> np.ndarray:
    """Central finite differences of the data term in the entries of W at the collapsed point."""
    M = np.array(class_means(K).evalf(), dtype=float)
    w0 = ((K - 1) / K * np.log(r) * M.T).ravel()

    def L(wv):
        W = wv.reshape(K, K)
        z = W @ M
        if loss == "mse":
            return 0.5 * np.sum((z - np.eye(K)) ** 2) / K
        return float(np.sum(np.log(np.exp(z).sum(0)) - np.diag(z)) / K)

    n = w0.size
    out = np.zeros((n, n))
    eye = np.eye(n) * h
    for i in range(n):
        for j in range(n):
            out[i, j] = (L(w0 + eye[i] + eye[j]) - L(w0 + eye[i] - eye[j])
                         - L(w0 - eye[i] + eye[j]) + L(w0 - eye[i] - eye[j])) / (4 * h * h)
    return out


def _structure(K: int, loss: str, frame: str):
    return collapse_structure(classifier_hessian(K, loss, frame, d=K + 1 if loss == "mse" else K))


def _structure_row(K: int, loss: str, frame: str, s) -> tuple:
    eig = ", ".join(f"${sp.latex(v)}$ ({m} {'time' if m == 1 else 'times'})"
                    for v, m in s.eigenvalues)
    return (f"{K}", loss.upper() if loss == "mse" else "CE",
            "ETF" if frame == "etf" else "OF", f"{s.size}", f"{s.rank}", eig)


def build() -> Derivation:
    lam = sp.Symbol("\\lambda")
    checks = []
    cases = [(K, loss, frame) for K in (2, 3, 4)
             for loss, frame in (("mse", "orthogonal"), ("mse", "etf"), ("ce", "etf"))]
    found = {c: _structure(*c) for c in cases}
    for K in (2, 3, 4):
        s = found[(K, "mse", "orthogonal")]
        ok = s.rank == K**2 and s.eigenvalues == ((sp.Rational(1, K), K**2),)
        checks.append(Check(f"MSE, orthogonal frame, $K = {K}$: rank $K^2$, equal eigenvalues",
                            "exact characteristic polynomial", f"rank {s.rank}, "
                            f"eigenvalue ${sp.latex(s.eigenvalues[0][0])}$", f"rank {K**2}",
                            "holds" if ok else "fails", ok))
        s = found[(K, "mse", "etf")]
        ok = s.rank == K * (K - 1) and s.equal_nonzero
        checks.append(Check(f"MSE, simplex ETF, $K = {K}$: rank $K(K-1)$, equal eigenvalues",
                            "exact characteristic polynomial", f"rank {s.rank}",
                            f"rank {K * (K - 1)}", "holds" if ok else "fails", ok))
    for K in (3, 4):
        s = found[(K, "ce", "etf")]
        ok = s.rank == (K - 1) ** 2 and len(s.eigenvalues) == 3
        checks.append(Check(f"cross-entropy, simplex ETF, $K = {K}$: rank $(K-1)^2$, three "
                            "distinct eigenvalues", "exact characteristic polynomial",
                            f"rank {s.rank}, {len(s.eigenvalues)} distinct",
                            f"rank {(K - 1) ** 2}", "holds" if ok else "fails", ok))
    for loss in ("mse", "ce"):
        checks.append(_matrix_check(loss))
    r = 5.0
    for loss in ("mse", "ce"):
        exact = classifier_hessian(3, loss, "etf")
        num = _fd_hessian(3, loss, r)
        err = float(np.max(np.abs(num - np.array(exact.subs(rho, r).evalf(), dtype=float))))
        checks.append(Check(f"{'MSE' if loss == 'mse' else 'cross-entropy'}, $K = 3$, "
                            f"$\\rho = 5$: exact Hessian against finite differences",
                            "central differences, step $10^{-4}$, double precision",
                            "exact entries", "finite differences",
                            f"max difference {fmt(err, 2)} (tolerance $10^{{-6}}$)", err < 1e-6))
    rows = tuple(_structure_row(*c, found[c]) for c in cases)
    M3 = class_means(3)
    S = logit_hessian(3, 0, "ce")
    return Derivation(
        name="neural_collapse_hessian",
        title="The classifier Hessian at neural collapse",
        summary="In the unconstrained-features model the Hessian of the data term with respect "
                "to the classifier $W$ is computed exactly at the collapsed point for "
                "$K = 2, 3, 4$ classes. With the squared loss it has rank $K^2$ and one nonzero "
                "eigenvalue $1/K$ when the class means form an orthogonal frame, but rank "
                "$K(K-1)$ (eigenvalue $1/(K-1)$) when they form a simplex equiangular tight "
                "frame; with cross-entropy at a simplex frame it has rank $(K-1)^2$ and three "
                "distinct nonzero eigenvalues. The claim of rank $K^2$ with equal eigenvalues "
                "therefore holds for the orthogonal frame and the squared loss only.",
        model="$K$ classes with $n$ samples each ($N = nK$), features $h_i \\in "
              "\\mathbb{R}^d$ ($d \\ge K$) that are free variables, a linear classifier $W$ "
              "($K \\times d$), and the data term $L(W) = \\frac1N \\sum_i \\ell(W h_i, y_i)$ "
              "with $\\ell$ the squared error against the one-hot target or the cross-entropy.",
        assumptions=(
            "(A1) Unconstrained features: the Hessian is taken in $W$ at fixed features.",
            "(A2) Variability collapse: $h_i = \\mu_{y_i}$; balanced classes.",
            "(A3) The class means $M = (\\mu_1, \\dots, \\mu_K)$ form a simplex equiangular "
            "tight frame, $M^T M = \\frac{K}{K-1}(I - \\frac1K J)$, or an orthogonal frame, "
            "$M^T M = I$.",
            "(A4) Self-duality (cross-entropy only): $W = \\alpha M^T$; the logit gap "
            "$\\alpha K/(K-1)$ is written $\\log\\rho$.",
        ),
        conventions=("$W$ is read row by row, so the Hessian is a $Kd \\times Kd$ matrix and a "
                     "Kronecker product $A \\otimes B$ has $A$ acting on the class index.",),
        steps=(
            Step("The logits $z = W h$ are linear in $W$ (A1), so by the chain rule and (A2)",
                 sp.Eq(sp.Symbol("\\nabla^2_W L"), sp.Symbol(
                     "\\frac1K \\sum_c \\nabla^2_z \\ell(z_c, c) \\otimes \\mu_c \\mu_c^T"))),
            Step("For the squared loss $\\nabla^2_z \\ell = I_K$ whatever $W$ is, so the Hessian "
                 "is $I_K \\otimes \\frac1K M M^T$ and its spectrum is that of $M M^T$ (A3). "
                 "The simplex frame for $K = 3$:",
                 sp.Eq(sp.Symbol("M^T M"), sp.ImmutableMatrix(M3.T * M3), evaluate=False)),
            Step("For cross-entropy (A4) the logits of class $c$ are $\\log\\rho\\, e_c$ up to a "
                 "common shift, which the softmax ignores; the Hessian in the logits for $K = 3$, "
                 "$c = 1$, is", sp.Eq(sp.Symbol("\\nabla^2_z \\ell"), sp.ImmutableMatrix(S),
                                      evaluate=False)),
            Step("The characteristic polynomial of the full Hessian is computed and factored over "
                 "$\\mathbb{Q}[\\rho]$; for cross-entropy and $K = 3$ its roots are",
                 sp.Contains(lam, sp.FiniteSet(*[v for v, _ in found[(3, "ce", "etf")]
                                                 .eigenvalues]), evaluate=False)),
        ),
        results=(
            Result("Squared loss, orthogonal frame", sp.Symbol(
                "\\mathrm{rank} = K^2,\\ \\lambda = 1/K"), "all nonzero eigenvalues equal."),
            Result("Squared loss, simplex frame", sp.Symbol(
                "\\mathrm{rank} = K(K-1),\\ \\lambda = 1/(K-1)"), "all nonzero eigenvalues equal."),
            Result("Cross-entropy, simplex frame", sp.Symbol(
                "\\mathrm{rank} = (K-1)^2"), "eigenvalues $\\frac{K\\rho}{(K-1)(\\rho+K-1)^2}$ "
                "(once), $\\frac{(K-1)\\rho+1}{(K-1)(\\rho+K-1)^2}$ ($K-1$ times), "
                "$\\frac{1}{(K-1)(\\rho+K-1)}$ ($(K-1)^2-K$ times), read off for "
                "$K = 3, 4$."),
        ),
        checks=tuple(checks),
        remarks=(Remark("The statement that the Hessian at collapse has rank $K^2$ with equal "
                        "nonzero eigenvalues uses (A3) with an orthogonal frame and the squared "
                        "loss. The simplex frame removes the direction $\\sum_c \\mu_c = 0$ "
                        "from every class block, which leaves rank $K(K-1)$; cross-entropy "
                        "also removes the common logit shift and splits the spectrum.",
                        "MSE, orthogonal frame, $K = 3$: rank $K^2$, equal eigenvalues"),),
        references=(PHD, MPP, PAPYAN),
        tables=(("Exact structure of the classifier Hessian ($d = K + 1$ for the squared loss, "
                 "$d = K$ for cross-entropy; ETF the simplex equiangular tight frame, OF the "
                 "orthogonal frame); nonzero eigenvalues with multiplicities.",
                 ("$K$", "loss", "frame", "size", "rank", "nonzero eigenvalues"), rows),),
    )


def _matrix_check(loss: str) -> Check:
    a, b = direct_classifier_hessian(2, loss), classifier_hessian(2, loss)
    ok = (a - b).applyfunc(sp.simplify) == sp.zeros(*a.shape)
    name = "MSE" if loss == "mse" else "cross-entropy"
    return Check(f"{name}, $K = 2$: chain rule equals direct differentiation in $W$",
                 "exact, entry by entry", "Kronecker form", "second derivatives in $W$",
                 "equal" if ok else "differ", ok)
