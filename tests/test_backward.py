"""Chapter 6: backward propagation (nnfromscratch.backward), every backward checked by centred differences."""

import warnings

import numpy as np
import pytest
from checks import assert_raises_naming
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


def test_grads_keys_follow_the_earlier_course_notebooks():
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


def course_test_case():
    """The DLS "Step by Step" notebook's L_model_backward test case, drawn as the course draws it (np.random.seed(3)
    then np.random.randn, which RandomState(3).randn reproduces)."""
    rng = np.random.RandomState(3)
    AL = rng.randn(1, 2)
    Y = np.array([[1, 0]])
    A1, W1, b1, Z1 = rng.randn(4, 2), rng.randn(3, 4), rng.randn(3, 1), rng.randn(3, 2)
    A2, W2, b2, Z2 = rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1), rng.randn(1, 2)
    return AL, Y, (((A1, W1, b1), Z1), ((A2, W2, b2), Z2))


# The course's published expected output for that test case (recalled values, verified below by plain NumPy).
PUBLISHED_dW1 = [[0.41010002, 0.07807203, 0.13798444, 0.10502167], [0.0, 0.0, 0.0, 0.0],
                 [0.05283652, 0.01005865, 0.01777766, 0.0135308]]
PUBLISHED_db1 = [[-0.22007063], [0.0], [-0.02835349]]
PUBLISHED_dA_wrt_X = [[0.0, 0.52257901], [0.0, -0.3269206], [0.0, -0.32070404], [0.0, -0.74079187]]  # older "dA1"
PUBLISHED_dA_wrt_A1 = [[0.12913162, -0.44014127], [-0.14175655, 0.48317296], [0.01663708, -0.05670698]]  # newer "dA1"


def test_published_values_agree_with_a_plain_computation_of_the_course_formulas():
    AL, Y, ((((A1, W1, b1), Z1), ((A2, W2, b2), Z2))) = course_test_case()
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    s = 1 / (1 + np.exp(-Z2))
    dZ2 = dAL * s * (1 - s)
    dA_wrt_A1 = np.dot(W2.T, dZ2)
    dZ1 = np.array(dA_wrt_A1, copy=True)
    dZ1[Z1 <= 0] = 0
    np.testing.assert_allclose(np.dot(dZ1, A1.T) / 2, PUBLISHED_dW1, atol=1e-8)
    np.testing.assert_allclose(np.sum(dZ1, axis=1, keepdims=True) / 2, PUBLISHED_db1, atol=1e-8)
    np.testing.assert_allclose(np.dot(W1.T, dZ1), PUBLISHED_dA_wrt_X, atol=1e-8)
    np.testing.assert_allclose(dA_wrt_A1, PUBLISHED_dA_wrt_A1, atol=1e-8)


@pytest.mark.parametrize("output_grad", ["auto", "chained"])
def test_L_model_backward_reproduces_the_course_test_case(output_grad):
    AL, Y, caches = course_test_case()
    grads = L_model_backward(AL, Y, caches, output_grad=output_grad)
    np.testing.assert_allclose(grads["dW1"], PUBLISHED_dW1, atol=1e-8)
    np.testing.assert_allclose(grads["db1"], PUBLISHED_db1, atol=1e-8)
    np.testing.assert_allclose(grads["dA1"], PUBLISHED_dA_wrt_X, atol=1e-8)      # our keys: the older notebooks'
    np.testing.assert_allclose(grads["dA2"], PUBLISHED_dA_wrt_A1, atol=1e-8)
    assert sorted(grads) == ["dA1", "dA2", "dW1", "dW2", "db1", "db2"]


def test_the_fused_form_refuses_an_AL_that_is_not_a_probability():
    AL, Y, caches = course_test_case()
    with pytest.raises(ValueError, match=r"AL must hold values in \[0, 1\]"):
        L_model_backward(AL, Y, caches, output_grad="fused")


@settings(max_examples=25, deadline=None)
@given(net=networks(), output_units=st.sampled_from([1, 3]), lambd=st.sampled_from([0.0, 0.4]))
def test_auto_is_fused_after_L_model_forward_and_chained_agrees_to_rounding(net, output_units, lambd):
    dims, parameters, X, seed = net
    rng = np.random.default_rng(seed)
    output = "sigmoid" if output_units == 1 else "softmax"
    if output_units == 3:
        parameters = {**parameters, f"W{len(dims) - 1}": rng.standard_normal((3, dims[-2])),
                      f"b{len(dims) - 1}": rng.standard_normal((3, 1))}
    Y = (rng.random((1, X.shape[1])) > 0.5).astype(float) if output_units == 1 else rng.integers(0, 3, (1, X.shape[1]))
    AL, caches = L_model_forward(X, parameters, output)
    auto = L_model_backward(AL, Y, caches, output, lambd=lambd)
    fused = L_model_backward(AL, Y, caches, output, lambd=lambd, output_grad="fused")
    chained = L_model_backward(AL, Y, caches, output, lambd=lambd, output_grad="chained")
    for key in fused:
        np.testing.assert_array_equal(auto[key], fused[key])
        assert relative_error(chained[key], fused[key]) < 1e-9, key


