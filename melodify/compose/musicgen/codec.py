"""EnCodec's decoder (codes -> audio) in a (time, channels) layout with plain matmuls, a batch's jobs in one call.

transformers runs the codec's convolutions through oneDNN in a (channels, time) layout, at 3-9 GMAC/s on
this CPU; the same arithmetic as matrix products over rows of time runs at 50-65. Each layer here is the
layer transformers builds, with the same padding and trimming:

  - a stride-1 conv (kernel k, dilation d): k matmuls of row-shifted views of the padded input, summed;
  - the ConvTranspose (kernel 2*stride, as EnCodec always builds it): each output block of `stride` samples
    is X[t] @ W1 + X[t-1] @ W2, two blocks in three matmuls (`up`), then the fixed trim transformers makes;
  - weight norm folded once, at load;
  - the ELU before each layer by codec.cpp, a polynomial exp the compiler vectorises: 29 ms a 10 s job
    against torch's 82.

Layers after the LSTM run in chunks of time, so a chunk's products stay in cache and no layer holds more
than its input and output at full length. A chunk takes its conv's context from its neighbours and the
signal's own padding (reflect or zeros) only at the signal's ends, so chunking changes nothing.

The convolutions run job by job: they gain nothing from a batch (a chunk's rows already make a big
matmul). The LSTM is another matter: a step reads its recurrent weights (16 MB a layer in musicgen's codec)
to multiply one row of state, so jobs stepped together share that read. torch's LSTM (oneDNN) does not
share it well, and a loop of ours around MKL's small products was slower still (2.3 s for 4 jobs on an AMD
EPYC). codec.cpp steps the batch, reading the weights once a step: 4 jobs of 10 s in 0.65-0.72 s against
torch's 0.62-1.16, one in 0.19-0.26 against 0.23-0.29 (A/B in one process, three runs on a noisy host;
each layer's input gates, one big matmul, are about a third of it).

Anything else (another norm, a conv with a stride, another device) falls back to transformers' own decode:
`codec_decoder` is the one place that decides.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from . import native

log = logging.getLogger(__name__)

CHUNK = 1 << 18        # floats in a chunk's widest rows: 1 MB, the fastest of 2^14..2^20 here (an L2 is 512 KB)
FEWEST_ROWS = 256      # but never fewer rows: the first ConvTranspose (4096 wide) at 64 rows a matmul ran at
                       # 35 GMAC/s, reading its 32 MB of weights 8 times; at 256 rows, 55-70 (AMD EPYC)


class Unsupported(Exception):
    """A codec this decoder does not cover; transformers' own decode runs it."""


@dataclass
class Conv:
    """A stride-1 conv: taps (k, in, out), bias (out,), and the padding transformers gives it."""

    taps: torch.Tensor
    bias: torch.Tensor
    dilation: int
    left: int
    right: int
    mode: str           # "reflect" or "constant"


@dataclass
class Up:
    """A ConvTranspose with kernel 2*stride: out block t = x[t] @ first + x[t-1] @ second + bias."""

    first: torch.Tensor     # (in, stride*out)
    second: torch.Tensor
    both: torch.Tensor      # first + second
    bias: torch.Tensor      # (stride*out,)
    stride: int
    left: int               # samples trimmed at the start and the end, as transformers trims them
    right: int


@dataclass
class Block:
    """EnCodec's residual block: x + shortcut? + conv2(elu(conv1(elu(x))))."""

    inner: Conv             # any kernel
    outer: Conv             # kernel 1
    shortcut: Conv | None   # kernel 1, or None for a true skip


class Elu:
    """ELU in place on a layer's output that nothing else reads."""


def codec_decoder(codec) -> FastDecoder | TransformersDecoder:
    """Our decoder for this EnCodec, or transformers' own where ours does not cover it (and why, logged)."""
    try:
        return FastDecoder(codec)
    except Unsupported as e:
        log.info("EnCodec decodes through transformers: %s", e)
        return TransformersDecoder(codec)


class TransformersDecoder:
    """transformers' own decode, jobs of one length in one batch."""

    def __init__(self, codec) -> None:
        self.codec = codec

    def decode(self, codes: list[torch.Tensor]) -> list[torch.Tensor]:
        out: list[torch.Tensor | None] = [None] * len(codes)
        for length in sorted({c.shape[-1] for c in codes}):
            rows = [i for i, c in enumerate(codes) if c.shape[-1] == length]
            batch = torch.stack([codes[i] for i in rows])
            with torch.inference_mode():
                audio = self.codec.decode(batch[None], audio_scales=[None]).audio_values
            for i, a in zip(rows, audio):
                out[i] = a
        return out


