"""Command-line sub-commands of the Gaussian reduction: ``eta-zeta`` and ``hermite``."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ...core.limits import DEFAULT_LIMITS
from ...errors import ParameterError
from ...gaussian.activations import activation
from ...gaussian.expectations import X
from ..common import (
    Command,
    add_count,
    add_params,
    count_of,
    params_of,
    rational_argument,
    require_numbers,
)

_LIM = DEFAULT_LIMITS


def _scale(text: str) -> sp.Expr:
    val = rational_argument(text, "--scale")
    if not val > 0:
        raise ParameterError("--scale", text, "a positive number")
    return val


def _activation(args):
    params = params_of(args)
    text = args.act.strip()
    try:
        act = activation(text, **params)
    except TypeError:  # a catalogue entry without those parameters
        raise ParameterError("--param", ", ".join(params), f"parameters of {text}") from None
    require_numbers(act.expr.free_symbols - {X}, args.command)
    return act


def _entry(e, digits: int) -> dict:
    with mp.workdps(digits):
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
    add_count(p, "--digits", 30, _LIM.max_digits, "digits of the values", low=5)
    p.add_argument("--centre", action="store_true", help="subtract E[f(sZ)] first")
    add_params(p)


def _run_ez(args):
    digits = count_of(args.digits, "--digits", _LIM.max_digits, low=5)
    s = _scale(args.scale)
    act = _activation(args)
    data = {"activation": act.name, "scale": str(s)}
    if args.centre:
        act = act.centred(s, digits)
        data["note"] = act.note
    mean = act.mean(s, digits)
    eta, zeta = act.eta(s, digits), act.zeta(s, digits)
    data.update(mean=_entry(mean, digits), eta=_entry(eta, digits), zeta=_entry(zeta, digits))
    lines = [f"activation {act.name} at s = {s}"] + ([data["note"]] if args.centre else [])
    for key, e in (("E f", mean), ("eta", eta), ("zeta", zeta)):
        form = f"  = {e.value}" if e.exact else f"  (numeric, error ~ {mp.nstr(e.error, 2)})"
        lines.append(f"{key:5s} = {_entry(e, digits)['value']}{form}")
    return data, "\n".join(lines)


def _cfg_h(p):
    p.add_argument("act", help="catalogue name or expression in x")
    add_count(p, "-n", 6, _LIM.max_hermite, "number of coefficients f_0 .. f_(n-1)")
    p.add_argument("--scale", default="1")
    add_count(p, "--digits", 20, _LIM.max_digits, "digits of the values", low=5)
    add_params(p)


def _run_h(args):
    n = count_of(args.n, "-n", _LIM.max_hermite)
    digits = count_of(args.digits, "--digits", _LIM.max_digits, low=5)
    s = _scale(args.scale)
    act = _activation(args)
    coeffs = [act.hermite(k, s, digits) for k in range(n)]
    data = {"activation": act.name, "scale": str(s),
            "coefficients": [_entry(c, digits) for c in coeffs]}
    lines = [f"normalised Hermite coefficients f_n = E[f(sZ) He_n(Z)]/sqrt(n!) of {act.name}, "
             f"s = {s}"]
    for k, c in enumerate(coeffs):
        form = f"  = {c.value}" if c.exact else ""
        lines.append(f"f_{k} = {_entry(c, digits)['value']}{form}")
    return data, "\n".join(lines)


COMMANDS = (
    Command("eta-zeta", _cfg_ez, _run_ez, "eta = E f(sZ)^2 and zeta = (s E f'(sZ))^2",
            time_limit=_LIM.max_seconds),
    Command("hermite", _cfg_h, _run_h, "normalised Hermite coefficients of an activation",
            time_limit=_LIM.max_seconds),
)
