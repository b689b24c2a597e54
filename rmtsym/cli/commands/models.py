"""Command-line sub-commands of the models: ``critical-energy`` and ``index``."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ...analysis.expansions import series
from ...core.limits import DEFAULT_LIMITS
from ...models.hessian import MODELS, critical_energy, hessian_index
from ..common import Command, add_count, count_of, rational_argument

_LIM = DEFAULT_LIMITS


def _cfg_ec(p):
    p.add_argument("--phi", help="a number in (0, 1); omitted: the expression in phi")
    p.add_argument("--model", default="wishart-wigner", choices=MODELS)
    p.add_argument("--sigma", default="1", help="sigma of the refined model")
    p.add_argument("--series-at", dest="series_at",
                   help="expand in phi at this point P (from above; from below at P = 1)")
    add_count(p, "--order", 6, _LIM.max_order, "the expansion's terms through (phi - P)^ORDER",
              low=0)
    add_count(p, "--digits", 20, _LIM.max_digits, "digits of the numeric value")


def series_terms(expr: sp.Expr, var: sp.Symbol, point: sp.Expr, order: int
                 ) -> list[tuple[sp.Expr, sp.Expr]]:
    """(exponent, coefficient) of the terms of ``expr`` in the distance d = |var - point| through
    d^order, ascending; d = var - point, or point - var at point = 1 (expansion from below).

    Examples
    --------
    >>> t = sp.Symbol("t", positive=True)
    >>> series_terms(1 / (1 - t), t, 0, 3)
    [(0, 1), (1, 1), (2, 1), (3, 1)]
    """
    h = sp.Symbol("h", positive=True)
    below = point == 1
    ser = series(expr.subs(var, point - h if below else point + h), h, 0, order + 1)
    terms: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(ser)):
        coeff, expo = term.as_coeff_exponent(h)
        if expo <= order and coeff != 0:
            terms[expo] = terms.get(expo, 0) + coeff
    return sorted((e, sp.simplify(c)) for e, c in terms.items() if sp.simplify(c) != 0)


def _series_text(terms: list[tuple[sp.Expr, sp.Expr]], dist: str) -> str:
    d = sp.Symbol(dist)
    text = " + ".join(sp.sstr(c * d**e) for e, c in terms) or "0"
    return text.replace("+ -", "- ")


def _run_ec(args):
    order = count_of(args.order, "--order", _LIM.max_order, low=0)
    digits = count_of(args.digits, "--digits", _LIM.max_digits)
    sigma = rational_argument(args.sigma, "--sigma")
    phi = rational_argument(args.phi, "--phi") if args.phi else None
    expr = critical_energy(phi, model=args.model, sigma=sigma)
    data = {"model": args.model, "eps_c": str(expr), "latex": sp.latex(expr)}
    lines = [f"eps_c = {expr}"]
    if phi is not None:
        val = sp.N(expr, digits)
        data["value"] = str(val)
        lines.append(f"      = {val}")
    if args.series_at is not None:
        ph = sp.Symbol("phi", positive=True)
        point = rational_argument(args.series_at, "--series-at")
        terms = series_terms(critical_energy(None, args.model, sigma), ph, point, order)
        dist = "(1 - phi)" if point == 1 else "phi" if point == 0 else f"(phi - {point})"
        text = _series_text(terms, dist)
        data["series"] = text
        data["series_terms"] = [{"power": str(e), "coefficient": str(c)} for e, c in terms]
        lines.append(f"series at phi = {point}, through {dist}**{order}: {text} + ...")
    return data, "\n".join(lines)


def _cfg_index(p):
    p.add_argument("--phi", required=True)
    p.add_argument("--eps", required=True)
    p.add_argument("--model", default="wishart-wigner", choices=MODELS)
    p.add_argument("--digits", type=int, default=None,
                   help=f"high-precision digits (mpmath; 15 to {_LIM.max_index_digits})")


def _run_index(args):
    phi, eps = rational_argument(args.phi, "--phi"), rational_argument(args.eps, "--eps")
    if args.digits is not None:
        digits = count_of(args.digits, "--digits", _LIM.max_index_digits, low=15)
        val = hessian_index(eps, phi, model=args.model, digits=digits)
        with mp.workdps(digits):
            text = mp.nstr(val, digits)
    else:
        val = hessian_index(float(eps), phi, model=args.model)
        text = repr(float(val))
    return {"phi": str(phi), "eps": str(eps), "alpha": text}, f"alpha = {text}"


COMMANDS = (
    Command("critical-energy", _cfg_ec, _run_ec, "critical energy eps_c of the Hessian",
            time_limit=_LIM.max_seconds),
    Command("index", _cfg_index, _run_index, "index alpha(eps, phi) of the Hessian",
            time_limit=_LIM.max_seconds),
)
