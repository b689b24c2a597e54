"""Exact transforms between the implicit polynomials of an algebraic law, and free convolutions.

Conventions (CONVENTIONS.md): the Cauchy transform G(z) = int rho(dx)/(z - x) solves P(G, z) = 0;
the Stieltjes transform is m = -G; the R-transform solves G(R(w) + 1/w) = w; the moment generating
function is psi(y) = (1/y) G(1/y) - 1 and the S-transform S(w) = chi(w)(1 + w)/w with chi = psi^-1.

Every transform is a substitution followed by clearing denominators; the polynomial method (Rao &
Edelman) forms free sums and products as resultants.  Spurious factors introduced along the way are
removed by keeping only the factor that carries the physical branch, G ~ 1/z at infinity, which is
tested exactly (never guessed).
"""

from __future__ import annotations

import sympy as sp

from ..core.polynomials import canonical, clear_denominators, factors
from ..core.power_series import series_root
from ..core.symbols import G, R, S, _u, m, psi, w, y, z
from ..errors import BranchError

__all__ = [
    "cauchy_series",
    "explicit_branch",
    "from_psi_polynomial",
    "from_r_polynomial",
    "from_s_polynomial",
    "from_stieltjes",
    "is_physical",
    "leading_form_at_infinity",
    "physical_factor",
    "psi_polynomial",
    "r_polynomial",
    "s_back",
    "s_polynomial",
    "to_stieltjes",
]


def leading_form_at_infinity(P: sp.Expr) -> sp.Expr:
    """The polynomial in u whose roots are the leading coefficients of the branches G ~ u/z.

    Substituting G = u y, z = 1/y and keeping the lowest power of y gives it; the physical branch
    needs u = 1 among its roots.

    Examples
    --------
    >>> leading_form_at_infinity(G**2 - z*G + 1)
    1 - _u
    """
    poly = sp.Poly(sp.expand(P), G, z)
    terms = poly.terms()
    low = min(i - j for (i, j), _ in terms)
    return sp.expand(sum(c * _u**i for (i, j), c in terms if i - j == low))


def is_physical(P: sp.Expr) -> bool:
    """Whether P(G, z) = 0 has a branch with G ~ 1/z at infinity (identically in the parameters)."""
    if not P.has(G):
        return False
    return sp.expand(leading_form_at_infinity(P).subs(_u, 1)) == 0


def cauchy_series(P: sp.Expr, n: int) -> list[sp.Expr]:
    """The first ``n`` coefficients [1, m_1, ..., m_{n-1}] of z G(z) at infinity on the branch
    G ~ 1/z: the moments m_0..m_{n-1}, exact.

    Examples
    --------
    >>> cauchy_series(G**2 - z*G + 1, 7)
    [1, 0, 1, 0, 2, 0, 5]
    """
    q = clear_denominators(P.subs({G: y * psi, z: 1 / y}))
    # remove a common power of y so that q(h, 0) is not identically zero
    poly = sp.Poly(q, y)
    low = min(k[0] for k in poly.monoms())
    q = sp.expand(q / y**low)
    return series_root(q, psi, y, 1, n)


def physical_factor(P: sp.Expr, expected=None) -> sp.Expr:
    """The irreducible factor of P(G, z) that carries the physical branch, in canonical form.

    Factors are tested exactly for a branch G ~ 1/z.  If several pass, the series of each is
    compared
    with the ``expected`` moments [1, m_1, m_2, ...]; without them, or if that does not decide, the
    product of the survivors is returned (it still carries the physical branch).

    Raises
    ------
    BranchError
        If no factor carries a branch G ~ 1/z.
    """
    cands = [f for f in factors(P, G) if is_physical(f)]
    if not cands:
        raise BranchError(f"no factor of {P} has a branch G ~ 1/z at infinity")
    if len(cands) > 1 and expected is not None:
        expected = expected() if callable(expected) else expected
        n = len(expected)
        keep = []
        for f in cands:
            try:
                ser = cauchy_series(f, n)
            except BranchError:
                keep.append(f)
                continue
            if all(sp.simplify(a - b) == 0 for a, b in zip(ser, expected)):
                keep.append(f)
        cands = keep or cands
    return canonical(sp.Mul(*cands), (G, z))


# --- Cauchy <-> Stieltjes -------------------------------------------------------------------------


def to_stieltjes(P: sp.Expr) -> sp.Expr:
    """The polynomial L(m, z) of the Stieltjes transform m = -G (Bai-Silverstein sign).

    Examples
    --------
    >>> to_stieltjes(G**2 - z*G + 1)
    m**2 + m*z + 1
    """
    return canonical(P.subs(G, -m), (m, z))


def from_stieltjes(L: sp.Expr) -> sp.Expr:
    """Inverse of :func:`to_stieltjes`."""
    return canonical(L.subs(m, -G), (G, z))


