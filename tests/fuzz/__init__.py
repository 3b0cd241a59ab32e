"""Fuzz targets (atheris) of the image loader and the request parsers; see tests/test_fuzz.py."""

from __future__ import annotations

MEMORY_LIMIT_MB = 1024


def check_memory(limit_mb: int = MEMORY_LIMIT_MB) -> None:
    """Fail the input that took this process's peak resident memory over `limit_mb`. libFuzzer's own
    -rss_limit_mb reads getrusage's peak, which Linux carries over from the parent that forked the fuzzer
    (pytest, after the model tests, near 2 GB); /proc's VmHWM is this process's own, since its exec."""
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    if peak_kb / 1024 > limit_mb:
        raise MemoryError(f"{peak_kb / 1024:.0f} MB resident at the peak of this input (limit {limit_mb} MB)")
