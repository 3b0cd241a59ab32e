"""MusicGen's C++ kernels for the CPU (attend.cpp, linear8.cpp, codec.cpp), built on first use with torch's
cpp_extension and cached under ~/.cache/torch_extensions (or $TORCH_EXTENSIONS_DIR). Without a C++ compiler
(or its headers) a kernel is None and its caller keeps torch's own operations."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import platform
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KERNELS = ("linear8", "attend", "codec")


def prepare(stems: tuple[str, ...] = KERNELS) -> None:
    """Build the kernels a CPU model uses side by side, before the first job needs them. Each build is a
    compiler in a child process, so threads overlap them: the three took 61 s at once against 101 s one
    after another on 2 cores (a fresh cache), where each had waited for the first use that needed it."""
    with ThreadPoolExecutor(len(stems)) as pool:
        list(pool.map(build, stems))


@cache
def build(stem: str, isa: tuple[str, ...] = ("-march=native",)) -> Any | None:
    """The compiled module of `<stem>.cpp` beside this file, or None where it cannot be built here. `isa`:
    the compiler flags that say which instruction sets it may use; tests build older ones to check every
    path agrees."""
    try:
        import torch
        from torch.utils.cpp_extension import load

        source = Path(__file__).with_name(f"{stem}.cpp")
        tag = cpu_tag() if isa == ("-march=native",) else hashlib.sha256(" ".join(isa).encode()).hexdigest()[:10]
        name = f"melodify_{stem}_{tag}"
        folder = extensions_dir(torch.__version__) / name
        with only_builder(folder):
            if not any(folder.glob(f"{name}*.so")):
                # a warning so a plain CLI shows it too: without it the first job waits a minute in silence
                log.warning("Compiling MusicGen's CPU kernel %s.cpp for this machine (once; about a minute)", stem)
            return load(name, [str(source)], extra_cflags=["-O3", *isa, "-fopenmp"], build_directory=str(folder),
                        verbose=False)
    except Exception as exc:   # noqa: BLE001 - no compiler, no headers: torch's operations do the work
        log.warning("MusicGen's CPU kernel %s.cpp could not be built (%s); using torch's operations", stem, exc)
        return None


def extensions_dir(torch_version: str) -> Path:
    """Where kernels are built: torch's own place, one folder per Python and torch version."""
    root = Path(os.environ.get("TORCH_EXTENSIONS_DIR") or Path.home() / ".cache" / "torch_extensions")
    return root / f"melodify-py{sys.version_info.major}{sys.version_info.minor}-torch{torch_version}"


@contextmanager
def only_builder(folder: Path) -> Iterator[None]:
    """Hold `folder` for one process at a time. torch's cpp_extension marks a build in progress with a
    `lock` file, and a process killed mid-build (a worker stopped, a CI run timed out) leaves it behind:
    every later build of that kernel then waits for it forever. The operating system drops our flock when
    its holder dies, so whoever holds it knows any `lock` file there is stale."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "melodify.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        (folder / "lock").unlink(missing_ok=True)
        yield


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
