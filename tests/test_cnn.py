"""Chapter 10: CNN layers (nnfromscratch.cnn)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import layer_error

from nnfromscratch.backward import numerical_gradient, relative_error
from nnfromscratch.cnn import (
    Solver, ThreeLayerConvNet, affine_backward, affine_forward, affine_relu_backward, affine_relu_forward,
    avg_pool_backward, avg_pool_forward, conv_backward, conv_backward_naive, conv_forward, conv_forward_naive,
    conv_output_size, conv_relu_backward, conv_relu_forward, conv_relu_pool_backward, conv_relu_pool_forward,
    max_pool_backward, max_pool_backward_naive, max_pool_forward, max_pool_forward_naive, relu_forward, softmax_loss,
    svm_loss,
)
from nnfromscratch.optimizers import Adam

TOLERANCE = 1e-7


@st.composite
def conv_geometry(draw):
    """A valid (x shape, w shape, conv_param): sizes chosen so that the windows tile the padded input."""
    N, C, F = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    HH, WW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    H_out, W_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    H = (H_out - 1) * stride + HH - 2 * pad
    W = (W_out - 1) * stride + WW - 2 * pad
    if H < 1 or W < 1:
        pad = 0
        H, W = (H_out - 1) * stride + HH, (W_out - 1) * stride + WW
    return (N, C, H, W), (F, C, HH, WW), {"stride": stride, "pad": pad}


@st.composite
def pool_geometry(draw):
    N, C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw, stride = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H_out, W_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    shape = (N, C, (H_out - 1) * stride + ph, (W_out - 1) * stride + pw)
    return shape, {"pool_height": ph, "pool_width": pw, "stride": stride}


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------------- hand-checkable forwards

def test_conv_forward_by_hand():
    image = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out, _ = conv_forward(image, np.ones((1, 1, 3, 3)), np.array([0.5]), {"stride": 1, "pad": 1})
    np.testing.assert_allclose(out[0, 0], [[12, 21, 16], [27, 45, 33], [24, 39, 28]] + np.array(0.5))
    out, _ = conv_forward(image, np.ones((1, 1, 2, 2)), np.zeros(1), stride=1, pad=0)  # keyword form
    np.testing.assert_allclose(out[0, 0], [[12, 16], [24, 28]])
    out, _ = conv_forward(image, np.ones((1, 1, 1, 1)), np.zeros(1), {"stride": 2, "pad": 0})
    np.testing.assert_allclose(out[0, 0], [[1, 3], [7, 9]])


def test_output_size_formula():
    assert conv_output_size(32, 7, 3, 1) == 32
    assert conv_output_size(7, 3, 1, 2) == 4
    with pytest.raises(ValueError, match=r"1 \+ \(8 \+ 2\*0 - 3\) / 2 is not an integer"):
        conv_output_size(8, 3, 0, 2)


def test_pools_by_hand_and_the_tie_policy():
    x = np.array([[[[1.0, 3.0, 2.0, 2.0], [3.0, 0.0, 1.0, 2.0], [0.0, 0.0, 5.0, 4.0], [0.0, 0.0, 4.0, 5.0]]]])
    pool = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out, cache = max_pool_forward(x, pool)
    np.testing.assert_array_equal(out[0, 0], [[3, 2], [0, 5]])
    # each window's gradient goes to its first maximum, in row-major order
    np.testing.assert_array_equal(max_pool_backward(np.ones_like(out), cache)[0, 0],
                                  [[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    np.testing.assert_allclose(avg_pool_forward(x, pool)[0][0, 0], [[1.75, 1.75], [0, 4.5]])


def test_affine_and_relu_by_hand():
    out, _ = affine_forward(np.array([[1.0, 2.0]]), np.array([[1.0], [-1.0]]), np.array([0.5]))
    np.testing.assert_allclose(out, [[-0.5]])
    np.testing.assert_array_equal(relu_forward(np.array([-1.0, 2.0]))[0], [0.0, 2.0])


def test_losses_by_hand():
    scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
    labels = np.array([0, 1, 2])
    assert svm_loss(scores, labels)[0] == pytest.approx((2.9 + 0 + 12.9) / 3)  # CS231n's worked example
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert softmax_loss(scores, labels)[0] == pytest.approx(-np.mean(np.log(p[[0, 1, 2], labels])))
    assert softmax_loss(np.zeros((4, 10)), np.arange(4))[0] == pytest.approx(np.log(10))


# ------------------------------------------------------------------------------- vectorized == naive

@settings(max_examples=60, deadline=None)
@given(geometry=conv_geometry(), seed=st.integers(0, 10**6))
def test_conv_vectorized_equals_naive(geometry, seed):
    x_shape, w_shape, conv_param = geometry
    rng = _rng(seed)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    out_naive, cache_naive = conv_forward_naive(x, w, b, conv_param)
    out_fast, cache_fast = conv_forward(x, w, b, conv_param)
    np.testing.assert_allclose(out_fast, out_naive, rtol=1e-10, atol=1e-12)
    dout = rng.standard_normal(out_naive.shape)
    for fast, naive in zip(conv_backward(dout, cache_fast), conv_backward_naive(dout, cache_naive)):
        np.testing.assert_allclose(fast, naive, rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(geometry=pool_geometry(), seed=st.integers(0, 10**6), ties=st.booleans())
def test_max_pool_vectorized_equals_naive(geometry, seed, ties):
    shape, pool_param = geometry
    rng = _rng(seed)
    x = rng.integers(0, 3, size=shape).astype(float) if ties else rng.standard_normal(shape)
    out_naive, cache_naive = max_pool_forward_naive(x, pool_param)
    out_fast, cache_fast = max_pool_forward(x, pool_param)
    np.testing.assert_array_equal(out_fast, out_naive)
    dout = rng.standard_normal(out_naive.shape)
    np.testing.assert_allclose(max_pool_backward(dout, cache_fast), max_pool_backward_naive(dout, cache_naive),
                               atol=1e-14)


def test_big_blocks_and_float32():
    rng = _rng(3)
    x, w, b = rng.standard_normal((9, 3, 10, 10)), rng.standard_normal((4, 3, 5, 5)), rng.standard_normal(4)
    out, cache = conv_forward(x, w, b, {"stride": 1, "pad": 2})          # several im2col blocks
    out_naive, _ = conv_forward_naive(x, w, b, {"stride": 1, "pad": 2})
    np.testing.assert_allclose(out, out_naive, rtol=1e-10, atol=1e-12)
    out32, cache32 = conv_forward(x.astype(np.float32), w.astype(np.float32), b.astype(np.float32), stride=1, pad=2)
    assert out32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv_backward(out32, cache32))
    np.testing.assert_allclose(out32, out, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("stride, pad", [(1, 2), (2, 1)])
def test_blocks_with_a_partial_last_block_equal_the_loops(monkeypatch, stride, pad):
    """9 examples in blocks of 2 (the last holds one): every block's columns, dw sums and dx writes line up."""
    import nnfromscratch.cnn as cnn
    rng = _rng(4)
    x, w, b = rng.standard_normal((9, 2, 7, 7)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    out_naive, cache_naive = conv_forward_naive(x, w, b, stride=stride, pad=pad)
    H_out = out_naive.shape[2]
    W_row = 7 + 2 * pad if stride == 1 else H_out
    monkeypatch.setattr(cnn, "_BLOCK_BYTES", 2 * (2 * 9) * H_out * W_row * 8)   # two examples' columns per block
    out, cache = conv_forward(x, w, b, stride=stride, pad=pad)
    np.testing.assert_allclose(out, out_naive, rtol=1e-12, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    for fast, slow in zip(conv_backward(dout, cache), conv_backward_naive(dout, cache_naive)):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)
    flat = cnn._flat_planes(x, pad, 2 if stride == 1 else 0)
    assert cnn._examples_per_block(flat, 2 * 9 * H_out * W_row) == 2


# ----------------------------------------------------------------------------- centred differences

@settings(max_examples=20, deadline=None)
@given(geometry=conv_geometry(), seed=st.integers(0, 10**6), naive=st.booleans())
def test_conv_backward_matches_centred_differences(geometry, seed, naive):
    x_shape, w_shape, conv_param = geometry
    rng = _rng(seed)
    inputs = [rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])]
    forward, backward = (conv_forward_naive, conv_backward_naive) if naive else (conv_forward, conv_backward)
    assert layer_error(lambda x, w, b: forward(x, w, b, conv_param), backward, inputs, _rng(7)) < TOLERANCE


