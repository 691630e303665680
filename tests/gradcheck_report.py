"""The worst relative error seen by the package-wide gradient checks, per function (printed after the tests)."""

WORST = {}


def record(name, error):
    WORST[name] = max(WORST.get(name, 0.0), float(error))
