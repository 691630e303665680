"""Training throughput of the package's fully connected network against PyTorch (CPU), in the same run, as ratios.

    python -m pip install torch==2.13.0      # the benchmark's reference only; never a dependency of the package
    python benchmarks/bench_mlp.py [--repeats 3]

Two workloads, in float64 and float32:
* an MLP 784-256-128-10 (ReLU, softmax, cross-entropy), mini-batches of 128, one epoch of 60,000 random samples,
  plain gradient descent: the package's random_mini_batches, L_model_forward, the softmax cost, L_model_backward and
  update_parameters, against the same arithmetic in PyTorch (the same reshuffle, linear layers, cross-entropy,
  autograd and an SGD step);
* the course's cat-sized model: [12288, 20, 7, 5, 1] with a sigmoid output, 209 examples, 2,500 full-batch steps:
  the package's L_layer_model against the same loop in PyTorch.
The inputs are laid out as the course builds them, X = images.reshape(m, -1).T: shape (n_x, m), each example's
numbers contiguous. Those are the very bytes PyTorch reads as its (m, n_x) row-major input.

Every run happens in a process of its own (one warm-up, then the timed run), ours and PyTorch's alternately,
--repeats rounds: neither library's thread pool, allocator or caches are then left warm, or busy, by the other's
work. Each round gives one ratio, our time / PyTorch's, from two neighbouring runs; the table prints the median
ratio and the range. Targets: <= 1.0 in float64 and <= 0.8 in float32. Timings depend on the machine and its load:
compare the ratios, which are measured side by side.

Two more rows per dtype carry no target; they show what bounds the ratios on the machine at hand:
* floor_mlp_epoch, the MLP epoch as a minimal NumPy loop with no package, against PyTorch in the same way: how
  close NumPy's matrix products let any NumPy code come here;
* epoch_matrix_products, nothing but the epoch's matrix products, the same calls on NumPy arrays and on PyTorch
  tensors: NumPy's BLAS (OpenBLAS) against PyTorch's (MKL on x86), on the work that takes most of a NumPy epoch's
  time (60-70% of the minimal loop's here). The header names both libraries and the CPU: which BLAS is faster
  depends on the CPU, and so do all the ratios.
"""


import sys

import numpy as np
from common import alternate_in_processes, benchmark_setup, print_round_ratio_table, report_worker_seconds

from nnfromscratch.backward import L_model_backward
from nnfromscratch.data import random_mini_batches
from nnfromscratch.forward import L_model_forward
from nnfromscratch.initialization import initialize_parameters_deep
from nnfromscratch.training import L_layer_model, compute_model_cost, update_parameters

MLP_DIMS, MLP_SAMPLES, MLP_BATCH, MLP_LR = [784, 256, 128, 10], 60_000, 128, 0.01
CAT_DIMS, CAT_SAMPLES, CAT_STEPS, CAT_LR = [12288, 20, 7, 5, 1], 209, 2500, 0.0075


def mlp_parameters(dtype):
    """The MLP's initial parameters {"W1": (256, 784), "b1": (256, 1), ...} (He), in `dtype`: every run starts here."""
    return {key: value.astype(dtype) for key, value in initialize_parameters_deep(MLP_DIMS, rng=0, scheme="he").items()}


def mlp_weights(dtype):
    """The weights alone, [W1, W2, W3], of mlp_parameters(dtype)."""
    return [value for key, value in mlp_parameters(dtype).items() if key.startswith("W")]


def ours_mlp_epoch(X, Y, dtype):
    parameters = mlp_parameters(dtype)
    for batch_X, batch_Y in random_mini_batches(X, Y, MLP_BATCH, rng=1):
        AL, caches = L_model_forward(batch_X, parameters, output_activation="softmax")
        compute_model_cost(AL, batch_Y)
        grads = L_model_backward(AL, batch_Y, caches, output_activation="softmax", input_grad=False)
        parameters = update_parameters(parameters, grads, MLP_LR)
    return parameters


def floor_mlp_epoch(X, Y, dtype):
    """The same epoch as a minimal NumPy loop (the package only draws the initial weights): examples in rows (X.T,
    the same bytes), no checks, no caches, updates in place. Not a target: it shows how close to PyTorch NumPy's
    own matrix products allow any NumPy code to come on this machine."""
    W1, b1, W2, b2, W3, b3 = mlp_parameters(dtype).values()
    b1, b2, b3 = b1[:, 0], b2[:, 0], b3[:, 0]
    order = np.random.default_rng(1).permutation(X.shape[1])
    rows, labels = np.take(X.T, order, axis=0), Y[0, order]
    for start in range(0, rows.shape[0], MLP_BATCH):
        a0, y = rows[start:start + MLP_BATCH], labels[start:start + MLP_BATCH]
        examples = np.arange(len(y))
        z1 = a0 @ W1.T
        z1 += b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2.T
        z2 += b2
        a2 = np.maximum(z2, 0)
        p = a2 @ W3.T
        p += b3
        p -= p.max(axis=1, keepdims=True)
        np.exp(p, out=p)
        p /= p.sum(axis=1, keepdims=True)
        -np.log(p[examples, y]).mean()                          # the cost, as every batch of ours computes it
        p[examples, y] -= 1
        p /= len(y)                                             # dZ3, one row per example
        da2 = p @ W3
        da2 *= z2 > 0
        da1 = da2 @ W2
        da1 *= z1 > 0
        for W, b, dz, a in ((W3, b3, p, a2), (W2, b2, da2, a1), (W1, b1, da1, a0)):
            dW = dz.T @ a
            dW *= MLP_LR
            W -= dW
            b -= MLP_LR * dz.sum(axis=0)
    return W1, b1, W2, b2, W3, b3


