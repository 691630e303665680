"""Shared by the benchmark scripts: the command line and header, a median timing, and the table of ratios."""

import argparse
import platform
import statistics
import time

import numpy as np


def benchmark_setup(description, default_repeats):
    """Parse --repeats, import PyTorch if it is installed (None otherwise), print the versions. Returns (args, torch)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=default_repeats)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    print(f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}"
          f" ({torch.get_num_threads() if torch else '-'} threads), {platform.processor() or platform.machine()}")
    return args, torch


def median_seconds(fn, repeats):
    """Median wall time of fn() over `repeats` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_ratio_table(rows, unit="ms"):
    """rows: (case, our seconds, reference seconds or None, target ratio). Prints ours / reference against the target."""
    scale, digits = (1e3, 1) if unit == "ms" else (1.0, 2)
    width = max(len(row[0]) for row in rows) + 2
    print(f"\n{'case':{width}s} {'ours ' + unit:>9s} {'torch ' + unit:>9s} {'ratio':>6s} {'target':>7s}  met")
    for name, ours, theirs, target in rows:
        ratio = ours / theirs if theirs else float("nan")
        met = "-" if theirs is None else ("yes" if ratio <= target else "NO")
        reference = f"{theirs * scale:9.{digits}f}" if theirs else f"{'-':>9s}"
        print(f"{name:{width}s} {ours * scale:9.{digits}f} {reference} {ratio:6.2f} {'<=' + str(target):>7s}  {met}")
