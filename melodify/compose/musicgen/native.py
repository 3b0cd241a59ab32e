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
def build(stem: str, march: str = "native") -> Any | None:
    """The compiled module of `<stem>.cpp` beside this file, or None where it cannot be built here. `march`:
    the instruction sets it may use (gcc's -march); tests build older ones to check every path agrees."""
    try:
        from torch.utils.cpp_extension import load

        source = Path(__file__).with_name(f"{stem}.cpp")
        name = f"melodify_{stem}_{cpu_tag() if march == 'native' else march.replace('-', '_')}"
        return load(name, [str(source)], extra_cflags=["-O3", f"-march={march}", "-fopenmp"], verbose=False)
    except Exception as exc:   # noqa: BLE001 - no compiler, no headers: torch's operations do the work
        log.warning("MusicGen's CPU kernel %s.cpp could not be built (%s); using torch's operations", stem, exc)
        return None


def cpu_tag() -> str:
    """A short name for this CPU's instruction sets. A kernel is built for the CPU it runs on
    (-march=native), and torch keys its build cache by name and flags, not by CPU: a cache shared between
    machines (a home on NFS, a copied image) must not hand one CPU's build to another, where it would
    die of an illegal instruction."""
    try:
        flags = next((line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags")), "")
    except OSError:   # not Linux: the machine's own name for its processor
        flags = platform.processor() + platform.machine()
    return hashlib.sha256(flags.encode()).hexdigest()[:10]
