"""A decoding step's self-attention on the CPU: one query per row and head against the cache, in one pass.

At 8 rows (4 guided jobs) a step's attention reads the whole cache, 24 layers of keys and values, and
that outgrows the CPU's cache after a few seconds of music. torch's attention and matmuls read it at
half the memory's speed and convert a bfloat16 cache in a separate pass; `attend.cpp` reads each row's
keys and values once, converting bfloat16 (or int8, one scale per head and position) to float32 in
registers, so a bfloat16 cache costs half the bytes of float32, an int8 one a quarter and a little, and
the step stays bound by memory, not by the calls. With VNNI the int8 cache is read in integer sums
instead (q and the softmax weights as 16-bit integers, to 1e-4 of torch's attention over the same cache
made float), and each head asks for the next head's keys and values while it works: 24 layers x 8 rows at
position 250 went from 6.2 to 4.6 ms on an AMD EPYC, whose float conversions had kept it from its memory's
speed. Each (row, head) is computed on its own, so a row gets the same bits alone or in any batch.

It is built on first use (native.py); without a C++ compiler the decoder keeps torch's attention and a
float32 cache.
"""

from __future__ import annotations

from typing import Any

import torch

from . import native


def kernel() -> Any | None:
    """The compiled `attend(q, keys, values, end, lengths)`, or None where it cannot be built here."""
    return native.build("attend")


def step(q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, end: int,
         lengths: torch.Tensor | None = None, scales: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
    """q (rows, heads, 1, head_dim) float32 against contiguous keys and values (rows, heads, length, head_dim)
    up to `end` (and each row up to its own `lengths`, (rows,) int64, if given) -> (rows, 1, heads * head_dim).
    An int8 cache comes with its scales: (key scales, value scales), each (rows, heads, length)."""
    rows, heads, _, dim = q.shape
    out = kernel().attend(q.reshape(rows * heads, dim).contiguous(), keys.view(rows * heads, -1, dim),
                          values.view(rows * heads, -1, dim), end, lengths, *(scales or ()))
    return out.view(rows, 1, heads * dim)


def store(x: torch.Tensor, cache: torch.Tensor, scales: torch.Tensor, start: int) -> None:
    """x (rows, T, heads * head_dim) into the int8 cache (rows, heads, length, head_dim) at positions
    start.., each (row, head, position) over its own largest value, its scale into scales (rows, heads, length)."""
    rows, heads, length, dim = cache.shape
    kernel().store(x.float().contiguous(), cache.view(rows * heads, length, dim), scales.view(rows * heads, length),
                   start)


def prefix_lengths(mask: torch.Tensor | None) -> torch.Tensor | None:
    """(rows, 1, 1, S) bool mask -> (rows,) how many leading positions each row sees, or None where the mask
    is not a run of True from the start, at least one long (those keep torch's attention)."""
    if mask is None:
        return None
    flat = mask.reshape(mask.shape[0], -1)
    lengths = flat.sum(-1)
    prefix = torch.arange(flat.shape[1], device=mask.device) < lengths[:, None]
    return lengths.long().contiguous() if bool((prefix == flat).all()) and bool((lengths > 0).all()) else None
