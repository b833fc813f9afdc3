"""Cross-entropy of a linear output layer, computed a block of token rows at a time.

A language model's last layer maps each hidden state ``h`` (width ``d``) to ``V`` logits
``z = W h + b``, and the loss is the cross-entropy of those logits. For a batch of ``N``
tokens the logits form an ``N x V`` matrix: 2048 tokens of a 32768-word vocabulary already
take 256 MiB in float32. The functions here never build it. They take ``chunk_size`` rows at
a time, compute that block's logits, reduce each row to its log-sum-exp and its target logit
(and, for the gradient, turn the block into ``softmax - one_hot`` in place), then drop it.

Precision: the logits block, its exponentials and the gradient matmuls stay in the inputs'
floating type, float32 for float32 inputs, where rounding errors of 6e-8 per operation are far
below what training notices. Two sums accumulate in float64: each row's sum of ``V``
exponentials and the sum over the ``N`` tokens' losses. Those are long sums whose rounding
errors add up with their length, and they cost nothing next to the matmul.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_class_indices,
    as_positive_int,
    as_real_array,
    check_ignore_index,
    check_reduction,
    nan_message,
)

__all__ = ["linear_cross_entropy", "linear_cross_entropy_grad", "default_chunk_size"]

#: Elements in one block of logits at the default chunk size (16 MiB in float64).
BLOCK_ELEMENTS = 2**21


def default_chunk_size(num_tokens: int, vocab_size: int) -> int:
    """Rows per block when ``chunk_size`` is None: a 16th of the tokens, and a block of at most 2**21 logits.

    One block, in float64, is then at most an eighth of the float32 ``N x V`` logits (and at
    most 16 MiB), so the peak memory stays under a quarter of them with room for the rest.

    Parameters
    ----------
    num_tokens : int
        ``N``, the number of token rows.
    vocab_size : int
        ``V``, the number of classes.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> default_chunk_size(2048, 32768)
    64
    >>> default_chunk_size(10, 50)
    1
    """
    return max(1, min(-(-num_tokens // 16), BLOCK_ELEMENTS // max(vocab_size, 1)))


@dataclass(frozen=True)
class _Problem:
    """Checked inputs, flattened to token rows, in the dtype the blocks are computed in."""

    hidden: NDArray[np.floating]  # (N, d)
    weight: NDArray[np.floating]  # (V, d)
    bias: NDArray[np.floating] | None  # (V,)
    labels: NDArray[np.intp]  # (N,), ignored rows set to 0
    kept: NDArray[np.bool_] | None  # (N,), None when nothing is ignored
    shape: tuple[int, ...]  # hidden.shape[:-1]
    reduction: str
    chunk: int
    divisor: float  # what "mean" divides the summed losses by


def _as_floats(name: str, values: ArrayLike) -> NDArray[np.floating]:
    array = np.asarray(values)
    if array.dtype in (np.float32, np.float16):
        return array
    return as_real_array(name, array)


def _check(
    hidden: ArrayLike,
    weight: ArrayLike,
    targets: ArrayLike,
    bias: ArrayLike | None,
    ignore_index: object,
    reduction: object,
    chunk_size: object,
) -> _Problem:
    reduction = check_reduction(reduction)
    ignore = check_ignore_index(ignore_index)
    h, w = _as_floats("hidden", hidden), _as_floats("weight", weight)
    b = None if bias is None else _as_floats("bias", bias)
    if h.ndim == 0:
        raise ValueError("hidden is a single number but needs a feature axis; pass shape (..., d), "
                         "e.g. (tokens, d) or (batch, time, d)")
    if w.ndim != 2:
        raise ValueError(f"weight must have shape (V, d) (torch's Linear layout), got shape {w.shape}; "
                         "pass the output layer's weight matrix, one row per vocabulary entry")
    if w.shape[1] != h.shape[-1]:
        raise ValueError(
            f"hidden has width d={h.shape[-1]} (shape {h.shape}) but weight has shape {w.shape}, "
            f"width {w.shape[1]}; weight must be (V, d), so pass weight.T if it is stored as (d, V)")
    if w.shape[0] == 0:
        raise ValueError("weight has no rows: the vocabulary is empty; pass at least one class")
    if b is not None and b.shape != (w.shape[0],):
        raise ValueError(f"bias has shape {b.shape} but weight has {w.shape[0]} rows; "
                         f"pass one bias per vocabulary entry, shape ({w.shape[0]},)")
    for name, array in (("hidden", h), ("weight", w), ("bias", b)):
        if array is not None and np.isnan(array).any():
            raise ValueError(nan_message(name, tuple(int(i) for i in np.argwhere(np.isnan(array))[0])))
    shape = h.shape[:-1]
    if np.shape(targets) != shape:
        raise ValueError(
            f"targets has shape {np.shape(targets)} but hidden has shape {h.shape}; pass one class "
            f"index per token row, shape {shape} (for next-token targets, shift the inputs by one)")
    labels_in = np.asarray(targets)
    kept: NDArray[np.bool_] | None = None
    if ignore is not None and labels_in.dtype.kind in "iuf":
        kept = np.asarray(labels_in != ignore).reshape(-1)
        labels_in = np.where(labels_in != ignore, labels_in, 0)
    try:
        labels = as_class_indices("targets", labels_in, w.shape[0]).reshape(-1)
    except ValueError as error:
        skipped = "" if ignore is None else f" (labels equal to ignore_index={ignore} are skipped)"
        raise ValueError(f"{error}{skipped}") from None
    count = labels.size if kept is None else int(kept.sum())
    if reduction == "mean" and count == 0:
        raise ValueError(
            "every target is ignored (or there are none), so the mean loss has no tokens to average; "
            "drop this batch, or use reduction='sum', which gives 0")
    if chunk_size is None:
        chunk = default_chunk_size(max(labels.size, 1), w.shape[0])
    else:
        chunk = as_positive_int("chunk_size", chunk_size,
                                "it is the number of token rows computed at once, e.g. chunk_size=256")
    dtype = np.float32 if np.result_type(h, w, *(() if b is None else (b,))) in (np.float32, np.float16) \
        else np.float64
    return _Problem(
        hidden=h.reshape(labels.size, h.shape[-1]).astype(dtype, copy=False),  # -1 fails for d = 0
        weight=w.astype(dtype, copy=False),
        bias=None if b is None else b.astype(dtype, copy=False),
        labels=labels, kept=kept, shape=shape, reduction=reduction, chunk=chunk,
        divisor=float(count))


def _blocks(
    problem: _Problem, want_probabilities: bool
) -> Iterator[tuple[slice, NDArray[np.float64], NDArray[np.floating]]]:
    """Yield ``(rows, losses, block)`` per chunk of rows; with ``want_probabilities`` the block
    holds ``softmax(z)`` (a buffer reused by the next chunk), else its content is undefined.

    Each row's loss is ``(m - z_y) + log1p(sum over j != argmax of exp(z_j - m))`` with ``m`` the
    row maximum: the exponentials lie in (0, 1], so none overflows whatever the logits' scale,
    and both terms are non-negative, so a tiny loss keeps its relative precision.
    """
    h, w, b, labels = problem.hidden, problem.weight, problem.bias, problem.labels
    n = len(labels)
    buffer = np.empty((min(problem.chunk, n), w.shape[0]), dtype=w.dtype)
    for start in range(0, n, problem.chunk):
        rows = slice(start, min(start + problem.chunk, n))
        z = buffer[: rows.stop - rows.start]
        np.matmul(h[rows], w.T, out=z)
        if b is not None:
            z += b
        index = np.arange(len(z))
        target_logit = z[index, labels[rows]].astype(np.float64)
        top = z.argmax(axis=1)
        m = z[index, top][:, None]
        if not np.all(np.isfinite(m)):
            raise ValueError(
                f"the logits of token rows {rows.start}..{rows.stop - 1} are not all finite (an infinite "
                "hidden state or weight, or an overflow in float32); check the model's activations")
        z -= m
        np.exp(z, out=z)
        # The largest term is exp(0) = 1; summing the others alone keeps a loss of 1e-30 exact.
        z[index, top] = 0.0
        rest = z.sum(axis=1, dtype=np.float64)
        losses = (m[:, 0].astype(np.float64) - target_logit) + np.log1p(rest)
        if want_probabilities:
            z[index, top] = 1.0
            z /= (1.0 + rest)[:, None].astype(z.dtype)
        yield rows, losses, z


def _token_losses(problem: _Problem) -> NDArray[np.float64]:
    losses = np.empty(len(problem.labels))
    for rows, block_losses, _ in _blocks(problem, want_probabilities=False):
        losses[rows] = block_losses
    if problem.kept is not None:
        losses[~problem.kept] = 0.0
    return losses


def linear_cross_entropy(
    hidden: ArrayLike,
    weight: ArrayLike,
    targets: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
    chunk_size: int | None = None,
) -> NDArray[np.float64] | np.float64:
    r"""Cross-entropy of the logits ``hidden @ weight.T + bias``, without holding all of them.

    Equal to ``torch.nn.functional.cross_entropy(hidden @ weight.T + bias, targets,
    ignore_index=..., reduction=...)``, computed ``chunk_size`` token rows at a time, so the
    ``N x V`` logits matrix never exists: at the default chunk size the peak memory stays
    under a quarter of it (float32) once ``N`` is large compared with 16.

    Parameters
    ----------
    hidden : array_like, shape ``(..., d)``
        Hidden states, one row per token, e.g. ``(tokens, d)`` or ``(batch, time, d)``.
    weight : array_like, shape ``(V, d)``
        The output layer's weight, torch's ``Linear`` layout (one row per vocabulary entry).
    targets : array_like of int, shape ``hidden.shape[:-1]``
        The class (next-token id) of each row.
    bias : array_like, shape ``(V,)``, optional
        The output layer's bias.
    ignore_index : int, optional
        A label (often -100, used for padding) whose rows contribute 0 and are left out of the
        mean.
    reduction : {"mean", "sum", "none"}, default "mean"
        The mean over the rows not ignored, their sum, or one loss per row.
    chunk_size : int, optional
        Token rows computed at once; by default :func:`default_chunk_size`. It changes the
        memory used, never the result beyond rounding.

    Returns
    -------
    float64 or ndarray of float64
        A scalar for "mean" and "sum", shape ``hidden.shape[:-1]`` for "none" (0 at ignored
        rows), in nats.

    Raises
    ------
    TypeError
        If an input is not numeric, or ``chunk_size`` or ``ignore_index`` is not an integer.
    ValueError
        If the widths of ``hidden`` and ``weight`` differ; if ``targets`` does not have shape
        ``hidden.shape[:-1]``; if a label is outside ``0..V-1`` and is not ``ignore_index``;
        if ``chunk_size < 1``; under "mean" when every target is ignored; on NaN inputs, a
        bias of the wrong shape, an unknown ``reduction``, or logits that are not finite.

    Examples
    --------
    Two tokens, a vocabulary of three, hidden width two:

    >>> h = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> float(linear_cross_entropy(h, W, [0, 1]))
    0.39549474007696783
    >>> import lossbook as lb
    >>> float(lb.cross_entropy(h @ W.T, [0, 1], from_logits=True))
    0.39549474007696783

    A padded position (label -100) is left out of the mean:

    >>> linear_cross_entropy(h, W, [0, -100], ignore_index=-100, reduction="none")
    array([0.55144471, 0.        ])
    """
    problem = _check(hidden, weight, targets, bias, ignore_index, reduction, chunk_size)
    losses = _token_losses(problem)
    if problem.reduction == "none":
        return losses.reshape(problem.shape)
    total = np.float64(np.sum(losses))
    return total if problem.reduction == "sum" else np.float64(total / problem.divisor)


def linear_cross_entropy_grad(
    hidden: ArrayLike,
    weight: ArrayLike,
    targets: ArrayLike,
    *,
    bias: ArrayLike | None = None,
    ignore_index: int | None = None,
    reduction: str = "mean",
    chunk_size: int | None = None,
) -> tuple[NDArray[np.floating], ...]:
    r"""Gradients of :func:`linear_cross_entropy` with respect to ``hidden``, ``weight`` and ``bias``.

    With ``G = softmax(Z) - onehot(targets)``, zero on ignored rows and divided by the number
    of kept rows under "mean", the gradients are ``G @ W`` for the hidden states, ``G.T @ H``
    for the weight and the column sums of ``G`` for the bias; ``G`` is formed one block of
    rows at a time, in place of that block's logits. They equal torch autograd's. Under "none"
    they are the gradients of the sum of the per-row losses (torch's backward with ones).

    Parameters
    ----------
    hidden, weight, targets, bias, ignore_index, reduction, chunk_size
        As for :func:`linear_cross_entropy`.

    Returns
    -------
    tuple of ndarray
        ``(d_hidden, d_weight)``, or ``(d_hidden, d_weight, d_bias)`` when a bias is given,
        shaped like the inputs, in float32 for float32 inputs and float64 otherwise.

    Raises
    ------
    TypeError, ValueError
        As for :func:`linear_cross_entropy`.

    Examples
    --------
    >>> h = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> d_h, d_W = linear_cross_entropy_grad(h, W, [0, 1])
    >>> d_h
    array([[-0.21194156,  0.10597078],
           [ 0.05325349, -0.10650698]])
    >>> d_W.shape
    (3, 2)
    """
    problem = _check(hidden, weight, targets, bias, ignore_index, reduction, chunk_size)
    h, w, labels = problem.hidden, problem.weight, problem.labels
    scale = 1.0 / problem.divisor if problem.reduction == "mean" else 1.0
    d_hidden = np.empty_like(h)
    d_weight = np.zeros_like(w)
    d_bias = None if problem.bias is None else np.zeros(w.shape[0], dtype=np.float64)
    for rows, _, g in _blocks(problem, want_probabilities=True):
        g[np.arange(len(g)), labels[rows]] -= 1.0
        if problem.kept is not None:
            g[~problem.kept[rows]] = 0.0
        if scale != 1.0:
            g *= g.dtype.type(scale)
        np.matmul(g, w, out=d_hidden[rows])
        d_weight += g.T @ h[rows]
        if d_bias is not None:
            d_bias += g.sum(axis=0, dtype=np.float64)
    result: tuple[NDArray[np.floating], ...] = (
        d_hidden.reshape(np.shape(hidden)), d_weight)
    if d_bias is not None:
        result += (d_bias.astype(w.dtype),)
    return result
