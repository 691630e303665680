"""Chapter 10: CNN layers (nnfromscratch.cnn)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import assert_raises_naming, layer_error

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


@pytest.mark.parametrize("pool_param", [{"pool_height": 3, "pool_width": 3, "stride": 2},
                                        {"pool_height": 3, "pool_width": 2, "stride": 1}])
def test_overlapping_max_pool_backward_matches_centred_differences(pool_param):
    """Windows that overlap (S < ph): a pixel that is the maximum of several windows collects all their gradients."""
    x = _rng(3).standard_normal((2, 3, 7, 7))  # continuous values: no ties
    for forward, backward in [(max_pool_forward, max_pool_backward), (max_pool_forward_naive, max_pool_backward_naive)]:
        assert layer_error(lambda x_: forward(x_, pool_param), backward, [x], _rng(7)) < TOLERANCE


@settings(max_examples=20, deadline=None)
@given(N=st.integers(1, 4), dims=st.tuples(st.integers(1, 3), st.integers(1, 3)), M=st.integers(1, 5),
       seed=st.integers(0, 10**6))
def test_affine_backwards_match_centred_differences(N, dims, M, seed):
    rng = _rng(seed)
    inputs = [rng.standard_normal((N,) + dims), rng.standard_normal((dims[0] * dims[1], M)), rng.standard_normal(M)]
    assert layer_error(affine_forward, affine_backward, inputs, _rng(7)) < TOLERANCE
    assert layer_error(affine_relu_forward, affine_relu_backward, inputs, _rng(7)) < TOLERANCE


def test_affine_backward_without_dx_gives_the_same_dw_and_db_and_no_dx():
    rng = _rng(3)
    x, w, b, dout = rng.standard_normal((5, 2, 3)), rng.standard_normal((6, 4)), rng.standard_normal(4), \
        rng.standard_normal((5, 4))
    _, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)
    none, dw_only, db_only = affine_backward(dout, cache, need_dx=False)
    assert none is None and dx.shape == x.shape
    np.testing.assert_array_equal(dw_only, dw)
    np.testing.assert_allclose(dw, x.reshape(5, -1).T @ dout, rtol=1e-12)   # dout already carries the 1/N
    np.testing.assert_allclose(db, dout.sum(axis=0), rtol=1e-12)
    _, relu_cache = affine_relu_forward(x, w, b)
    assert affine_relu_backward(dout, relu_cache, need_dx=False)[0] is None


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
X3 = np.zeros((1, 3, 8, 8))


def _conv_cache(stride=2):
    """The cache of a stride-2 (or stride-1) convolution of a (1, 3, 9, 9) input with 2 filters 3x3, pad 1: output 5x5
    (or 9x9)."""
    return conv_forward(np.zeros((1, 3, 9, 9)), W3, np.zeros(2), {"stride": stride, "pad": 1})[1]


def _pool_cache(forward=max_pool_forward):
    return forward(np.arange(32.0).reshape(1, 2, 4, 4), {"pool_height": 2, "pool_width": 2, "stride": 2})[1]


def _model():
    return ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=2, filter_size=3, hidden_dim=3, num_classes=3, rng=0)


def _data(**changes):
    X, y = np.zeros((6, 1, 4, 4)), np.arange(6) % 3
    return {"X_train": X, "y_train": y, "X_val": X[:3], "y_val": y[:3], **changes}


# One row per bad input: (id, call, exception type, text the message must contain).
BAD_INPUT = [
    ("x 3-D", lambda: conv_forward(np.zeros((3, 8, 8)), W3, np.zeros(2), {"stride": 1, "pad": 1}), ValueError,
     "x must be 4-D; got shape (3, 8, 8)"),
    ("x channels", lambda: conv_forward_naive(np.zeros((1, 2, 8, 8)), W3, np.zeros(2), {"stride": 1, "pad": 1}),
     ValueError, "x has 2 channels"),
    ("x a string", lambda: conv_forward("image", W3, np.zeros(2)), TypeError, "x must be a numeric array"),
    ("x None", lambda: conv_forward(None, W3, np.zeros(2)), TypeError, "x must be a numeric array"),
    ("x empty", lambda: conv_forward(np.zeros((0, 3, 8, 8)), W3, np.zeros(2), pad=1), ValueError, "x must not be empty"),
    ("w 3-D", lambda: conv_forward(X3, np.zeros((2, 3, 3)), np.zeros(2), {"stride": 1, "pad": 1}), ValueError,
     "w must be 4-D"),
    ("b shape", lambda: conv_forward(X3, W3, np.zeros(3), {"stride": 1, "pad": 1}), ValueError,
     "b has shape (3,); expected (2,)"),
    ("stride 0", lambda: conv_forward(X3, W3, np.zeros(2), {"stride": 0, "pad": 1}), ValueError,
     "conv_param['stride'] must be in [1, inf); got 0"),
    ("stride -1 keyword", lambda: conv_forward(X3, W3, np.zeros(2), stride=-1, pad=1), ValueError,
     "stride must be in [1, inf)"),
    ("stride 1.5", lambda: conv_forward(X3, W3, np.zeros(2), {"stride": 1.5, "pad": 1}), TypeError,
     "conv_param['stride'] must be an integer"),
    ("pad -1", lambda: conv_forward(X3, W3, np.zeros(2), {"stride": 1, "pad": -1}), ValueError,
     "conv_param['pad'] must be in [0, inf); got -1"),
    ("pad string", lambda: conv_forward(X3, W3, np.zeros(2), {"stride": 1, "pad": "same"}), TypeError,
     "conv_param['pad'] must be an integer"),
    ("conv_param typo padding", lambda: conv_forward(X3, W3, np.zeros(2), {"padding": 1}), KeyError,
     "conv_param has unknown key(s) ['padding']; known keys: ['pad', 'stride']"),
    ("conv_param a list", lambda: conv_forward(X3, W3, np.zeros(2), [1, 1]), TypeError, "conv_param must be a dict"),
    ("windows do not tile", lambda: conv_forward(X3, W3, np.zeros(2), {"stride": 2, "pad": 1}), ValueError,
     "is not an integer"),
    ("window larger than input", lambda: conv_forward(np.zeros((1, 3, 2, 2)), W3, np.zeros(2), {"stride": 1, "pad": 0}),
     ValueError, "larger than the padded input"),
    ("conv dout one row short (stride 2)", lambda: conv_backward(np.zeros((1, 2, 4, 5)), _conv_cache()), ValueError,
     "dout has shape (1, 2, 4, 5); expected (1, 2, 5, 5)"),
    ("conv dout one column long (stride 2)", lambda: conv_backward(np.zeros((1, 2, 5, 6)), _conv_cache()), ValueError,
     "dout has shape (1, 2, 5, 6); expected (1, 2, 5, 5)"),
    ("conv dout larger (stride 1)", lambda: conv_backward(np.zeros((1, 2, 10, 10)), _conv_cache(1)), ValueError,
     "dout has shape (1, 2, 10, 10)"),
    ("conv dout broadcastable", lambda: conv_backward(np.zeros((1, 1, 5, 5)), _conv_cache()), ValueError,
     "expected (1, 2, 5, 5)"),
    ("conv_naive dout shape", lambda: conv_backward_naive(np.zeros((1, 2, 4, 4)), _conv_cache()), ValueError,
     "dout has shape (1, 2, 4, 4)"),
    ("conv dout complex", lambda: conv_backward(np.zeros((1, 2, 5, 5), complex), _conv_cache()), TypeError,
     "dout must be real"),
    ("conv dout a string", lambda: conv_backward("dout", _conv_cache()), TypeError, "dout must be a numeric array"),
    ("conv cache wrong", lambda: conv_backward(np.zeros((1, 2, 5, 5)), (1, 2)), TypeError,
     "cache must be the cache that conv_forward returned"),
    ("pool window larger", lambda: max_pool_forward(np.zeros((1, 1, 3, 3)), {"pool_height": 4, "pool_width": 4, "stride": 1}),
     ValueError, "larger than the input"),
    ("pool does not tile", lambda: max_pool_forward_naive(np.zeros((1, 1, 5, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     ValueError, "is not an integer"),
    ("avg pool x 3-D", lambda: avg_pool_forward(np.zeros((1, 5, 5)), {"pool_height": 2, "pool_width": 2, "stride": 2}),
     ValueError, "x must be 4-D"),
    ("pool stride 0", lambda: max_pool_forward(np.zeros((1, 1, 4, 4)), {"pool_height": 2, "pool_width": 2, "stride": 0}),
     ValueError, "pool_param['stride'] must be in [1, inf)"),
    ("pool_param typo pool_size", lambda: max_pool_forward(np.zeros((1, 1, 4, 4)), {"pool_size": 3}), KeyError,
     "pool_param has unknown key(s) ['pool_size']; known keys: ['pool_height', 'pool_width', 'stride']"),
    ("pool_height keyword 0", lambda: avg_pool_forward(np.zeros((1, 1, 4, 4)), pool_height=0), ValueError,
     "pool_height must be in [1, inf)"),
    ("max pool dout shape", lambda: max_pool_backward(np.zeros((1, 2, 3, 2)), _pool_cache()), ValueError,
     "dout has shape (1, 2, 3, 2); expected (1, 2, 2, 2)"),
    ("max pool naive dout shape", lambda: max_pool_backward_naive(np.zeros((1, 2, 2, 3)), _pool_cache(max_pool_forward_naive)),
     ValueError, "dout has shape (1, 2, 2, 3)"),
    ("avg pool dout broadcastable", lambda: avg_pool_backward(np.zeros((1, 1, 2, 2)), _pool_cache(avg_pool_forward)),
     ValueError, "expected (1, 2, 2, 2)"),
    ("softmax label 3 of 3", lambda: softmax_loss(np.zeros((2, 3)), np.array([0, 3])), ValueError,
     "y: labels must lie in [0, 3)"),
    ("svm label -1", lambda: svm_loss(np.zeros((2, 3)), np.array([-1, 0])), ValueError, "y: labels must lie in [0, 3)"),
    ("softmax y length", lambda: softmax_loss(np.zeros((2, 3)), np.array([0, 1, 2])), ValueError,
     "y has shape (3,); expected (2,)"),
    ("svm float labels", lambda: svm_loss(np.zeros((2, 3)), np.array([0.0, 1.0])), TypeError, "y must hold integer labels"),
    ("softmax labels None", lambda: softmax_loss(np.zeros((2, 3)), None), TypeError, "y must hold integer labels"),
    ("softmax x 1-D", lambda: softmax_loss(np.zeros(3), np.array([0])), ValueError, "x must be 2-D"),
    ("softmax NaN score", lambda: softmax_loss(np.array([[np.nan, 1.0]]), np.array([1])), ValueError,
     "x must hold only finite numbers"),
    ("svm infinite score", lambda: svm_loss(np.array([[np.inf, 1.0]]), np.array([1])), ValueError,
     "x must hold only finite numbers"),
    ("svm scores 2e308 apart", lambda: svm_loss(np.array([[-1e308, 1e308]]), np.array([0])), ValueError,
     "svm_loss: the loss of these scores exceeds"),
    ("affine w mismatch", lambda: affine_forward(np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(5)), ValueError,
     "x flattens to (2, 3) but w has shape (4, 5)"),
    ("affine b shape", lambda: affine_forward(np.zeros((2, 3)), np.zeros((3, 5)), np.zeros(4)), ValueError,
     "b has shape (4,); expected (5,)"),
    ("affine dout shape", lambda: affine_backward(np.zeros((2, 4)), affine_forward(np.zeros((2, 3)), np.zeros((3, 5)),
                                                                                   np.zeros(5))[1]),
     ValueError, "dout has shape (2, 4); expected (2, 5)"),
    ("affine_relu dout shape", lambda: affine_relu_backward(np.zeros((1, 5)), affine_relu_forward(
        np.zeros((2, 3)), np.zeros((3, 5)), np.zeros(5))[1]), ValueError, "dout has shape (1, 5); expected (2, 5)"),
    ("conv_relu dout shape", lambda: conv_relu_backward(np.zeros((1, 2, 4, 5)), conv_relu_forward(
        np.zeros((1, 3, 9, 9)), W3, np.zeros(2), {"stride": 2, "pad": 1})[1]), ValueError, "dout has shape (1, 2, 4, 5)"),
    ("conv_relu_pool dout shape", lambda: conv_relu_pool_backward(np.zeros((1, 2, 3, 3)), conv_relu_pool_forward(
        X3, W3, np.zeros(2), {"stride": 1, "pad": 1}, {})[1]), ValueError, "dout has shape (1, 2, 3, 3); expected (1, 2, 4, 4)"),
    ("model filter_size even", lambda: ThreeLayerConvNet(input_dim=(1, 8, 8), filter_size=4), ValueError,
     "filter_size must be odd"),
    ("model odd H", lambda: ThreeLayerConvNet(input_dim=(1, 7, 8), filter_size=3), ValueError, "even H and W"),
    ("model input_dim 2 numbers", lambda: ThreeLayerConvNet(input_dim=(8, 8)), TypeError, "input_dim must be (C, H, W)"),
    ("model num_filters 0", lambda: ThreeLayerConvNet(input_dim=(1, 8, 8), num_filters=0), ValueError,
     "num_filters must be in [1, inf)"),
    ("model reg negative", lambda: ThreeLayerConvNet(input_dim=(1, 8, 8), reg=-1), ValueError, "reg must be in [0, inf)"),
    ("model weight_scale string", lambda: ThreeLayerConvNet(input_dim=(1, 8, 8), weight_scale="1e-3"), TypeError,
     "weight_scale must be a real number"),
    ("model X wrong image size", lambda: _model().loss(np.zeros((2, 1, 6, 6))), ValueError,
     "X has shape (2, 1, 6, 6); expected (N, *input_dim) = (N, 1, 4, 4)"),
    ("solver without X_val", lambda: Solver(_model(), {k: v for k, v in _data().items() if k != "X_val"}), KeyError,
     "data is missing key(s) ['X_val']"),
    ("solver data typo", lambda: Solver(_model(), {**_data(), "x_val": 0}), KeyError, "data has unknown key(s) ['x_val']"),
    ("solver labels out of range", lambda: Solver(_model(), _data(y_train=np.arange(6))), ValueError,
     "data['y_train'] holds labels from 0 to 5; the model scores 3 classes"),
    ("solver label count", lambda: Solver(_model(), _data(y_val=np.zeros(2, int))), ValueError,
     "data['y_val'] has shape (2,); expected (3,)"),
    ("solver X_val image size", lambda: Solver(_model(), _data(X_val=np.zeros((3, 1, 5, 5)))), ValueError,
     "data['X_val'] has examples of shape (1, 5, 5)"),
    ("solver NaN in X_train", lambda: Solver(_model(), _data(X_train=np.full((6, 1, 4, 4), np.nan))), ValueError,
     "data['X_train'] must hold only finite numbers"),
    ("solver float labels", lambda: Solver(_model(), _data(y_train=np.zeros(6))), TypeError,
     "data['y_train'] must hold integer labels"),
    ("solver empty X_train", lambda: Solver(_model(), _data(X_train=np.zeros((0, 1, 4, 4)), y_train=np.zeros(0, int))),
     ValueError, "data['X_train'] must not be empty"),
    ("solver batch_size 0", lambda: Solver(_model(), _data(), batch_size=0), ValueError, "batch_size must be in [1, inf)"),
    ("solver num_epochs 0", lambda: Solver(_model(), _data(), num_epochs=0), ValueError, "num_epochs must be in [1, inf)"),
    ("solver optimizer a string", lambda: Solver(_model(), _data(), optimizer="adam"), TypeError,
     "optimizer must be None or an object with step"),
    ("solver model without loss", lambda: Solver(object(), _data()), TypeError, "model must have a loss(X, y) method"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input(call, exception, message):
    assert_raises_naming(call, exception, message)


CRASH_SCRIPT = """
import numpy as np
from nnfromscratch.cnn import conv_backward, conv_forward
x = np.random.default_rng(0).standard_normal((4, 3, 33, 33))
w = np.random.default_rng(1).standard_normal((8, 3, 3, 3))
_, cache = conv_forward(x, w, np.zeros(8), {"stride": 2, "pad": 1})    # output 17x17
for shape in [(4, 8, 18, 18), (4, 8, 16, 17), (4, 8, 17, 40), (40, 8, 17, 17)]:
    try:
        conv_backward(np.ones(shape), cache)
    except ValueError as err:
        print("refused", shape)
