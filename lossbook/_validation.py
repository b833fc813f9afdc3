"""Input checks shared by every public function.

Each check either returns a clean ``float64`` or integer array, or raises an error whose
message names the value it received and says how to fix the call.  None of them writes to
its argument: conversions that need a different dtype make a copy, the rest return views
that the callers only read.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: How far a float64 probability row may drift from summing to 1 before we refuse it.
#: Rounding in a softmax of a few thousand classes stays far below this; unnormalised scores
#: do not. Rows that arrive in a narrower float get more room: see :func:`row_sum_tolerance`.
ROW_SUM_TOLERANCE = 1e-6

#: A row that misses 1 by no more than this is more likely rounded probabilities than scores:
#: bfloat16 keeps 8 significant bits, so its probabilities round by up to 2**-8 each.
NEARLY_NORMALISED = 0.01

REDUCTIONS = ("mean", "sum", "none")

#: How to fix a binary target outside [0, 1], shared by every function that takes one.
BINARY_TARGET_HINT = "targets must be 0 or 1, or a soft label in between such as 0.8"


def _preview(values: NDArray[Any], limit: int = 6) -> str:
    """Show a short, readable excerpt of an array for an error message."""
    flat = np.ravel(values)
    shown = np.array2string(flat[:limit], separator=", ", threshold=limit)
    return shown if flat.size <= limit else shown[:-1] + ", ...]"


def as_numpy(name: str, values: ArrayLike) -> NDArray[Any]:
    """``np.asarray(values)``, with what NumPy or torch raise on the way named and explained."""
    try:
        return np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} is not a rectangular array ({error}); give every row the same length"
        ) from error
    except (RuntimeError, TypeError) as error:  # a torch tensor that requires grad, bfloat16, ...
        raise TypeError(
            f"{name} could not be read as a NumPy array ({error}); for a torch tensor pass "
            f"{name}.detach().cpu().double().numpy()"
        ) from error


def as_real_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Convert ``values`` to a ``float64`` array, refusing text, objects and complex numbers.

    NaN and infinities pass through; :func:`check_no_nan` refuses NaN where that costs a
    separate pass, and the softmax kernel detects it for free while it looks for row maxima.
    """
    array = as_numpy(name, values)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers, got an array of dtype {array.dtype} "
            f"({_preview(array)}); convert it first, e.g. np.asarray({name}, dtype=float)"
        )
    return array.astype(np.float64, copy=False)


def nan_message(name: str, where: object) -> str:
    """The one wording used for every NaN found in an input."""
    return (
        f"{name} contains NaN (first at index {where}); find where the NaN was produced "
        "upstream, or drop those examples before calling this function"
    )


def check_no_nan(name: str, array: NDArray[np.float64]) -> None:
    """Refuse NaN: it would silently turn every reduction into NaN."""
    isnan = np.isnan(array)
    if isnan.any():
        raise ValueError(nan_message(name, tuple(int(i) for i in np.argwhere(isnan)[0])))


def as_float_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Convert ``values`` to a ``float64`` array without NaN (infinities pass through)."""
    array = as_real_array(name, values)
    check_no_nan(name, array)
    return array


def check_not_empty(name: str, array: NDArray[Any]) -> None:
    """Refuse an array with no elements: a mean over no examples is undefined."""
    if array.size == 0:
        raise ValueError(
            f"{name} is empty (shape {array.shape}); pass at least one example, "
            "e.g. a batch of shape (1, num_classes)"
        )


def as_axis(name: str, array: NDArray[Any], axis: object) -> int:
    """``axis`` as an index into ``array``'s dimensions, refusing bools, floats and None."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(
            f"axis must be an integer, got {axis!r}; pass the axis that holds the classes, "
            "usually axis=-1"
        )
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} of shape {array.shape}; pass an axis from "
            f"{-array.ndim} to {array.ndim - 1}, usually -1 (the last)"
        )
    return int(axis)


def check_has_class_axis(name: str, array: NDArray[Any]) -> None:
    """Refuse a 0-d array where a last axis of classes is needed."""
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number ({array.item()!r}) but needs a class axis; "
            f"pass one row per example, e.g. [[2.0, 1.0, 0.1]]"
        )


def check_unit_interval(name: str, array: NDArray[np.float64], hint: str) -> None:
    """Require every entry of ``array`` to lie in [0, 1]."""
    outside = (array < 0) | (array > 1)
    if outside.any():
        where = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            f"{name} must lie in [0, 1], got {float(array[where])!r} at index {where}; {hint}"
        )


def row_sum_tolerance(given: ArrayLike) -> float:
    """How far rows of probabilities that arrived as ``given`` may drift from summing to 1.

    1e-6 for float64 (and for integers and lists); the square root of the machine epsilon for a
    narrower float, as scikit-learn's ``log_loss`` allows: about 3.5e-4 for float32 and 0.031
    for float16. A float32 softmax over a 128,256-token vocabulary, summed one term at a time,
    is off by about 2e-4, and would otherwise be refused as if it held logits.
    """
    dtype = np.asarray(given).dtype
    if dtype.kind != "f":
        return ROW_SUM_TOLERANCE
    return max(ROW_SUM_TOLERANCE, float(np.sqrt(np.finfo(dtype).eps)))


