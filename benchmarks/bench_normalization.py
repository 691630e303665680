"""Benchmark of chapter 11's normalization layers and batch-normed network against PyTorch (CPU), as ratios.

    python -m pip install torch==2.13.0      # the benchmark's reference only; never a dependency of the package
    python benchmarks/bench_normalization.py [--repeats 7] [--quick]

Measures, our time / PyTorch's time in the same run:
* batch norm forward+backward (train mode) on x (256, 1024), and spatial batch norm forward+backward on
  (64, 32, 32, 32), in float64 and float32 (target <= 1.5): the package's fast pairs (batchnorm_forward_fast /
  batchnorm_backward_fast and the spatial ones, which FullyConnectedNet uses), and, without a target, the readable
  ones they speed up (batchnorm_forward with batchnorm_backward_alt, spatial_batchnorm_forward/_backward).
  PyTorch runs torch.nn.functional.batch_norm with autograd. The median of several calls after a warm-up, in this
  process, ours and PyTorch's interleaved (common.interleaved_median_seconds says why), with the page faults per call.
* the two readable backward passes of batch norm against each other on (256, 1024): the node-by-node graph
  (batchnorm_backward) and the closed form (batchnorm_backward_alt); no target.
* one training epoch of a batch-normed net with 5 hidden layers of 256 units on 60,000 random 784-dim samples,
  mini-batches of 128 taken in order, plain gradient descent (learning rate 0.01), in float64 (target <= 1.0) and
  float32 (no target): the package's FullyConnectedNet and chapter 8's GD against the same arithmetic in PyTorch
  (linear layers, batch_norm in train mode with its running averages, ReLU, cross-entropy, autograd, an SGD step).
  Each run happens in a process of its own, ours and PyTorch's alternately, --repeats rounds (3 by default).
* the same epoch's matrix products alone, in float64 (no target): bench_mlp's epoch_matrix_products on this network's
  weights, NumPy's BLAS against PyTorch's; with the epoch's ratio it shows how much of the epoch the rest (batch norm,
  ReLU, the loss, the update) costs on the machine at hand.
--quick: 3 repeats of the layers, 6,000 samples per epoch and 1 round: a check that everything runs, not a measure.
Timings depend on the machine and its load: compare the ratios, which are measured side by side.
"""

import sys

import numpy as np
from common import (alternate_in_processes, benchmark_setup, interleaved_median_seconds, print_ratio_table,
                    print_round_ratio_table, report_worker_seconds)

from bench_mlp import epoch_matrix_products  # noqa: E402 (benchmarks/ is on the path, as for common)
from nnfromscratch.normalization import (FullyConnectedNet, batchnorm_backward, batchnorm_backward_alt,
                                         batchnorm_backward_fast, batchnorm_forward, batchnorm_forward_fast,
                                         spatial_batchnorm_backward, spatial_batchnorm_backward_fast,
                                         spatial_batchnorm_forward, spatial_batchnorm_forward_fast)
from nnfromscratch.optimizers import GD

BN_SHAPE, SPATIAL_SHAPE = (256, 1024), (64, 32, 32, 32)
EPOCH_DIMS, EPOCH_SAMPLES, EPOCH_BATCH, EPOCH_LR = [784] + [256] * 5 + [10], 60_000, 128, 0.01
QUICK_SAMPLES = 6_000


# (forward, backward) pairs of the package: the fast ones (measured against the target) and the readable ones
BN_PAIRS = {"fast": (batchnorm_forward_fast, batchnorm_backward_fast),
            "readable": (batchnorm_forward, batchnorm_backward_alt),
            "graph": (batchnorm_forward, batchnorm_backward)}
SPATIAL_PAIRS = {"fast": (spatial_batchnorm_forward_fast, spatial_batchnorm_backward_fast),
                 "readable": (spatial_batchnorm_forward, spatial_batchnorm_backward)}


