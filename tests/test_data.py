"""Chapter 1: loading data (nnfromscratch.data)."""

from pathlib import Path

import h5py
import numpy as np
import pytest
from checks import assert_raises_naming
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_circles, make_moons

from nnfromscratch.data import (
    digits_binary_task, digits_images, flatten_images, load_circles_dataset, load_dataset, load_digits_dataset,
    load_h5_split, load_moons_dataset, make_rng, plot_image_grid, plot_planar_data, random_mini_batches, save_h5_dataset,
    shuffle_columns, sklearn_seed, standard_normal, standardize, train_test_split_indices, write_digits_h5,
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


def _h5(path, split="train", images=None, labels=None, classes=(b"no", b"yes")):
    """Write a file in the course's layout with h5py directly (bypassing save_h5_dataset's checks)."""
    with h5py.File(path, "w") as f:
        f.create_dataset(f"{split}_set_x", data=_images(3) if images is None else images)
        f.create_dataset(f"{split}_set_y", data=np.array([0, 1, 0]) if labels is None else labels)
        f.create_dataset("list_classes", data=np.array(classes))
    return path


def _text_file(path, content):
    Path(path).write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _truncated(path):
    _h5(path)
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:len(data) // 3])
    return path


X4, Y4 = np.ones((2, 4)), np.ones((1, 4))

# (id, call(tmp_path), exception type, substring the message must contain)
BAD_INPUT = [
    # randomness
    ("rng-string", lambda p: make_rng("seed"), TypeError, "rng must be None, an int seed"),
    ("rng-float", lambda p: make_rng(1.5), TypeError, "rng must be"),
    ("rng-bool", lambda p: make_rng(True), TypeError, "rng must be"),
    ("rng-negative", lambda p: make_rng(-1), ValueError, "rng must be an int seed in [0, 2**32); got -1"),
    ("sklearn-seed-float", lambda p: sklearn_seed(1.5), TypeError, "rng must be"),
    ("circles-train-rng-named", lambda p: load_circles_dataset(train_rng="x"), TypeError, "train_rng must be None"),
    ("circles-test-rng-named", lambda p: load_circles_dataset(test_rng=-2), ValueError, "test_rng must be an int seed"),
    ("normal-shape-negative", lambda p: standard_normal(0, (2, -1)), ValueError, "shape must hold sizes >= 0"),
    ("normal-shape-float", lambda p: standard_normal(0, 1.5), TypeError, "shape must be an int or a tuple of ints"),
    ("normal-shape-none", lambda p: standard_normal(0, None), TypeError, "shape must be an int or a tuple of ints"),
    ("sklearn-seed-negative", lambda p: load_moons_dataset(rng=-3), ValueError, "rng must be an int seed"),
    # saving
    ("save-split", lambda p: save_h5_dataset(p / "x.h5", "valid", _images(2), [0, 1], ["a", "b"]), ValueError,
     "split must be one of ['train', 'test']; got 'valid'"),
    ("save-float-images", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2).astype(float), [0, 1], ["a", "b"]),
     ValueError, "images must be a (m, H, W, C) uint8 array"),
    ("save-3d-images", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2)[0], [0, 1], ["a", "b"]), ValueError,
     "got shape (4, 5, 3)"),
    ("save-empty-split", lambda p: save_h5_dataset(p / "x.h5", "train", _images(0), [], ["a", "b"]), ValueError,
     "images must hold at least one image"),
    ("save-label-count", lambda p: save_h5_dataset(p / "x.h5", "train", _images(3), [0, 1], ["a", "b"]), ValueError,
     "labels must have shape (3,)"),
    ("save-label-range", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 2], ["a", "b"]), ValueError,
     "labels must lie in [0, 2) for 2 classes; got values from 0 to 2"),
    ("save-float-labels", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0.7, 1], ["a", "b"]),
     ValueError, "labels must hold integer class labels; got 0.7"),
    ("save-nan-labels", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [np.nan, 1], ["a", "b"]),
     ValueError, "labels must hold integer class labels; it holds NaN"),
    ("save-string-labels", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), ["a", "b"], ["a", "b"]),
     TypeError, "labels must be a numeric array"),
    ("save-classes-string", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 1], "ab"), TypeError,
     "classes must be a sequence of class names"),
    ("save-classes-none", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 1], None), TypeError,
     "classes must be a sequence"),
    ("save-classes-float", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 1], ["a", 1.5]), TypeError,
     "classes[1] must be a class name (str, bytes or int); got 1.5"),
    ("save-classes-empty", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 0], []), ValueError,
     "classes must name at least one class"),
    ("save-classes-duplicate", lambda p: save_h5_dataset(p / "x.h5", "train", _images(2), [0, 1], ["a", "a"]),
     ValueError, "classes must be distinct"),
    ("save-to-directory", lambda p: save_h5_dataset(p, "train", _images(2), [0, 1], ["a", "b"]), IsADirectoryError,
     "is a directory; expected the name of an HDF5 file"),
    ("save-missing-folder", lambda p: save_h5_dataset(p / "no" / "x.h5", "train", _images(2), [0, 1], ["a", "b"]),
     FileNotFoundError, "the folder"),
    ("save-path-none", lambda p: save_h5_dataset(None, "train", _images(2), [0, 1], ["a", "b"]), TypeError,
     "path must be a file name"),
    # loading
    ("load-missing", lambda p: load_h5_split(p / "train_cats.h5", "train"), FileNotFoundError,
     "train_cats.h5: no such file (expected an HDF5 file with train_set_x"),
    ("load-directory", lambda p: load_h5_split(p, "train"), IsADirectoryError, "is a directory"),
    ("load-split", lambda p: load_h5_split(_h5(p / "x.h5"), "validation"), ValueError, "split must be one of"),
    ("load-lfs-pointer", lambda p: load_h5_split(_text_file(p / "x.h5", "version https://git-lfs.github.com/spec/v1\n"
                                                           "oid sha256:4d7a\nsize 2572022\n"), "train"),
     ValueError, "x.h5 is not an HDF5 file: it is a Git LFS pointer"),
    ("load-html-page", lambda p: load_h5_split(_text_file(p / "x.h5", "<!DOCTYPE html>\n<html><body>404</body></html>"),
                                               "train"), ValueError, "x.h5 is not an HDF5 file: it is an HTML page"),
    ("load-empty-file", lambda p: load_h5_split(_text_file(p / "x.h5", b""), "train"), ValueError,
     "x.h5 is not an HDF5 file: the file is empty"),
    ("load-truncated", lambda p: load_h5_split(_truncated(p / "x.h5"), "train"), ValueError,
     "is not an HDF5 file: it starts like an HDF5 file but is truncated"),
    ("load-pickle", lambda p: load_h5_split(_text_file(p / "x.h5", __import__("pickle").dumps({"a": 1})), "train"),
     ValueError, "it looks like a pickle"),
    ("load-other-layout", lambda p: load_h5_split(_h5(p / "x.h5", split="test"), "train"), KeyError,
     "missing dataset(s) ['train_set_x', 'train_set_y']"),
    ("load-label-range", lambda p: load_h5_split(_h5(p / "x.h5", labels=np.array([0, 1, 2])), "train"), ValueError,
     "train_set_y must lie in [0, 2) for 2 classes; got values from 0 to 2"),
    ("load-float-labels", lambda p: load_h5_split(_h5(p / "x.h5", labels=np.array([0.0, 0.7, 1.0])), "train"),
     ValueError, "train_set_y must hold integer class labels; got 0.7"),
    ("load-nan-labels", lambda p: load_h5_split(_h5(p / "x.h5", labels=np.array([0.0, np.nan, 1.0])), "train"),
     ValueError, "train_set_y must hold integer class labels; it holds NaN"),
    ("load-empty-split", lambda p: load_h5_split(_h5(p / "x.h5", images=_images(0), labels=np.zeros(0, int)), "train"),
     ValueError, "train_set_x holds no images"),
    ("load-dataset-different-classes", lambda p: load_dataset(_h5(p / "a.h5"), _h5(p / "b.h5", "test",
                                                                                    classes=(b"x", b"y"))),
     ValueError, "train_path and test_path name different classes"),
    # flattening and scaling
    ("flatten-2d", lambda p: flatten_images(np.zeros((2, 3))), ValueError, "images must be 4-D (m, H, W, C)"),
    ("flatten-empty", lambda p: flatten_images(np.zeros((0, 8, 8, 1), np.uint8)), ValueError,
     "images must hold at least one non-empty image"),
    ("flatten-float-0-255", lambda p: flatten_images(_images(2).astype(np.float64)), ValueError,
     "floating-point images must already lie in [0, 1]"),
    ("flatten-nan", lambda p: flatten_images(np.full((1, 2, 2, 1), np.nan)), ValueError,
     "floating-point images must already lie in [0, 1]"),
    ("flatten-int-out-of-range", lambda p: flatten_images(np.full((1, 2, 2, 1), 300)), ValueError,
     "integer images must hold pixel values 0-255; got values from 300 to 300"),
    ("flatten-strings", lambda p: flatten_images(np.array([[[["a"]]]])), TypeError, "images must hold integer pixel"),
    ("flatten-none", lambda p: flatten_images(None), TypeError, "images must be a numeric array"),
    # splits and digits
    ("split-fraction-high", lambda p: train_test_split_indices(10, 1.5), ValueError,
     "test_fraction must be in (0, 1); got 1.5"),
    ("split-fraction-string", lambda p: train_test_split_indices(10, "0.2"), TypeError,
     "test_fraction must be a real number"),
    ("split-leaves-empty-test", lambda p: train_test_split_indices(10, 0.01), ValueError,
     "leaves 0 test and 10 training examples"),
    ("split-m-zero", lambda p: train_test_split_indices(0, 0.5), ValueError, "m must be in [1, inf)"),
    ("digit-12", lambda p: digits_binary_task(digit=12), ValueError, "digit must be in [0, 9]; got 12"),
    ("digit-float", lambda p: digits_binary_task(digit=3.5), TypeError, "digit must be an integer"),
    ("digits-test-fraction", lambda p: load_digits_dataset(test_fraction=0), ValueError,
     "test_fraction must be in (0, 1); got 0"),
    ("digits-val-fraction-too-big", lambda p: load_digits_dataset(test_fraction=0.25, val_fraction=0.8), ValueError,
     "val_fraction must be in [0, 0.75); got 0.8"),
    ("digits-val-fraction-negative", lambda p: load_digits_dataset(val_fraction=-0.1), ValueError,
     "val_fraction must be in [0, 0.75)"),
    ("digits-val-fraction-none", lambda p: load_digits_dataset(val_fraction=None), TypeError,
     "val_fraction must be a real number; got None"),
    ("digits-val-fraction-tiny", lambda p: load_digits_dataset(val_fraction=1e-5), ValueError,
     "val_fraction=1e-05 gives 0 validation examples"),
    ("write-digits-to-a-file", lambda p: write_digits_h5(_text_file(p / "f", "x")), NotADirectoryError,
     "is a file; expected a folder"),
    ("write-digits-none", lambda p: write_digits_h5(None), TypeError, "directory must be a folder name"),
    # planar data sets
    ("circles-n-train", lambda p: load_circles_dataset(n_train=0), ValueError, "n_train must be in [1, inf); got 0"),
    ("circles-noise", lambda p: load_circles_dataset(noise=-0.1), ValueError, "noise must be in [0, inf)"),
    ("moons-n-samples", lambda p: load_moons_dataset(n_samples=2.5), TypeError, "n_samples must be an integer"),
    ("planar-plot-shape", lambda p: plot_planar_data(np.ones((3, 4)), np.ones((1, 4))), ValueError,
     "X must be (2, m) and Y (1, m)"),
    ("image-grid-ncols", lambda p: plot_image_grid(_images(2), ncols=0), ValueError, "ncols must be in [1, inf)"),
    ("image-grid-titles", lambda p: plot_image_grid(_images(2), titles=["a"]), ValueError,
     "titles must hold one title per image (2)"),
    ("image-grid-titles-int", lambda p: plot_image_grid(_images(2), titles=3), ValueError,
     "titles must hold one title per image"),
    # mini-batches and standardization
    ("batches-shape", lambda p: random_mini_batches(X4, np.ones((1, 3))), ValueError, "X (2, 4) and Y (1, 3)"),
    ("batches-size-0", lambda p: random_mini_batches(X4, Y4, 0), ValueError, "mini_batch_size must be in [1, inf); got 0"),
    ("batches-size-negative", lambda p: random_mini_batches(X4, Y4, -64), ValueError, "mini_batch_size must be in"),
    ("batches-size-float", lambda p: random_mini_batches(X4, Y4, 2.5), TypeError, "mini_batch_size must be an integer"),
    ("batches-size-none", lambda p: random_mini_batches(X4, Y4, None), TypeError, "mini_batch_size must be an integer"),
    ("batches-empty", lambda p: random_mini_batches(np.ones((2, 0)), np.ones((1, 0))), ValueError, "X must not be empty"),
    ("batches-x-none", lambda p: random_mini_batches(None, Y4), TypeError, "X must be a numeric array"),
    ("standardize-mean-shape", lambda p: standardize(np.ones((3, 4)), mean=np.zeros((2, 1))), ValueError,
     "mean and std must have shape (3, 1)"),
    ("standardize-zero-std", lambda p: standardize(np.ones((3, 4)), std=np.zeros((3, 1))), ValueError,
     "std must be > 0 everywhere"),
    ("standardize-nan", lambda p: standardize(np.array([[1.0, np.nan]])), ValueError,
     "X must hold only finite numbers"),
    ("standardize-1d", lambda p: standardize(np.ones(4)), ValueError, "X must be 2-D"),
    ("standardize-list-of-strings", lambda p: standardize([["a", "b"]]), TypeError, "X must be a numeric array"),
]


