"""Chapter 11: batch, layer and group normalization, and FullyConnectedNet.

Expected values come from PyTorch (when installed), from formulas written here independently of the package, or
from the two backward passes of batch norm checked against each other. The centred-difference checks of every
backward are in test_gradient_checks.py.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from checks import assert_raises_naming

from nnfromscratch.cnn import Solver, softmax_loss
from nnfromscratch.normalization import (FullyConnectedNet, affine_norm_relu_backward, affine_norm_relu_forward,
                                         batchnorm_backward, batchnorm_backward_alt, batchnorm_backward_fast,
                                         batchnorm_forward, batchnorm_forward_fast, layernorm_backward,
                                         layernorm_forward, normalize, normalize_backward, spatial_batchnorm_backward,
                                         spatial_batchnorm_backward_fast, spatial_batchnorm_forward,
                                         spatial_batchnorm_forward_fast, spatial_groupnorm_backward,
                                         spatial_groupnorm_forward)
from nnfromscratch.optimizers import Adam

EPS = 1e-5


def by_hand(x, axis, gamma, beta):
    """gamma * (x - mean) / sqrt(var + eps) + beta, written out with the biased variance."""
    count = x.size // x.sum(axis=axis, keepdims=True).size
    mean = x.sum(axis=axis, keepdims=True) / count
    var = ((x - mean) ** 2).sum(axis=axis, keepdims=True) / count
    return gamma * (x - mean) / np.sqrt(var + EPS) + beta


@pytest.fixture
def rng():
    return np.random.default_rng(11)


# ------------------------------------------------------------------------------------------- the layers by hand

def test_batchnorm_train_mode_normalizes_columns_and_updates_the_running_averages_in_the_given_dict(rng):
    x, gamma, beta = rng.normal(3, 2, (8, 5)), rng.standard_normal(5), rng.standard_normal(5)
    bn_param = {"mode": "train", "momentum": 0.8}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, by_hand(x, 0, gamma, beta), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bn_param["running_mean"], 0.2 * x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn_param["running_var"], 0.2 * x.var(axis=0), rtol=1e-12)
    x2 = rng.normal(-1, 1, (8, 5))
    batchnorm_forward(x2, gamma, beta, bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.8 * 0.2 * x.mean(axis=0) + 0.2 * x2.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn_param["running_var"], 0.8 * 0.2 * x.var(axis=0) + 0.2 * x2.var(axis=0), rtol=1e-12)


def test_batchnorm_test_mode_uses_the_running_averages_and_changes_nothing(rng):
    x, gamma, beta = rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(3)
    mean, var = np.array([0.5, -1.0, 2.0]), np.array([1.0, 4.0, 0.25])
    bn_param = {"mode": "test", "running_mean": mean.copy(), "running_var": var.copy()}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - mean) / np.sqrt(var + EPS) + beta, rtol=1e-12)
    assert np.array_equal(bn_param["running_mean"], mean) and np.array_equal(bn_param["running_var"], var)
    dout = rng.standard_normal(x.shape)
    for backward in (batchnorm_backward, batchnorm_backward_alt):   # constants: dx = dout * gamma / std
        dx, dgamma, dbeta = backward(dout, cache)
        np.testing.assert_allclose(dx, dout * gamma / np.sqrt(var + EPS), rtol=1e-12)
        np.testing.assert_allclose(dbeta, dout.sum(axis=0), rtol=1e-12)


def test_batchnorm_test_mode_without_running_averages_uses_zeros_as_cs231n(rng):
    x = rng.standard_normal((3, 2))
    out, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), {"mode": "test"})
    np.testing.assert_allclose(out, x / np.sqrt(EPS), rtol=1e-12)


@pytest.mark.parametrize("shape", [(2, 1), (5, 4), (17, 9), (64, 3)])
def test_the_graph_and_the_closed_form_backward_agree(rng, shape):
    x = rng.normal(1, 3, shape)
    gamma, beta, dout = rng.standard_normal(shape[1]), rng.standard_normal(shape[1]), rng.standard_normal(shape)
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    for graph, closed in zip(batchnorm_backward(dout, cache), batchnorm_backward_alt(dout, cache)):
        np.testing.assert_allclose(graph, closed, rtol=1e-10, atol=1e-12)


def test_layernorm_is_per_example_and_accepts_a_mode_only_or_an_empty_param_dict(rng):
    x, gamma, beta = rng.normal(3, 2, (4, 6)), rng.standard_normal(6), rng.standard_normal(6)
    out, _ = layernorm_forward(x, gamma, beta, {"mode": "train"})
    np.testing.assert_allclose(out, by_hand(x, 1, gamma, beta), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(layernorm_forward(x, gamma, beta, {"mode": "test"})[0], out)
    np.testing.assert_array_equal(layernorm_forward(x, gamma, beta, {})[0], out)
    np.testing.assert_array_equal(layernorm_forward(x[2:3], gamma, beta, {})[0], out[2:3])   # batch of one


def test_layernorm_eps_is_used(rng):
    x = rng.standard_normal((2, 3)) * 1e-3                       # variance ~1e-6, comparable to eps
    out, _ = layernorm_forward(x, np.ones(3), np.zeros(3), {"eps": 1e-3})
    xc = x - x.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(out, xc / np.sqrt(x.var(axis=1, keepdims=True) + 1e-3), rtol=1e-12)


def test_layer_and_batch_norm_are_the_same_core_transposed(rng):
    """The chapter's remark on the course's layout: batch norm of x (N, D) is layer norm's statistics on x.T."""
    x = rng.standard_normal((5, 7))
    rows, *_ = normalize(x, 0, EPS)
    columns, *_ = normalize(x.T, 1, EPS)
    np.testing.assert_array_equal(rows, columns.T)
    dx_hat = rng.standard_normal(x.shape)
    np.testing.assert_allclose(normalize_backward(dx_hat, normalize(x, 0, EPS)[1]),
                               normalize_backward(dx_hat.T, normalize(x.T, 1, EPS)[1]).T, rtol=1e-12, atol=1e-14)


