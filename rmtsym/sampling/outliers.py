"""Monte Carlo for outliers of random-feature models: the conjugate kernel Y Y^T / m with
Y = f(W X), and the first-layer weights after one gradient step.  Seeded generators only; each
function returns one row of statistics per draw, so that means, standard errors and finite-size
extrapolations are taken by the caller.
"""

from __future__ import annotations

import numpy as np

from ..gaussian.activations import Activation
from ..gaussian.activations import activation as make_activation

__all__ = ["ck_outlier_draws", "one_step_draws"]


def _fn(f) -> Activation:
    return f if isinstance(f, Activation) else make_activation(f)


def ck_outlier_draws(f, n1: int, n0: int, m: int, draws: int, rng: np.random.Generator,
                     k: int = 2) -> np.ndarray:
    """Per draw: the top ``k + 1`` eigenvalues of M = Y Y^T / m (Y = f(W X), W n1 x n0 with
    N(0, 1/n0) entries, X n0 x m standard Gaussian), then the squared projections of the row-norm
    direction a / |a| (a_i = |w_i|^2 - 1) and of 1 / sqrt(n1) on the span of the top ``k``
    eigenvectors.  Shape (draws, k + 3).

    Examples
    --------
    >>> out = ck_outlier_draws("x^2 - 1", 60, 45, 90, 2, np.random.default_rng(0))
    >>> out.shape, bool(np.all(out[:, :3] > 0)), bool(np.all((0 <= out[:, 3:]) & (out[:, 3:] <= 1)))
    ((2, 5), True, True)
    """
    act = _fn(f)
    rows = []
    for _ in range(draws):
        w = rng.standard_normal((n1, n0)) / np.sqrt(n0)
        x = rng.standard_normal((n0, m))
        y = act(w @ x)
        vals, vecs = np.linalg.eigh(y @ y.T / m)
        top = vecs[:, -k:]
        a = (w**2).sum(axis=1) - 1
        a /= np.linalg.norm(a)
        e = np.full(n1, 1 / np.sqrt(n1))
        rows.append([*vals[::-1][: k + 1], float(np.sum((top.T @ a) ** 2)),
                     float(np.sum((top.T @ e) ** 2))])
    return np.array(rows)


def one_step_draws(student, teacher, width: int, dim: int, samples: int, eta: float, draws: int,
                   rng: np.random.Generator, noise: float = 0.0) -> np.ndarray:
    """Per draw, for W_1 = W_0 + eta G_0 (one full-batch gradient step of the squared loss with
    f_0 left out of the residual; W_0 width x dim with N(0, 1/dim) entries, a_i = +-1, labels
    y = teacher(<x, beta>) + noise): the top squared singular value of W_1, the squared overlap of
    its top right singular vector with v / |v| (v = X^T y / samples) and with beta, the squared
    overlap of its top left singular vector with a / sqrt(width), and |v|^2.  Shape (draws, 5).

    Examples
    --------
    >>> out = one_step_draws("relu", "relu", 40, 20, 40, 6.0, 2, np.random.default_rng(0))
    >>> out.shape
    (2, 5)
    """
    s, t = _fn(student), _fn(teacher)
    dsf = Activation(s.derivative(), "derivative")
    rows = []
    for _ in range(draws):
        w = rng.standard_normal((width, dim)) / np.sqrt(dim)
        a = rng.choice([-1.0, 1.0], width)
        beta = rng.standard_normal(dim)
        beta /= np.linalg.norm(beta)
        x = rng.standard_normal((samples, dim))
        y = t(x @ beta) + (np.sqrt(noise) * rng.standard_normal(samples) if noise else 0.0)
        pre = w @ x.T
        grad = ((a[:, None] * dsf(pre)) * y[None, :]) @ x / (samples * np.sqrt(width))
        u, sv, vt = np.linalg.svd(w + eta * grad, full_matrices=False)
        v = x.T @ y / samples
        vh = v / np.linalg.norm(v)
        rows.append([sv[0] ** 2, (vt[0] @ vh) ** 2, (vt[0] @ beta) ** 2,
                     (u[:, 0] @ a) ** 2 / width, float(v @ v)])
    return np.array(rows)