@pytest.mark.parametrize("call, error, message", [row[1:] for row in BAD_INPUT], ids=[row[0] for row in BAD_INPUT])
def test_bad_input_is_refused_with_a_clear_message(tmp_path, call, error, message):
    assert_raises_naming(call, error, message, tmp_path)


def test_integer_images_are_scaled_and_float_images_taken_as_they_are():
    images = _images(3, seed=4)
    np.testing.assert_array_equal(flatten_images(images) * 255, images.reshape(3, -1).T)    # uint8: divided by 255
    np.testing.assert_array_equal(flatten_images(images.astype(np.int32)), flatten_images(images))
    scaled = images / 255.0
    X = flatten_images(scaled)                               # floats in [0, 1]: not divided a second time
    np.testing.assert_array_equal(X, scaled.reshape(3, -1).T)
    assert not np.shares_memory(X, scaled)
    assert flatten_images(scaled.astype(np.float32)).dtype == np.float32


def test_integer_class_names_are_written_as_text(tmp_path):
    save_h5_dataset(tmp_path / "t.h5", "train", _images(2), [0, 1], [3, np.int64(7)])
    assert list(load_h5_split(tmp_path / "t.h5", "train")[2]) == [b"3", b"7"]


def test_whole_number_float_labels_are_accepted_and_stored_as_integers(tmp_path):
    save_h5_dataset(tmp_path / "t.h5", "train", _images(3), np.array([1.0, 0.0, 1.0]), ["a", "b"])
    with h5py.File(tmp_path / "t.h5", "r") as f:
        assert f["train_set_y"].dtype == np.int64
    np.testing.assert_array_equal(load_h5_split(tmp_path / "t.h5", "train")[1], [1, 0, 1])


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


