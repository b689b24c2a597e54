"""Conversion of values to exact SymPy objects.

The one door through which numbers enter the engine: ints, fractions, SymPy objects and floats (read
as the decimal they print as) pass; strings and anything else are refused, so that no user text is
ever handed to ``sympify``.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral

import sympy as sp

from ..errors import ParameterError

__all__ = ["exact"]


def exact(value: object, name: str) -> sp.Expr:
    """An exact SymPy value for a user parameter.

    Integers, fractions, SymPy numbers and symbols pass unchanged; a float is read as the decimal
    it prints as (``0.1`` becomes ``1/10``); anything else is a :class:`ParameterError`.

    Examples
    --------
    >>> exact(0.25, "ratio"), exact(Fraction(1, 3), "ratio")
    (1/4, 1/3)
    """
    if isinstance(value, bool):
        raise ParameterError(name, value, "a number or a SymPy symbol, not a bool")
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParameterError(name, value, "a finite number")
        return sp.Rational(repr(value))
    if isinstance(value, sp.Basic):
        v = value
        if v.is_number and not v.is_real:
            raise ParameterError(name, value, "a real number")
        if v.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            raise ParameterError(name, value, "a finite number")
        return v
    raise ParameterError(name, value, "a number (int, Fraction, sympy Rational) or a SymPy symbol")
