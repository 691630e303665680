"""Every backward pass the package exports, checked by centred differences in float64 (chapter 12's tools).

REGISTRY maps each exported backward (and each exported class or loss that returns gradients) to a check that draws
shapes and values with hypothesis and returns the relative error ||g - g~|| / (||g|| + ||g~||). Every check must
stay at or below TOLERANCE = 1e-7; none needs a looser bound. Draws where the function has a kink within 1e-4 of an
input (ReLU at 0, ties for a maximum) are excluded with `assume`: the centred difference is not meaningful there
(chapter 12). test_every_exported_backward_has_a_gradient_check fails when a new backward joins the package without
an entry here.
"""

import inspect

import numpy as np
import pytest
from checks import layer_error
from gradcheck_report import record
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnfromscratch
from nnfromscratch import _authoring as authoring
from nnfromscratch import backward, cnn, cost, forward, gradient_checking, logistic_regression, training
from nnfromscratch.backward import relative_error
from nnfromscratch.gradient_checking import eval_numerical_gradient, eval_numerical_gradient_array
from nnfromscratch.initialization import initialize_parameters_deep

TOLERANCE = 1e-7
KINK_MARGIN = 1e-4
# every chapter module, in chapter order, as the notebooks name them
MODULES = [module.name for module in map(authoring.read_module, authoring.chapter_notebooks(authoring.repo_root() / "book"))
           if module is not None]


def rng_from(data):
    return np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))


def size(data, low=1, high=4, label=None):
    return data.draw(st.integers(low, high), label=label)


def away_from_kinks(values):
    assume(np.all(np.abs(values) > KINK_MARGIN))


def pool_without_near_ties(x, pool_param):
    """assume that every pooling window's largest value beats the next one by more than KINK_MARGIN."""
    from numpy.lib.stride_tricks import sliding_window_view
    ph, pw, S = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    windows = sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::S, ::S].reshape(*x.shape[:2], -1, ph * pw)
    if ph * pw > 1:
        top = np.sort(windows, axis=-1)
        assume(np.all(top[..., -1] - top[..., -2] > KINK_MARGIN))


# ------------------------------------------------------------------------------------------------- checks

def check_activation(name):
    def check(data):
        rng = rng_from(data)
        shape = (size(data), size(data))
        # |Z| <= 4: beyond it tanh' and sigmoid' fall below ~1e-3 and the true derivative drowns in the centred
        # difference's round-off (chapter 12, "saturation"), which would be a false alarm, not a bug
        Z, dA = rng.uniform(-4, 4, shape), rng.standard_normal(shape)
        if name == "relu":
            away_from_kinks(Z)
        numerical = eval_numerical_gradient_array(lambda z: forward.ACTIVATIONS[name](z)[0], Z.copy(), dA)
        return relative_error(backward.ACTIVATION_BACKWARDS[name](dA, Z), numerical)
    return check


def check_linear_backward(data):
    rng = rng_from(data)
    n_prev, n, m = size(data), size(data), size(data)
    A, W, b = rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))
    return layer_error(forward.linear_forward, backward.linear_backward, [A, W, b], rng, [1.0, 1 / m, 1 / m])


def check_linear_activation_backward(data):
    rng = rng_from(data)
    activation = data.draw(st.sampled_from(sorted(forward.ACTIVATIONS)))
    n_prev, n, m = size(data), size(data), size(data)
    A, W, b = rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))
    if activation == "relu":
        away_from_kinks(W @ A + b)
    return layer_error(lambda A_, W_, b_: forward.linear_activation_forward(A_, W_, b_, activation),
                       lambda dA, cache: backward.linear_activation_backward(dA, cache, activation),
                       [A, W, b], rng, [1.0, 1 / m, 1 / m])


def _network(data, rng, output_units):
    dims = [size(data)] + data.draw(st.lists(st.integers(1, 4), max_size=2)) + [output_units]
    parameters = initialize_parameters_deep(dims, rng, scheme="he")
    parameters = {k: v + rng.normal(0, 0.5, v.shape) * k.startswith("b") for k, v in parameters.items()}
    X = rng.standard_normal((dims[0], size(data)))
    _, caches = forward.L_model_forward(X, parameters, "sigmoid" if output_units == 1 else "softmax")
    for linear_cache, Z in caches[:-1]:
        away_from_kinks(Z)
    return parameters, X


