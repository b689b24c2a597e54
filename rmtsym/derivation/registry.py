"""Finding derivation modules: :mod:`rmtsym.derivation.library` shipped with rmtsym, or a user's
folder (``--path``).

The worked derivations live inside the package namespace (``rmtsym.derivation.library``): nothing
is imported from the working directory.  A ``--path`` folder is different by design: its modules
are *imported, that is executed*, so point it only at code you trust.  The folder is imported as a
package of its own (under a private name derived from its absolute path), so its modules may use
relative imports (``from . import helpers``, ``from ._common import table``).

A derivation module exposes ``build() -> Derivation`` and a one-line ``DESCRIPTION`` (else the
first line of its docstring); its name is its file name.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from ..errors import ParameterError, UnknownNameError
from . import library

__all__ = ["derivation_names", "list_derivations", "load_derivation"]


def _package_modules() -> dict[str, str]:
    return {m.name: f"{library.__name__}.{m.name}" for m in pkgutil.iter_modules(library.__path__)
            if not m.name.startswith("_")}


def _folder_modules(path: Path) -> dict[str, Path]:
    folder = Path(path)
    if not folder.is_dir():
        raise ParameterError("--path", str(path), "an existing folder of derivation modules")
    return {p.stem: p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")}


def derivation_names(path: Path | None = None) -> list[str]:
    """Names of the available derivations (sorted)."""
    return sorted(_folder_modules(path) if path else _package_modules())


def load_derivation(name: str, path: Path | None = None) -> ModuleType:
    """The module of derivation ``name``; an UnknownNameError (with suggestions) if none."""
    mods = _folder_modules(path) if path else _package_modules()
    if name not in mods:
        raise UnknownNameError("derivation", name, list(mods))
    if path:
        module = importlib.import_module(f"{_user_package(Path(path))}.{name}")
    else:
        module = importlib.import_module(mods[name])
    if not callable(getattr(module, "build", None)):
        raise ParameterError("derivation", name, "a module defining build() -> Derivation")
    return module


def _user_package(folder: Path) -> str:
    """Import ``folder`` as a package (its ``__init__.py`` runs if it has one) under a private
    name, so that the modules in it can import each other relatively; returns that name."""
    folder = folder.resolve()
    key = "rmtsym_user_derivations_" + hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    if key not in sys.modules:
        init = folder / "__init__.py"
        if init.is_file():
            spec = importlib.util.spec_from_file_location(
                key, init, submodule_search_locations=[str(folder)])
        else:
            spec = importlib.machinery.ModuleSpec(key, None, is_package=True)
            spec.submodule_search_locations = [str(folder)]
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        try:
            if init.is_file():
                spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[key]
            raise
    return key


def describe(module: ModuleType) -> str:
    text = getattr(module, "DESCRIPTION", None) or (module.__doc__ or "").strip().splitlines()[0:1]
    return text if isinstance(text, str) else (text[0] if text else "")


def list_derivations(path: Path | None = None) -> dict[str, str]:
    """Name -> one-line description of every derivation."""
    out = {}
    for name in derivation_names(path):
        try:
            out[name] = describe(load_derivation(name, path))
        except Exception as exc:
            out[name] = f"(cannot be loaded: {type(exc).__name__}: {exc})"
    return out
