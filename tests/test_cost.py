"""Chapter 5: cost (nnfromscratch.cost)."""

import warnings

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import assume, given, settings
from strategies import arrays

from nnfromscratch.backward import numerical_gradient, relative_error
from nnfromscratch.cost import (
    _cross_entropy_dAL, compute_cost, compute_cost_backward, compute_cost_with_regularization,
    l2_regularization_backward, l2_regularization_cost, log_softmax, one_hot, sigmoid_cross_entropy_backward,
    softmax_cross_entropy, softmax_cross_entropy_backward, softmax_cross_entropy_from_scores, square_loss,
    square_loss_backward,
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
    assume(not np.allclose(a, y))  # equal draws: a zero gradient, whose relative error to round-off is 1
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


def test_the_caps_at_0_and_1_differ_as_the_doubles_do():
    # y = 1 answered 0 costs -log(tiny); y = 0 answered 1 costs -log(2**-53), the smallest positive 1 - a
    assert compute_cost(np.array([[0.0]]), np.array([[1]])) == pytest.approx(-np.log(np.finfo(float).tiny))
    assert compute_cost(np.array([[1.0]]), np.array([[0]])) == pytest.approx(53 * np.log(2))


def test_the_course_dAL_formula_holds_outside_0_1_and_equals_compute_cost_backward_inside():
    AL, Y = np.array([[1.78862847, 0.43650985, -0.5]]), np.array([[1, 0, 0]])
    np.testing.assert_allclose(_cross_entropy_dAL(AL, Y), -(Y / AL - (1 - Y) / (1 - AL)), rtol=1e-15)
    inside = np.array([[0.0, 1e-300, 0.3, 1 - 1e-16, 1.0]])
    labels = np.array([[1, 1, 0, 0, 0]])
    np.testing.assert_array_equal(_cross_entropy_dAL(inside, labels), compute_cost_backward(inside, labels))
    assert np.all(np.isfinite(compute_cost_backward(inside, labels)))


def _cross_entropy_by_hand(Z, labels):
    """-log softmax(Z)[label] per column, with Python's math on each column (log-sum-exp written out)."""
    import math
    total = 0.0
    for j, c in enumerate(labels.ravel()):
        column = Z[:, j].tolist()
        M = max(column)
        total += M + math.log(math.fsum(math.exp(z - M) for z in column)) - column[c]
    return total / Z.shape[1]


@settings(max_examples=25, deadline=None)
@given(Z=arrays((4, 5), -40.0, 40.0), labels=arrays((1, 5), 0.0, 3.999))
def test_loss_from_scores_equals_the_loss_from_probabilities_where_they_are_accurate(Z, labels):
    labels = labels.astype(np.int64)
    from_scores = softmax_cross_entropy_from_scores(Z, labels)
    assert from_scores == pytest.approx(_cross_entropy_by_hand(Z, labels), rel=1e-12)
    assert from_scores == pytest.approx(softmax_cross_entropy(softmax(Z)[0], labels), rel=1e-9)
    assert from_scores == pytest.approx(softmax_cross_entropy_from_scores(Z, one_hot(labels, 4)), rel=1e-15)
    np.testing.assert_allclose(np.exp(log_softmax(Z)), softmax(Z)[0], rtol=1e-12, atol=1e-300)


def test_loss_from_scores_is_not_capped():
    Z = np.array([[0.0, 0.0], [2000.0, 1.0], [0.0, 0.0]])
    labels = np.array([[0, 1]])
    assert softmax_cross_entropy(softmax(Z)[0], labels) < 710 / 2 + 1     # capped near 708 per example
    assert softmax_cross_entropy_from_scores(Z, labels) == pytest.approx(_cross_entropy_by_hand(Z, labels), rel=1e-14)
    assert softmax_cross_entropy_from_scores(Z, labels) > 999


def test_loss_from_scores_matches_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    Z = rng.normal(0, 300, size=(6, 9))
    labels = rng.integers(0, 6, size=(1, 9))
    expected = torch.nn.functional.cross_entropy(torch.tensor(Z.T), torch.tensor(labels.ravel())).item()
    assert softmax_cross_entropy_from_scores(Z, labels) == pytest.approx(expected, rel=1e-12)


def test_no_warning_for_any_finite_input():
    huge = np.array([[1e308, -1e308], [-1e308, 1e308], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert softmax_cross_entropy_from_scores(huge, np.array([[1, 0]])) == np.inf  # beyond the largest double
        assert np.isfinite(softmax_cross_entropy_from_scores(huge, np.array([[0, 1]])))
        assert np.all(np.isfinite(log_softmax(huge)[[0, 1], [0, 1]]))
        assert square_loss(np.full((1, 2), 1e200), np.zeros((1, 2))) == np.inf
        assert np.all(np.isfinite(square_loss_backward(np.full((1, 2), 1e200), np.zeros((1, 2)))))
        assert l2_regularization_cost({"W1": np.full((2, 2), 1e200), "b1": np.zeros((2, 1))}, 0.5, 3) == np.inf
        assert np.all(np.isfinite(l2_regularization_backward(np.full((2, 2), 1e300), 0.5, 3)))
        assert np.all(np.isfinite(compute_cost_backward(np.array([[0.0, 1.0, 5e-324]]), np.array([[1, 0, 1]]))))
        assert np.isfinite(softmax_cross_entropy(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1, 0]])))


