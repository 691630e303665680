"""Test helpers: tests/ on sys.path (for strategies.py and gradcheck_report.py), and the gradient-check report."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import gradcheck_report  # noqa: E402


def pytest_terminal_summary(terminalreporter):
    if not gradcheck_report.WORST:
        return
    terminalreporter.section("worst relative error of each gradient check (float64, centred differences)")
    for name, error in sorted(gradcheck_report.WORST.items()):
        terminalreporter.write_line(f"{name:34s} {error:.1e}")
