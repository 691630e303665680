"""Chapter 8: optimizers (nnfromscratch.optimizers)."""

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import arrays

from nnfromscratch.data import load_moons_dataset
from nnfromscratch.optimizers import (
    Adam, Momentum, RMSProp, exponential_lr_decay, exponentially_weighted_average, initialize_adagrad,
    initialize_adam, initialize_rmsprop, initialize_velocity, make_optimizer, schedule_lr_decay, train_with_optimizer, update_lr, update_parameters_with_adagrad, update_parameters_with_adam,
    update_parameters_with_gd, update_parameters_with_momentum, update_parameters_with_nesterov,
    update_parameters_with_rmsprop,
)
from nnfromscratch.training import FC, CrossEntropyLoss, Net, accuracy, predict


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    return params, grads


# ------------------------------------------------------------------------------ each rule against a hand step

def test_gd_step():
    params, grads = _problem()
    new = update_parameters_with_gd(params, grads, 0.1)
    for key in params:
        np.testing.assert_allclose(new[key], params[key] - 0.1 * grads["d" + key])


def test_momentum_two_steps_by_hand():
    params, grads = _problem()
    v = initialize_velocity(params)
    p1, v = update_parameters_with_momentum(params, grads, v, beta=0.9, learning_rate=0.1)
    p2, v = update_parameters_with_momentum(p1, grads, v, beta=0.9, learning_rate=0.1)
    for key in params:
        g = grads["d" + key]
        v1 = 0.1 * g
        v2 = 0.9 * v1 + 0.1 * g
        np.testing.assert_allclose(p2[key], params[key] - 0.1 * v1 - 0.1 * v2)
        np.testing.assert_allclose(v["d" + key], v2)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), lr=st.floats(1e-4, 1.0))
def test_momentum_with_beta_zero_is_plain_descent(seed, lr):
    params, grads = _problem(seed)
    new, _ = update_parameters_with_momentum(params, grads, initialize_velocity(params), 0.0, lr)
    plain = update_parameters_with_gd(params, grads, lr)
    for key in params:
        np.testing.assert_allclose(new[key], plain[key])


def test_nesterov_step_by_hand():
    params, grads = _problem()
    new, v = update_parameters_with_nesterov(params, grads, initialize_velocity(params), 0.9, 0.1)
    for key in params:
        g = grads["d" + key]
        v1 = 0.1 * g
        np.testing.assert_allclose(new[key], params[key] - 0.1 * (0.9 * v1 + 0.1 * g))


@pytest.mark.parametrize("inside", [False, True])
def test_rmsprop_step_by_hand(inside):
    params, grads = _problem()
    new, s = update_parameters_with_rmsprop(params, grads, initialize_rmsprop(params), beta2=0.9, learning_rate=0.01,
                                            epsilon=1e-8, epsilon_inside_sqrt=inside)
    for key in params:
        g = grads["d" + key]
        s1 = 0.1 * g**2
        denominator = np.sqrt(s1 + 1e-8) if inside else np.sqrt(s1) + 1e-8
        np.testing.assert_allclose(new[key], params[key] - 0.01 * g / denominator)
        np.testing.assert_allclose(s["d" + key], s1)


def test_adam_two_steps_by_hand():
    params, grads = _problem()
    v, s = initialize_adam(params)
    p, v, s = update_parameters_with_adam(params, grads, v, s, 1, 0.01, 0.9, 0.999, 1e-8)
    grads2 = {k: 2 * g for k, g in grads.items()}
    p, v, s = update_parameters_with_adam(p, grads2, v, s, 2, 0.01, 0.9, 0.999, 1e-8)
    for key in params:
        g1, g2 = grads["d" + key], 2 * grads["d" + key]
        v1, s1 = 0.1 * g1, 0.001 * g1**2
        v2, s2 = 0.9 * v1 + 0.1 * g2, 0.999 * s1 + 0.001 * g2**2
        step1 = (v1 / 0.1) / (np.sqrt(s1 / 0.001) + 1e-8)
        step2 = (v2 / (1 - 0.81)) / (np.sqrt(s2 / (1 - 0.999**2)) + 1e-8)
        np.testing.assert_allclose(p[key], params[key] - 0.01 * step1 - 0.01 * step2)


@settings(max_examples=30, deadline=None)
@given(g=arrays((4, 3), -1e3, 1e3), lr=st.floats(1e-4, 0.1))
def test_adam_first_step_has_size_learning_rate_per_coordinate(g, lr):
    g = np.where(np.abs(g) < 1e-3, 1.0, g)
    params = {"W1": np.zeros((4, 3))}
    v, s = initialize_adam(params)
    new, _, _ = update_parameters_with_adam(params, {"dW1": g}, v, s, 1, lr)
    np.testing.assert_allclose(np.abs(new["W1"]), lr, rtol=1e-4)
    np.testing.assert_array_equal(np.sign(new["W1"]), -np.sign(g))


