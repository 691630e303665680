"""Checks shared by the test modules: a gradient check for any layer pair, and the bad-input tables' check."""

import numpy as np
import pytest

from nnfromscratch.backward import relative_error
from nnfromscratch.gradient_checking import eval_numerical_gradient_array


def layer_error(forward_fn, backward_fn, inputs, rng, scales=None):
    """Worst relative error of backward_fn(dout, cache) against centred differences of sum(forward_fn(*inputs) * dout),
    for a random dout; the i-th gradient returned by backward_fn belongs to inputs[i].
    scales[i] multiplies the numerical gradient of input i (chapter 6's dW and db carry a 1/m)."""
    out, cache = forward_fn(*inputs)
    dout = rng.standard_normal(np.shape(out))
    analytic = backward_fn(dout, cache)
    analytic = analytic if isinstance(analytic, tuple) else (analytic,)
    worst = 0.0
    for i, grad in enumerate(analytic):
        def f(value, i=i):
            args = list(inputs)
            args[i] = value
            return forward_fn(*args)[0]
        numerical = eval_numerical_gradient_array(f, np.array(inputs[i], dtype=np.float64), dout)
        worst = max(worst, relative_error(grad, numerical * (scales[i] if scales else 1.0)))
    return worst


def assert_raises_naming(call, exception, fragment, *args):
    """call(*args) raises `exception` with `fragment` in its message: one row of a test module's bad-input table."""
    with pytest.raises(exception) as caught:
        call(*args)
    assert fragment in str(caught.value)
