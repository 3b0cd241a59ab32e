"""The precision the decoder runs in, and how far its next-token distributions move from full precision.

On a CPU a decoding step is bound by reading the decoder's weights: bf16 halves float32's bytes, int8
quarters them. A fast path is the CPU default only if its guided next-token distributions (what is
sampled from) stay within AGREEMENT of float32 on the same inputs. The limit, unchanged: mean KL <= 0.02
nats, about twice the distance half precision keeps (what MusicGen runs in on GPUs), and at least 0.8 of
the top 50 tokens shared. The check is fair as it stands: both paths see the same teacher-forced code
prefixes and the same text, and it compares the guided logits, which amplify an error about 3.6 times
(3 cond - 2 uncond) but are what the sampler reads.

int8 here: per-output-channel int8 weights and 8-bit activations, each token (row) over its own range,
multiplied in our own kernel (linear8.cpp) in exact int32 sums. torch's own `quantize_dynamic` Linear always
asks its kernel (fbgemm) for 7-bit activations (needed only on CPUs without VNNI, where fbgemm adds pairs of
8-bit products in int16, which can overflow), over one range for the whole batch; that, not the weights, was
most of its error (KL 0.050), and the shared range tied a job's numbers to its batch mates'. On a CPU with
VNNI our earlier wrapper around fbgemm kept 8 bits (KL 0.012, 8.2x plain transformers); without VNNI it had
to take 7 and failed (KL 0.037 on an AMD EPYC with AVX2), so the kernel widens to int16 and sums pairs in
int32 (madd_epi16), which cannot overflow; with AVX-512 VNNI it sums 4 products into int32 (vpdpbusd),
and with AMX a tile of rows at once. It also folds the LayerNorm before a layer and the GELU after fc1 into
the same call, and layers that share an input run as one (queries, keys and values; the 4 heads).
Per layer group (earlier runs, 8-bit activations): self-attention, fc1 and fc2 each add about
0.003-0.004 to the KL, the heads 0.003, cross-attention's q/out 0.001, an int8 key/value cache 0.001.
Figures: bench/bench_musicgen.py and the README.
On a GPU the whole model runs in half precision (hf.dtype_for).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import torch

from ...errors import InvalidOption
from . import native

PRECISIONS = ("int8", "bf16", "fp32")
CPU_DEFAULT = "int8"   # where it agrees: see cpu_default()


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
    precision = precision or cpu_default()
    if precision not in PRECISIONS:
        raise InvalidOption(f"unknown precision {precision!r}; on the CPU choose int8, bf16 or fp32",
                            code="invalid_option")
    if precision == "int8":
        quantise(net.decoder)
    elif precision == "bf16":
        net.decoder.to(torch.bfloat16)
    return precision


def quantise(lm: torch.nn.Module) -> None:
    """The linear layers a decoding step reads in int8 (in place). Layers that share an input become one:
    self-attention's queries, keys and values (`self_attn.qkv`), and the codebooks' heads (one head whose
    outputs are the K heads' side by side), so a step quantises each input once and makes fewer calls.
    Cross-attention's keys and values stay float32 (they run once a window, not a step)."""
    with warnings.catch_warnings():   # torch marks its quantised tensors deprecated (the fallback's kernel)
        warnings.simplefilter("ignore", UserWarning)
        lm.lm_heads = torch.nn.ModuleList([Int8Linear(*lm.lm_heads)])
        for layer in lm.model.decoder.layers:
            attn = layer.self_attn
            attn.qkv = Int8Linear(attn.q_proj, attn.k_proj, attn.v_proj)
            del attn.q_proj, attn.k_proj, attn.v_proj
            parts = [(attn, ("out_proj",)), (layer, ("fc1", "fc2"))]
            if hasattr(layer, "encoder_attn"):   # musicgen-melody has none: its condition is a prefix
                parts.append((layer.encoder_attn, ("q_proj", "out_proj")))
            for owner, names in parts:
                for name in names:
                    setattr(owner, name, Int8Linear(getattr(owner, name)))


class Int8Linear(torch.nn.Module):
    """A linear layer (or several side by side, sharing their input) with int8 weights, one scale per output
    channel, and 8-bit activations, each token (row) over its own [min, max]. `linear8.cpp` quantises the
    rows, multiplies in exact int32 sums and scales back in one call, so a row's result is the same bits
    alone or in any batch, with full 8-bit activations on any x86 CPU. Without a compiler it falls back to
    torch's dynamic kernel (fbgemm), each row first mapped onto [0, 1] since that kernel takes one range for
    the whole input: W x = span * W x' + low * W 1; there a CPU without VNNI keeps 7-bit activations."""

    def __init__(self, *linears: torch.nn.Linear) -> None:
        super().__init__()
        weight = torch.cat([linear.weight.detach().float() for linear in linears])
        bias = torch.cat([linear.bias.detach().float() if linear.bias is not None
                          else torch.zeros(linear.out_features) for linear in linears])
        scale = (weight.abs().amax(dim=1) / 127).clamp(min=1e-12)
        q = torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8)
        self.in_features, self.out_features = weight.shape[1], weight.shape[0]
        self.splits = [linear.out_features for linear in linears]
        self.register_buffer("bias", bias, persistent=False)
        self.kernel = native.build("linear8")
        if self.kernel is not None:
            self.register_buffer("packed", pack(q, *self.kernel.layout()), persistent=False)
            self.register_buffer("scale", scale, persistent=False)
            self.register_buffer("row_sums", q.float().sum(dim=1), persistent=False)   # W 1, in steps of scale
        else:
            zero = torch.zeros(len(scale), dtype=torch.long)
            qt = torch._make_per_channel_quantized_tensor(q, scale.double(), zero, 0)
            self.prepacked = torch.ops.quantized.linear_prepack(qt, None)
            self.register_buffer("row_sums", qt.dequantize().sum(dim=1), persistent=False)
            self.reduce_range = not vnni()

    def forward(self, x: torch.Tensor, norm: torch.nn.LayerNorm | None = None, gelu: bool = False) -> torch.Tensor:
        """x (..., in) -> (..., out); `norm`, a LayerNorm that feeds only this layer, goes first and with `gelu`
        the outputs go through GELU, both in the kernel's one call where there is one."""
        if self.kernel is not None:
            rows = x.reshape(-1, self.in_features).float().contiguous()
            extra = (None, None, 1e-5)
            if norm is not None and (norm.weight is None or norm.bias is None):
                rows = norm(rows)
            elif norm is not None:
                extra = (norm.weight, norm.bias, norm.eps)
            y = self.kernel.linear(rows, self.packed, self.scale, self.row_sums, self.bias, *extra, gelu=gelu)
            return y.view(*x.shape[:-1], self.out_features)
        if norm is not None:
            x = norm(x)
        low, high = x.amin(dim=-1, keepdim=True), x.amax(dim=-1, keepdim=True)   # 10x faster than aminmax
        span = (high - low).clamp(min=1e-12)
        y = torch.ops.quantized.linear_dynamic((x - low) / span, self.prepacked, self.reduce_range)
        y = torch.addcmul(self.bias + low * self.row_sums, y, span)
        return torch.nn.functional.gelu(y) if gelu else y


