"""Holonomic side of algebraic laws: the linear ODE of G, the P-recursive moment recurrence, and
closed forms of the moments.

Algebraic implies D-finite: the derivatives of G live in the d-dimensional Q(z)-vector space
Q(z)[G]/(P), so 1, G, G', ..., G^(d-1) are linearly dependent.  The dependence is found by reducing
each derivative modulo P (G' = -P_z / P_G, inverted modulo P) and taking a kernel vector; it is an
ODE sum_j p_j(z) G^(j) = q(z) with polynomial coefficients.  Reading off the coefficient of
z^(-n-1) on both sides (G = sum m_k z^(-k-1); q is a polynomial and does not reach negative powers)
gives a recurrence sum_r a_r(k) m_(k+r) = 0 with polynomial coefficients.

Minimality: the ODE has the smallest order among ODEs of that form (homogeneous or with a
polynomial right-hand side), both are tried and the one with the lower recurrence order is kept.
The recurrence is the one this ODE induces; it is not guaranteed to be the shortest recurrence the
moments satisfy.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.polys.matrices import DomainMatrix

from ..core.inputs import positive_int
from ..core.latex import as_math, to_latex
from ..core.polynomials import as_polynomial
from ..core.power_series import domain_for
from ..core.symbols import G, R, w, z
from ..errors import AlgebraError
from .transforms import cauchy_series, r_polynomial

__all__ = [
    "MomentRecurrence",
    "cached_recurrence",
    "has_cached_recurrence",
    "linear_ode",
    "moment_closed_form",
    "moment_recurrence",
]

k = sp.Symbol("k", integer=True, nonnegative=True)


def _field(P: sp.Expr):
    params = sorted(P.free_symbols - {G, z}, key=lambda s: s.name)
    return sp.QQ.frac_field(z, *params), params


def _derivatives(P: sp.Expr, count: int):
    """[G, G', ..., G^(count-1)] as polynomials in G of degree < d over Q(z)(params)."""
    K, _ = _field(P)
    p = sp.Poly(P, G, domain=K)
    gprime = (-sp.Poly(sp.diff(P, z), G, domain=K) * p.diff(G).invert(p)).rem(p)
    out = [sp.Poly(G, G, domain=K).rem(p)]
    for _ in range(count - 1):
        e = out[-1]
        dz = sp.Poly([K.from_sympy(sp.diff(K.to_sympy(c), z)) for c in e.all_coeffs()], G, domain=K)
        out.append((dz + e.diff(G) * gprime).rem(p))
    return out, K, p.degree()


def _kernel(vectors, K, d):
    rows = [[K.from_sympy(v.coeff_monomial(G**i)) for v in vectors] for i in range(d)]
    ns = DomainMatrix(rows, (d, len(vectors)), K).nullspace()
    if ns.shape[0] == 0:
        return None
    vec = [sp.cancel(x) for x in ns.to_Matrix().row(0)]
    den = sp.lcm([sp.fraction(x)[1] for x in vec])
    coeffs = [sp.expand(sp.cancel(x * den)) for x in vec]
    g = sp.gcd_list([c for c in coeffs if c != 0])
    return [sp.expand(sp.cancel(c / g)) for c in coeffs]


def linear_ode(P: object, inhomogeneous: bool = True) -> tuple[list[sp.Expr], sp.Expr]:
    """A linear ODE sum_j p_j(z) G^(j)(z) = q(z) of minimal order satisfied by the physical branch.

    Returns ``([p_0, p_1, ..., p_r], q)`` with polynomial coefficients; q = 0 when
    ``inhomogeneous=False``.

    Examples
    --------
    >>> ps, q = linear_ode(G**2 - z*G + 1)     # semicircle: (z^2 - 4) G' - z G = -2
    >>> [sp.factor(p) for p in ps], q
    ([-z, (z - 2)*(z + 2)], -2)
    """
    P = as_polynomial(P)
    d = sp.degree(P, G)
    derivs, K, _ = _derivatives(P, d + 1)
    one = sp.Poly(1, G, domain=K)
    for r in range(1, d + 1):
        vecs = ([one] if inhomogeneous else []) + derivs[: r + 1]
        ker = _kernel(vecs, K, d)
        if ker is not None:
            if inhomogeneous:
                if ker[1:] == [0] * r or all(c == 0 for c in ker[1:]):
                    continue
                return ker[1:], sp.expand(-ker[0])
            return ker, sp.Integer(0)
    raise AlgebraError("no linear ODE found; is P square-free in G?")  # pragma: no cover


def _rising(x: sp.Expr, j: int) -> sp.Expr:
    return sp.Mul(*[x + i for i in range(1, j + 1)])


def _ode_to_recurrence(ps: list[sp.Expr]) -> tuple[list[sp.Expr], int]:
    """Coefficients a_0(k)..a_R(k) of sum_r a_r(k) m_(k+r) = 0 and the first k where it holds.

    The term p_ji z^i G^(j) contributes p_ji (-1)^j (n+s+1)...(n+s+j) m_(n+s), s = i - j, to the
    coefficient of z^(-n-1), n >= 0; with k = n + s_min the lowest index is m_k.
    """
    n = sp.Dummy("n")
    by_shift: dict[int, sp.Expr] = {}
    for j, pj in enumerate(ps):
        if pj == 0:
            continue
        for (i,), c in sp.Poly(pj, z).terms():
            s = i - j
            by_shift[s] = by_shift.get(s, 0) + c * (-1) ** j * _rising(n + s, j)
    smin, smax = min(by_shift), max(by_shift)
    coeffs = [sp.expand(by_shift.get(s, sp.Integer(0)).subs(n, k - smin))
              for s in range(smin, smax + 1)]
    g = sp.gcd_list([c for c in coeffs if c != 0])
    return [sp.expand(sp.cancel(c / g)) for c in coeffs], max(0, smin)


@dataclass(frozen=True)
class MomentRecurrence:
    """sum_{r=0}^{R} a_r(k) m_(k+r) = 0 for all k >= ``start``, with m_0 = 1 and the initial values
    m_0..m_(len(initial)-1).

    Examples
    --------
    >>> import rmtsym as rs
    >>> rec = rs.semicircle(1).moment_recurrence()
    >>> rec.text()
    '4*(k + 1)*m(k) - (k + 4)*m(k + 2) = 0,  k >= 0'
    >>> rec.terms(8)
    [0, 1, 0, 2, 0, 5, 0, 14]
    """

    coefficients: tuple[sp.Expr, ...]
    start: int
    initial: tuple[sp.Expr, ...]

    @property
    def order(self) -> int:
        return len(self.coefficients) - 1

    def _lhs(self) -> sp.Expr:
        mfun = sp.Function("m")
        return sum(sp.factor_terms(c) * mfun(k + r) for r, c in enumerate(self.coefficients)
                   if c != 0)

    def text(self) -> str:
        """Plain-text statement."""
        return f"{self._lhs()} = 0,  k >= {self.start}"

    def latex(self) -> str:
        """LaTeX statement."""
        return to_latex(sp.Eq(self._lhs(), 0)) + rf",\quad k \ge {self.start}"

    def __repr__(self) -> str:
        """The recurrence and its initial values m_0, m_1, ...

        Examples
        --------
        >>> import rmtsym as rs
        >>> rs.semicircle(1).moment_recurrence()
        <MomentRecurrence 4*(k + 1)*m(k) - (k + 4)*m(k + 2) = 0,  k >= 0; m_0..m_1 = 1, 0>
        """
        init = ", ".join(sp.sstr(v) for v in self.initial)
        return f"<MomentRecurrence {self.text()}; m_0..m_{len(self.initial) - 1} = {init}>"

    def _repr_latex_(self) -> str:
        """The recurrence and its initial values as display mathematics."""
        init = ", ".join(to_latex(v) for v in self.initial)
        last = len(self.initial) - 1
        return as_math(rf"{self.latex()},\qquad (m_0, \dots, m_{{{last}}}) = ({init})",
                       display=True)

    def terms(self, n: int) -> list[sp.Expr]:
        """[m_1, ..., m_n] generated by the recurrence from its initial values (exact)."""
        n = positive_int(n, "n")
        coeffs = self.coefficients
        kpolys = [sp.Poly(c, k) for c in coeffs]
        K = domain_for([a for p in kpolys for a in p.all_coeffs()] + list(self.initial))
        kp = [[K.from_sympy(a) for a in p.all_coeffs()] for p in kpolys]

        def ev(poly, kk):
            acc = K.zero
            for a in poly:
                acc = acc * K(kk) + a
            return acc

        ms = [K.from_sympy(v) for v in self.initial]
        R = self.order
        while len(ms) < n + 1:
            kk = len(ms) - R
            lead = ev(kp[R], kk)
            if lead == K.zero:
                raise AlgebraError(f"leading coefficient vanishes at k = {kk}: more initial "
                                   "values are needed")
            acc = K.zero
            for r in range(R):
                if kp[r]:
                    acc += ev(kp[r], kk) * ms[kk + r]
            ms.append(-acc / lead)
        return [K.to_sympy(v) for v in ms[1 : n + 1]]

    def subs(self, values: dict) -> MomentRecurrence:
        """The recurrence at parameter values (coefficients and initial values substituted)."""
        return MomentRecurrence(tuple(sp.expand(c.subs(values)) for c in self.coefficients),
                                self.start, tuple(sp.factor(v.subs(values)) for v in self.initial))

    def verify(self, moments: list[sp.Expr]) -> bool:
        """Whether the recurrence reproduces the given [m_1, ..., m_n] exactly."""
        gen = self.terms(len(moments))
        return all(sp.simplify(a - b) == 0 for a, b in zip(gen, moments))


def _nonneg_int_roots(poly: sp.Expr) -> list[int]:
    if poly.free_symbols - {k}:
        # symbolic parameters: integer roots generic in the parameters only
        poly = sp.Poly(poly, k)
        content = sp.gcd_list(poly.coeffs())
        factors = sp.factor_list(sp.cancel(poly.as_expr() / content))[1]
        roots = []
        for f, _ in factors:
            if f.free_symbols == {k} and sp.degree(f, k) == 1:
                roots += sp.solve(f, k)
        return [int(r) for r in roots if r.is_integer and r >= 0]
    return [int(r) for r in sp.Poly(poly, k).ground_roots() if r.is_integer and r >= 0]


def moment_recurrence(P: object) -> MomentRecurrence:
    """The P-recursive recurrence of the moments of the law with Cauchy polynomial P, derived
    through the linear ODE of G (with and without a polynomial right-hand side; the shorter
    recurrence is kept).  Initial values come from the exact series at infinity, enough of them to
    step over every nonnegative integer root of the leading coefficient."""
    P = as_polynomial(P)
    best: tuple[list[sp.Expr], int] | None = None
    for inhom in (True, False):
        coeffs, start = _ode_to_recurrence(linear_ode(P, inhomogeneous=inhom)[0])
        while coeffs[-1] == 0:
            coeffs.pop()
        shift = 0
        while coeffs[0] == 0:
            coeffs.pop(0)
            shift += 1
        # dropping m_k's zero coefficient: the relation now starts at m_(k+shift); rename
        coeffs = [sp.expand(c.subs(k, k - shift)) for c in coeffs]
        if best is None or len(coeffs) < len(best[0]):
            best = (coeffs, start + shift)
    coeffs, start = best
    R = len(coeffs) - 1
    roots = [rt for rt in _nonneg_int_roots(coeffs[-1]) if rt >= start]
    need = max([start + R] + [rt + R + 1 for rt in roots])
    return MomentRecurrence(tuple(coeffs), start, tuple(cauchy_series(P, need)))


_CACHE: dict[sp.Expr, MomentRecurrence] = {}
_CACHE_SIZE = 64


def cached_recurrence(P: sp.Expr) -> MomentRecurrence:
    """:func:`moment_recurrence` of P, derived once per polynomial (the derivation is the costly
    part; stepping it costs O(1) operations per term).  The most recent 64 are kept."""
    rec = _CACHE.get(P)
    if rec is None:
        rec = moment_recurrence(P)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[P] = rec
    return rec


def has_cached_recurrence(P: sp.Expr) -> bool:
    """Whether :func:`cached_recurrence` holds the recurrence of P already."""
    return P in _CACHE


# --- closed forms -------------------------------------------------------------------------------


def _two_term(rec: MomentRecurrence) -> sp.Expr | None:
    nz = [r for r, c in enumerate(rec.coefficients) if c != 0]
    if len(nz) != 2 or nz[0] != 0:
        return None
    R = nz[1]
    a, b = rec.coefficients[R], rec.coefficients[0]
    j, i = sp.Symbol("j", integer=True, nonnegative=True), sp.Dummy("i", integer=True)
    m = [sp.Integer(1)] + rec.terms(R + rec.start + 2)
    pieces = []
    for s in range(R):
        base = rec.start + s if rec.start > 0 else s
        ms = m[base]
        if ms == 0:
            pieces.append((sp.Integer(0), s))
            continue
        ratio = sp.factor(-b.subs(k, R * i + base) / a.subs(k, R * i + base))
        term = ms * sp.product(ratio, (i, 0, j - 1))
        term = sp.simplify(sp.combsimp(term))
        pieces.append((term.subs(j, (k - base) / R), s))
    if R == 1:
        return sp.simplify(pieces[0][0])
    return sp.Piecewise(*[(expr, sp.Eq(sp.Mod(k, R), s)) for expr, s in pieces[:-1]],
                        (pieces[-1][0], True))


def _lagrange(P: sp.Expr) -> sp.Expr | None:
    """m_k = [w^k] C(w)^(k+1) / (k + 1), C(w) = 1 + w R(w), when C = (n0 + n1 w)/(d0 + d1 w)."""

    L = r_polynomial(P)
    if sp.degree(L, R) != 1:
        return None
    Rw = sp.solve(L, R)[0]
    num, den = sp.fraction(sp.cancel(1 + w * Rw))
    if sp.degree(num, w) > 1 or sp.degree(den, w) > 1:
        return None
    n0, n1 = num.subs(w, 0), sp.expand(num).coeff(w, 1)
    d0, d1 = den.subs(w, 0), sp.expand(den).coeff(w, 1)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    # [w^i] (d0 + d1 w)^(-(k+1)) = binomial(k + i, i) (-d1)^i d0^(-(k+1)-i)
    term = (sp.binomial(k + 1, j) * n0 ** (k + 1 - j) * n1**j
            * sp.binomial(2 * k - j, k - j) * (-d1) ** (k - j) * d0 ** (-(2 * k + 1 - j)))
    return sp.Sum(sp.simplify(term) / (k + 1), (j, 0, k))


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    diff = sp.expand(sp.expand_func(a) - b)
    return diff == 0 or sp.simplify(diff) == 0


def moment_closed_form(P: object, check: int = 30) -> sp.Expr | None:
    """A closed form of m_k in k, derived and then checked against the first ``check`` moments;
    None when none is found.

    A two-term recurrence gives hypergeometric terms (per residue class of k); otherwise an R-
    transform with C(w) = 1 + w R(w) a ratio of linear polynomials gives a finite binomial sum by
    Lagrange inversion.

    Examples
    --------
    >>> moment_closed_form(G**2 - z*G + 1)   # semicircle: Catalan numbers on even k
    Piecewise((4**(k/2)*gamma(k/2 + 1/2)/(sqrt(pi)*gamma(k/2 + 2)), Eq(Mod(k, 2), 0)), (0, True))
    """
    P = as_polynomial(P)
    rec = moment_recurrence(P)
    ms = [sp.Integer(1)] + cauchy_series(P, check + 1)[1:]
    for cand in (_two_term(rec), _lagrange(P)):
        if cand is None:
            continue
        ok = all(_equal(cand.subs(k, n).doit(), ms[n]) for n in range(1, check + 1))
        if ok:
            return cand
    return None
