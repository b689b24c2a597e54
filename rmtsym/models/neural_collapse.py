"""The Hessian of the classifier at neural collapse, in the unconstrained-features model.

K classes, n samples per class (balanced), features h_i in R^d (d >= K) that are free variables of
the model (unconstrained features), a linear classifier W (K x d) and the data term
L(W) = (1/N) sum_i loss(W h_i, y_i), N = n K.  At collapse

* NC1 (variability collapse): h_i = mu_{y_i}, the class mean;
* NC2: the class means form a simplex equiangular tight frame (``"etf"``:
  M^T M = (K/(K-1)) (I - J/K)) or an orthogonal frame (``"orthogonal"``: M^T M = I);
* NC3 (self-duality, needed only for cross-entropy): W = alpha M^T.

The Hessian of L with respect to the entries of W is obtained by differentiating the loss written
out entry by entry (SymPy), then substituting the collapsed point; its rank and its distinct
nonzero eigenvalues with their multiplicities are computed exactly.  For cross-entropy the logit
gap alpha K/(K-1) is written as log(rho), so that every softmax probability is rational in rho.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.polys.matrices import DomainMatrix

from ..core.inputs import integer_in
from ..errors import ParameterError

__all__ = [
    "FRAMES",
    "LOSSES",
    "HessianStructure",
    "class_means",
    "classifier_hessian",
    "collapse_structure",
    "direct_classifier_hessian",
    "logit_hessian",
    "rho",
]

FRAMES = ("etf", "orthogonal")
LOSSES = ("mse", "ce")
#: exp of the logit gap (correct minus wrong class) for cross-entropy at collapse
rho = sp.Symbol("rho", positive=True)


def _size(K: object, d: object | None) -> tuple[int, int]:
    K = integer_in(K, "K", 2, 6)
    dd = integer_in(K if d is None else d, "d", K, K + 3)
    return K, dd


def class_means(K: int, frame: str = "etf", d: int | None = None) -> sp.Matrix:
    """The d x K matrix M of class means at collapse (columns), unit norm.

    Examples
    --------
    >>> M = class_means(3)
    >>> M.T * M
    Matrix([
    [   1, -1/2, -1/2],
    [-1/2,    1, -1/2],
    [-1/2, -1/2,    1]])
    """
    K, dd = _size(K, d)
    if frame not in FRAMES:
        raise ParameterError("frame", frame, f"one of {', '.join(FRAMES)}")
    if frame == "etf":
        block = sp.sqrt(sp.Rational(K, K - 1)) * (sp.eye(K) - sp.ones(K, K) / K)
    else:
        block = sp.eye(K)
    return block.col_join(sp.zeros(dd - K, K))


def _loss(logits: tuple[sp.Symbol, ...], label: int, loss: str) -> sp.Expr:
    """The per-sample loss written out in the logits: squared error against the one-hot target,
    or cross-entropy log(sum exp) minus the correct logit."""
    if loss == "mse":
        return sum((v - (1 if j == label else 0)) ** 2 for j, v in enumerate(logits)) / 2
    return sp.log(sum(sp.exp(v) for v in logits)) - logits[label]


def _collapsed_logits(K: int, label: int, loss: str) -> list[sp.Expr]:
    """Logits W mu_c at collapse.  The MSE Hessian does not depend on them (set to 0); for
    cross-entropy W = alpha M^T gives alpha K/(K-1) e_c - alpha/(K-1) (1, ..., 1), and by the
    shift invariance of the softmax the logits log(rho) e_c give the same Hessian."""
    if loss == "mse":
        return [sp.Integer(0)] * K
    return [sp.log(rho) if j == label else sp.Integer(0) for j in range(K)]


def logit_hessian(K: int, label: int, loss: str = "mse") -> sp.Matrix:
    """Hessian of the per-sample loss in the K logits at the collapsed point of class ``label``.

    Examples
    --------
    >>> logit_hessian(2, 0, "ce")
    Matrix([
    [ rho/(rho + 1)**2, -rho/(rho + 1)**2],
    [-rho/(rho + 1)**2,  rho/(rho + 1)**2]])
    """
    K, _ = _size(K, None)
    if loss not in LOSSES:
        raise ParameterError("loss", loss, f"one of {', '.join(LOSSES)}")
    zs = sp.symbols(f"z0:{K}", real=True)
    point = dict(zip(zs, _collapsed_logits(K, label, loss)))
    return sp.hessian(_loss(zs, label, loss), zs).subs(point).applyfunc(sp.factor)


def classifier_hessian(K: int, loss: str = "mse", frame: str = "etf", d: int | None = None,
                       n: int = 1) -> sp.Matrix:
    """Hessian of L(W) = (1/N) sum_i loss(W h_i, y_i) in the entries of W (row by row), at
    collapsed features h_i = mu_{y_i}; for ``loss="ce"`` at W = alpha M^T with logit gap
    alpha K/(K-1) = log(rho).  The logits z = W h are linear in W, so the chain rule gives
    (1/N) sum_i (d^2 loss/dz^2) (x) h_i h_i^T (Kronecker product, W read row by row).

    Examples
    --------
    >>> H = classifier_hessian(2, "mse", "orthogonal")
    >>> H == sp.eye(4) / 2
    True
    """
    K, dd = _size(K, d)
    n = integer_in(n, "n", 1, 4)
    M = class_means(K, frame, dd)
    H = sp.zeros(K * dd, K * dd)
    for c in range(K):
        H += n * sp.kronecker_product(logit_hessian(K, c, loss), M[:, c] * M[:, c].T)
    return (H / (n * K)).applyfunc(sp.factor)


def direct_classifier_hessian(K: int, loss: str = "mse", frame: str = "etf",
                              d: int | None = None) -> sp.Matrix:
    """The same Hessian by a second route: the loss written out in the K d entries of W,
    differentiated twice by SymPy, then evaluated at W = alpha M^T (slow beyond K = 3).

    Examples
    --------
    >>> direct_classifier_hessian(2, "ce") == classifier_hessian(2, "ce")
    True
    """
    K, dd = _size(K, d)
    M = class_means(K, frame, dd)
    W = sp.Matrix(K, dd, lambda j, a: sp.Symbol(f"w_{j}_{a}", real=True))
    L = sum(_loss(tuple(W * M[:, c]), c, loss) for c in range(K)) / K
    H = sp.hessian(L, list(W))
    alpha = sp.Rational(K - 1, K) * sp.log(rho)
    H = H.subs(dict(zip(list(W), list(alpha * M.T))))
    return H.applyfunc(lambda e: sp.factor(sp.powsimp(sp.expand_log(
        sp.powdenest(e, force=True), force=True))))


@dataclass(frozen=True)
class HessianStructure:
    """Rank, size and the distinct nonzero eigenvalues with their multiplicities."""

    size: int
    rank: int
    eigenvalues: tuple[tuple[sp.Expr, int], ...]

    @property
    def equal_nonzero(self) -> bool:
        """True when all nonzero eigenvalues are equal."""
        return len(self.eigenvalues) == 1


def collapse_structure(H: sp.Matrix) -> HessianStructure:
    """The exact spectral structure of a symmetric Hessian: characteristic polynomial factored,
    zero roots counted, nonzero roots with multiplicities.

    Examples
    --------
    >>> s = collapse_structure(classifier_hessian(3, "mse", "etf", d=4))
    >>> s.size, s.rank, s.eigenvalues
    (12, 6, ((1/2, 6),))
    """
    lam = sp.Symbol("lambda")
    # clear denominators so that the entries are polynomials: the characteristic polynomial is
    # then computed and factored over Q[parameters], and the roots scaled back
    scale = sp.lcm([sp.denom(sp.together(e)) for e in H if e != 0] or [sp.Integer(1)])
    dm = DomainMatrix.from_Matrix((H * scale).applyfunc(sp.cancel))
    coeffs = [dm.domain.to_sympy(c) for c in dm.charpoly()]
    char = sp.Add(*[c * lam ** (len(coeffs) - 1 - i) for i, c in enumerate(coeffs)])
    eig: dict[sp.Expr, int] = {}
    for f, mult in sp.factor_list(char, lam, *sorted(H.free_symbols, key=str))[1]:
        for r, m in sp.roots(sp.Poly(f, lam)).items():
            r = sp.factor(r / scale)
            eig[r] = eig.get(r, 0) + m * mult
    if sum(eig.values()) != H.shape[0]:  # pragma: no cover - a factor sympy could not solve
        raise ArithmeticError("the characteristic polynomial did not split into known roots")
    zero = eig.pop(sp.Integer(0), 0)
    items = tuple(sorted(eig.items(), key=lambda kv: sp.default_sort_key(kv[0])))
    return HessianStructure(H.shape[0], H.shape[0] - zero, items)