def check_L_model_backward(data):
    rng = rng_from(data)
    output_units = data.draw(st.sampled_from([1, 3]))
    output = "sigmoid" if output_units == 1 else "softmax"
    parameters, X = _network(data, rng, output_units)
    m = X.shape[1]
    Y = (rng.random((1, m)) > 0.5).astype(float) if output == "sigmoid" else rng.integers(0, 3, size=(1, m))
    lambd = data.draw(st.sampled_from([0.0, 0.5]))
    AL, caches = forward.L_model_forward(X, parameters, output)
    grads = backward.L_model_backward(AL, Y, caches, output, lambd=lambd)

    def J(params):
        out, out_caches = forward.L_model_forward(X, params, output)
        if output == "sigmoid":  # from the scores: well conditioned even where AL is within 1e-7 of 0 or 1
            Z = out_caches[-1][1]
            data_cost = float(np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))))
        else:
            data_cost = cost.softmax_cross_entropy(out, Y)
        return data_cost + cost.l2_regularization_cost(params, lambd, m)

    keys = list(parameters)
    analytic = np.concatenate([grads["d" + k].ravel() for k in keys])
    numerical = np.concatenate([eval_numerical_gradient(lambda p, k=k: J({**parameters, k: p}),
                                                        parameters[k].copy()).ravel() for k in keys])
    return relative_error(analytic, numerical)


def check_cost_derivative(loss_fn, backward_fn, *, wrt_scores=None):
    """backward_fn(AL, Y) against the derivative of m * loss_fn (the per-example convention of chapter 5)."""
    def check(data):
        rng = rng_from(data)
        m = size(data)
        if wrt_scores == "sigmoid":
            Z, Y = rng.uniform(-6, 6, (1, m)), (rng.random((1, m)) > 0.5).astype(float)
            numerical = eval_numerical_gradient(lambda z: m * loss_fn(forward.sigmoid(z)[0], Y), Z.copy())
            return relative_error(backward_fn(forward.sigmoid(Z)[0], Y), numerical)
        if wrt_scores == "softmax":
            K = size(data, 2, 5)
            Z, Y = rng.standard_normal((K, m)) * 2, rng.integers(0, K, size=(1, m))
            numerical = eval_numerical_gradient(lambda z: m * loss_fn(forward.softmax(z)[0], Y), Z.copy())
            return relative_error(backward_fn(forward.softmax(Z)[0], Y), numerical)
        n = 1 if loss_fn is cost.compute_cost else size(data)
        AL = rng.uniform(0.05, 0.95, (n, m))
        Y = (rng.random((n, m)) > 0.5).astype(float) if loss_fn is cost.compute_cost else rng.standard_normal((n, m))
        numerical = eval_numerical_gradient(lambda a: m * loss_fn(a, Y), AL.copy())
        return relative_error(backward_fn(AL, Y), numerical)
    return check


def check_l2_regularization_backward(data):
    rng = rng_from(data)
    W, lambd, m = rng.standard_normal((size(data), size(data))), data.draw(st.floats(0.01, 5.0)), size(data, 1, 9)
    numerical = eval_numerical_gradient(lambda w: cost.l2_regularization_cost({"W1": w}, lambd, m), W.copy())
    return relative_error(cost.l2_regularization_backward(W, lambd, m), numerical)


def check_affine(relu_too):
    def check(data):
        rng = rng_from(data)
        N, d1, d2, M = (size(data) for _ in range(4))
        x, w, b = rng.standard_normal((N, d1, d2)), rng.standard_normal((d1 * d2, M)), rng.standard_normal(M)
        if relu_too:
            away_from_kinks(x.reshape(N, -1) @ w + b)
            return layer_error(cnn.affine_relu_forward, cnn.affine_relu_backward, [x, w, b], rng)
        return layer_error(cnn.affine_forward, cnn.affine_backward, [x, w, b], rng)
    return check


def _conv_case(data, rng):
    N, C, F = size(data, 1, 2), size(data, 1, 3), size(data, 1, 3)
    HH, WW, stride, pad = size(data, 1, 3), size(data, 1, 3), size(data, 1, 2), size(data, 0, 1)
    H_out, W_out = size(data, 1, 3), size(data, 1, 3)
    H, W = (H_out - 1) * stride + HH - 2 * pad, (W_out - 1) * stride + WW - 2 * pad
    if H < 1 or W < 1:
        pad, H, W = 0, (H_out - 1) * stride + HH, (W_out - 1) * stride + WW
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, HH, WW)), rng.standard_normal(F)
    return x, w, b, {"stride": stride, "pad": pad}