def ours_layer(pair, x, gamma, beta, dout):
    """One forward (train mode) and backward pass of the (forward, backward) pair; returns dx, dgamma, dbeta."""
    forward, backward = pair
    out, cache = forward(x, gamma, beta, {"mode": "train"})
    return backward(dout, cache)


def torch_bn(torch, x, gamma, beta, dout):
    x, gamma, beta = (t.detach().requires_grad_() for t in (x, gamma, beta))
    out = torch.nn.functional.batch_norm(x, None, None, gamma, beta, training=True, eps=1e-5)
    out.backward(dout)
    return x.grad, gamma.grad, beta.grad


def epoch_net(dtype):
    """The epoch's network, with its initial parameters (the same in every process: rng=0)."""
    return FullyConnectedNet(EPOCH_DIMS[1:-1], input_dim=EPOCH_DIMS[0], num_classes=EPOCH_DIMS[-1],
                             normalization="batchnorm", weight_scale=np.sqrt(2 / 784), dtype=dtype, rng=0)


def epoch_data(dtype):
    """X (EPOCH_SAMPLES, 784) and labels y (EPOCH_SAMPLES,), the same in every process."""
    rng = np.random.default_rng(1)
    return rng.standard_normal((EPOCH_SAMPLES, EPOCH_DIMS[0])).astype(dtype), rng.integers(0, 10, EPOCH_SAMPLES)


def ours_epoch(X, y, dtype, steps=None):
    """One epoch (or `steps` mini-batches) of gradient descent; returns the final parameters."""
    model, optimizer = epoch_net(dtype), GD(EPOCH_LR)
    for step, start in enumerate(range(0, X.shape[0], EPOCH_BATCH)):
        if steps is not None and step == steps:
            break
        _, grads = model.loss(X[start:start + EPOCH_BATCH], y[start:start + EPOCH_BATCH])
        model.params = optimizer.step(model.params, {"d" + key: value for key, value in grads.items()})
    return model.params


def torch_epoch(torch, X, y, torch_dtype, steps=None):
    """The same epoch in PyTorch, from the same initial parameters; returns them as NumPy arrays."""
    F = torch.nn.functional
    params = {key: torch.tensor(value).to(torch_dtype).requires_grad_()
              for key, value in epoch_net(np.float64).params.items()}
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    L = len(EPOCH_DIMS) - 1
    running = [(torch.zeros(n, dtype=torch_dtype), torch.zeros(n, dtype=torch_dtype)) for n in EPOCH_DIMS[1:-1]]
    for step, start in enumerate(range(0, X.shape[0], EPOCH_BATCH)):
        if steps is not None and step == steps:
            break
        a = X[start:start + EPOCH_BATCH]
        for l in range(1, L):
            a = F.linear(a, params[f"W{l}"].T, params[f"b{l}"])
            a = F.batch_norm(a, *running[l - 1], params[f"gamma{l}"], params[f"beta{l}"], training=True, momentum=0.1,
                             eps=1e-5)
            a = F.relu(a)
        scores = F.linear(a, params[f"W{L}"].T, params[f"b{L}"])
        loss = F.cross_entropy(scores, y[start:start + EPOCH_BATCH])
        grads = torch.autograd.grad(loss, list(params.values()))
        with torch.no_grad():
            for p, g in zip(params.values(), grads):
                p -= EPOCH_LR * g
    return {key: value.detach().numpy() for key, value in params.items()}


def epoch_product_weights(dtype):
    """The epoch network's initial weights W1, ..., WL as views (n, n_prev), the layout epoch_matrix_products takes:
    its a @ W.T is then the network's a @ W, on the same bytes."""
    return [W.T for key, W in epoch_net(dtype).params.items() if key.startswith("W")]