def test_adagrad_step_by_hand():
    params, grads = _problem()
    p, s = update_parameters_with_adagrad(params, grads, initialize_adagrad(params), 0.5, 1e-8)
    p, s = update_parameters_with_adagrad(p, grads, s, 0.5, 1e-8)
    for key in params:
        g = grads["d" + key]
        expected = params[key] - 0.5 * g / (np.abs(g) + 1e-8) - 0.5 * g / (np.sqrt(2 * g**2) + 1e-8)
        np.testing.assert_allclose(p[key], expected)


def test_functions_do_not_modify_their_inputs():
    params, grads = _problem()
    saved = {k: v.copy() for k, v in params.items()}
    v, s = initialize_adam(params)
    update_parameters_with_adam(params, grads, v, s, 1)
    assert all(np.array_equal(saved[k], params[k]) for k in params)
    assert all(not value.any() for value in v.values())


# --------------------------------------------------------------------------------------- objects == functions

@pytest.mark.parametrize("name", ["gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"])
def test_objects_follow_their_functions(name):
    params, grads = _problem()
    opt = make_optimizer(name, learning_rate=0.01)
    p_obj = params
    state = {"v": initialize_velocity(params), "s": initialize_rmsprop(params)}
    p_fun, t = params, 0
    for _ in range(3):
        p_obj = opt.step(p_obj, grads)
        t += 1
        if name == "gd":
            p_fun = update_parameters_with_gd(p_fun, grads, 0.01)
        elif name == "momentum":
            p_fun, state["v"] = update_parameters_with_momentum(p_fun, grads, state["v"], 0.9, 0.01)
        elif name == "nesterov":
            p_fun, state["v"] = update_parameters_with_nesterov(p_fun, grads, state["v"], 0.9, 0.01)
        elif name == "rmsprop":
            p_fun, state["s"] = update_parameters_with_rmsprop(p_fun, grads, state["s"], 0.999, 0.01)
        elif name == "adam":
            p_fun, state["v"], state["s"] = update_parameters_with_adam(p_fun, grads, state["v"], state["s"], t, 0.01)
        else:
            p_fun, state["s"] = update_parameters_with_adagrad(p_fun, grads, state["s"], 0.01)
    for key in params:
        np.testing.assert_array_equal(p_obj[key], p_fun[key])


def test_net_from_chapter_6_trains_with_an_optimizer_object():
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    net = Net([FC(2, 8, "tanh", init="xavier", rng=0), FC(8, 1, "sigmoid", init="xavier", rng=1)], CrossEntropyLoss())
    losses = net.fit(X, Y, num_iterations=500, optimizer=Adam(0.05), progress=False)
    assert losses[-1] < 0.05
    np.testing.assert_array_equal(net.forward(X) > 0.5, Y > 0.5)


# ------------------------------------------------------------------------------------------- the rest

@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.floats(-100, 100), min_size=1, max_size=30), beta=st.floats(0.0, 0.99))
def test_exponentially_weighted_average(values, beta):
    S, expected = 0.0, []
    for t, y in enumerate(values, 1):
        S = beta * S + (1 - beta) * y
        expected.append(S / (1 - beta**t))
    np.testing.assert_allclose(exponentially_weighted_average(values, beta, bias_correction=True), expected,
                               rtol=1e-9, atol=1e-9)
    # bias-corrected average of a constant series is that constant from the first value on
    np.testing.assert_allclose(exponentially_weighted_average([3.0] * 5, beta, True), 3.0)


@settings(max_examples=20, deadline=None)
@given(lr=st.floats(1e-4, 1.0), rate=st.floats(1e-3, 5.0))
def test_schedules_are_monotone_and_start_at_learning_rate0(lr, rate):
    epochs = np.arange(0, 3000, 7)
    for schedule in (update_lr(lr, epochs, rate), exponential_lr_decay(lr, epochs),
                     schedule_lr_decay(lr, epochs, rate, time_interval=100)):
        assert schedule[0] == pytest.approx(lr)
        assert np.all(np.diff(schedule) <= 0)
    assert update_lr(lr, 10, rate) < lr


def test_schedules_by_hand():
    assert update_lr(0.5, 2, 1.5) == pytest.approx(0.5 / 4)
    assert exponential_lr_decay(0.2, 2) == pytest.approx(0.2 * 0.95**2)
    assert schedule_lr_decay(0.5, 2500, 1.0, 1000) == pytest.approx(0.5 / 3)


