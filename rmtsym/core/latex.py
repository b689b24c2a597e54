"""LaTeX of SymPy objects in rmtsym's notation: the one conversion used everywhere.

Reports, record checks and the notebook display of the engine's objects (their ``_repr_latex_``)
all go through :func:`to_latex`, so a symbol prints the same way in each: ``phi`` as
:math:`\\phi`, ``eps`` as :math:`\\epsilon`, ``s2`` as :math:`s^2`, ``K_erf`` as
:math:`K_\\mathrm{erf}`.  :func:`tex_escape` escapes prose, :func:`as_text` puts prose inside
mathematics, and :func:`as_math` wraps a formula for a notebook (``$...$`` or ``$$...$$``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

__all__ = [
    "INLINE_MATH",
    "Ascending",
    "Collected",
    "as_math",
    "as_text",
    "brief",
    "brief_latex",
    "latex_name",
    "tex_escape",
    "to_latex",
]

#: symbol names (or their parts) typeset otherwise than SymPy would
_NAMES = {"eps": r"\epsilon", "s2": "s^{2}", "sigma2": r"\sigma^{2}", "lam": r"\lambda"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
          "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
          "varphi", "varepsilon"}
_WORD = re.compile(r"^[A-Za-z]+$")


def _part(text: str, sub: bool) -> str:
    if text in _NAMES:
        return _NAMES[text]
    if text in _GREEK:
        return "\\" + text
    if sub and _WORD.match(text) and len(text) > 1:
        return r"\mathrm{" + text + "}"
    return text


def latex_name(name: str) -> str:
    """LaTeX of a symbol name in the reports' notation.

    Names holding a backslash or braces are taken as LaTeX already; otherwise ``base_sub`` becomes
    a subscript, Greek words become letters and a word subscript is upright.

    Examples
    --------
    >>> [latex_name(n) for n in ("phi", "s2", "eps", "K_erf", "eps_c", "m_2", "x")]
    ['\\\\phi', 's^{2}', '\\\\epsilon', 'K_\\\\mathrm{erf}', '\\\\epsilon_{c}', 'm_{2}', 'x']
    """
    if "\\" in name or "{" in name:
        return name
    base, _, sub = name.partition("_")
    out = _part(base, False)
    if sub:
        tex = _part(sub, True)
        out += "_" + (tex if tex.startswith(r"\mathrm") else "{" + tex + "}")
    return out


@dataclass(frozen=True)
class Ascending:
    """A SymPy object to be printed with its sums in ascending powers (series)."""

    expr: object


@dataclass(frozen=True)
class Collected:
    """A polynomial in ``var`` printed by powers of ``var`` (descending, or ascending with
    ``ascending=True``), each coefficient factored: ``c z G^2 - (z + c - 1) G + 1``; ``lhs``, if
    given, is printed as ``lhs = ...`` and ``rhs`` (default 0) on the other side."""

    expr: object
    var: object
    lhs: object = None
    rhs: object = 0
    ascending: bool = False

    def terms(self) -> list[str]:
        """The terms as LaTeX with their signs ("+ ...", "- ...")."""
        poly = sp.Poly(sp.expand(self.expr), self.var)
        powers = sorted((m[0] for m in poly.monoms()), reverse=not self.ascending)
        out = []
        for p in powers:
            coef = sp.factor(poly.coeff_monomial(self.var**p))
            neg = coef.could_extract_minus_sign()
            coef = -coef if neg else coef
            var = "" if p == 0 else to_latex(self.var**p)
            if coef == 1 and var:
                body = var
            else:
                body = to_latex(coef)
                if isinstance(coef, sp.Add) and var:
                    body = r"\left(" + body + r"\right)"
                body = f"{body} {var}".strip()
            out.append(("- " if neg else "+ ") + body)
        return out

    def sides(self) -> tuple[str, str]:
        """The LaTeX of the left side (empty if none) and the right side."""
        return ("" if self.lhs is None else to_latex(self.lhs)), to_latex(self.rhs)


#: variance-like parameters printed as the square of a letter (s2 -> s^2, s2^2 -> s^4)
_SQUARES = {"s2": "s", "sigma2": "sigma"}


def _squares(obj):
    subs = {s: sp.Symbol(_SQUARES[s.name], positive=True) ** 2
            for s in getattr(obj, "free_symbols", ()) if getattr(s, "name", None) in _SQUARES}
    return obj.xreplace(subs) if subs else obj


def _symbol_names(obj) -> dict:
    names = {}
    for s in getattr(obj, "free_symbols", ()):
        name = getattr(s, "name", None)
        if name is not None and latex_name(name) != sp.latex(s):
            names[s] = latex_name(name)
    return names


def to_latex(obj) -> str:
    """LaTeX of a SymPy object in the reports' notation; text (LaTeX already) passes unchanged.

    The one conversion used by records, checks and the renderer: symbol names through
    :func:`latex_name`, inverse trigonometric functions as ``\\arcsin``, ``log`` as ``\\ln``;
    an :class:`Ascending` object prints its sums in ascending powers.

    Examples
    --------
    >>> phi = sp.Symbol("phi", positive=True)
    >>> to_latex(2 * sp.asin(phi) / sp.pi)
    '\\\\frac{2 \\\\arcsin{\\\\left(\\\\phi \\\\right)}}{\\\\pi}'
    >>> to_latex(Ascending(phi**2 + phi + 1))
    '1 + \\\\phi + \\\\phi^{2}'
    """
    if isinstance(obj, str):
        return obj
    if isinstance(obj, Collected):
        text = " ".join(obj.terms())
        text = text[2:] if text.startswith("+ ") else "-" + text[1:]
        lhs, rhs = obj.sides()
        return f"{lhs} = {text}" if lhs else f"{text} = {rhs}"
    order = None
    if isinstance(obj, Ascending):
        obj, order = obj.expr, "rev-lex"
    obj = _squares(obj)
    return sp.latex(obj, symbol_names=_symbol_names(obj), inv_trig_style="full",
                    ln_notation=True, order=order)


_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
            "<": r"\textless{}", ">": r"\textgreater{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))
#: an inline ``$...$`` segment of prose
INLINE_MATH = re.compile(r"(\$[^$]+\$)")


def tex_escape(text: object) -> str:
    """Escape prose for LaTeX; ``$...$`` segments are inline mathematics and pass unchanged.

    Examples
    --------
    >>> tex_escape("50% of x_1 & $\\\\eta$")
    '50\\\\% of x\\\\_1 \\\\& $\\\\eta$'
    """
    parts = INLINE_MATH.split(str(text))
    return "".join(p if i % 2 else _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], p)
                   for i, p in enumerate(parts))


def as_text(words: object) -> str:
    """Prose inside mathematics: ``\\text{...}`` with the prose escaped (``$...$`` segments stay
    mathematics).

    Examples
    --------
    >>> as_text("mp(1/2) + sc(s_2)")
    '\\\\text{mp(1/2) + sc(s\\\\_2)}'
    """
    return r"\text{" + tex_escape(words) + "}"


def as_math(tex: str, display: bool = False) -> str:
    """A formula as notebooks show it: ``$tex$``, or ``$$tex$$`` on a line of its own.

    Examples
    --------
    >>> as_math(to_latex(sp.Symbol("phi") / 2)), as_math("x", display=True)
    ('$\\\\frac{\\\\phi}{2}$', '$$x$$')
    """
    return f"$${tex}$$" if display else f"${tex}$"


def _long(value: object, text: str, limit: int) -> bool:
    """Whether a display shows the value's number: a long or CRootOf closed form of a number."""
    return (isinstance(value, sp.Basic) and not value.free_symbols and value.is_number
            and (len(text) > limit or value.has(sp.CRootOf)))


def brief(value: object, limit: int = 40) -> str:
    """Plain text of a value for a one-line display: its exact form when at most ``limit``
    characters long and free of ``CRootOf``, else ``~`` and its value to 10 digits (a numeric
    evaluation, no search).

    Examples
    --------
    >>> brief(sp.Rational(5, 2)), brief(sp.CRootOf(sp.Symbol("x")**5 - sp.Symbol("x") - 1, 0))
    ('5/2', '~1.167303978')
    """
    text = sp.sstr(value)
    return "~" + sp.sstr(sp.N(value, 10)) if _long(value, text, limit) else text


def brief_latex(value: object, limit: int = 80) -> str:
    """LaTeX of a value for display: :func:`to_latex` when at most ``limit`` characters long and
    free of ``CRootOf``, else ``\\approx`` and its value to 10 digits.

    Examples
    --------
    >>> brief_latex(sp.sqrt(2)), brief_latex(sp.CRootOf(sp.Symbol("x")**5 - sp.Symbol("x") - 1, 0))
    ('\\\\sqrt{2}', '\\\\approx 1.167303978')
    """
    tex = to_latex(value)
    return r"\approx " + to_latex(sp.N(value, 10)) if _long(value, tex, limit) else tex
