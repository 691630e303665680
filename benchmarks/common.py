"""Shared by the benchmark scripts: a median timing and the table of ratios against a reference."""

import statistics
import time


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
    scale = 1e3 if unit == "ms" else 1.0
    width = max(len(row[0]) for row in rows) + 2
    print(f"\n{'case':{width}s} {'ours ' + unit:>9s} {'torch ' + unit:>9s} {'ratio':>6s} {'target':>7s}  met")
    for name, ours, theirs, target in rows:
        ratio = ours / theirs if theirs else float("nan")
        met = "-" if theirs is None else ("yes" if ratio <= target else "NO")
        reference = f"{theirs * scale:9.1f}" if theirs else f"{'-':>9s}"
        print(f"{name:{width}s} {ours * scale:9.1f} {reference} {ratio:6.2f} {'<=' + str(target):>7s}  {met}")