def test_float_and_integer_labels_and_lists_are_accepted():
    assert compute_cost_with_regularization([[0.3, 0.9]], [[0.0, 1.0]], {"W1": [[1.0]], "b1": [[0.0]]}, 0.0) == \
        pytest.approx(compute_cost(np.array([[0.3, 0.9]]), np.array([[0, 1]])))
    np.testing.assert_array_equal(one_hot([[1.0, 0.0]], 2), [[0, 1], [1, 0]])


P = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
PROBS = np.full((3, 2), 1 / 3)

BAD_INPUTS = [
    ("backward-logits", lambda: compute_cost_backward(np.array([[2.3, -1.2]]), np.array([[1, 0]])), ValueError,
     "AL must hold values in [0, 1]"),
    ("backward-digit-labels", lambda: compute_cost_backward(np.array([[0.9, 0.2]]), np.array([[7, 0]])), ValueError,
     "Y must hold values in [0, 1]"),
    ("backward-empty", lambda: compute_cost_backward(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, "no examples"),
    ("backward-Y-shape", lambda: compute_cost_backward(np.ones((1, 2)) / 2, np.ones((2, 1))), ValueError,
     "Y has shape (2, 1); expected AL's shape (1, 2)"),
    ("backward-AL-None", lambda: compute_cost_backward(None, np.ones((1, 2))), TypeError, "AL must be a numeric array"),
    ("backward-Y-string", lambda: compute_cost_backward(np.ones((1, 2)) / 2, "ab"), TypeError,
     "Y must be a numeric array"),
    ("backward-AL-nan", lambda: compute_cost_backward(np.array([[np.nan, 0.5]]), np.ones((1, 2))), ValueError,
     "AL must hold values in [0, 1]"),
    ("backward-AL-1d", lambda: compute_cost_backward(np.ones(3) / 2, np.ones(3)), ValueError, "AL must be 2-D"),
    ("fused-logits", lambda: sigmoid_cross_entropy_backward(np.array([[3.0]]), np.array([[1]])), ValueError,
     "AL must hold values in [0, 1]"),
    ("regularized-logits", lambda: compute_cost_with_regularization(np.array([[-2.0]]), np.array([[1]]), P, 0.1),
     ValueError, "AL must hold values in [0, 1]"),
    ("regularized-labels", lambda: compute_cost_with_regularization(np.array([[0.5]]), np.array([[2]]), P, 0.1),
     ValueError, "Y must hold values in [0, 1]"),
    ("regularized-lambd-string", lambda: compute_cost_with_regularization(np.array([[0.5]]), np.array([[1]]), P, "0.7"),
     TypeError, "lambd must be a real number"),
    ("regularized-lambd-None", lambda: compute_cost_with_regularization(np.array([[0.5]]), np.array([[1]]), P, None),
     TypeError, "lambd must be a real number"),
    ("l2-parameters-list", lambda: l2_regularization_cost([np.ones((1, 1))], 0.1, 3), TypeError,
     "parameters must be a dict"),
    ("l2-negative-lambd", lambda: l2_regularization_cost(P, -1.0, 3), ValueError, "lambd must be in [0, inf)"),
    ("l2-nan-lambd", lambda: l2_regularization_cost(P, np.nan, 3), ValueError, "lambd must be finite"),
    ("l2-m-zero", lambda: l2_regularization_cost(P, 0.1, 0), ValueError, "m must be in [1, inf)"),
    ("l2-W-string", lambda: l2_regularization_cost({"W1": "ab", "b1": np.ones((1, 1))}, 0.1, 3), TypeError,
     "parameters['W1'] must be a numeric array"),
    ("l2-backward-m-float", lambda: l2_regularization_backward(np.ones((1, 1)), 0.1, 2.5), TypeError,
     "m must be an integer"),
    ("l2-backward-W-None", lambda: l2_regularization_backward(None, 0.1, 2), TypeError, "W must be a numeric array"),
    ("square-shape", lambda: square_loss(np.ones((2, 3)), np.ones((1, 3))), ValueError, "Y has shape (1, 3)"),
    ("square-empty", lambda: square_loss(np.ones((2, 0)), np.ones((2, 0))), ValueError, "no examples"),
    ("square-backward-None", lambda: square_loss_backward(None, np.ones((1, 1))), TypeError,
     "AL must be a numeric array"),
    ("softmax-label-range", lambda: softmax_cross_entropy(PROBS, np.array([[0, 3]])), ValueError,
     "labels must lie in [0, 3)"),
    ("softmax-Y-shape", lambda: softmax_cross_entropy(PROBS, np.array([[0, 1, 2]])), ValueError,
     "Y has shape (1, 3); expected labels (1, 2) or one-hot (3, 2)"),
    ("softmax-scores-as-AL", lambda: softmax_cross_entropy(np.array([[2.0, -1.0], [0.5, 3.0]]), np.array([[0, 1]])),
     ValueError, "AL must hold values in [0, 1]"),
    ("softmax-empty", lambda: softmax_cross_entropy(np.ones((3, 0)), np.ones((1, 0))), ValueError, "no examples"),
    ("softmax-onehot-values", lambda: softmax_cross_entropy_backward(PROBS, 2 * np.eye(3)[:, :2]), ValueError,
     "Y must hold values in [0, 1]"),
    ("softmax-AL-None", lambda: softmax_cross_entropy_backward(None, np.array([[0, 1]])), TypeError,
     "AL must be a numeric array"),
    ("scores-label-range", lambda: softmax_cross_entropy_from_scores(PROBS, np.array([[0, 5]])), ValueError,
     "labels must lie in [0, 3)"),
    ("scores-1d", lambda: softmax_cross_entropy_from_scores(np.ones(3), np.array([[0]])), ValueError,
     "ZL must be 2-D"),
    ("scores-None", lambda: softmax_cross_entropy_from_scores(None, np.array([[0]])), TypeError,
     "ZL must be a numeric array"),
    ("scores-Y-shape", lambda: softmax_cross_entropy_from_scores(PROBS, np.array([[0]])), ValueError,
     "to match ZL (3, 2)"),
    ("log-softmax-None", lambda: log_softmax(None), TypeError, "ZL must be a numeric array"),
    ("one-hot-fractional", lambda: one_hot(np.array([0.5, 1.0]), 3), ValueError, "labels must be integers"),
    ("one-hot-nan", lambda: one_hot(np.array([np.nan, 1.0]), 3), ValueError, "labels must hold only finite numbers"),
    ("one-hot-zero-classes", lambda: one_hot(np.array([0]), 0), ValueError, "num_classes must be in [1, inf)"),
    ("one-hot-string-classes", lambda: one_hot(np.array([0]), "3"), TypeError, "num_classes must be an integer"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS])
def test_bad_input(call, exception, message):
    assert_raises_naming(call, exception, message)
