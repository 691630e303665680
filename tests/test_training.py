"""Chapter 7: update and training (nnfromscratch.training), and the object level."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import networks

from nnfromscratch.backward import L_model_backward, numerical_gradient, relative_error
from nnfromscratch.cost import compute_cost, square_loss
from nnfromscratch.data import load_circles_dataset, load_dataset
from nnfromscratch.forward import L_model_forward
from nnfromscratch.training import (
    FC, CrossEntropyLoss, L_layer_model, Net, SquareLoss, accuracy, gradient_step, predict, two_layer_model,
    update_parameters,
)

COURSE_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "catvnoncat"


def _params():
    return {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[0.5]])}


def test_update_parameters_by_hand_and_without_touching_the_input():
    params = _params()
    new = update_parameters(params, {"dW1": np.array([[0.1, 0.2]]), "db1": np.array([[-1.0]])}, 0.5)
    np.testing.assert_allclose(new["W1"], [[0.95, -2.1]])
    np.testing.assert_allclose(new["b1"], [[1.0]])
    np.testing.assert_array_equal(params["W1"], [[1.0, -2.0]])


@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from([np.float64, np.float32]),
       st.floats(1e-4, 10.0), st.integers(0, 2**32 - 1))
def test_gradient_step_is_exactly_the_textbook_formula(rows, cols, dtype, learning_rate, seed):
    rng = np.random.default_rng(seed)
    value, grad = (rng.standard_normal((rows, cols)).astype(dtype) for _ in range(2))
    kept = value.copy()
    step = gradient_step(value, grad, learning_rate)
    np.testing.assert_array_equal(step, value - learning_rate * grad)   # bit for bit, not merely close
    assert step.dtype == dtype and step is not value
    np.testing.assert_array_equal(value, kept)


def test_gradient_step_promotes_mixed_dtypes_like_numpy():
    step = gradient_step(np.ones(3, dtype=np.float32), np.full(3, 0.5), 0.1)
    assert step.dtype == np.float64
    np.testing.assert_allclose(step, 0.95)


@pytest.mark.parametrize("grads, learning_rate, exception, message", [
    ({"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}, 0.0, ValueError, "learning_rate must be a finite number > 0; got 0.0"),
    ({"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}, -0.1, ValueError, "got -0.1"),
    ({"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}, float("nan"), ValueError, "got nan"),
    ({"dW1": np.zeros((1, 2))}, 0.1, KeyError, "grads has no 'db1'"),
    ({"dW1": np.zeros((2, 1)), "db1": np.zeros((1, 1))}, 0.1, ValueError,
     r"grads\['dW1'\] has shape \(2, 1\); expected W1's shape \(1, 2\)"),
])
def test_update_parameters_bad_input(grads, learning_rate, exception, message):
    with pytest.raises(exception, match=message):
        update_parameters(_params(), grads, learning_rate)


def test_mini_network_reaches_full_accuracy_on_a_separable_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 200))
    Y = (X[0] + 2 * X[1] > 0).astype(int).reshape(1, -1)
    parameters, costs = L_layer_model(X, Y, [2, 4, 1], learning_rate=0.5, num_iterations=1500, rng=0, progress=False)
    assert accuracy(predict(X, None, parameters), Y) == 1.0
    assert costs[-1] < costs[0] / 10


def test_costs_are_recorded_every_print_every_iterations_and_at_the_end(capsys):
    X, Y, _, _ = load_circles_dataset()
    _, costs = L_layer_model(X, Y, [2, 3, 1], learning_rate=0.1, num_iterations=250, print_cost=True, rng=0,
                             print_every=100, progress=True)
    captured = capsys.readouterr()
    assert len(costs) == 4  # iterations 0, 100, 200 and 249
    assert "Cost after iteration 0:" in captured.out and "Cost after iteration 249:" in captured.out
    assert "250/250" in captured.err  # the progress bar


def test_softmax_output_is_chosen_by_the_last_layer_size():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 90))
    Y = np.argmax(np.vstack([X[0], X[1], -X[0] - X[1]]), axis=0).reshape(1, -1)
    parameters, _ = L_layer_model(X, Y, [2, 8, 3], learning_rate=0.5, num_iterations=800, rng=0, progress=False)
    predictions = predict(X, None, parameters)
    assert set(np.unique(predictions)) <= {0, 1, 2}
    assert accuracy(predictions, Y) > 0.95


def test_divergence_stops_with_the_iteration():
    X, Y, _, _ = load_circles_dataset()
    with pytest.raises(FloatingPointError, match=r"training diverged at iteration \d+"):
        L_layer_model(X, Y, [2, 3, 1], learning_rate=100.0, lambd=1000.0, num_iterations=2000, rng=0, progress=False)


def test_a_nan_in_the_data_is_reported_not_propagated():
    X, Y, _, _ = load_circles_dataset()
    X = X.copy()
    X[0, 5] = np.nan
    with pytest.raises(FloatingPointError, match="iteration 0"):
        L_layer_model(X, Y, [2, 3, 1], num_iterations=5, rng=0, progress=False)


@pytest.mark.parametrize("kwargs, message", [
    (dict(layers_dims=[3, 4, 1]), r"X has shape \(2, 300\); expected \(n_x, m\) with n_x == layers_dims\[0\] == 3"),
    (dict(Y=np.zeros((300, 1))), r"Y has shape \(300, 1\); expected \(1, 300\)"),
    (dict(learning_rate=0), "learning_rate must be a finite number > 0"),
    (dict(num_iterations=0), "num_iterations must be a positive integer"),
    (dict(layers_dims=[2]), "at least two sizes"),
    (dict(layers_dims=[2, -1, 1]), r"layer_dims\[1\] must be a positive integer"),
    (dict(hidden_activation="swish"), "activation must be one of"),
])
def test_L_layer_model_bad_input(kwargs, message):
    X, Y, _, _ = load_circles_dataset()
    arguments = dict(X=X, Y=Y, layers_dims=[2, 3, 1], num_iterations=3, progress=False, rng=0)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        L_layer_model(**arguments)


def test_two_layer_model_wants_three_sizes():
    with pytest.raises(ValueError, match=r"layers_dims must be \(n_x, n_h, n_y\)"):
        two_layer_model(np.ones((2, 3)), np.ones((1, 3)), [2, 3, 3, 1])


def test_accuracy_and_predict():
    assert accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    with pytest.raises(ValueError, match=r"Y has shape \(4, 1\)"):
        accuracy(np.array([[1, 0, 1, 1]]), np.ones((4, 1)))
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    np.testing.assert_array_equal(predict(np.array([[2.0, 0.0], [1.0, 1.0]]), None, parameters), [[1, 0]])


# ------------------------------------------------------------------------------------------ the object level

def _net_like(parameters, hidden="relu"):
    L = len(parameters) // 2
    layers = [FC(parameters[f"W{l}"].shape[1], parameters[f"W{l}"].shape[0], hidden if l < L else "sigmoid")
              for l in range(1, L + 1)]
    net = Net(layers, CrossEntropyLoss())
    net.set_parameters(parameters)
    return net


@settings(max_examples=30, deadline=None)
@given(net_case=networks(), hidden=st.sampled_from(["relu", "tanh"]))
def test_object_level_equals_functional_level(net_case, hidden):
    _, parameters, X, seed = net_case
    Y = (np.random.default_rng(seed).random((1, X.shape[1])) > 0.5).astype(float)
    net = _net_like(parameters, hidden)
    loss = net.loss(X, Y)
    dX = net.backward()
    AL, caches = L_model_forward(X, parameters, hidden_activation=hidden)
    grads = L_model_backward(AL, Y, caches, hidden_activation=hidden)
    np.testing.assert_array_equal(net.forward(X), AL)
    assert loss == compute_cost(AL, Y)
    for key, value in net.gradients().items():
        np.testing.assert_allclose(value, grads[key], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dX, grads["dA1"], rtol=1e-10, atol=1e-13)


@settings(max_examples=20, deadline=None)
@given(net_case=networks())
def test_net_with_square_loss_matches_centred_differences(net_case):
    _, parameters, X, seed = net_case
    Y = np.random.default_rng(seed).random((1, X.shape[1]))
    net = Net([FC(p.shape[1], p.shape[0], "tanh") for k, p in sorted(parameters.items()) if k.startswith("W")],
              SquareLoss())
    net.set_parameters(parameters)
    net.loss(X, Y)
    net.backward()
    analytic = net.gradients()
    for key, value in parameters.items():
        def J(p):
            probe = Net(net.layers, SquareLoss())
            probe.set_parameters({**parameters, key: p})
            return probe.loss(X, Y)
        assert relative_error(analytic["d" + key], numerical_gradient(J, value.copy())) < 1e-7
    assert square_loss(net.forward(X), Y) >= 0


def test_net_trains_xor_with_the_material_settings():
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    net = Net([FC(2, 4, "sigmoid", init="random", scale=1.0, rng=0), FC(4, 1, "sigmoid", init="random", scale=1.0,
                                                                          rng=1)], SquareLoss())
    losses = net.fit(X, Y, num_iterations=10000, learning_rate=2.0, progress=False)
    assert losses[-1] < 1e-3
    np.testing.assert_array_equal(net.forward(X) > 0.5, Y > 0.5)


def test_net_step_accepts_an_optimizer_object():
    class HalfStep:
        def step(self, parameters, grads):
            return {key: value - 0.5 * grads["d" + key] for key, value in parameters.items()}

    net = Net([FC(2, 1, "sigmoid", rng=0)], CrossEntropyLoss())
    before = net.parameters()
    X, Y = np.ones((2, 3)), np.ones((1, 3))
    net.loss(X, Y)
    net.backward()
    grads = net.gradients()
    net.step(optimizer=HalfStep())
    np.testing.assert_allclose(net.parameters()["W1"], before["W1"] - 0.5 * grads["dW1"])


def test_object_level_errors_and_repr():
    layer = FC(3, 2)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((2, 1)))
    net = Net([layer], SquareLoss())
    with pytest.raises(ValueError, match=r"shape \(3, 2\); expected W1's shape \(2, 3\)"):
        net.set_parameters({"W1": np.ones((3, 2)), "b1": np.ones((2, 1))})
    assert repr(net) == "Net([FC(3, 2, activation='relu')], SquareLoss())"


# ------------------------------------------------------------------------- the course's published numbers

@pytest.mark.skipif(not COURSE_DATA.is_dir(), reason="the course's cat/non-cat files are not beside the repository")
def test_reproduces_the_course_published_costs():
    train_x, train_y, _, _, _ = load_dataset(COURSE_DATA / "train_catvnoncat.h5", COURSE_DATA / "test_catvnoncat.h5")
    # "Deep Neural Network - Application": two_layer_model, n_h = 7, learning rate 0.0075, np.random.seed(1)
    _, costs = two_layer_model(train_x, train_y, (12288, 7, 1), num_iterations=101, rng=np.random.RandomState(1),
                               progress=False)
    assert costs[0] == pytest.approx(0.6930497356599888, abs=1e-12)
    assert costs[1] == pytest.approx(0.6464320953428849, abs=1e-12)
    # L_layer_model [12288, 20, 7, 5, 1], weights N(0, 1) / sqrt(n_prev) (the course's helper), np.random.seed(1)
    _, costs = L_layer_model(train_x, train_y, [12288, 20, 7, 5, 1], num_iterations=201,
                             rng=np.random.RandomState(1), init="xavier", progress=False)
    assert [round(c, 6) for c in costs] == [0.771749, 0.672053, 0.648263]
