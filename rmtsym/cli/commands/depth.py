"""Command-line sub-commands of deep networks: ``mean-field`` (q*, chi, depth scales, the critical
line) and ``jacobian`` (moments, variance and lambda_max of J J^T, symbolic or numeric in L)."""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ...errors import ParameterError
from ...models.jacobian import WEIGHTS, jacobian_lambda_max, jacobian_variance
from ...models.mean_field import critical_line, mean_field
from ..common import Command, rational_argument


def _text(v, digits: int = 15) -> str:
    if v is None:
        return "none"
    if isinstance(v, sp.Basic):
        return sp.sstr(v)
    return mp.nstr(v, digits)


def _cfg_mf(p):
    p.add_argument("activation", help="a catalogue name (relu, erf, tanh, hard_tanh, ...)")
    p.add_argument("--sigma-w", dest="sigma_w", default=None,
                   help="weight scale (default: the critical value, where one exists)")
    p.add_argument("--sigma-b", dest="sigma_b", default="0", help="bias scale (default 0)")


def _run_mf(args):
    sb = rational_argument(args.sigma_b, "--sigma-b")
    sw2_line, sb2_line = critical_line(args.activation)
    if args.sigma_w is not None:
        sw = rational_argument(args.sigma_w, "--sigma-w")
    elif isinstance(sw2_line, sp.Basic) and not sw2_line.free_symbols:
        sw = sp.sqrt(sw2_line)
    else:
        sw = sp.Integer(1)
    mf = mean_field(args.activation, sw, sb)
    data = {"activation": mf.activation, "sigma_w": _text(mf.sigma_w),
            "sigma_b": _text(mf.sigma_b), "q_star": _text(mf.q_star), "chi": _text(mf.chi),
            "critical": bool(mf.critical) if mf.chi is not None else None,
            "xi_q": _text(mf.xi_q), "xi_c": _text(mf.xi_c), "exact": mf.exact,
            "critical_line": {"sigma_w2": _text(sw2_line), "sigma_b2": _text(sb2_line)}}
    lines = [f"{k} = {data[k]}" for k in ("activation", "sigma_w", "sigma_b", "q_star", "chi",
                                          "critical", "xi_q", "xi_c")]
    line = data["critical_line"]
    lines.append(f"critical line (parametrised by q = q*): sigma_w^2 = {line['sigma_w2']}, "
                 f"sigma_b^2 = {line['sigma_b2']}")
    return data, "\n".join(lines)


def _cfg_jac(p):
    p.add_argument("activation", help="relu, hard_tanh, identity, erf, ...")
    p.add_argument("--weights", default="gaussian", choices=WEIGHTS)
    p.add_argument("--sigma-w2", dest="sigma_w2", default="1",
                   help="the weight variance sigma_w^2 (e.g. 2 for critical relu)")
    p.add_argument("--sigma-b", dest="sigma_b", default="0")
    p.add_argument("--q-star", dest="q_star", default=None, help="the fixed point q* to use")


def _run_jac(args):
    sw = sp.sqrt(rational_argument(args.sigma_w2, "--sigma-w2"))
    sb = rational_argument(args.sigma_b, "--sigma-b")
    q = rational_argument(args.q_star, "--q-star") if args.q_star else None
    var = jacobian_variance(args.activation, args.weights, sigma_w=sw, sigma_b=sb, q_star=q)
    data = {"variance": sp.sstr(var), "variance_latex": sp.latex(var)}
    lines = [f"sigma^2_JJ^T = {var}"]
    try:
        ws, eq, lam = jacobian_lambda_max(args.activation, args.weights, sigma_w=sw,
                                          sigma_b=sb, q_star=q)
        data.update({"w_star": sp.sstr(ws), "edge_equation": sp.sstr(eq),
                     "lambda_max": sp.sstr(lam)})
        lines += [f"w* solves {eq} = 0: w* = {ws}", f"lambda_max = {lam}"]
    except ParameterError as exc:  # smooth activations have no exact lambda_max
        data["lambda_max"] = None
        lines.append(f"lambda_max: not available ({exc})")
    return data, "\n".join(lines)


COMMANDS = (
    Command("mean-field", _cfg_mf, _run_mf,
            "mean-field q*, chi, depth scales and the critical line of a deep network"),
    Command("jacobian", _cfg_jac, _run_jac,
            "variance and lambda_max of the Jacobian spectrum J J^T, closed forms in the depth L"),
)