def test_the_chained_form_loses_a_saturated_wrong_output_and_the_fused_form_keeps_it():
    parameters = {"W1": np.array([[20.0]]), "b1": np.array([[0.0]])}
    AL, caches = L_model_forward(np.array([[2.0, 0.1]]), parameters)      # z = 40 (sigmoid == 1.0) and 2
    Y = np.array([[0.0, 0.0]])
    s = 1 / (1 + np.exp(-2.0))
    assert AL[0, 0] == 1.0
    # by hand: dW = mean over the two examples of (a - y) x; the chained form rounds example 0's a(1 - a) to 0
    assert L_model_backward(AL, Y, caches, output_grad="fused")["dW1"][0, 0] == pytest.approx((1.0 * 2 + s * 0.1) / 2)
    assert L_model_backward(AL, Y, caches, output_grad="chained")["dW1"][0, 0] == pytest.approx(s * 0.1 / 2)


def _caches():
    parameters = {"W1": np.ones((3, 2)), "b1": np.zeros((3, 1)), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    return L_model_forward(np.ones((2, 2)), parameters)


def _bad_chain():
    AL, caches = _caches()
    (A2, W2, b2), Z2 = caches[1]
    return [caches[0], ((np.ones((4, 2)), np.ones((1, 4)), b2), Z2)]


Z34, DA34 = np.ones((3, 4)), np.ones((3, 4))
AL_GOOD = _caches()[0]

BAD_INPUTS = [
    ("relu-dA-shape", lambda: relu_backward(np.ones((3, 1)), Z34), ValueError,
     "dA has shape (3, 1); expected (3, 4), the shape of Z in the cache"),
    ("sigmoid-dA-shape", lambda: sigmoid_backward(np.ones((1, 4)), Z34), ValueError, "dA has shape (1, 4)"),
    ("tanh-dA-shape", lambda: tanh_backward(np.ones(4), Z34), ValueError, "dA has shape (4,)"),
    ("softmax-dA-shape", lambda: softmax_backward(np.ones((3, 3)), Z34), ValueError, "dA has shape (3, 3)"),
    ("relu-dA-None", lambda: relu_backward(None, Z34), TypeError, "dA must be a numeric array"),
    ("relu-cache-string", lambda: relu_backward(DA34, "Z"), TypeError, "cache must be a numeric array"),
    ("sigmoid-dA-list-wrong", lambda: sigmoid_backward([[1.0, 2.0]], Z34), ValueError, "dA has shape (1, 2)"),
    ("linear-dZ-shape", lambda: linear_backward(np.ones((3, 2)), _caches()[1][1][0]), ValueError,
     "dZ has shape (3, 2); expected (1, 2)"),
    ("linear-dZ-None", lambda: linear_backward(None, _caches()[1][1][0]), TypeError, "dZ must be a numeric array"),
    ("linear-cache-pair", lambda: linear_backward(np.ones((1, 2)), (np.ones((3, 2)), np.ones((1, 3)))), TypeError,
     "cache must be the tuple (A_prev, W, b)"),
    ("linear-cache-shapes", lambda: linear_backward(np.ones((1, 2)), (np.ones((3, 2)), np.ones((1, 4)), np.ones((1, 1)))),
     ValueError, "cache holds A_prev (3, 2), W (1, 4) and b (1, 1)"),
    ("layer-activation", lambda: linear_activation_backward(np.ones((1, 2)), _caches()[1][1], "gelu"), ValueError,
     "activation must be one of"),
    ("layer-cache", lambda: linear_activation_backward(np.ones((1, 2)), _caches()[1][1][0], "relu"), TypeError,
     "cache must be the pair (linear_cache, activation_cache)"),
    ("layer-dA-shape", lambda: linear_activation_backward(np.ones((2, 1)), _caches()[1][1], "sigmoid"), ValueError,
     "dA has shape (2, 1)"),
    ("model-output-activation", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _caches()[1], "relu"), ValueError,
     "output_activation must be one of ['sigmoid', 'softmax']"),
    ("model-hidden-activation", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _caches()[1],
                                                         hidden_activation="gelu"), ValueError,
     "hidden_activation must be one of"),
    ("model-lambd-negative", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _caches()[1], lambd=-1), ValueError,
     "lambd must be in [0, inf)"),
    ("model-lambd-string", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _caches()[1], lambd="0.1"), TypeError,
     "lambd must be a real number"),
    ("model-output-grad", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _caches()[1], output_grad="fuse"),
     ValueError, "output_grad must be one of ['auto', 'chained', 'fused']"),
    ("model-AL-shape", lambda: L_model_backward(np.ones((1, 3)) / 2, np.ones((1, 3)), _caches()[1]), ValueError,
     "AL has shape (1, 3); expected (1, 2)"),
    ("model-AL-transposed", lambda: L_model_backward(AL_GOOD.T, np.ones((1, 2)), _caches()[1]), ValueError,
     "AL has shape (2, 1)"),
    ("model-AL-None", lambda: L_model_backward(None, np.ones((1, 2)), _caches()[1]), TypeError,
     "AL must be a numeric array"),
    ("model-Y-shape", lambda: L_model_backward(AL_GOOD, np.ones((2, 1)), _caches()[1]), ValueError,
     "Y has shape (2, 1)"),
    ("model-Y-digits-fused", lambda: L_model_backward(AL_GOOD, np.array([[3, 9]]), _caches()[1]), ValueError,
     "Y must hold values in [0, 1]"),
    ("model-Y-digits-chained", lambda: L_model_backward(np.array([[0.3, 0.6]]), np.array([[3, 9]]), _caches()[1]),
     ValueError, "Y must hold values in [0, 1]"),
    ("model-Y-None", lambda: L_model_backward(AL_GOOD, None, _caches()[1]), TypeError, "Y must be a numeric array"),
    ("model-caches-empty", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), []), TypeError,
     "caches must be the non-empty list that L_model_forward returns"),
    ("model-caches-None", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), None), TypeError, "caches must be"),
    ("model-caches-entry", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), [_caches()[1][0][0]]), TypeError,
     "caches[0] must be a pair (linear_cache, Z)"),
    ("model-caches-chain", lambda: L_model_backward(AL_GOOD, np.ones((1, 2)), _bad_chain()), ValueError,
     "caches[1][0][0] (A_prev) has shape (4, 2); expected (3, 2)"),
    ("numerical-int-x", lambda: numerical_gradient(lambda x: 0.0, np.ones(3, dtype=int)), TypeError,
     "x must be a float array"),
    ("numerical-list-x", lambda: numerical_gradient(lambda x: 0.0, [1.0, 2.0]), TypeError, "x must be a float array"),
    ("numerical-h-zero", lambda: numerical_gradient(lambda x: 0.0, np.ones(3), h=0), ValueError, "h must be in (0, inf)"),
    ("numerical-f", lambda: numerical_gradient(None, np.ones(3)), TypeError, "f must be a function"),
    ("relative-error-shapes", lambda: relative_error(np.ones(3), np.ones(2)), ValueError,
     "a and b must have the same number of entries"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS])
