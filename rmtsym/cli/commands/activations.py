"""Command-line sub-commands of the Gaussian reduction: ``eta-zeta`` and ``hermite``."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ...errors import ParameterError
from ...gaussian.activations import activation
from ..common import Command, rational_argument


def _scale(text: str) -> sp.Expr:
    val = rational_argument(text, "--scale")
    if not val > 0:
        raise ParameterError("--scale", text, "a positive number")
    return val


def _entry(e, digits: int) -> dict:
    out = {"value": mp.nstr(e.mp(digits), digits), "exact": e.exact}
    if e.exact:
        out["closed_form"] = str(e.value)
        out["latex"] = sp.latex(e.value)
    else:
        out["error_estimate"] = mp.nstr(e.error, 3)
    return out


def _cfg_ez(p):
    p.add_argument("act", help='catalogue name or expression in x, e.g. "tanh" or "x*erf(x)"')
    p.add_argument("--scale", default="1", help="s = sigma_w sigma_x (default 1)")
    p.add_argument("--digits", type=int, default=30)
    p.add_argument("--centre", action="store_true", help="subtract E[f(sZ)] first")


def _run_ez(args):
    s = _scale(args.scale)
    act = activation(args.act)
    data = {"activation": act.name, "scale": str(s)}
    if args.centre:
        act = act.centred(s, args.digits)
        data["note"] = act.note
    mean = act.mean(s, args.digits)
    eta, zeta = act.eta(s, args.digits), act.zeta(s, args.digits)
    data.update(mean=_entry(mean, args.digits), eta=_entry(eta, args.digits),
                zeta=_entry(zeta, args.digits))
    lines = [f"activation {act.name} at s = {s}"] + ([data["note"]] if args.centre else [])
    for key, e in (("E f", mean), ("eta", eta), ("zeta", zeta)):
        form = f"  = {e.value}" if e.exact else f"  (numeric, error ~ {mp.nstr(e.error, 2)})"
        lines.append(f"{key:5s} = {mp.nstr(e.mp(args.digits), args.digits)}{form}")
    return data, "\n".join(lines)


def _cfg_h(p):
    p.add_argument("act", help="catalogue name or expression in x")
    p.add_argument("-n", type=int, default=6, help="number of coefficients f_0 .. f_(n-1)")
    p.add_argument("--scale", default="1")
    p.add_argument("--digits", type=int, default=20)


def _run_h(args):
    if not 1 <= args.n <= 200:
        raise ParameterError("-n", args.n, "an integer between 1 and 200")
    s = _scale(args.scale)
    act = activation(args.act)
    coeffs = [act.hermite(k, s, args.digits) for k in range(args.n)]
    data = {"activation": act.name, "scale": str(s),
            "coefficients": [_entry(c, args.digits) for c in coeffs]}
    lines = [f"normalised Hermite coefficients f_n = E[f(sZ) He_n(Z)]/sqrt(n!) of {act.name}, "
             f"s = {s}"]
    for k, c in enumerate(coeffs):
        form = f"  = {c.value}" if c.exact else ""
        lines.append(f"f_{k} = {mp.nstr(c.mp(args.digits), args.digits)}{form}")
    return data, "\n".join(lines)


COMMANDS = (
    Command("eta-zeta", _cfg_ez, _run_ez, "eta = E f(sZ)^2 and zeta = (s E f'(sZ))^2"),
    Command("hermite", _cfg_h, _run_h, "normalised Hermite coefficients of an activation"),
)