def test_spatial_batchnorm_normalizes_each_channel_over_batch_and_positions(rng):
    x, gamma, beta = rng.normal(2, 3, (3, 4, 5, 2)), rng.standard_normal(4), rng.standard_normal(4)
    bn_param = {"mode": "train"}
    out, _ = spatial_batchnorm_forward(x, gamma, beta, bn_param)
    expected = by_hand(x, (0, 2, 3), gamma[None, :, None, None], beta[None, :, None, None])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=(0, 2, 3)), rtol=1e-12)


def test_groupnorm_normalizes_contiguous_channel_groups_of_each_example(rng):
    x = rng.normal(1, 2, (2, 6, 3, 3))
    gamma, beta = rng.standard_normal((1, 6, 1, 1)), rng.standard_normal((1, 6, 1, 1))
    out, cache = spatial_groupnorm_forward(x, gamma, beta, 3, {})
    groups = [by_hand(x[:, 2 * g:2 * g + 2].reshape(2, -1), 1, 1.0, 0.0).reshape(2, 2, 3, 3) for g in range(3)]
    np.testing.assert_allclose(out, gamma * np.concatenate(groups, axis=1) + beta, rtol=1e-12, atol=1e-12)
    dx, dgamma, dbeta = spatial_groupnorm_backward(rng.standard_normal(x.shape), cache)
    assert dx.shape == x.shape and dgamma.shape == dbeta.shape == (1, 6, 1, 1)


def test_float32_stays_float32(rng):
    x = rng.standard_normal((6, 4)).astype(np.float32)
    g, b = np.ones(4, np.float32), np.zeros(4, np.float32)
    bn_param = {"mode": "train"}
    out, cache = batchnorm_forward(x, g, b, bn_param)
    assert out.dtype == np.float32 and bn_param["running_var"].dtype == np.float32
    assert all(a.dtype == np.float32 for a in batchnorm_backward_alt(np.ones_like(out), cache))
    out, cache = layernorm_forward(x, g, b, {})
    assert out.dtype == np.float32 and layernorm_backward(np.ones_like(out), cache)[0].dtype == np.float32


# ------------------------------------------------------------------------------- the fast batch norm (Going faster)

@pytest.mark.parametrize("mode", ["train", "test"])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("shape", [(7, 5), (3, 4, 2, 5), (2, 3, 1, 1),
                                   (64, 2048), (128, 4, 16, 16)])     # the last two: several examples per row
