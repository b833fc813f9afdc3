"""The playground's datasets: reproducible, shaped as documented, and the generator's numbers
those of the reference mulberry32 (its published JavaScript, checked here by hand-worked
32-bit arithmetic written independently of the package)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.datasets import DATASETS, make_dataset, mulberry32


def reference_mulberry32(seed: int, count: int) -> list[float]:
    # The JavaScript original, with its int32 wrap-around spelled out: imul is the low 32 bits
    # of the product; `| 0` and `^` act on 32-bit two's-complement integers.
    def int32(v: int) -> int:
        v &= 0xFFFFFFFF
        return v - (1 << 32) if v >= 1 << 31 else v

    def imul(a: int, b: int) -> int:
        return int32((a & 0xFFFFFFFF) * (b & 0xFFFFFFFF))

    def ushr(v: int, n: int) -> int:
        return (v & 0xFFFFFFFF) >> n

    a, out = int32(seed), []
    for _ in range(count):
        a = int32(a + 0x6D2B79F5)
        t = imul(a ^ ushr(a, 15), 1 | a)
        t = int32(t + imul(t ^ ushr(t, 7), 61 | t)) ^ t
        out.append(ushr(t ^ ushr(t, 14), 0) / 4294967296)
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_mulberry32_matches_the_reference_arithmetic(seed):
    numbers = mulberry32(seed)
    assert [next(numbers) for _ in range(20)] == reference_mulberry32(seed, 20)


def test_mulberry32_values_printed_by_node():
    # node -e '... mulberry32(0) ...' printed these three numbers.
    numbers = mulberry32(0)
    assert [next(numbers) for _ in range(3)] == [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]


def test_uniforms_are_uniform_enough():
    numbers = mulberry32(12345)
    sample = np.array([next(numbers) for _ in range(20_000)])
    assert sample.min() >= 0 and sample.max() < 1
    counts = np.histogram(sample, bins=10, range=(0, 1))[0]
    assert np.all(np.abs(counts - 2000) < 200)  # about 4.7 standard deviations


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_seed_same_data_other_seed_other_data(name):
    X1, y1 = make_dataset(name, seed=3)
    X2, y2 = make_dataset(name, seed=3)
    X3, _ = make_dataset(name, seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (300, 2) and X1.dtype == np.float64 and np.all(np.isfinite(X1))


def test_clouds_sit_around_the_training_chapters_centres():
    X, labels = make_dataset("clouds", seed=0)
    centres = np.array([[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]])
    for k, centre in enumerate(centres):
        members = X[labels == k]
        assert len(members) == 100
        # Mean within 4 standard errors, spread close to 1.1.
        assert np.all(np.abs(members.mean(axis=0) - centre) < 4 * 1.1 / 10)
        assert np.all(np.abs(members.std(axis=0) - 1.1) < 0.25)


def test_moons_are_two_half_circles_and_imbalanced_has_a_rare_class():
    X, labels = make_dataset("moons", seed=0)
    assert np.bincount(labels).tolist() == [150, 150]
    upper, lower = X[labels == 0], X[labels == 1]
    # Each noisy point lies near radius 1 around its moon's centre.
    assert abs(np.median(np.hypot(upper[:, 0], upper[:, 1])) - 1) < 0.1
    assert abs(np.median(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5)) - 1) < 0.1
    assert np.bincount(make_dataset("imbalanced", seed=0)[1]).tolist() == [140, 140, 20]


def test_normal_noise_has_mean_0_and_variance_1():
    X, labels = make_dataset("clouds", seed=99)
    noise = (X[labels == 0] - [-2.0, -1.0]) / 1.1
    assert abs(noise.mean()) < 0.2 and abs(noise.var() - 1) < 0.2


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"name": "spirals"}, ValueError, r"unknown dataset 'spirals'; choose one of 'clouds', 'moons', 'imbalanced'"),
    ({"name": "clouds", "seed": -1}, ValueError, r"seed must be in \[0, 2\*\*32\), got -1"),
    ({"name": "clouds", "seed": 2**32}, ValueError, r"got 4294967296"),
    ({"name": "clouds", "seed": 1.5}, TypeError, r"seed must be an integer, got 1\.5"),
])
def test_bad_arguments_say_how_to_fix_them(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        make_dataset(**kwargs)


def test_a_dataset_name_that_is_not_a_string_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^unknown dataset \['clouds'\]; choose one of 'clouds'"):
        make_dataset(["clouds"])
