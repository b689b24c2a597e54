"""The ``rmtsym`` command.

Every sub-command takes ``--json`` for machine-readable output.  Law expressions use the small
language of :mod:`rmtsym.cli.law_expression` (``"mp(1/2) + sc(1)"``), parsed without ``eval``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import RmtsymError
from .commands import activations, derive, laws, models

__all__ = ["COMMANDS", "build_parser", "main"]

#: every sub-command, in the order ``--help`` lists them
COMMANDS = {c.name: c for group in (laws, models, activations, derive) for c in group.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="rmtsym", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"rmtsym {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.configure(p)
    return parser


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
    try:
        data, text = COMMANDS[args.command].run(args)
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