def check_conv(naive):
    def check(data):
        rng = rng_from(data)
        x, w, b, conv_param = _conv_case(data, rng)
        forward_fn = cnn.conv_forward_naive if naive else cnn.conv_forward
        backward_fn = cnn.conv_backward_naive if naive else cnn.conv_backward
        return layer_error(lambda *a: forward_fn(*a, conv_param), backward_fn, [x, w, b], rng)
    return check


def _pool_case(data, rng):
    ph, pw, stride = size(data, 1, 3), size(data, 1, 3), size(data, 1, 3)
    H_out, W_out = size(data, 1, 3), size(data, 1, 3)
    x = rng.standard_normal((size(data, 1, 2), size(data, 1, 2), (H_out - 1) * stride + ph, (W_out - 1) * stride + pw))
    return x, {"pool_height": ph, "pool_width": pw, "stride": stride}


def check_pool(forward_fn, backward_fn, is_max):
    def check(data):
        rng = rng_from(data)
        x, pool_param = _pool_case(data, rng)
        if is_max:
            pool_without_near_ties(x, pool_param)
        return layer_error(lambda v: forward_fn(v, pool_param), backward_fn, [x], rng)
    return check


def check_conv_sandwich(with_pool):
    def check(data):
        rng = rng_from(data)
        N, C, F = size(data, 1, 2), size(data, 1, 2), size(data, 1, 3)
        x, w, b = rng.standard_normal((N, C, 4, 4)), rng.standard_normal((F, C, 3, 3)), rng.standard_normal(F)
        conv_param, pool_param = {"stride": 1, "pad": 1}, {"pool_height": 2, "pool_width": 2, "stride": 2}
        a, _ = cnn.conv_forward(x, w, b, conv_param)
        away_from_kinks(a)
        if with_pool:
            pool_without_near_ties(np.maximum(a, 0) + (a <= 0) * -np.arange(a.size).reshape(a.shape), pool_param)
            return layer_error(lambda *v: cnn.conv_relu_pool_forward(*v, conv_param, pool_param),
                               cnn.conv_relu_pool_backward, [x, w, b], rng)
        return layer_error(lambda *v: cnn.conv_relu_forward(*v, conv_param), cnn.conv_relu_backward, [x, w, b], rng)
    return check


def check_score_loss(loss_fn):
    def check(data):
        rng = rng_from(data)
        N, K = size(data), size(data, 2, 5)
        x, y = rng.standard_normal((N, K)), rng.integers(0, K, size=N)
        if loss_fn is cnn.svm_loss:  # the hinge has a kink where a margin is exactly 0
            margins = x - x[np.arange(N), y][:, None] + 1.0
            margins[np.arange(N), y] = 1.0
            away_from_kinks(margins)
        return relative_error(loss_fn(x, y)[1], eval_numerical_gradient(lambda s: loss_fn(s, y)[0], x.copy()))
    return check


def check_convnet(data):
    rng = rng_from(data)
    C, F, hidden, classes = size(data, 1, 2), size(data, 1, 3), size(data, 2, 5), size(data, 2, 4)
    model = cnn.ThreeLayerConvNet(input_dim=(C, 4, 4), num_filters=F, filter_size=3, hidden_dim=hidden,
                                  num_classes=classes, weight_scale=0.5, reg=data.draw(st.sampled_from([0.0, 0.1])),
                                  rng=rng)
    X = rng.standard_normal((size(data, 1, 3), C, 4, 4))
    y = rng.integers(0, classes, size=X.shape[0])
    p = model.params
    a, _ = cnn.conv_forward(X, p["W1"], p["b1"], model.conv_param)
    away_from_kinks(a)
    pooled, _ = cnn.max_pool_forward(np.maximum(a, 0), model.pool_param)
    pool_without_near_ties(np.maximum(a, 0) + (a <= 0) * -np.arange(a.size).reshape(a.shape), model.pool_param)
    away_from_kinks(pooled.reshape(X.shape[0], -1) @ p["W2"] + p["b2"])
    loss, grads = model.loss(X, y)
    # a saturated softmax (loss ~ 1e-6) leaves gradients so small that the centred differences are mostly rounding
    assume(loss > 1e-3)
    worst = 0.0
    for key in sorted(p):
        def J(value, key=key):
            saved, p[key] = p[key], value
            try:
                return model.loss(X, y)[0]
            finally:
                p[key] = saved
        worst = max(worst, relative_error(grads[key], eval_numerical_gradient(J, p[key].copy())))
    return worst


