"""Chapter 9: regularization (nnfromscratch.regularization).

Expected values come from the DLS course's "Regularization" notebook (its published test-case outputs and
accuracies), from a transcription of the course's own functions below (an independent implementation), from
PyTorch's autograd when torch is installed, or from hand computations.
"""

import pickle
from pathlib import Path

import h5py
import numpy as np
import pytest
from checks import assert_raises_naming

from nnfromscratch.backward import L_model_backward
from nnfromscratch.cnn import ThreeLayerConvNet
from nnfromscratch.cost import compute_cost_with_regularization
from nnfromscratch.forward import L_model_forward
from nnfromscratch.initialization import initialize_parameters_deep
from nnfromscratch.optimizers import GD, AdaGrad, Adam, Momentum, RMSProp
from nnfromscratch.regularization import (
    L_model_backward_with_dropout, L_model_forward_with_dropout, apply_dropout_mask,
    backward_propagation_with_dropout, backward_propagation_with_regularization, dropout_backward, dropout_forward,
    dropout_mask, forward_propagation_with_dropout, load_parameters, regularized_model, reseeded_rng, save_parameters,
    three_layer_forward,
)
from nnfromscratch.training import FC, CrossEntropyLoss, L_layer_model, Net, accuracy, predict

FOOTBALL = Path(__file__).resolve().parents[2] / "shared" / "data" / "football2d" / "data.mat"
SHAPES = {"W1": (2, 3), "b1": (2, 1), "W2": (3, 2), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}


# ------------------------------------------------------------------ the course's functions, transcribed (the oracle)

def _course_relu(x):
    return np.maximum(0, x)