def check_distributions(
    name: str, array: NDArray[np.float64], axis: int, hint: str, given: ArrayLike
) -> None:
    """Require non-negative entries in [0, 1] that sum to 1 along ``axis``.

    ``array`` is the float64 copy of ``given``, the value as passed, whose precision sets the
    tolerance (:func:`row_sum_tolerance`). Rows are never renormalised: a row that does not sum
    to 1 is almost always a sign that raw scores were passed where probabilities were
    expected, and quietly dividing by the sum would hide that mistake.
    """
    check_unit_interval(name, array, hint)
    sums = np.sum(array, axis=axis)
    tolerance = row_sum_tolerance(given)
    bad = np.abs(sums - 1.0) > tolerance
    if np.any(bad):
        where = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0])
        total = float(np.atleast_1d(sums)[where])
        precision = "" if tolerance == ROW_SUM_TOLERANCE else f" for {np.asarray(given).dtype} input"
        if abs(total - 1.0) <= NEARLY_NORMALISED:
            hint = (
                "a sum this close to 1 usually means probabilities rounded in a narrower float "
                "(float16 or bfloat16) and converted up: renormalise them in float64 "
                f"({name} / {name}.sum(axis=-1, keepdims=True)); otherwise {hint}"
            )
        raise ValueError(
            f"each row of {name} must sum to 1 (within {tolerance:.2g}{precision}), "
            f"but row {where if len(where) > 1 else where[0]} sums to {total:.10g}; {hint}"
        )


def as_class_indices(name: str, values: ArrayLike, num_classes: int | None) -> NDArray[np.intp]:
    """Convert ``values`` to integer class indices in ``0 .. num_classes - 1``.

    Whole-valued floats such as ``1.0`` are accepted because labels often arrive as floats
    from data files; fractional values, booleans and text are refused.
    """
    array = as_numpy(name, values)
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be integer class indices, got an array of dtype {array.dtype} "
            f"({_preview(array)}); map class names to 0, 1, 2, ... first"
        )
    if array.dtype.kind == "f":
        not_whole = ~np.isfinite(array) | (array != np.round(array))
        if not_whole.any():
            where = tuple(int(i) for i in np.argwhere(not_whole)[0])
            raise ValueError(
                f"{name} must be whole-number class indices, got {array[where].item()!r} at index "
                f"{where}; for soft targets pass one probability row per example instead"
            )
    # The range is checked on the values as given: converting 1e20 to an integer first would wrap.
    if array.size and array.min() < 0:
        raise ValueError(
            f"{name} must be non-negative class indices, got {int(array.min())}; "
            "labels count classes from 0 (to skip examples marked with a label such as -100, "
            "pass ignore_index=-100 where the loss takes it)"
        )
    limit = np.iinfo(np.intp).max if num_classes is None else num_classes - 1
    if array.size and array.max() > limit:
        classes = "too many classes" if num_classes is None else f"only {num_classes} classes"
        valid = "" if num_classes is None else f" (valid indices 0..{num_classes - 1})"
        raise ValueError(
            f"{name} contains class index {int(array.max())} but there are {classes}{valid}; "
            "check the labels or the number of columns of the predictions"
        )
    return array.astype(np.intp)


def check_same_shape(name_a: str, a: NDArray[Any], name_b: str, b: NDArray[Any]) -> None:
    """Require two arrays of elementwise quantities to have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; "
            "pass one target per prediction"
        )


def check_reduction(reduction: object) -> str:
    """Return ``reduction`` if it is one of ``"mean"``, ``"sum"``, ``"none"``."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'mean', 'sum' or 'none', got {reduction!r}"
        )
    return reduction


def log_of_base(base: object) -> float | None:
    """Return ``ln(base)`` (the divisor that converts nats to that base), or None for nats."""
    if base is None:
        return None
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"base must be a real number such as 2 (bits) or None (nats), got {base!r}"
        )
    if not np.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(
            f"base must be positive and different from 1, got {base!r}; "
            "use base=2 for bits or base=None for nats"
        )
    return float(np.log(base))


def check_from_logits(from_logits: object) -> bool:
    """Require ``from_logits`` to be True or False: any other value would be read by its truth."""
    if not isinstance(from_logits, (bool, np.bool_)):
        raise TypeError(
            f"from_logits must be True or False, got {from_logits!r}; pass from_logits=True for "
            "raw scores (logits), False for probabilities"
        )
    return bool(from_logits)


def check_eps(eps: object, from_logits: bool) -> float | None:
    """Return ``eps`` if it is None, or a number in (0, 0.5) used with probabilities."""
    if eps is None:
        return None
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"eps must be a small positive number such as 1e-7, got {eps!r}")
    if not 0 < eps < 0.5:
        raise ValueError(
            f"eps must lie strictly between 0 and 0.5, got {eps!r}; "
            "a typical choice is eps=1e-7, or eps=None for no clipping"
        )
    if from_logits:
        raise ValueError(
            f"eps={eps!r} clips probabilities, but from_logits=True receives logits, whose "
            "loss is always finite; drop eps"
        )
    return float(eps)


