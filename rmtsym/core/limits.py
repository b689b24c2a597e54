"""The cost model: limits checked before work starts, so that no input hangs or exhausts memory.

Every limit here is a number a user may read in ``--help`` and in the error message that enforces
it.  Three kinds:

* sizes of text and literals: an expression's length and nesting depth, the digits and the decimal
  exponent of a number literal (``1e99999999`` is refused before it is expanded);
* sizes of intermediate results: an exact number produced by arithmetic on literals (a power
  ``(2^64)^64`` is estimated from its operands' bit lengths before it is computed), and the
  estimated degree of a free convolution's resultant (a law's degree grows multiplicatively along
  a chain of convolutions; ``--allow-large`` lifts that limit);
* caps on counts a command is asked for: moments, series orders, digits, grid points, Hermite
  coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import ParameterError
from .inputs import integer_in
from .symbols import G, z

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "check_count",
    "check_number_size",
    "convolution_estimate",
    "power_bits",
]


@dataclass(frozen=True)
class Limits:
    """The limits of the cost model (defaults are :data:`DEFAULT_LIMITS`).

    Attributes
    ----------
    max_length : int
        Characters in an expression.
    max_depth : int
        Nesting depth of an expression: open brackets and calls plus operators waiting for an
        operand (``"+" * 1000 + "sc(1)"`` and ``"x" + "^x" * 600`` are too deep).
    max_literal_digits : int
        Significant digits of a number literal.
    max_literal_exponent : int
        Absolute decimal exponent of a number literal (``1e-40`` passes, ``1e-400`` does not).
    max_number_bits : int
        Bits of the numerator or denominator of an exact number computed from literals.
    max_convolution_degree : int
        Estimated degree of one free convolution's resultant.
    max_convolution_total : int
        Sum of those estimates over one law expression.
    max_moments, max_order, max_digits, max_index_digits, max_grid, max_hermite : int
        Caps on ``-n`` of ``moments``, ``--order``, ``--digits`` (``--digits`` of ``index``, whose
        integral costs more per digit), grid points of ``--x`` and ``-n`` of ``hermite``: each
        set so that the largest allowed request finishes within about 10 s.
    max_seconds : float
        CPU-time budget of one command-line computation (``--time-limit``), the backstop for
        costs no static limit foresees.
    allow_large : bool
        Lift the two convolution limits (``--allow-large``).
    """

    max_length: int = 2000
    max_depth: int = 100
    max_literal_digits: int = 60
    max_literal_exponent: int = 60
    max_number_bits: int = 4000
    max_convolution_degree: int = 64
    max_convolution_total: int = 120
    max_moments: int = 300
    max_order: int = 12
    max_digits: int = 80
    max_index_digits: int = 40
    max_grid: int = 100_000
    max_hermite: int = 16
    max_seconds: float = 8.0
    allow_large: bool = False


#: the limits every command uses unless told otherwise
DEFAULT_LIMITS = Limits()


def check_count(value: int, name: str, low: int, high: int) -> int:
    """``value`` if it is an int in ``[low, high]``, else a :class:`ParameterError`.

    Examples
    --------
    >>> check_count(8, "-n", 1, DEFAULT_LIMITS.max_moments)
    8
    """
    try:
        return integer_in(value, name, low, high)
    except ParameterError:
        raise ParameterError(name, value, f"an integer between {low} and {high}") from None


def _bits(n: int) -> int:
    return abs(int(n)).bit_length()


def check_number_size(value: sp.Expr, what: str, limits: Limits = DEFAULT_LIMITS) -> sp.Expr:
    """``value`` if its numerator and denominator fit in ``max_number_bits`` bits.

    Examples
    --------
    >>> check_number_size(sp.Rational(2) ** 100, "x")
    1267650600228229401496703205376
    """
    if isinstance(value, sp.Rational):
        bits = max(_bits(value.p), _bits(value.q))
        if bits > limits.max_number_bits:
            raise ParameterError(what, f"a number of {bits} bits", f"a number of at most "
                                 f"{limits.max_number_bits} bits (about "
                                 f"{int(limits.max_number_bits * 0.30103)} digits)")
    return value


def power_bits(base: sp.Expr, exponent: sp.Expr) -> int:
    """An upper bound on the bits of ``base ** exponent`` for a rational base and a rational
    exponent (the numerator of the exponent is what multiplies the size); 0 if either is not a
    rational number, where SymPy keeps the power unevaluated.

    Examples
    --------
    >>> power_bits(sp.Integer(2) ** 64, sp.Integer(64))
    4160
    """
    if not (isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational)):
        return 0
    if base in (0, 1, -1):
        return 1
    return max(_bits(base.p), _bits(base.q)) * abs(int(exponent.p))


def _degrees(expr: sp.Expr) -> tuple[int, int, int]:
    poly = sp.Poly(expr, G, z)
    height = max((max(_bits(sp.fraction(c)[0]) if c.is_Rational else 64, 1)
                  for c in poly.coeffs()), default=1)
    return poly.degree(G), poly.degree(z), height


def convolution_estimate(pa: sp.Expr, pb: sp.Expr) -> int:
    """The estimated degree of the resultant behind a free convolution of the laws with Cauchy
    polynomials ``pa`` and ``pb``: (deg_G a + deg_z a) (deg_G b + deg_z b), the product of the
    degrees of their R- or S-polynomials (an upper bound in the cases that matter: the resultant
    eliminates one variable from two curves, a Bezout count).

    Examples
    --------
    >>> convolution_estimate(G**2 - z*G + 1, G**2 - z*G + 1)    # two semicircles: 3 * 3
    9
    """
    da, ea, _ = _degrees(pa)
    db, eb, _ = _degrees(pb)
    return (da + ea) * (db + eb)
