"""Chapter 4: forward propagation (nnfromscratch.forward)."""

import warnings

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays, networks

from nnfromscratch.forward import (
    L_model_forward, layer_count, layer_matmul, linear_activation_forward, linear_forward, relu, sigmoid, softmax,
    tanh,
)


def test_activations_on_hand_checkable_values():
    z = np.array([[0.0, np.log(3.0), -np.log(3.0)]])
    np.testing.assert_allclose(sigmoid(z)[0], [[0.5, 0.75, 0.25]])
    np.testing.assert_array_equal(relu(np.array([[-1.0, 0.0, 2.0]]))[0], [[0.0, 0.0, 2.0]])
    np.testing.assert_allclose(tanh(np.array([[np.log(2.0)]]))[0], [[0.6]])
    np.testing.assert_allclose(softmax(np.array([[0.0], [np.log(3.0)]]))[0], [[0.25], [0.75]])


def test_activations_return_their_input_as_cache():
    z = np.array([[1.0, -2.0]])
    for g in (sigmoid, relu, tanh, softmax):
        assert g(z)[1] is z


@settings(max_examples=30, deadline=None)
@given(z=arrays((4, 6), -30.0, 30.0))
def test_sigmoid_equals_the_textbook_formula(z):
    np.testing.assert_allclose(sigmoid(z)[0], 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-300)


@settings(max_examples=30, deadline=None)
@given(z=arrays((5, 3), -50.0, 50.0), shift=st.floats(-1e3, 1e3))
def test_softmax_columns_are_distributions_and_shift_invariant(z, shift):
    p = softmax(z)[0]
    np.testing.assert_allclose(p.sum(axis=0), 1.0)
    np.testing.assert_allclose(softmax(z + shift)[0], p, atol=1e-12)


def test_no_overflow_warnings_for_large_scores():
    z = np.array([[-1e4, -800.0, -1.0, 0.0, 1.0, 800.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)[0]
        p = softmax(np.vstack([z, -z]))[0]
    np.testing.assert_array_equal(s[0, [0, -1]], [0.0, 1.0])
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=0), 1)


def test_float32_stays_float32_and_ints_become_floats():
    assert sigmoid(np.zeros((2, 2), np.float32))[0].dtype == np.float32
    assert relu(np.array([[1, -1]]))[0].dtype == np.float64


def test_linear_forward_by_hand():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, -1.0]])
    b = np.array([[0.5]])
    Z, cache = linear_forward(A, W, b)
    np.testing.assert_allclose(Z, [[-1.5, -1.5]])
    assert cache[0] is A or np.array_equal(cache[0], A)


@settings(max_examples=30, deadline=None)
@given(net=networks(), hidden=st.sampled_from(["relu", "tanh", "sigmoid"]), examples_contiguous=st.booleans())
def test_L_model_forward_equals_a_per_example_loop(net, hidden, examples_contiguous):
    dims, parameters, X, _ = net
    if examples_contiguous:                                    # X laid out as flatten_images returns it
        X = np.asfortranarray(X)
    AL, caches = L_model_forward(X, parameters, hidden_activation=hidden)
    assert AL.shape == (1, X.shape[1]) and len(caches) == len(dims) - 1
    g = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    for j in range(X.shape[1]):
        a = X[:, [j]]
        for l in range(1, len(dims)):
            z = parameters[f"W{l}"] @ a + parameters[f"b{l}"]
            a = g["sigmoid"](z) if l == len(dims) - 1 else g[hidden](z)
        np.testing.assert_allclose(AL[:, [j]], a, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 6), n_prev=st.integers(1, 6), m=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_layer_matmul_is_W_times_A_in_either_memory_order(n, n_prev, m, seed):
    rng = np.random.default_rng(seed)
    W, A = rng.standard_normal((n, n_prev)), rng.standard_normal((m, n_prev)).T
    for A_layout in (A, np.ascontiguousarray(A)):
        Z = layer_matmul(W, A_layout)
        assert Z.shape == (n, m)
        np.testing.assert_allclose(Z, np.einsum("ik,kj->ij", W, A), rtol=1e-12, atol=1e-12)


def test_softmax_output():
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.standard_normal((4, 3)), "b1": np.zeros((4, 1))}
    AL, _ = L_model_forward(rng.standard_normal((3, 5)), parameters, output_activation="softmax")
    np.testing.assert_allclose(AL.sum(axis=0), 1.0)


def test_no_warning_for_any_finite_input():
    extreme = np.array([[-1e308, -1e4, -710.0, -1.0, 0.0, 1.0, 710.0, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for g in (sigmoid, relu, tanh):
            assert np.all(np.isfinite(g(extreme)[0]))
        p = softmax(np.vstack([extreme, -extreme, np.zeros_like(extreme)]))[0]
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=0), 1)
    np.testing.assert_array_equal(p[:, 0], [0.0, 1.0, 0.0])  # scores 2e308 apart: the exact answer


def test_lists_are_accepted_where_arrays_are_expected():
    Z, _ = linear_forward([[1.0, 2.0], [3.0, 4.0]], [[1.0, -1.0]], [[0.5]])
    np.testing.assert_allclose(Z, [[-1.5, -1.5]])
    AL, _ = L_model_forward([[1.0], [2.0]], {"W1": [[1.0, 1.0]], "b1": [[0.0]]})
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-3.0)))


