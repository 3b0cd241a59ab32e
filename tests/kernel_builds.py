"""The compiler flags of each path of MusicGen's C++ kernels (native.py) that this CPU can run, so a test
builds every one and checks they compute the same thing."""

from __future__ import annotations

import platform

from melodify.compose.musicgen import native


def kernel_builds(*, float_avx512: bool = False) -> dict[str, tuple[str, ...]]:
    """A kernel's paths this CPU can run, each built with the flags that select it: the plain loop, AVX2,
    AVX-512 in float32 (attend.cpp has one; asked for), AVX-512 VNNI, and this CPU's own (AMX where it has
    it). Elsewhere (ARM) only the CPU's own. A path the CPU lacks would die of an illegal instruction."""
    builds, flags = {"native": ("-march=native",)}, native.cpu_flags()
    if platform.machine() not in ("x86_64", "AMD64"):
        return builds
    builds["plain"] = ("-march=x86-64",)
    avx512 = {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"} <= flags
    if {"avx2", "fma", "bmi2"} <= flags:
        builds["AVX2"] = ("-march=x86-64-v3",)
    if float_avx512 and avx512:
        builds["AVX-512"] = ("-march=x86-64-v4",)
    if avx512 and "avx512_vnni" in flags:
        builds["AVX-512 VNNI"] = ("-march=x86-64-v4", "-mavx512vnni")
    return builds