def worker(library, dtype_name, samples, workload="epoch"):
    """Run one epoch (or its matrix products only) once to warm up (10 mini-batches), then once timed; print the
    timed run's seconds."""
    global EPOCH_SAMPLES
    EPOCH_SAMPLES = int(samples)
    dtype = np.dtype(dtype_name).type
    X, y = epoch_data(dtype)
    if workload == "products":
        weights = epoch_product_weights(dtype)
        if library != "ours":
            import torch
            X, weights = torch.from_numpy(X), [torch.from_numpy(W) for W in weights]
        run = lambda steps=None: epoch_matrix_products(X if steps is None else X[:steps * EPOCH_BATCH], weights)
    elif library == "ours":
        run = lambda steps=None: ours_epoch(X, y, dtype, steps)
    else:
        import torch
        run = lambda steps=None: torch_epoch(torch, X, y, getattr(torch, dtype_name), steps)
    report_worker_seconds(lambda: run(10), run)


def main():
    if sys.argv[1:2] == ["--worker"]:
        return worker(*sys.argv[2:6])
    quick = "--quick" in sys.argv
    if quick:
        sys.argv.remove("--quick")
    args, torch = benchmark_setup(__doc__.split("\n")[0], default_repeats=3 if quick else 7)
    rng = np.random.default_rng(0)
    rows, readable_rows = [], []
    for shape, pairs, label in [(BN_SHAPE, BN_PAIRS, "batch norm"), (SPATIAL_SHAPE, SPATIAL_PAIRS, "spatial batch norm")]:
        for dtype in (np.float64, np.float32):
            x, dout = rng.normal(1.0, 2.0, shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
            gamma, beta = rng.standard_normal(shape[1]).astype(dtype), rng.standard_normal(shape[1]).astype(dtype)
            fns = [lambda pair=pairs[kind]: ours_layer(pair, x, gamma, beta, dout) for kind in ("fast", "readable")]
            if torch:
                tensors = [torch.from_numpy(a) for a in (x, gamma, beta, dout)]
                fns.append(lambda: torch_bn(torch, *tensors))
            (fast, fast_faults), (readable, readable_faults), *reference = interleaved_median_seconds(fns, args.repeats)
            theirs, their_faults = reference[0] if reference else (None, None)
            name = f"{label} fwd+bwd {shape} {np.dtype(dtype).name}"
            rows.append((name, fast, theirs, 1.5, fast_faults, their_faults))
            readable_rows.append((name + ", readable", readable, theirs, float("inf"), readable_faults, their_faults))
    print_ratio_table(rows, unit="ms")
    print("\nthe readable layers the fast ones speed up (no target):", end="")
    print_ratio_table(readable_rows, unit="ms")

    x, dout = rng.normal(1.0, 2.0, BN_SHAPE), rng.standard_normal(BN_SHAPE)
    gamma, beta = rng.standard_normal(BN_SHAPE[1]), rng.standard_normal(BN_SHAPE[1])
    (graph, _), (closed, _) = interleaved_median_seconds(
        [lambda kind=kind: ours_layer(BN_PAIRS[kind], x, gamma, beta, dout) for kind in ("graph", "readable")],
        args.repeats)
    print(f"\nbatch norm fwd+bwd {BN_SHAPE} float64, readable forward: with the graph's backward {graph * 1e3:.1f} ms, "
          f"with the closed form {closed * 1e3:.1f} ms: the closed form takes {closed / graph:.2f}x the graph's time")

    samples = QUICK_SAMPLES if quick else EPOCH_SAMPLES
    label = f"epoch, 784-{'-'.join(map(str, EPOCH_DIMS[1:-1]))}-10 batch norm, batch {EPOCH_BATCH}, {samples:,} samples"
    cases = [(f"{label} {dtype}", (["ours", dtype, str(samples)], ["torch", dtype, str(samples)] if torch else None))
             for dtype in ("float64", "float32")]
    products = [str(samples), "products"]
    cases.append((f"{label} float64: its matrix products only, no target",
                  (["ours", "float64", *products], ["torch", "float64", *products] if torch else None)))
    times = alternate_in_processes(__file__, cases, 1 if quick else max(1, min(args.repeats, 3)))
    print_round_ratio_table([(name, *times[name], 1.0 if name.endswith("float64") else None) for name, _ in cases])


if __name__ == "__main__":
    main()