class FastDecoder:
    def __init__(self, codec) -> None:
        from transformers.models.encodec import modeling_encodec as me

        config = codec.config
        if config.chunk_length is not None:
            raise Unsupported(f"chunked decoding (chunk_length {config.chunk_length})")
        if codec.device.type != "cpu":
            raise Unsupported(f"device {codec.device.type!r}: the fast decoder is tuned for the CPU")
        self.embeds = [layer.codebook.embed for layer in codec.quantizer.layers]
        layers = list(codec.decoder.layers)
        if not (isinstance(layers[0], me.EncodecConv1d) and isinstance(layers[1], me.EncodecLSTM)):
            raise Unsupported("a decoder that does not start with a conv and the LSTM")
        self.first = _conv(layers[0])
        self.lstm = _lstm(layers[1].lstm)
        self.steps = [_step(layer) for layer in layers[2:]]

    def decode(self, codes: list[torch.Tensor]) -> list[torch.Tensor]:
        """Each job's (codebooks, frames) codes -> its (channels, samples) audio."""
        with torch.inference_mode():
            xs = [conv(self._embed(c), self.first) for c in codes]
            states = together(self.lstm, xs)
            return [self._rest(s + x).T for s, x in zip(states, xs)]

    def _embed(self, codes: torch.Tensor) -> torch.Tensor:
        """(frames, dim): the sum of each codebook's vectors, in transformers' order."""
        if len(codes) > len(self.embeds):
            raise ValueError(f"codes of {len(codes)} codebooks for a codec of {len(self.embeds)}: give the "
                             "codes of the model this codec belongs to")
        out = torch.zeros((), dtype=self.embeds[0].dtype)
        for embed, row in zip(self.embeds, codes):
            out = out + F.embedding(row, embed)
        return out

    def _rest(self, x: torch.Tensor) -> torch.Tensor:
        elu = False   # an ELU before a ConvTranspose or a conv runs on that layer's chunks, while they are in cache
        for step in self.steps:
            if isinstance(step, Elu):
                x = activate(x) if elu else x
                elu = True
                continue
            if isinstance(step, Up):
                x = up(x, step, elu)
            elif isinstance(step, Block):
                x = block(activate(x) if elu else x, step)
            else:
                x = conv(x, step, elu)
            elu = False
        return activate(x) if elu else x


def _conv(module) -> Conv:
    """A transformers EncodecConv1d, its weight norm folded."""
    from transformers.models.encodec import modeling_encodec as me

    if not isinstance(module, me.EncodecConv1d):
        raise Unsupported(f"a layer {type(module).__name__} where a conv was expected")
    if module.norm_type != "weight_norm":
        raise Unsupported(f"norm_type {module.norm_type!r} (the fast decoder folds weight_norm only)")
    if module.pad_mode not in ("reflect", "constant"):
        raise Unsupported(f"pad_mode {module.pad_mode!r}")
    c = module.conv
    if c.stride[0] != 1 or c.groups != 1 or c.padding[0] != 0:
        raise Unsupported(f"a conv with stride {c.stride[0]}, groups {c.groups}, padding {c.padding[0]}")
    weight = c.weight.detach()                      # (out, in, k), weight norm applied
    k, d = weight.shape[-1], c.dilation[0]
    total = (k - 1) * d                             # stride 1: transformers' extra padding is always 0
    left = total if module.causal else total - total // 2
    bias = c.bias.detach().clone() if c.bias is not None else weight.new_zeros(weight.shape[0])
    return Conv(weight.permute(2, 1, 0).contiguous(), bias, d, left, total - left, module.pad_mode)


def _up(module) -> Up:
    c = module.conv
    if module.norm_type != "weight_norm":
        raise Unsupported(f"norm_type {module.norm_type!r} (the fast decoder folds weight_norm only)")
    k, s = c.kernel_size[0], c.stride[0]
    if k != 2 * s or c.groups != 1 or c.padding[0] != 0 or c.output_padding[0] != 0 or c.dilation[0] != 1:
        raise Unsupported(f"a ConvTranspose with kernel {k} and stride {s} (expected kernel 2*stride)")
    weight = c.weight.detach()                      # (in, out, 2s)
    blocks = weight.permute(0, 2, 1)                # (in, 2s, out)
    first = blocks[:, :s].reshape(weight.shape[0], -1).contiguous()
    second = blocks[:, s:].reshape(weight.shape[0], -1).contiguous()
    bias = c.bias.detach() if c.bias is not None else weight.new_zeros(weight.shape[1])
    total = k - s
    right = math.ceil(total * module.trim_right_ratio) if module.causal else total // 2
    return Up(first, second, first + second, bias.repeat(s), s, total - right, right)


