"""Chapter 2: one neuron, logistic regression (nnfromscratch.logistic_regression).

Expected values are the deeplearning.ai course's published test values (course 1, week 2, "Logistic Regression with
a Neural Network mindset"), hand computations, or PyTorch's autograd; none is copied from the code under test.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from checks import assert_raises_naming

from nnfromscratch.data import load_dataset
from nnfromscratch.logistic_regression import (compute_cost, initialize_with_zeros, logistic_regression_model, optimize,
                                               predict_logistic, propagate)

# the course's test inputs for propagate and optimize
W = np.array([[1.0], [2.0]])
B = 2.0
X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
Y = np.array([[1, 0, 1]])

CAT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "catvnoncat"


def test_initialize_with_zeros():
    w, b = initialize_with_zeros(3)
    assert w.shape == (3, 1) and w.dtype == np.float64 and not w.any()
    assert type(b) is float and b == 0.0


def test_propagate_reproduces_the_course():
    grads, cost = propagate(W, B, X, Y)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], rtol=1e-8)
    assert grads["dw"].shape == (2, 1)
    assert grads["db"] == pytest.approx(0.00145557813678, rel=1e-10)
    assert cost == pytest.approx(5.801545319394553, rel=1e-13)
    assert type(cost) is float and type(grads["db"]) is float


def test_propagate_at_zero_by_hand():
    # w = 0, b = 0: every a = 1/2, so the cost is log 2, dw = X (1/2 - Y)^T / m and db = mean(1/2 - Y)
    grads, cost = propagate(np.zeros((2, 1)), 0.0, X, Y)
    assert cost == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(grads["dw"], [[(1 * -0.5 + 2 * 0.5 + -1 * -0.5) / 3], [(3 * -0.5 + 4 * 0.5 + -3.2 * -0.5) / 3]],
                               rtol=1e-14)
    assert grads["db"] == pytest.approx(-1 / 6, rel=1e-15)


def test_optimize_reproduces_the_course():
    params, grads, costs = optimize(W, B, X, Y, num_iterations=100, learning_rate=0.009)
    np.testing.assert_allclose(params["w"], [[0.19033591], [0.12259159]], rtol=1e-7)
    assert params["b"] == pytest.approx(1.92535983008, rel=1e-10)
    np.testing.assert_allclose(grads["dw"], [[0.67752042], [1.41625495]], rtol=1e-7)
    assert grads["db"] == pytest.approx(0.219194504541, rel=1e-10)
    assert costs == [pytest.approx(5.801545319394553, rel=1e-13)]


def test_optimize_leaves_its_inputs_alone_and_records_every_100_iterations(capsys):
    w, X_copy = W.copy(), X.copy()
    _, _, costs = optimize(w, B, X, Y, num_iterations=250, learning_rate=0.009, print_cost=True)
    np.testing.assert_array_equal(w, W)
    np.testing.assert_array_equal(X, X_copy)
    assert len(costs) == 3  # iterations 0, 100 and 200, as the course records them
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in printed] == [f"Cost after iteration {i}" for i in (0, 100, 200)]
    assert printed[0] == "Cost after iteration 0: 5.801545"


def test_predict_logistic_reproduces_the_course():
    w, b = np.array([[0.1124579], [0.23106775]]), -0.3
    predictions = predict_logistic(w, b, np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]]))
    np.testing.assert_array_equal(predictions, [[1.0, 1.0, 0.0]])
    assert predictions.dtype == np.float64


def test_predict_logistic_says_no_at_exactly_one_half():
    # the course's threshold is strict: a = 0.5 (z = 0) is a 0
    np.testing.assert_array_equal(predict_logistic(np.zeros((2, 1)), 0.0, X), [[0.0, 0.0, 0.0]])


def test_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    X_, w_, b_ = rng.standard_normal((5, 7)), rng.standard_normal((5, 1)), 0.3
    Y_ = (rng.random((1, 7)) > 0.5).astype(float)
    grads, cost = propagate(w_, b_, X_, Y_)
    wt = torch.tensor(w_, requires_grad=True)
    bt = torch.tensor(b_, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(wt.T @ torch.tensor(X_) + bt, torch.tensor(Y_))
    loss.backward()
    assert cost == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(grads["dw"], wt.grad.numpy(), rtol=1e-12)
    assert grads["db"] == pytest.approx(bt.grad.item(), rel=1e-12)


def test_model_returns_the_course_dictionary():
    # a separable toy problem: label 1 exactly when the first feature is positive
    X_train = np.array([[-2.0, -1.0, 1.0, 2.0], [0.5, -0.5, 0.5, -0.5]])
    Y_train = np.array([[0, 0, 1, 1]])
    d = logistic_regression_model(X_train, Y_train, X_train[:, :2], Y_train[:, :2], num_iterations=300,
                                  learning_rate=0.1)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b", "learning_rate", "num_iterations"}
    assert d["learning_rate"] == 0.1 and d["num_iterations"] == 300
    assert len(d["costs"]) == 3 and d["costs"][0] == pytest.approx(math.log(2))
    assert d["w"].shape == (2, 1) and d["Y_prediction_test"].shape == (1, 2)
    np.testing.assert_array_equal(d["Y_prediction_train"], Y_train)


def test_finite_extreme_scores_stay_finite_and_silent():
    # |z| = 1e4: the sigmoid saturates to exactly 0 or 1, and the cost and gradients must stay finite with no warning
    # (pyproject turns RuntimeWarnings from nnfromscratch into errors)
    grads, cost = propagate(np.array([[1e4]]), 0.0, np.array([[1.0, -1.0]]), np.array([[0, 1]]))
    assert np.isfinite(cost) and cost > 300  # both examples confidently wrong: about (708 + 37) / 2
    np.testing.assert_allclose(grads["dw"], [[1.0]])
    assert grads["db"] == 0.0


@pytest.mark.skipif(not (CAT_DATA / "train_catvnoncat.h5").is_file(),
                    reason="the course's cat files are not next to the repository (../shared/data/catvnoncat)")
def test_cat_data_reproduces_the_course(capsys):
    train_x, train_y, test_x, test_y, _ = load_dataset(CAT_DATA / "train_catvnoncat.h5",
                                                       CAT_DATA / "test_catvnoncat.h5")
    d = logistic_regression_model(train_x, train_y, test_x, test_y, num_iterations=2000, learning_rate=0.005,
                                  print_cost=True)
    printed = capsys.readouterr().out
    assert "Cost after iteration 0: 0.693147" in printed
    assert d["costs"][0] == pytest.approx(0.693147, abs=5e-7)
    assert 100 - np.mean(np.abs(d["Y_prediction_train"] - train_y)) * 100 == pytest.approx(99.04306220095694)
    assert 100 - np.mean(np.abs(d["Y_prediction_test"] - test_y)) * 100 == pytest.approx(70.0)


def _ok():
    return dict(w=np.zeros((2, 1)), b=0.0, X=X.copy(), Y=Y.copy())


def _call(function, **changes):
    arguments = {**_ok(), **changes}
    return lambda: function(**arguments)


X_NAN = np.array([[1.0, np.nan, 0.0], [0.0, 1.0, 2.0]])
X_INF = np.array([[1.0, np.inf, 0.0], [0.0, 1.0, 2.0]])
DIGIT_X, DIGIT_Y = np.ones((4, 6)), np.array([[0, 1, 0, 1, 0, 1]])


def _model(**changes):
    arguments = dict(X_train=DIGIT_X, Y_train=DIGIT_Y, X_test=DIGIT_X[:, :2], Y_test=DIGIT_Y[:, :2], num_iterations=3,
                     learning_rate=0.1)
    arguments.update(changes)
    return lambda: logistic_regression_model(**arguments)


BAD_INPUT = [
    # (id, call, exception, text the message must contain)
    ("dim-zero", lambda: initialize_with_zeros(0), ValueError, "dim"),
    ("dim-float", lambda: initialize_with_zeros(2.5), TypeError, "dim"),
    ("w-X-mismatch", _call(propagate, w=np.zeros((3, 1))), ValueError, "w has shape (3, 1) but X has shape (2, 3)"),
    ("w-1d", _call(propagate, w=np.zeros(2)), ValueError, "w must be 2-D"),
    ("w-not-a-column", _call(propagate, w=np.zeros((2, 2))), ValueError, "w has shape (2, 2)"),
    ("w-nan", _call(propagate, w=np.array([[np.nan], [0.0]])), ValueError, "w must hold only finite"),
    ("b-array", _call(propagate, b=np.zeros((1, 1))), TypeError, "b must be a real number"),
    ("b-string", _call(propagate, b="0"), TypeError, "b must be a real number"),
    ("b-nan", _call(propagate, b=float("nan")), ValueError, "b must be finite"),
    ("X-nan", _call(propagate, X=X_NAN), ValueError, "X must hold only finite numbers"),
    ("X-inf", _call(propagate, X=X_INF), ValueError, "X must hold only finite numbers"),
    ("X-1d", _call(propagate, w=np.zeros((3, 1)), X=np.ones(3)), ValueError, "X must be 2-D"),
    ("X-empty", _call(propagate, X=np.zeros((2, 0)), Y=np.zeros((1, 0))), ValueError, "X must not be empty"),
    ("X-strings", _call(propagate, X=np.array([["a", "b", "c"], ["d", "e", "f"]])), TypeError, "X must be a numeric"),
    ("Y-label-2", _call(propagate, Y=np.array([[1, 2, 0]])), ValueError, "Y must hold labels 0 or 1; got [2.0]"),
    ("Y-label-half", _call(propagate, Y=np.array([[1, 0.5, 0]])), ValueError, "Y must hold labels 0 or 1"),
    ("Y-label-minus-1", _call(propagate, Y=np.array([[1, -1, 0]])), ValueError, "Y must hold labels 0 or 1"),
    ("Y-column", _call(propagate, Y=np.array([[1], [0], [1]])), ValueError, "Y has shape (3, 1); expected (1, 3)"),
    ("Y-nan", _call(propagate, Y=np.array([[1, np.nan, 0]])), ValueError, "Y must hold only finite"),
    ("optimize-w-X-mismatch", _call(optimize, w=np.zeros((3, 1))), ValueError, "w has shape (3, 1)"),
    ("optimize-X-nan", _call(optimize, X=X_NAN), ValueError, "X must hold only finite"),
    ("optimize-Y-label", _call(optimize, Y=np.array([[3, 0, 1]])), ValueError, "Y must hold labels 0 or 1"),
    ("learning-rate-zero", _call(optimize, learning_rate=0.0), ValueError, "learning_rate"),
    ("learning-rate-negative", _call(optimize, learning_rate=-0.1), ValueError, "learning_rate"),
    ("learning-rate-nan", _call(optimize, learning_rate=float("nan")), ValueError, "learning_rate must be finite"),
    ("learning-rate-string", _call(optimize, learning_rate="0.1"), TypeError, "learning_rate"),
    ("iterations-zero", _call(optimize, num_iterations=0), ValueError, "num_iterations"),
    ("iterations-negative", _call(optimize, num_iterations=-5), ValueError, "num_iterations"),
    ("iterations-float", _call(optimize, num_iterations=2.5), TypeError, "num_iterations"),
    ("print-cost-string", _call(optimize, print_cost="yes"), TypeError, "print_cost"),
    ("predict-w-X-mismatch", lambda: predict_logistic(np.zeros((3, 1)), 0.0, X), ValueError, "w has shape (3, 1)"),
    ("predict-X-nan", lambda: predict_logistic(np.zeros((2, 1)), 0.0, X_NAN), ValueError, "X must hold only finite"),
    ("model-X_train-nan", _model(X_train=np.full((4, 6), np.nan)), ValueError, "X_train must hold only finite"),
    ("model-Y_train-label", _model(Y_train=np.array([[0, 1, 2, 1, 0, 1]])), ValueError, "Y_train must hold labels"),
    ("model-Y_train-shape", _model(Y_train=np.array([[0, 1, 0]])), ValueError, "Y_train has shape (1, 3)"),
    ("model-X_test-features", _model(X_test=np.ones((3, 2))), ValueError, "X_test has shape (3, 2); expected (4, m)"),
    ("model-Y_test-label", _model(Y_test=np.array([[0, 5]])), ValueError, "Y_test must hold labels 0 or 1"),
    ("model-X_test-nan", _model(X_test=np.full((4, 2), np.nan)), ValueError, "X_test must hold only finite"),
    ("model-learning-rate", _model(learning_rate=-1.0), ValueError, "learning_rate"),
    ("model-iterations", _model(num_iterations=0), ValueError, "num_iterations"),
    # compute_cost (moved here from chapter 5) checks what chapter 5's costs check
    ("cost-logits", lambda: compute_cost(np.array([[2.5, -1.0]]), np.array([[1, 0]])), ValueError, "AL must hold values in [0, 1]"),
    ("cost-labels-0-9", lambda: compute_cost(np.array([[0.5, 0.5]]), np.array([[3, 0]])), ValueError, "Y must hold values in [0, 1]"),
    ("cost-empty", lambda: compute_cost(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, "no examples"),
    ("cost-shapes", lambda: compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 0, 1]])), ValueError, "Y has shape (1, 3)"),
    ("cost-AL-string", lambda: compute_cost("0.5", np.array([[1]])), TypeError, "AL must be a numeric array"),
    ("cost-Y-none", lambda: compute_cost(np.array([[0.5]]), None), TypeError, "Y must be a numeric array"),
]


@pytest.mark.parametrize("call, exception, text", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input(call, exception, text):
    assert_raises_naming(call, exception, text)
