"""The precision the decoder runs in, and how far its next-token distributions move from full precision.

On a CPU a decoding step is bound by reading the decoder's weights: bf16 halves float32's bytes, dynamic
int8 (weights quantised once, activations per call) quarters them. A fast path is the CPU default only if
its guided next-token distributions stay within AGREEMENT of float32 on the same inputs. Measured by
bench/bench_musicgen.py on the musicgen-small architecture (random weights, 48 positions x 4 codebooks):
bf16 KL 0.008 nats, top-50 overlap 0.975 (agrees, but slower than float32 on a CPU without bf16 matrix
units: 295 against 203 ms a step); int8 KL 0.053, overlap 0.93 (fails the KL limit, though 8x faster
than our float32 loop). So our float32 loop is the CPU default and int8 is there to choose
(precision=int8) once it is checked on the real weights. The limit: no more than about twice the
distance half precision keeps (what MusicGen runs in on GPUs), with most of the top 50 shared.
On a GPU the whole model runs in half precision (hf.dtype_for).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch

from ...errors import InvalidOption

PRECISIONS = ("int8", "bf16", "fp32")
CPU_DEFAULT = "fp32"


@dataclass(frozen=True)
class Agreement:
    """Limits for a fast path to stand in for float32 (mean KL in nats, share of top-k tokens in common)."""

    kl: float = 0.02
    top_k: int = 50
    overlap: float = 0.8


AGREEMENT = Agreement()


def speed_up(net: torch.nn.Module, device: str, precision: str | None) -> str:
    """Put `net`'s decoder in `precision` (None: the device's default); returns the precision it runs in."""
    if device != "cpu":   # hf.dtype_for chose: half on CUDA, float32 on Apple's MPS
        if precision is not None:
            raise InvalidOption(f"precision {precision!r} is for the CPU; on {device} MusicGen runs in the "
                                "device's own precision: leave it unset", code="invalid_option")
        return "half" if device.startswith("cuda") else "fp32"
    precision = precision or CPU_DEFAULT
    if precision not in PRECISIONS:
        raise InvalidOption(f"unknown precision {precision!r}; on the CPU choose int8, bf16 or fp32",
                            code="invalid_option")
    if precision == "int8":
        with warnings.catch_warnings():   # torch marks its quantised tensors deprecated; they are what runs fast
            warnings.simplefilter("ignore", UserWarning)
            torch.ao.quantization.quantize_dynamic(net.decoder, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    elif precision == "bf16":
        net.decoder.to(torch.bfloat16)
    return precision


def agreement(reference: torch.Tensor, fast: torch.Tensor, top_k: int = AGREEMENT.top_k) -> tuple[float, float]:
    """Mean KL(reference || fast) over rows of logits (..., vocab), and the mean share of their top-k tokens
    in common."""
    ref, got = reference.float().flatten(0, -2), fast.float().flatten(0, -2)
    kl = torch.nn.functional.kl_div(got.log_softmax(-1), ref.log_softmax(-1), log_target=True,
                                    reduction="batchmean").item()
    a, b = ref.topk(top_k, dim=-1).indices, got.topk(top_k, dim=-1).indices
    overlap = torch.stack([torch.isin(a[i], b[i]).float().mean() for i in range(a.shape[0])]).mean().item()
    return kl, overlap


def agrees(kl: float, overlap: float, limits: Agreement = AGREEMENT) -> bool:
    return kl <= limits.kl and overlap >= limits.overlap
