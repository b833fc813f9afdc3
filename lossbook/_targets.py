"""Cross-entropy targets after torch's three options: class weights, label smoothing, ignored labels.

Both the loss and its gradient read the targets through :func:`class_targets`, so they agree on
what each option means.  Written out for one example, every combination is the cross-entropy
``-sum_j t_j log p_j`` against the row ``t = w * ((1 - eps) y + eps / K)``: class weights times
the target smoothed towards the uniform distribution, or ``t = 0`` for an ignored example.  What
the options change beyond that is only the divisor of the mean:

* index targets: the sum of the weights of the examples' target classes (their number without
  weights), ignored examples left out, as in ``torch.nn.functional.nll_loss``;
* target distributions: the number of examples, whatever the weights, as torch does.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    _preview,
    as_class_weights,
    as_labels_with_ignored,
    as_target_distributions,
    as_unit_number,
    check_ignore_index,
    targets_are_indices,
)


class ClassTargets(NamedTuple):
    """The targets of a batch of ``n`` rows of ``K`` classes, options applied."""

    #: Index targets, shape ``(n,)``, ignored ones replaced by 0; None for distributions.
    labels: NDArray[np.intp] | None
    #: Per-row weight of the true class, ``w[label]`` and 0 where ignored; None if all are 1.
    row_weight: NDArray[np.float64] | None
    #: 1.0 for kept rows and 0.0 for ignored ones; None if nothing is ignored.
    kept: NDArray[np.float64] | None
    #: Target rows ``w * ((1 - eps) y + eps / K)`` for distributions, shape ``(n, K)``; else None.
    dense: NDArray[np.float64] | None
    #: Class weights, or None.
    weight: NDArray[np.float64] | None
    #: The smoothing amount ``eps``.
    smoothing: float
    #: What "mean" divides the summed losses by.
    divisor: float


def class_targets(
    pred: NDArray[np.float64],
    y_true: ArrayLike,
    weight: ArrayLike | None,
    label_smoothing: object,
    ignore_index: object,
    reduction: str,
) -> ClassTargets:
    """Check ``y_true`` and the options against predictions of shape ``(..., K)``.

    Raises ValueError where the mean would divide 0 by 0 (every label ignored, or the target
    classes all weighted 0), which torch answers with NaN.
    """
    k = pred.shape[-1]
    smoothing = as_unit_number(
        "label_smoothing", label_smoothing, "0 means no smoothing; typical values are 0.05 to 0.2"
    )
    ignore = check_ignore_index(ignore_index)
    w = None if weight is None else as_class_weights("weight", weight, k)
    if not targets_are_indices(pred, y_true):
        if ignore is not None:
            raise ValueError(
                f"ignore_index={ignore} applies to class-index targets, but y_true holds one "
                "probability row per example; drop the rows to skip instead, or pass labels"
            )
        dense = as_target_distributions(y_true).reshape(-1, k)
        if smoothing:
            dense = (1.0 - smoothing) * dense + smoothing / k
        if w is not None:
            dense = dense * w
        return ClassTargets(None, None, None, dense, w, smoothing, float(len(dense)))
    labels, keep = as_labels_with_ignored(y_true, k, ignore)
    labels = labels.ravel()
    kept = None if keep is None else keep.ravel().astype(np.float64)
    row_weight = kept if w is None else (w[labels] if kept is None else w[labels] * kept)
    divisor = float(len(labels) if row_weight is None else np.sum(row_weight))
    if divisor == 0 and reduction == "mean":
        if kept is not None and not kept.any():
            raise ValueError(
                f"every label equals ignore_index={ignore}, so the mean over the examples left "
                "divides 0 by 0 (torch returns NaN); pass a batch with at least one labelled "
                "example, or use reduction='sum'"
            )
        raise ValueError(
            f"the weights of the target classes sum to 0 (weight={_preview(np.asarray(w))}), so "
            "the weighted mean divides 0 by 0 (torch returns NaN); give the classes present a "
            "positive weight, or use reduction='sum'"
        )
    return ClassTargets(labels, row_weight, kept, None, w, smoothing, divisor)