def targets_are_indices(pred: NDArray[np.float64], y_true: ArrayLike) -> bool:
    """Tell class indices from target distributions by their shape, or refuse both.

    Indices have the shape of ``pred`` without its class axis; distributions (one-hot or
    soft) have exactly the shape of ``pred``.
    """
    shape = np.shape(y_true)
    if shape == pred.shape[:-1]:
        return True
    if shape == pred.shape:
        return False
    raise ValueError(
        f"y_true has shape {shape} but y_pred has shape {pred.shape} "
        f"({pred.shape[-1]} classes); pass one class index per example (shape {pred.shape[:-1]}) "
        f"or one probability row per example (shape {pred.shape})"
    )


def as_target_distributions(y_true: ArrayLike) -> NDArray[np.float64]:
    """Return ``y_true`` as float rows that are probability distributions along the last axis."""
    dense = as_float_array("y_true", y_true)
    check_distributions(
        "y_true", dense, -1, "targets must be class indices or probability rows (one-hot or soft)",
        y_true,
    )
    return dense


def _is_number(value: object) -> bool:
    """True for real numbers (Python or numpy), False for booleans, text and arrays."""
    return not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, float, np.integer, np.floating)
    )


def as_unit_number(name: str, value: object, hint: str) -> float:
    """Return ``value`` as a float in [0, 1] (a smoothing amount, a class-balance alpha)."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a number in [0, 1], got {value!r}; {hint}")
    if not 0.0 <= float(value) <= 1.0:  # type: ignore[arg-type]
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}; {hint}")
    return float(value)  # type: ignore[arg-type]


def as_non_negative_number(name: str, value: object, hint: str) -> float:
    """Return ``value`` as a finite float >= 0 (a focusing exponent, a margin)."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a non-negative number, got {value!r}; {hint}")
    number = float(value)  # type: ignore[arg-type]
    if not (np.isfinite(number) and number >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}; {hint}")
    return number


def as_weights(name: str, values: ArrayLike, shape: tuple[int, ...], hint: str) -> NDArray[np.float64]:
    """Return finite, non-negative weights that broadcast to ``shape``; ``hint`` says what they weigh."""
    array = as_float_array(name, values)
    try:
        fits = np.broadcast_shapes(array.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{name} has shape {array.shape}, which does not fit the loss's shape {shape}; {hint}"
        )
    check_finite(name, array, hint, non_negative=True)
    return array


def check_finite(name: str, array: NDArray[np.float64], hint: str, non_negative: bool = False) -> None:
    """Refuse infinite entries (and negative ones if ``non_negative``)."""
    bad = ~np.isfinite(array)
    if non_negative:
        bad |= array < 0
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be finite{' and non-negative' if non_negative else ''}, got "
            f"{float(array[where])!r} at index {where}; {hint}"
        )


def as_class_weights(name: str, values: ArrayLike, num_classes: int) -> NDArray[np.float64]:
    """Return one finite, non-negative weight per class, shape ``(num_classes,)``."""
    hint = f"pass one non-negative weight per class, shape ({num_classes},)"
    array = as_weights(name, values, (num_classes,), hint)
    if array.shape != (num_classes,):
        raise ValueError(
            f"{name} has shape {array.shape} but there are {num_classes} classes; {hint}"
        )
    return array


def check_ignore_index(ignore_index: object) -> int | None:
    """Return ``ignore_index`` if it is None or an integer label value."""
    if ignore_index is None:
        return None
    if isinstance(ignore_index, (bool, np.bool_)) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(
            f"ignore_index must be an integer label value such as -100, or None, got {ignore_index!r}"
        )
    return int(ignore_index)


def as_labels_with_ignored(
    values: ArrayLike, num_classes: int, ignore_index: int | None
) -> tuple[NDArray[np.intp], NDArray[np.bool_] | None]:
    """Class indices with ``ignore_index`` entries replaced by 0, and the mask of kept entries.

    The mask is None when nothing can be ignored.  Every label that is not ``ignore_index``
    must be a valid class index.
    """
    if ignore_index is None:
        return as_class_indices("y_true", values, num_classes), None
    array = as_numpy("y_true", values)
    keep: NDArray[np.bool_] = np.asarray(array != ignore_index)
    try:
        labels = as_class_indices("y_true", np.where(keep, array, 0), num_classes)
    except ValueError as error:
        raise ValueError(f"{error} (labels equal to ignore_index={ignore_index} are skipped)") from None
    return labels, keep


def as_positive_int(name: str, value: object, hint: str) -> int:
    """Return ``value`` if it is a whole number >= 1 (a count of bins)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {value!r}; {hint}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}; {hint}")
    return int(value)


def check_index_targets(function: str, pred: NDArray[Any], y_true: ArrayLike) -> None:
    """Refuse target rows for a loss defined only for class indices."""
    if not targets_are_indices(pred, y_true):
        raise ValueError(
            f"{function} takes one class index per example (shape {pred.shape[:-1]}), got target "
            f"rows of shape {np.shape(y_true)}; convert one-hot rows with lossbook.from_one_hot"
        )
