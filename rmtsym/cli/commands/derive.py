"""``rmtsym derive``: build derivation records, render them to LaTeX (and PDF), write reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ...derivation.record import Derivation
from ...derivation.registry import derivation_names, load_derivation
from ...errors import ParameterError, UnknownNameError
from ...report.figures import draw_figure
from ...report.render import render_tex
from ..common import Command


def _cfg(p):
    p.add_argument("names", nargs="*", help="derivations to build (see `rmtsym list`)")
    p.add_argument("--all", action="store_true", help="build every derivation")
    p.add_argument("--out", default="reports", help="output folder (default: reports/)")
    p.add_argument("--pdf", action="store_true", help="also compile PDFs (latexmk or pdflatex)")
    p.add_argument("--path", default=None, help="a folder of your own derivation modules")
    p.add_argument("--allow-failed-checks", dest="allow_failed", action="store_true",
                   help="exit 0 even if a check fails (the report marks it FAIL)")


def _writable(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "figures").mkdir(exist_ok=True)
        probe = out / ".rmtsym-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise ParameterError("--out", str(out), f"a writable folder ({exc.strerror})") from None
    return out


def latex_engine() -> list[str] | None:
    """The command that compiles a .tex to PDF here, or None."""
    if shutil.which("latexmk"):
        return ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-quiet"]
    if shutil.which("pdflatex"):
        return ["pdflatex", "-interaction=nonstopmode", "-halt-on-error"]
    return None


def compile_pdf(tex: Path, engine: list[str]) -> tuple[bool, str]:
    """Compile ``tex`` in its folder; (ok, message)."""
    runs = 1 if engine[0] == "latexmk" else 2
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    for _ in range(runs):
        proc = subprocess.run(engine + [tex.name], cwd=tex.parent, capture_output=True, text=True,
                              timeout=300, env=env)
        if proc.returncode != 0:
            log = tex.with_suffix(".log")
            text = log.read_text(errors="replace") if log.exists() else proc.stdout
            lines = text.splitlines()
            errs = [i for i, ln in enumerate(lines) if ln.startswith("!")]
            tail = "\n".join(lines[errs[0]:errs[0] + 6]) if errs else "\n".join(lines[-10:])
            return False, f"LaTeX failed on {tex.name} (see {log}):\n{tail}"
    if engine[0] == "latexmk":
        subprocess.run(["latexmk", "-c", tex.name], cwd=tex.parent, capture_output=True)
    return True, f"wrote {tex.with_suffix('.pdf')}"


def derive_one(name: str, out: Path, path: Path | None) -> dict:
    """Build, render and write one derivation; returns a summary dict (raises on failure)."""
    module = load_derivation(name, path)
    record = module.build()
    if not isinstance(record, Derivation):
        raise ParameterError("derivation", name, "build() returning a rmtsym Derivation")
    paths = {}
    for fig in record.figures:
        rel = f"figures/{name}-{fig.name}.pdf"
        draw_figure(fig, out / rel)
        paths[fig.name] = rel
    tex = out / f"{name}.tex"
    tex.write_text(render_tex(record, paths), encoding="utf-8")
    (out / f"{name}.json").write_text(record.to_json() + "\n", encoding="utf-8")
    return {"tex": str(tex), "checks": len(record.checks),
            "failed": [c.claim for c in record.failed_checks()]}


def _run(args):
    path = Path(args.path) if args.path else None
    names = derivation_names(path) if args.all else list(args.names)
    if not names:
        raise ParameterError("NAME", "", "one or more derivation names, or --all "
                             "(see `rmtsym list`)")
    known = derivation_names(path)
    for n in names:
        if n not in known:
            raise UnknownNameError("derivation", n, known)
    out = _writable(Path(args.out))
    engine = latex_engine() if args.pdf else None
    summary, lines, bad = {}, [], False
    for i, name in enumerate(names, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(names)}] {name} ...", file=sys.stderr, flush=True)
        try:
            info = derive_one(name, out, path)
        except Exception as exc:
            bad = True
            summary[name] = {"error": f"{type(exc).__name__}: {exc}"}
            lines.append(f"{name}: ERROR {type(exc).__name__}: {exc}")
            print(f"      failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            continue
        info["seconds"] = round(time.perf_counter() - t0, 2)
        if info["failed"]:
            bad = bad or not args.allow_failed
            lines.append(f"{name}: {len(info['failed'])} of {info['checks']} checks FAILED: "
                         + "; ".join(info["failed"]))
        else:
            lines.append(f"{name}: {info['checks']} checks passed -> {info['tex']}")
        if args.pdf:
            if engine is None:
                lines.append("  no LaTeX engine (latexmk or pdflatex) on PATH: wrote the .tex "
                             "only")
            else:
                ok, msg = compile_pdf(Path(info["tex"]), engine)
                info["pdf"] = ok
                bad = bad or not ok
                lines.append("  " + msg)
        summary[name] = info
        print(f"      done in {info['seconds']} s", file=sys.stderr, flush=True)
    data = {"out": str(out), "derivations": summary}
    if bad:
        data["_exit"] = 1
    return data, "\n".join(lines)


COMMANDS = (
    Command("derive", _cfg, _run, "build derivations and write LaTeX reports"),
)