def epoch_matrix_products(rows, weights):
    """Only the matrix products of one MLP epoch: per mini-batch a (128, n_x) of `rows` (m, n_x), the forward
    products a @ W.T, then from the output backwards the weight gradients dz.T @ a and the input gradients dz @ W
    (none for the first layer), with the outputs standing in for the gradients. These are the BLAS calls of the
    package (chapter 4's layer_matmul computes (A.T @ W.T).T for the course's layout, and linear_backward
    dZ @ A_prev.T) and of PyTorch's linear layers and autograd. rows and weights (n, n_prev) may be NumPy arrays or
    PyTorch tensors. Returns the last mini-batch's weight gradients, from the output layer down."""
    for start in range(0, rows.shape[0], MLP_BATCH):
        outputs = [rows[start:start + MLP_BATCH]]
        for W in weights:
            outputs.append(outputs[-1] @ W.T)
        dz, weight_grads = outputs[-1], []
        for l in reversed(range(len(weights))):
            weight_grads.append(dz.T @ outputs[l])
            if l:
                dz = dz @ weights[l]
    return weight_grads


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


def ours_cat(X, Y, dtype, steps=CAT_STEPS):
    return L_layer_model(X, Y, CAT_DIMS, learning_rate=CAT_LR, num_iterations=steps, rng=1, init="xavier",
                         progress=False, dtype=dtype)


def torch_cat(torch, X, y, dtype, steps=CAT_STEPS):
    params = []
    for n_prev, n in zip(CAT_DIMS, CAT_DIMS[1:]):
        params += [(torch.randn(n, n_prev, dtype=dtype) / n_prev ** 0.5).requires_grad_(),
                   torch.zeros(n, dtype=dtype, requires_grad=True)]
    for _ in range(steps):
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


def workload_data(workload, dtype):
    """The inputs (X (n_x, m), examples contiguous, and labels (1, m)), the same in every process."""
    rng = np.random.default_rng(0)
    if workload in ("mlp", "products"):
        return (rng.standard_normal((MLP_SAMPLES, MLP_DIMS[0])).astype(dtype, copy=False).T,
                rng.integers(0, 10, size=(1, MLP_SAMPLES)))
    return (rng.random((CAT_SAMPLES, CAT_DIMS[0])).astype(dtype, copy=False).T,
            (rng.random((1, CAT_SAMPLES)) > 0.5).astype(float))


def worker(library, workload, dtype_name):
    """Run one workload once to warm up (the cat model: 20 steps), then once timed; print the timed run's seconds."""
    dtype = np.dtype(dtype_name).type
    X, Y = workload_data(workload, dtype)
    weights = mlp_weights(dtype)
    if library == "ours":
        mlp_epoch, cat_steps = (lambda: ours_mlp_epoch(X, Y, dtype)), (lambda n: ours_cat(X, Y, dtype, n))
        products = lambda: epoch_matrix_products(X.T, weights)
    elif library == "floor":
        mlp_epoch, products = (lambda: floor_mlp_epoch(X, Y, dtype)), None
    else:
        import torch
        torch_dtype = getattr(torch, dtype_name)
        tX = torch.from_numpy(X.T)                                    # X.T is row-major: the same bytes, no copy
        ty_mlp, ty_cat = torch.from_numpy(Y[0]), torch.from_numpy(Y[0].astype(dtype))
        mlp_epoch = lambda: torch_mlp_epoch(torch, tX, ty_mlp, torch_dtype)
        cat_steps = lambda n: torch_cat(torch, tX, ty_cat, torch_dtype, n)
        torch_weights = [torch.from_numpy(W) for W in weights]
        products = lambda: epoch_matrix_products(tX, torch_weights)
    warm_up, timed = {"mlp": (mlp_epoch, mlp_epoch), "products": (products, products),
                      "cat": ((lambda: cat_steps(20)), (lambda: cat_steps(CAT_STEPS)))}[workload]
    report_worker_seconds(warm_up, timed)


def main():
    if sys.argv[1:2] == ["--worker"]:
        return worker(*sys.argv[2:5])
    args, torch = benchmark_setup(__doc__.split("\n")[0], default_repeats=3)
    mlp = "MLP 784-256-128-10, batch 128, one epoch of 60,000"
    rows = (("ours", "mlp", mlp), ("floor", "mlp", f"{mlp}: minimal NumPy loop, no target"),
            ("ours", "products", f"{mlp}: its matrix products only, no target"),
            ("ours", "cat", "cat-sized [12288, 20, 7, 5, 1], 209 examples, 2,500 steps"))
    cases, targets = [], {}
    for dtype in ("float64", "float32"):
        for library, workload, label in rows:
            name = f"{dtype}: {label}"
            cases.append((name, ([library, workload, dtype], ["torch", workload, dtype] if torch else None)))
            targets[name] = {"float64": 1.0, "float32": 0.8}[dtype] if "no target" not in label else None
    times = alternate_in_processes(__file__, cases, args.repeats)
    print_round_ratio_table([(name, *times[name], targets[name]) for name, _ in cases])


if __name__ == "__main__":
    main()
