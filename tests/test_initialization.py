"""Chapter 3: initialization (nnfromscratch.initialization)."""

import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfromscratch.initialization import (
    check_layer_dims, init_scale, initialize_parameters, initialize_parameters_deep, initialize_parameters_glorot,
    initialize_parameters_he, initialize_parameters_random, initialize_parameters_xavier, initialize_parameters_zeros,
)

dims_lists = st.lists(st.integers(1, 40), min_size=2, max_size=5)


@settings(max_examples=30, deadline=None)
@given(dims=dims_lists, scheme=st.sampled_from(["zeros", "random", "he", "xavier", "lecun", "glorot"]))
def test_shapes_and_zero_biases(dims, scheme):
    parameters = initialize_parameters_deep(dims, rng=0, scheme=scheme)
    assert sorted(parameters) == sorted(f"{p}{l}" for l in range(1, len(dims)) for p in "Wb")
    for l in range(1, len(dims)):
        assert parameters[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert parameters[f"b{l}"].shape == (dims[l], 1)
        assert not parameters[f"b{l}"].any()


def test_random_state_reproduces_the_course_global_seed():
    np.random.seed(3)
    expected_W1 = np.random.randn(4, 5) * 0.01
    expected_W2 = np.random.randn(3, 4) * 0.01
    parameters = initialize_parameters_deep([5, 4, 3], rng=np.random.RandomState(3))
    np.testing.assert_array_equal(parameters["W1"], expected_W1)
    np.testing.assert_array_equal(parameters["W2"], expected_W2)
    # the course's published first entries of W1
    np.testing.assert_allclose(parameters["W1"][0, :3], [0.01788628, 0.0043651, 0.00096497], atol=5e-9)


def test_he_with_random_state_matches_the_course_formula():
    np.random.seed(3)
    expected = [np.random.randn(4, 2) * np.sqrt(2 / 2), np.random.randn(1, 4) * np.sqrt(2 / 4)]
    parameters = initialize_parameters_he([2, 4, 1], rng=np.random.RandomState(3))
    np.testing.assert_array_equal(parameters["W1"], expected[0])
    np.testing.assert_array_equal(parameters["W2"], expected[1])


def test_an_int_seed_means_default_rng_and_draws_layers_in_order():
    rng = np.random.default_rng(5)
    W1 = rng.standard_normal((3, 2)) * np.sqrt(1 / 2)
    W2 = rng.standard_normal((1, 3)) * np.sqrt(1 / 3)
    parameters = initialize_parameters_xavier([2, 3, 1], rng=5)
    np.testing.assert_array_equal(parameters["W1"], W1)
    np.testing.assert_array_equal(parameters["W2"], W2)


@pytest.mark.parametrize("scheme, n_prev, n, expected", [("zeros", 7, 3, 0.0), ("random", 7, 3, 0.01),
                                                         ("xavier", 4, 9, 0.5), ("lecun", 4, 9, 0.5), ("he", 8, 1, 0.5),
                                                         ("glorot", 5, 3, 0.5), ("glorot", 100, 100, 0.1)])
def test_init_scale(scheme, n_prev, n, expected):
    assert init_scale(scheme, n_prev, n=n) == pytest.approx(expected)


def test_glorot_uses_both_sizes_and_draws_like_the_others():
    rng = np.random.default_rng(2)
    W1 = rng.standard_normal((30, 10)) * np.sqrt(2 / 40)
    W2 = rng.standard_normal((2, 30)) * np.sqrt(2 / 32)
    parameters = initialize_parameters_glorot([10, 30, 2], rng=2)
    np.testing.assert_array_equal(parameters["W1"], W1)
    np.testing.assert_array_equal(parameters["W2"], W2)
    np.testing.assert_array_equal(initialize_parameters_deep([10, 30, 2], rng=2, scheme="glorot")["W2"], W2)
    glorot = initialize_parameters_glorot([1200, 400], rng=1)["W1"]
    assert glorot.std() == pytest.approx(np.sqrt(2 / 1600), rel=0.01)


def test_the_course_xavier_is_lecun():
    np.testing.assert_array_equal(initialize_parameters_xavier([6, 4, 1], rng=3)["W1"],
                                  initialize_parameters_deep([6, 4, 1], rng=3, scheme="lecun")["W1"])


def test_empirical_standard_deviations():
    he = initialize_parameters_he([800, 400], rng=1)["W1"]
    xavier = initialize_parameters_xavier([800, 400], rng=1)["W1"]
    big = initialize_parameters_random([800, 400], rng=1)["W1"]
    assert he.std() == pytest.approx(np.sqrt(2 / 800), rel=0.01)
    assert xavier.std() == pytest.approx(np.sqrt(1 / 800), rel=0.01)
    assert big.std() == pytest.approx(10.0, rel=0.01)


def test_course_named_initializers():
    two = initialize_parameters(3, 2, 1, rng=np.random.RandomState(1))
    np.random.seed(1)
    np.testing.assert_array_equal(two["W1"], np.random.randn(2, 3) * 0.01)
    np.testing.assert_array_equal(two["W2"], np.random.randn(1, 2) * 0.01)
    zeros = initialize_parameters_zeros([3, 2, 1])
    assert all(not value.any() for value in zeros.values())


# (id, call, exception type, substring the message must contain)
BAD_INPUT = [
    ("dims-one-size", lambda: initialize_parameters_deep([5]), ValueError, "layer_dims must list at least two sizes"),
    ("dims-empty", lambda: initialize_parameters_deep([]), ValueError, "layer_dims must list at least two sizes"),
    ("dims-zero", lambda: initialize_parameters_deep([3, 0, 1]), ValueError, "layer_dims[1] must be in [1, inf); got 0"),
    ("dims-negative", lambda: initialize_parameters_deep([3, -2]), ValueError, "layer_dims[1] must be in [1, inf); got -2"),
    ("dims-float", lambda: initialize_parameters_deep([3, 2.5]), TypeError, "layer_dims[1] must be an integer; got 2.5"),
    ("dims-bool", lambda: initialize_parameters_deep([True, 2]), TypeError, "layer_dims[0] must be an integer"),
    ("dims-none-entry", lambda: initialize_parameters_deep([3, None]), TypeError, "layer_dims[1] must be an integer"),
    ("dims-string", lambda: initialize_parameters_deep("3, 2"), TypeError, "layer_dims must be a list of layer sizes"),
    ("dims-none", lambda: initialize_parameters_deep(None), TypeError, "layer_dims must be a list of layer sizes"),
    ("dims-int", lambda: initialize_parameters_deep(5), TypeError, "layer_dims must be a list of layer sizes"),
    ("check-dims-name", lambda: check_layer_dims([2, 0], name="layers_dims"), ValueError, "layers_dims[1] must be in"),
    ("scheme-unknown", lambda: initialize_parameters_deep([2, 3], scheme="xavier_uniform"), ValueError,
     "scheme must be one of ['zeros', 'random', 'lecun', 'xavier', 'glorot', 'he']; got 'xavier_uniform'"),
    ("scheme-none", lambda: initialize_parameters_deep([2, 3], scheme=None), ValueError, "scheme must be one of"),
    ("scale-zero", lambda: initialize_parameters_deep([2, 3], scale=0), ValueError, "scale must be in (0, inf); got 0"),
    ("scale-string", lambda: initialize_parameters_deep([2, 3], scale="0.01"), TypeError,
     "scale must be a real number; got '0.01'"),
    ("scale-nan", lambda: initialize_parameters_deep([2, 3], scale=float("nan")), ValueError, "scale must be finite"),
    ("scale-checked-for-every-scheme", lambda: initialize_parameters_deep([2, 3], scheme="he", scale="x"), TypeError,
     "scale must be a real number; got 'x'"),
    ("rng-string", lambda: initialize_parameters_deep([2, 3], rng="seed"), TypeError, "rng must be None, an int seed"),
    ("two-layer-n_h-negative", lambda: initialize_parameters(2, -3, 1), ValueError, "n_h must be in [1, inf); got -3"),
    ("two-layer-n_x-float", lambda: initialize_parameters(2.0, 3, 1), TypeError, "n_x must be an integer; got 2.0"),
    ("two-layer-n_y-none", lambda: initialize_parameters(2, 3, None), TypeError, "n_y must be an integer; got None"),
    ("zeros-layers_dims", lambda: initialize_parameters_zeros([2, 0]), ValueError, "layers_dims[1] must be in [1, inf)"),
    ("random-scale", lambda: initialize_parameters_random([2, 3], scale=-10), ValueError, "scale must be in (0, inf)"),
    ("he-layers_dims", lambda: initialize_parameters_he([2]), ValueError, "layers_dims must list at least two sizes"),
    ("xavier-layers_dims", lambda: initialize_parameters_xavier([2, "3"]), TypeError, "layers_dims[1] must be an integer"),
    ("glorot-layers_dims", lambda: initialize_parameters_glorot(None), TypeError, "layers_dims must be a list"),
]


@pytest.mark.parametrize("call, error, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    assert_raises_naming(call, error, message)