def check_fc(data):
    rng = rng_from(data)
    n_in, n_out, m = size(data), size(data), size(data)
    activation = data.draw(st.sampled_from(["relu", "sigmoid", "tanh"]))
    layer = training.FC(n_in, n_out, activation, init="he", rng=rng)
    layer.b = rng.standard_normal(layer.b.shape)
    A = rng.standard_normal((n_in, m))
    if activation == "relu":
        away_from_kinks(layer.W @ A + layer.b)

    def forward_fn(A_, W_, b_):
        layer.W, layer.b = W_, b_
        return layer.forward(A_), None

    W, b = layer.W.copy(), layer.b.copy()
    out = layer.forward(A)
    dA = rng.standard_normal(out.shape)
    dA_prev = layer.backward(dA)
    analytic = [dA_prev, layer.dW, layer.db]
    worst = 0.0
    for i, (value, scale) in enumerate([(A, 1.0), (W, 1 / m), (b, 1 / m)]):
        def f(v, i=i):
            args = [A, W, b]
            args[i] = v
            return forward_fn(*args)[0]
        worst = max(worst, relative_error(analytic[i], eval_numerical_gradient_array(f, value.copy(), dA) * scale))
    return worst


def check_loss_object(cls, loss_fn):
    def check(data):
        rng = rng_from(data)
        m = size(data)
        n = 1 if cls is training.CrossEntropyLoss else size(data)
        AL = rng.uniform(0.05, 0.95, (n, m))
        Y = (rng.random((n, m)) > 0.5).astype(float)
        obj = cls()
        obj.forward(AL, Y)
        return relative_error(obj.backward(), eval_numerical_gradient(lambda a: m * loss_fn(a, Y), AL.copy()))
    return check


def check_net(data):
    rng = rng_from(data)
    dims = [size(data), size(data), 1]
    loss = data.draw(st.sampled_from(["square", "cross-entropy"]))
    net = training.Net([training.FC(dims[0], dims[1], "tanh", rng=rng), training.FC(dims[1], 1, "sigmoid", rng=rng)],
                       training.SquareLoss() if loss == "square" else training.CrossEntropyLoss())
    X = rng.standard_normal((dims[0], size(data)))
    Y = (rng.random((1, X.shape[1])) > 0.5).astype(float)
    net.loss(X, Y)
    net.backward()
    analytic, parameters = net.gradients(), net.parameters()
    worst = 0.0
    for key, value in parameters.items():
        def J(v, key=key):
            net.set_parameters({**parameters, key: v})
            try:
                return net.loss(X, Y)
            finally:
                net.set_parameters(parameters)
        worst = max(worst, relative_error(analytic["d" + key], eval_numerical_gradient(J, value.copy())))
    return worst


def check_backward_propagation(data):
    x, theta = data.draw(st.floats(-10, 10)), data.draw(st.floats(-10, 10))
    numerical = eval_numerical_gradient(lambda t: float(gradient_checking.forward_propagation(x, t[0])), np.array([theta]))
    return relative_error(gradient_checking.backward_propagation(x, theta), numerical[0])


def check_propagate(data):
    """Chapter 2's propagate: grads {"dw", "db"} against centred differences of its cost in w and b."""
    rng = rng_from(data)
    n_x, m = size(data), size(data)
    # |z| stays below ~4: the cost is computed from probabilities, which lose digits where the sigmoid saturates
    X, w, b = rng.uniform(-1, 1, (n_x, m)), rng.uniform(-1, 1, (n_x, 1)), float(rng.uniform(-1, 1))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    grads, _ = logistic_regression.propagate(w, b, X, Y)
    dw = eval_numerical_gradient(lambda v: logistic_regression.propagate(v, b, X, Y)[1], w.copy())
    db = eval_numerical_gradient(lambda v: logistic_regression.propagate(w, float(v[0]), X, Y)[1], np.array([b]))
    return relative_error(np.append(grads["dw"], grads["db"]), np.append(dw, db))


# chapter 11: normalization. A batch (or group) whose variance is tiny makes the normalization steep, so that the
# centred difference measures its own truncation error; such draws are excluded with `assume`. Statistics over two
# values are excluded too: the normalized pair is +-1 whatever the inputs, the true dx is of the order of eps, and
# the centred difference of such a flat function is rounding noise.
from nnfromscratch import normalization, regularization  # noqa: E402

MIN_VARIANCE = 0.05


def _spread_out(values, axis):
    assume(np.all(np.var(values, axis=axis) > MIN_VARIANCE))


