"""The ``rmtsym`` command.

Every sub-command takes ``--json`` for machine-readable output.  Law expressions use the small
language of :mod:`rmtsym.lawexpr` (``"mp(1/2) + sc(1)"``), parsed without ``eval``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from .errors import ParameterError, RmtsymError

__all__ = ["main", "build_parser", "register_command", "rational_argument"]

_COMMANDS: dict[str, tuple[Callable, Callable, str]] = {}


def register_command(name: str, configure: Callable, run: Callable, help_text: str) -> None:
    """Add a sub-command: ``configure(parser)`` adds its arguments, ``run(args)`` returns a
    JSON-able dict and a text rendering as ``(data, text)``."""
    _COMMANDS[name] = (configure, run, help_text)


def rational_argument(text: str, name: str) -> sp.Expr:
    """An exact number from a command-line argument such as ``1/2`` or ``0.25``."""
    from .values import exact

    try:
        return exact(sp.Rational(text), name)
    except (TypeError, ValueError):
        raise ParameterError(name, text, "a number such as 1/2 or 0.25") from None


def _num(v: sp.Expr) -> float | list[float]:
    c = complex(sp.N(v, 17))
    return c.real if abs(c.imag) < 1e-15 * max(1.0, abs(c)) else [c.real, c.imag]


def _law(text: str):
    from .lawexpr import parse_law

    return parse_law(text)


# --- list -----------------------------------------------------------------------------------------
def _cfg_list(p):
    pass


def _run_list(args):
    from .lawexpr import law_names

    laws = {k: {"parameters": list(v.params), "description": v.doc} for k, v in law_names().items()}
    data = {"laws": laws}
    lines = ["laws (use in EXPR):"]
    lines += [f"  {k}({', '.join(v['parameters'])})  {v['description']}" for k, v in laws.items()]
    extra = _list_extras()
    data.update(extra[0])
    lines += extra[1]
    return data, "\n".join(lines)


def _list_extras() -> tuple[dict, list[str]]:
    try:
        from .derivation_registry import list_derivations
    except ImportError:
        return {}, []
    items = list_derivations()
    return ({"derivations": items},
            ["derivations (rmtsym derive NAME):"] + [f"  {k}  {v}" for k, v in items.items()])


# --- polynomial -----------------------------------------------------------------------------------
def _cfg_poly(p):
    p.add_argument("expr", help='law expression, e.g. "mp(1/2) + sc(1)"')
    p.add_argument("--transforms", action="store_true",
                   help="also print the Stieltjes, R- and S-transform polynomials")


def _run_poly(args):
    law = _law(args.expr)
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


# --- edges ----------------------------------------------------------------------------------------
def _cfg_edges(p):
    p.add_argument("expr", help="law expression")


def _run_edges(args):
    law = _law(args.expr)
    supp = law.support()
    atoms = law.atoms()
    data = {"law": str(law),
            "support": [{"exact": [str(a), str(b)], "float": [_num(a), _num(b)]} for a, b in supp],
            "atoms": [{"location": str(k), "mass": str(v), "float": [_num(k), _num(v)]}
                      for k, v in atoms.items()]}
    lines = [f"law: {law}", "support:"]
    lines += [f"  [{a}, {b}]  ~  [{_num(a):.12g}, {_num(b):.12g}]" for a, b in supp] or ["  (none)"]
    lines.append("atoms:")
    lines += [f"  mass {v} at {k}" for k, v in atoms.items()] or ["  (none)"]
    return data, "\n".join(lines)


# --- density --------------------------------------------------------------------------------------
def _grid(text: str) -> np.ndarray:
    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ParameterError("--x", text, "START:STOP:NUM, e.g. -2:5:8") from None
    if not (np.isfinite(a) and np.isfinite(b)) or n < 1 or n > 10_000_000:
        raise ParameterError("--x", text, "finite START, STOP and 1 <= NUM <= 10^7")
    return np.linspace(a, b, n)


def _cfg_density(p):
    p.add_argument("expr", help="law expression")
    p.add_argument("--x", required=True, metavar="START:STOP:NUM", help="evaluation grid")


def _run_density(args):
    law = _law(args.expr)
    x = _grid(args.x)
    rho = law.density(x)
    data = {"law": str(law), "x": x.tolist(), "density": rho.tolist()}
    lines = [f"law: {law}", f"{'x':>14}  {'density':>14}"]
    lines += [f"{a:14.8g}  {b:14.8g}" for a, b in zip(x, rho)]
    return data, "\n".join(lines)


# --- moments --------------------------------------------------------------------------------------
def _cfg_moments(p):
    p.add_argument("expr", help="law expression")
    p.add_argument("-n", type=int, default=8, help="number of moments (default 8)")
    p.add_argument("--cumulants", action="store_true", help="also the free cumulants")
    p.add_argument("--recurrence", action="store_true", help="the P-recursive moment recurrence")
    p.add_argument("--closed-form", action="store_true", help="a closed form in k, if one exists")


def _run_moments(args):
    law = _law(args.expr)
    ms = law.moments(args.n)
    data = {"law": str(law), "moments": [str(v) for v in ms]}
    lines = [f"law: {law}"] + [f"m_{k} = {v}" for k, v in enumerate(ms, 1)]
    if args.cumulants:
        ks = law.free_cumulants(args.n)
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


register_command("list", _cfg_list, _run_list, "list the laws (and derivations) rmtsym knows")
register_command("polynomial", _cfg_poly, _run_poly, "the Cauchy polynomial P(G, z) of a law")
register_command("edges", _cfg_edges, _run_edges, "exact support edges and atoms")
register_command("density", _cfg_density, _run_density, "density on a grid")
register_command("moments", _cfg_moments, _run_moments, "exact moments, cumulants, recurrence")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    _load_plugins()
    parser = argparse.ArgumentParser(prog="rmtsym", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (configure, _, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        configure(p)
    return parser


def _load_plugins() -> None:
    """Import the modules that register further commands (models, reports)."""
    import importlib

    for mod in ("rmtsym.activation_cli", "rmtsym.models.cli_commands",
                "rmtsym.report.cli_commands"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name is None or not mod.startswith(exc.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rmtsym`` console script; returns the exit status."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # let option values start with a minus sign: "--x -2:5:8" means "--x=-2:5:8"
    for i in range(len(argv) - 1):
        if argv[i].startswith("--") and "=" not in argv[i] and argv[i + 1][:1] == "-" and (
                argv[i + 1][1:2].isdigit() or argv[i + 1][1:2] == "."):
            argv[i : i + 2] = [f"{argv[i]}={argv[i + 1]}", ""]
    args = parser.parse_args([a for a in argv if a != ""])
    _, run, _ = _COMMANDS[args.command]
    try:
        data, text = run(args)
    except RmtsymError as exc:
        print(f"rmtsym {args.command}: error: {exc}", file=sys.stderr)
        return 2
    if isinstance(data, dict) and "_exit" in data:
        code = data.pop("_exit")
    else:
        code = 0
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print(text)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
