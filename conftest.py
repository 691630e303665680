"""Repository-wide pytest setup: nbval's sanitize file, found from any working directory."""

from pathlib import Path

SANITIZE_FILE = Path(__file__).parent / "tests" / "nbval_sanitize.cfg"


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None and hasattr(config.option, "nbval_sanitize_with"):
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)
