"""Sphinx configuration of the rmtsym documentation.

Build the pages with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` and run the
user guide's examples with ``sphinx-build -W -b doctest docs docs/_build/doctest``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import rmtsym

project = "rmtsym"
author = "the rmtsym authors"
copyright = "the rmtsym authors"
release = version = rmtsym.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "rmtsym_api",
]

exclude_patterns = ["_build"]
templates_path: list[str] = []

# numpydoc docstrings; an Attributes section becomes a field list, so that dataclass fields are
# not described twice
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_ivar = True

autodoc_member_order = "bysource"
autosummary_generate = False

# the user guide's ``.. doctest::`` and ``.. testcode::`` blocks are run by the doctest builder;
# the Examples of the docstrings are run by pytest (--doctest-modules) with their module's names
doctest_test_doctest_blocks = ""
doctest_global_setup = """
import matplotlib
matplotlib.use("Agg")
import numpy as np
import sympy as sp
import rmtsym as rs
"""

html_theme = "alabaster"
html_theme_options = {"description": "Symbolic-plus-numeric random matrix theory",
                      "fixed_sidebar": True}
html_static_path: list[str] = []
