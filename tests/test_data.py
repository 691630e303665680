"""Chapter 1: loading data (nnfromscratch.data)."""

from pathlib import Path

import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_circles, make_moons

from nnfromscratch.data import (
    digits_binary_task, digits_images, flatten_images, load_circles_dataset, load_dataset, load_digits_dataset,
    load_h5_split, load_moons_dataset, make_rng, random_mini_batches, save_h5_dataset, shuffle_columns, sklearn_seed,
    standard_normal, standardize, train_test_split_indices, write_digits_h5,
)

COURSE_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "catvnoncat"


# ------------------------------------------------------------------------------------------------ randomness

def test_make_rng_accepts_seeds_generators_and_random_states():
    gen, legacy = np.random.default_rng(0), np.random.RandomState(0)
    assert make_rng(gen) is gen and make_rng(legacy) is legacy
    assert isinstance(make_rng(5), np.random.Generator) and isinstance(make_rng(None), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be None, an int seed"):
        make_rng("seed")


def test_standard_normal_with_random_state_reproduces_the_global_seed_idiom():
    np.random.seed(3)
    expected = np.random.randn(4, 2)
    np.testing.assert_array_equal(standard_normal(np.random.RandomState(3), (4, 2)), expected)


def test_standard_normal_with_a_seed_matches_default_rng():
    np.testing.assert_array_equal(standard_normal(11, (3, 5)), np.random.default_rng(11).standard_normal((3, 5)))


def test_sklearn_seed():
    assert sklearn_seed(4) == 4 and sklearn_seed(None) is None
    assert isinstance(sklearn_seed(np.random.default_rng(0)), int)
    with pytest.raises(TypeError):
        sklearn_seed(1.5)


# ---------------------------------------------------------------------------------------------- HDF5 layout

def _images(m, h=4, w=5, c=3, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(m, h, w, c), dtype=np.uint8)


def test_save_and_load_split_round_trip(tmp_path):
    images, labels = _images(6), np.array([0, 1, 1, 0, 1, 0])
    save_h5_dataset(tmp_path / "t.h5", "train", images, labels, ["non-cat", "cat"])
    with h5py.File(tmp_path / "t.h5", "r") as f:
        assert sorted(f.keys()) == ["list_classes", "train_set_x", "train_set_y"]
        assert f["train_set_x"].dtype == np.uint8
    got_images, got_labels, classes = load_h5_split(tmp_path / "t.h5", "train")
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert list(classes) == [b"non-cat", b"cat"]


def test_load_dataset_returns_the_course_convention(tmp_path):
    train, test = _images(7, seed=1), _images(3, seed=2)
    save_h5_dataset(tmp_path / "a.h5", "train", train, np.arange(7) % 2, ["no", "yes"])
    save_h5_dataset(tmp_path / "b.h5", "test", test, np.arange(3) % 2, ["no", "yes"])
    train_x, train_y, test_x, test_y, classes = load_dataset(tmp_path / "a.h5", tmp_path / "b.h5")
    assert train_x.shape == (4 * 5 * 3, 7) and test_x.shape == (60, 3)
    assert train_y.shape == (1, 7) and test_y.shape == (1, 3)
    # column j is image j, pixel by pixel in (H, W, C) order, divided by 255
    np.testing.assert_allclose(train_x[:, 2], train[2].ravel() / 255.0)
    assert 0.0 <= train_x.min() and train_x.max() <= 1.0


@settings(max_examples=25, deadline=None)
@given(m=st.integers(1, 5), h=st.integers(1, 6), w=st.integers(1, 6), c=st.integers(1, 3))
def test_flatten_images_puts_each_image_in_a_column(m, h, w, c):
    images = _images(m, h, w, c)
    X = flatten_images(images)
    assert X.shape == (h * w * c, m)
    np.testing.assert_allclose((X.T * 255).reshape(images.shape), images)


@pytest.mark.parametrize("call, message", [
    (lambda p: save_h5_dataset(p, "valid", _images(2), [0, 1], ["a", "b"]), "split must be one of"),
    (lambda p: save_h5_dataset(p, "train", _images(2).astype(float), [0, 1], ["a", "b"]), "uint8"),
    (lambda p: save_h5_dataset(p, "train", _images(2)[0], [0, 1], ["a", "b"]), r"got shape \(4, 5, 3\)"),
    (lambda p: save_h5_dataset(p, "train", _images(3), [0, 1], ["a", "b"]), r"labels must have shape \(3,\)"),
    (lambda p: save_h5_dataset(p, "train", _images(2), [0, 2], ["a", "b"]), r"labels must lie in \[0, 2\)"),
    (lambda p: flatten_images(np.zeros((2, 3))), "images must be 4-D"),
    (lambda p: train_test_split_indices(10, 1.5), "test_fraction must lie in"),
    (lambda p: digits_binary_task(digit=12), "digit must be an integer in 0..9"),
    (lambda p: random_mini_batches(np.ones((2, 4)), np.ones((1, 3))), r"X \(2, 4\) and Y \(1, 3\)"),
    (lambda p: random_mini_batches(np.ones((2, 4)), np.ones((1, 4)), 0), "mini_batch_size must be a positive integer; got 0"),
    (lambda p: random_mini_batches(np.ones((2, 4)), np.ones((1, 4)), -64), "mini_batch_size must be a positive"),
    (lambda p: standardize(np.ones((3, 4)), mean=np.zeros((2, 1))), r"mean and std must have shape \(3, 1\)"),
])
def test_bad_input_is_refused_with_a_clear_message(tmp_path, call, message):
    with pytest.raises(ValueError, match=message):
        call(tmp_path / "x.h5")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"train_cats.h5: no such file \(expected an HDF5 file with train_set_x"):
        load_dataset(tmp_path / "train_cats.h5", tmp_path / "test_cats.h5")


