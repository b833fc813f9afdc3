"""What cannot become a NumPy array is refused with a message that names the argument and the fix:
a torch tensor that requires grad or holds bfloat16, and ragged nested lists."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("tensor", [torch.zeros(2, 3, requires_grad=True), torch.zeros(2, 3, dtype=torch.bfloat16)],
                         ids=["requires grad", "bfloat16"])
def test_a_torch_tensor_numpy_cannot_read_is_a_type_error_with_the_conversion(tensor):
    with pytest.raises(TypeError, match=r"^y_pred could not be read as a NumPy array \(.*\); for a torch tensor "
                                        r"pass y_pred\.detach\(\)\.cpu\(\)\.double\(\)\.numpy\(\)$"):
        lb.cross_entropy(tensor, [0, 1], from_logits=True)
    converted = tensor.detach().cpu().double().numpy()
    assert lb.cross_entropy(converted, [0, 1], from_logits=True) == pytest.approx(np.log(3))


def test_labels_in_a_tensor_that_requires_grad_are_named_as_labels():
    labels = torch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"^y_true could not be read"):
        lb.cross_entropy(np.zeros((2, 3)), labels, from_logits=True)


def test_ragged_rows_are_a_value_error_that_says_so():
    with pytest.raises(ValueError, match=r"^y_pred is not a rectangular array .*give every row the same length$"):
        lb.cross_entropy([[0.5, 0.5], [1.0]], [0, 0])
