"""Contrastive losses of paired embeddings: CLIP's (Radford et al., 2021) and SigLIP's (Zhai et al., 2023).

Row ``i`` of ``a`` and row ``i`` of ``b`` describe the same thing (an image and its caption);
every other pairing in the batch is a negative.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._pairs import as_matching_arrays, as_positive_number, as_real_number, divided_by_temperature, softplus
from .cross_entropy import cross_entropy

CLIP_TEMPERATURE_HINT = "CLIP starts from temperature=0.07"

_HINT = "pass finite embeddings, one row per example"


def cosine_similarities(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """The ``(n, n)`` matrix of cosine similarities between the rows of ``a`` and of ``b``.

    Parameters
    ----------
    a, b : array_like, shape (n, d)
        Paired embeddings, one row per example; no row may be all zeros.

    Returns
    -------
    ndarray of float64, shape (n, n)
        Entry ``(i, j)`` is ``a_i . b_j / (|a_i| |b_j|)``, in [-1, 1] up to rounding.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ or are not ``(n, d)``; on NaN, infinities, an empty batch or a
        row of zeros (it has no direction).

    Examples
    --------
    >>> cosine_similarities([[3.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [0.0, 2.0]]).round(4)
    array([[0.7071, 0.    ],
           [0.7071, 1.    ]])

    The length of a row does not matter, however large or small:

    >>> cosine_similarities([[1e300, 1e300]], [[1e-320, 1e-320]])
    array([[1.]])
    """
    a_rows, b_rows = as_matching_arrays(("a", "b"), (a, b), _HINT)
    unit = []
    for name, rows in (("a", a_rows), ("b", b_rows)):
        if rows.ndim != 2:
            raise ValueError(
                f"{name} must have shape (examples, dimensions), got shape {rows.shape}; "
                "for a single pair pass x[None, :]"
            )
        # Each row is divided by its largest entry first: the norm of [1e300, 1e300] overflows
        # and that of [5e-324, 0] underflows, while the scaled rows have norms between 1 and sqrt(d).
        largest = np.abs(rows).max(axis=1, keepdims=True)
        if not np.all(largest > 0):
            row = int(np.flatnonzero(largest[:, 0] == 0)[0])
            raise ValueError(
                f"row {row} of {name} is all zeros, so it has no direction to normalise; "
                "drop that example or check the encoder's output"
            )
        scaled = rows / largest
        unit.append(scaled / np.linalg.norm(scaled, axis=1, keepdims=True))
    similarities: NDArray[np.float64] = unit[0] @ unit[1].T
    return similarities


def clip_loss(a: ArrayLike, b: ArrayLike, *, temperature: float = 0.07) -> np.float64:
    r"""CLIP's symmetric loss: cross-entropy over the similarity matrix, by rows and by columns.

    With rows normalised to unit length, the logits are :math:`a b^\top / \tau`; each row of
    ``a`` must pick out its own partner among the ``n`` rows of ``b`` (targets ``0 .. n-1``),
    and each row of ``b`` its partner in ``a``. The loss is the mean of the two mean
    cross-entropies.

    Parameters
    ----------
    a, b : array_like, shape (n, d)
        Paired embeddings (e.g. images and their captions), one pair per row.
    temperature : float, default 0.07
        :math:`\tau > 0`, CLIP's starting value; the logits are similarities divided by it.

    Returns
    -------
    float64
        The loss in nats; at most ``log n + 2 / temperature``.

    Raises
    ------
    TypeError
        If an input or ``temperature`` is not numeric.
    ValueError
        If the shapes differ or are not ``(n, d)``; on NaN, infinities, an empty batch, a row
        of zeros, or a temperature <= 0.

    Examples
    --------
    Unrelated embeddings (all similarities equal) cost ``log n`` whatever the temperature:

    >>> a = [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]
    >>> round(float(clip_loss(a, a)), 6), round(float(np.log(3)), 6)
    (1.098612, 1.098612)
    >>> round(float(clip_loss([[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [0.0, 5.0]], temperature=0.5)), 6)
    0.126928
    """
    tau = as_positive_number("temperature", temperature, CLIP_TEMPERATURE_HINT)
    logits = divided_by_temperature(cosine_similarities(a, b), tau, CLIP_TEMPERATURE_HINT)
    targets = np.arange(len(logits))
    rows = cross_entropy(logits, targets, from_logits=True)
    columns = cross_entropy(logits.T, targets, from_logits=True)
    return np.float64((rows + columns) / 2)


def siglip_loss(a: ArrayLike, b: ArrayLike, *, t: float = 10.0, bias: float = -10.0) -> np.float64:
    r"""SigLIP's loss: an independent binary cross-entropy for every pair in the batch.

    With rows normalised, each pair ``(i, j)`` has the logit :math:`t\, a_i \cdot b_j + b`
    and the label :math:`z_{ij} = +1` if ``i == j``, else ``-1``. The loss is
    :math:`-\frac{1}{n} \sum_{i,j} \log \sigma(z_{ij}(t\, a_i \cdot b_j + b))`, summed over all
    :math:`n^2` pairs and divided by ``n`` (Zhai et al., 2023).

    Parameters
    ----------
    a, b : array_like, shape (n, d)
        Paired embeddings, one pair per row.
    t : float, default 10.0
        The logit scale, > 0 (SigLIP learns ``log t``, starting from ``t = 10``).
    bias : float, default -10.0
        The logit bias; starting near -10 matches the prior of one positive per row.

    Returns
    -------
    float64
        The loss in nats.

    Raises
    ------
    TypeError
        If an input, ``t`` or ``bias`` is not numeric.
    ValueError
        If the shapes differ or are not ``(n, d)``; on NaN, infinities, an empty batch, a row
        of zeros, ``t <= 0`` or an infinite bias.

    Examples
    --------
    One pair, perfectly aligned: the loss is ``-log sigmoid(t + bias)``.

    >>> round(float(siglip_loss([[1.0, 0.0]], [[3.0, 0.0]], t=10.0, bias=-10.0)), 6)  # log 2
    0.693147
    """
    scale = as_positive_number("t", t, "SigLIP starts from t=10.0")
    shift = as_real_number("bias", bias, "SigLIP starts from bias=-10.0")
    logits = scale * cosine_similarities(a, b) + shift
    signs = 2.0 * np.eye(len(logits)) - 1.0
    return np.float64(np.sum(softplus(-signs * logits)) / len(logits))