@settings(max_examples=20, deadline=None)
@given(geometry=pool_geometry(), seed=st.integers(0, 10**6))
def test_pool_backwards_match_centred_differences(geometry, seed):
    shape, pool_param = geometry
    x = _rng(seed).standard_normal(shape)  # continuous values: no ties, so max pooling is differentiable here
    for forward, backward in [(max_pool_forward, max_pool_backward), (max_pool_forward_naive, max_pool_backward_naive),
                              (avg_pool_forward, avg_pool_backward)]:
        assert layer_error(lambda x_: forward(x_, pool_param), backward, [x], _rng(7)) < TOLERANCE


@settings(max_examples=20, deadline=None)
@given(N=st.integers(1, 4), dims=st.tuples(st.integers(1, 3), st.integers(1, 3)), M=st.integers(1, 5),
       seed=st.integers(0, 10**6))
def test_affine_backwards_match_centred_differences(N, dims, M, seed):
    rng = _rng(seed)
    inputs = [rng.standard_normal((N,) + dims), rng.standard_normal((dims[0] * dims[1], M)), rng.standard_normal(M)]
    assert layer_error(affine_forward, affine_backward, inputs, _rng(7)) < TOLERANCE
    assert layer_error(affine_relu_forward, affine_relu_backward, inputs, _rng(7)) < TOLERANCE


