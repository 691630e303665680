"""Chapter 12: the gradient-checking tools themselves (nnfromscratch.gradient_checking)."""

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfromscratch.backward import L_model_backward
from nnfromscratch.forward import L_model_forward
from nnfromscratch.gradient_checking import (
    dictionary_to_vector, eval_numerical_gradient, eval_numerical_gradient_array, grad_check_sparse, gradient_check,
    gradient_check_n, gradients_to_vector, parameter_keys, rel_error, vector_to_dictionary,
)
from nnfromscratch.initialization import initialize_parameters_deep


def _network(seed=0, dims=(3, 4, 2, 1), m=5):
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters_deep(list(dims), rng, scheme="xavier")
    parameters = {k: v + (rng.normal(0, 0.3, v.shape) if k.startswith("b") else 0) for k, v in parameters.items()}
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    AL, caches = L_model_forward(X, parameters)
    return parameters, L_model_backward(AL, Y, caches), X, Y


def test_one_dimensional_check():
    assert gradient_check(2.0, 4.0) < 1e-7
    assert gradient_check(-3.0, 0.5, epsilon=1e-4) < 1e-7


def test_numerical_gradients_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(eval_numerical_gradient(lambda v: np.sum(v**3), x.copy()), 3 * x**2, rtol=1e-8)
    df = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(eval_numerical_gradient_array(lambda v: np.sin(v), x.copy(), df), np.cos(x) * df,
                               rtol=1e-8)


def test_rel_error():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


@settings(max_examples=20, deadline=None)
@given(dims=st.lists(st.integers(1, 5), min_size=2, max_size=4), seed=st.integers(0, 10**6))
def test_vector_round_trip(dims, seed):
    parameters = initialize_parameters_deep(dims, rng=seed, scheme="he")
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (sum(v.size for v in parameters.values()), 1)
    assert keys[0] == "W1" and keys[-1] == f"b{len(dims) - 1}"
    back = vector_to_dictionary(theta, parameters)
    assert list(back) == parameter_keys(parameters)
    for key in parameters:
        np.testing.assert_array_equal(back[key], parameters[key])
    grads = {"d" + k: v for k, v in parameters.items()}
    np.testing.assert_array_equal(gradients_to_vector({**grads, "dA1": np.ones(3)}), theta)


def test_gradient_check_n_passes_correct_and_catches_planted_bugs():
    parameters, grads, X, Y = _network()
    assert gradient_check_n(parameters, grads, X, Y) < 2e-7
    for key, factor in [("dW2", 2.0), ("db1", 4.0), ("dW1", -1.0)]:
        buggy = {**grads, key: grads[key] * factor}
        assert gradient_check_n(parameters, buggy, X, Y) > 1e-3, key


def test_gradient_check_n_with_regularization():
    parameters, _, X, Y = _network(seed=1)
    AL, caches = L_model_forward(X, parameters)
    assert gradient_check_n(parameters, L_model_backward(AL, Y, caches, lambd=0.5), X, Y, lambd=0.5) < 2e-7
    # the gradient without its L2 part fails the regularized check
    assert gradient_check_n(parameters, L_model_backward(AL, Y, caches), X, Y, lambd=0.5) > 1e-3


def test_grad_check_sparse():
    x = np.random.default_rng(0).standard_normal((4, 5))
    assert max(grad_check_sparse(lambda v: np.sum(v**2), x, 2 * x, num_checks=8, rng=0)) < 1e-8
    assert max(grad_check_sparse(lambda v: np.sum(v**2), x, 3 * x, num_checks=8, rng=0)) > 0.1


