"""The ``rmtsym`` command.

Every sub-command takes ``--json`` for machine-readable output.  Law expressions use the small
language of :mod:`rmtsym.cli.law_expression` (``"mp(1/2) + sc(1)"``), parsed without ``eval``.

Exit status: 0 on success, 1 when a command ran but reports a failure (a derivation check), 2 for
bad input (every such error is an :class:`~rmtsym.errors.RmtsymError` naming the input and what is
allowed), 3 for an internal error (a bug: please report it), 130 when interrupted.  No traceback is
printed unless ``--debug`` is given.  Sizes are limited by a cost model (:mod:`rmtsym.core.limits`)
stated in each command's ``--help``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence

from .._version import __version__
from ..errors import RmtsymError, TimeLimitError
from .commands import (
    activations,
    depth,
    derive,
    laws,
    models,
    phases,
    risk,
    spike,
    spin_glass,
    sweep,
)

__all__ = ["COMMANDS", "build_parser", "main"]

#: every sub-command, in the order ``--help`` lists them
COMMANDS = {c.name: c for group in (laws, models, activations, spin_glass, phases, spike, risk,
                                     depth, sweep, derive)
            for c in group.COMMANDS}


#: where internal errors should be reported
REPORT_URL = "the rmtsym issue tracker"

_EPILOG = ("exit status: 0 ok, 1 a reported failure (derive checks), 2 bad input, 3 internal "
           "error (please report it); --debug shows tracebacks. Expressions may start with a "
           "minus sign: rmtsym edges \"-2*sc(1)\" (or after --).")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="rmtsym", description=__doc__.splitlines()[0],
                                     epilog=_EPILOG)
    parser.add_argument("--version", action="version", version=f"rmtsym {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help, epilog=_EPILOG)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks of errors")
        limit = getattr(cmd, "time_limit", None)
        p.add_argument("--time-limit", dest="time_limit", type=float, default=limit,
                       metavar="SECONDS", help="stop with an error after this many seconds of "
                       f"CPU time (default {limit or 'none'}; 0: no limit)")
        cmd.configure(p)
    return parser


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    out = set(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for p in action.choices.values():
                out |= set(p._option_string_actions)
    return out


def protect_values(argv: list[str], options: set[str]) -> list[str]:
    """Let values start with a minus sign: an argument that begins with "-" and is not an option
    (``-2*sc(1)``, ``-3:5:8``, ``-x``) gets a leading space, which argparse reads as a value and
    every parser here ignores.  Arguments after ``--`` are left alone.

    Examples
    --------
    >>> protect_values(["edges", "-2*sc(1)", "--json"], {"--json"})
    ['edges', ' -2*sc(1)', '--json']
    >>> protect_values(["density", "sc(1)", "--x", "-3:3:7"], {"--x"})
    ['density', 'sc(1)', '--x', ' -3:3:7']
    """
    out = list(argv)
    for i, a in enumerate(out):
        if a == "--":
            break
        name = a.split("=", 1)[0]
        known = name in options or (name.startswith("--") and len(name) > 2
                                    and any(o.startswith(name) for o in options))
        if a.startswith("-") and not known and a != "-":
            out[i] = " " + a
    return out


def _report(command: str, exc: BaseException, debug: bool) -> int:
    if isinstance(exc, RmtsymError):
        print(f"rmtsym {command}: error: {exc}", file=sys.stderr)
        code = 2
    else:
        print(f"rmtsym {command}: internal error ({type(exc).__name__}: {exc}). This is a bug "
              f"in rmtsym: please report it to {REPORT_URL} with the command line"
              + ("" if debug else "; rerun with --debug for the traceback") + ".", file=sys.stderr)
        code = 3
    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """After a broken pipe (``rmtsym list | head -1``): send the rest of stdout nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class _Clock:
    """Whether a :func:`time_limit` expired (an engine's broad ``except`` may swallow the first
    :class:`~rmtsym.errors.TimeLimitError`; the timer then fires again every 0.25 s, and the
    command line reports the limit whatever exception finally comes out)."""

    expired = False


@contextlib.contextmanager
def time_limit(seconds: float | None, clock: _Clock | None = None):
    """Raise :class:`~rmtsym.errors.TimeLimitError` in the block after ``seconds`` of CPU time
    (a SIGPROF timer, so that a busy machine does not make a command fail; nothing where there is
    no such timer, outside the main thread, or for 0/None)."""
    clock = clock or _Clock()
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and hasattr(signal, "SIGPROF")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield clock
        return

    def _expired(signum, frame):
        clock.expired = True
        raise TimeLimitError(_limit_message(seconds))

    previous = signal.signal(signal.SIGPROF, _expired)
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.25)
    try:
        yield clock
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _limit_message(seconds: float) -> str:
    return (f"the computation ran past its time limit of {seconds:g} s of CPU time; give a "
            "larger --time-limit (0: none) if you mean it")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rmtsym`` console script; returns the exit status."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(protect_values(argv, _option_strings(parser)))
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    debug = bool(getattr(args, "debug", False))
    clock = _Clock()
    try:
        with time_limit(args.time_limit, clock):
            data, text = COMMANDS[args.command].run(args)
        code = data.pop("_exit", 0) if isinstance(data, dict) else 0
        print(json.dumps(data, indent=2, sort_keys=True) if args.json else text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except KeyboardInterrupt:
        print(f"rmtsym {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one boundary where every failure becomes a message
        if clock.expired and not isinstance(exc, TimeLimitError):
            exc = TimeLimitError(_limit_message(args.time_limit))
        return _report(args.command, exc, debug)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
