"""Shared by the benchmark scripts: the command line and header, timings (in this process, or alternating between
processes of their own), and the tables of ratios."""

import argparse
import platform
import statistics
import subprocess
import sys
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
    print(f"CPU: {cpu_name()}\nnumpy {np.__version__} with {numpy_blas()}\n"
          + (f"torch {torch.__version__} with {torch_blas(torch)}, {torch.get_num_threads()} threads" if torch else
             "torch not installed: no reference, no ratios"))
    return args, torch


def cpu_name():
    """The CPU's model name (Linux's /proc/cpuinfo), else what the platform module knows."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_blas():
    """NumPy's BLAS: its build name and version, and, where threadpoolctl (scikit-learn's) can tell, the kernels
    it picked for this CPU and its threads. The ratios to PyTorch depend on them."""
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    text = f"{blas.get('name', 'an unknown BLAS')} {blas.get('version', '')}".strip()
    try:
        from threadpoolctl import threadpool_info
        pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    except ImportError:
        pools = []
    if pools:
        text += f" ({pools[0].get('architecture', '?')} kernels, {pools[0].get('num_threads', '?')} threads)"
    return text


def torch_blas(torch):
    """The BLAS that PyTorch's CPU matrix products use, and whether oneDNN is there too."""
    return ("MKL" if torch.backends.mkl.is_available() else "its own or OpenBLAS") + \
        (" and oneDNN" if torch.backends.mkldnn.is_available() else "")


def median_seconds(fn, repeats):
    """Median wall time of fn() over `repeats` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_median_seconds(fns, repeats):
    """Median wall time and page faults per call of each function in fns, after one warm-up call each, calling them
    in turn: one call of each per repeat. Returns [(median seconds, minor page faults per call or None), ...].

    Interleaving keeps the libraries in the same allocator state. glibc's malloc returns freed blocks of a few MB to
    the system (or maps them fresh) depending on what the process allocated and freed before, and the next call then
    page-faults that memory back in; timing one library's repeats before the other's would measure that history as
    much as the layers. The faults are reported so that a difference in them can be seen.
    """
    try:
        import resource
        faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    except ImportError:                                   # not on Windows
        faults = None
    for fn in fns:
        fn()
    times, fault_counts = [[] for _ in fns], [0 for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            before = faults() if faults else 0
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
            fault_counts[i] += (faults() - before) if faults else 0
    return [(statistics.median(t), count / repeats if faults else None) for t, count in zip(times, fault_counts)]


def print_ratio_table(rows, unit="ms"):
    """rows: (case, our seconds, reference seconds or None, target ratio[, our page faults, reference page faults]).
    Prints ours / reference against the target, and the page faults per call when the rows carry them."""
    scale, digits = (1e3, 1) if unit == "ms" else (1.0, 2)
    width = max(len(row[0]) for row in rows) + 2
    with_faults = all(len(row) == 6 for row in rows)
    print(f"\n{'case':{width}s} {'ours ' + unit:>9s} {'torch ' + unit:>9s} {'ratio':>6s} {'target':>7s}  met"
          + ("  page faults per call, ours / torch" if with_faults else ""))
    for name, ours, theirs, target, *faults in rows:
        ratio = ours / theirs if theirs else float("nan")
        met = "-" if theirs is None else ("yes" if ratio <= target else "NO")
        reference = f"{theirs * scale:9.{digits}f}" if theirs else f"{'-':>9s}"
        fault_text = ""
        if with_faults:
            fault_text = "      " + " / ".join("-" if count is None else f"{count:.0f}" for count in faults)
        print(f"{name:{width}s} {ours * scale:9.{digits}f} {reference} {ratio:6.2f} {'<=' + str(target):>7s}  "
              f"{met:3s}{fault_text}")


def report_worker_seconds(warm_up, timed):
    """A worker's side of alternate_in_processes: run warm_up(), then time one timed() call and print its seconds,
    the one number the parent reads."""
    warm_up()
    start = time.perf_counter()
    timed()
    print(time.perf_counter() - start)


def alternate_in_processes(script, cases, rounds):
    """Time each case's libraries in processes of their own, alternately, `rounds` times.

    cases: (case name, [worker arguments for ours, worker arguments for the reference or None]). Each worker is
    `python script --worker ARGS...` and prints one number: its seconds. A fresh process per run means that
    neither library's thread pool, allocator or caches are warm from the other's work. Returns
    {case name: (our seconds per round, reference seconds per round, or None)}.
    """
    def run_worker(arguments):
        done = subprocess.run([sys.executable, script, "--worker", *arguments], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"worker {' '.join(arguments)} failed:\n{done.stderr}")
        return float(done.stdout.split()[-1])

    times = {name: ([], [] if reference else None) for name, (_, reference) in cases}
    for _ in range(rounds):
        for name, (ours, reference) in cases:
            times[name][0].append(run_worker(ours))
            if reference:
                times[name][1].append(run_worker(reference))
    return times


def print_round_ratio_table(rows, unit="s"):
    """rows: (case, our seconds per round, reference seconds per round or None, target ratio or None).

    Prints the median times, the median of the per-round ratios (ours / reference, one pair of neighbouring
    runs each), their range, and whether the median meets the target.
    """
    width = max(len(row[0]) for row in rows) + 2
    print(f"\n{'case':{width}s} {'ours ' + unit:>8s} {'torch ' + unit:>8s} {'ratio':>6s} {'range':>11s} {'target':>7s}"
          f"  met")
    for name, ours, theirs, target in rows:
        if theirs is None:
            print(f"{name:{width}s} {statistics.median(ours):8.2f} {'-':>8s}")
            continue
        ratios = [a / b for a, b in zip(ours, theirs)]
        ratio = statistics.median(ratios)
        target_text, met = ("-", "") if target is None else ("<=" + str(target), "yes" if ratio <= target else "NO")
        print(f"{name:{width}s} {statistics.median(ours):8.2f} {statistics.median(theirs):8.2f} {ratio:6.2f} "
              f"{min(ratios):5.2f}-{max(ratios):<5.2f} {target_text:>7s}  {met}")