def test_float32_training_stays_float32():
    X, Y = load_moons_dataset()
    parameters, costs = train_with_optimizer(X, Y, [2, 5, 1], "adam", learning_rate=0.01, num_epochs=3, rng=0,
                                             progress=False, dtype=np.float32)
    assert all(value.dtype == np.float32 for value in parameters.values()) and np.isfinite(costs).all()


def test_mini_batch_training_reaches_full_accuracy_on_a_separable_problem():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 400))
    X = X[:, np.abs(X[0] - X[1]) > 0.3]  # separable with a margin
    Y = (X[0] - X[1] > 0).astype(int).reshape(1, -1)
    for optimizer in ["gd", "momentum", "adam"]:
        parameters, costs = train_with_optimizer(X, Y, [2, 4, 1], optimizer, learning_rate=0.05 if optimizer == "adam"
                                                 else 0.5, mini_batch_size=32, num_epochs=150, rng=0, progress=False)
        assert accuracy(predict(X, None, parameters), Y) == 1.0, optimizer
        assert costs[-1] < costs[0]


def test_the_material_adam_beats_gd_on_moons_in_a_short_run():
    X, Y = load_moons_dataset()
    scores = {}
    for optimizer in ["gd", "adam"]:
        parameters, _ = train_with_optimizer(X, Y, [2, 5, 2, 1], optimizer, learning_rate=0.0007, num_epochs=2000,
                                             rng=np.random.RandomState(3), course_shuffle_seed=10, progress=False)
        scores[optimizer] = accuracy(predict(X, None, parameters), Y)
    assert scores["adam"] > scores["gd"] + 0.05


# -------------------------------------------------------------------------------------------- bad input

def _moons():
    return load_moons_dataset()


def _train(**options):
    """train_with_optimizer on the moons with a [2, 3, 1] network for one epoch, with `options` overriding."""
    X, Y = _moons()
    arguments = {"X": X, "Y": Y, "layers_dims": [2, 3, 1], "num_epochs": 1, "progress": False, **options}
    return train_with_optimizer(**arguments)


def _adam(p, g, **options):
    return update_parameters_with_adam(p, g, *initialize_adam(p), **{"t": 1, **options})


