"""Categorical cross-entropy from probabilities or from logits."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import in_base, reduce, row_blocks, weighted, xlogy
from ._validation import (
    as_real_array,
    check_distributions,
    check_eps,
    check_from_logits,
    check_has_class_axis,
    check_no_nan,
    check_not_empty,
    check_reduction,
    log_of_base,
)
from ._targets import ClassTargets, class_targets
from .activations import log_partition


def cross_entropy(
    y_pred: ArrayLike,
    y_true: ArrayLike,
    *,
    from_logits: bool = False,
    reduction: str = "mean",
    base: float | None = None,
    eps: float | None = None,
    weight: ArrayLike | None = None,
    label_smoothing: float = 0.0,
    ignore_index: int | None = None,
) -> NDArray[np.float64] | np.float64:
    r"""Cross-entropy :math:`-\sum_j y_j \log \hat y_j` between targets and predictions.

    ``weight``, ``label_smoothing`` and ``ignore_index`` mean exactly what they mean in
    ``torch.nn.functional.cross_entropy``: each example's loss becomes
    :math:`-\sum_j w_j q_j \log \hat y_j` with the smoothed target
    :math:`q = (1 - \varepsilon) y + \varepsilon / K`, and "mean" divides by the summed weights
    :math:`\sum_i w_{y_i}` of the (not ignored) examples' target classes for index targets,
    but by the number of examples for target distributions.  So with index targets and a
    batch of one, the class weight cancels out of the mean.

    Parameters
    ----------
    y_pred : array_like, shape ``(..., K)``
        Predicted probabilities (each row sums to 1), or logits if ``from_logits=True``.
    y_true : array_like
        Either class indices of shape ``y_pred.shape[:-1]``, or target distributions
        (one-hot or soft rows summing to 1) of shape ``y_pred.shape``.
    from_logits : bool, default False
        Treat ``y_pred`` as logits and fuse the softmax into the loss.  This is both more
        accurate and faster than passing ``softmax(z)``: a loss of 1e-18 survives.
    reduction : {"mean", "sum", "none"}, default "mean"
        Average over examples, add them up, or return one loss per example.
    base : float, optional
        Logarithm base: None for nats, 2 for bits.
    eps : float, optional
        Clip probabilities to ``[eps, 1]`` so that a true-class probability of 0 gives a
        large finite loss (``-log eps``) instead of ``inf``.  Only for probabilities.
    weight : array_like, shape ``(K,)``, optional
        Non-negative finite weight per class (for example inverse class frequencies).
    label_smoothing : float, default 0.0
        :math:`\varepsilon \in [0, 1]`: the target becomes :math:`(1 - \varepsilon) y +
        \varepsilon / K`, with index and distribution targets alike.
    ignore_index : int, optional
        A label value (often -100) whose examples contribute 0 and are left out of the mean.
        Index targets only.  If every label is ignored, "mean" raises ValueError where torch
        returns NaN: a mean over no examples has no value, and a NaN loss would surface
        steps later as NaN weights, far from its cause.  The same holds when the target
        classes' weights sum to 0.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum"; shape ``y_pred.shape[:-1]`` for "none".

    Raises
    ------
    TypeError
        If an input is not numeric (e.g. class names as strings), or ``base``/``eps`` are
        not numbers.
    ValueError
        If labels are out of range, negative or fractional; if probability rows do not sum
        to 1 (within 1e-6 for float64, 3.5e-4 for float32) or hold values outside [0, 1]
        (they are never renormalised: pass ``from_logits=True`` for scores); on NaN; if the
        shapes of ``y_pred`` and ``y_true`` do not match; on an empty batch; for an unknown ``reduction``; for ``base <= 0`` or
        ``base == 1``; for ``eps`` outside (0, 0.5) or combined with ``from_logits``; for
        weights of the wrong length, negative, infinite or NaN; for ``label_smoothing``
        outside [0, 1]; for ``ignore_index`` with target distributions; or under "mean" when
        every label is ignored or the target classes' weights sum to 0.

    Examples
    --------
    A confident correct prediction, in bits and in nats:

    >>> float(cross_entropy([[0.9, 0.1]], [0], base=2))
    0.15200309344504997
    >>> float(cross_entropy([[0.9, 0.1]], [0]))
    0.10536051565782628

    Index and one-hot targets give the same loss:

    >>> batch = [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]
    >>> cross_entropy(batch, [0, 1, 1], reduction="none")
    array([0.35667494, 0.69314718, 0.10536052])
    >>> float(cross_entropy(batch, [[1, 0, 0], [0, 1, 0], [0, 1, 0]]))
    0.38506088005216804

    From logits, a tiny loss is kept where ``-log(softmax(z))`` rounds it to zero:

    >>> float(cross_entropy([[40.0, 0.0]], [0], from_logits=True))
    4.248354255291589e-18
    >>> z = np.array([40.0, 0.0])
    >>> float(-np.log(np.exp(z) / np.exp(z).sum())[0])
    0.0

    Class weights, label smoothing and an ignored example (label -100):

    >>> z = [[2.0, 0.5, -1.0], [0.1, 1.2, 0.3], [1.0, 1.0, 1.0]]
    >>> float(cross_entropy(z, [0, 2, -100], from_logits=True, weight=[1.0, 2.0, 3.0],
    ...                     label_smoothing=0.1, ignore_index=-100))
    1.2068609193130448

    Scores that are not probabilities are refused, not renormalised:

    >>> cross_entropy([[2.0, 1.0]], [0])
    Traceback (most recent call last):
    ...
    ValueError: y_pred must lie in [0, 1], got 2.0 at index (0, 0); if these are raw scores (logits), pass from_logits=True
    """
    reduction = check_reduction(reduction)
    log_base = log_of_base(base)
    from_logits = check_from_logits(from_logits)
    eps = check_eps(eps, from_logits)
    pred = as_real_array("y_pred", y_pred)
    check_has_class_axis("y_pred", pred)
    check_not_empty("y_pred", pred)
    rows = pred.reshape(-1, pred.shape[-1])
    if not from_logits:
        check_no_nan("y_pred", pred)
        check_distributions(
            "y_pred", pred, -1, "if these are raw scores (logits), pass from_logits=True", y_pred
        )
        if eps is not None:
            rows = np.clip(rows, eps, 1.0)
    targets = class_targets(pred, y_true, weight, label_smoothing, ignore_index, reduction)
    if targets.labels is None:
        assert targets.dense is not None
        if from_logits:
            losses = _soft_losses_from_logits(rows, targets.dense, pred.shape)
        else:
            losses = 0.0 - np.sum(xlogy(targets.dense, rows), axis=-1)
    else:
        losses = _index_losses(rows, targets, from_logits, pred.shape)
    losses = in_base(losses.reshape(pred.shape[:-1]), log_base)
    return reduce(losses, reduction, targets.divisor)


def _index_losses(
    rows: NDArray[np.float64], targets: ClassTargets, from_logits: bool, shape: tuple[int, ...]
) -> NDArray[np.float64]:
    """Per-row ``(1 - eps) w_y (-log p_y) + (eps / K) sum_j w_j (-log p_j)`` for index targets.

    Each part is a sum of non-negative terms; ``weighted`` makes an ignored or zero-weight
    example 0 even where its ``-log p`` is infinite. ``shape`` is ``y_pred``'s, for messages.
    """
    labels, eps = targets.labels, targets.smoothing
    assert labels is not None
    k = rows.shape[1]
    smooth: NDArray[np.float64] | None = None
    if from_logits and eps:
        # One kernel pass gives log Z = m + L and sum_j w_j (m - z_j).
        dot = np.empty(len(rows))
        m, L = log_partition(rows, "y_pred", weights=targets.weight, out_dot=dot, shape=shape)
        nll = L + (m - rows[np.arange(len(rows)), labels])
        total_weight = k if targets.weight is None else float(np.sum(targets.weight))
        smooth = dot + total_weight * L
    elif from_logits:
        nll = _index_losses_from_logits(rows, labels, shape=shape)
    else:
        with np.errstate(divide="ignore"):  # -log 0 = inf is the intended answer
            # 0 - x rather than -x, so that a perfect prediction gives +0.0, not -0.0.
            nll = 0.0 - np.log(rows[np.arange(len(rows)), labels])
        if eps:
            w = np.ones(k) if targets.weight is None else targets.weight
            smooth = 0.0 - np.sum(xlogy(np.broadcast_to(w, rows.shape), rows), axis=-1)
    if targets.row_weight is not None:
        nll = weighted(targets.row_weight, nll)
    if smooth is None:
        return nll
    if targets.kept is not None:
        smooth = weighted(targets.kept, smooth)
    # At eps = 1 the true-class term drops out entirely, even where -log p_y is infinite.
    true_part = (1.0 - eps) * nll if eps < 1 else np.zeros(len(nll))
    smoothed: NDArray[np.float64] = true_part + (eps / k) * smooth
    return smoothed


def _soft_losses_from_logits(
    rows: NDArray[np.float64], dense: NDArray[np.float64], shape: tuple[int, ...]
) -> NDArray[np.float64]:
    """Per-row ``-sum_j y_j log softmax(z)_j``, with ``logsumexp(z) = m + L`` kept split.

    ``-log softmax(z)_j = L + (m - z_j)`` is a sum of two non-negative terms, so it has full
    relative precision both when the loss is huge and when it is 1e-18. ``shape`` is
    ``y_pred``'s, for messages.
    """
    m, L = log_partition(rows, "y_pred", shape=shape)
    neg_log_probs = (m[:, None] - rows) + L[:, None]
    # weighted(): a class ruled out by a -inf logit with target weight 0 contributes 0, not NaN.
    losses: NDArray[np.float64] = np.sum(weighted(dense, neg_log_probs), axis=-1)
    return losses


def _index_losses_from_logits(
    rows: NDArray[np.float64],
    labels: NDArray[np.intp],
    name: str = "y_pred",
    shape: tuple[int, ...] | None = None,
) -> NDArray[np.float64]:
    """``-log softmax(z)_t`` per row, in one exponential pass when the logits allow it.

    With ``a = exp(z_t)`` and ``b = sum_{j != t} exp(z_j)``, the loss is ``log1p(b / a)``:
    exact for tiny losses (``log1p``) and for large ones, and it needs no row maximum, so no
    pass to find it and none to subtract it.  The exponentials are taken of the logits
    themselves, which is safe as long as nothing overflows and nothing that matters
    underflows; the rows where that fails (logits beyond about +-700) are recomputed with the
    max-shifted :func:`log_partition`.  Extreme logits tend to come together, so after a
    block where most rows needed that, the next block goes straight to the shifted kernel
    rather than paying for both.
    """
    losses = np.empty(len(rows))
    single_pass = True
    for start, stop, buf in row_blocks(rows.shape):
        chunk, true = rows[start:stop], labels[start:stop]
        if single_pass:
            redo = _single_pass(chunk, true, buf, losses[start:stop])
        else:
            redo = np.arange(stop - start)
        if len(redo):
            m, L = log_partition(chunk[redo], name, row_numbers=start + redo, shape=shape)
            z_true = chunk[redo, true[redo]]
            losses[start + redo] = L + (m - z_true)
            if not single_pass:
                # Would these rows have survived the single pass?  Roughly, if no logit that
                # matters lies beyond +-700 and the loss itself stays below 700.
                extreme = (np.abs(m) > _EXP_SAFE) | (np.abs(z_true) > _EXP_SAFE) | (m - z_true > _EXP_SAFE)
                redo = np.flatnonzero(extreme)
        single_pass = 2 * len(redo) <= stop - start
    return losses


#: exp(x) is a finite normal float for |x| below about 708; keep a margin for the sums.
_EXP_SAFE = 700.0


def _single_pass(
    chunk: NDArray[np.float64], true: NDArray[np.intp], buf: NDArray[np.float64], out: NDArray[np.float64]
) -> NDArray[np.intp]:
    """Write ``log1p(b / a)`` for each row of ``chunk`` into ``out``; return the rows to redo.

    A row is trusted when ``a = exp(z_t)`` is a finite normal number, ``b / a`` did not
    overflow, and the other terms sum to far more than what underflow can lose: each
    underflowed term is below the smallest normal number, so ``k`` of them cost at most
    ``2**-50`` of the sum.
    """
    index = np.arange(len(chunk))
    # Overflow, inf/inf and NaN are all caught by the row test below, so the raw arithmetic
    # may produce them silently.
    with np.errstate(all="ignore"):
        np.exp(chunk, out=buf)
        true_exp = buf[index, true]
        buf[index, true] = 0.0
        rest_exp = np.sum(buf, axis=1)
        np.log1p(rest_exp / true_exp, out=out)
    smallest_normal = np.finfo(np.float64).tiny
    trusted = (
        (true_exp >= smallest_normal)
        & (true_exp < np.inf)
        & (rest_exp >= chunk.shape[1] * smallest_normal * 2.0**50)
        & (out < np.inf)
    )
    return np.flatnonzero(~trusted)
