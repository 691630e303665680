"""Chapter 5: cost (nnfromscratch.cost)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import arrays

from nnfromscratch.backward import numerical_gradient, relative_error
from nnfromscratch.cost import (
    compute_cost, compute_cost_backward, compute_cost_with_regularization, l2_regularization_backward,
    l2_regularization_cost, one_hot, sigmoid_cross_entropy_backward, softmax_cross_entropy,
    softmax_cross_entropy_backward, square_loss, square_loss_backward,
)
from nnfromscratch.forward import sigmoid, softmax


def test_compute_cost_by_hand():
    AL = np.array([[0.8, 0.1, 0.5, 0.4]])
    Y = np.array([[1, 0, 1, 0]])
    expected = -(np.log(0.8) + np.log(0.9) + np.log(0.5) + np.log(0.6)) / 4
    assert compute_cost(AL, Y) == pytest.approx(expected, rel=1e-15)
    assert isinstance(compute_cost(AL, Y), float)


def test_compute_cost_is_exact_where_finite():
    rng = np.random.default_rng(0)
    AL = rng.uniform(1e-12, 1 - 1e-12, size=(1, 50))
    Y = (rng.random((1, 50)) > 0.5).astype(float)
    naive = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    assert compute_cost(AL, Y) == pytest.approx(naive, rel=1e-12)


def test_costs_at_the_edges_are_finite_and_silent():
    edge = np.array([[0.0, 1.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compute_cost(edge, np.array([[0, 1, 0, 1]])) == 0.0
        wrong = compute_cost(edge, np.array([[1, 0, 1, 0]]))
        dAL = compute_cost_backward(edge, np.array([[1, 0, 1, 0]]))
        assert softmax_cross_entropy(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1, 0]])) > 100
        z = np.array([[-1e4, 1e4]])
        assert np.isfinite(compute_cost(sigmoid(z)[0], np.array([[1, 0]])))
        assert np.isfinite(softmax_cross_entropy(softmax(np.vstack([z, -z]))[0], np.array([[0, 0]])))
    assert 100 < wrong < np.inf and np.all(np.isfinite(dAL))


@settings(max_examples=25, deadline=None)
@given(p=arrays((1, 6), 0.01, 0.99), labels=arrays((1, 6), 0.0, 1.0))
def test_compute_cost_backward_is_the_derivative(p, labels):
    Y = (labels > 0.5).astype(float)
    numerical = numerical_gradient(lambda a: compute_cost(a, Y) * Y.shape[1], p.copy(), h=1e-6)
    assert relative_error(compute_cost_backward(p, Y), numerical) < 1e-7


@settings(max_examples=25, deadline=None)
@given(z=arrays((1, 7), -6.0, 6.0), labels=arrays((1, 7), 0.0, 1.0))
def test_sigmoid_cross_entropy_backward_is_the_derivative_wrt_z(z, labels):
    Y = (labels > 0.5).astype(float)
    numerical = numerical_gradient(lambda zz: compute_cost(sigmoid(zz)[0], Y) * 7, z.copy())
    assert relative_error(sigmoid_cross_entropy_backward(sigmoid(z)[0], Y), numerical) < 1e-7


@settings(max_examples=25, deadline=None)
@given(z=arrays((4, 5)), labels=arrays((1, 5), 0.0, 3.999))
def test_softmax_cross_entropy_backward_is_the_derivative_wrt_z(z, labels):
    Y = labels.astype(np.int64)
    numerical = numerical_gradient(lambda zz: softmax_cross_entropy(softmax(zz)[0], Y) * 5, z.copy())
    assert relative_error(softmax_cross_entropy_backward(softmax(z)[0], Y), numerical) < 1e-7


@settings(max_examples=25, deadline=None)
@given(a=arrays((2, 5)), y=arrays((2, 5)))
def test_square_loss_and_its_derivative(a, y):
    assert square_loss(a, y) == pytest.approx(np.sum((a - y) ** 2) / 10)
    numerical = numerical_gradient(lambda aa: square_loss(aa, y) * 5, a.copy())
    assert relative_error(square_loss_backward(a, y), numerical) < 1e-7


def test_one_hot_and_label_forms_agree():
    labels = np.array([[2, 0, 1]])
    np.testing.assert_array_equal(one_hot(labels, 3), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    probs = softmax(np.random.default_rng(0).standard_normal((3, 3)))[0]
    assert softmax_cross_entropy(probs, labels) == softmax_cross_entropy(probs, one_hot(labels, 3))


@settings(max_examples=20, deadline=None)
@given(W1=arrays((3, 2)), W2=arrays((1, 3)))
def test_l2_penalty_and_its_gradient(W1, W2):
    parameters = {"W1": W1, "b1": np.ones((3, 1)), "W2": W2, "b2": np.ones((1, 1))}
    lambd, m = 0.7, 5
    assert l2_regularization_cost(parameters, lambd, m) == pytest.approx(lambd / (2 * m) * (np.sum(W1**2) + np.sum(W2**2)))
    numerical = numerical_gradient(lambda w: l2_regularization_cost({**parameters, "W1": w}, lambd, m), W1.copy())
    assert relative_error(l2_regularization_backward(W1, lambd, m), numerical) < 1e-7


def test_compute_cost_with_regularization():
    AL, Y = np.array([[0.3, 0.9]]), np.array([[0, 1]])
    parameters = {"W1": np.array([[2.0]]), "b1": np.array([[5.0]])}
    assert compute_cost_with_regularization(AL, Y, parameters, 0.5) == pytest.approx(
        compute_cost(AL, Y) + 0.5 / 4 * 4.0)


@pytest.mark.parametrize("call, message", [
    (lambda: compute_cost(np.ones((1, 3)) / 2, np.ones((3, 1))), r"Y has shape \(3, 1\); expected AL's shape \(1, 3\)"),
    (lambda: compute_cost(np.ones(3) / 2, np.ones(3)), r"AL must be 2-D"),
    (lambda: square_loss(np.ones((2, 3)), np.ones((1, 3))), r"Y has shape \(1, 3\)"),
    (lambda: softmax_cross_entropy(np.ones((3, 2)) / 3, np.array([[0, 3]])), r"labels must lie in \[0, 3\)"),
    (lambda: softmax_cross_entropy(np.ones((3, 2)) / 3, np.array([[0, 1, 2]])), r"Y has shape \(1, 3\); expected labels"),
    (lambda: one_hot(np.array([0.5, 1.0]), 3), "labels must be integers"),
    (lambda: l2_regularization_cost({"W1": np.ones((1, 1))}, -1.0, 3), "lambd must be >= 0"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