def _course_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def course_forward_propagation(X, parameters):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = _course_relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = _course_relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = _course_sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def course_backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + (lambd / m) * W3
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + (lambd / m) * W2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + (lambd / m) * W1
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def course_forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = _course_relu(Z1)
    D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int)
    A1 = A1 * D1
    A1 = A1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = _course_relu(Z2)
    D2 = (np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob).astype(int)
    A2 = A2 * D2
    A2 = A2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = _course_sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def course_backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dA2 = dA2 * D2
    dA2 = dA2 / keep_prob
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dA1 = dA1 * D1
    dA1 = dA1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def _course_case(m=5, n_x=3, seed=1):
    """The course's test cases: np.random.seed(1), X (3, 5), then W1, b1, W2, b2, W3, b3."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    parameters = {key: rng.randn(*((shape[0], n_x) if key == "W1" else shape)) for key, shape in SHAPES.items()}
    return X, np.array([[1, 1, 0, 1, 0] * (m // 5) + [1] * (m % 5)]), parameters


# ------------------------------------------------------------------------------- the course's published numbers

def test_cost_with_regularization_matches_the_course():
    rng = np.random.RandomState(1)
    parameters = {key: rng.randn(*shape) for key, shape in SHAPES.items()}
    a3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cost = compute_cost_with_regularization(a3, np.array([[1, 1, 0, 1, 0]]), parameters, 0.1)
    assert cost == pytest.approx(1.78648594516, abs=1e-10)


def test_backward_with_regularization_matches_the_course_and_its_published_gradients():
    X, Y, parameters = _course_case()
    A3, cache = three_layer_forward(X, parameters)
    _, course_cache = course_forward_propagation(X, parameters)
    for ours, theirs in zip(cache, course_cache):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15)
    grads = backward_propagation_with_regularization(X, Y, cache, 0.7)
    expected = course_backward_propagation_with_regularization(X, Y, course_cache, 0.7)
    assert list(grads) == list(expected)
    for key in expected:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-12, atol=1e-14, err_msg=key)
    np.testing.assert_allclose(grads["dW1"], [[-0.25604646, 0.12298827, -0.28297129],
                                              [-0.17706303, 0.34536094, -0.4410571]], atol=1e-8)
    np.testing.assert_allclose(grads["dW2"], [[0.79276486, 0.85133918], [-0.0957219, -0.01720463],
                                              [-0.13100772, -0.03750433]], atol=1e-8)
    np.testing.assert_allclose(grads["dW3"], [[-1.77691347, -0.11832879, -0.09397446]], atol=1e-8)


@pytest.mark.parametrize("keep_prob", [0.7, 0.86, 1.0])
def test_dropout_matches_the_course_with_a_randomstate(keep_prob):
    X, Y, parameters = _course_case(m=40, n_x=3)
    A3, cache = forward_propagation_with_dropout(X, parameters, keep_prob, rng=np.random.RandomState(1))
    course_A3, course_cache = course_forward_propagation_with_dropout(X, parameters, keep_prob)
    assert len(cache) == 14
    for i, (ours, theirs) in enumerate(zip(cache, course_cache)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15, err_msg=f"cache[{i}]")
    grads = backward_propagation_with_dropout(X, Y, cache, keep_prob)
    expected = course_backward_propagation_with_dropout(X, Y, course_cache, keep_prob)
    assert list(grads) == list(expected)
    for key in expected:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-12, atol=1e-14, err_msg=key)


def test_forward_with_dropout_prints_the_course_a3():
    X, _, parameters = _course_case()
    A3, _ = forward_propagation_with_dropout(X, parameters, 0.7, rng=np.random.RandomState(1))
    np.testing.assert_allclose(A3, [[0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721]], atol=1e-8)


@pytest.mark.skipif(not FOOTBALL.is_file(), reason="the course's football data (shared/data/football2d) is absent")
def test_the_course_experiment_on_its_football_data():
    scipy_io = pytest.importorskip("scipy.io")
    data = scipy_io.loadmat(FOOTBALL)
    train_X, train_Y, test_X, test_Y = data["X"].T, data["y"].T, data["Xval"].T, data["yval"].T
    runs = [({}, 0.6557412523481002, 0.9478672985781991, 0.915),
            ({"lambd": 0.7}, 0.6974484493131264, 0.9383886255924171, 0.93),
            ({"keep_prob": 0.86, "dropout_rng": reseeded_rng(1)}, 0.6543912405149825,
             0.9289099526066351, 0.95)]
    for options, first_cost, train_accuracy, test_accuracy in runs:
        parameters, history = regularized_model(train_X, train_Y, print_cost=False, **options)
        assert history["cost"][0] == pytest.approx(first_cost, abs=1e-12)
        assert accuracy(predict(train_X, None, parameters), train_Y) == pytest.approx(train_accuracy, abs=1e-12)
        assert accuracy(predict(test_X, None, parameters), test_Y) == pytest.approx(test_accuracy, abs=1e-12)


# ----------------------------------------------------------------------------------------------------- dropout

def test_mask_draws_as_the_course_and_as_a_generator():
    D = dropout_mask((4, 7), 0.3, np.random.RandomState(5))
    np.random.seed(5)
    assert np.array_equal(D, np.random.rand(4, 7) < 0.3)
    assert np.array_equal(dropout_mask((4, 7), 0.3, 5), np.random.default_rng(5).random((4, 7)) < 0.3)
    assert dropout_mask((3, 3), 1.0, 0).all()


def test_inverted_dropout_keeps_the_expectation():
    big = dropout_mask((400, 500), 0.8, rng=0)
    assert abs(big.mean() - 0.8) < 0.005
    assert abs(apply_dropout_mask(np.ones((400, 500)), big, 0.8).mean() - 1.0) < 0.01
    np.testing.assert_array_equal(apply_dropout_mask(np.array([[2.0, 4.0]]), np.array([[True, False]]), 0.5),
                                  [[4.0, 0.0]])


def test_dropout_forward_train_and_test_modes():
    x = np.random.default_rng(0).standard_normal((200, 300)) + 10
    out, cache = dropout_forward(x, {"p": 0.4, "mode": "train", "seed": 3})
    again, _ = dropout_forward(x, {"p": 0.4, "mode": "train", "seed": 3})
    assert np.array_equal(out, again)
    assert np.array_equal(out != 0, np.random.RandomState(3).rand(200, 300) < 0.4)  # p is the KEEP probability
    np.testing.assert_allclose(out[out != 0], x[out != 0] / 0.4)
    stream = np.random.default_rng(1)
    first, _ = dropout_forward(x, {"p": 0.4, "mode": "train", "seed": stream})
    second, _ = dropout_forward(x, {"p": 0.4, "mode": "train", "seed": stream})
    assert not np.array_equal(first, second)
    state = np.random.RandomState(7)
    before = state.get_state()[1].copy()
    test_out, test_cache = dropout_forward(x, {"p": 0.4, "mode": "test", "seed": state})
    assert test_out is x or np.array_equal(test_out, x)
    assert np.array_equal(state.get_state()[1], before), "test mode must draw nothing"
    dout = np.random.default_rng(2).standard_normal(x.shape)
    assert np.array_equal(dropout_backward(dout, test_cache), dout)
    np.testing.assert_array_equal(dropout_backward(dout, cache), np.where(out != 0, dout / 0.4, 0.0))


def test_dropout_forward_keeps_float32():
    x = np.ones((3, 4), dtype=np.float32)
    out, cache = dropout_forward(x, {"p": 0.5, "mode": "train", "seed": 0})
    assert out.dtype == np.float32
    assert dropout_backward(np.ones_like(x), cache).dtype == np.float32


def test_dropout_param_is_copied_into_the_cache():
    param = {"p": 0.5, "mode": "train", "seed": 0}
    out, cache = dropout_forward(np.ones((2, 3)), param)
    param["mode"] = "test"  # a solver switching modes later must not change this step's backward
    assert np.array_equal(dropout_backward(np.ones((2, 3)), cache), out)


def test_L_layer_dropout_with_keep_prob_one_is_chapter_4_and_6():
    rng = np.random.default_rng(0)
    parameters = initialize_parameters_deep([4, 6, 5, 3], rng, scheme="he")
    X, Y = rng.standard_normal((4, 9)), rng.integers(0, 3, (1, 9))
    AL, caches = L_model_forward_with_dropout(X, parameters, 1.0, rng=0, output_activation="softmax")
    AL_ref, caches_ref = L_model_forward(X, parameters, "softmax")
    np.testing.assert_array_equal(AL, AL_ref)
    grads = L_model_backward_with_dropout(AL, Y, caches, 1.0, lambd=0.4, output_activation="softmax")
    grads_ref = L_model_backward(AL_ref, Y, caches_ref, "softmax", lambd=0.4)
    for key in grads_ref:
        np.testing.assert_allclose(grads[key], grads_ref[key], rtol=1e-13, atol=1e-15, err_msg=key)


def test_L_layer_dropout_backward_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    dims = [3, 7, 6, 1]
    parameters = initialize_parameters_deep(dims, rng, scheme="he")
    X, Y = rng.standard_normal((3, 11)), (rng.random((1, 11)) > 0.5).astype(float)
    AL, caches = L_model_forward_with_dropout(X, parameters, 0.6, rng=4)
    grads = L_model_backward_with_dropout(AL, Y, caches, 0.6, lambd=0.2)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    A = torch.tensor(X)
    for l in (1, 2):
        A = torch.relu(t[f"W{l}"] @ A + t[f"b{l}"]) * torch.tensor(caches[l - 1][2].astype(float)) / 0.6
    Z = t["W3"] @ A + t["b3"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(Z, torch.tensor(Y))
    loss = loss + 0.2 / (2 * 11) * sum((t[f"W{l}"] ** 2).sum() for l in (1, 2, 3))
    loss.backward()
    for key, tensor in t.items():
        np.testing.assert_allclose(grads["d" + key], tensor.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)


# ----------------------------------------------------------------------------------------------------- training

def _moons():
    from sklearn.datasets import make_moons
    x, y = make_moons(60, noise=0.3, random_state=0)
    x_val, y_val = make_moons(200, noise=0.3, random_state=1)
    return x.T, y.reshape(1, -1), x_val.T, y_val.reshape(1, -1)


def test_regularized_model_without_regularization_is_chapter_7_bit_for_bit():
    X, Y, _, _ = _moons()
    ours, _ = regularized_model(X, Y, [2, 8, 1], num_iterations=50, print_cost=False)
    theirs, _ = L_layer_model(X, Y, [2, 8, 1], 0.3, 50, rng=np.random.RandomState(3), init="xavier", progress=False)
    assert all(np.array_equal(ours[key], theirs[key]) for key in theirs)


def test_regularized_model_course_initialization_is_randn_over_sqrt():
    X, Y, _, _ = _moons()
    parameters, _ = regularized_model(X, Y, [2, 5, 3, 1], num_iterations=1, learning_rate=1e-300, print_cost=False)
    rng = np.random.RandomState(3)
    for l, (n, n_prev) in enumerate([(5, 2), (3, 5), (1, 3)], 1):
        np.testing.assert_allclose(parameters[f"W{l}"], rng.randn(n, n_prev) / np.sqrt(n_prev), rtol=1e-15)


def test_dropout_rng_fresh_masks_differ_from_the_course_reseeding():
    X, Y, _, _ = _moons()
    fresh, _ = regularized_model(X, Y, num_iterations=20, keep_prob=0.8, print_cost=False, dropout_rng=0)
    same, _ = regularized_model(X, Y, num_iterations=20, keep_prob=0.8, print_cost=False,
                                dropout_rng=lambda: np.random.RandomState(1))
    fixed, _ = regularized_model(X, Y, num_iterations=20, keep_prob=0.8, print_cost=False,
                                 dropout_rng=reseeded_rng(1))
    assert not np.array_equal(fresh["W1"], same["W1"])
    assert all(np.array_equal(same[key], fixed[key]) for key in same)


def test_early_stopping_returns_and_saves_the_best_parameters(tmp_path):
    X, Y, X_val, Y_val = _moons()
    path = tmp_path / "best.h5"
    best, history = regularized_model(X, Y, [2, 30, 10, 1], learning_rate=0.5, num_iterations=3000,
                                      print_cost=False, X_val=X_val, Y_val=Y_val, eval_every=50, patience=5,
                                      checkpoint=path)
    i_best = history["iteration"].index(history["best_iteration"])
    assert history["val_cost"][i_best] == min(history["val_cost"])
    assert len(history["iteration"]) - 1 - i_best == 5, "stopped after `patience` evaluations without improvement"
    saved, metadata = load_parameters(path)
    assert metadata["iteration"] == history["best_iteration"]
    assert all(np.array_equal(saved[key], best[key]) for key in best)
    AL, _ = L_model_forward(X_val, best)
    from nnfromscratch.cost import compute_cost
    assert compute_cost(AL, Y_val) == pytest.approx(history["val_cost"][i_best], rel=1e-12)


# ------------------------------------------------------------------------------------------------ save and load

def test_round_trip_is_exact_for_every_dtype_and_shape(tmp_path):
    parameters = {"W10": np.array([[-0.0, np.nan, np.inf], [1e-310, -np.inf, 1 / 3]]),
                  "W2": np.arange(6, dtype=np.float32).reshape(3, 2) / 7, "b1": np.array(2.5),
                  "counts": np.arange(4, dtype=np.int64), "half": np.array([0.1, 65504], dtype=np.float16),
                  "empty": np.zeros((0, 3))}
    metadata = {"layers_dims": [2, 20, 3, 1], "activation": "relu", "iteration": 1200, "val_cost": 0.1 + 0.2,
                "converged": True, "note": None, "rates": (0.1, 0.01)}
    save_parameters(tmp_path / "p.h5", parameters, **metadata)
    loaded, meta = load_parameters(tmp_path / "p.h5")
    assert list(loaded) == list(parameters), "keys come back in the saved order"
    for key, value in parameters.items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape, key
        assert loaded[key].tobytes() == value.tobytes(), key
    assert meta == {**metadata, "rates": [0.1, 0.01]}
    assert type(meta["iteration"]) is int and type(meta["val_cost"]) is float


def test_loading_never_unpickles(tmp_path, monkeypatch):
    save_parameters(tmp_path / "p.h5", {"W1": np.ones((2, 2))}, name="x")

    def refuse(*args, **kwargs):
        raise AssertionError("pickle must not be used")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    loaded, _ = load_parameters(tmp_path / "p.h5")
    assert np.array_equal(loaded["W1"], np.ones((2, 2)))


@pytest.mark.parametrize("make", [lambda: GD(0.1), lambda: Momentum(0.05, 0.9), lambda: Momentum(0.05, nesterov=True),
                                  lambda: RMSProp(0.01), lambda: Adam(0.01), lambda: AdaGrad(0.1)],
                         ids=["gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"])
def test_training_resumes_exactly_from_a_checkpoint(tmp_path, make):
    X, Y, _, _ = _moons()
    straight, _ = regularized_model(X, Y, [2, 6, 1], num_iterations=40, print_cost=False, lambd=0.3,
                                    optimizer=make())
    optimizer = make()
    half, _ = regularized_model(X, Y, [2, 6, 1], num_iterations=20, print_cost=False, lambd=0.3, optimizer=optimizer)
    save_parameters(tmp_path / "ckpt.h5", half, optimizer=optimizer, iteration=20)
    restored_optimizer = make()
    loaded, metadata = load_parameters(tmp_path / "ckpt.h5", optimizer=restored_optimizer)
    resumed, _ = regularized_model(X, Y, [2, 6, 1], num_iterations=20, print_cost=False, lambd=0.3,
                                   optimizer=restored_optimizer, parameters=loaded)
    assert metadata == {"iteration": 20}
    assert all(np.array_equal(straight[key], resumed[key]) for key in straight)


def test_net_and_convnet_save_and_load_through_the_same_pair(tmp_path):
    net = Net([FC(3, 4, "relu", rng=0), FC(4, 1, "sigmoid", rng=1)], CrossEntropyLoss())
    save_parameters(tmp_path / "net.h5", net, layers_dims=[3, 4, 1])
    other = Net([FC(3, 4, "relu", rng=2), FC(4, 1, "sigmoid", rng=3)], CrossEntropyLoss())
    load_parameters(tmp_path / "net.h5", into=other)
    X = np.random.default_rng(0).standard_normal((3, 5))
    assert np.array_equal(net.forward(X), other.forward(X))
    convnet = ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=2, filter_size=3, hidden_dim=5, num_classes=3, rng=0)
    save_parameters(tmp_path / "cnn.h5", convnet)
    fresh = ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=2, filter_size=3, hidden_dim=5, num_classes=3, rng=1)
    load_parameters(tmp_path / "cnn.h5", into=fresh)
    assert all(np.array_equal(convnet.params[key], fresh.params[key]) for key in convnet.params)
    wrong = ThreeLayerConvNet(input_dim=(1, 4, 4), num_filters=3, filter_size=3, hidden_dim=5, num_classes=3, rng=1)
    with pytest.raises(ValueError, match="W1"):
        load_parameters(tmp_path / "cnn.h5", into=wrong)


# ------------------------------------------------------------------------------------------------------ bad input

def _bad_files(tmp_path):
    (tmp_path / "text.h5").write_text("not HDF5")
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["train_set_x"] = np.zeros(2)
    save_parameters(tmp_path / "plain.h5", {"W1": np.ones((1, 1))})
    return tmp_path


X5, Y5, P5 = _course_case()
CACHE12 = three_layer_forward(X5, P5)[1]
CACHE14 = forward_propagation_with_dropout(X5, P5, 0.5, rng=0)[1]
_, DROP_CACHE = dropout_forward(np.ones((2, 3)), {"p": 0.5, "mode": "train", "seed": 0})
BAD = [
    ("keep_prob zero", lambda d: forward_propagation_with_dropout(X5, P5, keep_prob=0.0), ValueError, "keep_prob"),
    ("keep_prob above one", lambda d: L_model_forward_with_dropout(X5, P5, keep_prob=1.2), ValueError, "keep_prob"),
    ("keep_prob a string", lambda d: dropout_mask((2, 2), "0.5"), TypeError, "keep_prob"),
    ("keep_prob in backward", lambda d: backward_propagation_with_dropout(X5, Y5, CACHE14, 0), ValueError, "keep_prob"),
    ("model keep_prob", lambda d: regularized_model(X5, Y5, keep_prob=-1, print_cost=False), ValueError, "keep_prob"),
    ("negative lambd", lambda d: backward_propagation_with_regularization(X5, Y5, CACHE12, -0.5), ValueError, "lambd"),
    ("model negative lambd", lambda d: regularized_model(X5, Y5, lambd=-1, print_cost=False), ValueError, "lambd"),
    ("L-layer negative lambd", lambda d: L_model_backward_with_dropout(
        np.full((1, 5), 0.5), Y5, forward_and_caches(), 0.5, lambd=-1), ValueError, "lambd"),
    ("12-cache to dropout backward", lambda d: backward_propagation_with_dropout(X5, Y5, CACHE12, 0.5),
     ValueError, "cache"),
    ("14-cache to L2 backward", lambda d: backward_propagation_with_regularization(X5, Y5, CACHE14, 0.1),
     ValueError, "cache"),
    ("cache not a tuple", lambda d: backward_propagation_with_regularization(X5, Y5, {"Z1": 0}, 0.1),
     TypeError, "cache"),
    ("short layer cache", lambda d: L_model_backward_with_dropout(np.full((1, 5), 0.5), Y5, [(1, 2)], 0.5),
     ValueError, "caches[0]"),
    ("wrong mode", lambda d: dropout_forward(X5, {"p": 0.5, "mode": "eval"}), ValueError, "mode"),
    ("unknown key", lambda d: dropout_forward(X5, {"p": 0.5, "mode": "train", "keep_prob": 0.5}), KeyError,
     "keep_prob"),
    ("missing p", lambda d: dropout_forward(X5, {"mode": "train"}), KeyError, "'p'"),
    ("p out of range", lambda d: dropout_forward(X5, {"p": 1.5, "mode": "train"}), ValueError, "dropout_param['p']"),
    ("seed a string", lambda d: dropout_forward(X5, {"p": 0.5, "mode": "train", "seed": "1"}), TypeError, "seed"),
    ("dropout_param a list", lambda d: dropout_forward(X5, [0.5, "train"]), TypeError, "dropout_param"),
    ("dout shape", lambda d: dropout_backward(np.ones((3, 2)), DROP_CACHE), ValueError, "dout"),
    ("dropout cache", lambda d: dropout_backward(np.ones((2, 3)), DROP_CACHE[:2]), ValueError, "cache"),
    ("four layers to the course form", lambda d: three_layer_forward(X5, initialize_parameters_deep([3, 2, 2, 2, 1])),
     ValueError, "parameters"),
    ("X rows", lambda d: L_model_forward_with_dropout(X5[:2], P5, 0.5), ValueError, "X"),
    ("Y shape", lambda d: regularized_model(X5, np.ones((1, 4)), print_cost=False), ValueError, "Y"),
    ("num_iterations", lambda d: regularized_model(X5, Y5, num_iterations=0, print_cost=False), ValueError,
     "num_iterations"),
    ("patience without validation", lambda d: regularized_model(X5, Y5, patience=3, print_cost=False), ValueError,
     "patience"),
    ("optimizer", lambda d: regularized_model(X5, Y5, optimizer="adam", print_cost=False), TypeError, "optimizer"),
    ("missing file", lambda d: load_parameters(d / "nothing.h5"), FileNotFoundError, "nothing.h5"),
    ("not HDF5", lambda d: load_parameters(_bad_files(d) / "text.h5"), ValueError, "text.h5"),
    ("wrong layout", lambda d: load_parameters(_bad_files(d) / "other.h5"), ValueError, "other.h5"),
    ("no optimizer state", lambda d: load_parameters(_bad_files(d) / "plain.h5", optimizer=Adam()), ValueError,
     "plain.h5"),
    ("metadata type", lambda d: save_parameters(d / "m.h5", P5, shape=np.zeros(2)), TypeError, "shape"),
    ("parameter key", lambda d: save_parameters(d / "k.h5", {"a/b": np.zeros(2)}), ValueError, "a/b"),
    ("not parameters", lambda d: save_parameters(d / "n.h5", [np.zeros(2)]), TypeError, "parameters"),
]


def forward_and_caches():
    return L_model_forward_with_dropout(X5, P5, 0.5, rng=0)[1]


@pytest.mark.parametrize("call, error, message", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_input(tmp_path, call, error, message):
    assert_raises_naming(call, error, message, tmp_path)
