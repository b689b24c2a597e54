"""The central object: an algebraic spectral law, P(G, z) = 0.

An :class:`AlgebraicLaw` holds the polynomial of its Cauchy transform (canonical: square-free,
primitive, G first), the constraints its parameters must meet, and how it was built (for display
and for Monte Carlo sampling).  Everything else is derived by the module that owns the algorithm;
the methods here are one-line delegations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .errors import ParameterError
from .symbols import G, z
from .values import exact

__all__ = ["AlgebraicLaw", "Constraint"]


@dataclass(frozen=True)
class Constraint:
    """A parameter condition: ``expr > 0`` (``strict``) or ``expr >= 0``.

    ``label`` names the parameter as the user wrote it, ``allowed`` says in words what is allowed.
    """

    label: str
    expr: sp.Expr
    allowed: str
    strict: bool = True

    def check(self, value: sp.Expr | None = None) -> None:
        """Raise :class:`ParameterError` if the (substituted) expression is numeric and violates
        the condition."""
        v = exact(self.expr if value is None else value, self.label)
        if v.free_symbols:
            return
        if not v.is_real:
            raise ParameterError(self.label, v, self.allowed)
        bad = v <= 0 if self.strict else v < 0
        if bool(bad):
            raise ParameterError(self.label, v, self.allowed)


@dataclass(frozen=True)
class AlgebraicLaw:
    """A probability law on the real line whose Cauchy transform G solves P(G, z) = 0.

    Build laws with the catalogue (:func:`rmtsym.semicircle`, :func:`rmtsym.marchenko_pastur`, ...)
    and the free convolutions; the constructor takes an already canonical polynomial.

    Examples
    --------
    >>> import rmtsym as rs
    >>> law = rs.semicircle(variance=1)
    >>> law.polynomial
    Poly(G**2 - G*z + 1, G, z, domain='ZZ')
    >>> law.moments(4)
    [0, 1, 0, 2]
    """

    expr: sp.Expr
    constraints: tuple[Constraint, ...] = ()
    source: tuple = field(default=("polynomial",), compare=False, repr=False)
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for c in self.constraints:
            c.check()

    # --- the representation ---------------------------------------------------------------------
    @property
    def polynomial(self) -> sp.Poly:
        """P(G, z) as a SymPy ``Poly`` in (G, z), coefficients in Z[parameters]."""
        return sp.Poly(self.expr, G, z)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The free symbolic parameters, sorted by name."""
        return tuple(sorted(self.expr.free_symbols - {G, z}, key=lambda s: s.name))

    @property
    def degree(self) -> int:
        """Degree of P in G."""
        return sp.degree(self.expr, G)

    @property
    def is_numeric(self) -> bool:
        """True when no symbolic parameter is left."""
        return not self.parameters

    def __str__(self) -> str:
        return self.label or f"AlgebraicLaw({self.expr} = 0)"

    def subs(self, values: dict | None = None, **kwargs: Any) -> AlgebraicLaw:
        """The law with parameters replaced by values (given as a dict or by name).

        Examples
        --------
        >>> import rmtsym as rs
        >>> c = rs.parameter("c")
        >>> rs.marchenko_pastur(ratio=c).subs(c=sp.Rational(1, 2)).expr
        G**2*z - 2*G*z + G + 2
        """
        from .convolution import substitute

        mapping = dict(values or {})
        by_name = {s.name: s for s in self.parameters}
        for k, v in kwargs.items():
            if k not in by_name:
                raise ParameterError(k, v, f"one of the law's parameters {sorted(by_name)}")
            mapping[by_name[k]] = v
        return substitute(self, mapping)

    # --- transforms -------------------------------------------------------------------------------
    def stieltjes_polynomial(self) -> sp.Expr:
        """L(m, z) for the Stieltjes transform m = -G."""
        from .transforms import to_stieltjes

        return to_stieltjes(self.expr)

    def r_polynomial(self) -> sp.Expr:
        """The R-transform polynomial L(R, w)."""
        from .transforms import r_polynomial

        return r_polynomial(self.expr)

    def s_polynomial(self) -> sp.Expr:
        """The S-transform polynomial L(S, w)."""
        from .transforms import s_polynomial

        return s_polynomial(self.expr)

    def psi_polynomial(self) -> sp.Expr:
        """The polynomial of the moment generating function psi(y)."""
        from .transforms import psi_polynomial

        return psi_polynomial(self.expr)

    def r_transform(self) -> sp.Expr | None:
        """R(w) in radicals (the branch analytic at w = 0 with R(0) = m_1), or None."""
        from .convolution import explicit_r

        return explicit_r(self)

    def s_transform(self) -> sp.Expr | None:
        """S(w) in radicals (the branch with S(0) = 1/m_1), or None."""
        from .convolution import explicit_s

        return explicit_s(self)

    def cauchy_explicit(self) -> sp.Expr | None:
        """G(z) in radicals: the branch with z G(z) -> 1 at infinity, or None."""
        from .convolution import explicit_cauchy

        return explicit_cauchy(self)

    # --- moments ----------------------------------------------------------------------------------
    def moments(self, n: int) -> list[sp.Expr]:
        """[m_1, ..., m_n], exact."""
        from .moments import moments

        return moments(self.expr, n)

    def free_cumulants(self, n: int) -> list[sp.Expr]:
        """[kappa_1, ..., kappa_n], exact."""
        from .moments import free_cumulants

        return free_cumulants(self.expr, n)

    def moment_recurrence(self):
        """The P-recursive recurrence of the moments (a :class:`MomentRecurrence`)."""
        from .recurrence import moment_recurrence

        return moment_recurrence(self.expr)

    def moment_closed_form(self) -> sp.Expr | None:
        """m_k as a closed form in the symbol k, or None when none is found."""
        from .recurrence import moment_closed_form

        return moment_closed_form(self.expr)

    # --- support and atoms -----------------------------------------------------------------------
    def edge_candidates(self) -> list[sp.Expr]:
        """Real roots of the discriminant of P in G: every support edge is among them."""
        from .support import edge_candidates

        return edge_candidates(self)

    def support(self) -> list[tuple[sp.Expr, sp.Expr]]:
        """The support of the absolutely continuous part as exact intervals."""
        from .support import support

        return support(self)

    def atoms(self) -> dict:
        """{location: mass} of the point masses, exact."""
        from .support import atoms

        return atoms(self)

    # --- numerics ---------------------------------------------------------------------------------
    def cauchy(self, zs: Any) -> Any:
        """G(z) on the physical branch, vectorised over complex arrays."""
        from .numeric import cauchy

        return cauchy(self, zs)

    def density(self, xs: Any) -> Any:
        """Density of the absolutely continuous part at real points, vectorised."""
        from .numeric import density

        return density(self, xs)

    def cdf(self, xs: Any) -> Any:
        """Cumulative distribution function (atoms included), vectorised."""
        from .numeric import cdf

        return cdf(self, xs)