def test_labels_outside_the_classes_are_refused_on_loading(tmp_path):
    with h5py.File(tmp_path / "bad.h5", "w") as f:
        f.create_dataset("train_set_x", data=_images(3))
        f.create_dataset("train_set_y", data=np.array([0, 1, 2]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    with pytest.raises(ValueError, match=r"train_set_y must hold labels in \[0, 2\) for the 2 classes .* from 0 to 2"):
        load_h5_split(tmp_path / "bad.h5", "train")


def test_loading_a_file_without_the_layout_names_what_is_missing(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f.create_dataset("pixels", data=np.zeros(3))
    with pytest.raises(KeyError, match=r"missing dataset\(s\) \['train_set_x', 'train_set_y', 'list_classes'\]"):
        load_h5_split(tmp_path / "other.h5", "train")


@pytest.mark.skipif(not COURSE_DATA.is_dir(), reason="the course's cat/non-cat files are not beside the repository")
def test_the_course_files_load_with_the_same_call():
    train_x, train_y, test_x, test_y, classes = load_dataset(COURSE_DATA / "train_catvnoncat.h5",
                                                             COURSE_DATA / "test_catvnoncat.h5")
    assert train_x.shape == (12288, 209) and train_y.shape == (1, 209)
    assert test_x.shape == (12288, 50) and test_y.shape == (1, 50)
    assert list(classes) == [b"non-cat", b"cat"]


# --------------------------------------------------------------------------------------------------- digits

def test_digits_images_are_real_uint8_images():
    images, labels = digits_images()
    assert images.shape == (1797, 8, 8, 1) and images.dtype == np.uint8
    assert images.max() == 255 and images.min() == 0
    assert np.array_equal(np.bincount(labels) > 170, np.ones(10, bool))


def test_digits_binary_task_is_balanced_disjoint_and_reproducible():
    a = digits_binary_task(digit=3, rng=0)
    b = digits_binary_task(digit=3, rng=0)
    for x, y in zip(a[:4], b[:4]):
        np.testing.assert_array_equal(x, y)
    train_images, train_labels, test_images, test_labels, classes = a
    labels = np.concatenate([train_labels, test_labels])
    assert labels.sum() == labels.size // 2 == 183  # scikit-learn ships 183 threes
    assert classes == [b"not-3", b"3"]
    assert set(train_labels) == set(test_labels) == {0, 1}
    assert train_images.shape[0] + test_images.shape[0] == 366 and test_images.shape[0] == round(366 * 0.25)
    assert not np.array_equal(digits_binary_task(digit=3, rng=1)[1], train_labels)  # the seed matters


def test_write_digits_h5_round_trip(tmp_path):
    train_path, test_path = write_digits_h5(tmp_path, digit=7, rng=1)
    train_x, train_y, test_x, test_y, classes = load_dataset(train_path, test_path)
    images, labels, *_ = digits_binary_task(digit=7, rng=1)
    np.testing.assert_allclose(train_x, flatten_images(images))
    np.testing.assert_array_equal(train_y[0], labels)
    assert train_x.shape[0] == test_x.shape[0] == 64


def test_load_digits_dataset_covers_every_example_once():
    train_x, train_y, test_x, test_y = load_digits_dataset(test_fraction=0.25, rng=0)
    assert train_x.shape[1] + test_x.shape[1] == 1797
    assert test_x.shape[1] == round(1797 * 0.25)
    assert np.array_equal(np.bincount(np.concatenate([train_y[0], test_y[0]])), np.bincount(digits_images()[1]))


# --------------------------------------------------------------------------------------------- planar sets

def test_circles_are_the_course_points():
    np.random.seed(1)
    expected_x, expected_y = make_circles(n_samples=300, noise=0.05)
    train_x, train_y, test_x, test_y = load_circles_dataset()
    np.testing.assert_array_equal(train_x, expected_x.T)
    np.testing.assert_array_equal(train_y, expected_y.reshape(1, -1))
    assert test_x.shape == (2, 100) and test_y.shape == (1, 100)


def test_moons_are_the_course_points():
    np.random.seed(3)
    expected_x, expected_y = make_moons(n_samples=300, noise=0.2)
    train_x, train_y = load_moons_dataset()
    np.testing.assert_array_equal(train_x, expected_x.T)
    np.testing.assert_array_equal(train_y, expected_y.reshape(1, -1))


# ----------------------------------------------------------------------------- mini-batches, standardization

@settings(max_examples=40, deadline=None)
@given(n_x=st.integers(1, 4), m=st.integers(1, 200), size=st.integers(1, 70), seed=st.integers(0, 10**6))
def test_random_mini_batches_partition_the_columns(n_x, m, size, seed):
    X = np.arange(n_x * m, dtype=float).reshape(n_x, m)
    Y = np.arange(m).reshape(1, m)
    batches = random_mini_batches(X, Y, size, rng=seed)
    assert [b[0].shape[1] for b in batches[:-1]] == [size] * (len(batches) - 1)
    assert 1 <= batches[-1][0].shape[1] <= size and len(batches) == -(-m // size)
    order = np.concatenate([b[1] for b in batches], axis=1)[0]
    assert sorted(order) == list(range(m))                      # every example exactly once
    for bx, by in batches:                                      # X and Y columns stay together
        np.testing.assert_array_equal(bx, X[:, by[0]])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 5), m=st.integers(1, 60), seed=st.integers(0, 10**6), examples_in_columns=st.booleans())
def test_shuffle_columns_is_column_indexing_in_either_memory_order(n, m, seed, examples_in_columns):
    X = np.random.default_rng(seed).standard_normal((m, n)).T      # (n, m) with contiguous columns, as flatten_images
    if not examples_in_columns:
        X = np.ascontiguousarray(X)
    permutation = np.random.default_rng(seed + 1).permutation(m)
    shuffled = shuffle_columns(X, permutation)
    np.testing.assert_array_equal(shuffled, X[:, permutation])
    assert shuffled.flags.f_contiguous == X.flags.f_contiguous and not np.shares_memory(shuffled, X)


def test_random_mini_batches_follow_the_course_seed():
    np.random.seed(4)
    expected = np.random.permutation(130)
    batches = random_mini_batches(np.arange(130.0).reshape(1, 130), np.arange(130).reshape(1, 130), 64,
                                  rng=np.random.RandomState(4))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches], axis=1)[0], expected)
    assert [b[0].shape[1] for b in batches] == [64, 64, 2]


def test_standardize_uses_the_training_statistics_for_the_test_set():
    X = np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 10.0]])
    Z, mean, std = standardize(X)
    np.testing.assert_allclose(Z[0], [-np.sqrt(1.5), 0, np.sqrt(1.5)])
    np.testing.assert_allclose(Z[1], 0.0)                      # a constant feature keeps std 1, no division by 0
    Z_test, _, _ = standardize(np.array([[2.0], [11.0]]), mean, std)
    np.testing.assert_allclose(Z_test, [[0.0], [1.0]])
