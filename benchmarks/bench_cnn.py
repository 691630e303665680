"""Benchmark of chapter 10's vectorized layers against PyTorch (CPU) in the same run, printed as ratios.

    python -m pip install torch==2.13.0      # the benchmark's reference only; never a dependency of the package
    python benchmarks/bench_cnn.py [--repeats 7]

Measures, with the median of several runs after a warm-up:
* conv forward+backward on x (50, 3, 32, 32), w (32, 3, 7, 7), pad 3 and on x (64, 16, 32, 32), w (32, 16, 3, 3),
  pad 1, in float64 and float32: our time / PyTorch's time (targets: <= 0.8 in float64, <= 2 in float32);
* 2x2 max pool forward+backward on (50, 32, 32, 32): our time / PyTorch's (target <= 2);
* the loop version against the vectorized one on the first shape (target >= 300x faster). The loops are timed on
  2 examples and scaled to 50: their cost is exactly linear in the number of examples;
* the peak scratch memory of conv forward+backward (tracemalloc: the peak of NumPy's allocations during the call,
  minus the arrays it returns), as a multiple of the input's size (target <= 8).
Timings depend on the machine and its load: compare the ratios, which are measured side by side.
"""

import time
import tracemalloc

import numpy as np
from common import median_seconds, print_ratio_table, benchmark_setup

from nnfromscratch.cnn import (conv_backward, conv_backward_naive, conv_forward, conv_forward_naive, max_pool_backward,
                               max_pool_forward)

CONV_CASES = [((50, 3, 32, 32), (32, 3, 7, 7), 3), ((64, 16, 32, 32), (32, 16, 3, 3), 1)]
POOL_SHAPE = (50, 32, 32, 32)


def ours_conv(x, w, b, pad):
    out, cache = conv_forward(x, w, b, {"stride": 1, "pad": pad})
    return conv_backward(np.ones_like(out), cache)


def ours_pool(x):
    out, cache = max_pool_forward(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    return max_pool_backward(np.ones_like(out), cache)


def torch_conv(torch, x, w, b, pad):
    x, w, b = (t.detach().requires_grad_() for t in (x, w, b))
    out = torch.nn.functional.conv2d(x, w, b, stride=1, padding=pad)
    out.backward(torch.ones_like(out))
    return x.grad, w.grad, b.grad


def torch_pool(torch, x):
    x = x.detach().requires_grad_()
    out = torch.nn.functional.max_pool2d(x, 2, 2)
    out.backward(torch.ones_like(out))
    return x.grad


def peak_scratch_ratio(x, w, b, pad):
    tracemalloc.start()
    tracemalloc.reset_peak()
    out, cache = conv_forward(x, w, b, {"stride": 1, "pad": pad})
    grads = conv_backward(np.ones_like(out), cache)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    returned = out.nbytes + sum(g.nbytes for g in grads) + out.nbytes  # out, dx, dw, db and the ones-like dout
    return (peak - returned) / x.nbytes


def main():
    args, torch = benchmark_setup(__doc__.split("\n")[0], default_repeats=7)
    rng = np.random.default_rng(0)
    rows = []
    for x_shape, w_shape, pad in CONV_CASES:
        for dtype, target in [(np.float64, 0.8), (np.float32, 2.0)]:
            x = rng.standard_normal(x_shape).astype(dtype)
            w = rng.standard_normal(w_shape).astype(dtype)
            b = rng.standard_normal(w_shape[0]).astype(dtype)
            ours = median_seconds(lambda: ours_conv(x, w, b, pad), args.repeats)
            theirs = None
            if torch:
                tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
                theirs = median_seconds(lambda: torch_conv(torch, tx, tw, tb, pad), args.repeats)
            rows.append((f"conv fwd+bwd x{x_shape} w{w_shape} {np.dtype(dtype).name}", ours, theirs, target))
    for dtype in (np.float64, np.float32):
        x = rng.standard_normal(POOL_SHAPE).astype(dtype)
        ours = median_seconds(lambda: ours_pool(x), args.repeats)
        theirs = median_seconds(lambda: torch_pool(torch, torch.from_numpy(x)), args.repeats) if torch else None
        rows.append((f"max pool 2x2 fwd+bwd {POOL_SHAPE} {np.dtype(dtype).name}", ours, theirs, 2.0))

    print_ratio_table(rows, unit="ms")

    x_shape, w_shape, pad = CONV_CASES[0]
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    few = x[:2]
    start = time.perf_counter()
    out, cache = conv_forward_naive(few, w, b, {"stride": 1, "pad": pad})
    conv_backward_naive(np.ones_like(out), cache)
    naive_per_example = (time.perf_counter() - start) / few.shape[0]
    fast_per_example = median_seconds(lambda: ours_conv(x, w, b, pad), 3) / x.shape[0]
    speedup = naive_per_example / fast_per_example
    print(f"\nloops vs vectorized, conv fwd+bwd x{x_shape} w{w_shape}: naive {naive_per_example * x.shape[0]:.1f} s "
          f"(timed on 2 examples, x{x.shape[0] // 2}), vectorized {fast_per_example * x.shape[0] * 1e3:.1f} ms: "
          f"{speedup:.0f}x faster (target >= 300x: {'yes' if speedup >= 300 else 'NO'})")

    for x_shape, w_shape, pad in CONV_CASES:
        for dtype in (np.float64, np.float32):
            x = rng.standard_normal(x_shape).astype(dtype)
            w = rng.standard_normal(w_shape).astype(dtype)
            b = rng.standard_normal(w_shape[0]).astype(dtype)
            ratio = peak_scratch_ratio(x, w, b, pad)
            print(f"peak scratch memory, conv fwd+bwd x{x_shape} w{w_shape} {np.dtype(dtype).name}: "
                  f"{ratio:.1f}x the input's {x.nbytes / 2**20:.1f} MiB (target <= 8x: {'yes' if ratio <= 8 else 'NO'})")


if __name__ == "__main__":
    main()
