"""Chapter 3: initialization (nnfromscratch.initialization)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfromscratch.initialization import (
    check_layer_dims, init_scale, initialize_parameters, initialize_parameters_deep, initialize_parameters_he,
    initialize_parameters_random, initialize_parameters_xavier, initialize_parameters_zeros,
)

dims_lists = st.lists(st.integers(1, 40), min_size=2, max_size=5)


@settings(max_examples=30, deadline=None)
@given(dims=dims_lists, scheme=st.sampled_from(["zeros", "random", "he", "xavier"]))
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


@pytest.mark.parametrize("scheme, n_prev, expected", [("zeros", 7, 0.0), ("random", 7, 0.01),
                                                      ("xavier", 4, 0.5), ("he", 8, 0.5)])
def test_init_scale(scheme, n_prev, expected):
    assert init_scale(scheme, n_prev) == pytest.approx(expected)


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


@pytest.mark.parametrize("layer_dims, message", [
    ([5], "at least two sizes"), ([], "at least two sizes"), ([3, 0, 1], r"layer_dims\[1\] must be a positive integer"),
    ([3, -2], r"layer_dims\[1\] must be a positive integer; got -2"), ([3, 2.5], r"layer_dims\[1\]"),
    ([True, 2], r"layer_dims\[0\]"),
])
def test_bad_layer_dims(layer_dims, message):
    with pytest.raises(ValueError, match=message):
        check_layer_dims(layer_dims)
    with pytest.raises(ValueError, match=message):
        initialize_parameters_deep(layer_dims)


def test_unknown_scheme():
    with pytest.raises(ValueError, match=r"scheme must be one of .*; got 'glorot'"):
        initialize_parameters_deep([2, 3], scheme="glorot")
