"""Command-line sub-commands of the models: ``critical-energy`` and ``index``."""

from __future__ import annotations

import sympy as sp

from ...analysis.expansions import series
from ...models.hessian import MODELS, critical_energy, hessian_index
from ..common import Command, rational_argument


def _cfg_ec(p):
    p.add_argument("--phi", help="a number in (0, 1); omitted: the expression in phi")
    p.add_argument("--model", default="wishart-wigner", choices=MODELS)
    p.add_argument("--sigma", default="1", help="sigma of the refined model")
    p.add_argument("--series-at", dest="series_at", help="expand in phi at this point (0 or 1)")
    p.add_argument("--order", type=int, default=6, help="number of orders of the expansion")
    p.add_argument("--digits", type=int, default=20, help="digits of the numeric value")


def _run_ec(args):
    sigma = rational_argument(args.sigma, "--sigma")
    phi = rational_argument(args.phi, "--phi") if args.phi else None
    expr = critical_energy(phi, model=args.model, sigma=sigma)
    data = {"model": args.model, "eps_c": str(expr), "latex": sp.latex(expr)}
    lines = [f"eps_c = {expr}"]
    if phi is not None:
        val = sp.N(expr, args.digits)
        data["value"] = str(val)
        lines.append(f"      = {val}")
    if args.series_at is not None:

        ph = sp.Symbol("phi", positive=True)
        point = rational_argument(args.series_at, "--series-at")
        direction = "-" if point == 1 else "+"
        ser = series(critical_energy(None, args.model, sigma), ph, point, args.order + 3, direction)
        data["series"] = str(ser)
        lines.append(f"series at phi = {point}: {ser} + ...")
    return data, "\n".join(lines)


def _cfg_index(p):
    p.add_argument("--phi", required=True)
    p.add_argument("--eps", required=True)
    p.add_argument("--model", default="wishart-wigner", choices=MODELS)
    p.add_argument("--digits", type=int, default=None, help="high-precision digits (mpmath)")


def _run_index(args):
    phi, eps = rational_argument(args.phi, "--phi"), rational_argument(args.eps, "--eps")
    if args.digits:
        val = hessian_index(eps, phi, model=args.model, digits=args.digits)
        text = str(val)
    else:
        val = hessian_index(float(eps), phi, model=args.model)
        text = repr(float(val))
    return {"phi": str(phi), "eps": str(eps), "alpha": text}, f"alpha = {text}"


COMMANDS = (
    Command("critical-energy", _cfg_ec, _run_ec, "critical energy eps_c of the Hessian"),
    Command("index", _cfg_index, _run_index, "index alpha(eps, phi) of the Hessian"),
)
