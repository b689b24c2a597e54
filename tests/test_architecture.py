"""The package's architecture as rules that can fail: layers import only from below, no import
cycles, no imports hidden inside functions, one public surface whose names are what they say."""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path

import pytest
import sympy as sp

import rmtsym as rs

PACKAGE = Path(rs.__file__).parent

#: low to high; a module may import only from its own layer or the layers before it
LAYERS = ["errors", "_version", "core", "algebra", "numeric", "laws", "analysis", "gaussian",
          "models", "parallel", "sampling", "derivation", "report", "cli", "__init__", "__main__"]
RANK = {name: i for i, name in enumerate(LAYERS)}
RANK["_version"] = RANK["errors"]

#: third-party modules that may be imported inside a function (heavy, needed by few callers)
LAZY_ALLOWED = {"matplotlib", "matplotlib.pyplot", "matplotlib.colors", "distributed", "pandas"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for every import statement."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    out = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                out.extend((a.name, in_function, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, is_package, child)
                known = _modules()
                for a in child.names:
                    sub = f"{target}.{a.name}"
                    out.append((sub if sub in known else target, in_function, child.lineno))
            visit(child, inside)

    visit(tree, False)
    return out


def _internal_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        graph[name] = {t for t, _, _ in _imports(name, path) if t.split(".")[0] == "rmtsym"
                       and t in mods and t != name}
    return graph


def test_every_import_points_down_the_layers():
    bad = []
    for name, path in _modules().items():
        for target, _, line in _imports(name, path):
            if target.split(".")[0] != "rmtsym":
                continue
            if target == "rmtsym" and name not in ("rmtsym", "rmtsym.__main__"):
                bad.append(f"{name}:{line} imports the package root")
                continue
            if RANK[_layer(target)] > RANK[_layer(name)]:
                bad.append(f"{name}:{line} imports {target} from a higher layer")
    assert not bad, "\n".join(bad)


def test_no_function_local_imports():
    bad = [f"{name}:{line} imports {target} inside a function"
           for name, path in _modules().items()
           for target, inside, line in _imports(name, path)
           if inside and target not in LAZY_ALLOWED]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = _internal_graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def dfs(u):
        state[u] = 1
        stack.append(u)
        for v in graph[u]:
            # a package's __init__ importing its own children is not a cycle of code
            if state.get(v) == 1:
                cycles.append(stack[stack.index(v):] + [v])
            elif v not in state:
                dfs(v)
        stack.pop()
        state[u] = 2

    for u in sorted(graph):
        if u not in state:
            dfs(u)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_rule_can_fail(tmp_path):
    """The layer check flags an upward import written into a low layer."""
    path = tmp_path / "x.py"
    path.write_text("from ..models.hessian import hessian_law\n")
    found = _imports("rmtsym.core.x", path)
    assert found[0][0] == "rmtsym.models.hessian"
    assert RANK[_layer(found[0][0])] > RANK[_layer("rmtsym.core.x")]


def test_all_is_sorted_and_every_name_resolves():
    names = rs.__all__
    assert list(names) == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        obj = getattr(rs, name)
        assert not isinstance(obj, types.ModuleType), f"rs.{name} is a module, not the API object"
        if callable(obj):
            doc = inspect.getdoc(obj)
            assert doc, f"rs.{name} has no docstring"


@pytest.mark.parametrize("name", ["series", "verify_expansion", "moment_recurrence",
                                  "moment_closed_form", "linear_ode"])
def test_public_functions_are_functions(name):
    assert inspect.isfunction(getattr(rs, name))


def test_series_is_the_function():
    x = sp.Symbol("x")
    assert rs.series(sp.exp(x), x, 0, 3) == 1 + x + x**2 / 2


def test_top_level_functions_take_a_law_like_the_methods():
    law = rs.marchenko_pastur(sp.Rational(1, 2))
    assert rs.moment_recurrence(law).text() == law.moment_recurrence().text()
    assert rs.moment_closed_form(law) == law.moment_closed_form()
    assert rs.rectangular_spike(law, 2, sp.Rational(1, 2)) == law.rectangular_spike(
        2, sp.Rational(1, 2))
    shared = {n for n in rs.__all__ if hasattr(rs.AlgebraicLaw, n)}
    assert shared <= {"moment_recurrence", "moment_closed_form", "rectangular_spike"}, shared


def test_labels_come_from_the_recipe():
    p, s = rs.parameter("p"), rs.parameter("s")
    assert rs.marchenko_pastur(p).subs(p=2).label == "mp(2)"
    assert rs.semicircle(s).subs(s=3).label == "sc(3)"
    law = rs.shift(rs.scale(rs.free_add(rs.marchenko_pastur(p), rs.semicircle(s)), -1), -2)
    assert law.subs(p=sp.Rational(1, 2), s=1).label == "(-(mp(1/2) + sc(1))) - 2"
    assert law.recipe.operands[0].recipe["a"] == -1


def test_version_in_one_place():
    from rmtsym._version import __version__

    assert rs.__version__ == __version__
    text = (PACKAGE.parent / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text and "rmtsym._version.__version__" in text
    assert '\nversion = "' not in text