def check_normalize_backward(data):
    rng = rng_from(data)
    axis, given = data.draw(st.sampled_from([0, 1])), data.draw(st.booleans())
    x = rng.standard_normal((size(data, 3, 5), size(data, 3, 5)))
    _spread_out(x, axis)
    if given:  # test mode: the statistics are constants
        shape = (1, x.shape[1]) if axis == 0 else (x.shape[0], 1)
        mean, var = rng.standard_normal(shape), rng.uniform(0.5, 2, shape)
        return layer_error(lambda v: normalization.normalize(v, axis, 1e-5, mean, var)[:2],
                           normalization.normalize_backward, [x], rng)
    return layer_error(lambda v: normalization.normalize(v, axis, 1e-5)[:2], normalization.normalize_backward, [x], rng)


def _draw_bn_param(data, rng, C):
    """A bn_param factory: train mode, or test mode with drawn running averages (C,) (constants for the backward)."""
    if data.draw(st.booleans(), label="test mode"):
        mean, var = rng.standard_normal(C), rng.uniform(0.5, 2, C)
        return lambda: {"mode": "test", "running_mean": mean, "running_var": var}
    return lambda: {"mode": "train"}


def check_batchnorm(backward_fn, forward_fn=normalization.batchnorm_forward):
    def check(data):
        rng = rng_from(data)
        N, D = size(data, 3, 5), size(data)
        x, gamma, beta = rng.normal(1, 2, (N, D)), rng.standard_normal(D), rng.standard_normal(D)
        _spread_out(x, 0)
        param = _draw_bn_param(data, rng, D)
        return layer_error(lambda *v: forward_fn(*v, param()), backward_fn, [x, gamma, beta], rng)
    return check


def check_layernorm_backward(data):
    rng = rng_from(data)
    N, D = size(data), size(data, 3, 5)
    x, gamma, beta = rng.normal(1, 2, (N, D)), rng.standard_normal(D), rng.standard_normal(D)
    _spread_out(x, 1)
    return layer_error(lambda *v: normalization.layernorm_forward(*v, {"mode": "train"}),
                       normalization.layernorm_backward, [x, gamma, beta], rng)


def check_spatial_batchnorm(forward_fn, backward_fn):
    def check(data):
        rng = rng_from(data)
        N, C, H, W = size(data, 1, 2), size(data, 1, 3), size(data, 1, 3), 3
        x, gamma, beta = rng.normal(1, 2, (N, C, H, W)), rng.standard_normal(C), rng.standard_normal(C)
        _spread_out(x, (0, 2, 3))
        param = _draw_bn_param(data, rng, C)
        return layer_error(lambda *v: forward_fn(*v, param()), backward_fn, [x, gamma, beta], rng)
    return check


def check_spatial_groupnorm_backward(data):
    rng = rng_from(data)
    G, per_group, N, H, W = size(data, 1, 3), size(data, 1, 2), size(data, 1, 2), size(data, 1, 3), 3
    C = G * per_group
    x = rng.normal(1, 2, (N, C, H, W))
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    _spread_out(x.reshape(N * G, -1), 1)
    return layer_error(lambda *v: normalization.spatial_groupnorm_forward(*v, G, {}),
                       normalization.spatial_groupnorm_backward, [x, gamma, beta], rng)


def check_affine_norm_relu_backward(data):
    rng = rng_from(data)
    kind = data.draw(st.sampled_from(["batchnorm", "layernorm"]))
    N, D, M = size(data, 3, 5), size(data, 2, 4), size(data, 3, 5)  # D >= 2: see below
    x, w, b = rng.standard_normal((N, D)), rng.standard_normal((D, M)), rng.standard_normal(M)
    gamma, beta = rng.standard_normal(M), rng.standard_normal(M)
    _spread_out(x @ w + b, 0 if kind == "batchnorm" else 1)
    _spread_out(x, 0)  # else the normalization is steep in x: a small spread of x scaled up by large weights
    _, cache = normalization.affine_norm_relu_forward(x, w, b, gamma, beta, {"mode": "train"}, kind)
    norm_forward = normalization.batchnorm_forward if kind == "batchnorm" else normalization.layernorm_forward
    away_from_kinks(norm_forward(x @ w + b, gamma, beta, {"mode": "train"})[0])  # the ReLU's input
    if kind == "layernorm":
        return layer_error(lambda *v: normalization.affine_norm_relu_forward(*v, {"mode": "train"}, kind),
                           normalization.affine_norm_relu_backward, [x, w, b, gamma, beta], rng)
    # batch norm removes b with the batch mean: db is exactly zero (compared absolutely), the rest by differences.
    # It is also blind to the scale of each column of w, so dw is orthogonal to w: with D = 1 that makes dw ~ eps.
    def forward_fn(x_, w_, g_, be_):
        return normalization.affine_norm_relu_forward(x_, w_, b, g_, be_, {"mode": "train"}, kind)

    def backward_fn(dout, c):
        dx, dw, _, dgamma, dbeta = normalization.affine_norm_relu_backward(dout, c)
        return dx, dw, dgamma, dbeta

    db = normalization.affine_norm_relu_backward(rng.standard_normal((N, M)), cache)[2]
    return max(float(np.abs(db).max()), layer_error(forward_fn, backward_fn, [x, w, gamma, beta], rng))


