"""Losses that learn from preferences between two answers: Bradley-Terry reward models and DPO.

Both are binary cross-entropies on a difference: the chosen answer should beat the rejected
one. ``-log sigmoid(m)`` is computed as ``softplus(-m)``, exact for margins in the thousands.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import reduce
from ._pairs import as_matching_arrays, as_positive_number, softplus
from ._validation import check_reduction

_HINT = "pass finite rewards or log-probabilities, one per pair"


def bradley_terry_loss(
    reward_chosen: ArrayLike, reward_rejected: ArrayLike, *, reduction: str = "mean"
) -> NDArray[np.float64] | np.float64:
    r"""Reward-model loss :math:`-\log \sigma(r_c - r_r)`: the Bradley-Terry likelihood of each preference.

    Parameters
    ----------
    reward_chosen, reward_rejected : array_like
        Scores of the preferred and of the rejected answer of each pair, same shape.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over pairs, add them up, or return one loss per pair.

    Returns
    -------
    float64 or ndarray of float64
        A scalar, or the inputs' shape for "none".

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ; on NaN, infinities, an empty batch or an unknown reduction.

    Examples
    --------
    >>> round(float(bradley_terry_loss([1.0], [1.0])), 6)   # no preference yet: log 2
    0.693147
    >>> bradley_terry_loss([1000.0, -1000.0], [0.0, 0.0], reduction="none")
    array([   0., 1000.])
    """
    reduction = check_reduction(reduction)
    chosen, rejected = as_matching_arrays(("reward_chosen", "reward_rejected"),
                                          (reward_chosen, reward_rejected), _HINT)
    return reduce(softplus(rejected - chosen), reduction)


def dpo_loss(
    policy_chosen_logps: ArrayLike,
    policy_rejected_logps: ArrayLike,
    reference_chosen_logps: ArrayLike,
    reference_rejected_logps: ArrayLike,
    *,
    beta: float = 0.1,
    reduction: str = "mean",
) -> NDArray[np.float64] | np.float64:
    r"""Direct preference optimisation: :math:`-\log\sigma(\beta[(\pi_c - \pi^{ref}_c) - (\pi_r - \pi^{ref}_r)])`.

    Each argument holds the log-probability of a whole answer (summed over its tokens) under
    the policy being trained or the frozen reference model (Rafailov et al., 2023). It is the
    Bradley-Terry loss with the implicit reward :math:`\beta \log(\pi / \pi^{ref})`.

    Parameters
    ----------
    policy_chosen_logps, policy_rejected_logps : array_like
        Log-probabilities of the chosen and rejected answers under the policy.
    reference_chosen_logps, reference_rejected_logps : array_like
        The same under the reference model; all four of one shape.
    beta : float, default 0.1
        :math:`\beta > 0`: how far the policy may move from the reference.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over pairs, add them up, or return one loss per pair.

    Returns
    -------
    float64 or ndarray of float64
        A scalar, or the inputs' shape for "none".

    Raises
    ------
    TypeError
        If an input or ``beta`` is not numeric.
    ValueError
        If the shapes differ; on NaN, infinities, an empty batch, ``beta <= 0`` or an
        unknown reduction.

    Examples
    --------
    At the start the policy is the reference, every margin is 0 and the loss is ``log 2``:

    >>> round(float(dpo_loss([-12.0], [-15.0], [-12.0], [-15.0])), 6)
    0.693147
    >>> round(float(dpo_loss([-10.0], [-15.0], [-12.0], [-15.0], beta=0.5)), 6)  # margin 1
    0.313262
    """
    reduction = check_reduction(reduction)
    b = as_positive_number("beta", beta, "DPO commonly uses beta=0.1")
    names = ("policy_chosen_logps", "policy_rejected_logps", "reference_chosen_logps", "reference_rejected_logps")
    pc, pr, rc, rr = as_matching_arrays(
        names, (policy_chosen_logps, policy_rejected_logps, reference_chosen_logps, reference_rejected_logps), _HINT)
    margin = b * ((pc - rc) - (pr - rr))
    return reduce(softplus(-margin), reduction)
