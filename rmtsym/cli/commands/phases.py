"""The ``phases`` sub-command: the phase diagram of a law in one or two of its parameters."""

from __future__ import annotations

from pathlib import Path

import sympy as sp

from ...analysis.phases import phase_diagram
from ...errors import ParameterError
from ...report.phase_plot import draw_phase_diagram
from ..common import Command, law_argument, rational_argument


def _cfg(p):
    p.add_argument("expr", help='law expression with one or two symbolic parameters, e.g. '
                                '"mp(c) + sc(s2)"')
    p.add_argument("--params", required=True, help="the parameters, comma-separated: c,s2")
    p.add_argument("--threshold", default="0", help="level for crossing boundaries (default 0)")
    p.add_argument("--domain", default=None,
                   help="scan ranges, e.g. c=0:4,s2=0:2 (default 0:100 for each)")
    p.add_argument("--plot", default=None, help="write the diagram to this .pdf or .png")


def _domain(text: str | None, names: dict) -> dict:
    out = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, _, rng = item.partition("=")
        lo, _, hi = rng.partition(":")
        if name.strip() not in names or not hi:
            raise ParameterError("--domain", text, "NAME=LOW:HIGH pairs for the --params names")
        lo_v, hi_v = rational_argument(lo, "--domain"), rational_argument(hi, "--domain")
        if not 0 <= lo_v < hi_v:
            raise ParameterError("--domain", text, "ranges with 0 <= LOW < HIGH")
        out[names[name.strip()]] = (lo_v, hi_v)
    return out


def _run(args):
    law = law_argument(args.expr)
    by_name = {s.name: s for s in law.parameters}
    wanted = [n.strip() for n in args.params.split(",") if n.strip()]
    if not wanted or any(n not in by_name for n in wanted):
        raise ParameterError("--params", args.params,
                             f"one or two of the law's parameters {sorted(by_name)}")
    params = [by_name[n] for n in wanted]
    d = phase_diagram(law, params, rational_argument(args.threshold, "--threshold"),
                      _domain(args.domain, by_name))
    data = {
        "law": str(law), "parameters": wanted, "threshold": str(d.threshold),
        "boundaries": [{"kind": b.kind, "polynomial": str(b.factor), "latex": sp.latex(b.factor),
                        "meaning": b.meaning, "points": [[str(v) for v in (pt if isinstance(
                            pt, tuple) else (pt,))] for pt in b.points]} for b in d.boundaries],
        "rejected": [{"polynomial": str(b.factor), "reason": b.reason} for b in d.rejected],
        "regions": [{"sample": {str(k): str(v) for k, v in r.sample},
                     "bands": r.shape.bands, "atoms": r.shape.atoms,
                     "atom_masses": [str(m) for m in r.shape.masses],
                     "lower_edge_sign": r.shape.lower_sign, "shape": r.shape.describe()}
                    for r in d.regions],
    }
    lines = [f"law: {law}", "boundaries:"]
    lines += [f"  [{b.kind}] {b.factor} = 0   ({b.meaning})" for b in d.boundaries] or ["  (none)"]
    lines.append("regions:")
    lines += [f"  {i + 1}. at {', '.join(f'{k} = {v}' for k, v in r.sample)}: "
              f"{r.shape.describe()}" for i, r in enumerate(d.regions)]
    if args.plot:
        out = draw_phase_diagram(d, Path(args.plot))
        data["plot"] = str(out)
        lines.append(f"wrote {out}")
    return data, "\n".join(lines)


COMMANDS = (Command("phases", _cfg, _run, "phase diagram: where the shape of a law changes"),)
