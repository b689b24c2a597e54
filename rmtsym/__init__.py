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
from .analysis.exponents import EdgeBehaviour, edge_behaviours
from .analysis.phases import PhaseDiagram, phase_diagram
from .analysis.spikes import (
    RectangularSpike,
    SpikeResult,
    rectangular_spike,
    spike_from_transform,
    spikes,
    two_class_spike,
)
from .core.symbols import G, parameter, z
from .errors import (
    AlgebraError,
    BranchError,
    ConvolutionError,
    ExpressionSyntaxError,
    ParameterError,
    RmtsymError,
    SymbolicParameterError,
    TimeLimitError,
    UnknownNameError,
)
from .gaussian.activations import Activation, activation
from .gaussian.design import design_activation
from .gaussian.expectations import Expectation, gaussian_expectation
from .gaussian.kernels import KernelMap, ck_matrix, kernel_map
from .laws.algebraic import AlgebraicLaw
from .laws.catalog import atomic, free_poisson, marchenko_pastur, semicircle, wigner
from .laws.operations import free_add, free_multiply, scale, shift
from .models.ck_outliers import CKOutliers, ck_outliers
from .models.gd_dynamics import GDDynamics, gd_dynamics
from .models.hessian import critical_energy, hessian_alpha0, hessian_index, hessian_law
from .models.jacobian import (
    jacobian_density,
    jacobian_lambda_max,
    jacobian_law,
    jacobian_moments,
    jacobian_variance,
)
from .models.mean_field import MeanField, critical_line, critical_point, mean_field
from .models.multilayer_ck import multilayer_ck_law
from .models.nonlinear_gram import nonlinear_gram_law, training_loss
from .models.one_step import OneStepSpike, one_step_spike
from .models.random_features import (
    RandomFeatures,
    random_features,
    random_features_risk,
    two_class_data,
)
from .models.ridge import (
    RiskSplit,
    optimal_gamma,
    optimal_ridge,
    ridge_bias_variance,
    ridge_risk,
    ridge_risk_covariance,
    ridge_risk_curve,
    ridgeless_risk,
)
from .models.spin_glass import SpinGlass, spin_glass
from .parallel.sweep import sweep
from .sampling.streaming import MonteCarloSummary, monte_carlo

__all__ = [
    "Activation",
    "AlgebraError",
    "AlgebraicLaw",
    "BranchError",
    "CKOutliers",
    "ConvolutionError",
    "EdgeBehaviour",
    "ExpansionCheck",
    "Expectation",
    "ExpressionSyntaxError",
    "G",
    "GDDynamics",
    "KernelMap",
    "MeanField",
    "MomentRecurrence",
    "MonteCarloSummary",
    "OneStepSpike",
    "ParameterError",
    "PhaseDiagram",
    "RandomFeatures",
    "RectangularSpike",
    "RiskSplit",
    "RmtsymError",
    "SpikeResult",
    "SpinGlass",
    "SymbolicParameterError",
    "TimeLimitError",
    "UnknownNameError",
    "__version__",
    "activation",
    "atomic",
    "ck_matrix",
    "ck_outliers",
    "classical_cumulants_to_moments",
    "critical_energy",
    "critical_line",
    "critical_point",
    "design_activation",
    "edge_behaviours",
    "free_add",
    "free_cumulants_to_moments",
    "free_multiply",
    "free_poisson",
    "gaussian_expectation",
    "gd_dynamics",
    "hessian_alpha0",
    "hessian_index",
    "hessian_law",
    "jacobian_density",
    "jacobian_lambda_max",
    "jacobian_law",
    "jacobian_moments",
    "jacobian_variance",
    "kernel_map",
    "linear_ode",
    "marchenko_pastur",
    "mean_field",
    "moment_closed_form",
    "moment_recurrence",
    "moments_to_classical_cumulants",
    "moments_to_free_cumulants",
    "monte_carlo",
    "multilayer_ck_law",
    "nonlinear_gram_law",
    "one_step_spike",
    "optimal_gamma",
    "optimal_ridge",
    "parameter",
    "phase_diagram",
    "random_features",
    "random_features_risk",
    "rectangular_spike",
    "ridge_bias_variance",
    "ridge_risk",
    "ridge_risk_covariance",
    "ridge_risk_curve",
    "ridgeless_risk",
    "scale",
    "semicircle",
    "series",
    "shift",
    "spike_from_transform",
    "spikes",
    "spin_glass",
    "sweep",
    "training_loss",
    "two_class_data",
    "two_class_spike",
    "verify_expansion",
    "wigner",
    "z",
]
