"""Sub-commands on laws: ``list``, ``polynomial``, ``edges``, ``density`` and ``moments``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from ...core.limits import DEFAULT_LIMITS
from ...derivation.registry import list_derivations
from ...errors import ParameterError, RmtsymError
from ..common import (
    Command,
    add_count,
    add_law_options,
    count_of,
    law_argument,
    require_numbers,
    to_float,
)
from ..law_expression import law_names

_LIM = DEFAULT_LIMITS


def _cfg_list(p):
    pass

def _run_list(args):
    laws = {k: {"parameters": list(v.params), "description": v.doc} for k, v in law_names().items()}
    data = {"laws": laws}
    lines = ["laws (use in EXPR):"]
    lines += [f"  {k}({', '.join(v['parameters'])})  {v['description']}" for k, v in laws.items()]
    extra = _list_extras()
    data.update(extra[0])
    lines += extra[1]
    return data, "\n".join(lines)

def _list_extras() -> tuple[dict, list[str]]:
    items = list_derivations()
    return ({"derivations": items},
            ["derivations (rmtsym derive NAME):"] + [f"  {k}  {v}" for k, v in items.items()])

def _cfg_poly(p):
    p.add_argument("expr", help='law expression, e.g. "mp(1/2) + sc(1)"')
    p.add_argument("--transforms", action="store_true",
                   help="also print the Stieltjes, R- and S-transform polynomials")
    add_law_options(p)


def _run_poly(args):
    law = law_argument(args.expr, args)
    data = {"law": str(law), "cauchy_polynomial": str(law.expr), "degree": int(law.degree),
            "parameters": [str(s) for s in law.parameters],
            "latex": sp.latex(sp.Eq(law.expr, 0))}
    lines = [f"law: {law}", f"P(G, z) = {law.expr} = 0"]
    if args.transforms:
        st, r = law.stieltjes_polynomial(), law.r_polynomial()
        data.update(stieltjes_polynomial=str(st), r_polynomial=str(r))
        lines += [f"Stieltjes (m = -G): {st} = 0", f"R-transform: {r} = 0"]
        try:
            s = law.s_polynomial()
            data["s_polynomial"] = str(s)
            lines.append(f"S-transform: {s} = 0")
        except RmtsymError as exc:
            data["s_polynomial"] = None
            lines.append(f"S-transform: not available ({exc})")
    return data, "\n".join(lines)

def _cfg_edges(p):
    p.add_argument("expr", help="law expression")
    add_law_options(p)


def _run_edges(args):
    law = law_argument(args.expr, args)
    require_numbers(law.parameters, "edges")
    supp = law.support()
    atoms = law.atoms()
    data = {"law": str(law),
            "support": [{"exact": [str(a), str(b)], "float": [to_float(a), to_float(b)]}
                        for a, b in supp],
            "atoms": [{"location": str(k), "mass": str(v), "float": [to_float(k), to_float(v)]}
                      for k, v in atoms.items()]}
    lines = [f"law: {law}", "support:"]
    lines += [f"  [{a}, {b}]  ~  [{to_float(a):.12g}, {to_float(b):.12g}]"
              for a, b in supp] or ["  (none)"]
    lines.append("atoms:")
    lines += [f"  mass {v} at {k}" for k, v in atoms.items()] or ["  (none)"]
    return data, "\n".join(lines)

def _grid(text: str) -> np.ndarray:
    parts = text.strip().split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ParameterError("--x", text, "START:STOP:NUM, e.g. -2:5:8") from None
    if not (np.isfinite(a) and np.isfinite(b)) or n < 1 or n > _LIM.max_grid:
        raise ParameterError("--x", text, f"finite START, STOP and 1 <= NUM <= {_LIM.max_grid}")
    return np.linspace(a, b, n)

def _cfg_density(p):
    p.add_argument("expr", help="law expression")
    p.add_argument("--x", required=True, metavar="START:STOP:NUM",
                   help=f"evaluation grid (at most {_LIM.max_grid} points)")
    add_law_options(p)


def _run_density(args):
    law = law_argument(args.expr, args)
    require_numbers(law.parameters, "density")
    x = _grid(args.x)
    rho = law.density(x)
    data = {"law": str(law), "x": x.tolist(), "density": rho.tolist()}
    lines = [f"law: {law}", f"{'x':>14}  {'density':>14}"]
    lines += [f"{a:14.8g}  {b:14.8g}" for a, b in zip(x, rho)]
    return data, "\n".join(lines)

def _cfg_moments(p):
    p.add_argument("expr", help="law expression")
    add_count(p, "-n", 8, _LIM.max_moments, "number of moments")
    p.add_argument("--cumulants", action="store_true", help="also the free cumulants")
    p.add_argument("--recurrence", action="store_true", help="the P-recursive moment recurrence")
    p.add_argument("--closed-form", action="store_true", help="a closed form in k, if one exists")
    add_law_options(p)


def _run_moments(args):
    n = count_of(args.n, "-n", _LIM.max_moments)
    law = law_argument(args.expr, args)
    ms = law.moments(n)
    data = {"law": str(law), "moments": [str(v) for v in ms]}
    lines = [f"law: {law}"] + [f"m_{k} = {v}" for k, v in enumerate(ms, 1)]
    if args.cumulants:
        ks = law.free_cumulants(n)
        data["free_cumulants"] = [str(v) for v in ks]
        lines += [f"kappa_{k} = {v}" for k, v in enumerate(ks, 1)]
    if args.recurrence:
        rec = law.moment_recurrence()
        data["recurrence"] = {"text": rec.text(), "latex": rec.latex(), "order": rec.order}
        lines.append(f"recurrence: {rec.text()}")
    if args.closed_form:
        cf = law.moment_closed_form()
        data["closed_form"] = None if cf is None else str(cf)
        lines.append(f"closed form: {cf if cf is not None else 'none found'}")
    return data, "\n".join(lines)


COMMANDS = (
    Command("list", _cfg_list, _run_list, "list the laws (and derivations) rmtsym knows"),
    Command("polynomial", _cfg_poly, _run_poly, "the Cauchy polynomial P(G, z) of a law",
            time_limit=_LIM.max_seconds),
    Command("edges", _cfg_edges, _run_edges, "exact support edges and atoms",
            time_limit=_LIM.max_seconds),
    Command("density", _cfg_density, _run_density, "density on a grid",
            time_limit=_LIM.max_seconds),
    Command("moments", _cfg_moments, _run_moments, "exact moments, cumulants, recurrence",
            time_limit=_LIM.max_seconds),
)
