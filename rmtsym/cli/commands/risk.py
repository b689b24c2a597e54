"""Command-line sub-command ``risk``: learning curves.

``rmtsym risk ridgeless --snr 4 --gamma 0.1:3:50 --json`` prints the ridgeless risk over a grid of
gamma = p/n (``start:stop:count``, or one number); ``risk ridge --ridge 1/10`` the ridge risk, and
``--ridge optimal`` the risk at lambda* = sigma^2 gamma / r^2.  A single gamma also prints the
exact closed form.  ``--plot out.pdf`` draws the curve.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

from ...errors import ParameterError
from ...models.ridge import optimal_gamma, ridge_risk, ridge_risk_curve
from ..common import Command, rational_argument

KINDS = ("ridgeless", "ridge")


def _grid(text: str) -> tuple[np.ndarray, sp.Expr | None]:
    """``a:b:k`` (k points from a to b) or one number; the exact value when one number."""
    parts = text.split(":")
    if len(parts) == 1:
        g = rational_argument(parts[0], "--gamma")
        if g <= 0:
            raise ParameterError("--gamma", text, "a positive number or start:stop:count")
        return np.array([float(g)]), g
    if len(parts) != 3:
        raise ParameterError("--gamma", text, "a number or start:stop:count, e.g. 0.1:3:50")
    a, b = (rational_argument(p, "--gamma") for p in parts[:2])
    try:
        k = int(parts[2])
    except ValueError:
        raise ParameterError("--gamma", text, "an integer count after the second colon") from None
    if not (0 < a < b) or not 2 <= k <= 100000:
        raise ParameterError("--gamma", text, "0 < start < stop and a count from 2 to 100000")
    return np.linspace(float(a), float(b), k), None


def _configure(p) -> None:
    p.add_argument("kind", choices=KINDS, help="ridgeless (min-norm) or ridge")
    p.add_argument("--gamma", required=True, help="gamma = p/n: a number or start:stop:count")
    p.add_argument("--snr", help="signal-to-noise ratio r^2/sigma^2 (sets sigma^2 = 1)")
    p.add_argument("--r2", help="signal strength r^2 (default 1)")
    p.add_argument("--sigma2", help="noise variance sigma^2 (default 1)")
    p.add_argument("--ridge", default="0", help="lambda >= 0, or 'optimal' (ridge only)")
    p.add_argument("--plot", help="draw the curve into this PDF file")


def _strengths(args) -> tuple[sp.Expr, sp.Expr]:
    if args.snr is not None:
        if args.r2 is not None or args.sigma2 is not None:
            raise ParameterError("--snr", args.snr, "given without --r2 and --sigma2")
        return rational_argument(args.snr, "--snr"), sp.Integer(1)
    r2 = rational_argument(args.r2, "--r2") if args.r2 is not None else sp.Integer(1)
    s2 = rational_argument(args.sigma2, "--sigma2") if args.sigma2 is not None else sp.Integer(1)
    return r2, s2


def _run(args):
    r2, s2 = _strengths(args)
    gammas, single = _grid(args.gamma)
    if args.kind == "ridgeless":
        if args.ridge not in ("0", "0.0"):
            raise ParameterError("--ridge", args.ridge, "omitted for ridgeless (use 'risk ridge')")
        ridge = sp.Integer(0)
    else:
        ridge = "optimal" if args.ridge == "optimal" else rational_argument(args.ridge, "--ridge")
    risk = ridge_risk_curve(gammas, r2, s2, ridge)
    data = {"kind": args.kind, "r2": str(r2), "sigma2": str(s2), "ridge": str(ridge),
            "gamma": [float(g) for g in gammas],
            "risk": [float(v) if np.isfinite(v) else None for v in risk]}
    lines = [f"{args.kind} risk, r2 = {r2}, sigma2 = {s2}"
             + (f", lambda = {ridge}" if args.kind == "ridge" else "")]
    if single is not None:
        lam = 0 if ridge == "optimal" or args.kind == "ridgeless" else ridge
        if ridge == "optimal":
            lam = s2 * single / r2
        value = ridge_risk(single, r2, s2, lam)
        data["exact"] = str(value)
        lines.append(f"R({single}) = {value} = {sp.N(value, 15)}")
    else:
        lines += [f"  gamma = {g:.6g}: R = {v:.10g}" for g, v in zip(gammas, risk)]
    if s2 != 0:
        gs = optimal_gamma(r2 / s2)
        data["gamma_star"] = None if gs is None else str(gs)
        if args.kind == "ridgeless":
            lines.append("interior minimum at gamma* = " + (str(gs) if gs is not None else
                                                            "none (SNR <= 1)"))
    if args.plot:
        data["plot"] = str(_plot(gammas, risk, args, Path(args.plot)))
        lines.append(f"wrote {args.plot}")
    return data, "\n".join(lines)


def _plot(gammas: np.ndarray, risk: np.ndarray, args, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    y = np.where(np.isfinite(risk), risk, np.nan)
    f, ax = plt.subplots(figsize=(6.0, 3.8))
    try:
        ax.plot(gammas, y, "-", lw=1.6, label=f"{args.kind} risk")
        finite = y[np.isfinite(y)]
        if finite.size:
            ax.set_ylim(0, min(float(np.max(finite)), 4 * float(np.median(finite))) * 1.05)
        ax.set_xlabel("gamma = p/n")
        ax.set_ylabel("risk")
        ax.legend(frameon=False)
        f.tight_layout()
        f.savefig(path, format="pdf", metadata={"Creator": None, "Producer": None,
                                               "CreationDate": None})
    finally:
        plt.close(f)
    return path


COMMANDS = (
    Command("risk", _configure, _run, "ridge and ridgeless risk curves in gamma = p/n"),
)
