"""The central object: an algebraic spectral law, P(G, z) = 0.

An :class:`AlgebraicLaw` holds the polynomial of its Cauchy transform (canonical: square-free,
primitive, G first), the constraints its parameters must meet, and how it was built (a
:class:`~rmtsym.laws.recipe.Recipe`, for its label and for Monte Carlo sampling).  Everything else
is derived by the module that owns the algorithm; the methods here are one-line delegations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..algebra import edges, explicit, moments, recurrence, transforms
from ..core.inputs import exact
from ..core.latex import Collected, as_math, as_text, to_latex
from ..core.symbols import G, z
from ..errors import ParameterError, SymbolicParameterError
from ..numeric import (
    evaluate,
    functionals,
    integrate,
    precision,
    rectangular_spikes,
    spikes,
    support,
)
from . import plot
from .recipe import Recipe

__all__ = ["AlgebraicLaw", "Constraint", "Recipe"]


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
    recipe: Recipe = field(default=Recipe("polynomial"), compare=False, repr=False)

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

    @property
    def label(self) -> str:
        """The law's name, rendered from its recipe (empty for a bare polynomial)."""
        return self.recipe.label()

    def __str__(self) -> str:
        return self.label or f"AlgebraicLaw({self.expr} = 0)"

    # --- display (never computes: no support, no atoms) ------------------------------------------
    def __repr__(self) -> str:
        """The label, the polynomial equation and the symbolic parameters.

        Examples
        --------
        >>> import rmtsym as rs
        >>> rs.marchenko_pastur(sp.Rational(1, 2))
        <AlgebraicLaw mp(1/2): G**2*z - 2*G*z + G + 2 = 0>
        >>> rs.marchenko_pastur(rs.parameter("c"))
        <AlgebraicLaw mp(c): G**2*c*z - G*c - G*z + G + 1 = 0; parameters c>
        >>> print(rs.semicircle(1)._repr_latex_())
        $$\\text{sc(1)}:\\quad G^{2} - z G + 1 = 0$$
        """
        head = f"{self.label}: " if self.label else ""
        params = ", ".join(s.name for s in self.parameters)
        tail = f"; parameters {params}" if params else ""
        return f"<AlgebraicLaw {head}{sp.sstr(self.expr)} = 0{tail}>"

    def _repr_latex_(self) -> str:
        """The label and P(G, z) = 0 by powers of G, with the open parameter conditions."""
        tex = to_latex(Collected(self.expr, G))
        if self.label:
            tex = as_text(self.label) + r":\quad " + tex
        open_ = [c for c in self.constraints if c.expr.free_symbols]
        if open_:
            tex += r",\qquad " + r",\ ".join(
                to_latex(c.expr) + (" > 0" if c.strict else r" \ge 0") for c in open_)
        return as_math(tex, display=True)

    def subs(self, values: dict | None = None, **kwargs: Any) -> AlgebraicLaw:
        """The law with parameters replaced by values (given as a dict or by name).

        The values are checked against the law's constraints and the physical factor of the
        substituted polynomial is selected again.

        Examples
        --------
        >>> import rmtsym as rs
        >>> c = rs.parameter("c")
        >>> law = rs.marchenko_pastur(ratio=c).subs(c=sp.Rational(1, 2))
        >>> law.expr, law.label
        (G**2*z - 2*G*z + G + 2, 'mp(1/2)')
        """
        mapping = dict(values or {})
        by_name = {s.name: s for s in self.parameters}
        for k, v in kwargs.items():
            if k not in by_name:
                raise ParameterError(k, v, f"one of the law's parameters {sorted(by_name)}")
            mapping[by_name[k]] = v
        mapping = {k: exact(v, str(k)) for k, v in mapping.items()}
        cons = []
        for c in self.constraints:
            v = c.expr.subs(mapping)
            c.check(v)
            if v.free_symbols:
                cons.append(Constraint(c.label, v, c.allowed, c.strict))
        P = transforms.physical_factor(self.expr.subs(mapping))
        return AlgebraicLaw(P, tuple(cons), self.recipe.subs(mapping))

    def sample_point(self) -> dict:
        """Generic numeric values of the symbolic parameters that meet the law's constraints
        (used to read which edge candidate is which)."""
        vals = {s: sp.Rational(3 + 2 * k, 7 + 3 * k) for k, s in enumerate(self.parameters)}
        for c in self.constraints:
            c.check(c.expr.subs(vals))
        return vals

    def _numeric_expr(self, what: str) -> sp.Expr:
        if self.parameters:
            raise SymbolicParameterError(what, self.parameters)
        return self.expr

    # --- transforms -------------------------------------------------------------------------------
    def stieltjes_polynomial(self) -> sp.Expr:
        """L(m, z) for the Stieltjes transform m = -G."""
        return transforms.to_stieltjes(self.expr)

    def r_polynomial(self) -> sp.Expr:
        """The R-transform polynomial L(R, w)."""
        return transforms.r_polynomial(self.expr)

    def s_polynomial(self) -> sp.Expr:
        """The S-transform polynomial L(S, w)."""
        return transforms.s_polynomial(self.expr)

    def psi_polynomial(self) -> sp.Expr:
        """The polynomial of the moment generating function psi(y)."""
        return transforms.psi_polynomial(self.expr)

    def r_transform(self) -> sp.Expr | None:
        """R(w) in radicals (the branch analytic at w = 0 with R(0) = m_1), or None."""
        return explicit.explicit_r(self.expr)

    def s_transform(self) -> sp.Expr | None:
        """S(w) in radicals (the branch with S(0) = 1/m_1), or None."""
        return explicit.explicit_s(self.expr)

    def cauchy_explicit(self) -> sp.Expr | None:
        """G(z) in radicals: the branch with z G(z) -> 1 at infinity, or None."""
        return explicit.explicit_cauchy(self.expr)

    # --- moments ----------------------------------------------------------------------------------
    def moments(self, n: int, method: str = "auto") -> list[sp.Expr]:
        """[m_1, ..., m_n], exact, by the faster exact route (see :func:`moments.moments`)."""
        return moments.moments(self.expr, n, method)

    def free_cumulants(self, n: int) -> list[sp.Expr]:
        """[kappa_1, ..., kappa_n], exact."""
        return moments.free_cumulants(self.expr, n)

    def moment_recurrence(self) -> recurrence.MomentRecurrence:
        """The P-recursive recurrence of the moments (a :class:`MomentRecurrence`)."""
        return recurrence.moment_recurrence(self.expr)

    def moment_closed_form(self) -> sp.Expr | None:
        """m_k as a closed form in the symbol k, or None when none is found."""
        return recurrence.moment_closed_form(self.expr)

    # --- support and atoms -----------------------------------------------------------------------
    def edge_candidates(self) -> list[sp.Expr]:
        """Real roots of the discriminant of P in G: every support edge is among them."""
        return edges.edge_candidates(self.expr)

    def support(self) -> list[tuple[sp.Expr, sp.Expr]]:
        """The support of the absolutely continuous part as exact intervals."""
        return support.support(self.expr, None if self.is_numeric else self.sample_point())

    def atoms(self) -> dict:
        """{location: mass} of the point masses, exact."""
        return support.atoms(self.expr)

    # --- numerics ---------------------------------------------------------------------------------
    def cauchy(self, zs: Any, digits: int | None = None) -> Any:
        """G(z) on the physical branch, vectorised over complex arrays; with ``digits``, SymPy
        Floats with that many correct digits (:mod:`rmtsym.numeric.precision`)."""
        if digits is not None:
            return precision.cauchy_at(self._numeric_expr("the Cauchy transform"), zs, digits)
        return evaluate.cauchy(self._numeric_expr("the Cauchy transform"), zs)

    def density(self, xs: Any, digits: int | None = None) -> Any:
        """Density of the absolutely continuous part at real points, vectorised; with
        ``digits``, SymPy Floats with that many correct digits."""
        if digits is not None:
            return precision.density_at(self._numeric_expr("the density"), xs, digits)
        return evaluate.density(self._numeric_expr("the density"), xs)

    def cdf(self, xs: Any, digits: int | None = None) -> Any:
        """Cumulative distribution function (atoms included), vectorised; with ``digits``,
        SymPy Floats with that many correct digits (tanh-sinh quadrature on each band)."""
        if digits is not None:
            return precision.cdf_at(self._numeric_expr("the CDF"), xs, self.support(),
                                    self.atoms(), digits)
        return integrate.cdf(self._numeric_expr("the CDF"), xs)

    def expect(self, f: Any, digits: int = 30) -> sp.Expr:
        """E[f(X)], atoms included: exact for a polynomial f, else a SymPy Float of ``digits``
        digits (see :mod:`rmtsym.numeric.functionals`)."""
        return functionals.expect(self._numeric_expr("an expectation"), f, self.support(),
                                  self.atoms(), digits)

    def log_potential(self, x: Any, digits: int | None = None) -> Any:
        """``int log|x - y| rho(dy)``: a SymPy Float of ``digits`` digits (a float when None)."""
        return functionals.log_potential(self._numeric_expr("the log-potential"), x,
                                         self.support(), self.atoms(), digits)

    def plot(self, ax: Any = None, x: Any = None, **options: Any) -> Any:
        """Draw the density over the support (with a margin), atoms as stems with their mass and
        the edges marked; returns the matplotlib Axes (see :func:`rmtsym.laws.plot.plot_law`)."""
        return plot.plot_law(self._numeric_expr("a plot"), ax, x, **options)

    def spike(self, theta: Any, kind: str = "additive") -> spikes.SpikeResult:
        """BBP threshold, outlier and squared overlap of a rank-one spike theta (exact, symbolic
        or an array): X + theta v v^T, or S^(1/2) X S^(1/2) with S = I + theta v v^T."""
        return spikes.law_spike(self, theta, kind)

    def rectangular_spike(self, theta: Any, ratio: Any) -> rectangular_spikes.RectangularSpike:
        """Threshold, outlier and left/right overlaps of a rank-one spike theta u v^T added to an
        n x m matrix X whose X X^T has this law (``ratio`` = n/m)."""
        return rectangular_spikes.law_rectangular_spike(self, theta, ratio)