def test_fast_batchnorm_agrees_with_the_readable_one_and_leaves_its_arguments_alone(rng, shape, dtype, tol, mode):
    C = shape[1]
    x, dout = rng.normal(3, 2, shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
    gamma, beta = rng.standard_normal(C).astype(dtype), rng.standard_normal(C).astype(dtype)
    running = {"running_mean": rng.standard_normal(C).astype(dtype),
               "running_var": rng.uniform(0.5, 2, C).astype(dtype), "momentum": 0.8}
    pairs = BN_PAIRS if len(shape) == 2 else SPATIAL_PAIRS
    results = {}
    for kind, (forward, backward) in pairs.items():
        inputs = [a.copy() for a in (x, gamma, beta, dout)]
        param = {"mode": mode, **running}
        out, cache = forward(*inputs[:3], param)
        grads = backward(inputs[3], cache)
        for given, original in zip(inputs, (x, gamma, beta, dout)):
            np.testing.assert_array_equal(given, original)          # nothing written into the caller's arrays
        results[kind] = [out, *grads, param["running_mean"], param["running_var"]]
    for readable, fast in zip(results["readable"], results["fast"]):
        assert fast.dtype == readable.dtype and fast.shape == readable.shape
        np.testing.assert_allclose(fast, readable, rtol=tol, atol=tol)


def test_the_row_view_holds_whole_examples_and_long_rows_only_for_large_batches():
    from nnfromscratch.normalization import _rows
    assert _rows(np.zeros((256, 1024, 1))).shape == (16, 16384)     # 16 examples of 1,024 numbers per row
    assert _rows(np.zeros((250, 1024, 1))).shape == (10, 25600)     # the smallest divisor of 250 that is >= 16
    assert _rows(np.zeros((128, 256, 1))).shape == (128, 256)       # 64 per row would be more than 128 / 8
    assert _rows(np.zeros((64, 32, 1024))).shape == (64, 32768)     # rows long enough already
    assert _rows(np.zeros((257, 1024, 1))).shape == (257, 1024)     # a prime batch: one example per row


def test_fast_batchnorm_takes_views_and_integers(rng):
    x = rng.normal(1, 2, (8, 12))
    view = x[::2, ::3]                                               # neither C- nor F-contiguous
    g, b = rng.standard_normal(4), rng.standard_normal(4)
    out, cache = batchnorm_forward_fast(view, g, b, {"mode": "train"})
    np.testing.assert_allclose(out, by_hand(view, 0, g, b), rtol=1e-12, atol=1e-12)
    dout = rng.standard_normal((8, 12))[1::2, ::3]
    expected = batchnorm_backward_alt(dout, batchnorm_forward(view, g, b, {"mode": "train"})[1])
    for got, want in zip(batchnorm_backward_fast(dout, cache), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    wide = np.asfortranarray(rng.normal(1, 2, (256, 1024)))          # columns contiguous, and rows of 16 examples
    g, b = rng.standard_normal(1024), rng.standard_normal(1024)
    np.testing.assert_allclose(batchnorm_forward_fast(wide, g, b, {"mode": "train"})[0], by_hand(wide, 0, g, b),
                               rtol=1e-10, atol=1e-10)
    images = np.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2)            # integers become float64
    out, _ = spatial_batchnorm_forward_fast(images, np.ones(3), np.zeros(3), {"mode": "train"})
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-12)


def test_the_network_uses_the_fast_batch_norm_and_trains_as_with_the_readable_one(rng, monkeypatch):
    import nnfromscratch.normalization as normalization
    X, y = rng.standard_normal((20, 6)), rng.integers(0, 3, 20)

    def loss_and_grads():
        model = FullyConnectedNet([5, 4], input_dim=6, num_classes=3, normalization="batchnorm", reg=0.05,
                                  weight_scale=0.5, dtype=np.float64, rng=0)
        return model.loss(X, y), model.norm_params

    assert normalization._NORM_LAYERS["batchnorm"] == (batchnorm_forward_fast, batchnorm_backward_fast)
    (fast_loss, fast_grads), fast_norm = loss_and_grads()
    monkeypatch.setitem(normalization._NORM_LAYERS, "batchnorm", (batchnorm_forward, batchnorm_backward_alt))
    (loss, grads), norm = loss_and_grads()
    assert fast_loss == pytest.approx(loss, rel=1e-12)
    for key in grads:
        np.testing.assert_allclose(fast_grads[key], grads[key], rtol=1e-10, atol=1e-12, err_msg=key)
    for fast_param, param in zip(fast_norm, norm):
        np.testing.assert_allclose(fast_param["running_var"], param["running_var"], rtol=1e-12)


# ------------------------------------------------------------------------------------------------- PyTorch

