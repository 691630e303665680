"""Chapter 7: update and training (nnfromscratch.training), and the object level."""

from pathlib import Path

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import networks

from nnfromscratch.backward import L_model_backward, numerical_gradient, relative_error
from nnfromscratch.cost import compute_cost, square_loss
from nnfromscratch.data import load_circles_dataset, load_dataset
from nnfromscratch.forward import L_model_forward
from nnfromscratch.training import (
    FC, CrossEntropyLoss, L_layer_model, Net, SquareLoss, accuracy, gradient_step, plot_costs, plot_decision_boundary,
    predict, two_layer_model, update_parameters,
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


def test_accuracy_and_predict():
    assert accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    np.testing.assert_array_equal(predict(np.array([[2.0, 0.0], [1.0, 1.0]]), None, parameters), [[1, 0]])


# ------------------------------------------------------------------------------------------ bad input

CIRCLES_X, CIRCLES_Y, _, _ = load_circles_dataset()
P1 = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[0.5]])}
G1 = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
NET_PARAMS = {"W1": np.ones((4, 2)), "b1": np.ones((4, 1)), "W2": np.ones((1, 4)), "b2": np.ones((1, 1))}


def _model(**kwargs):
    arguments = dict(X=CIRCLES_X, Y=CIRCLES_Y, layers_dims=[2, 3, 1], num_iterations=3, progress=False, rng=0)
    arguments.update(kwargs)
    return L_layer_model(**arguments)


def _with(array, index, value):
    array = np.array(array, dtype=float)
    array[index] = value
    return array


def _xor_net(loss=None):
    return Net([FC(2, 4, "sigmoid", rng=0), FC(4, 1, "sigmoid", rng=1)], loss or SquareLoss())


def _fit(**kwargs):
    arguments = dict(X=np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]), Y=np.array([[0.0, 1.0, 1.0, 0.0]]),
                     num_iterations=3, learning_rate=0.5, progress=False)
    arguments.update(kwargs)
    net = arguments.pop("net", None) or _xor_net()
    return net.fit(**arguments)


def _backward_before_forward(loss):
    loss.backward()


def _layer_backward(dA):
    layer = FC(3, 2)
    layer.forward(np.ones((3, 5)))
    return layer.backward(dA)


class _Exploding:
    def step(self, parameters, grads):
        return {key: value * 1e200 for key, value in parameters.items()}


