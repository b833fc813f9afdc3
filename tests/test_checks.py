"""Each checker of lossbook.checks against five kinds of reader's function.

For every task: lossbook's own function and an independent one written with scipy pass; a naive
formula (overflowing exp, 0 · log 0 as NaN), a wrong one, an unfinished one and one that changes
its input fail, each with the kind of hint it calls for, naming the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import lossbook as lb
from lossbook import checks

rows = np.arange  # row indices, for picking each example's true class


def _take(z, y):
    return z[rows(len(y)), y]


def _todo(*args):
    raise NotImplementedError  # TODO


class _TensorNeedingGrad:
    """What NumPy meets in a torch tensor that requires grad: __array__ raises RuntimeError."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")


def _naive_softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _in_place_softmax(z):
    z -= z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _bce(z, y):
    return -np.mean(y * -np.logaddexp(0, -z) + (1 - y) * -np.logaddexp(0, z))


def _naive_bce(z, y):
    p = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _scipy_ce(z, y, w=None, eps=0.0):
    k = z.shape[1]
    target = (1 - eps) * np.eye(k)[y] + eps / k
    per_class = np.ones(k) if w is None else w
    losses = -np.sum(per_class * target * sp.log_softmax(z, axis=1), axis=1)
    return losses.sum() / (per_class[y].sum() if w is not None else len(y))


def _focal(z, y, gamma):
    log_p = _take(sp.log_softmax(z, axis=1), y)
    return np.mean(-((1 - np.exp(log_p)) ** gamma) * log_p)


def _pos_weighted(z, y, w, both=False):
    log_sig, log_not = -np.logaddexp(0, -z), -np.logaddexp(0, z)
    return -np.mean(w * (y * log_sig + (1 - y) * log_not) if both else w * y * log_sig + (1 - y) * log_not)


def _smooth_l1(pred, target, beta, half=True):
    d = np.abs(pred - target)
    return np.mean(np.where(d < beta, d ** 2 / (2 * beta), d - (beta / 2 if half else beta)))


def _step(W, b, X, labels, lr, sign=-1.0, divide=True):
    P = sp.softmax(X @ W + b, axis=1)
    G = (P - np.eye(W.shape[1])[labels]) / (len(labels) if divide else 1)
    return W + sign * lr * X.T @ G, b + sign * lr * G.sum(axis=0)


def _in_place_step(W, b, X, labels, lr):
    new_W, new_b = _step(W, b, X, labels, lr)
    W[...] = new_W
    return W, new_b


def _naive_step(W, b, X, labels, lr):
    Z = X @ W + b
    G = (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - np.eye(W.shape[1])[labels]) / len(labels)
    return W - lr * X.T @ G, b - lr * G.sum(axis=0)


def _padded_ce(z, y, pad, per_sequence=False):
    real = y != pad
    losses = -np.where(real, np.take_along_axis(sp.log_softmax(z, axis=-1),
                                                np.where(real, y, 0)[..., None], axis=-1)[..., 0], 0.0)
    if per_sequence:
        return np.mean(losses.sum(axis=1) / real.sum(axis=1))
    return losses.sum() / real.sum()


def _naive_padded_ce(z, y, pad):
    p = np.take_along_axis(_naive_softmax(z), np.where(y != pad, y, 0)[..., None], axis=-1)[..., 0]
    return -np.sum(np.log(p) * (y != pad)) / np.sum(y != pad)


def _bpc(z, y, chars, base=2.0):
    return -_take(sp.log_softmax(z, axis=1), y).sum() / np.log(base) / chars


def _clip(a, b, t, both=True, normalise=True):
    if normalise:
        a, b = (x / np.linalg.norm(x, axis=1, keepdims=True) for x in (a, b))
    z, y = a @ b.T / t, np.arange(len(a))
    return (_scipy_ce(z, y) + _scipy_ce(z.T, y)) / 2 if both else _scipy_ce(z, y)


def _naive_clip(a, b, t):
    a, b = (x / np.linalg.norm(x, axis=1, keepdims=True) for x in (a, b))
    z = a @ b.T / t
    return -np.mean(np.log(np.diag(_naive_softmax(z))) + np.log(np.diag(_naive_softmax(z.T)))) / 2