BN_PAIRS = {"readable": (batchnorm_forward, batchnorm_backward_alt), "fast": (batchnorm_forward_fast, batchnorm_backward_fast)}
SPATIAL_PAIRS = {"readable": (spatial_batchnorm_forward, spatial_batchnorm_backward),
                 "fast": (spatial_batchnorm_forward_fast, spatial_batchnorm_backward_fast)}


@pytest.mark.parametrize("kind", sorted(BN_PAIRS))
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 2e-4)])
def test_batchnorm_matches_torch_forward_backward_and_running_mean(rng, dtype, tol, kind):
    torch = pytest.importorskip("torch")
    batchnorm_forward, batchnorm_backward_alt = BN_PAIRS[kind]
    N, D = 16, 5
    x = rng.normal(2, 3, (N, D)).astype(dtype)
    gamma, beta, dout = (rng.standard_normal(s).astype(dtype) for s in (D, D, (N, D)))
    bn_param = {"mode": "train", "momentum": 0.9}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dx, dgamma, dbeta = batchnorm_backward_alt(dout, cache)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    running_mean, running_var = torch.zeros(D, dtype=tx.dtype), torch.zeros(D, dtype=tx.dtype)
    tout = torch.nn.functional.batch_norm(tx, running_mean, running_var, tg, tb, training=True, momentum=0.1, eps=EPS)
    tout.backward(torch.tensor(dout))
    for ours, theirs in [(out, tout), (dx, tx.grad), (dgamma, tg.grad), (dbeta, tb.grad)]:
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(bn_param["running_mean"], running_mean.numpy(), rtol=tol, atol=tol)
    # PyTorch averages the unbiased variance; CS231n (and this chapter) the biased one that normalizes the batch
    np.testing.assert_allclose(bn_param["running_var"], running_var.numpy() * (N - 1) / N, rtol=tol, atol=tol)
    test_out, _ = batchnorm_forward(x, gamma, beta, {**bn_param, "mode": "test"})
    ttest = torch.nn.functional.batch_norm(torch.tensor(x), torch.tensor(bn_param["running_mean"]),
                                           torch.tensor(bn_param["running_var"]), torch.tensor(gamma),
                                           torch.tensor(beta), training=False, eps=EPS)
    np.testing.assert_allclose(test_out, ttest.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("kind", sorted(SPATIAL_PAIRS))
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 2e-4)])
def test_spatial_batchnorm_matches_torch(rng, dtype, tol, kind):
    torch = pytest.importorskip("torch")
    spatial_batchnorm_forward, spatial_batchnorm_backward = SPATIAL_PAIRS[kind]
    x = rng.normal(1, 2, (3, 4, 5, 6)).astype(dtype)
    gamma, beta, dout = (rng.standard_normal(s).astype(dtype) for s in (4, 4, x.shape))
    out, cache = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    grads = spatial_batchnorm_backward(dout, cache)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    tout = torch.nn.functional.batch_norm(tx, None, None, tg, tb, training=True, eps=EPS)
    tout.backward(torch.tensor(dout))
    for ours, theirs in zip((out, *grads), (tout, tx.grad, tg.grad, tb.grad)):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 2e-4)])
def test_layernorm_matches_torch(rng, dtype, tol):
    torch = pytest.importorskip("torch")
    x = rng.normal(1, 2, (7, 9)).astype(dtype)
    gamma, beta, dout = (rng.standard_normal(s).astype(dtype) for s in (9, 9, x.shape))
    out, cache = layernorm_forward(x, gamma, beta, {"mode": "train"})
    grads = layernorm_backward(dout, cache)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    tout = torch.nn.functional.layer_norm(tx, (9,), tg, tb, eps=EPS)
    tout.backward(torch.tensor(dout))
    for ours, theirs in zip((out, *grads), (tout, tx.grad, tg.grad, tb.grad)):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("G", [1, 2, 6])
