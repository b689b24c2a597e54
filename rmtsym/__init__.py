"""rmtsym: a symbolic-plus-numeric derivation engine for random matrix theory in deep learning.

Conventions are fixed (see CONVENTIONS in the documentation): the Cauchy transform
G(z) = int rho(dx) / (z - x) is the primary object, and every law is algebraic, P(G, z) = 0.
"""

from __future__ import annotations

from .activations import Activation, activation
from .asymptotics import ExpansionCheck, series, verify_expansion
from .catalog import atomic, free_poisson, marchenko_pastur, semicircle, wigner
from .convolution import free_add, free_multiply, scale, shift
from .design import design_activation
from .errors import (
    BranchError,
    ConvolutionError,
    ExpressionSyntaxError,
    ParameterError,
    RmtsymError,
    SymbolicParameterError,
    UnknownNameError,
)
from .gaussian import Expectation, gaussian_expectation
from .kernels import KernelMap, ck_matrix, kernel_map
from .law import AlgebraicLaw
from .models.hessian import critical_energy, hessian_alpha0, hessian_index, hessian_law
from .models.nonlinear_gram import nonlinear_gram_law, training_loss
from .moments import (
    classical_cumulants_to_moments,
    free_cumulants_to_moments,
    moments_to_classical_cumulants,
    moments_to_free_cumulants,
)
from .recurrence import MomentRecurrence, linear_ode, moment_closed_form, moment_recurrence
from .symbols import G, parameter, z

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "AlgebraicLaw",
    "ExpansionCheck",
    "Expectation",
    "KernelMap",
    "activation",
    "ck_matrix",
    "critical_energy",
    "design_activation",
    "gaussian_expectation",
    "hessian_alpha0",
    "hessian_index",
    "hessian_law",
    "kernel_map",
    "nonlinear_gram_law",
    "series",
    "training_loss",
    "verify_expansion",
    "BranchError",
    "ConvolutionError",
    "ExpressionSyntaxError",
    "G",
    "MomentRecurrence",
    "ParameterError",
    "RmtsymError",
    "SymbolicParameterError",
    "UnknownNameError",
    "atomic",
    "classical_cumulants_to_moments",
    "free_add",
    "free_cumulants_to_moments",
    "free_multiply",
    "free_poisson",
    "linear_ode",
    "marchenko_pastur",
    "moment_closed_form",
    "moment_recurrence",
    "moments_to_classical_cumulants",
    "moments_to_free_cumulants",
    "parameter",
    "scale",
    "semicircle",
    "shift",
    "wigner",
    "z",
]
