"""nnfromscratch: neural networks from scratch in NumPy, the package written by the nnfromscratch book.

Each module is the code of one chapter (see book/): `data` (chapter 1). This file is written by hand and
re-exports the names a user reaches for most; everything else is one module away.
"""

__version__ = "0.1.0"

from .data import load_dataset, load_digits_dataset, load_circles_dataset, load_moons_dataset, make_rng

__all__ = [
    "__version__",
    "load_dataset", "load_digits_dataset", "load_circles_dataset", "load_moons_dataset", "make_rng",
]
