"""lossbook: numerically careful classification losses, their gradients, and live widgets."""

from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
from .binary_cross_entropy import binary_cross_entropy
from .cross_entropy import cross_entropy
from .datasets import make_dataset
from .encoding import from_one_hot, one_hot
from .gradients import binary_cross_entropy_grad, cross_entropy_grad, numerical_gradient
from .information import entropy, kl_divergence
from .likelihood import bernoulli_likelihood, bernoulli_log_likelihood
from .metrics import accuracy
from .squared_error import softmax_squared_error, softmax_squared_error_grad

__all__ = [
    "accuracy",
    "bernoulli_likelihood",
    "bernoulli_log_likelihood",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "from_one_hot",
    "kl_divergence",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "make_dataset",
    "numerical_gradient",
    "one_hot",
    "sigmoid",
    "softmax",
    "softmax_squared_error",
    "softmax_squared_error_grad",
]
