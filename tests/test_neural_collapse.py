"""Neural-collapse Hessians in the unconstrained-features model: exact structure, two routes."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from rmtsym.errors import ParameterError
from rmtsym.models.neural_collapse import (
    class_means,
    classifier_hessian,
    collapse_structure,
    direct_classifier_hessian,
    rho,
)


@pytest.mark.parametrize("K", [2, 3, 4])
def test_mse_orthogonal_frame_rank_k2_equal_eigenvalues(K):
    s = collapse_structure(classifier_hessian(K, "mse", "orthogonal", d=K + 1))
    assert s.size == K * (K + 1) and s.rank == K**2
    assert s.equal_nonzero and s.eigenvalues == ((sp.Rational(1, K), K**2),)


@pytest.mark.parametrize("K", [2, 3, 4])
def test_mse_simplex_etf_rank_k_k_minus_one(K):
    s = collapse_structure(classifier_hessian(K, "mse", "etf", d=K + 1))
    assert s.rank == K * (K - 1)
    assert s.equal_nonzero and s.eigenvalues == ((sp.Rational(1, K - 1), K * (K - 1)),)


@pytest.mark.parametrize("K", [2, 3])
def test_ce_etf_structure(K):
    s = collapse_structure(classifier_hessian(K, "ce", "etf"))
    assert s.rank == (K - 1) ** 2
    expected = {K * rho / ((K - 1) * (rho + K - 1) ** 2): 1,
                ((K - 1) * rho + 1) / ((K - 1) * (rho + K - 1) ** 2): K - 1,
                1 / ((K - 1) * (rho + K - 1)): (K - 1) ** 2 - K}
    expected = {sp.factor(k): v for k, v in expected.items() if v > 0}
    got = dict(s.eigenvalues)
    # at K = 2 only the first eigenvalue occurs (rank 1)
    assert sum(got.values()) == (K - 1) ** 2
    for val in got:
        assert any(sp.simplify(val - e) == 0 for e in expected), val
    if K == 3:
        assert got == expected
    assert not s.equal_nonzero or K == 2


def test_chain_rule_route_equals_direct_differentiation():
    for loss in ("mse", "ce"):
        assert direct_classifier_hessian(2, loss) == classifier_hessian(2, loss)


@pytest.mark.slow
def test_chain_rule_route_equals_direct_differentiation_k3():
    for loss in ("mse", "ce"):
        assert direct_classifier_hessian(3, loss) == classifier_hessian(3, loss)


def _numeric_hessian(K: int, loss: str, frame: str, r: float, h: float = 1e-4) -> np.ndarray:
    """Central finite differences of the loss in the entries of W (independent route)."""
    M = np.array(class_means(K, frame).evalf(), dtype=float)
    alpha = (K - 1) / K * np.log(r)

    def L(wvec):
        W = wvec.reshape(K, K)
        total = 0.0
        for c in range(K):
            z = W @ M[:, c]
            if loss == "mse":
                total += 0.5 * np.sum((z - np.eye(K)[c]) ** 2)
            else:
                total += np.log(np.sum(np.exp(z))) - z[c]
        return total / K

    w0 = (alpha * M.T).ravel()
    n = w0.size
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (L(w0 + e_i + e_j) - L(w0 + e_i - e_j) - L(w0 - e_i + e_j)
                       + L(w0 - e_i - e_j)) / (4 * h * h)
    return H


@pytest.mark.parametrize("loss", ["mse", "ce"])
def test_finite_differences_agree(loss):
    K, r = 3, 5.0
    exact = classifier_hessian(K, loss, "etf")
    num = _numeric_hessian(K, loss, "etf", r)
    ex = np.array(exact.subs(rho, r).evalf(), dtype=float)
    assert np.max(np.abs(num - ex)) < 1e-6
    ev = np.sort(np.linalg.eigvalsh(num))
    s = collapse_structure(exact)
    predicted = sorted([0.0] * (s.size - s.rank) + [float(v.subs(rho, r)) for v, m in
                                                     s.eigenvalues for _ in range(m)])
    assert np.allclose(ev, predicted, atol=1e-6)


def test_bad_input():
    with pytest.raises(ParameterError, match="'K'"):
        classifier_hessian(1)
    with pytest.raises(ParameterError, match="'d'"):
        classifier_hessian(3, d=2)
    with pytest.raises(ParameterError, match="'loss'"):
        classifier_hessian(3, "hinge")
    with pytest.raises(ParameterError, match="'frame'"):
        class_means(3, "random")
