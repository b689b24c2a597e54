"""Random matrices that realise each law's recipe: catalogue laws, free sums and products, affine
maps, and the models' constructions.

A free sum A + B is sampled as A + O B O^T and a free product as A^(1/2) O B O^T A^(1/2), with O
Haar orthogonal.  Every sampler takes the law's :class:`~rmtsym.laws.recipe.Recipe`, a size n and
an explicit ``numpy.random.Generator``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from ..errors import ParameterError
from ..gaussian.activations import Activation, activation
from ..gaussian.expectations import X
from ..laws.recipe import Recipe

__all__ = ["SAMPLERS", "haar_orthogonal", "invariant", "jacobian_forward", "sample_recipe"]


def _f(v) -> float:
    return float(sp.N(v))


def haar_orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-distributed n x n orthogonal matrix (QR of a Gaussian matrix, signs fixed).

    Examples
    --------
    >>> O = haar_orthogonal(5, np.random.default_rng(0))
    >>> np.allclose(O @ O.T, np.eye(5))
    True
    """
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _sc(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    s2 = _f(r["variance"])
    # every entry (diagonal included) of variance s2 / n: E tr(A^2) / n = s2 exactly
    x = np.triu(rng.standard_normal((n, n)))
    return np.sqrt(s2 / n) * (x + np.triu(x, 1).T)


def _mp_matrix(c: float, s2: float, n: int, rng: np.random.Generator) -> np.ndarray:
    cols = max(1, round(n / c))
    x = rng.standard_normal((n, cols))
    return s2 * (x @ x.T) / cols


def _mp(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    return _mp_matrix(_f(r["ratio"]), _f(r["variance"]), n, rng)


def _fp(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    lam, a = _f(r["rate"]), _f(r["jump"])
    return a * _mp_matrix(1 / lam, lam, n, rng)


def _atomic(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    pts = np.array([_f(p) for p in r["points"]])
    wts = np.array([_f(v) for v in r["weights"]])
    raw = wts * n
    counts = np.floor(raw).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(-(raw - counts))[:rest]] += 1
    return np.diag(np.repeat(pts, counts))


#: recipe kinds whose samples are orthogonally invariant in law (O M O^T ~ M for fixed O)
_INVARIANT = frozenset({"sc", "mp", "fp"})


def invariant(r: Recipe) -> bool:
    """True when the sampler of ``r`` draws an orthogonally invariant matrix: then conjugating an
    independent partner by a Haar matrix changes nothing in law, and the O(n^3) QR is skipped.

    Examples
    --------
    >>> invariant(Recipe("sc", (("variance", 1),)))
    True
    >>> invariant(Recipe("atomic", (("points", (0, 1)), ("weights", (1, 1)))))
    False
    """
    if r.kind in _INVARIANT:
        return True
    if r.kind in ("scale", "shift"):
        return invariant(r.operands[0].recipe)
    if r.kind in ("add", "mul"):
        return all(invariant(op.recipe) for op in r.operands)
    return False


def _conjugated(a_recipe: Recipe, b_recipe: Recipe, b: np.ndarray, n: int,
                rng: np.random.Generator) -> np.ndarray:
    """O b O^T with O Haar, or b itself when either factor is orthogonally invariant."""
    if invariant(a_recipe) or invariant(b_recipe):
        return b
    o = haar_orthogonal(n, rng)
    return o @ b @ o.T


def _add(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    ra, rb = (op.recipe for op in r.operands)
    a = sample_recipe(ra, n, rng)
    b = sample_recipe(rb, n, rng)
    return a + _conjugated(ra, rb, b, n, rng)


def _psd_root(m: np.ndarray) -> np.ndarray | None:
    vals, vecs = np.linalg.eigh(m)
    if vals.min() < -1e-8 * max(1.0, np.abs(vals).max()):
        return None
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def _mul(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    ra, rb = (op.recipe for op in r.operands)
    a = sample_recipe(ra, n, rng)
    b = sample_recipe(rb, n, rng)
    root = _psd_root(a)
    if root is None:
        root, b = _psd_root(b), a
    if root is None:
        raise ParameterError("law", r.label(), "a free product with at least one positive factor "
                             "(A^(1/2) O B O^T A^(1/2) needs A >= 0) to be sampled")
    return root @ _conjugated(ra, rb, b, n, rng) @ root


def _scale(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    return _f(r["a"]) * sample_recipe(r.operands[0].recipe, n, rng)


def _shift(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    return sample_recipe(r.operands[0].recipe, n, rng) + _f(r["b"]) * np.eye(n)


def _refined_h1(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    """[[0, A], [A^T, 0]] with A = e x^T / m, e and x of size n/2 x m/2 (m = 2 (n/2) / phi),
    e ~ N(0, 2 eps), x ~ N(0, 1): the eigenvalues are +/- the singular values of A."""
    phi, eps = _f(r["phi"]), _f(r["eps"])
    half = n // 2
    m = max(2, round(2 * half / phi))
    e = rng.normal(0.0, np.sqrt(2 * eps), size=(half, m // 2))
    x = rng.standard_normal((half, m // 2))
    a = e @ x.T / m
    out = np.zeros((n, n))
    out[:half, half : 2 * half] = a
    out[half : 2 * half, :half] = a.T
    return out


def _gram(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    """M = Y Y^T / m of size n1 = n: Y = f(W X) for an activation, else the Gaussian equivalent
    sqrt(zeta) W X + sqrt(eta - zeta) Z (W variance 1/n0, X variance 1)."""
    eta, zeta, phi, psi = (_f(r[k]) for k in ("eta", "zeta", "phi", "psi"))
    n1 = n
    n0 = max(1, round(psi * n1))
    m = max(1, round(n0 / phi))
    wmat = rng.standard_normal((n1, n0)) / np.sqrt(n0)
    xmat = rng.standard_normal((n0, m))
    pre = wmat @ xmat
    expr = r.get("activation")
    if expr is not None:
        y = Activation(expr, "sampled")(_f(r["scale"]) * pre)
    else:
        y = np.sqrt(zeta) * pre + np.sqrt(eta - zeta) * rng.standard_normal((n1, m))
    return y @ y.T / m


def jacobian_forward(act: str, weights: str, depth: int, sigma_w: float, sigma_b: float,
                     q_star: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """The input-output Jacobian J = D_L W_L ... D_1 W_1 of one forward pass of width n.

    The input is x0 = phi(h0), h0 ~ N(0, q*) entrywise, so that h^l ~ N(0, q*) at the fixed
    point; W is Gaussian of variance sigma_w^2 / n or sigma_w times a Haar orthogonal matrix; b
    is N(0, sigma_b^2); D_l = diag(phi'(h^l)).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> J = jacobian_forward("identity", "orthogonal", 3, 1.0, 0.0, 1.0, 4, rng)
    >>> np.allclose(J @ J.T, np.eye(4))
    True
    """
    a = activation(act)
    phi = np.vectorize(sp.lambdify(X, a.expr, "numpy"), otypes=[float])
    dphi = np.vectorize(sp.lambdify(X, a.derivative(), "numpy"), otypes=[float])
    x = phi(np.sqrt(q_star) * rng.standard_normal(n))
    jac = np.eye(n)
    for _ in range(depth):
        if weights == "gaussian":
            wm = sigma_w * rng.standard_normal((n, n)) / np.sqrt(n)
        else:
            wm = sigma_w * haar_orthogonal(n, rng)
        h = wm @ x + sigma_b * rng.standard_normal(n)
        jac = dphi(h)[:, None] * (wm @ jac)
        x = phi(h)
    return jac


def _jacobian(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    """J J^T of one forward pass (see :func:`jacobian_forward`)."""
    J = jacobian_forward(r["activation"], r["weights"], int(r["depth"]), _f(r["sigma_w"]),
                         _f(r["sigma_b"]), _f(r["q_star"]), n, rng)
    return J @ J.T


#: recipe kind -> sampler(recipe, n, rng)
SAMPLERS: dict[str, Callable[[Recipe, int, np.random.Generator], np.ndarray]] = {
    "sc": _sc, "mp": _mp, "fp": _fp, "atomic": _atomic, "add": _add, "mul": _mul,
    "scale": _scale, "shift": _shift, "refined_h1": _refined_h1, "gram": _gram,
    "jacobian": _jacobian,
}


def sample_recipe(recipe: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    """A symmetric n x n random matrix realising ``recipe``."""
    if recipe.kind not in SAMPLERS:
        raise ParameterError("law", recipe.label() or recipe.kind,
                             f"a law built from the catalogue, the free convolutions or a model "
                             f"(kinds: {', '.join(sorted(SAMPLERS))}); no sampler for "
                             f"{recipe.kind!r}")
    return SAMPLERS[recipe.kind](recipe, n, rng)