def test_conv_sandwiches_match_centred_differences():
    rng = _rng(5)
    inputs = [rng.standard_normal((2, 2, 6, 6)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)]
    conv_param, pool_param = {"stride": 1, "pad": 1}, {"pool_height": 2, "pool_width": 2, "stride": 2}
    assert layer_error(lambda x, w, b: conv_relu_forward(x, w, b, conv_param), conv_relu_backward, inputs,
                       _rng(7)) < TOLERANCE
    assert layer_error(lambda x, w, b: conv_relu_pool_forward(x, w, b, conv_param, pool_param),
                       conv_relu_pool_backward, inputs, _rng(7)) < TOLERANCE


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 5), K=st.integers(2, 5), seed=st.integers(0, 10**6))
def test_losses_match_centred_differences(N, K, seed):
    rng = _rng(seed)
    x, y = rng.standard_normal((N, K)), rng.integers(0, K, size=N)
    for loss_fn in (softmax_loss, svm_loss):
        numerical = numerical_gradient(lambda s: loss_fn(s, y)[0], x.copy())
        assert relative_error(loss_fn(x, y)[1], numerical) < TOLERANCE


def test_convnet_gradients_match_centred_differences():
    model = ThreeLayerConvNet(input_dim=(2, 6, 6), num_filters=3, filter_size=3, hidden_dim=5, num_classes=4,
                              weight_scale=0.3, reg=0.05, rng=0)
    rng = _rng(1)
    X, y = rng.standard_normal((3, 2, 6, 6)), rng.integers(0, 4, size=3)
    _, grads = model.loss(X, y)
    for key, value in model.params.items():
        def J(p, key=key):
            saved = model.params[key]
            model.params[key] = p
            try:
                return model.loss(X, y)[0]
            finally:
                model.params[key] = saved
        assert relative_error(grads[key], numerical_gradient(J, value.copy())) < TOLERANCE, key


def test_solver_trains_a_convnet_on_an_easy_problem():
    rng = _rng(2)
    X = rng.standard_normal((120, 1, 4, 4))
    y = (X[:, 0, :2].sum(axis=(1, 2)) > X[:, 0, 2:].sum(axis=(1, 2))).astype(int)
    model = ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=4, filter_size=3, hidden_dim=16, num_classes=2,
                              weight_scale=0.3, rng=0)
    solver = Solver(model, {"X_train": X, "y_train": y, "X_val": X, "y_val": y}, Adam(1e-2), num_epochs=30,
                    batch_size=20, rng=0, progress=False).train()
    assert solver.val_acc_history[-1] > 0.95
    assert solver.loss_history[-1] < solver.loss_history[0]


# ------------------------------------------------------------------------------------- PyTorch parity