# One row per bad input: (id, call taking (parameters, grads, X, Y), exception type, text the message must contain).
BAD_INPUT = [
    ("gradients missing db2", lambda p, g, X, Y: gradient_check_n(p, {k: v for k, v in g.items() if k != "db2"}, X, Y),
     ValueError, "gradients has no 'db2'"),
    ("gradients dW1 shape", lambda p, g, X, Y: gradient_check_n(p, {**g, "dW1": np.zeros((2, 2))}, X, Y), ValueError,
     "gradients['dW1'] has shape (2, 2); expected W1's shape (4, 3)"),
    ("gradients extra dW9", lambda p, g, X, Y: gradient_check_n(p, {**g, "dW9": np.zeros(1)}, X, Y), ValueError,
     "['dW9'], which match no parameter"),
    ("integer parameters", lambda p, g, X, Y: gradient_check_n({**p, "W1": p["W1"].astype(int)}, g, X, Y), TypeError,
     "needs float arrays"),
    ("gradients a list", lambda p, g, X, Y: gradient_check_n(p, list(g.values()), X, Y), TypeError,
     "gradients must be a dict"),
    ("gradient_check_n epsilon 0", lambda p, g, X, Y: gradient_check_n(p, g, X, Y, epsilon=0), ValueError,
     "epsilon must be in (0, inf)"),
    ("gradient_check_n lambd < 0", lambda p, g, X, Y: gradient_check_n(p, g, X, Y, lambd=-0.1), ValueError,
     "lambd must be in [0, inf)"),
    ("gradient_check_n X 1-D", lambda p, g, X, Y: gradient_check_n(p, g, X[0], Y), ValueError, "X must be 2-D"),
    ("gradient_check_n Y length", lambda p, g, X, Y: gradient_check_n(p, g, X, Y[:, :2]), ValueError,
     "Y has shape (1, 2); expected (1, 5)"),
    ("gradient_check epsilon < 0", lambda p, g, X, Y: gradient_check(1.0, 2.0, epsilon=-1e-7), ValueError,
     "epsilon must be in (0, inf)"),
    ("gradient_check x string", lambda p, g, X, Y: gradient_check("2", 4.0), TypeError, "x must be a real number"),
    ("gradient_check theta None", lambda p, g, X, Y: gradient_check(2.0, None), TypeError, "theta must be a real number"),
    ("eval x integer array", lambda p, g, X, Y: eval_numerical_gradient(lambda v: 0.0, np.arange(3)), TypeError,
     "x must be a float numpy array"),
    ("eval x a list", lambda p, g, X, Y: eval_numerical_gradient(lambda v: 0.0, [1.0, 2.0]), TypeError,
     "x must be a float numpy array"),
    ("eval h 0", lambda p, g, X, Y: eval_numerical_gradient(lambda v: 0.0, np.ones(3), h=0), ValueError,
     "h must be in (0, inf)"),
    ("eval f not callable", lambda p, g, X, Y: eval_numerical_gradient("loss", np.ones(3)), TypeError,
     "f must be a function"),
    ("eval_array h 0", lambda p, g, X, Y: eval_numerical_gradient_array(lambda v: v, np.ones(3), np.ones(3), h=0),
     ValueError, "h must be in (0, inf)"),
    ("eval_array df shape", lambda p, g, X, Y: eval_numerical_gradient_array(lambda v: v, np.ones(3), np.ones(4)),
     ValueError, "df has shape (4,); expected the shape of f(x), (3,)"),
    ("eval_array df string", lambda p, g, X, Y: eval_numerical_gradient_array(lambda v: v, np.ones(3), "df"),
     TypeError, "df must be a numeric array"),
    ("sparse analytic_grad shape", lambda p, g, X, Y: grad_check_sparse(lambda v: 0.0, np.ones(3), np.ones(4)),
     ValueError, "analytic_grad has shape (4,)"),
    ("sparse num_checks 0", lambda p, g, X, Y: grad_check_sparse(lambda v: 0.0, np.ones(3), np.ones(3), num_checks=0),
     ValueError, "num_checks must be in [1, inf)"),
    ("sparse h string", lambda p, g, X, Y: grad_check_sparse(lambda v: 0.0, np.ones(3), np.ones(3), h="1e-5"),
     TypeError, "h must be a real number"),
    ("vector_to_dictionary size", lambda p, g, X, Y: vector_to_dictionary(np.ones((5, 1)), p), ValueError,
     "theta has 5 entries"),
    ("rel_error shapes", lambda p, g, X, Y: rel_error(np.ones(2), np.ones(3)), ValueError, "must match"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input(call, exception, message):
    parameters, grads, X, Y = _network()
    assert_raises_naming(call, exception, message, parameters, grads, X, Y)
