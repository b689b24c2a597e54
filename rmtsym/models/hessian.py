"""Pennington & Bahri (2017): the Hessian of a one-hidden-layer network as a free sum.

``wishart-wigner``: H = H0 + H1 with H0 ~ Marchenko-Pastur(phi) (variance 1) and H1 a semicircle of
variance 2 eps (R_H = 1/(1 - phi w) + 2 eps w); ``refined``: H0 ~ MP(phi, variance sigma) and H1
with
R_H1 = eps phi w / (2 - eps phi^2 w^2) (the block structure of the paper's Sec. 6).  Everything here
is derived by the engine: the polynomial by a resultant, the critical energy as the positive root of
the discriminant at z = 0, the index by quadrature of the density, and the prefactor alpha_0 of the
3/2 law from the square-root edge and the motion of the edge with eps.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..algebra.transforms import from_r_polynomial
from ..core.inputs import digits_argument, exact, nonnegative, positive
from ..core.polynomials import discriminant
from ..core.symbols import G, R, parameter, w, z
from ..errors import ParameterError
from ..laws.algebraic import AlgebraicLaw, Constraint, Recipe
from ..laws.catalog import marchenko_pastur, semicircle
from ..laws.operations import free_add
from ..numeric.certify import (
    ExactPolynomial,
    coefficients_at,
    exact_polynomial,
    refine_root,
    roots_at,
)
from ..numeric.conjugate_pairs import lower_imag
from ..numeric.integrate import tanh_sinh
from ..numeric.roots import lower_coefficient_scale, roots

__all__ = [
    "MODELS",
    "critical_energy",
    "edge_expansion",
    "hessian_alpha0",
    "hessian_index",
    "hessian_law",
    "refined_h1",
]

MODELS = ("wishart-wigner", "refined")
_phi, _eps, _sigma = parameter("phi"), parameter("eps"), parameter("sigma")


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ParameterError("model", model, f"one of {', '.join(MODELS)}")


def _positive(name: str, v: object, allow_zero: bool = False) -> sp.Expr:
    return nonnegative(v, name) if allow_zero else positive(v, name)


def refined_h1(phi: object, eps: object) -> AlgebraicLaw:
    """The refined H1 of Pennington-Bahri Sec. 6: R(w) = eps phi w / (2 - eps phi^2 w^2).

    Examples
    --------
    >>> refined_h1(sp.Rational(1, 2), 1).moments(4)
    [0, 1/4, 0, 5/32]
    """
    ph, ep = _positive("phi", phi), _positive("eps", eps)
    P = from_r_polynomial((2 - ep * ph**2 * w**2) * R - ep * ph * w)
    cons = (Constraint("phi", ph, "a positive number"), Constraint("eps", ep, "a positive number"))
    return AlgebraicLaw(P, cons, Recipe("refined_h1", (("phi", ph), ("eps", ep)),
                                        template="h1refined({phi},{eps})"))


def hessian_law(phi: object, eps: object, model: str = "wishart-wigner", sigma: object = 1
                ) -> AlgebraicLaw:
    """The limiting Hessian spectrum, built as a free sum (never typed in).

    Examples
    --------
    >>> law = hessian_law(parameter("phi"), parameter("eps"))
    >>> law.expr
    2*G**3*eps*phi - 2*G**2*eps - G**2*phi*z + G*phi + G*z - G - 1
    """
    _check_model(model)
    ph = _positive("phi", phi)
    ep = _positive("eps", eps, allow_zero=True)
    sg = _positive("sigma", sigma)
    if model == "wishart-wigner":
        if sg != 1:
            raise ParameterError("sigma", sigma,
                                 "1 for the wishart-wigner model (use model='refined')")
        h0 = marchenko_pastur(ph)
        if ep == 0:
            return h0
        law = free_add(h0, semicircle(2 * ep))
    else:
        h0 = marchenko_pastur(ph, sg)
        if ep == 0:
            return h0
        law = free_add(h0, refined_h1(ph, ep))
    return law


# --- critical energy --------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _symbolic_polynomial(model: str) -> sp.Expr:
    sig = _sigma if model == "refined" else 1
    return hessian_law(_phi, _eps, model, sig).expr


def _radsimp(expr: sp.Expr) -> sp.Expr:
    """Simplify square roots of perfect powers: sqrt((1 + 8 phi)^3) -> (1 + 8 phi)^(3/2)."""
    return sp.simplify(expr.replace(lambda e: e.is_Pow and e.exp == sp.Rational(1, 2),
                                    lambda e: sp.powdenest(sp.sqrt(sp.factor(e.base)), force=True)))


@lru_cache(maxsize=8)
def _critical_energy_symbolic(model: str) -> sp.Expr:
    P = _symbolic_polynomial(model)
    disc0 = sp.factor(discriminant(P, G).subs(z, 0))
    # the factor in eps whose positive root moves the left edge through 0; eps = 0 is the trivial
    # factor of the MP law itself
    cands = []
    for f, _ in sp.factor_list(disc0)[1]:
        if not f.has(_eps) or sp.degree(f, _eps) < 1:
            continue
        for r in sp.solve(f, _eps):
            cands.append(r)
    sample = {_phi: sp.Rational(1, 2), _sigma: sp.Integer(1)}
    pos = [r for r in cands if sp.N(r.subs(sample)).is_positive]
    if len(pos) != 1:  # pragma: no cover - would mean the model changed
        raise ArithmeticError(f"expected one positive root of the discriminant, got {pos}")
    return _radsimp(pos[0])


def critical_energy(phi: object = None, model: str = "wishart-wigner", sigma: object = 1
                    ) -> sp.Expr:
    """eps_c: the energy below which all critical points are minima (index 0).

    Derived as the positive root in eps of the discriminant of P(G, z) at z = 0: there the left
    edge of the support passes through 0 (for eps < eps_c the spectrum is positive, for
    eps > eps_c a mass alpha sits below 0).  ``phi`` may be a positive number or a symbol; None
    gives the expression in the symbol phi (valid for 0 < phi < 1).  For phi >= 1 the closed form
    is 0 at phi = 1 and has no positive root beyond (the Marchenko-Pastur part reaches 0, so any
    eps > 0 puts mass below 0): eps_c = 0 there.

    Examples
    --------
    >>> critical_energy()
    -phi**2/2 - 5*phi/4 + (8*phi + 1)**(3/2)/16 + 1/16
    >>> critical_energy(1), critical_energy(3)
    (0, 0)
    """
    _check_model(model)
    expr = _critical_energy_symbolic(model)
    if model == "refined":
        expr = expr.subs(_sigma, _positive("sigma", sigma))
    elif exact(sigma, "sigma") != 1:
        raise ParameterError("sigma", sigma, "1 for the wishart-wigner model (use model='refined')")
    if phi is None:
        return expr
    ph = positive(phi, "phi")
    if ph.is_number and bool(ph >= 1):
        return sp.Integer(0)
    return _radsimp(expr.subs(_phi, ph))


# --- index ------------------------------------------------------------------------------------


def _density_mp(ep: ExactPolynomial, x):
    """The density at x (current precision): |Im| of the complex pair of the cubic / pi (inside
    the first band a real cubic has exactly one pair)."""
    cs = coefficients_at(ep, x)
    approx = np.roots(np.array([complex(c) for c in cs]))
    lower = refine_root(cs, approx[np.argmin(approx.imag)]) if len(approx) == 3 else None
    if lower is None:  # a cluster (next to the edge) or a degenerate cubic: all roots, carefully
        lower = min(roots_at(ep, x), key=lambda r: mpmath.im(r))
    return max(-mpmath.im(lower) / mpmath.pi, mpmath.mpf(0))


def _index_mp(law: AlgebraicLaw, dps: int):
    """alpha = int_{lambda_-}^0 rho at ``dps`` digits, x = lambda_- + t^2 removing the square-root
    edge (requires the first band to contain 0 with no breakpoint inside (lambda_-, 0)); the
    edge is the exact one of ``law.support()`` (rational, radical or a root of the norm of the
    discriminant when eps is algebraic)."""
    supp = law.support()
    atoms = law.atoms()
    if any(float(k) < 0 for k in atoms) or not supp:
        raise ParameterError("eps", law, "a law whose support starts with a band (no atom below 0)")
    lo, hi = supp[0]
    if sp.sign(sp.N(lo, 30)) >= 0 or lo == 0:
        return mpmath.mpf(0)
    if float(hi) < 0:  # pragma: no cover - not met by the Hessian models
        raise ParameterError("eps", law, "a support whose first band contains 0")
    ep = exact_polynomial(law.expr)
    with mpmath.workdps(dps + 10):
        left = mpmath.mpmathify(sp.N(lo, dps + 15))
        top = mpmath.sqrt(-left)
        f = lambda t: _density_mp(ep, left + t * t) * 2 * t
        val = mpmath.quad(f, [0, top / 2, top])
    with mpmath.workdps(dps):
        return +val


def hessian_index(eps: object, phi: object, model: str = "wishart-wigner", sigma: object = 1,
                  digits: int | None = None):
    """alpha(eps, phi): the fraction of negative Hessian eigenvalues, int_{-inf}^0 rho.

    Floats (vectorised over an array of eps) by default; an mpmath number at ``digits`` digits
    (scalar eps, exact input) otherwise.

    Examples
    --------
    >>> round(float(hessian_index(0.1, 0.25)), 4)
    0.054
    """
    _check_model(model)
    if digits is not None:
        digits = digits_argument(digits)
        return _index_mp(hessian_law(phi, _exact_eps(eps), model, sigma), digits)
    eps_arr = np.atleast_1d(np.asarray(eps, dtype=float))
    if np.any(~np.isfinite(eps_arr)) or np.any(eps_arr < 0):
        raise ParameterError("eps", eps, "non-negative finite numbers")
    out = np.full(eps_arr.shape, np.nan)
    if model == "wishart-wigner" and eps_arr.size > 1:
        out = _index_batch(eps_arr, _positive("phi", phi))
    for i in np.flatnonzero(np.isnan(out)):  # the general path (labels, continuation)
        out[i] = _index_float(float(eps_arr[i]), phi, model, sigma)
    return out[0] if np.ndim(eps) == 0 else out.reshape(np.shape(eps))


@lru_cache(maxsize=16)
def _batch_functions(phi: sp.Expr):
    """Coefficients in G of the cubic and in z of its discriminant, as NumPy functions of eps."""
    P = _symbolic_polynomial("wishart-wigner").subs(_phi, phi)
    cubic = [sp.lambdify((z, _eps), P.coeff(G, k), "numpy") for k in range(4)]
    disc = sp.Poly(sp.expand(discriminant(P, G)), z)
    dcoef = [sp.lambdify(_eps, c, "numpy") for c in disc.all_coeffs()]
    return cubic, dcoef


def _index_batch(eps: np.ndarray, phi: sp.Expr) -> np.ndarray:
    """alpha for many eps at once (the cubic model): the left edge l is a real root of the
    discriminant in z, and the mass below 0 is int_0^{-l} rho(l + t) dt by the adaptive
    integrator of :mod:`rmtsym.numeric.integrate` (exact on the square-root edge),
    rho = |Im| of the complex pair of the cubic / pi (a real cubic has one pair inside the band).
    Entries the fast path cannot certify (a second band edge inside (l, 0), eps = 0) are NaN and
    are computed by the general path."""
    cubic, dcoef = _batch_functions(phi)
    out = np.full(eps.shape, np.nan)

    def dens(xi, e, s):
        # in the unit s: x = s xi, G = gamma / s, so that rho(x) dx = |Im gamma| / pi dxi
        a = [np.broadcast_to(np.asarray(c(s * xi, e), dtype=float) / s**k, np.shape(xi))
             for k, c in enumerate(cubic)]
        with np.errstate(all="ignore"):
            im = lower_imag(a, 1, 0)
            # a nearly vanishing leading coefficient (a huge third root) costs Cardano its
            # digits: those points take the polished closed forms
            near = np.abs(a[3]) <= 1e-6 * lower_coefficient_scale(a)
            if near.any():
                im[near] = np.max(-roots([c[near] for c in a]).imag, axis=0)
        return np.where(np.isnan(im), 0.0, np.abs(im)) / np.pi

    for i, e in enumerate(eps):
        if e <= 0:
            continue
        s = 2.0 ** round(0.5 * np.log2(1.0 + e))
        n = len(dcoef) - 1
        dc = np.array([float(np.asarray(c(e))) * s ** (n - m) for m, c in enumerate(dcoef)])
        zs = np.roots(dc / np.max(np.abs(dc)))
        real = np.sort(zs[np.abs(zs.imag) <= 1e-9 * np.maximum(1, np.abs(zs))].real)
        edge = None
        for r in real:
            if dens(np.array([r + 1e-7 * max(1.0, abs(r))]), e, s)[0] > 0:
                edge = r
                break
        if edge is None:
            continue
        if edge >= 0:
            out[i] = 0.0
            continue
        if np.any((real > edge + 1e-9) & (real < 0)):
            continue  # another edge below 0: leave to the general path
        out[i] = tanh_sinh(lambda t, e=e, s=s, edge=edge: dens(edge + t, e, s), -edge)[0]
    return out


def _exact_eps(eps: object) -> sp.Expr:
    """eps as an exact number: rationals and algebraic numbers (radicals, ``CRootOf``) as they
    are, a float as the decimal it prints as."""
    if isinstance(eps, (float, np.floating)):
        return sp.Rational(repr(float(eps)))
    return exact(eps, "eps")


def _index_float(eps: float, phi, model, sigma) -> float:
    law = hessian_law(phi, _exact_eps(eps), model, sigma)
    return float(law.cdf(np.array([0.0]))[0])


# --- the 3/2 law ----------------------------------------------------------------------------------


def edge_expansion(model: str = "wishart-wigner") -> dict[str, sp.Expr]:
    """Ingredients of the 3/2 law at the critical energy, in closed form in phi.

    At eps = eps_c the left edge sits at x = 0 with a double root G_e of P(., 0).  Near a
    square-root
    edge P ~ P_z (x - x_e) + P_GG (G - G_e)^2 / 2, so rho(x) ~ A sqrt(x - x_e) with
    A = sqrt(2 P_z / P_GG) / pi; the edge moves as dx_e/deps = -P_eps / P_z.  With x_e < 0 for
    eps > eps_c, alpha = (2/3) A (-x_e)^(3/2) ~ alpha_0 ((eps - eps_c)/eps_c)^(3/2) where
    alpha_0 = (2/3) A (-dx_e/deps)^(3/2) eps_c^(3/2).  The law holds above eps_c (alpha = 0 below).
    """
    _check_model(model)
    P = _symbolic_polynomial(model)
    ec = _critical_energy_symbolic(model)
    P0 = P.subs(z, 0)
    # the double root G_e: common root of P(., 0) and P_G(., 0) at eps_c, by a gcd
    g = sp.gcd(sp.Poly(P0.subs(_eps, ec), G), sp.Poly(sp.diff(P0, G).subs(_eps, ec), G))
    if g.degree() != 1:  # pragma: no cover
        raise ArithmeticError("the edge at eps_c is not a simple double root")
    Ge = _radsimp(-g.all_coeffs()[1] / g.all_coeffs()[0])
    at = {G: Ge, z: 0, _eps: ec}
    Pz, PGG, Peps = (sp.diff(P, z).subs(at), sp.diff(P, G, 2).subs(at), sp.diff(P, _eps).subs(at))
    A = sp.sqrt(2 * Pz / PGG) / sp.pi
    speed = -Peps / Pz
    alpha0 = sp.Rational(2, 3) * A * (-speed) ** sp.Rational(3, 2) * ec ** sp.Rational(3, 2)
    return {"eps_c": ec, "G_edge": Ge, "A": A, "edge_speed": speed, "alpha0": alpha0}


@lru_cache(maxsize=4)
def _alpha0_symbolic(model: str) -> sp.Expr:
    return edge_expansion(model)["alpha0"]


def hessian_alpha0(phi: object = None, model: str = "wishart-wigner", sigma: object = 1) -> sp.Expr:
    """alpha_0(phi) of ``alpha ~ alpha_0 |(eps - eps_c)/eps_c|^(3/2)`` (eps -> eps_c from above),
    derived in closed form (see :func:`edge_expansion`)."""
    expr = _alpha0_symbolic(model)
    if model == "refined":
        expr = expr.subs(_sigma, _positive("sigma", sigma))
    if phi is None:
        return expr
    ph = exact(phi, "phi")
    if ph.is_number and not (0 < ph < 1):
        raise ParameterError("phi", phi, "a number in (0, 1)")
    return expr.subs(_phi, ph)
