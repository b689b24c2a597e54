"""The ``spike`` sub-command: BBP threshold, outlier and overlap of a rank-one spike on a law."""

from __future__ import annotations

import numpy as np
import sympy as sp

from ...core.limits import DEFAULT_LIMITS
from ...core.symbols import parameter
from ...errors import ParameterError
from ...numeric.spikes import KINDS
from ..common import Command, add_law_options, law_argument, rational_argument, require_numbers

_LIM = DEFAULT_LIMITS


def _cfg(p):
    p.add_argument("expr", help='law expression, e.g. "hessian(phi=1/2, eps=1/10)"')
    p.add_argument("--theta", metavar="THETA|START:STOP:NUM",
                   help="one exact value (exact result), or a grid of floats; omitted: closed "
                   "forms in theta")
    p.add_argument("--kind", default="additive", choices=(*KINDS, "rectangular"),
                   help="X + theta v v^T, S^(1/2) X S^(1/2) with S = I + theta v v^T, or "
                   "rectangular: the law is that of X X^T (X n x m) and the spike theta u v^T "
                   "is added to X (needs --ratio)")
    p.add_argument("--ratio", metavar="C", help="n/m for --kind rectangular")
    p.add_argument("--digits", type=int, default=20, help="digits of the numeric values (15-200)")
    add_law_options(p)


def _grid(text: str) -> np.ndarray:
    parts = text.split(":")
    if len(parts) != 3:
        raise ParameterError("--theta", text, "a number, or START:STOP:NUM such as 0:3:31")
    a, b = (float(rational_argument(s, "--theta")) for s in parts[:2])
    try:
        n = int(parts[2])
    except ValueError:
        raise ParameterError("--theta", text, "START:STOP:NUM with an integer NUM") from None
    if n < 1 or n > _LIM.max_grid:
        raise ParameterError("--theta", text, f"START:STOP:NUM with 1 <= NUM <= {_LIM.max_grid}")
    return np.linspace(a, b, n)


def _num(v: sp.Expr, digits: int) -> str:
    return str(sp.N(v, digits))


def _rectangular(law, args, digits: int):
    if args.ratio is None:
        raise ParameterError("--ratio", None, "n/m, given with --kind rectangular")
    if args.theta is None:
        raise ParameterError("--theta", None, "a value or a grid for --kind rectangular")
    require_numbers(law.parameters, "a rectangular spike")
    ratio = rational_argument(args.ratio, "--ratio")
    grid = ":" in args.theta
    theta = _grid(args.theta) if grid else rational_argument(args.theta, "--theta")
    r = law.rectangular_spike(theta, ratio)
    data = {"law": str(law), **r.as_dict()}
    head = [f"law: {law}  (rectangular spike, n/m = {ratio})",
            f"threshold: theta > {r.threshold} ~ {_num(r.threshold, 12)}"]
    if grid:
        lines = head + [f"{'theta':>12}  {'outlier':>16}  {'left':>12}  {'right':>12}  separated"]
        lines += [f"{t:12.6g}  {o:16.10g}  {a:12.8g}  {b:12.8g}  {'yes' if s else 'no'}"
                  for t, o, a, b, s in zip(r.theta, r.outlier, r.left_overlap,
                                           r.right_overlap, r.separated)]
        return data, "\n".join(lines)
    vals = {k: _num(getattr(r, k), digits) for k in ("outlier", "left_overlap", "right_overlap")}
    data["numeric"] = vals
    lines = head + [f"outlier: {r.outlier}", f"left overlap: {r.left_overlap}",
                    f"right overlap: {r.right_overlap}",
                    f"separated: {'yes' if r.separated else 'no'}"]
    lines += [f"  {k} ~ {v}" for k, v in vals.items()]
    return data, "\n".join(lines)


def _run(args):
    law = law_argument(args.expr, args)
    digits = args.digits
    if not 15 <= digits <= 200:
        raise ParameterError("--digits", digits, "an integer from 15 to 200")
    if args.kind == "rectangular":
        return _rectangular(law, args, digits)
    if args.ratio is not None:
        raise ParameterError("--ratio", args.ratio, "omitted unless --kind rectangular")
    if args.theta is not None and ":" in args.theta:
        require_numbers(law.parameters, "a spike on a grid of theta")
        r = law.spike(_grid(args.theta), args.kind)
        data = {"law": str(law), **r.as_dict()}
        lines = [f"law: {law}  ({args.kind} spike)",
                 f"thresholds: theta < {r.lower_threshold} ~ {_num(r.lower_threshold, 12)}, "
                 f"theta > {r.upper_threshold} ~ {_num(r.upper_threshold, 12)}",
                 f"{'theta':>12}  {'outlier':>16}  {'overlap':>12}  separated"]
        lines += [f"{t:12.6g}  {o:16.10g}  {q:12.8g}  {'yes' if s else 'no'}"
                  for t, o, q, s in zip(r.theta, r.outlier, r.overlap, r.separated)]
        return data, "\n".join(lines)
    theta = parameter("theta") if args.theta is None else rational_argument(args.theta, "--theta")
    r = law.spike(theta, args.kind)
    data = {"law": str(law), **r.as_dict()}
    lines = [f"law: {law}  ({args.kind} spike, theta = {theta})",
             f"lower threshold: {r.lower_threshold}", f"upper threshold: {r.upper_threshold}",
             f"outlier: {r.outlier}", f"overlap: {r.overlap}",
             f"separated: {'yes' if r.separated else 'no'}"]
    if not (r.outlier.free_symbols or r.upper_threshold.free_symbols):
        vals = {k: _num(getattr(r, k), digits)
                for k in ("lower_threshold", "upper_threshold", "outlier", "overlap")}
        data["numeric"] = vals
        lines += [f"  {k} ~ {v}" for k, v in vals.items()]
    return data, "\n".join(lines)


COMMANDS = (Command("spike", _cfg, _run,
                    "BBP threshold, outlier and eigenvector overlap of a rank-one spike"),)