def check_fully_connected_net(data):
    rng = rng_from(data)
    kind = data.draw(st.sampled_from([None, "batchnorm", "layernorm"]))
    keep = data.draw(st.sampled_from([1.0, 0.6]))
    hidden = data.draw(st.lists(st.integers(3, 5), min_size=1, max_size=3))
    D, K, N = size(data, 1, 4), size(data, 2, 4), size(data, 3, 5)
    model = normalization.FullyConnectedNet(hidden, input_dim=D, num_classes=K, dropout_keep_ratio=keep,
                                            normalization=kind, reg=data.draw(st.sampled_from([0.0, 0.1])),
                                            weight_scale=0.8, dtype=np.float64, seed=3, rng=rng)
    p = model.params
    for key in p:
        if key[0] in "bg":  # biases and gammas away from their initial 0 and 1
            p[key] = p[key] + rng.standard_normal(p[key].shape) * 0.5
    X, y = rng.standard_normal((N, D)), rng.integers(0, K, size=N)
    h = X
    for l in range(1, model.num_layers):  # the pre-ReLU values, away from the kink; spread-out statistics
        a = h @ p[f"W{l}"] + p[f"b{l}"]
        if kind:
            _spread_out(a, 0 if kind == "batchnorm" else 1)
            a, _ = (normalization.batchnorm_forward if kind == "batchnorm" else normalization.layernorm_forward)(
                a, p[f"gamma{l}"], p[f"beta{l}"], {"mode": "train"})
        away_from_kinks(a)
        h = np.maximum(a, 0)
        if keep < 1:
            h, _ = regularization.dropout_forward(h, {"p": keep, "mode": "train", "seed": 3})
    loss, grads = model.loss(X, y)
    assume(loss > 1e-3)

    def J(key, value):
        saved, p[key] = p[key], value
        try:
            return model.loss(X, y)[0]
        finally:
            p[key] = saved

    # one relative error over all parameters (as check_L_model_backward): a single key's gradient can be exactly
    # zero (b before batch norm) or tiny (units ReLU switched off for most examples), where a per-key ratio is noise
    keys = sorted(p)
    analytic = np.concatenate([grads[key].ravel() for key in keys])
    numerical = np.concatenate([eval_numerical_gradient(lambda v, key=key: J(key, v), p[key].copy()).ravel()
                                for key in keys])
    return relative_error(analytic, numerical)


# chapter 9: regularization. Dropout is checked with a fixed mask: an int seed redraws the same masks at every call,
# so the cost seen by the centred differences goes through the masks the backward pass uses.

def check_dropout_backward(data):
    rng = rng_from(data)
    shape = tuple(size(data) for _ in range(data.draw(st.integers(1, 4))))
    param = {"p": data.draw(st.sampled_from([0.3, 0.5, 1.0])), "mode": data.draw(st.sampled_from(["train", "test"])),
             "seed": data.draw(st.integers(0, 100))}
    return layer_error(lambda x: regularization.dropout_forward(x, param), regularization.dropout_backward,
                       [rng.standard_normal(shape)], rng)


def _stable_sigmoid_cost(Z, Y):
    """Binary cross-entropy from the scores Z: well conditioned even where sigmoid(Z) is within 1e-7 of 0 or 1."""
    return float(np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))))


def _parameter_gradient_error(parameters, grads, J):
    keys = list(parameters)
    analytic = np.concatenate([grads["d" + k].ravel() for k in keys])
    numerical = np.concatenate([eval_numerical_gradient(lambda p, k=k: J({**parameters, k: p}),
                                                        parameters[k].copy()).ravel() for k in keys])
    return relative_error(analytic, numerical)


