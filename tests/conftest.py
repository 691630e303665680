"""Test helpers: tests/ on sys.path (for strategies.py and gradcheck_report.py), and the gradient-check report."""

import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

import gradcheck_report  # noqa: E402

# In CI (CI=true) hypothesis draws the same examples every run, so a run is reproducible; locally it explores anew.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_terminal_summary(terminalreporter):
    if not gradcheck_report.WORST:
        return
    terminalreporter.section("worst relative error of each gradient check (float64, centred differences)")
    for name, error in sorted(gradcheck_report.WORST.items()):
        terminalreporter.write_line(f"{name:34s} {error:.1e}")
