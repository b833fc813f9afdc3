"""Run a reader's function on a list of cases and turn the first failure into a hint.

The candidate gets copies of each input, inside ``np.errstate(all="ignore")`` and with warnings
silenced, so an overflowing ``exp`` shows up as the inf or nan it returns, not as noise. Nothing
the candidate does (raise, return None, return the wrong shape, change its input) escapes as an
exception: every outcome becomes a :class:`CheckResult`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ._result import CheckResult

_TODO = object()  # returned by _failure when the candidate is not written yet


@dataclass(frozen=True)
class Case:
    """One call of the candidate and what it must return.

    Parameters
    ----------
    args : tuple
        The inputs, passed positionally (as copies).
    expected : ndarray or tuple of ndarray
        The right output; a tuple when the candidate returns several arrays.
    hint : str
        What to try when this case fails, written for the reader.
    where : str, optional
        How the message names the input; by default the inputs are written out when small.
    """

    args: tuple[Any, ...]
    expected: Any
    hint: str
    where: str | None = None


def _number(x: float) -> str:
    if not np.isfinite(x) or abs(x) >= 1e6 or (x != 0 and abs(x) < 1e-4):
        return f"{x:.4g}" if np.isfinite(x) else str(x)
    return np.format_float_positional(x, precision=4, trim="-", fractional=False) \
        if abs(x) >= 1e4 else np.format_float_positional(round(x, 4), trim="-")


def show(value: Any) -> str:
    """A short, readable form of a number or an array for a hint: ``[1000, 0]``, ``0.7054``.

    Examples
    --------
    >>> show(np.array([[1000.0, 0.0], [np.nan, 0.25]]))
    '[[1000, 0], [nan, 0.25]]'
    """
    array = np.asarray(value, dtype=np.float64)
    if array.size > 12:
        return np.array2string(array, separator=", ", precision=4, threshold=12)
    if array.ndim == 0:
        return _number(float(array))
    return "[" + ", ".join(show(row) for row in array) + "]"


def describe(names: Sequence[str], args: tuple[Any, ...]) -> str:
    """ "z = [1000, 0]" for small inputs, "a batch (z of shape (4, 5), ...)" for larger ones."""
    arrays = [np.asarray(a) for a in args]
    if all(a.size <= 9 for a in arrays):
        return ", ".join(f"{n} = {show(a)}" for n, a in zip(names, arrays))
    shapes = ", ".join(f"{n} of shape {a.shape}" for n, a in zip(names, arrays) if a.ndim)
    return f"a batch ({shapes})"


def _copy(value: Any) -> Any:
    return np.array(value, copy=True) if isinstance(value, np.ndarray) else value


def _unchanged(before: Any, after: Any) -> bool:
    if not isinstance(before, np.ndarray):
        return True
    return before.shape == after.shape and bool(np.array_equal(before, after, equal_nan=True))


NARROW_FLOATS = ("float32", "float16", "bfloat16")
FLOAT32_RTOL, FLOAT32_ATOL = 1e-5, 1e-6  # what float32's 24-bit significand can promise here


def _as_numbers(value: Any) -> tuple[NDArray[np.float64] | None, str]:
    """``value`` as a float64 array and the name of its own dtype, or None and why it is not numbers."""
    if isinstance(value, (str, bytes)):
        return None, "not numbers"
    try:
        raw = np.asarray(value)
        return raw.astype(np.float64), raw.dtype.name
    except (TypeError, ValueError):
        return None, "not numbers"
    except Exception as error:  # a torch tensor that requires grad, an int too large for a float, ...
        return None, f"which NumPy cannot read ({type(error).__name__}: {error})"


def _compare(task: str, got: Any, expected: NDArray[np.float64], what: str, where: str,
             hint: str, shape_hint: str, rtol: float, atol: float) -> str | None:
    """The hint for a wrong output, or None if ``got`` matches ``expected``."""
    if got is None:
        return f"your {task} returned None{what} for {where}; end the function with return ..."
    array, kind = _as_numbers(got)
    if array is None:
        return (f"your {task} returned a {type(got).__name__}{what}, {kind}, for {where}; "
                "return a NumPy array")
    if array.shape != expected.shape:
        return (f"your {task} returned shape {array.shape}{what} for {where}, "
                f"but the answer has shape {expected.shape}; {shape_hint}")
    if kind == "float32":  # a float32 answer is a right answer, to float32's precision
        rtol, atol = max(rtol, FLOAT32_RTOL), max(atol, FLOAT32_ATOL)
    close = np.isclose(array, expected, rtol=rtol, atol=atol)
    if close.all():
        return None
    if kind in NARROW_FLOATS and np.allclose(array, expected, rtol=1e-2, atol=1e-3):
        hint = f"your result is {kind}, which keeps too few digits here: compute in float64"
    if expected.size <= 12:
        return f"your {task} returned {show(array)}{what} for {where}, expected {show(expected)}; {hint}"
    at = tuple(int(i) for i in np.argwhere(~close)[0])
    return (f"your {task} returned {show(array[at])}{what} at index {at} for {where}, "
            f"expected {show(expected[at])}; {hint}")


def _raised_in(error: BaseException) -> str:
    """The name of the function in which ``error`` was raised."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace.tb_frame.f_code.co_name if trace is not None else "<module>"