def check_L_model_backward_with_dropout(data):
    rng = rng_from(data)
    output_units = data.draw(st.sampled_from([1, 3]))
    output = "sigmoid" if output_units == 1 else "softmax"
    dims = [size(data)] + data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)) + [output_units]
    parameters = initialize_parameters_deep(dims, rng, scheme="he")
    parameters = {k: v + rng.normal(0, 0.5, v.shape) * k.startswith("b") for k, v in parameters.items()}
    X = rng.standard_normal((dims[0], size(data)))
    m = X.shape[1]
    Y = (rng.random((1, m)) > 0.5).astype(float) if output == "sigmoid" else rng.integers(0, 3, size=(1, m))
    keep_prob, lambd, seed = data.draw(st.sampled_from([0.5, 0.8, 1.0])), data.draw(st.sampled_from([0.0, 0.5])), 7
    AL, caches = regularization.L_model_forward_with_dropout(X, parameters, keep_prob, seed, output)
    for _, Z, _ in caches[:-1]:
        away_from_kinks(Z)
    grads = regularization.L_model_backward_with_dropout(AL, Y, caches, keep_prob, lambd, output)

    def J(params):
        out, out_caches = regularization.L_model_forward_with_dropout(X, params, keep_prob, seed, output)
        data_cost = _stable_sigmoid_cost(out_caches[-1][1], Y) if output == "sigmoid" else cost.softmax_cross_entropy(out, Y)
        return data_cost + cost.l2_regularization_cost(params, lambd, m)

    return _parameter_gradient_error(parameters, grads, J)


def _three_layer_case(data, rng):
    n_x, n1, n2, m = size(data), size(data), size(data), size(data)
    parameters = initialize_parameters_deep([n_x, n1, n2, 1], rng, scheme="he")
    parameters = {k: v + rng.normal(0, 0.5, v.shape) * k.startswith("b") for k, v in parameters.items()}
    return parameters, rng.standard_normal((n_x, m)), (rng.random((1, m)) > 0.5).astype(float)


def check_backward_propagation_with_regularization(data):
    rng = rng_from(data)
    parameters, X, Y = _three_layer_case(data, rng)
    lambd = data.draw(st.sampled_from([0.0, 0.7]))
    _, cache = regularization.three_layer_forward(X, parameters)
    away_from_kinks(np.concatenate([cache[0].ravel(), cache[4].ravel()]))
    grads = regularization.backward_propagation_with_regularization(X, Y, cache, lambd)

    def J(params):
        Z3 = regularization.three_layer_forward(X, params)[1][8]
        return _stable_sigmoid_cost(Z3, Y) + cost.l2_regularization_cost(params, lambd, X.shape[1])

    return _parameter_gradient_error(parameters, grads, J)


def check_backward_propagation_with_dropout(data):
    rng = rng_from(data)
    parameters, X, Y = _three_layer_case(data, rng)
    keep_prob, seed = data.draw(st.sampled_from([0.5, 0.86, 1.0])), data.draw(st.integers(0, 100))
    _, cache = regularization.forward_propagation_with_dropout(X, parameters, keep_prob, np.random.RandomState(seed))
    away_from_kinks(np.concatenate([cache[0].ravel(), cache[5].ravel()]))
    grads = regularization.backward_propagation_with_dropout(X, Y, cache, keep_prob)

    def J(params):
        Z3 = regularization.forward_propagation_with_dropout(X, params, keep_prob, np.random.RandomState(seed))[1][10]
        return _stable_sigmoid_cost(Z3, Y)

    return _parameter_gradient_error(parameters, grads, J)


