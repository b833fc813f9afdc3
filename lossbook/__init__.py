"""lossbook: numerically careful classification losses, their gradients, and live widgets."""

from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
from .binary_cross_entropy import binary_cross_entropy
from .contrastive import clip_loss, cosine_similarities, siglip_loss
from .distillation import distillation_loss
from .preferences import bradley_terry_loss, dpo_loss
from .calibration import ReliabilityCurve, expected_calibration_error, fit_temperature, reliability_curve
from .cross_entropy import cross_entropy
from .datasets import make_dataset
from .encoding import from_one_hot, one_hot
from .focal import focal_loss, focal_loss_grad, sigmoid_focal_loss
from .gradients import binary_cross_entropy_grad, cross_entropy_grad, numerical_gradient
from .hinge import multiclass_hinge_loss, multiclass_hinge_loss_grad
from .information import entropy, kl_divergence
from .likelihood import bernoulli_likelihood, bernoulli_log_likelihood
from .metrics import accuracy
from .regression import smooth_l1_loss
from .regularization import l2_penalty, l2_penalty_grad
from .squared_error import softmax_squared_error, softmax_squared_error_grad
# Language models: the fused linear cross-entropy and the character models of their chapter.
from .char_models import bigram_log_probs, encode_characters, pride_and_prejudice, unigram_log_probs
from .linear_cross_entropy import linear_cross_entropy, linear_cross_entropy_grad

__all__ = [
    # Losses between pairs: distillation, contrastive, preferences.
    "bradley_terry_loss",
    "clip_loss",
    "cosine_similarities",
    "distillation_loss",
    "dpo_loss",
    "siglip_loss",
    "ReliabilityCurve",
    "accuracy",
    "bernoulli_likelihood",
    "bernoulli_log_likelihood",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "entropy",
    "expected_calibration_error",
    "fit_temperature",
    "focal_loss",
    "focal_loss_grad",
    "from_one_hot",
    "kl_divergence",
    "l2_penalty",
    "l2_penalty_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "make_dataset",
    "multiclass_hinge_loss",
    "multiclass_hinge_loss_grad",
    "numerical_gradient",
    "one_hot",
    "reliability_curve",
    "sigmoid",
    "sigmoid_focal_loss",
    "smooth_l1_loss",
    "softmax",
    "softmax_squared_error",
    "softmax_squared_error_grad",
    "bigram_log_probs",
    "encode_characters",
    "linear_cross_entropy",
    "linear_cross_entropy_grad",
    "pride_and_prejudice",
    "unigram_log_probs",
]