# --- R-transform ----------------------------------------------------------------------------------


def from_r_polynomial(L: sp.Expr) -> sp.Expr:
    """The Cauchy polynomial P(G, z) from an R-transform polynomial L(R, w) (z = R + 1/G, w = G).

    Examples
    --------
    >>> from_r_polynomial(R - w)   # the semicircle of variance 1
    G**2 - G*z + 1
    """
    return physical_factor(clear_denominators(L.subs({R: z - 1 / G, w: G}, simultaneous=True)))


def r_polynomial(P: sp.Expr) -> sp.Expr:
    """The R-transform polynomial L(R, w), canonical, of the law with Cauchy polynomial P.

    Examples
    --------
    >>> r_polynomial(G**2 - z*G + 1)
    R - w
    """
    raw = clear_denominators(P.subs({G: w, z: R + 1 / w}, simultaneous=True))
    keep = [f for f in factors(raw, R) if _r_factor_is_physical(f)]
    if not keep:
        raise BranchError(f"no factor of the R-polynomial of {P} is physical")
    return canonical(sp.Mul(*keep), (R, w))


def _r_factor_is_physical(f: sp.Expr) -> bool:
    back = clear_denominators(f.subs({R: z - 1 / G, w: G}, simultaneous=True))
    return any(is_physical(g) for g in factors(back, G))


# --- psi and S-transform --------------------------------------------------------------------------


def psi_polynomial(P: sp.Expr) -> sp.Expr:
    """The polynomial L(psi, y) of the moment generating function psi(y) = sum m_k y^k.

    Examples
    --------
    >>> psi_polynomial(G**2 - z*G + 1)
    psi**2*y**2 + 2*psi*y**2 - psi + y**2
    """
    return canonical(clear_denominators(P.subs({G: y * (psi + 1), z: 1 / y}, simultaneous=True)),
                     (psi, y))


def from_psi_polynomial(L: sp.Expr) -> sp.Expr:
    """Inverse of :func:`psi_polynomial` (psi = z G - 1, y = 1/z), physical factor kept."""
    moved = L.subs({psi: z * G - 1, y: 1 / z}, simultaneous=True)
    return physical_factor(clear_denominators(moved))


def s_polynomial(P: sp.Expr) -> sp.Expr:
    """The S-transform polynomial L(S, w): psi(chi) = w with chi = w S / (1 + w).

    Examples
    --------
    >>> c = sp.Symbol("c", positive=True)
    >>> s_polynomial(c*z*G**2 - (z + c - 1)*G + 1)   # Marchenko-Pastur: S = 1/(1 + c w)
    S*c*w + S - 1
    """
    Lpsi = psi_polynomial(P)
    raw = clear_denominators(Lpsi.subs({psi: w, y: w * S / (1 + w)}, simultaneous=True))
    keep = [f for f in factors(raw, S) if _s_factor_is_physical(f)]
    if not keep:
        raise BranchError(f"no factor of the S-polynomial of {P} is physical")
    return canonical(sp.Mul(*keep), (S, w))


def s_back(f: sp.Expr) -> sp.Expr:
    Lpsi = clear_denominators(f.subs({S: y * (1 + psi) / psi, w: psi}, simultaneous=True))
    return clear_denominators(Lpsi.subs({psi: z * G - 1, y: 1 / z}, simultaneous=True))


def _s_factor_is_physical(f: sp.Expr) -> bool:
    return any(is_physical(g) for g in factors(s_back(f), G))


def from_s_polynomial(L: sp.Expr) -> sp.Expr:
    """The Cauchy polynomial from an S-transform polynomial L(S, w), physical factor kept."""
    return physical_factor(s_back(L))


# --- explicit branches ----------------------------------------------------------------------------


def explicit_branch(L: sp.Expr, var: sp.Symbol, arg: sp.Symbol, at_infinity: bool,
                    leading: sp.Expr) -> sp.Expr | None:
    """The root of L(var, arg) = 0 in radicals whose expansion at the point matches ``leading``.

    At ``arg -> 0`` (``at_infinity=False``) the branch is the one tending to ``leading``; at
    infinity (``at_infinity=True``) the one with ``arg * var -> leading``.  Returns ``None`` when
    the polynomial is not solvable in radicals by SymPy or no root matches.  The expression equals
    the branch in a neighbourhood of the expansion point (with SymPy's principal square roots).
    """
    deg = sp.degree(L, var)
    if deg > 2:
        return None
    sols = sp.solve(L, var)
    t = sp.Dummy("t", positive=True)
    for s in sols:
        expr = (s * arg).subs(arg, 1 / t) if at_infinity else s.subs(arg, t)
        try:
            lim = sp.limit(expr, t, 0, "+")
        except (NotImplementedError, ValueError):
            continue
        if sp.simplify(lim - leading) == 0:
            return sp.simplify(s)
    return None
