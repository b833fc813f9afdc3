"""A small public-domain text and the character-level counting models of the language-model chapter.

The text is the opening of Jane Austen's *Pride and Prejudice* (1813; public domain), chapters 1
to 11, 96 kB: the Project Gutenberg edition's lines as shipped in the R package janeaustenr
1.0.0 (the ``prideprejudice`` data set; Debian package ``r-cran-janeaustenr``), joined with
newlines, from the title line to the end of chapter 11.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_non_negative_number, as_positive_int

__all__ = ["TEXT_SOURCE", "pride_and_prejudice", "encode_characters", "unigram_log_probs", "bigram_log_probs"]

#: Where :func:`pride_and_prejudice` comes from, for captions and citations.
TEXT_SOURCE = (
    "Jane Austen, Pride and Prejudice (1813), chapters 1-11, public domain: the Project Gutenberg "
    "text as shipped in the R package janeaustenr 1.0.0 (data set prideprejudice)"
)

_TEXT_FILE = "pride_and_prejudice_1-11.txt"


def pride_and_prejudice() -> str:
    """The first eleven chapters of *Pride and Prejudice* (95,998 ASCII characters).

    Returns
    -------
    str
        The text, lines wrapped as in the Project Gutenberg edition; see :data:`TEXT_SOURCE`.

    Examples
    --------
    >>> text = pride_and_prejudice()
    >>> len(text)
    95998
    >>> text[51:98]
    'It is a truth universally acknowledged, that a '
    """
    return (resources.files("lossbook") / "data" / _TEXT_FILE).read_text(encoding="ascii")


def encode_characters(text: str, alphabet: str | None = None) -> tuple[str, NDArray[np.intp]]:
    """Map each character of ``text`` to its index in a sorted alphabet.

    Parameters
    ----------
    text : str
        The text to encode.
    alphabet : str, optional
        The characters that get ids 0, 1, ...; by default the sorted distinct characters of
        ``text``.

    Returns
    -------
    alphabet : str
    ids : ndarray of intp, shape ``(len(text),)``

    Raises
    ------
    TypeError
        If ``text`` or ``alphabet`` is not a str.
    ValueError
        If ``text`` holds a character that ``alphabet`` lacks, or ``alphabet`` repeats one.

    Examples
    --------
    >>> encode_characters("abba")
    ('ab', array([0, 1, 1, 0]))
    """
    if not isinstance(text, str) or not (alphabet is None or isinstance(alphabet, str)):
        raise TypeError(f"text and alphabet must be str, got {type(text).__name__} and "
                        f"{type(alphabet).__name__}; decode bytes first, e.g. data.decode('utf-8')")
    alphabet = "".join(sorted(set(text))) if alphabet is None else alphabet
    if len(set(alphabet)) != len(alphabet):
        raise ValueError(f"alphabet repeats a character ({alphabet!r}); pass each character once")
    index = {c: i for i, c in enumerate(alphabet)}
    missing = sorted(set(text) - index.keys())
    if missing:
        raise ValueError(f"text holds characters missing from the alphabet: {missing!r}; "
                         "build the alphabet from the whole text, or map those characters first")
    return alphabet, np.array([index[c] for c in text], dtype=np.intp)


def _counts_check(ids: ArrayLike, size: int, alpha: float) -> tuple[NDArray[np.intp], int, float]:
    size = as_positive_int("size", size, "pass the alphabet's length")
    alpha = as_non_negative_number("alpha", alpha, "add-alpha smoothing: 1 is Laplace's rule, 0 none")
    array = np.asarray(ids)
    if array.ndim != 1 or array.dtype.kind not in "iu" or (array.size and (array.min() < 0 or array.max() >= size)):
        raise ValueError(f"ids must be a 1-d array of integers in 0..{size - 1}, got {array!r:.80}; "
                         "encode the text with encode_characters first")
    return array.astype(np.intp, copy=False), size, alpha


def unigram_log_probs(ids: ArrayLike, size: int, alpha: float = 1.0) -> NDArray[np.float64]:
    r"""Natural log of each character's smoothed frequency, :math:`\ln \frac{n_c + \alpha}{N + \alpha V}`.

    Parameters
    ----------
    ids : array_like of int, shape ``(N,)``
        The training text, encoded.
    size : int
        ``V``, the alphabet's size.
    alpha : float, default 1.0
        Pseudo-count added to every character (Laplace's rule at 1), so that a character never
        seen in training keeps a finite loss.

    Returns
    -------
    ndarray, shape ``(V,)``

    Examples
    --------
    >>> np.exp(unigram_log_probs([0, 0, 1], 3, alpha=0.0))
    array([0.66666667, 0.33333333, 0.        ])
    """
    array, size, alpha = _counts_check(ids, size, alpha)
    counts = np.bincount(array, minlength=size) + alpha
    with np.errstate(divide="ignore"):  # log 0 = -inf for an unseen character without smoothing
        log_probs: NDArray[np.float64] = np.log(counts) - np.log(counts.sum())
    return log_probs


def bigram_log_probs(ids: ArrayLike, size: int, alpha: float = 1.0) -> NDArray[np.float64]:
    r"""Row ``a`` holds :math:`\ln P(b \mid a) = \ln \frac{n_{ab} + \alpha}{n_a + \alpha V}` for every ``b``.

    Parameters
    ----------
    ids : array_like of int, shape ``(N,)``
        The training text, encoded; its ``N - 1`` adjacent pairs are counted.
    size : int
        ``V``, the alphabet's size.
    alpha : float, default 1.0
        Pseudo-count added to every pair.

    Returns
    -------
    ndarray, shape ``(V, V)``
        Each row is a log-distribution over the next character.

    Examples
    --------
    >>> np.exp(bigram_log_probs([0, 1, 0, 0], 2, alpha=0.0))
    array([[0.5, 0.5],
           [1. , 0. ]])
    """
    array, size, alpha = _counts_check(ids, size, alpha)
    counts = np.zeros((size, size))
    np.add.at(counts, (array[:-1], array[1:]), 1.0)
    counts += alpha
    with np.errstate(divide="ignore", invalid="ignore"):  # an unseen row without smoothing stays -inf/NaN
        log_probs: NDArray[np.float64] = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
    return log_probs