# One row per bad input: (id, call taking (params, grads), exception type, text the message must contain).
BAD_INPUT = [
    ("momentum beta 1", lambda p, g: update_parameters_with_momentum(p, g, initialize_velocity(p), 1.0, 0.1),
     ValueError, "beta must be in [0, 1); got 1.0"),
    ("momentum beta negative", lambda p, g: update_parameters_with_momentum(p, g, initialize_velocity(p), -0.1, 0.1),
     ValueError, "beta must be in [0, 1)"),
    ("momentum beta string", lambda p, g: update_parameters_with_momentum(p, g, initialize_velocity(p), "0.9", 0.1),
     TypeError, "beta must be a real number"),
    ("adam beta1 > 1", lambda p, g: _adam(p, g, beta1=1.2), ValueError, "beta1 must be in [0, 1)"),
    ("adam beta2 == 1", lambda p, g: _adam(p, g, beta2=1.0), ValueError, "beta2 must be in [0, 1)"),
    ("adam epsilon 0", lambda p, g: _adam(p, g, epsilon=0.0), ValueError, "epsilon must be in (0, inf)"),
    ("rmsprop epsilon < 0", lambda p, g: update_parameters_with_rmsprop(p, g, initialize_rmsprop(p), epsilon=-1e-8),
     ValueError, "epsilon must be in (0, inf)"),
    ("adam t 0", lambda p, g: _adam(p, g, t=0), ValueError, "t must be in [1, inf)"),
    ("adam t 1.5", lambda p, g: _adam(p, g, t=1.5), TypeError, "t must be an integer"),
    ("adam learning_rate 0", lambda p, g: _adam(p, g, learning_rate=0), ValueError, "learning_rate must be in (0, inf)"),
    ("adam learning_rate None", lambda p, g: _adam(p, g, learning_rate=None), TypeError, "learning_rate must be a real"),
    ("adam learning_rate string", lambda p, g: _adam(p, g, learning_rate="0.01"), TypeError, "learning_rate must be a"),
    ("adam learning_rate nan", lambda p, g: _adam(p, g, learning_rate=float("nan")), ValueError, "learning_rate must be finite"),
    ("gd learning_rate string", lambda p, g: update_parameters_with_gd(p, g, "0.1"), TypeError, "learning_rate"),
    ("momentum v wrong keys", lambda p, g: update_parameters_with_momentum(p, g, {"dW1": np.zeros((3, 2))}, 0.9, 0.1),
     ValueError, "v has keys ['dW1']"),
    ("momentum v a list", lambda p, g: update_parameters_with_momentum(p, g, [0.0], 0.9, 0.1), TypeError,
     "v must be a dict"),
    ("adagrad s wrong shape", lambda p, g: update_parameters_with_adagrad(p, g, {**initialize_adagrad(p), "dW1": np.zeros(2)}),
     ValueError, "s['dW1'] has shape (2,); expected W1's shape (3, 2)"),
    ("adam grads missing a key", lambda p, g: _adam(p, {k: v for k, v in g.items() if k != "db2"}), KeyError,
     "grads has no 'db2'"),
    ("adam grads wrong shape", lambda p, g: _adam(p, {**g, "dW1": np.zeros((2, 3))}), ValueError,
     "grads['dW1'] has shape (2, 3)"),
    ("adam grads a list", lambda p, g: _adam(p, list(g.values())), TypeError, "grads must be a dict"),
    ("adam parameters None", lambda p, g: update_parameters_with_adam(None, g, {}, {}, 1), TypeError,
     "parameters must be a dict"),
    ("adam grads of strings", lambda p, g: _adam(p, {**g, "dW1": np.full((3, 2), "a")}), TypeError,
     "grads['dW1'] must be a numeric array"),
    ("adam 1e200 gradient", lambda p, g: _adam(p, {**g, "dW1": np.full((3, 2), 1e200)}), ValueError,
     "squaring grads['dW1']"),
    ("rmsprop 1e200 gradient", lambda p, g: update_parameters_with_rmsprop(p, {**g, "db1": np.full((3, 1), 1e200)},
                                                                            initialize_rmsprop(p)),
     ValueError, "squaring grads['db1']"),
    ("adagrad float32 1e20 gradient", lambda p, g: update_parameters_with_adagrad(
        {k: v.astype(np.float32) for k, v in p.items()},
        {k: np.full(v.shape, 1e20, np.float32) for k, v in g.items()},
        {k: np.zeros(v.shape, np.float32) for k, v in g.items()}), ValueError, "overflows float32"),
    ("update_lr decay_rate 0", lambda p, g: update_lr(0.1, 1, 0.0), ValueError, "decay_rate must be in (0, inf)"),
    ("update_lr learning_rate0 < 0", lambda p, g: update_lr(-0.1, 1, 1.0), ValueError, "learning_rate0 must be in"),
    ("update_lr epoch_num < 0", lambda p, g: update_lr(0.1, -1, 1.0), ValueError, "epoch_num must be >= 0"),
    ("update_lr epoch_num string", lambda p, g: update_lr(0.1, "3", 1.0), TypeError, "epoch_num must be a numeric"),
    ("schedule time_interval 0", lambda p, g: schedule_lr_decay(0.1, 1, 1.0, time_interval=0), ValueError,
     "time_interval must be in [1, inf)"),
    ("exponential base 1.5", lambda p, g: exponential_lr_decay(0.1, 1, base=1.5), ValueError, "base must be in (0, 1)"),
    ("ewa beta 1", lambda p, g: exponentially_weighted_average([1.0, 2.0], 1.0), ValueError, "beta must be in [0, 1)"),
    ("ewa values 2-D", lambda p, g: exponentially_weighted_average(np.ones((2, 2)), 0.9), ValueError, "values must be 1-D"),
    ("make_optimizer unknown", lambda p, g: make_optimizer("lion", 0.1), ValueError, "optimizer must be one of"),
    ("Adam beta1 1", lambda p, g: Adam(0.01, beta1=1.0), ValueError, "beta1 must be in [0, 1)"),
    ("Adam learning_rate string", lambda p, g: Adam(learning_rate="0.01"), TypeError, "learning_rate must be a real"),
    ("Momentum nesterov string", lambda p, g: Momentum(0.01, nesterov="yes"), ValueError, "nesterov must be one of"),
    ("RMSProp epsilon None", lambda p, g: RMSProp(0.01, epsilon=None), TypeError, "epsilon must be a real number"),
    ("train print_every 0", lambda p, g: _train(print_every=0), ValueError, "print_every must be in [1, inf)"),
    ("train empty data", lambda p, g: _train(X=np.zeros((2, 0)), Y=np.zeros((1, 0))), ValueError, "X must not be empty"),
    ("train decay string", lambda p, g: _train(decay="inverse"), TypeError, "decay must be None or a schedule"),
    ("train num_epochs 0", lambda p, g: _train(num_epochs=0), ValueError, "num_epochs must be in [1, inf)"),
    ("train learning_rate string", lambda p, g: _train(learning_rate="0.01"), TypeError, "learning_rate must be a"),
    ("train learning_rate None", lambda p, g: _train(learning_rate=None), TypeError, "learning_rate must be a"),
    ("train mini_batch_size 0", lambda p, g: _train(mini_batch_size=0), ValueError, "mini_batch_size must be in"),
    ("train mini_batch_size float", lambda p, g: _train(mini_batch_size=32.5), TypeError, "mini_batch_size must be an"),
    ("train NaN in X", lambda p, g: _train(X=np.full((2, 300), np.nan)), ValueError, "X must hold only finite"),
    ("train X wrong n_x", lambda p, g: _train(X=np.zeros((3, 300))), ValueError, "layers_dims[0] == 2"),
    ("train Y digits for one unit", lambda p, g: _train(Y=np.arange(300).reshape(1, -1) % 10), ValueError,
     "Y must hold labels 0, ..., 1"),
    ("train Y wrong shape", lambda p, g: _train(Y=np.zeros(300)), ValueError, "Y must be 2-D"),
    ("train Y as a list of lists", lambda p, g: _train(Y=[[0, 1]]), ValueError, "Y has shape (1, 2); expected (1, 300)"),
    ("train layers_dims a number", lambda p, g: _train(layers_dims=5), TypeError, "layers_dims must list"),
    ("train layers_dims with 0", lambda p, g: _train(layers_dims=[2, 0, 1]), ValueError, "layers_dims[1] must be in"),
    ("train optimizer unknown", lambda p, g: _train(optimizer="lion"), ValueError, "optimizer must be one of"),
    ("train optimizer without step", lambda p, g: _train(optimizer=object()), TypeError, "optimizer must be a name"),
    ("train init unknown", lambda p, g: _train(init="glorious"), ValueError, "init must be one of"),
    ("train beta2 1", lambda p, g: _train(beta2=1.0), ValueError, "beta2 must be in [0, 1)"),
    ("train decay_rate 0", lambda p, g: _train(decay=update_lr, decay_rate=0), ValueError, "decay_rate must be in"),
    ("train course_shuffle_seed -1", lambda p, g: _train(course_shuffle_seed=-1), ValueError,
     "course_shuffle_seed must be in [0, inf)"),
    ("train dtype float16", lambda p, g: _train(dtype=np.float16), ValueError, "dtype must be one of"),
    ("train print_cost string", lambda p, g: _train(print_cost="yes"), ValueError, "print_cost must be one of"),
]