REGISTRY = {
    "sigmoid_backward": check_activation("sigmoid"),
    "relu_backward": check_activation("relu"),
    "tanh_backward": check_activation("tanh"),
    "softmax_backward": check_activation("softmax"),
    "linear_backward": check_linear_backward,
    "linear_activation_backward": check_linear_activation_backward,
    "L_model_backward": check_L_model_backward,
    "compute_cost_backward": check_cost_derivative(cost.compute_cost, cost.compute_cost_backward),
    "square_loss_backward": check_cost_derivative(cost.square_loss, cost.square_loss_backward),
    "sigmoid_cross_entropy_backward": check_cost_derivative(cost.compute_cost, cost.sigmoid_cross_entropy_backward,
                                                            wrt_scores="sigmoid"),
    "softmax_cross_entropy_backward": check_cost_derivative(cost.softmax_cross_entropy,
                                                            cost.softmax_cross_entropy_backward, wrt_scores="softmax"),
    "l2_regularization_backward": check_l2_regularization_backward,
    "affine_backward": check_affine(relu_too=False),
    "affine_relu_backward": check_affine(relu_too=True),
    "conv_backward_naive": check_conv(naive=True),
    "conv_backward": check_conv(naive=False),
    "conv_relu_backward": check_conv_sandwich(with_pool=False),
    "conv_relu_pool_backward": check_conv_sandwich(with_pool=True),
    "max_pool_backward_naive": check_pool(cnn.max_pool_forward_naive, cnn.max_pool_backward_naive, is_max=True),
    "max_pool_backward": check_pool(cnn.max_pool_forward, cnn.max_pool_backward, is_max=True),
    "avg_pool_backward": check_pool(cnn.avg_pool_forward, cnn.avg_pool_backward, is_max=False),
    "softmax_loss": check_score_loss(cnn.softmax_loss),
    "svm_loss": check_score_loss(cnn.svm_loss),
    "ThreeLayerConvNet": check_convnet,
    "FC": check_fc,
    "SquareLoss": check_loss_object(training.SquareLoss, cost.square_loss),
    "CrossEntropyLoss": check_loss_object(training.CrossEntropyLoss, cost.compute_cost),
    "Net": check_net,
    "backward_propagation": check_backward_propagation,
    "propagate": check_propagate,
    # chapter 11
    "normalize_backward": check_normalize_backward,
    "batchnorm_backward": check_batchnorm(normalization.batchnorm_backward),
    "batchnorm_backward_alt": check_batchnorm(normalization.batchnorm_backward_alt),
    "layernorm_backward": check_layernorm_backward,
    "spatial_batchnorm_backward": check_spatial_batchnorm(normalization.spatial_batchnorm_forward,
                                                          normalization.spatial_batchnorm_backward),
    "batchnorm_backward_fast": check_batchnorm(normalization.batchnorm_backward_fast, normalization.batchnorm_forward_fast),
    "spatial_batchnorm_backward_fast": check_spatial_batchnorm(normalization.spatial_batchnorm_forward_fast,
                                                               normalization.spatial_batchnorm_backward_fast),
    "spatial_groupnorm_backward": check_spatial_groupnorm_backward,
    "affine_norm_relu_backward": check_affine_norm_relu_backward,
    "FullyConnectedNet": check_fully_connected_net,
    # chapter 9
    "dropout_backward": check_dropout_backward,
    "L_model_backward_with_dropout": check_L_model_backward_with_dropout,
    "backward_propagation_with_regularization": check_backward_propagation_with_regularization,
    "backward_propagation_with_dropout": check_backward_propagation_with_dropout,
}


@pytest.mark.parametrize("name", sorted(REGISTRY))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_gradient_check(name, data):
    error = REGISTRY[name](data)
    record(name, error)
    assert error <= TOLERANCE, f"{name}: relative error {error:.2e} > {TOLERANCE}"


# functions that return gradients without "backward" in their name (the course's names)
RETURN_GRADIENTS = {"propagate"}


def exported_names_that_need_a_check():
    """Every exported name whose gradient the package computes: 'backward' in a function's name, a class with a
    backward or loss method, the CS231n losses that return (loss, dx), and the names in RETURN_GRADIENTS."""
    import importlib
    needed = set()
    for module_name in MODULES:
        module = importlib.import_module(f"nnfromscratch.{module_name}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and (hasattr(obj, "backward") or hasattr(obj, "loss")):
                needed.add(name)
            elif callable(obj) and "backward" in name:
                needed.add(name)
            elif callable(obj) and module_name == "cnn" and name.endswith("_loss"):
                needed.add(name)
            elif callable(obj) and name in RETURN_GRADIENTS:
                needed.add(name)
    return needed


def test_every_exported_backward_has_a_gradient_check():
    needed = exported_names_that_need_a_check()
    missing = sorted(needed - set(REGISTRY))
    assert not missing, f"exported without a gradient check in tests/test_gradient_checks.py: {missing}"
    assert {"L_model_backward", "conv_backward", "max_pool_backward", "ThreeLayerConvNet", "Net"} <= needed
    assert set(REGISTRY) <= needed | set(dir(nnfromscratch)), "a registry entry names nothing the package exports"


def test_the_coverage_test_notices_a_new_backward_without_a_check(monkeypatch):
    def conv_transpose_backward(dout, cache):
        return dout

    monkeypatch.setattr(cnn, "conv_transpose_backward", conv_transpose_backward, raising=False)
    monkeypatch.setattr(cnn, "__all__", [*cnn.__all__, "conv_transpose_backward"])
    assert "conv_transpose_backward" in exported_names_that_need_a_check() - set(REGISTRY)