def _distill(s, t, T, squared=True):
    log_p, log_q = sp.log_softmax(t / T, axis=-1), sp.log_softmax(s / T, axis=-1)
    return np.mean(np.sum(np.exp(log_p) * (log_p - log_q), axis=-1)) * (T ** 2 if squared else 1.0)


def _naive_distill(s, t, T):
    p, q = _naive_softmax(t / T), _naive_softmax(s / T)
    return np.mean(np.sum(p * np.log(p / q), axis=-1)) * T ** 2


def _dpo(pc, pr, rc, rr, beta):
    return np.mean(np.logaddexp(0, -beta * ((pc - rc) - (pr - rr))))


def _mutating(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``, but first scaling its first argument in place by 1 (a write, then a real change)."""
    def candidate(first, *rest):
        answer = f(first.copy(), *rest)
        first *= 2
        return answer
    return candidate


@dataclass
class Task:
    checker: Callable[..., Any]
    ours: Callable[..., Any]  # lossbook's own function
    independent: Callable[..., Any]  # written from the definition with scipy
    naive: Callable[..., Any]
    naive_words: tuple[str, ...]  # in the naive function's hint: the input, then the advice
    wrong: Callable[..., Any]
    wrong_words: tuple[str, ...]


TASKS = {
    "one_hot": Task(
        checks.one_hot, lambda y, k: lb.one_hot(y, num_classes=k), lambda y, k: np.eye(k)[y],
        lambda y, k: np.eye(y.max() + 1)[y], ("labels = [1], num_classes = 4", "shape"),
        lambda y, k: np.eye(k)[y].T, ("returned shape (4, 1)", "num_classes columns")),
    "true_class_probability": Task(
        checks.true_class_probability, lambda p, y: np.sum(p * lb.one_hot(y, num_classes=p.shape[1]), axis=1),
        _take, lambda p, y: p @ np.eye(p.shape[1])[y].T, ("shape (3, 3)", "matrix product"),
        lambda p, y: p[:, 0], ("expected [0.7, 0.5, 0.9]", "labels[n]")),
    "softmax": Task(
        checks.softmax, lb.softmax, lambda z: sp.softmax(z, axis=-1), _naive_softmax,
        ("z = [1000, 0]", "largest logit"), lambda z: np.exp(z) / np.exp(z).sum(),
        ("of shape (4, 5)", "axis=-1")),
    "logsumexp": Task(
        checks.logsumexp, lb.logsumexp, lambda z: sp.logsumexp(z, axis=-1),
        lambda z: np.log(np.exp(z).sum(axis=-1)), ("returned inf for z = [1000, 0]", "largest logit"),
        lambda z: np.max(z, axis=-1), ("z = [5, 4, 2]", "expected 5.349")),
    "log_softmax": Task(
        checks.log_softmax, lb.log_softmax, lambda z: sp.log_softmax(z, axis=-1),
        lambda z: np.log(lb.softmax(z)), ("-inf", "log 0"),
        lambda z: z - z.max(axis=-1, keepdims=True), ("z = [5, 4, 2]",)),
    "cross_entropy": Task(
        checks.cross_entropy, lambda z, y: lb.cross_entropy(z, y, from_logits=True), _scipy_ce,
        lambda z, y: -np.log(_take(_naive_softmax(z), y)).mean(),
        ("logits = [[0, 1000]]", "largest logit"),
        lambda z, y: -np.log(_take(sp.softmax(z, axis=1), y)).sum(), ("logits of shape (4, 3)", "mean")),
    "weighted_cross_entropy": Task(
        checks.weighted_cross_entropy,
        lambda z, y, w: lb.cross_entropy(z, y, from_logits=True, weight=w),
        lambda z, y, w: _scipy_ce(z, y, w=w),
        lambda z, y, w: -np.sum(w[y] * np.log(_take(_naive_softmax(z), y))) / w[y].sum(),
        ("logits = [[0, 1000]]", "largest logit"),
        lambda z, y, w: np.mean(w[y] * -_take(sp.log_softmax(z, axis=1), y)),
        ("weight = [10, 1, 2]", "not by N")),
    "smoothed_cross_entropy": Task(
        checks.smoothed_cross_entropy,
        lambda z, y, e: lb.cross_entropy(z, y, from_logits=True, label_smoothing=e),
        lambda z, y, e: _scipy_ce(z, y, eps=e),
        lambda z, y, e: -np.mean(np.sum(((1 - e) * np.eye(z.shape[1])[y] + e / z.shape[1])
                                        * np.log(_naive_softmax(z)), axis=1)),
        ("logits = [[0, 1000]]", "largest logit"),
        lambda z, y, e: _scipy_ce(z, y) * (1 - e), ("epsilon = 0.1", "all K classes")),
    "binary_cross_entropy_with_logits": Task(
        checks.binary_cross_entropy_with_logits,
        lambda z, y: lb.binary_cross_entropy(z, y, from_logits=True), _bce, _naive_bce,
        ("z = [800], y = [0]", "log1p"), lambda z, y: _bce(z, y) * z.size, ("z = [2, -1, 0.5]", "mean")),
    "cross_entropy_grad": Task(
        checks.cross_entropy_grad, lb.cross_entropy_grad,
        lambda z, y: (sp.softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(y),
        lambda z, y: (_naive_softmax(z) - np.eye(z.shape[1])[y]) / len(y),
        ("logits = [[1000, 0]]", "largest logit"),
        lambda z, y: sp.softmax(z, axis=1) - np.eye(z.shape[1])[y], ("logits of shape (4, 3)", "/ N")),
    "bce_grad_from_logits": Task(
        checks.bce_grad_from_logits, lb.binary_cross_entropy_grad,
        lambda z, y: (sp.expit(z) - y) / z.size,
        lambda z, y: (np.exp(z) / (1 + np.exp(z)) - y) / z.size, ("z = [800, -800, 1000, -1000]", "exp(-|z|)"),
        lambda z, y: (y - sp.expit(z)) / z.size, ("z = [2, -1, 0.5]", "sigmoid(z) - y")),
    "entropy": Task(
        checks.entropy, lb.entropy, lambda p: -np.sum(sp.xlogy(p, p)),
        lambda p: -np.sum(p * np.log(p)), ("returned nan for p = [1, 0, 0]", "0 · log 0"),
        lambda p: -np.sum(sp.xlogy(p, p)) / np.log(2), ("p = [0.5, 0.25, 0.25]", "bits")),
    "kl_divergence": Task(
        checks.kl_divergence, lb.kl_divergence, lambda p, q: np.sum(sp.rel_entr(p, q)),
        lambda p, q: np.sum(p * np.log(p / q)), ("returned nan for p = [1, 0], q = [0.5, 0.5]", "0 · log 0"),
        lambda p, q: np.sum(sp.rel_entr(q, p)), ("p = [0.5, 0.25, 0.25]", "not symmetric")),
    "focal_loss": Task(
        checks.focal_loss, lambda z, y, g: lb.focal_loss(z, y, gamma=g), _focal,
        lambda z, y, g: np.mean(-(1 - _take(_naive_softmax(z), y)) ** g * np.log(_take(_naive_softmax(z), y))),
        ("logits = [[0, 1000]]", "p_t = exp(log p_t)"),
        lambda z, y, g: _focal(z, y, 0.0), ("gamma = 2", "(1 - p_t)**gamma")),
    "bce_with_pos_weight": Task(
        checks.bce_with_pos_weight,
        lambda z, y, w: lb.binary_cross_entropy(z, y, from_logits=True, pos_weight=w), _pos_weighted,
        lambda z, y, w: -np.mean(w * y * np.log(sp.expit(z)) + (1 - y) * np.log(1 - sp.expit(z))),
        ("z = [800, -800, 1000]", "log1p"),
        lambda z, y, w: _pos_weighted(z, y, w, both=True), ("pos_weight = 3", "positive term only")),
    "smooth_l1": Task(
        checks.smooth_l1, lambda p, t, beta: lb.smooth_l1_loss(p, t, beta=beta), _smooth_l1,
        lambda p, t, beta: _smooth_l1(p, t, 1.0), ("beta = 0.5", "d**2 / (2 * beta)"),
        lambda p, t, beta: _smooth_l1(p, t, beta, half=False), ("beta = 1", "|d| - beta / 2")),
    "train_step": Task(
        checks.train_step,
        lambda W, b, X, y, lr: (W - lr * X.T @ lb.cross_entropy_grad(X @ W + b, y),
                                b - lr * lb.cross_entropy_grad(X @ W + b, y).sum(axis=0)),
        _step, _naive_step, ("W = [[400, -400]]", "largest logit"),
        lambda W, b, X, y, lr: _step(W, b, X, y, lr, sign=1.0), ("as W", "downhill")),
    "padded_cross_entropy": Task(
        checks.padded_cross_entropy,
        lambda z, y, pad: lb.cross_entropy(z, y, from_logits=True, ignore_index=pad), _padded_ce,
        _naive_padded_ce, ("logits = [[[0, 1000]", "largest logit"),
        lambda z, y, pad: _padded_ce(z, y, pad, per_sequence=True),
        ("logits of shape (2, 12, 16)", "not sequence by sequence")),
    "bits_per_character": Task(
        checks.bits_per_character,
        lambda z, y, chars: len(y) * lb.cross_entropy(z, y, from_logits=True) / np.log(2) / chars, _bpc,
        lambda z, y, chars: -np.log2(_take(_naive_softmax(z), y)).sum() / chars,
        ("logits = [[0, 1000], [800, -800]]", "largest logit"),
        lambda z, y, chars: _bpc(z, y, chars, base=np.e), ("num_characters = 11", "ln 2")),
    "clip_loss": Task(
        checks.clip_loss, lambda a, b, t: lb.clip_loss(a, b, temperature=t), _clip,
        _naive_clip,
        ("temperature = 0.001", "largest logit"),
        lambda a, b, t: _clip(a, b, t, both=False), ("temperature = 0.07", "columns (logits.T)")),
    "distillation_loss": Task(
        checks.distillation_loss, lambda s, t, T: lb.distillation_loss(s, t, temperature=T), _distill,
        _naive_distill, ("teacher_logits = [[1000, 0]]", "log_softmax"),
        lambda s, t, T: _distill(s, t, T, squared=False), ("temperature = 4", "T²")),
    "dpo_loss": Task(
        checks.dpo_loss, lambda pc, pr, rc, rr, beta: lb.dpo_loss(pc, pr, rc, rr, beta=beta), _dpo,
        lambda pc, pr, rc, rr, beta: np.mean(-np.log(sp.expit(beta * ((pc - rc) - (pr - rr))))),
        ("policy_chosen = [-2100]", "np.logaddexp(0, -m)"),
        lambda pc, pr, rc, rr, beta: _dpo(pc, pr, rc, rr, 1.0), ("beta = 0.1", "m = beta *")),
}

# Mutating versions: change the first input in place, or (softmax) shift it in place.
MUTATING = {name: _mutating(task.independent) for name, task in TASKS.items()}
MUTATING["softmax"] = _in_place_softmax
MUTATING["train_step"] = _in_place_step


def test_every_checker_is_tested():
    assert set(TASKS) == set(checks.__all__) - {"CheckResult"}


@pytest.mark.parametrize("name", TASKS)
def test_lossbook_and_an_independent_version_pass(name):
    task = TASKS[name]
    for candidate in (task.ours, task.independent):
        result = task.checker(candidate)
        assert result.passed and bool(result) and result.status == "pass", result
        assert str(result).startswith("✓ ") and "passed all" in result.message


@pytest.mark.parametrize("name", TASKS)
def test_naive_formula_fails_with_a_hint_naming_the_input(name):
    task = TASKS[name]
    result = task.checker(task.naive)
    assert not result and result.status == "fail", result
    assert str(result).startswith("✗ your ")
    for word in task.naive_words:
        assert word in result.message, (word, result.message)


@pytest.mark.parametrize("name", TASKS)
def test_wrong_formula_fails_with_a_hint(name):
    task = TASKS[name]
    result = task.checker(task.wrong)
    assert result.status == "fail", result
    for word in task.wrong_words:
        assert word in result.message, (word, result.message)


@pytest.mark.parametrize("name", TASKS)
def test_unfinished_function_is_not_written_yet(name):
    result = TASKS[name].checker(_todo)
    assert result.status == "todo" and not result
    assert result.message == (f"{name} is not written yet: replace raise NotImplementedError "
                              "with your code and run this cell again")
    assert str(result).startswith("… ")


@pytest.mark.parametrize("name", TASKS)
def test_function_that_changes_its_input_fails_and_says_so(name):
    result = TASKS[name].checker(MUTATING[name])
    assert result.status == "fail", result
    assert "changed its input" in result.message and "in place" in result.message, result.message


@pytest.mark.parametrize("name", TASKS)
@pytest.mark.parametrize("behaviour, words", [
    (lambda *a: None, "returned None"),
    (lambda *a: "0.5", "returned a str, not numbers"),
    (lambda *a: "half", "not numbers"),
    (lambda *a: [[1.0, 2.0], [3.0]], "not numbers"),
    (lambda *a: np.full((7, 7, 7), 0.5), "returned shape (7, 7, 7)"),
    (lambda *a: 1 / 0, "raised ZeroDivisionError (division by zero)"),
    (lambda *a: a[0].no_such_method(), "raised AttributeError"),
    (lambda: 1.0, "raised TypeError"),
    (lambda *a: _TensorNeedingGrad(), "which NumPy cannot read (RuntimeError"),
    (lambda *a: 10**400, "which NumPy cannot read (OverflowError"),
], ids=["none", "text-number", "text", "ragged", "shape", "zero-division", "attribute", "arity",
        "tensor-needing-grad", "huge-int"])
def test_checker_never_raises_and_names_what_went_wrong(name, behaviour, words):
    result = TASKS[name].checker(behaviour)
    assert result.status == "fail", result
    assert words in result.message or (name == "train_step" and "tuple" in result.message), result.message
    assert " for " in result.message  # the input that broke it is named


@pytest.mark.parametrize("name", TASKS)
def test_checker_reports_nan_and_refuses_a_non_function(name):
    def nan_like(*args):
        if name == "train_step":
            return np.full_like(args[0], np.nan), args[1]
        return np.full_like(np.asarray(TASKS[name].ours(*args), dtype=float), np.nan)

    nan = TASKS[name].checker(nan_like)
    assert nan.status == "fail" and "nan" in nan.message, nan.message
    not_function = TASKS[name].checker(np.zeros(3))
    assert not_function.status == "fail" and f"checks.{name}({name})" in not_function.message


ANYTHING = st.one_of(
    st.none(), st.text(max_size=5), st.floats(), st.lists(st.floats(), max_size=4),
    arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4)),
    st.tuples(st.floats(), st.text(max_size=3)),
    st.sampled_from([ValueError("bad"), IndexError("index 3"), RuntimeError(), KeyError("k")]),
)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(TASKS)), outcome=ANYTHING)
def test_checker_never_raises_whatever_the_candidate_returns_or_raises(name, outcome):
    def candidate(*args):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    result = TASKS[name].checker(candidate)
    assert isinstance(result, checks.CheckResult) and result.status == "fail", result
    assert result.message.startswith(f"your {name} ")


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(TASKS)), factor=st.floats(1e-3, 10.0).filter(lambda f: abs(f - 1) > 1e-3))
def test_an_answer_off_by_a_factor_fails_and_shows_the_expected_value(name, factor):
    """Scaling a right answer by any factor other than 1 is caught, whatever the task."""
    ours = TASKS[name].ours

    def scaled(*args):
        answer = ours(*args)
        if name == "train_step":
            return answer[0] * factor + 1.0, answer[1]
        return np.asarray(answer) * factor + (1.0 if name in ("cross_entropy_grad", "bce_grad_from_logits") else 0.0)

    result = TASKS[name].checker(scaled)
    assert result.status == "fail" and "expected" in result.message, result.message


def test_result_prints_and_displays_in_a_notebook():
    passed = checks.softmax(lb.softmax)
    failed = checks.softmax(_naive_softmax)
    todo = checks.softmax(_todo)
    assert repr(passed) == str(passed) == "✓ " + passed.message
    assert failed._repr_html_().startswith('<div class="lossbook-check" data-check-result="fail"')
    assert ('<strong role="img" aria-label="not yet">✗</strong> your softmax returned [nan, 0] '
            "for z = [1000, 0]") in failed._repr_html_()
    assert 'data-check-result="todo"' in todo._repr_html_()
    assert failed._repr_markdown_().startswith("✗ your softmax")
    # Markdown must not read the message's own symbols as markup.
    marked = checks.CheckResult("x", "fail", "use z[n] * 2, not x_1 * y_2")._repr_markdown_()
    assert marked == "✗ use z\\[n\\] \\* 2, not x\\_1 \\* y\\_2"
    escaped = checks.CheckResult("x", "fail", "a <b> & c")._repr_html_()
    assert "a &lt;b&gt; &amp; c" in escaped


@pytest.mark.parametrize("dtype, bits", [(np.float32, 150), (np.float64, 1075)])
def test_softmax_underflow_gap_of_the_float32_exercise(dtype, bits):
    """The softmax chapter's exercise: [0, -d] loses its second class at d = bits * ln 2, where
    e^-d falls to half the smallest subnormal (2^-149 in float32, 2^-1074 in float64)."""
    assert np.finfo(dtype).smallest_subnormal == 2.0 ** -(bits - 1)
    gaps = np.round(np.arange(bits * 0.69 - 1, bits * 0.70, 0.01), 2)
    with np.errstate(under="ignore"):
        second = [np.exp(-dtype(d)) / (1 + np.exp(-dtype(d))) for d in gaps]
    first_zero = gaps[next(i for i, p in enumerate(second) if p == 0)]
    assert abs(first_zero - bits * np.log(2)) < 0.02
    assert all(p == 0 for p in second[list(gaps).index(first_zero):])


@pytest.mark.parametrize("name", TASKS)
def test_a_right_answer_in_float32_passes(name):
    def in_float32(*args):
        answer = TASKS[name].ours(*args)
        if name == "train_step":
            return tuple(np.asarray(part, dtype=np.float32) for part in answer)
        return np.asarray(answer, dtype=np.float32)

    result = TASKS[name].checker(in_float32)
    assert result.status == "pass", result.message


def test_a_float16_answer_is_told_to_compute_in_float64():
    result = checks.logsumexp(lambda z: np.asarray(lb.logsumexp(z), dtype=np.float16))
    assert result.status == "fail" and "float16" in result.message and "compute in float64" in result.message, result


def test_axis_1_on_a_single_vector_is_told_to_use_the_last_axis():
    def softmax_axis_1(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    result = checks.softmax(softmax_axis_1)
    assert result.status == "fail" and "AxisError" in result.message and "axis=-1" in result.message, result


def test_a_function_calling_an_unwritten_helper_names_the_helper():
    def log_softmax(z):
        raise NotImplementedError  # TODO

    result = checks.softmax(lambda z: np.exp(log_softmax(z)))
    assert result.status == "fail", result
    assert "calls log_softmax, which is not written yet" in result.message, result.message


def test_padding_with_a_real_class_id_catches_a_mask_of_negative_targets():
    def masks_negatives(z, targets, ignore_index):
        real = targets >= 0
        safe = np.where(real, targets, 0)
        losses = sp.logsumexp(z, axis=-1) - np.take_along_axis(z, safe[..., None], axis=-1)[..., 0]
        return losses[real].mean()

    result = checks.padded_cross_entropy(masks_negatives)
    assert result.status == "fail" and "ignore_index" in result.message, result.message


def test_the_sigmoid_as_exp_over_one_plus_exp_is_caught_at_large_logits():
    result = checks.bce_grad_from_logits(lambda z, y: (np.exp(z) / (1 + np.exp(z)) - y) / y.size)
    assert result.status == "fail" and "inf / inf = nan" in result.message, result.message
