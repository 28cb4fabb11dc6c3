"""The int8 and fp16 layers convert their weights into one reused buffer, not a fresh array per call:
a fresh 1 MB temporary made their latency depend on the allocator's state (tinytorch/scratch.py)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from tinytorch import load_model, prune_neurons, quantize_int8, to_fp16
from tinytorch.scratch import Float32Scratch


def test_scratch_reuses_its_buffer_until_the_shape_changes():
    scratch = Float32Scratch()
    first = scratch.convert(np.arange(6, dtype=np.int8).reshape(2, 3))
    again = scratch.convert(np.full((2, 3), -7, dtype=np.int8))
    assert again is first and again.dtype == np.float32 and (again == -7).all()
    other = scratch.convert(np.ones((3, 2), dtype=np.float16))
    assert other.shape == (3, 2) and other is not first and (other == 1.0).all()


@pytest.mark.parametrize("make", [quantize_int8, to_fp16], ids=["int8", "fp16"])
def test_a_call_allocates_no_float32_copy_of_the_weights(make):
    model = make(prune_neurons(load_model("baseline"), keep=(512, 512)))
    x = np.ones((1, 64), dtype=np.float32)
    first = model(x)
    tracemalloc.start()
    try:
        second = model(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    weight_f32_bytes = 512 * 512 * 4
    assert peak < weight_f32_bytes / 8, f"a call allocated {peak} bytes: the weights were converted into a fresh array"
    np.testing.assert_array_equal(first, second)