def test_bad_input(call, exception, message):
    assert_raises_naming(call, exception, message)


def test_relative_error_compares_entries_and_never_broadcasts():
    assert relative_error(np.array([[1.0], [2.0]]), np.array([1.0, 2.0])) == 0.0
    assert relative_error([3.0, 0.0], [0.0, 0.0]) == 1.0 and relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert relative_error(np.array([[1.0], [3.0]]), np.array([1.0, 2.0])) == pytest.approx(1 / (np.sqrt(10) + np.sqrt(5)))


def test_no_warning_for_any_finite_input():
    Z = np.array([[-1e308, -800.0, 0.0, 800.0, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, backward in ACTIVATION_BACKWARDS.items():
            assert np.all(np.isfinite(backward(np.ones_like(Z), Z if name != "softmax" else np.vstack([Z, -Z]))
                                      if name != "softmax" else backward(np.ones((2, 5)), np.vstack([Z, -Z]))))
        parameters = {"W1": np.array([[100.0]]), "b1": np.array([[0.0]])}
        AL, caches = L_model_forward(np.array([[10.0, -10.0]]), parameters)
        for mode in ("auto", "chained", "fused"):
            grads = L_model_backward(AL, np.array([[0.0, 1.0]]), caches, output_grad=mode)
            assert all(np.all(np.isfinite(g)) for g in grads.values())


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
