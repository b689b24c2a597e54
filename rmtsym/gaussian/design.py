"""Activation design: choose free parameters of a family so that mean, zeta and eta take set values.

A family linear in its unknowns, f = g_0 + sum_i p_i g_i, has

    E[f(sZ)]   = m_0 + sum_i p_i m_i,                    m_i = E[g_i(sZ)]
    sqrt(zeta) = h_0 + sum_i p_i h_i,                    h_i = E[Z g_i(sZ)]   (Stein)
    eta        = sum_ij p_i p_j G_ij + 2 sum_i p_i G_0i + G_00,   G_ij = E[g_i g_j (sZ)],

so the constraints are one quadratic and linear equations in the p_i, solved by SymPy exactly when
every Gaussian moment has a closed form and in floating point (at ``digits``) otherwise.  ``zeta =
0``
with ``E f = 0`` and ``eta = 1`` gives Pennington-Worah's spectrum-preserving activations.
"""

from __future__ import annotations

import sympy as sp

from ..core.inputs import exact
from ..errors import ParameterError
from .activations import Activation, parse_activation
from .expectations import X, gaussian_expectation

__all__ = ["design_activation"]


def _moment(expr, s, digits):
    e = gaussian_expectation(expr, s, digits=digits)
    return (e.value, True) if e.exact else (sp.Float(e.value, digits), False)


def design_activation(family: str, unknowns: tuple[str, ...] | list[str], *, mean: object = 0,
                      zeta: object = 0, eta: object = 1, scale: object = 1, digits: int = 30,
                      **params: object) -> list[Activation]:
    """Solve for the unknowns of an activation family under Gaussian-moment constraints.

    Parameters
    ----------
    family : str
        An activation expression in ``x`` (see :mod:`rmtsym.gaussian.activations`), linear in the
        unknowns.
    unknowns : sequence of str
        The names to solve for.
    mean, zeta, eta : number or None
        Target values; ``None`` leaves that quantity free.
    scale : number
        s = sigma_w sigma_x.
    **params
        Values of other names in ``family``.

    Returns
    -------
    list of Activation
        One per real solution (parameters left free by an under-determined system stay symbols).

    Examples
    --------
    >>> sols = design_activation("a + b*exp(-2*x^2)", ["a", "b"], eta=sp.Rational(2, 3))
    >>> sorted(str(s.expr) for s in sols)
    ['-1 + sqrt(5)*exp(-2*x**2)', '1 - sqrt(5)*exp(-2*x**2)']
    """
    names = list(unknowns)
    if not names or not all(isinstance(n, str) for n in names):
        raise ParameterError("unknowns", unknowns, "a non-empty list of parameter names")
    overlap = set(names) & set(params)
    if overlap:
        raise ParameterError("unknowns", sorted(overlap), "names not also given a value")
    f = parse_activation(family, **params)
    syms = [sp.Symbol(n, real=True) for n in names]
    missing = [n for n, p in zip(names, syms) if not f.has(p)]
    if missing:
        raise ParameterError("unknowns", missing, f"names that occur in {family!r}")
    s = exact(scale, "scale")
    parts = [sp.diff(f, p) for p in syms]
    if any(sp.diff(g, p) != 0 for g in parts for p in syms):
        raise ParameterError("family", family, "an expression linear in the unknowns")
    g0 = f.subs({p: 0 for p in syms})
    basis = [g0] + parts
    all_exact = True

    def mom(expr):
        nonlocal all_exact
        v, ex = _moment(expr, s, digits)
        all_exact &= ex
        return v

    coeffs = syms
    eqs = []
    if mean is not None:
        m = [mom(g) for g in basis]
        eqs.append(m[0] + sum(c * mi for c, mi in zip(coeffs, m[1:])) - exact(mean, "mean"))
    if zeta is not None:
        h = [mom(g * X / s) for g in basis]
        lin = h[0] + sum(c * hi for c, hi in zip(coeffs, h[1:]))
        target = exact(zeta, "zeta")
        if target.is_number and target < 0:
            raise ParameterError("zeta", zeta, "a non-negative number")
        eqs.append(lin if target == 0 else lin ** 2 - target)
    if eta is not None:
        target = exact(eta, "eta")
        if target.is_number and target <= 0:
            raise ParameterError("eta", eta, "a positive number")
        gram = {}
        vec = [sp.Integer(1)] + list(coeffs)
        quad = sp.Integer(0)
        for i in range(len(basis)):
            for j in range(i, len(basis)):
                gram[i, j] = mom(basis[i] * basis[j])
                quad += (1 if i == j else 2) * vec[i] * vec[j] * gram[i, j]
        eqs.append(quad - target)
    eqs = [sp.expand(e) for e in eqs if sp.expand(e) != 0]
    if not eqs:
        raise ParameterError("constraints", (mean, zeta, eta), "at least one non-trivial "
                             "constraint")
    sols = sp.solve(eqs, coeffs, dict=True)
    out = []
    label = ", ".join(f"{k} = {v}" for k, v in (("E f", mean), ("zeta", zeta), ("eta", eta))
                      if v is not None)
    kind = "exact" if all_exact else f"numeric, {digits} digits"
    for sol in sols:
        if any(v.is_real is False or (v.is_number and abs(sp.im(sp.N(v))) > 1e-20)
               for v in sol.values()):
            continue
        expr = f.subs(sol)
        out.append(Activation(expr, f"{family} [{', '.join(f'{k}={v}' for k, v in sol.items())}]",
                              f"designed ({kind}): {label} at s = {s}"))
    return out
