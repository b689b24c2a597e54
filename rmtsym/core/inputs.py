"""The one door for numbers: conversion of user values to exact SymPy objects, and validators.

Every public entry reads its numeric arguments through :func:`exact` (or one of the validators
built on it), so that every entry accepts the same kinds of values and converts them by the same
rule:

* ``int``, ``fractions.Fraction``, NumPy integers, SymPy ``Integer`` and ``Rational`` pass exactly;
* exact algebraic SymPy numbers (``sqrt(2)``, ``(1 + 8*phi)**(3/2)`` at a rational phi, ``CRootOf``)
  and SymPy symbols pass unchanged;
* a binary float (Python ``float``, NumPy ``float64``/``float32``/...) becomes the rational whose
  decimal expansion is the *shortest decimal that reads back as the same float* (Python's ``repr``;
  NumPy's shortest representation for its own width): ``0.1`` becomes ``1/10``, ``1e-5`` becomes
  ``1/100000``;
* a SymPy ``Float`` becomes the rational of its decimal digits at its own precision
  (``sp.N(x, 40)`` is read to 40 significant digits; ``Float(0.1)`` at 15 digits is ``1/10``);
  Floats inside an expression (``sqrt(2) * Float(0.5)``) are replaced in the same way;
* an mpmath ``mpf`` becomes the rational of its decimal digits at mpmath's working precision;
* strings, bools, complex numbers, NaN and infinities are refused with a
  :class:`~rmtsym.errors.ParameterError` naming the parameter: no user text is ever handed to
  ``sympify``.

The validators (:func:`positive_int`, :func:`integer_in`, :func:`positive`, :func:`nonnegative`,
:func:`digits_argument`) are the only copies of those checks in the package.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral

import mpmath
import numpy as np
import sympy as sp
from mpmath import libmp

from ..errors import ParameterError

__all__ = [
    "digits_argument",
    "exact",
    "integer_in",
    "nonnegative",
    "positive",
    "positive_int",
    "rational_from_float",
]

_FINITE = "a finite number"


def _from_decimal(text: str) -> sp.Rational:
    f = Fraction(text)
    return sp.Rational(f.numerator, f.denominator)


def rational_from_float(value: object, name: str = "value") -> sp.Rational:
    """The exact rational a float stands for, by the documented rule of this module.

    Binary floats are read as the shortest decimal that round-trips; SymPy Floats by their decimal
    digits at their own precision; mpmath numbers at mpmath's working precision.

    Examples
    --------
    >>> rational_from_float(0.1), rational_from_float(np.float32(0.1)), rational_from_float(2.5e-7)
    (1/10, 1/10, 1/4000000)
    >>> rational_from_float(sp.Float("0.1", 30))
    1/10
    >>> rational_from_float(sp.N(sp.Rational(1, 3), 5))
    33333/100000
    """
    if isinstance(value, sp.Float):
        if not value.is_finite:
            raise ParameterError(name, value, _FINITE)
        dps = max(1, libmp.prec_to_dps(value._prec))
        return _from_decimal(libmp.to_str(value._mpf_, dps, strip_zeros=True))
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise ParameterError(name, value, _FINITE)
        return _from_decimal(mpmath.nstr(value, mpmath.mp.dps, strip_zeros=True))
    if isinstance(value, np.floating):
        if not np.isfinite(value):
            raise ParameterError(name, value, _FINITE)
        return _from_decimal(np.format_float_scientific(value, unique=True))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParameterError(name, value, _FINITE)
        return _from_decimal(repr(value))
    raise ParameterError(name, value, "a float")


def _from_sympy(value: sp.Basic, name: str) -> sp.Expr:
    if not isinstance(value, sp.Expr):
        raise ParameterError(name, value, "a number or a SymPy symbol")
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise ParameterError(name, value, _FINITE)
    v = value
    if isinstance(v, sp.Float):
        return rational_from_float(v, name)
    floats = v.atoms(sp.Float)
    if floats:
        v = v.xreplace({f: rational_from_float(f, name) for f in floats})
    if v.is_number and v.is_real is False:
        raise ParameterError(name, value, "a real number")
    return v


def exact(value: object, name: str) -> sp.Expr:
    """An exact SymPy value for a user parameter (see the module docstring for the rule).

    Parameters
    ----------
    value : int, float, Fraction, NumPy scalar, SymPy number or symbol, mpmath mpf
        The value received.
    name : str
        The parameter's name, quoted in the error.

    Raises
    ------
    ParameterError
        For strings, bools, complex numbers, NaN, infinities and any other type.

    Examples
    --------
    >>> exact(0.25, "ratio"), exact(Fraction(1, 3), "ratio"), exact(np.int64(7), "n")
    (1/4, 1/3, 7)
    >>> exact(sp.sqrt(2) / 3, "eps"), exact(sp.Float("1.5", 40), "eps")
    (sqrt(2)/3, 3/2)
    >>> exact("1/2", "ratio")
    Traceback (most recent call last):
    ...
    rmtsym.errors.ParameterError: parameter 'ratio' must be a number (int, float, Fraction, \
NumPy or SymPy number, or a SymPy symbol), not a string; got '1/2'
    """
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(name, value, "a number or a SymPy symbol, not a bool")
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating, mpmath.mpf)):
        return rational_from_float(value, name)
    if isinstance(value, sp.Basic):
        return _from_sympy(value, name)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return exact(value.item(), name)
    if isinstance(value, (complex, np.complexfloating, mpmath.mpc)):
        raise ParameterError(name, value, "a real number")
    kind = "not a string" if isinstance(value, (str, bytes)) else f"not {type(value).__name__}"
    raise ParameterError(name, value, "a number (int, float, Fraction, NumPy or SymPy number, or "
                         f"a SymPy symbol), {kind}")


def _sign(v: sp.Expr) -> int | None:
    """The sign of a numeric exact value (-1, 0, 1); None for a symbolic one."""
    if v.free_symbols:
        if v.is_positive:
            return 1
        if v.is_negative:
            return -1
        return None
    if v.is_zero:
        return 0
    if v.is_positive:
        return 1
    if v.is_negative:
        return -1
    for prec in (30, 100, 400):  # an algebraic number SymPy cannot decide symbolically
        val = sp.N(v, prec)
        if val.is_real and abs(val) > sp.Float(10) ** (10 - prec):
            return 1 if val > 0 else -1
    return 0 if sp.simplify(v) == 0 else None


def positive(value: object, name: str) -> sp.Expr:
    """An exact value that must be > 0 (symbols pass unless known to be non-positive).

    Examples
    --------
    >>> positive(0.5, "ratio")
    1/2
    >>> positive(0, "ratio")
    Traceback (most recent call last):
    ...
    rmtsym.errors.ParameterError: parameter 'ratio' must be a positive number; got 0
    """
    v = exact(value, name)
    s = _sign(v)
    if (s is not None and s <= 0) or v.is_nonpositive:
        raise ParameterError(name, v, "a positive number")
    return v


def nonnegative(value: object, name: str) -> sp.Expr:
    """An exact value that must be >= 0 (symbols pass unless known to be negative).

    Examples
    --------
    >>> nonnegative(0, "zeta")
    0
    """
    v = exact(value, name)
    s = _sign(v)
    if (s is not None and s < 0) or v.is_negative:
        raise ParameterError(name, v, "a non-negative number")
    return v


def integer_in(value: object, name: str, minimum: int | None = None,
               maximum: int | None = None) -> int:
    """A Python int from an integer value (int, NumPy or SymPy integer) in [minimum, maximum].

    Floats, even integral ones, are refused: a count is never rounded silently.

    Examples
    --------
    >>> integer_in(np.int64(3), "n", 0, 10)
    3
    >>> integer_in(3.0, "n")
    Traceback (most recent call last):
    ...
    rmtsym.errors.ParameterError: parameter 'n' must be an integer; got 3.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Integral, sp.Integer)):
        raise ParameterError(name, value, _range_text(minimum, maximum))
    n = int(value)
    if (minimum is not None and n < minimum) or (maximum is not None and n > maximum):
        raise ParameterError(name, value, _range_text(minimum, maximum))
    return n


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is None and maximum is None:
        return "an integer"
    if maximum is None:
        return "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
    if minimum is None:
        return f"an integer <= {maximum}"
    return f"an integer in [{minimum}, {maximum}]"


def positive_int(value: object, name: str, maximum: int | None = None) -> int:
    """A positive Python int (a number of terms, a matrix size, a count of draws).

    Examples
    --------
    >>> positive_int(sp.Integer(5), "n")
    5
    >>> positive_int(0, "n")
    Traceback (most recent call last):
    ...
    rmtsym.errors.ParameterError: parameter 'n' must be a positive integer; got 0
    """
    return integer_in(value, name, 1, maximum)


def digits_argument(value: object, name: str = "digits", minimum: int = 15,
                    maximum: int = 10000) -> int:
    """A number of significant decimal digits for a high-precision evaluation.

    Examples
    --------
    >>> digits_argument(30)
    30
    """
    return integer_in(value, name, minimum, maximum)
