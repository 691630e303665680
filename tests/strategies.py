"""Hypothesis strategies shared by the test modules: shapes, arrays and small networks."""

import numpy as np
from hypothesis import strategies as st

from nnfromscratch.initialization import initialize_parameters_deep

sizes = st.integers(min_value=1, max_value=6)
seeds = st.integers(min_value=0, max_value=2**31 - 1)


@st.composite
def arrays(draw, shape, low=-3.0, high=3.0):
    """A float64 array of `shape` with entries drawn from a seeded generator (fast, reproducible)."""
    rng = np.random.default_rng(draw(seeds))
    return rng.uniform(low, high, size=shape)


@st.composite
def networks(draw, max_layers=4, output_units=1):
    """(layer_dims, parameters, X, seed) for a small random network with He-initialised weights and random biases."""
    hidden = draw(st.lists(sizes, min_size=0, max_size=max_layers - 1))
    dims = [draw(sizes)] + hidden + [output_units]
    seed = draw(seeds)
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters_deep(dims, rng, scheme="he")
    for key in parameters:
        if key.startswith("b"):
            parameters[key] = rng.normal(0, 0.5, size=parameters[key].shape)
    m = draw(sizes)
    X = rng.standard_normal((dims[0], m))
    return dims, parameters, X, seed