@pytest.mark.parametrize("test_fraction, val_fraction, rng", [(0.25, 0.15, 0), (0.2, 0.5, 7), (0.4, 0.1, 3)])
def test_a_validation_split_comes_out_of_the_training_data(test_fraction, val_fraction, rng):
    train_x, train_y, test_x, test_y = load_digits_dataset(test_fraction=test_fraction, rng=rng)
    t_x, t_y, v_x, v_y, s_x, s_y = load_digits_dataset(test_fraction=test_fraction, rng=rng, val_fraction=val_fraction)
    np.testing.assert_array_equal(s_x, test_x)            # the test split does not move
    np.testing.assert_array_equal(s_y, test_y)
    assert v_x.shape == (64, round(1797 * val_fraction)) and v_y.shape == (1, v_x.shape[1])
    assert t_x.shape[1] + v_x.shape[1] == train_x.shape[1] and t_y.shape == (1, t_x.shape[1])
    # as sets of (pixels, label) examples: train + val of the six-way split == train of the four-way split
    def examples(X, Y):
        return sorted(tuple(col) + (int(y),) for col, y in zip(X.T, Y[0]))
    assert examples(np.hstack([t_x, v_x]), np.hstack([t_y, v_y])) == examples(train_x, train_y)


def test_validation_and_test_splits_are_disjoint_by_index():
    images, labels = digits_images()
    train, test = train_test_split_indices(labels.size, 0.25, 0)
    t_x, _, v_x, _, s_x, _ = load_digits_dataset(rng=0, val_fraction=0.2)
    flat = images.reshape(labels.size, -1).T / 255.0
    np.testing.assert_array_equal(s_x, flat[:, test])
    np.testing.assert_array_equal(np.hstack([v_x, t_x]), flat[:, train])


def test_the_validation_split_is_reproducible_and_depends_on_the_seed():
    a = load_digits_dataset(rng=1, val_fraction=0.1)
    b = load_digits_dataset(rng=1, val_fraction=0.1)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(load_digits_dataset(rng=2, val_fraction=0.1)[2], a[2])


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