# (id, call, exception type, substring the message must contain)
BAD_INPUT = [
    # update_parameters
    ("update-lr-zero", lambda: update_parameters(P1, G1, 0.0), ValueError, "learning_rate must be in (0, inf); got 0.0"),
    ("update-lr-negative", lambda: update_parameters(P1, G1, -0.1), ValueError, "learning_rate must be in (0, inf)"),
    ("update-lr-nan", lambda: update_parameters(P1, G1, float("nan")), ValueError, "learning_rate must be finite"),
    ("update-lr-string", lambda: update_parameters(P1, G1, "0.1"), TypeError,
     "learning_rate must be a real number; got '0.1'"),
    ("update-lr-none", lambda: update_parameters(P1, G1, None), TypeError, "learning_rate must be a real number; got None"),
    ("update-missing-grad", lambda: update_parameters(P1, {"dW1": np.zeros((1, 2))}, 0.1), KeyError,
     "grads has no 'db1'"),
    ("update-grad-shape", lambda: update_parameters(P1, {"dW1": np.zeros((2, 1)), "db1": np.zeros((1, 1))}, 0.1),
     ValueError, "grads['dW1'] has shape (2, 1); expected W1's shape (1, 2)"),
    ("update-grads-list", lambda: update_parameters(P1, [np.zeros((1, 2))], 0.1), TypeError,
     "grads must be a dict of arrays; got list"),
    ("update-parameters-none", lambda: update_parameters(None, G1, 0.1), TypeError, "parameters must be a dict"),
    ("update-parameters-empty", lambda: update_parameters({}, {}, 0.1), ValueError,
     "parameters must hold at least one parameter"),
    # L_layer_model: the data
    ("model-x-wrong-n_x", lambda: _model(layers_dims=[3, 4, 1]), ValueError,
     "X has shape (2, 300); expected (n_x, m) with n_x == layers_dims[0] == 3"),
    ("model-x-nan", lambda: _model(X=_with(CIRCLES_X, (0, 5), np.nan)), ValueError,
     "X must hold only finite numbers; it holds NaN or infinity"),
    ("model-x-no-examples", lambda: _model(X=np.zeros((2, 0)), Y=np.zeros((1, 0))), ValueError, "X must not be empty"),
    ("model-x-list-of-strings", lambda: _model(X=[["a", "b"], ["c", "d"]]), TypeError, "X must be a numeric array"),
    ("model-x-none", lambda: _model(X=None), TypeError, "X must be a numeric array; got None"),
    ("model-x-1d", lambda: _model(X=np.ones(300)), ValueError, "X must be 2-D; got shape (300,)"),
    ("model-y-shape", lambda: _model(Y=np.zeros((300, 1))), ValueError, "Y has shape (300, 1); expected (1, 300)"),
    ("model-y-digits-for-sigmoid", lambda: _model(Y=np.arange(300).reshape(1, -1) % 10), ValueError,
     "Y must hold the labels 0 and 1 for a network with one (sigmoid) output unit; got values from 0 to 9"),
    ("model-y-nan", lambda: _model(Y=_with(CIRCLES_Y, (0, 3), np.nan)), ValueError, "Y must hold only finite numbers"),
    ("model-y-softmax-out-of-range", lambda: _model(Y=CIRCLES_Y * 3, layers_dims=[2, 3, 3]), ValueError,
     "Y must lie in [0, 3) for 3 classes; got values from 0 to 3"),
    ("model-y-softmax-fractional", lambda: _model(Y=CIRCLES_Y * 0.5, layers_dims=[2, 3, 3]), ValueError,
     "Y must hold integer class labels; got 0.5"),
    ("model-y-not-one-hot", lambda: _model(Y=np.ones((3, 300)), layers_dims=[2, 3, 3]), ValueError, "must be one-hot"),
    ("model-y-none", lambda: _model(Y=None), TypeError, "Y must be a numeric array; got None"),
    # L_layer_model: the hyper-parameters
    ("model-lr-zero", lambda: _model(learning_rate=0), ValueError, "learning_rate must be in (0, inf); got 0"),
    ("model-lr-string", lambda: _model(learning_rate="0.01"), TypeError, "learning_rate must be a real number"),
    ("model-lr-none", lambda: _model(learning_rate=None), TypeError, "learning_rate must be a real number; got None"),
    ("model-iterations-zero", lambda: _model(num_iterations=0), ValueError, "num_iterations must be in [1, inf); got 0"),
    ("model-iterations-float", lambda: _model(num_iterations=2.5), TypeError, "num_iterations must be an integer"),
    ("model-print-every-zero", lambda: _model(print_every=0), ValueError, "print_every must be in [1, inf); got 0"),
    ("model-print-cost-string", lambda: _model(print_cost="yes"), TypeError, "print_cost must be True or False"),
    ("model-progress-none", lambda: _model(progress=None), TypeError, "progress must be True or False; got None"),
    ("model-dims-one", lambda: _model(layers_dims=[2]), ValueError, "layers_dims must list at least two sizes"),
    ("model-dims-negative", lambda: _model(layers_dims=[2, -1, 1]), ValueError, "layers_dims[1] must be in [1, inf)"),
    ("model-dims-none", lambda: _model(layers_dims=None), TypeError, "layers_dims must be a list of layer sizes"),
    ("model-init", lambda: _model(init="glorot_uniform"), ValueError, "init must be one of"),
    ("model-init-scale", lambda: _model(init="random", init_scale=-1), ValueError, "init_scale must be in (0, inf)"),
    ("model-hidden-activation", lambda: _model(hidden_activation="swish"), ValueError,
     "hidden_activation must be one of ['relu', 'tanh', 'sigmoid']; got 'swish'"),
    ("model-lambd-negative", lambda: _model(lambd=-1), ValueError, "lambd must be in [0, inf); got -1"),
    ("model-lambd-string", lambda: _model(lambd="0.7"), TypeError, "lambd must be a real number"),
    ("model-dtype", lambda: _model(dtype=np.int32), ValueError, "dtype must be np.float64 or np.float32"),
    ("model-rng", lambda: _model(rng="seed"), TypeError, "rng must be None, an int seed"),
    ("two-layer-dims", lambda: two_layer_model(np.ones((2, 3)), np.ones((1, 3)), [2, 3, 3, 1]), ValueError,
     "layers_dims must be (n_x, n_h, n_y)"),
    ("two-layer-init", lambda: two_layer_model(CIRCLES_X, CIRCLES_Y, (2, 3, 1), init="he"), TypeError,
     "it takes no init"),
    # predict, accuracy, plots
    ("accuracy-shape", lambda: accuracy(np.array([[1, 0, 1, 1]]), np.ones((4, 1))), ValueError, "Y has shape (4, 1)"),
    ("accuracy-none", lambda: accuracy(None, np.ones((1, 4))), TypeError, "predictions must be a numeric array"),
    ("accuracy-empty", lambda: accuracy(np.ones((1, 0)), np.ones((1, 0))), ValueError, "predictions must not be empty"),
    ("predict-parameters-list", lambda: predict(np.ones((2, 3)), None, [np.ones((1, 2))]), TypeError,
     "parameters must be a dict"),
    ("predict-y-shape", lambda: predict(np.ones((2, 3)), np.ones((1, 4)), P1), ValueError,
     "y has shape (1, 4); expected the labels' shape (1, 3)"),
    ("predict-y-none-entries", lambda: predict(np.ones((2, 3)), [[None, 1, 0]], P1), TypeError,
     "y must be a numeric array"),
    ("predict-hidden-activation", lambda: predict(np.ones((2, 3)), None, P1, hidden_activation="gelu"), ValueError,
     "hidden_activation must be one of"),
    ("plot-costs-print-every", lambda: plot_costs([1.0, 0.5], print_every=0), ValueError, "print_every must be in"),
    ("plot-costs-2d", lambda: plot_costs(np.ones((2, 2))), ValueError, "costs must be 1-D"),
    ("plot-costs-num-iterations", lambda: plot_costs([1.0, 0.5], num_iterations=0), ValueError, "num_iterations"),
    ("boundary-model", lambda: plot_decision_boundary("net", CIRCLES_X, CIRCLES_Y), TypeError, "model must be a callable"),
    ("boundary-steps", lambda: plot_decision_boundary(lambda x: x[:1] > 0, CIRCLES_X, CIRCLES_Y, steps=1), ValueError,
     "steps must be in [2, inf)"),
    ("boundary-x-3d-points", lambda: plot_decision_boundary(lambda x: x[:1] > 0, np.ones((3, 4)), np.ones((1, 4))),
     ValueError, "X must be (2, m)"),
    # the object level
    ("fc-out-num-zero", lambda: FC(3, 0), ValueError, "out_num must be in [1, inf); got 0"),
    ("fc-in-num-float", lambda: FC(3.5, 2), TypeError, "in_num must be an integer; got 3.5"),
    ("fc-activation", lambda: FC(3, 2, "swish"), ValueError, "activation must be one of"),
    ("fc-init", lambda: FC(3, 2, init="uniform"), ValueError, "init must be one of"),
    ("fc-scale", lambda: FC(3, 2, init="random", scale=0), ValueError, "scale must be in (0, inf); got 0"),
    ("fc-forward-shape", lambda: FC(3, 2).forward(np.ones((2, 5))), ValueError,
     "A_prev of FC(3, 2, activation='relu') has shape (2, 5); expected (in_num, m) = (3, m)"),
    ("fc-forward-none", lambda: FC(3, 2).forward(None), TypeError, "must be a numeric array"),
    ("fc-backward-before-forward", lambda: FC(3, 2).backward(np.ones((2, 1))), RuntimeError,
     "backward called before forward"),
    ("fc-backward-shape", lambda: _layer_backward(np.ones((2, 4))), ValueError,
     "dA has shape (2, 4); expected (2, 5), the shape of the output of the last forward"),
    ("loss-backward-before-forward", lambda: _backward_before_forward(SquareLoss()), RuntimeError,
     "SquareLoss.backward called before forward"),
    ("loss-shape", lambda: SquareLoss().forward(np.ones((1, 4)), np.ones((1, 3))), ValueError,
     "Y has shape (1, 3); expected the output's shape (1, 4)"),
    ("net-layers-empty", lambda: Net([], SquareLoss()), ValueError, "layers must hold at least one layer"),
    ("net-layers-not-layers", lambda: Net([np.ones(3)], SquareLoss()), TypeError,
     "layers[0] must be a layer with forward and backward"),
    ("net-layers-do-not-chain", lambda: Net([FC(2, 4), FC(5, 1)], SquareLoss()), ValueError,
     "layers[1] is FC(5, 1, activation='relu'), which takes 5 inputs, but layers[0]"),
    ("net-loss-class", lambda: Net([FC(2, 1)], SquareLoss), TypeError, "did you mean SquareLoss()?"),
    ("net-set-parameters-w2", lambda: _xor_net().set_parameters({**NET_PARAMS, "W2": np.ones((1, 5))}), ValueError,
     "parameters['W2'] has shape (1, 5); expected (1, 4), the shape of layer 2's W (FC(4, 1, activation='sigmoid'))"),
    ("net-set-parameters-keys", lambda: _xor_net().set_parameters({"W1": np.ones((4, 2)), "b1": np.ones((4, 1))}),
     KeyError, "parameters must hold ['W1', 'W2', 'b1', 'b2'] for the 2 layer(s)"),
    ("net-set-parameters-list", lambda: _xor_net().set_parameters({**NET_PARAMS, "b2": [[1.0]]}), TypeError,
     "parameters['b2'] must be a NumPy array"),
    ("net-set-parameters-none", lambda: _xor_net().set_parameters(None), TypeError, "parameters must be a dict"),
    ("net-step-neither", lambda: _xor_net().step(), ValueError, "give a learning_rate or an optimizer"),
    ("net-step-lr-string", lambda: _fit(learning_rate="0.5"), TypeError, "learning_rate must be a real number"),
    ("net-fit-optimizer-without-step", lambda: _fit(learning_rate=None, optimizer=object()), TypeError,
     "optimizer must have a step(parameters, grads) method"),
    ("net-fit-iterations", lambda: _fit(num_iterations=0), ValueError, "num_iterations must be in [1, inf)"),
    ("net-fit-x-nan", lambda: _fit(X=_with(np.ones((2, 4)), (0, 0), np.nan)), ValueError,
     "X must hold only finite numbers"),
    ("net-fit-x-shape", lambda: _fit(X=np.ones((3, 4))), ValueError, "X has shape (3, 4); expected (2, m)"),
    ("net-fit-y-columns", lambda: _fit(Y=np.ones((1, 3))), ValueError, "Y has shape (1, 3); expected one column"),
    ("net-fit-cross-entropy-labels", lambda: _fit(net=_xor_net(CrossEntropyLoss()), Y=np.array([[0, 1, 2, 3]])),
     ValueError, "Y must hold the labels 0 and 1 for a CrossEntropyLoss; got values from 0 to 3"),
    ("net-fit-diverges", lambda: _fit(learning_rate=None, optimizer=_Exploding()), FloatingPointError,
     "Net.fit diverged"),
]


