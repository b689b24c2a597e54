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
from ..gaussian.activations import Activation
from ..laws.recipe import Recipe

__all__ = ["SAMPLERS", "haar_orthogonal", "sample_recipe"]


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


def _add(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    a = sample_recipe(r.operands[0].recipe, n, rng)
    b = sample_recipe(r.operands[1].recipe, n, rng)
    o = haar_orthogonal(n, rng)
    return a + o @ b @ o.T


def _psd_root(m: np.ndarray) -> np.ndarray | None:
    vals, vecs = np.linalg.eigh(m)
    if vals.min() < -1e-8 * max(1.0, np.abs(vals).max()):
        return None
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def _mul(r: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    a = sample_recipe(r.operands[0].recipe, n, rng)
    b = sample_recipe(r.operands[1].recipe, n, rng)
    root = _psd_root(a)
    if root is None:
        root, b = _psd_root(b), a
    if root is None:
        raise ParameterError("law", r.label(), "a free product with at least one positive factor "
                             "(A^(1/2) O B O^T A^(1/2) needs A >= 0) to be sampled")
    o = haar_orthogonal(n, rng)
    return root @ (o @ b @ o.T) @ root


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


#: recipe kind -> sampler(recipe, n, rng)
SAMPLERS: dict[str, Callable[[Recipe, int, np.random.Generator], np.ndarray]] = {
    "sc": _sc, "mp": _mp, "fp": _fp, "atomic": _atomic, "add": _add, "mul": _mul,
    "scale": _scale, "shift": _shift, "refined_h1": _refined_h1, "gram": _gram,
}


def sample_recipe(recipe: Recipe, n: int, rng: np.random.Generator) -> np.ndarray:
    """A symmetric n x n random matrix realising ``recipe``."""
    if recipe.kind not in SAMPLERS:
        raise ParameterError("law", recipe.label() or recipe.kind,
                             f"a law built from the catalogue, the free convolutions or a model "
                             f"(kinds: {', '.join(sorted(SAMPLERS))}); no sampler for "
                             f"{recipe.kind!r}")
    return SAMPLERS[recipe.kind](recipe, n, rng)