def test_groupnorm_matches_torch(rng, G):
    torch = pytest.importorskip("torch")
    x = rng.normal(1, 2, (3, 6, 4, 5))
    gamma, beta = rng.standard_normal((1, 6, 1, 1)), rng.standard_normal((1, 6, 1, 1))
    dout = rng.standard_normal(x.shape)
    out, cache = spatial_groupnorm_forward(x, gamma, beta, G, {})
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma.ravel(), beta.ravel()))
    tout = torch.nn.functional.group_norm(tx, G, tg, tb, eps=EPS)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dgamma.ravel(), tg.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dbeta.ravel(), tb.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fully_connected_net_matches_the_same_network_in_torch(rng, normalization):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    model = FullyConnectedNet([6, 5, 4], input_dim=8, num_classes=3, normalization=normalization, reg=0.3,
                              weight_scale=0.7, dtype=np.float64, rng=1)
    for key in model.params:                         # non-trivial gamma, beta and biases
        if not key.startswith("W"):
            model.params[key] = model.params[key] + rng.standard_normal(model.params[key].shape)
    X, y = rng.standard_normal((10, 8)), rng.integers(0, 3, 10)
    loss, grads = model.loss(X, y)
    p = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}
    h = torch.tensor(X)
    for l in range(1, 4):
        h = h @ p[f"W{l}"] + p[f"b{l}"]
        if normalization == "batchnorm":
            h = F.batch_norm(h, None, None, p[f"gamma{l}"], p[f"beta{l}"], training=True, eps=EPS)
        elif normalization == "layernorm":
            h = F.layer_norm(h, (h.shape[1],), p[f"gamma{l}"], p[f"beta{l}"], eps=EPS)
        h = F.relu(h)
    scores = h @ p["W4"] + p["b4"]
    tloss = F.cross_entropy(scores, torch.tensor(y)) + 0.5 * 0.3 * sum((p[f"W{l}"] ** 2).sum() for l in range(1, 5))
    tloss.backward()
    assert loss == pytest.approx(tloss.item(), rel=1e-12)
    assert set(grads) == set(model.params)
    for key, value in grads.items():
        np.testing.assert_allclose(value, p[key].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=key)
    if normalization != "batchnorm":                 # batch norm's test mode uses running averages, not the batch's
        np.testing.assert_allclose(model.loss(X), scores.detach().numpy(), rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------------------------------------ the network

def test_the_net_draws_only_the_weights_in_layer_order():
    model = FullyConnectedNet([4, 3], input_dim=5, num_classes=2, normalization="batchnorm", weight_scale=0.1,
                              dtype=np.float64, rng=7)
    reference = np.random.default_rng(7)
    for key, shape in [("W1", (5, 4)), ("W2", (4, 3)), ("W3", (3, 2))]:
        np.testing.assert_array_equal(model.params[key], 0.1 * reference.standard_normal(shape))
    assert sorted(model.params) == ["W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    assert np.all(model.params["gamma1"] == 1) and np.all(model.params["beta2"] == 0)
    assert all(v.dtype == np.float64 for v in model.params.values())
    generator = np.random.default_rng(8)                            # nothing else is drawn: the streams agree after
    FullyConnectedNet([4, 3], input_dim=5, num_classes=2, normalization="batchnorm", rng=generator)
    reference = np.random.default_rng(8)
    for shape in [(5, 4), (4, 3), (3, 2)]:
        reference.standard_normal(shape)
    assert generator.standard_normal() == reference.standard_normal()
    default = FullyConnectedNet([4], rng=0)
    assert default.params["W1"].shape == (3 * 32 * 32, 4) and default.params["W1"].dtype == np.float32


def test_reg_adds_half_lambda_times_the_squared_weights_only(rng):
    kwargs = dict(input_dim=4, num_classes=3, normalization="layernorm", weight_scale=0.5, dtype=np.float64, rng=2)
    X, y = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    plain, regular = FullyConnectedNet([3], reg=0.0, **kwargs), FullyConnectedNet([3], reg=0.7, **kwargs)
    for model in (plain, regular):
        model.params["gamma1"] = model.params["gamma1"] * 3.0       # would show up if gamma were regularized
    (loss0, grads0), (loss1, grads1) = plain.loss(X, y), regular.loss(X, y)
    weights = sum(np.sum(plain.params[k] ** 2) for k in ("W1", "W2"))
    assert loss1 == pytest.approx(loss0 + 0.5 * 0.7 * weights, rel=1e-12)
    np.testing.assert_allclose(grads1["W1"], grads0["W1"] + 0.7 * plain.params["W1"], rtol=1e-12)
    np.testing.assert_array_equal(grads1["gamma1"], grads0["gamma1"])


def test_scores_in_test_mode_and_the_data_loss_is_the_softmax_loss(rng):
    model = FullyConnectedNet([5], input_dim=4, num_classes=3, normalization="batchnorm", dtype=np.float64, rng=0)
    X, y = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    loss, _ = model.loss(X, y)                                       # train mode: sets the running averages
    assert model.norm_params[0]["running_mean"].shape == (5,)
    scores = model.loss(X)
    assert scores.shape == (6, 3) and model.norm_params[0]["mode"] == "test"
    assert model.predict(X, batch_size=4).shape == (6,)
    np.testing.assert_array_equal(model.predict(X, batch_size=4), scores.argmax(axis=1))
    h, _ = affine_norm_relu_forward(X, model.params["W1"], model.params["b1"], model.params["gamma1"],
                                    model.params["beta1"], {"mode": "train"})
    assert loss == pytest.approx(softmax_loss(h @ model.params["W2"] + model.params["b2"], y)[0], rel=1e-12)


def test_dropout_follows_each_hidden_relu_with_the_given_seed(rng):
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    kwargs = dict(input_dim=4, num_classes=3, weight_scale=0.5, dtype=np.float64, rng=3)
    with_dropout = FullyConnectedNet([6, 6], dropout_keep_ratio=0.5, seed=5, **kwargs)
    assert with_dropout.loss(X, y)[0] == with_dropout.loss(X, y)[0]          # the seed fixes the masks
    without = FullyConnectedNet([6, 6], **kwargs)
    assert with_dropout.loss(X, y)[0] != without.loss(X, y)[0]
    np.testing.assert_array_equal(with_dropout.loss(X), without.loss(X))      # test mode: no dropout


def test_the_solver_trains_the_net_and_the_running_averages_are_saved_and_loaded(tmp_path, rng):
    regularization = pytest.importorskip("nnfromscratch.regularization")
    centres = rng.standard_normal((3, 10)) * 3
    y = rng.integers(0, 3, 300)
    X = centres[y] + rng.standard_normal((300, 10))
    data = {"X_train": X[:240], "y_train": y[:240], "X_val": X[240:], "y_val": y[240:]}
    model = FullyConnectedNet([16, 16, 16], input_dim=10, num_classes=3, normalization="batchnorm",
                              dtype=np.float64, rng=0)
    solver = Solver(model, data, optimizer=Adam(1e-2), num_epochs=5, batch_size=30, rng=0, progress=False).train()
    assert np.mean(solver.loss_history[-8:]) < 0.5 * solver.loss_history[0]
    assert solver.val_acc_history[-1] > 0.9
    path = tmp_path / "net.h5"
    regularization.save_parameters(path, {**model.params, **model.running_averages()})
    saved, _ = regularization.load_parameters(path)
    clone = FullyConnectedNet([16, 16, 16], input_dim=10, num_classes=3, normalization="batchnorm", dtype=np.float64)
    clone.params = {key: saved[key] for key in clone.params}
    clone.set_running_averages({key: saved[key] for key in saved if key.startswith("running_")})
    np.testing.assert_array_equal(clone.loss(data["X_val"]), model.loss(data["X_val"]))


# ---------------------------------------------------------------------------------------------- bad input

X2, G3, B3 = np.zeros((4, 3)), np.ones(3), np.zeros(3)
X4, G4, B4 = np.zeros((2, 6, 2, 2)), np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1))
_, BN_CACHE = batchnorm_forward(np.arange(12.0).reshape(4, 3), G3, B3, {"mode": "train"})
_, SANDWICH_CACHE = affine_norm_relu_forward(np.arange(12.0).reshape(4, 3), np.ones((3, 2)), np.zeros(2), np.ones(2),
                                             np.zeros(2), {"mode": "train"}, "layernorm")
