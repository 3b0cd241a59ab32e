"""MusicGen's C++ kernels for the CPU (attend.cpp, linear8.cpp), built on first use with torch's
cpp_extension and cached under ~/.cache/torch_extensions. Without a C++ compiler (or its headers) a kernel
is None and its caller keeps torch's own operations."""

from __future__ import annotations

import hashlib
import logging
import platform
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@cache
def build(stem: str, isa: tuple[str, ...] = ("-march=native",)) -> Any | None:
    """The compiled module of `<stem>.cpp` beside this file, or None where it cannot be built here. `isa`:
    the compiler flags that say which instruction sets it may use; tests build older ones to check every
    path agrees."""
    try:
        from torch.utils.cpp_extension import load

        source = Path(__file__).with_name(f"{stem}.cpp")
        tag = cpu_tag() if isa == ("-march=native",) else hashlib.sha256(" ".join(isa).encode()).hexdigest()[:10]
        return load(f"melodify_{stem}_{tag}", [str(source)], extra_cflags=["-O3", *isa, "-fopenmp"], verbose=False)
    except Exception as exc:   # noqa: BLE001 - no compiler, no headers: torch's operations do the work
        log.warning("MusicGen's CPU kernel %s.cpp could not be built (%s); using torch's operations", stem, exc)
        return None


def cpu_tag() -> str:
    """A short name for this CPU's instruction sets. A kernel is built for the CPU it runs on
    (-march=native), and torch keys its build cache by name and flags, not by CPU: a cache shared between
    machines (a home on NFS, a copied image) must not hand one CPU's build to another, where it would
    die of an illegal instruction."""
    flags = " ".join(sorted(cpu_flags())) or platform.processor() + platform.machine()   # not Linux: its name
    return hashlib.sha256(flags.encode()).hexdigest()[:10]


@cache
def cpu_flags() -> frozenset[str]:
    """The instruction sets Linux says this CPU has (/proc/cpuinfo's flags); empty elsewhere."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return frozenset()
    return frozenset(next((line for line in lines if line.startswith("flags")), "").partition(":")[2].split())
