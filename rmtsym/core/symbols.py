"""The fixed symbols of rmtsym's polynomials.

``G`` is the Cauchy transform and ``z`` its argument (CONVENTIONS.md); ``w`` is the argument of the
R- and S-transforms, ``y`` that of the moment generating function psi, and ``m`` the Stieltjes
transform m = -G.  They carry no assumptions: they are complex variables.
"""

from __future__ import annotations

import sympy as sp

G, z, w, y, m, R, S, psi = sp.symbols("G z w y m R S psi")
_u = sp.Dummy("u")

#: symbols that are variables, never parameters of a law
VARIABLES = frozenset({G, z, w, y, m, R, S, psi})


def parameter(name: str) -> sp.Symbol:
    """A positive real parameter symbol, the kind every catalogue law accepts.

    Examples
    --------
    >>> c = parameter("c")
    >>> c.is_positive
    True
    """
    return sp.Symbol(name, positive=True)