_, FAST_BN_CACHE = batchnorm_forward_fast(np.arange(12.0).reshape(4, 3), G3, B3, {"mode": "train"})
_, FAST_SBN_CACHE = spatial_batchnorm_forward_fast(np.arange(48.0).reshape(2, 6, 2, 2), np.ones(6), np.zeros(6),
                                                   {"mode": "train"})
NET = dict(input_dim=3, num_classes=2)

BAD_INPUT = [
    ("bn mode eval", lambda: batchnorm_forward(X2, G3, B3, {"mode": "eval"}), ValueError, "bn_param['mode']"),
    ("bn mode missing", lambda: batchnorm_forward(X2, G3, B3, {}), KeyError, "mode"),
    ("bn unknown key", lambda: batchnorm_forward(X2, G3, B3, {"mode": "train", "momentun": 0.9}), KeyError, "momentun"),
    ("bn gamma shape", lambda: batchnorm_forward(X2, np.ones(4), B3, {"mode": "train"}), ValueError, "gamma"),
    ("bn beta shape", lambda: batchnorm_forward(X2, G3, np.zeros((1, 3)), {"mode": "train"}), ValueError, "beta"),
    ("bn one example", lambda: batchnorm_forward(X2[:1], G3, B3, {"mode": "train"}), ValueError, "single example"),
    ("bn eps", lambda: batchnorm_forward(X2, G3, B3, {"mode": "train", "eps": -1e-5}), ValueError, "bn_param['eps']"),
    ("bn momentum", lambda: batchnorm_forward(X2, G3, B3, {"mode": "train", "momentum": 1.5}), ValueError,
     "bn_param['momentum']"),
    ("bn running shape", lambda: batchnorm_forward(X2, G3, B3, {"mode": "test", "running_mean": np.zeros(4)}),
     ValueError, "bn_param['running_mean']"),
    ("bn x 3-D", lambda: batchnorm_forward(np.zeros((2, 3, 1)), G3, B3, {"mode": "train"}), ValueError,
     "x must be 2-D"),
    ("bn param not dict", lambda: batchnorm_forward(X2, G3, B3, "train"), TypeError, "bn_param"),
    ("bn dout shape", lambda: batchnorm_backward(np.zeros((3, 3)), BN_CACHE), ValueError, "dout"),
    ("bn alt dout shape", lambda: batchnorm_backward_alt(np.zeros((4, 2)), BN_CACHE), ValueError, "dout"),
    ("fast bn mode eval", lambda: batchnorm_forward_fast(X2, G3, B3, {"mode": "eval"}), ValueError,
     "bn_param['mode']"),
    ("fast bn unknown key", lambda: batchnorm_forward_fast(X2, G3, B3, {"mode": "train", "momentun": 0.9}), KeyError,
     "momentun"),
    ("fast bn gamma shape", lambda: batchnorm_forward_fast(X2, np.ones(4), B3, {"mode": "train"}), ValueError, "gamma"),
    ("fast bn one example", lambda: batchnorm_forward_fast(X2[:1], G3, B3, {"mode": "train"}), ValueError,
     "single example"),
    ("fast bn running shape", lambda: batchnorm_forward_fast(X2, G3, B3, {"mode": "test", "running_var": np.ones(2)}),
     ValueError, "bn_param['running_var']"),
    ("fast bn x 4-D", lambda: batchnorm_forward_fast(X4, np.ones(6), np.zeros(6), {"mode": "train"}), ValueError,
     "x must be 2-D"),
    ("fast bn dout shape", lambda: batchnorm_backward_fast(np.zeros((4, 2)), FAST_BN_CACHE), ValueError, "dout"),
    ("fast sbn x 2-D", lambda: spatial_batchnorm_forward_fast(X2, G3, B3, {"mode": "train"}), ValueError,
     "(N, C, H, W)"),
    ("fast sbn one value per channel", lambda: spatial_batchnorm_forward_fast(np.zeros((1, 2, 1, 1)), np.ones(2),
                                                                               np.zeros(2), {"mode": "train"}),
     ValueError, "single example"),
    ("fast sbn dout shape", lambda: spatial_batchnorm_backward_fast(np.zeros((2, 6, 2, 1)), FAST_SBN_CACHE), ValueError,
     "dout"),
    ("ln mode", lambda: layernorm_forward(X2, G3, B3, {"mode": "predict"}), ValueError, "ln_param['mode']"),
    ("ln unknown key", lambda: layernorm_forward(X2, G3, B3, {"running_mean": np.zeros(3)}), KeyError, "running_mean"),
    ("ln gamma shape", lambda: layernorm_forward(X2, np.ones((3, 1)), B3, {}), ValueError, "gamma"),
    ("ln dout shape", lambda: layernorm_backward(np.zeros((4, 4)), BN_CACHE), ValueError, "dout"),
    ("sbn x 2-D", lambda: spatial_batchnorm_forward(X2, G3, B3, {"mode": "train"}), ValueError, "(N, C, H, W)"),
    ("sbn gamma shape", lambda: spatial_batchnorm_forward(X4, np.ones(5), np.zeros(6), {"mode": "train"}),
     ValueError, "gamma"),
    ("sbn one value per channel", lambda: spatial_batchnorm_forward(np.zeros((1, 2, 1, 1)), np.ones(2), np.zeros(2),
                                                                     {"mode": "train"}), ValueError, "single example"),
    ("gn G does not divide C", lambda: spatial_groupnorm_forward(X4, G4, B4, 4, {}), ValueError, "G must divide"),
    ("gn G zero", lambda: spatial_groupnorm_forward(X4, G4, B4, 0, {}), ValueError, "G"),
    ("gn G float", lambda: spatial_groupnorm_forward(X4, G4, B4, 2.5, {}), TypeError, "G"),
    ("gn gamma (C,)", lambda: spatial_groupnorm_forward(X4, np.ones(6), B4, 2, {}), ValueError, "gamma"),
    ("gn beta shape", lambda: spatial_groupnorm_forward(X4, G4, np.zeros((1, 3, 1, 1)), 2, {}), ValueError, "beta"),
    ("gn unknown key", lambda: spatial_groupnorm_forward(X4, G4, B4, 2, {"groups": 2}), KeyError, "groups"),
    ("gn mode", lambda: spatial_groupnorm_forward(X4, G4, B4, 2, {"mode": "val"}), ValueError, "gn_param['mode']"),
    ("sandwich normalization", lambda: affine_norm_relu_forward(X2, np.ones((3, 2)), np.zeros(2), np.ones(2),
                                                                np.zeros(2), {}, "groupnorm"),
     ValueError, "normalization"),
    ("sandwich dout shape", lambda: affine_norm_relu_backward(np.zeros((4, 3)), SANDWICH_CACHE), ValueError, "dout"),
    ("net hidden_dims int", lambda: FullyConnectedNet(5, **NET), TypeError, "hidden_dims"),
    ("net hidden width 0", lambda: FullyConnectedNet([4, 0], **NET), ValueError, "hidden_dims[1]"),
    ("net input_dim", lambda: FullyConnectedNet([4], input_dim=0), ValueError, "input_dim"),
    ("net num_classes", lambda: FullyConnectedNet([4], input_dim=3, num_classes=1.5), TypeError, "num_classes"),
    ("net normalization", lambda: FullyConnectedNet([4], normalization="groupnorm", **NET), ValueError,
     "normalization"),
    ("net keep 0", lambda: FullyConnectedNet([4], dropout_keep_ratio=0, **NET), ValueError, "dropout_keep_ratio"),
    ("net keep 1.5", lambda: FullyConnectedNet([4], dropout_keep_ratio=1.5, **NET), ValueError, "dropout_keep_ratio"),
    ("net reg", lambda: FullyConnectedNet([4], reg=-0.1, **NET), ValueError, "reg"),
    ("net weight_scale", lambda: FullyConnectedNet([4], weight_scale=0.0, **NET), ValueError, "weight_scale"),
    ("net dtype", lambda: FullyConnectedNet([4], dtype=np.int64, **NET), ValueError, "dtype"),
    ("net seed", lambda: FullyConnectedNet([4], seed=-1, **NET), ValueError, "seed"),
    ("net rng", lambda: FullyConnectedNet([4], rng="zero", **NET), TypeError, "rng"),
    ("net averages missing", lambda: FullyConnectedNet([4], normalization="batchnorm", **NET).set_running_averages({}),
     KeyError, "running_mean1"),
    ("net averages shape", lambda: FullyConnectedNet([4], normalization="batchnorm", **NET).set_running_averages(
        {"running_mean1": np.zeros(3), "running_var1": np.ones(4)}), ValueError, "running_mean1"),
]


