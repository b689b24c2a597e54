"""``rmtsym derive``: build derivation records, render them to LaTeX (and PDF), write reports."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ...derivation.record import Derivation
from ...derivation.registry import derivation_names, load_derivation
from ...errors import ParameterError, UnknownNameError
from ...report.figures import draw_figure
from ...report.render import render_book, render_tex
from ..common import Command


def _cfg(p):
    p.add_argument("names", nargs="*", help="derivations to build (see `rmtsym list`)")
    p.add_argument("--all", action="store_true", help="build every derivation")
    p.add_argument("--out", default="reports", help="output folder (default: reports/)")
    p.add_argument("--pdf", action="store_true", help="also compile PDFs (latexmk or pdflatex)")
    p.add_argument("--path", default=None,
                   help="a folder of your own derivation modules: they are imported, that is "
                   "their code RUNS, as a package (relative imports work); use only folders "
                   "you trust")
    p.add_argument("--allow-failed-checks", dest="allow_failed", action="store_true",
                   help="exit 0 even if a check fails (the report marks it FAIL)")
    p.add_argument("--book", action="store_true",
                   help="also write book.tex: every derivation built as a chapter, with a title "
                   "page and a table of contents (compiled too with --pdf)")


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


def figure_file(name: str, figure: str) -> str:
    """The relative path of a figure of derivation ``name``: the figure's own name with every
    character outside ``[A-Za-z0-9_.-]`` replaced, so that it stays inside ``--out/figures``.

    Examples
    --------
    >>> figure_file("semicircle", "/../../../X")
    'figures/semicircle-_.._.._.._X.pdf'
    """
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}-{figure}").lstrip(".") or "figure"
    return f"figures/{safe[:120]}.pdf"


def _temp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}",
                               dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _write_text(path: Path, text: str) -> Path:
    tmp = _temp_beside(path)
    tmp.write_text(text, encoding="utf-8")
    return tmp


def outputs_of(name: str, out: Path) -> list[Path]:
    """The files a derivation writes under ``out`` (for removal when it fails)."""
    files = [out / f"{name}{ext}" for ext in (".tex", ".json", ".pdf")]
    files += sorted((out / "figures").glob(f"{glob.escape(name)}-*.pdf"))
    return [f for f in files if f.is_file()]


def remove_stale(name: str, out: Path) -> list[str]:
    """Remove the outputs of a previous run of ``name``, so that none claims checks that the
    failed run did not pass; returns the removed paths."""
    removed = []
    for f in outputs_of(name, out):
        with contextlib.suppress(OSError):
            f.unlink()
            removed.append(str(f))
    return removed


def derive_one(name: str, out: Path, path: Path | None) -> dict:
    """Build, render and write one derivation; returns a summary dict (raises on failure).

    Every file is written to a temporary file beside its target and renamed into place only when
    all of them are complete: a failure (a full disk, an exception in ``build()``) leaves no
    half-written file.
    """
    module = load_derivation(name, path)
    record = module.build()
    if not isinstance(record, Derivation):
        raise ParameterError("derivation", name, "build() returning a rmtsym Derivation")
    pending: list[tuple[Path, Path]] = []
    try:
        paths = {}
        for fig in record.figures:
            rel = figure_file(name, fig.name)
            target = out / rel
            tmp = _temp_beside(target)
            pending.append((tmp, target))
            draw_figure(fig, tmp)
            paths[fig.name] = rel
        tex = out / f"{name}.tex"
        pending.append((_write_text(tex, render_tex(record, paths)), tex))
        js = out / f"{name}.json"
        pending.append((_write_text(js, record.to_json() + "\n"), js))
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    for tmp, target in pending:
        os.replace(tmp, target)
    return {"tex": str(tex), "checks": len(record.checks),
            "failed": [c.claim for c in record.failed_checks()],
            "record": record, "figure_paths": paths}


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
    summary, lines, bad, built = {}, [], False, []
    for i, name in enumerate(names, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(names)}] {name} ...", file=sys.stderr, flush=True)
        try:
            info = derive_one(name, out, path)
            built.append((info.pop("record"), info.pop("figure_paths")))
        except Exception as exc:
            bad = True
            removed = remove_stale(name, out)
            summary[name] = {"error": f"{type(exc).__name__}: {exc}", "removed": removed}
            lines.append(f"{name}: ERROR {type(exc).__name__}: {exc}"
                         + (f" (removed the previous outputs: {', '.join(removed)})"
                            if removed else ""))
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
                if not ok:
                    with contextlib.suppress(OSError):
                        Path(info["tex"]).with_suffix(".pdf").unlink()
                info["pdf"] = ok
                bad = bad or not ok
                lines.append("  " + msg)
        summary[name] = info
        print(f"      done in {info['seconds']} s", file=sys.stderr, flush=True)
    if getattr(args, "book", False) and built:
        book = out / "book.tex"
        text = render_book([r for r, _ in built], {r.name: p for r, p in built})
        os.replace(_write_text(book, text), book)
        lines.append(f"book: {len(built)} chapters -> {book}")
        summary["book"] = {"tex": str(book), "chapters": [r.name for r, _ in built]}
        if engine is not None:
            ok, msg = compile_pdf(book, engine)
            bad = bad or not ok
            lines.append("  " + msg)
    data = {"out": str(out), "derivations": summary}
    if bad:
        data["_exit"] = 1
    return data, "\n".join(lines)


COMMANDS = (
    Command("derive", _cfg, _run, "build derivations and write LaTeX reports"),
)