def _failure(task: str, candidate: Callable[..., Any], names: Sequence[str], case: Case,
             outputs: Sequence[str], shape_hint: str, rtol: float, atol: float) -> object:
    where = case.where or describe(names, case.args)
    given = tuple(_copy(a) for a in case.args)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = candidate(*given)
    except NotImplementedError as error:
        helper = _raised_in(error)
        if helper in (getattr(getattr(candidate, "__code__", None), "co_name", helper), "<module>"):
            return _TODO
        return (f"your {task} calls {helper}, which is not written yet; write {helper} first "
                "(its own check says when it works), then run this check again")
    except Exception as error:  # the reader's code may raise anything; report it, never re-raise
        hint = ("use axis=-1, the last axis, so that the same code works on one vector and on a batch"
                if type(error).__name__ == "AxisError" else case.hint)
        return f"your {task} raised {type(error).__name__} ({error}) for {where}; {hint}"
    for name, before, after in zip(names, case.args, given):
        if not _unchanged(before, after):
            return (f"your {task} changed its input {name} in place for {where}; the caller's "
                    f"array must stay as it was, so build new arrays ({name} - ..., np.where(...), "
                    f"or {name}.copy() first) instead of writing into {name} ({name} -= ..., "
                    f"{name}[i] = ...)")
    if len(outputs) == 1:
        return _compare(task, got, case.expected, "", where, case.hint, shape_hint, rtol, atol)
    if not isinstance(got, tuple) or len(got) != len(outputs):
        return (f"your {task} returned {type(got).__name__} for {where}; return the "
                f"{len(outputs)} arrays as a tuple: return {', '.join(outputs)}")
    for name, part, expected in zip(outputs, got, case.expected):
        problem = _compare(task, part, expected, f" as {name}", where, case.hint, shape_hint,
                           rtol, atol)
        if problem:
            return problem
    return None


def run_cases(task: str, candidate: Any, names: Sequence[str], cases: Sequence[Case], *,
              shape_hint: str, covered: str = "", outputs: Sequence[str] = ("result",),
              rtol: float = 1e-6, atol: float = 1e-9) -> CheckResult:
    """Call ``candidate`` on every case and return the first failure, or a pass.

    Parameters
    ----------
    task : str
        The checker's name, used in every message.
    candidate : callable
        The reader's function.
    names : sequence of str
        The names of its arguments, for the messages.
    cases : sequence of Case
        Worked examples first, then random batches, then extreme inputs.
    shape_hint : str
        What to try when the output has the wrong shape.
    covered : str, optional
        What the cases cover, for the message of a pass.
    outputs : sequence of str, default ("result",)
        Names of the outputs; more than one means the candidate returns a tuple.
    rtol, atol : float
        Tolerances of :func:`numpy.isclose`.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> case = Case((np.array([1.0, 2.0]),), np.array([2.0, 4.0]), "multiply by 2")
    >>> print(run_cases("double", lambda x: 2 * x, ["x"], [case], shape_hint="keep the shape"))
    ✓ your double passed all 1 checks
    >>> print(run_cases("double", lambda x: x + 2, ["x"], [case], shape_hint="keep the shape"))
    ✗ your double returned [3, 4] for x = [1, 2], expected [2, 4]; multiply by 2
    """
    if not callable(candidate):
        return CheckResult(task, "fail", f"checks.{task} needs your function itself, as in "
                           f"checks.{task}({task}); got {type(candidate).__name__} {candidate!r:.40}")
    for case in cases:
        problem = _failure(task, candidate, names, case, outputs, shape_hint, rtol, atol)
        if problem is _TODO:
            return CheckResult(task, "todo", f"{task} is not written yet: replace "
                               "raise NotImplementedError with your code and run this cell again")
        if problem:
            return CheckResult(task, "fail", str(problem))
    return CheckResult(task, "pass", f"your {task} passed all {len(cases)} checks"
                       + (f": {covered}" if covered else ""))