def _block(module) -> Block:
    from transformers.models.encodec import modeling_encodec as me

    parts = list(module.block)
    if len(parts) != 4 or not all(isinstance(p, nn.ELU) and p.alpha == 1.0 for p in parts[::2]):
        raise Unsupported("a residual block other than ELU, conv, ELU, conv")
    inner, outer = _conv(parts[1]), _conv(parts[3])
    if outer.taps.shape[0] != 1:
        raise Unsupported(f"a residual block whose second conv has kernel {outer.taps.shape[0]}")
    shortcut = None
    if isinstance(module.shortcut, me.EncodecConv1d):
        shortcut = _conv(module.shortcut)
        if shortcut.taps.shape[0] != 1:
            raise Unsupported(f"a shortcut conv with kernel {shortcut.taps.shape[0]}")
    elif not isinstance(module.shortcut, nn.Identity):
        raise Unsupported(f"a shortcut {type(module.shortcut).__name__}")
    return Block(inner, outer, shortcut)


def together(lstm: nn.LSTM, xs: list[torch.Tensor]) -> list[torch.Tensor]:
    """Each job's (frames, dim) input -> its (frames, hidden) LSTM states, the jobs as one batch. Jobs
    shorter than the longest are padded at the end; the LSTM runs forward in time, so that padding never
    reaches their frames. A layer's input gates are one matmul over every frame of every job; codec.cpp
    steps the recurrence, reading the recurrent weights once a step for the whole batch (torch's LSTM
    where it does not build)."""
    lengths = [len(x) for x in xs]
    x = xs[0].new_zeros(max(lengths), len(xs), xs[0].shape[1])
    for j, one in enumerate(xs):
        x[:len(one), j] = one
    kernel = native.build("codec")
    if kernel is None:
        out = lstm(x)[0]
    else:
        out = x
        for layer in range(lstm.num_layers):
            weight = lambda name: getattr(lstm, f"{name}_l{layer}").detach()  # noqa: E731
            bias = weight("bias_ih") + weight("bias_hh")
            gates = torch.addmm(bias, out.reshape(-1, out.shape[-1]), weight("weight_ih").t())
            out = kernel.lstm(gates.view(*out.shape[:2], -1), weight("weight_hh").contiguous())
    return [out[:n, j] for j, n in enumerate(lengths)]


def _lstm(lstm: nn.LSTM) -> nn.LSTM:
    if lstm.bidirectional or lstm.batch_first or lstm.proj_size or not lstm.bias:
        raise Unsupported("an LSTM other than EnCodec's (unidirectional, time first, with biases)")
    return lstm


def _step(module):
    from transformers.models.encodec import modeling_encodec as me

    if isinstance(module, nn.ELU):
        if module.alpha != 1.0:
            raise Unsupported(f"ELU alpha {module.alpha}")
        return Elu()
    if isinstance(module, me.EncodecConvTranspose1d):
        return _up(module)
    if isinstance(module, me.EncodecResnetBlock):
        return _block(module)
    return _conv(module)


# --- the layers, on (time, channels) tensors -------------------------------------------------------------


