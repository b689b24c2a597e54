"""Command-line sub-command of the spherical p-spin glass: ``spin-glass``."""

from __future__ import annotations

import sympy as sp

from ...errors import ParameterError
from ...models.spin_glass import complexity, energy_barrier, spin_glass, u
from ..common import Command, rational_argument


def _cfg(p):
    p.add_argument("--p", default="3", help="the order p of the interaction (an integer >= 3)")
    p.add_argument("--thresholds", type=int, default=3,
                   help="compute E_0 .. E_(K-1) for this K (0: none)")
    p.add_argument("--digits", type=int, default=30, help="digits of the thresholds (5 to 500)")
    p.add_argument("--u", help="also evaluate the complexities at this energy per spin")


def _run(args):
    p = rational_argument(args.p, "--p")
    if not (p.is_integer and p >= 3):
        raise ParameterError("--p", args.p, "an integer >= 3")
    if not 5 <= args.digits <= 500:
        raise ParameterError("--digits", args.digits, "an integer from 5 to 500")
    if args.thresholds < 0 or args.thresholds > 200:
        raise ParameterError("--thresholds", args.thresholds, "an integer from 0 to 200")
    sg = spin_glass(p)
    e_inf = energy_barrier(p)
    e_val = sp.N(e_inf, args.digits)
    data = {"p": int(p), "E_inf": str(e_inf), "E_inf_value": str(e_val),
            "Theta_0": str(complexity(p).subs(u, 0)), "thresholds": []}
    lines = [f"spherical {int(p)}-spin glass", f"E_inf = {e_inf} = {e_val}",
             f"Theta_p(0) = {data['Theta_0']}"]
    for k in range(args.thresholds):
        t = sg.threshold(k, digits=args.digits)
        data["thresholds"].append({"k": k, "value": str(t.value), "lower": str(t.lower),
                                   "upper": str(t.upper)})
        lines.append(f"E_{k} = {t.value}")
    if args.thresholds:
        bands = sg.bands(args.thresholds - 1, digits=min(args.digits, 12))
        data["bands"] = [{"lower": str(b.lower), "upper": str(b.upper),
                          "indices": list(b.indices), "and_higher": b.more} for b in bands]
        lines.append("bands (energy per spin: indices found there):")
        for b in bands:
            more = " and higher" if b.more else ""
            lines.append(f"  ({sp.N(b.lower, 8)}, {sp.N(b.upper, 8)}): "
                         f"{', '.join(map(str, b.indices))}{more}")
    if args.u is not None:
        uu = rational_argument(args.u, "--u")
        total = sg.complexity(uu)
        data["complexity"] = {"u": str(uu), "total": str(total),
                              "total_value": str(sp.N(total, 20))}
        lines.append(f"Theta_p({uu}) = {total} = {sp.N(total, 20)}")
    return data, "\n".join(lines)


COMMANDS = (
    Command("spin-glass", _cfg, _run,
            "spherical p-spin glass: energy barrier, thresholds E_k, bands (Kac-Rice)"),
)