@pytest.mark.parametrize("call, error, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    assert_raises_naming(call, error, message)


def test_an_exploding_learning_rate_stops_net_fit_with_the_iteration():
    net = Net([FC(2, 8, "relu", rng=0), FC(8, 1, "sigmoid", rng=1)], CrossEntropyLoss())
    with pytest.raises(FloatingPointError, match=r"Net.fit diverged at iteration 1 \(overflow.*smaller learning_rate than 1e\+300"):
        net.fit(np.full((2, 4), 100.0), np.array([[0, 1, 0, 1]]), num_iterations=50, learning_rate=1e300, progress=False)


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
    with pytest.raises(ValueError, match=r"parameters\['W1'\] has shape \(3, 2\); expected \(2, 3\), the shape of layer 1's W"):
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


def test_plot_costs_puts_the_last_cost_at_the_last_iteration():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    plot_costs([3.0, 2.0, 1.0, 0.5], print_every=100, ax=ax, num_iterations=250)   # recorded at 0, 100, 200, 249
    assert list(ax.lines[0].get_xdata()) == [0, 100, 200, 249]
    plot_costs([3.0, 2.0, 1.0], print_every=100, ax=ax)
    assert list(ax.lines[1].get_xdata()) == [0, 100, 200]
    plt.close(fig)


@pytest.mark.parametrize("dims, lambd", [([5, 4, 1], 0.0), ([5, 4, 3], 0.0), ([5, 3, 1], 0.5), ([5, 4, 3], 0.2)])
def test_recorded_costs_are_the_checked_cost_of_the_same_parameters(dims, lambd):
    # the loop's unchecked cost must equal chapter 2/5's checked costs plus chapter 5's L2 penalty, computed here from
    # the parameters of the run one iteration shorter
    from nnfromscratch.cost import l2_regularization_cost, softmax_cross_entropy
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((5, 30)), rng.integers(0, max(2, dims[-1]), (1, 30))
    _, costs = L_layer_model(X, Y, dims, learning_rate=0.1, num_iterations=3, rng=2, lambd=lambd, print_every=1,
                             progress=False)
    parameters, _ = L_layer_model(X, Y, dims, learning_rate=0.1, num_iterations=2, rng=2, lambd=lambd, progress=False)
    AL, _ = L_model_forward(X, parameters, "sigmoid" if dims[-1] == 1 else "softmax")
    data_cost = compute_cost(AL, Y) if dims[-1] == 1 else softmax_cross_entropy(AL, Y)
    assert costs[2] == data_cost + l2_regularization_cost(parameters, lambd, 30)
