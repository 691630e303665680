"""The benchmarks' own reference code computes what it claims to, so that their ratios compare like with like."""

import sys
from pathlib import Path

import numpy as np
import pytest

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