@settings(max_examples=25, deadline=None)
@given(geometry=conv_geometry(), seed=st.integers(0, 10**6))
def test_conv_matches_torch(geometry, seed):
    torch = pytest.importorskip("torch")
    x_shape, w_shape, conv_param = geometry
    rng = _rng(seed)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    out, cache = conv_forward(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=conv_param["stride"], padding=conv_param["pad"])
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in zip(conv_backward(dout, cache), (tx.grad, tw.grad, tb.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(geometry=pool_geometry(), seed=st.integers(0, 10**6), ties=st.booleans())
def test_max_pool_matches_torch_including_ties(geometry, seed, ties):
    torch = pytest.importorskip("torch")
    shape, pool_param = geometry
    rng = _rng(seed)
    x = rng.integers(0, 3, size=shape).astype(float) if ties else rng.standard_normal(shape)
    out, cache = max_pool_forward(x, pool_param)
    dout = rng.standard_normal(out.shape)
    tx = torch.tensor(x, requires_grad=True)
    tout = torch.nn.functional.max_pool2d(tx, (pool_param["pool_height"], pool_param["pool_width"]),
                                          stride=pool_param["stride"])
    tout.backward(torch.tensor(dout))
    np.testing.assert_array_equal(out, tout.detach().numpy())
    np.testing.assert_allclose(max_pool_backward(dout, cache), tx.grad.numpy(), atol=1e-14)


# ---------------------------------------------------------------------------------------- bad input

W3 = np.zeros((2, 3, 3, 3))


@pytest.mark.parametrize("call, message", [
    (lambda: conv_forward(np.zeros((3, 8, 8)), W3, np.zeros(2), {"stride": 1, "pad": 1}), r"x must be 4-D \(N, C, H, W\); got shape \(3, 8, 8\)"),
    (lambda: conv_forward_naive(np.zeros((1, 2, 8, 8)), W3, np.zeros(2), {"stride": 1, "pad": 1}), "x has 2 channels"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), np.zeros((2, 3, 3)), np.zeros(2), {"stride": 1, "pad": 1}), "w must be 4-D"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), W3, np.zeros(3), {"stride": 1, "pad": 1}), r"b has shape \(3,\); expected \(2,\)"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), W3, np.zeros(2), {"stride": 0, "pad": 1}), "stride must be a positive integer; got 0"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), W3, np.zeros(2), {"stride": -1, "pad": 1}), "stride must be a positive integer"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), W3, np.zeros(2), {"stride": 1, "pad": -1}), "pad must be a non-negative integer; got -1"),
    (lambda: conv_forward(np.zeros((1, 3, 8, 8)), W3, np.zeros(2), {"stride": 2, "pad": 1}), "is not an integer"),
    (lambda: conv_forward(np.zeros((1, 3, 2, 2)), W3, np.zeros(2), {"stride": 1, "pad": 0}), "larger than the padded input"),
    (lambda: max_pool_forward(np.zeros((1, 1, 3, 3)), {"pool_height": 4, "pool_width": 4, "stride": 1}), "larger than the input"),
    (lambda: max_pool_forward_naive(np.zeros((1, 1, 5, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}), "is not an integer"),
    (lambda: avg_pool_forward(np.zeros((1, 5, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}), "x must be 4-D"),
    (lambda: max_pool_forward(np.zeros((1, 1, 4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 0}), "stride must be a positive"),
    (lambda: softmax_loss(np.zeros((2, 3)), np.array([0, 3])), r"labels must lie in \[0, 3\)"),
    (lambda: svm_loss(np.zeros((2, 3)), np.array([-1, 0])), r"labels must lie in \[0, 3\)"),
    (lambda: softmax_loss(np.zeros((2, 3)), np.array([0, 1, 2])), r"y has shape \(3,\); expected \(2,\)"),
    (lambda: svm_loss(np.zeros((2, 3)), np.array([0.0, 1.0])), "integer labels"),
    (lambda: affine_forward(np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(5)), r"x flattens to \(2, 3\) but w has shape \(4, 5\)"),
    (lambda: affine_forward(np.zeros((2, 3)), np.zeros((3, 5)), np.zeros(4)), r"b has shape \(4,\); expected \(5,\)"),
    (lambda: ThreeLayerConvNet(input_dim=(1, 8, 8), filter_size=4), "filter_size must be odd"),
    (lambda: ThreeLayerConvNet(input_dim=(1, 7, 8), filter_size=3), "even H and W"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
