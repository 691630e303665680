"""Chapter 6: backward propagation (nnfromscratch.backward), every backward checked by centred differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays, networks

from nnfromscratch.backward import (
    ACTIVATION_BACKWARDS, L_model_backward, linear_activation_backward, linear_backward, numerical_gradient,
    relative_error, relu_backward, sigmoid_backward, softmax_backward, tanh_backward,
)
from nnfromscratch.cost import compute_cost, l2_regularization_cost, softmax_cross_entropy
from nnfromscratch.forward import ACTIVATIONS, L_model_forward, linear_activation_forward, linear_forward

TOLERANCE = 1e-7


def test_every_activation_has_a_backward():
    assert set(ACTIVATION_BACKWARDS) == set(ACTIVATIONS)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(ACTIVATIONS)), Z=arrays((3, 4)), dA=arrays((3, 4)))
def test_activation_backward_matches_centred_differences(name, Z, dA):
    Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)  # keep ReLU away from its kink at 0
    numerical = numerical_gradient(lambda z: np.sum(ACTIVATIONS[name](z)[0] * dA), Z.copy())
    assert relative_error(ACTIVATION_BACKWARDS[name](dA, Z), numerical) < TOLERANCE


def test_activation_backwards_by_hand():
    Z = np.array([[-1.0, 0.0, 2.0]])
    dA = np.array([[3.0, 3.0, 3.0]])
    np.testing.assert_array_equal(relu_backward(dA, Z), [[0.0, 0.0, 3.0]])
    np.testing.assert_allclose(sigmoid_backward(np.array([[3.0]]), np.zeros((1, 1))), [[0.75]])
    np.testing.assert_allclose(tanh_backward(np.ones((1, 1)), np.zeros((1, 1))), [[1.0]])
    # softmax of equal scores: the Jacobian-vector product of a constant upstream gradient is zero
    np.testing.assert_allclose(softmax_backward(np.ones((3, 2)), np.zeros((3, 2))), 0.0, atol=1e-16)


@settings(max_examples=25, deadline=None)
@given(n_prev=st.integers(1, 5), n=st.integers(1, 5), m=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_linear_backward_matches_centred_differences(n_prev, n, m, seed):
    rng = np.random.default_rng(seed)
    A, W, b, dZ = (rng.standard_normal(s) for s in [(n_prev, m), (n, n_prev), (n, 1), (n, m)])
    dA_prev, dW, db = linear_backward(dZ, (A, W, b))
    probe = lambda A_, W_, b_: np.sum(linear_forward(A_, W_, b_)[0] * dZ) / m
    assert relative_error(dA_prev / m, numerical_gradient(lambda a: probe(a, W, b), A.copy())) < TOLERANCE
    assert relative_error(dW, numerical_gradient(lambda w: probe(A, w, b), W.copy())) < TOLERANCE
    assert relative_error(db, numerical_gradient(lambda c: probe(A, W, c), b.copy())) < TOLERANCE


@settings(max_examples=25, deadline=None)
@given(activation=st.sampled_from(["relu", "sigmoid", "tanh", "softmax"]), seed=st.integers(0, 10**6))
def test_linear_activation_backward_matches_centred_differences(activation, seed):
    rng = np.random.default_rng(seed)
    A, W, b, dA = (rng.standard_normal(s) for s in [(4, 5), (3, 4), (3, 1), (3, 5)])
    _, cache = linear_activation_forward(A, W, b, activation)
    dA_prev, dW, db = linear_activation_backward(dA, cache, activation)
    probe = lambda A_, W_, b_: np.sum(linear_activation_forward(A_, W_, b_, activation)[0] * dA) / 5
    assert relative_error(dW, numerical_gradient(lambda w: probe(A, w, b), W.copy())) < TOLERANCE
    assert relative_error(db, numerical_gradient(lambda c: probe(A, W, c), b.copy())) < TOLERANCE
    assert relative_error(dA_prev / 5, numerical_gradient(lambda a: probe(a, W, b), A.copy())) < TOLERANCE


def binary_cross_entropy_from_logits(Z, Y):
    """The reference cost for the checks: binary cross-entropy computed from the output scores Z (1, m) in the
    well-conditioned form max(z, 0) - z y + log(1 + exp(-|z|)). Computing it from AL = sigmoid(Z) instead loses up to
    all digits of log(1 - AL) when AL is within 1e-7 of 1, which would make the *numerical* gradient the wrong one."""
    return float(np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))))


def _full_check(X, Y, parameters, output_activation, hidden, lambd):
    AL, caches = L_model_forward(X, parameters, output_activation, hidden)
    grads = L_model_backward(AL, Y, caches, output_activation, hidden, lambd)

    def J(params):
        out, out_caches = L_model_forward(X, params, output_activation, hidden)
        if output_activation == "sigmoid":
            cost = binary_cross_entropy_from_logits(out_caches[-1][1], Y)
        else:
            cost = softmax_cross_entropy(out, Y)
        return cost + l2_regularization_cost(params, lambd, X.shape[1])

    # one relative error over the whole gradient vector, as the course's gradient_check_n computes it: a single
    # parameter whose true gradient is tiny would otherwise turn round-off into a false alarm
    analytic = np.concatenate([grads["d" + key].ravel() for key in parameters])
    numerical = np.concatenate([numerical_gradient(lambda p: J({**parameters, key: p}), parameters[key].copy()).ravel()
                                for key in parameters])
    return grads, relative_error(analytic, numerical)


@settings(max_examples=30, deadline=None)
@given(net=networks(), hidden=st.sampled_from(["relu", "tanh", "sigmoid"]), lambd=st.sampled_from([0.0, 0.7]))
def test_L_model_backward_sigmoid_output(net, hidden, lambd):
    dims, parameters, X, seed = net
    Y = (np.random.default_rng(seed).random((1, X.shape[1])) > 0.5).astype(float)
    grads, worst = _full_check(X, Y, parameters, "sigmoid", hidden, lambd)
    assert worst < TOLERANCE
    assert sorted(grads) == sorted(f"d{p}{l}" for l in range(1, len(dims)) for p in "AWb")
    assert grads["dA1"].shape == X.shape


@settings(max_examples=30, deadline=None)
@given(net=networks(output_units=3), lambd=st.sampled_from([0.0, 0.3]))
def test_L_model_backward_softmax_output(net, lambd):
    _, parameters, X, seed = net
    labels = np.random.default_rng(seed).integers(0, 3, size=(1, X.shape[1]))
    _, worst = _full_check(X, labels, parameters, "softmax", "relu", lambd)
    assert worst < TOLERANCE


def test_grads_keys_follow_the_source_material():
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.standard_normal((3, 2)), "b1": np.zeros((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": np.zeros((1, 1))}
    X = rng.standard_normal((2, 4))
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, np.ones((1, 4)), caches)
    # dA2 is what layer 2 passes down: the gradient with respect to A1 (3, m); dA1 is with respect to X
    assert grads["dA2"].shape == (3, 4) and grads["dA1"].shape == (2, 4)


def test_the_reference_cost_equals_compute_cost_where_both_are_accurate():
    Z = np.array([[-3.0, 0.5, 2.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    assert binary_cross_entropy_from_logits(Z, Y) == pytest.approx(compute_cost(1 / (1 + np.exp(-Z)), Y), rel=1e-14)


def test_saturated_wrong_output_still_gets_a_gradient():
    parameters = {"W1": np.array([[100.0]]), "b1": np.array([[0.0]])}
    AL, caches = L_model_forward(np.array([[1.0]]), parameters)
    assert AL[0, 0] == 1.0
    grads = L_model_backward(AL, np.array([[0.0]]), caches)
    assert grads["dW1"][0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize("call, exception, message", [
    (lambda c: L_model_backward(np.ones((1, 2)) / 2, np.ones((1, 2)), c, output_activation="relu"), ValueError,
     "output_activation must be 'sigmoid' or 'softmax'"),
    (lambda c: L_model_backward(np.ones((1, 2)) / 2, np.ones((2, 1)), c), ValueError, r"Y has shape \(2, 1\)"),
    (lambda c: L_model_backward(np.ones((1, 2)) / 2, np.ones((1, 2)), c, lambd=-1), ValueError, "lambd must be >= 0"),
    (lambda c: linear_backward(np.ones((3, 2)), c[0][0]), ValueError, r"dZ has shape \(3, 2\); expected \(1, 2\)"),
    (lambda c: linear_activation_backward(np.ones((1, 2)), c[0], "gelu"), ValueError, "activation must be one of"),
    (lambda c: numerical_gradient(lambda x: 0.0, np.ones(3, dtype=int)), TypeError, "x must be a float array"),
    (lambda c: numerical_gradient(lambda x: 0.0, np.ones(3), h=0), ValueError, "h must be > 0"),
])
def test_bad_input(call, exception, message):
    parameters = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
    _, caches = L_model_forward(np.ones((2, 2)), parameters)
    with pytest.raises(exception, match=message):
        call(caches)


@settings(max_examples=20, deadline=None)
@given(net=networks(), lambd=st.sampled_from([0.0, 0.5]))
def test_skipping_the_input_gradient_changes_nothing_else(net, lambd):
    _, parameters, X, seed = net
    Y = (np.random.default_rng(seed).random((1, X.shape[1])) > 0.5).astype(float)
    AL, caches = L_model_forward(X, parameters)
    full = L_model_backward(AL, Y, caches, lambd=lambd)
    lean = L_model_backward(AL, Y, caches, lambd=lambd, input_grad=False)
    assert set(full) - set(lean) == {"dA1"}
    for key, value in lean.items():
        np.testing.assert_array_equal(value, full[key])
    assert linear_backward(np.ones((1, 2)), (np.ones((3, 2)), np.ones((1, 3)), np.zeros((1, 1))), need_dA_prev=False)[0] is None