@pytest.mark.parametrize("call, exception, fragment", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input_raises_a_message_naming_the_argument(call, exception, fragment):
    assert_raises_naming(call, exception, fragment)


# ---------------------------------------------------------------------------------------------- benchmark

def test_the_benchmarks_products_only_row_multiplies_by_the_networks_own_weights():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_normalization
    net = bench_normalization.epoch_net(np.float64)
    weights = bench_normalization.epoch_product_weights(np.float64)
    assert len(weights) == net.num_layers
    for l, W in enumerate(weights, start=1):
        assert W.T.flags.c_contiguous and W.base is not None       # a transposed view of the weights, not a copy
        np.testing.assert_array_equal(W.T, net.params[f"W{l}"])      # the same initial weights (rng=0)


def test_the_benchmark_epochs_compute_the_same_training_step_in_both_libraries(monkeypatch):
    torch = pytest.importorskip("torch")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_normalization
    monkeypatch.setattr(bench_normalization, "EPOCH_SAMPLES", 256)
    X, y = bench_normalization.epoch_data(np.float64)
    ours = bench_normalization.ours_epoch(X, y, np.float64, steps=1)
    theirs = bench_normalization.torch_epoch(torch, X, y, torch.float64, steps=1)
    assert set(ours) == set(theirs)
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-9, atol=1e-12, err_msg=key)