def pack(q: torch.Tensor, block: int, group: int, align: int = 1) -> torch.Tensor:
    """(out, in) int8 -> (blocks of `block` outputs, groups of `group` inputs, block, group), zero-padded to
    whole blocks and to a multiple of `align` groups: linear8.cpp's layout (its `layout()`), where a block's
    group of inputs for its outputs is consecutive."""
    out, width = q.shape
    blocks, groups = -(-out // block), -(-width // (group * align)) * align
    padded = torch.zeros(blocks * block, groups * group, dtype=torch.int8)
    padded[:out, :width] = q
    return padded.view(blocks, block, groups, group).permute(0, 2, 1, 3).contiguous()


def cpu_default() -> str:
    """int8 where its 8-bit activations are kept (linear8.cpp built, or torch's kernel on a CPU with VNNI);
    else bf16: torch's kernel without VNNI takes 7-bit activations, which fail the agreement (KL 0.037)."""
    return CPU_DEFAULT if native.build("linear8") is not None or vnni() else "bf16"


@cache
def vnni() -> bool:
    """Whether the CPU multiplies int8 into int32 sums (VNNI). Without it fbgemm's kernel adds pairs of
    products in 16 bits, which can overflow, so activations must keep to 7 bits (torch's `reduce_range`,
    which its own dynamic Linear always sets and which is what cost its agreement with float32)."""
    return bool({"avx512_vnni", "avx_vnni"} & native.cpu_flags())   # not Linux: none, the safe 7 bits


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