"""


def test_an_off_by_one_dout_cannot_corrupt_memory():
    """The original crash: conv_backward sized its strided views by dout, so a dout one row or column too large (a
    stride-2 layer) read and wrote past its arrays. Run in a subprocess so that a regression fails this test
    instead of killing the test run."""
    import subprocess
    import sys
    from pathlib import Path
    result = subprocess.run([sys.executable, "-c", CRASH_SCRIPT], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("refused") == 4, result.stdout


def test_strided_views_are_proven_in_bounds():
    import nnfromscratch.cnn as cnn
    base = np.arange(24.0).reshape(2, 3, 4)
    view = cnn._strided_view(base, (2, 2), (8, 8))                     # entries 0, 1 / 1, 2
    np.testing.assert_array_equal(view, [[0, 1], [1, 2]])
    assert not view.flags.writeable
    last = cnn._strided_view(base, (1,), (8,)), cnn._strided_view(base, (24,), (8,))
    assert last[1][-1] == 23                                             # exactly the whole base is allowed
    for shape, strides in [((25,), (8,)), ((2, 13), (96, 8)), ((3,), (-8,)), ((2, 2), (8, 184))]:
        with pytest.raises(ValueError, match="outside its array"):
            cnn._strided_view(base, shape, strides)
    with pytest.raises(ValueError, match="C-contiguous"):
        cnn._strided_view(base[:, :, ::2], (2,), (8,))
    assert cnn._strided_view(base, (0, 5), (8, 1000)).size == 0        # an empty view touches nothing
    # the extent of an im2col window view is exactly the flat planes for stride 1 (the junk tail included)
    flat = cnn._flat_planes(np.ones((2, 3, 5, 5)), 1, 2)
    Wp, W_row, tail = cnn._row_layout(5, 3, 1, 1, 5)
    assert tail == 2
    low, high = cnn._extent((3, 3, 3, 2, 5, W_row), (flat.strides[1], Wp * 8, 8, flat.strides[0], Wp * 8, 8), 8)
    assert (low, high) == (0, flat.nbytes)
    with pytest.raises(ValueError, match="outside its array"):         # one more output row would read past the end
        cnn._windows(flat, 3, 3, 6, W_row, Wp, 1)


def test_extreme_but_finite_scores_give_exact_losses_without_warnings():
    # pyproject turns RuntimeWarnings into errors: none may be emitted here
    loss, dx = softmax_loss(np.array([[0.0, 1000.0], [1e308, -1e308]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0) and np.isfinite(dx).all()        # (1000 + 0) / 2, not capped near 708
    np.testing.assert_allclose(dx, [[-0.5, 0.5], [0.0, 0.0]])
    assert softmax_loss(np.array([[-1e308, 1e308]]), np.array([1]))[0] == 0.0
    assert softmax_loss(np.array([[1e308, -1e308]]), np.array([1]))[0] >= 1e308   # about 2e308: no overflow warning
    assert svm_loss(np.array([[1e308, 1e308]]), np.array([0]))[0] == 1.0


def test_lists_are_accepted_where_arrays_are_expected():
    image = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out_lists, _ = conv_forward(image.tolist(), np.ones((1, 1, 2, 2)).tolist(), [0.0], {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(out_lists, conv_forward(image, np.ones((1, 1, 2, 2)), np.zeros(1), stride=1)[0])
    assert softmax_loss([[0.0, 0.0]], [1])[0] == pytest.approx(np.log(2))
