"""Random-features ridge regression (Louart-Liao-Couillet): deterministic equivalents of the
training and test errors.

Model (REFERENCES.md 5.1): data X = [x_1 .. x_T] in R^(p x T) (columns of norm O(1)), W in
R^(n x p) with i.i.d. N(0, 1) entries, Sigma = sigma(W X) in R^(n x T), the ridge readout
beta = Sigma Q Y^T / T with Q = (Sigma^T Sigma / T + gamma I_T)^(-1), and the errors
E_train = |Y^T - Sigma^T beta|^2 / T, E_test = |Yhat^T - Sigmahat^T beta|^2 / That.

The activation enters only through the kernel Phi_ij = E_w[sigma(w.x_i) sigma(w.x_j)]: the closed
form of :func:`rmtsym.gaussian.kernels.ck_matrix` where one is derived, else the Hermite series
Phi_ij = sum_k g_k(|x_i|) g_k(|x_j|) rho_ij^k with the coefficients g_k(s) of f(s Z) computed by
Gauss-Hermite quadrature (the diagonal exactly, E f(|x_i| Z)^2).  The fixed point delta,
Q-bar, E_train-bar and E_test-bar are those of REFERENCES.md 5.2, evaluated in the eigenbasis of
Phi: one O(T^3) decomposition serves every n and gamma.

For isotropic Gaussian data with unit-variance random targets E_train-bar is gamma^2 (1/T)
tr Q-bar^2-like and its proportional limit is the Pennington-Worah training loss
:func:`rmtsym.models.nonlinear_gram.training_loss` (the eta/zeta reduction);
:func:`isotropic_training_error` is that route, and the tests check the two against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from ..errors import ParameterError
from ..gaussian.activations import Activation
from ..gaussian.activations import activation as make_activation
from ..gaussian.kernels import ck_matrix
from .nonlinear_gram import nonlinear_gram_law, training_loss

__all__ = [
    "RFRisk",
    "RandomFeatures",
    "hermite_kernel_matrix",
    "isotropic_training_error",
    "kernel_matrix",
    "random_features",
    "random_features_risk",
    "simulate_random_features",
    "two_class_data",
]


def _act(a) -> Activation:
    return a if isinstance(a, Activation) else make_activation(a)


def two_class_data(p: int = 128, count: int = 512, seed: int = 2018, separation: float = 2.0):
    """A deterministic synthetic two-class data set: columns x = (y mu + z)/sqrt(p) with
    z ~ N(0, C), C = diag(1 + 0.5 cos(2 pi k/p)), mu = separation e_1 + (separation/2) e_2,
    balanced labels y = +-1 (first half -1).  Returns (X of shape p x count, y of length count).

    Examples
    --------
    >>> x, y = two_class_data(8, 6)
    >>> x.shape, y.tolist()
    ((8, 6), [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
    """
    if p < 2 or count < 2:
        raise ParameterError("p, count", (p, count), "integers of at least 2")
    rng = np.random.default_rng(seed)
    y = np.repeat([-1.0, 1.0], [count // 2, count - count // 2])
    mu = np.zeros(p)
    mu[0], mu[1] = separation, separation / 2
    scale = np.sqrt(1 + 0.5 * np.cos(2 * np.pi * np.arange(p) / p))
    z = rng.standard_normal((p, count)) * scale[:, None]
    return (np.outer(mu, y) + z) / np.sqrt(p), y


def hermite_kernel_matrix(act, data, order: int = 40, nodes: int = 120) -> np.ndarray:
    """Phi_ij = E_w[f(w.x_i) f(w.x_j)] by the Hermite series for any activation.

    Phi_ij = sum_{k <= order} g_k(s_i) g_k(s_j) rho_ij^k with s_i = |x_i|, rho_ij the cosine of
    the angle, and g_k(s) = E[f(s Z) He_k(Z)]/sqrt(k!) by Gauss-Hermite quadrature with ``nodes``
    nodes; the diagonal is E f(s_i Z)^2 by the same quadrature (no truncation).

    Examples
    --------
    >>> xs = np.array([[0.9, 0.2], [-0.3, 0.7], [0.5, -0.6]])
    >>> round(float(hermite_kernel_matrix("erf", xs)[0, 1]), 5)
    -0.13984
    """
    f = _act(act)
    arr = _data(data)
    s = np.linalg.norm(arr, axis=0)
    t, w = hermegauss(nodes)
    w = w / np.sqrt(2 * np.pi)
    vals = f(np.outer(s, t))                        # (T, nodes)
    he = np.empty((order + 1, nodes))
    he[0], he[1] = 1.0, t
    for k in range(2, order + 1):
        he[k] = t * he[k - 1] - (k - 1) * he[k - 2]
    norms = np.sqrt(np.cumprod(np.r_[1.0, np.arange(1, order + 1)]))
    g = (vals * w) @ (he / norms[:, None]).T        # (T, order + 1)
    unit = arr / s
    rho = np.clip(unit.T @ unit, -1.0, 1.0)
    out = np.zeros_like(rho)
    power = np.ones_like(rho)
    for k in range(order + 1):
        out += np.outer(g[:, k], g[:, k]) * power
        power = power * rho
    np.fill_diagonal(out, (vals**2) @ w)
    return out


def _data(data) -> np.ndarray:
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2 or not np.all(np.isfinite(arr)):
        raise ParameterError("data", getattr(arr, "shape", None), "a finite p x T array")
    if np.any(np.linalg.norm(arr, axis=0) == 0):
        raise ParameterError("data", "a zero column", "inputs with nonzero norm")
    return arr


def kernel_matrix(act, data, order: int = 40) -> tuple[np.ndarray, str]:
    """Phi for ``data`` (p x T): the closed form of ``ck_matrix`` where the engine derives one,
    else :func:`hermite_kernel_matrix`.  Returns (Phi, method)."""
    f = _act(act)
    arr = _data(data)
    try:
        return ck_matrix(f, arr), "closed form"
    except ParameterError:  # the data are valid: the kernel has no closed form
        return hermite_kernel_matrix(f, arr, order), f"Hermite series to order {order}"


@dataclass(frozen=True)
class RFRisk:
    """Deterministic equivalents at one (n, gamma): errors and the fixed point delta."""

    e_train: float
    e_test: float
    delta: float


@dataclass(frozen=True, eq=False)
class RandomFeatures:
    """The spectral data of a random-features problem, computed once; :meth:`risk` evaluates the
    deterministic equivalents at any number of features n and ridge gamma in O(T).

    Attributes
    ----------
    eig : numpy.ndarray
        Eigenvalues of Phi, shape (T,).
    ytil : numpy.ndarray
        U^T Y^T, shape (T, d).
    btil : numpy.ndarray
        Phi_{hat X X} U, shape (That, T).
    yhat : numpy.ndarray
        Test targets, shape (d, That).
    diag_test : numpy.ndarray
        Diagonal of Phi_{hat X hat X}, shape (That,).
    method : str
        How Phi was computed.
    """

    eig: np.ndarray
    ytil: np.ndarray
    btil: np.ndarray
    yhat: np.ndarray
    diag_test: np.ndarray
    method: str

    @property
    def size(self) -> int:
        return len(self.eig)

    def delta(self, n: float, gamma: float, tol: float = 1e-14) -> float:
        """delta = (1/T) tr Phi Q-bar, by the fixed-point iteration
        d <- mean(L / (L n/T/(1 + d) + gamma)) (monotone and contracting for gamma > 0)."""
        lam, t = self.eig, self.size
        d = 0.0
        for _ in range(10000):
            new = float(np.mean(lam / (lam * n / t / (1 + d) + gamma)))
            if abs(new - d) <= tol * max(1.0, abs(new)):
                return new
            d = new
        raise ParameterError("gamma", gamma, "a ridge for which the fixed point converges")

    def risk(self, n: float, gamma: float) -> RFRisk:
        """E_train-bar and E_test-bar of REFERENCES.md 5.2 at n features and ridge gamma."""
        if not (n > 0 and gamma > 0):
            raise ParameterError("n, gamma", (n, gamma), "positive numbers")
        t = self.size
        d = self.delta(n, gamma)
        c = n / t / (1 + d)
        psi = c * self.eig                              # eigenvalues of Psi
        q = 1 / (psi + gamma)                           # eigenvalues of Q-bar
        denom = 1 - np.sum((psi * q) ** 2) / n
        y2 = np.sum(self.ytil**2, axis=1)               # diag of U^T Y^T Y U
        k = np.sum(psi * q**2) / n / denom
        e_train = gamma**2 / t * np.sum(y2 * q**2 * (k * psi + 1))
        that = self.btil.shape[0]
        pred = c * self.btil @ (q[:, None] * self.ytil)     # Psi_{hat X X} Q-bar Y^T
        fit = np.sum((self.yhat.T - pred) ** 2) / that
        b2 = np.sum(self.btil**2, axis=0)               # diag of U^T Phi_{X hat X} Phi_{hat X X} U
        scale = np.sum(y2 * q**2 * psi) / n / denom
        bracket = (c * np.sum(self.diag_test) - c**2 * np.sum((1 + gamma * q) * q * b2)) / that
        return RFRisk(float(e_train), float(fit + scale * bracket), float(d))

    def curve(self, ns, gamma: float) -> tuple[np.ndarray, np.ndarray]:
        """(E_train-bar, E_test-bar) over an array of n."""
        out = [self.risk(float(n), gamma) for n in np.atleast_1d(ns)]
        return (np.array([r.e_train for r in out]), np.array([r.e_test for r in out]))


def random_features(act, data, targets, test_data, test_targets,
                    order: int = 40) -> RandomFeatures:
    """Prepare the deterministic equivalents for activation ``act`` on ``data`` (p x T) with
    ``targets`` (length T, or d x T) and a test set.

    Examples
    --------
    >>> x, y = two_class_data(32, 64)
    >>> rf = random_features("relu", x[:, :48], y[:48], x[:, 48:], y[48:])
    >>> r = rf.risk(96, 0.1)
    >>> 0 < r.e_train < r.e_test
    True
    """
    f = _act(act)
    xs, xt = _data(data), _data(test_data)
    if xs.shape[0] != xt.shape[0]:
        raise ParameterError("test_data", xt.shape, f"an array with {xs.shape[0]} rows")
    y = np.atleast_2d(np.asarray(targets, dtype=float))
    yt = np.atleast_2d(np.asarray(test_targets, dtype=float))
    if y.shape[1] != xs.shape[1] or yt.shape[1] != xt.shape[1]:
        raise ParameterError("targets", (y.shape, yt.shape), "one target column per input")
    t = xs.shape[1]
    phi_all, method = kernel_matrix(f, np.concatenate([xs, xt], axis=1), order)
    phi, cross = phi_all[:t, :t], phi_all[t:, :t]
    lam, u = np.linalg.eigh(phi)
    return RandomFeatures(np.clip(lam, 0, None), u.T @ y.T, cross @ u, yt,
                          np.diag(phi_all)[t:].copy(), method)


def random_features_risk(act, data, targets, test_data, test_targets, n: float,
                         gamma: float) -> RFRisk:
    """E_train-bar, E_test-bar and delta at n features and ridge gamma (one call of
    :func:`random_features` and :meth:`RandomFeatures.risk`)."""
    return random_features(act, data, targets, test_data, test_targets).risk(n, gamma)


def simulate_random_features(act, data, targets, test_data, test_targets, n: int, gamma: float,
                             reps: int, rng: np.random.Generator) -> np.ndarray:
    """Actual random-features ridge fits: array (reps, 2) of (E_train, E_test), W ~ N(0, 1)."""
    f = _act(act)
    xs, xt = _data(data), _data(test_data)
    y = np.atleast_2d(np.asarray(targets, dtype=float))
    yt = np.atleast_2d(np.asarray(test_targets, dtype=float))
    t, that = xs.shape[1], xt.shape[1]
    out = np.empty((reps, 2))
    for r in range(reps):
        w = rng.standard_normal((n, xs.shape[0]))
        sig, sig_t = f(w @ xs), f(w @ xt)
        q = np.linalg.solve(sig.T @ sig / t + gamma * np.eye(t), y.T)
        beta = sig @ q / t
        out[r] = (np.sum((y.T - sig.T @ beta) ** 2) / t, np.sum((yt.T - sig_t.T @ beta) ** 2)
                  / that)
    return out


def isotropic_training_error(act, phi: object, psi: object, gamma, scale: object = 1):
    """The proportional-limit training error for isotropic Gaussian data and unit-variance random
    targets: the Pennington-Worah training loss of the law of (1/m) Y^T Y, through eta and zeta of
    the (centred) activation.  ``phi`` = p/T (n0/m), ``psi`` = p/n (n0/n1).

    Examples
    --------
    >>> import sympy as sp
    >>> round(float(isotropic_training_error("tanh", sp.Rational(1, 2), sp.Rational(3, 4), 0.2)), 4)
    0.6154
    """
    f = _act(act)
    law = nonlinear_gram_law(activation=f.centred(scale), phi=phi, psi=psi, scale=scale)
    return training_loss(gamma, law, phi, psi)
