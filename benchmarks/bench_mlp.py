"""Training throughput of the package's fully connected network against PyTorch (CPU), in the same run, as ratios.

    python -m pip install torch==2.13.0      # the benchmark's reference only; never a dependency of the package
    python benchmarks/bench_mlp.py [--repeats 3]

Two workloads, in float64 and float32, each timed as the median of --repeats runs after a warm-up:
* an MLP 784-256-128-10 (ReLU, softmax, cross-entropy), mini-batches of 128, one epoch of 60,000 random samples,
  plain gradient descent: the package's random_mini_batches, L_model_forward, the softmax cost, L_model_backward and
  update_parameters, against the same arithmetic in PyTorch (the same reshuffle, linear layers, cross-entropy,
  autograd and an SGD step);
* the course's cat-sized model: [12288, 20, 7, 5, 1] with a sigmoid output, 209 examples, 2,500 full-batch steps:
  the package's L_layer_model against the same loop in PyTorch.
Targets: our time <= 1.0x PyTorch's in float64 and <= 0.8x in float32. Timings depend on the machine and its load:
compare the ratios, which are measured side by side.
"""


import numpy as np
from common import median_seconds, print_ratio_table, benchmark_setup

from nnfromscratch.backward import L_model_backward
from nnfromscratch.data import random_mini_batches
from nnfromscratch.forward import L_model_forward
from nnfromscratch.initialization import initialize_parameters_deep
from nnfromscratch.training import L_layer_model, compute_model_cost, update_parameters

MLP_DIMS, MLP_SAMPLES, MLP_BATCH, MLP_LR = [784, 256, 128, 10], 60_000, 128, 0.01
CAT_DIMS, CAT_SAMPLES, CAT_STEPS, CAT_LR = [12288, 20, 7, 5, 1], 209, 2500, 0.0075


def ours_mlp_epoch(X, Y, dtype):
    parameters = {k: v.astype(dtype) for k, v in initialize_parameters_deep(MLP_DIMS, rng=0, scheme="he").items()}
    for batch_X, batch_Y in random_mini_batches(X, Y, MLP_BATCH, rng=1):
        AL, caches = L_model_forward(batch_X, parameters, output_activation="softmax")
        compute_model_cost(AL, batch_Y)
        grads = L_model_backward(AL, batch_Y, caches, output_activation="softmax", input_grad=False)
        parameters = update_parameters(parameters, grads, MLP_LR)
    return parameters


def torch_mlp_epoch(torch, X, y, dtype):
    weights = [torch.randn(n, n_prev, dtype=dtype) * (2 / n_prev) ** 0.5 for n_prev, n in zip(MLP_DIMS, MLP_DIMS[1:])]
    params = [p for W in weights for p in (W.requires_grad_(), torch.zeros(W.shape[0], dtype=dtype, requires_grad=True))]
    order = torch.randperm(X.shape[0])
    X, y = X[order], y[order]
    for start in range(0, X.shape[0], MLP_BATCH):
        a = X[start:start + MLP_BATCH]
        for l in range(0, len(params), 2):
            a = torch.nn.functional.linear(a, params[l], params[l + 1])
            if l < len(params) - 2:
                a = torch.relu(a)
        loss = torch.nn.functional.cross_entropy(a, y[start:start + MLP_BATCH])
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= MLP_LR * g
    return params


def ours_cat(X, Y, dtype):
    return L_layer_model(X, Y, CAT_DIMS, learning_rate=CAT_LR, num_iterations=CAT_STEPS, rng=1, init="xavier",
                         progress=False, dtype=dtype)


def torch_cat(torch, X, y, dtype):
    params = []
    for n_prev, n in zip(CAT_DIMS, CAT_DIMS[1:]):
        params += [(torch.randn(n, n_prev, dtype=dtype) / n_prev ** 0.5).requires_grad_(),
                   torch.zeros(n, dtype=dtype, requires_grad=True)]
    for _ in range(CAT_STEPS):
        a = X
        for l in range(0, len(params), 2):
            a = torch.nn.functional.linear(a, params[l], params[l + 1])
            a = torch.relu(a) if l < len(params) - 2 else a
        loss = torch.nn.functional.binary_cross_entropy_with_logits(a[:, 0], y)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= CAT_LR * g
    return params


def main():
    args, torch = benchmark_setup(__doc__.split("\n")[0], default_repeats=3)
    rng = np.random.default_rng(0)
    X_mlp, y_mlp = rng.standard_normal((MLP_DIMS[0], MLP_SAMPLES)), rng.integers(0, 10, size=(1, MLP_SAMPLES))
    X_cat, y_cat = rng.random((CAT_DIMS[0], CAT_SAMPLES)), (rng.random((1, CAT_SAMPLES)) > 0.5).astype(float)
    rows = []
    for dtype, target in [(np.float64, 1.0), (np.float32, 0.8)]:
        torch_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype] if torch else None
        Xm = X_mlp.astype(dtype)
        ours = median_seconds(lambda: ours_mlp_epoch(Xm, y_mlp, dtype), args.repeats)
        theirs = None
        if torch:
            tX, ty = torch.from_numpy(np.ascontiguousarray(Xm.T)), torch.from_numpy(y_mlp[0])
            theirs = median_seconds(lambda: torch_mlp_epoch(torch, tX, ty, torch_dtype), args.repeats)
        rows.append((f"MLP 784-256-128-10, batch 128, one epoch of 60,000, {np.dtype(dtype).name}", ours, theirs, target))
        Xc = X_cat.astype(dtype)
        ours = median_seconds(lambda: ours_cat(Xc, y_cat, dtype), args.repeats)
        theirs = None
        if torch:
            tX, ty = torch.from_numpy(np.ascontiguousarray(Xc.T)), torch.from_numpy(y_cat[0].astype(dtype))
            theirs = median_seconds(lambda: torch_cat(torch, tX, ty, torch_dtype), args.repeats)
        rows.append((f"cat-sized [12288, 20, 7, 5, 1], 209 examples, 2,500 steps, {np.dtype(dtype).name}", ours, theirs,
                     target))
    print_ratio_table(rows, unit="s")


if __name__ == "__main__":
    main()
