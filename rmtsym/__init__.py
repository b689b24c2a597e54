"""rmtsym: a symbolic-plus-numeric derivation engine for random matrix theory in deep learning.

Conventions are fixed (see CONVENTIONS in the documentation): the Cauchy transform
G(z) = int rho(dx) / (z - x) is the primary object, and every law is algebraic, P(G, z) = 0.
"""

from __future__ import annotations

from ._version import __version__
from .algebra.moments import (
    classical_cumulants_to_moments,
    free_cumulants_to_moments,
    moments_to_classical_cumulants,
    moments_to_free_cumulants,
)
from .algebra.recurrence import MomentRecurrence, linear_ode, moment_closed_form, moment_recurrence
from .analysis.expansions import ExpansionCheck, series, verify_expansion
from .core.symbols import G, parameter, z
from .errors import (
    BranchError,
    ConvolutionError,
    ExpressionSyntaxError,
    ParameterError,
    RmtsymError,
    SymbolicParameterError,
    UnknownNameError,
)
from .gaussian.activations import Activation, activation
from .gaussian.design import design_activation
from .gaussian.expectations import Expectation, gaussian_expectation
from .gaussian.kernels import KernelMap, ck_matrix, kernel_map
from .laws.algebraic import AlgebraicLaw
from .laws.catalog import atomic, free_poisson, marchenko_pastur, semicircle, wigner
from .laws.operations import free_add, free_multiply, scale, shift
from .models.hessian import critical_energy, hessian_alpha0, hessian_index, hessian_law
from .models.nonlinear_gram import nonlinear_gram_law, training_loss

__all__ = [
    "Activation",
    "AlgebraicLaw",
    "BranchError",
    "ConvolutionError",
    "ExpansionCheck",
    "Expectation",
    "ExpressionSyntaxError",
    "G",
    "KernelMap",
    "MomentRecurrence",
    "ParameterError",
    "RmtsymError",
    "SymbolicParameterError",
    "UnknownNameError",
    "__version__",
    "activation",
    "atomic",
    "ck_matrix",
    "classical_cumulants_to_moments",
    "critical_energy",
    "design_activation",
    "free_add",
    "free_cumulants_to_moments",
    "free_multiply",
    "free_poisson",
    "gaussian_expectation",
    "hessian_alpha0",
    "hessian_index",
    "hessian_law",
    "kernel_map",
    "linear_ode",
    "marchenko_pastur",
    "moment_closed_form",
    "moment_recurrence",
    "moments_to_classical_cumulants",
    "moments_to_free_cumulants",
    "nonlinear_gram_law",
    "parameter",
    "scale",
    "semicircle",
    "series",
    "shift",
    "training_loss",
    "verify_expansion",
    "wigner",
    "z",
]