@pytest.mark.parametrize("call, exception, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input(call, exception, message):
    params, grads = _problem()
    assert_raises_naming(call, exception, message, params, grads)


def test_lists_are_accepted_where_arrays_are_expected():
    params, grads = _problem()
    as_lists = {key: value.tolist() for key, value in grads.items()}
    v, s = initialize_adam(params)
    expected = update_parameters_with_adam(params, grads, v, s, 1)[0]
    for key, value in update_parameters_with_adam(params, as_lists, v, s, 1)[0].items():
        np.testing.assert_array_equal(value, expected[key])


@pytest.mark.parametrize("dims", [[3, 4, 1], [3, 5, 4, 3]])
def test_full_batch_gd_equals_the_checked_passes_step_by_step(dims):
    # one mini-batch holding every example: train_with_optimizer's unchecked loop must follow chapter 7's checked
    # public functions (up to the rounding of a shuffled column order)
    from nnfromscratch.backward import L_model_backward
    from nnfromscratch.forward import L_model_forward
    from nnfromscratch.initialization import initialize_parameters_deep
    from nnfromscratch.training import compute_model_cost, output_activation_for, update_parameters
    rng = np.random.default_rng(7)
    X = rng.standard_normal((3, 40))
    Y = rng.integers(0, max(2, dims[-1]), (1, 40))
    parameters, costs = train_with_optimizer(X, Y, dims, "gd", learning_rate=0.3, mini_batch_size=64, num_epochs=4,
                                             rng=np.random.default_rng(5), progress=False)
    expected = initialize_parameters_deep(dims, np.random.default_rng(5), scheme="he")
    activation = output_activation_for(dims[-1])
    for epoch in range(4):
        AL, caches = L_model_forward(X, expected, activation)
        assert costs[epoch] == pytest.approx(compute_model_cost(AL, Y), rel=1e-12)
        expected = update_parameters(expected, L_model_backward(AL, Y, caches, activation), 0.3)
    for key, value in expected.items():
        np.testing.assert_allclose(parameters[key], value, rtol=1e-10, atol=1e-13)