def _net():
    """A [2, 3, 1] network's parameters and X (2, 4)."""
    rng = np.random.default_rng(0)
    return {"W1": rng.standard_normal((3, 2)), "b1": np.zeros((3, 1)),
            "W2": rng.standard_normal((1, 3)), "b2": np.zeros((1, 1))}, rng.standard_normal((2, 4))


A4, W24, B2 = np.ones((4, 2)), np.ones((2, 4)), np.ones((2, 1))

BAD_INPUTS = [
    ("relu-string", lambda: relu("abc"), TypeError, "Z must be a numeric array"),
    ("relu-None", lambda: relu(None), TypeError, "Z must be a numeric array"),
    ("tanh-None", lambda: tanh(None), TypeError, "Z must be a numeric array"),
    ("softmax-string", lambda: softmax("x"), TypeError, "Z must be a numeric array"),
    ("softmax-3d", lambda: softmax(np.ones((2, 2, 2))), ValueError, "Z must be 1-D or 2-D"),
    ("softmax-no-class", lambda: softmax(np.ones((0, 3))), ValueError, "Z must have at least one row"),
    ("linear-A-W-mismatch", lambda: linear_forward(np.ones((3, 2)), W24, B2), ValueError,
     "A has shape (3, 2) and W has shape (2, 4)"),
    ("linear-b-1d", lambda: linear_forward(A4, W24, np.ones((2,))), ValueError, "b has shape (2,); expected (2, 1)"),
    ("linear-b-list-wrong", lambda: linear_forward(A4, W24, [[1], [2], [3]]), ValueError, "b has shape (3, 1)"),
    ("linear-A-None", lambda: linear_forward(None, W24, B2), TypeError, "A must be a numeric array"),
    ("linear-W-string", lambda: linear_forward(A4, "W", B2), TypeError, "W must be a numeric array"),
    ("linear-A-1d", lambda: linear_forward(np.ones(4), W24, B2), ValueError, "A must be 2-D"),
    ("layer-unknown-activation", lambda: linear_activation_forward(A4, W24, B2, "swish"), ValueError,
     "activation must be one of ['relu', 'sigmoid', 'softmax', 'tanh']; got 'swish'"),
    ("layer-None-activation", lambda: linear_activation_forward(A4, W24, B2, None), ValueError,
     "activation must be one of"),
    ("model-X-mismatch", lambda: L_model_forward(np.ones((5, 2)), {"W1": np.ones((1, 4)), "b1": np.ones((1, 1))}),
     ValueError, "X has shape (5, 2); expected (n_x, m) with n_x == parameters['W1'].shape[1] == 4"),
    ("model-W2-mismatch", lambda: L_model_forward(_net()[1], {**_net()[0], "W2": np.ones((1, 4))}), ValueError,
     "parameters['W2'] has shape (1, 4); expected (n2, n1) = (1, 3)"),
    ("model-b2-wrong", lambda: L_model_forward(_net()[1], {**_net()[0], "b2": np.ones((3, 1))}), ValueError,
     "parameters['b2'] has shape (3, 1); expected (n2, 1) = (1, 1)"),
    ("model-W1-string", lambda: L_model_forward(_net()[1], {**_net()[0], "W1": "abc"}), TypeError,
     "parameters['W1'] must be a numeric array"),
    ("model-output-activation", lambda: L_model_forward(*reversed(_net()), "elu"), ValueError,
     "output_activation must be one of"),
    ("model-hidden-activation", lambda: L_model_forward(*reversed(_net()), hidden_activation="elu"), ValueError,
     "hidden_activation must be one of"),
    ("model-parameters-None", lambda: L_model_forward(_net()[1], None), TypeError, "parameters must be a dict"),
    ("model-parameters-keys", lambda: L_model_forward(_net()[1], {"W1": np.ones((1, 2)), "b2": np.ones((1, 1))}),
     ValueError, "parameters must hold W1, b1, ..., WL, bL"),
    ("model-X-string", lambda: L_model_forward("X", _net()[0]), TypeError, "X must be a numeric array"),
    ("model-X-1d", lambda: L_model_forward(np.ones(2), _net()[0]), ValueError, "X must be 2-D"),
    ("layer-count-keys", lambda: layer_count({"W1": 1, "b2": 2}), ValueError, "parameters must hold W1, b1, ..., WL, bL"),
    ("layer-count-list", lambda: layer_count([1, 2]), TypeError, "parameters must be a dict"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS])
def test_bad_input(call, exception, message):
    assert_raises_naming(call, exception, message)