def activate(x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """ELU (alpha 1) of x: codec.cpp's on a contiguous float32 chunk (about 3x torch's speed: the ELUs had been
    a tenth of the decode), or torch's where it does not build."""
    kernel = native.build("codec")
    if kernel is None or x.dtype != torch.float32 or not x.is_contiguous():
        return F.elu(x, inplace=inplace)
    out = x if inplace else torch.empty_like(x)
    kernel.elu(x, out)
    return out


def rows_for(channels: int) -> int:
    return max(FEWEST_ROWS, CHUNK // max(1, channels))


def padded(x: torch.Tensor, start: int, end: int, c: Conv) -> torch.Tensor:
    """Rows start..end-1 of x padded as transformers' EncodecConv1d._pad1d pads the whole of it: a view in
    the middle, a gather at the ends (reflect, or zeros; reflect on a signal no longer than the padding
    first extends it with zeros, as transformers does)."""
    n = len(x)
    if start >= 0 and end <= n:
        return x[start:end]
    i = torch.arange(start, end)
    if c.mode == "reflect":
        span = max(n, max(c.left, c.right) + 1)     # transformers' zero extension of a short signal
        i = torch.where(i < 0, -i, i)
        i = torch.where(i >= span, 2 * (span - 1) - i, i)
    inside = (i >= 0) & (i < n)
    out = x.new_zeros(end - start, x.shape[1])
    out[inside] = x[i[inside]]
    return out


def conv(x: torch.Tensor, c: Conv, elu: bool = False) -> torch.Tensor:
    """c(x), or c(elu(x)) with `elu`: ELU commutes with both paddings (reflect, and zeros since elu(0) = 0)."""
    k, cin, cout = c.taps.shape
    n = len(x)
    out = x.new_empty(n, cout)
    step = rows_for(max(cin, cout))
    for a in range(0, n, step):
        b = min(n, a + step)
        src = padded(x, a - c.left, b + c.right, c)
        _taps(activate(src) if elu else src, c, out[a:b])
    return out


def _taps(src: torch.Tensor, c: Conv, out: torch.Tensor) -> None:
    """out = bias + sum_j src[j*d : j*d + rows] @ taps[j], out already the right rows."""
    rows = len(out)
    torch.addmm(c.bias, src[:rows], c.taps[0], out=out)
    for j in range(1, len(c.taps)):
        out.addmm_(src[j * c.dilation:j * c.dilation + rows], c.taps[j])


def block(x: torch.Tensor, b: Block) -> torch.Tensor:
    n, dim = x.shape
    inner = b.inner
    out = x.new_empty(n, dim)
    step = rows_for(max(dim, inner.taps.shape[2] * len(inner.taps)))
    hidden = x.new_empty(step, inner.taps.shape[2])
    bias = b.outer.bias if b.shortcut is None else b.outer.bias + b.shortcut.bias
    for a in range(0, n, step):
        e = min(n, a + step)
        src = activate(padded(x, a - inner.left, e + inner.right, inner))
        h = hidden[:e - a]
        _taps(src, inner, h)
        activate(h, inplace=True)
        if b.shortcut is None:
            torch.add(x[a:e], bias, out=out[a:e])
        else:
            torch.addmm(bias, x[a:e], b.shortcut.taps[0], out=out[a:e])
        out[a:e].addmm_(h, b.outer.taps[0])
    return out


def up(x: torch.Tensor, u: Up, elu: bool = False) -> torch.Tensor:
    """(frames, in) -> (frames*stride, out): blocks t = x[t] @ first + x[t-1] @ second, then trimmed; with
    `elu`, of elu(x). The blocks go two at a time in three matmuls instead of four (Winograd's F(2,2)):
    with d0, d1, d2 = x[2p-1], x[2p], x[2p+1] (zeros beyond x), blocks 2p and 2p+1 are
    m2 + (d0 - d1) @ second and m2 + (d2 - d1) @ first, where m2 = d1 @ (first + second). A quarter fewer
    products, and the differences of inputs move a sample by about 1e-7 of the peak: a 10 s job's four
    ConvTransposes took 0.39 s in four matmuls a pair, 0.34-0.37 in three (AMD EPYC, A/B in one process,
    three runs)."""
    n, width = len(x), u.first.shape[1]
    pairs = (n + 2) // 2   # blocks 0..n, rounded up to whole pairs
    full = x.new_empty(pairs, 2, width)
    step = max(1, rows_for(max(x.shape[1], width)) // 2)
    for a in range(0, pairs, step):
        e = min(pairs, a + step)
        src = x[max(0, 2 * a - 1):min(n, 2 * e)]   # x[2a-1 .. 2e-1], zeros where that is beyond x
        src = F.pad(src, (0, 0, max(0, 1 - 2 * a), max(0, 2 * e - n))) if a == 0 or 2 * e > n else src
        src = activate(src) if elu else src
        k = 2 * (e - a)
        d0, d1, d2 = src[0:k:2], src[1:k:2], src[2:k + 1:2]
        m2 = torch.addmm(u.bias, d1, u.both)
        torch.addmm(m2, d0 - d1, u.second, out=full[a:e, 0])
        torch.addmm(m2, d2 - d1, u.first, out=full[a:e, 1])
    samples = full.view(-1, width // u.stride)[:(n + 1) * u.stride]
    return samples[u.left:len(samples) - u.right]
