"""The benchmarks' own reference code computes what it claims to, so that their ratios compare like with like."""

import sys
from pathlib import Path

import numpy as np
import pytest

from nnfromscratch.backward import linear_backward
from nnfromscratch.forward import linear_forward

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_mlp  # noqa: E402


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_the_minimal_numpy_loop_trains_exactly_as_the_package(monkeypatch, dtype, tolerance):
    monkeypatch.setattr(bench_mlp, "MLP_SAMPLES", 1000)             # 8 mini-batches, the last one partial
    X, Y = bench_mlp.workload_data("mlp", dtype)
    assert X.shape == (784, 1000) and X.flags.f_contiguous          # the course's layout: examples contiguous
    ours = bench_mlp.ours_mlp_epoch(X, Y, dtype)
    floor = bench_mlp.floor_mlp_epoch(X, Y, dtype)
    for (key, value), floor_value in zip(ours.items(), floor):
        assert floor_value.dtype == dtype
        np.testing.assert_allclose(floor_value, value.reshape(floor_value.shape), atol=tolerance, err_msg=key)


def test_the_matrix_products_row_times_the_packages_products_in_both_libraries(monkeypatch):
    monkeypatch.setattr(bench_mlp, "MLP_SAMPLES", 300)              # 3 mini-batches, the last one of 44 examples
    X, _ = bench_mlp.workload_data("products", np.float64)
    weights = bench_mlp.mlp_weights(np.float64)
    ours = bench_mlp.epoch_matrix_products(X.T, weights)

    # the package's own linear layers, with zero biases, on the last mini-batch: the same products
    A, caches = X[:, 256:], []
    for W in weights:
        A, cache = linear_forward(A, W, np.zeros((W.shape[0], 1)))
        caches.append(cache)
    dZ, expected = A, []
    for cache in reversed(caches):
        dZ, dW, _ = linear_backward(dZ, cache)
        expected.append(dW * 44)                                    # linear_backward's dW includes the 1/m
    for got, want in zip(ours, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)

    torch = pytest.importorskip("torch")
    theirs = bench_mlp.epoch_matrix_products(torch.from_numpy(X.T), [torch.from_numpy(W) for W in weights])
    for got, want in zip(theirs, ours, strict=True):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-9)
