"""MusicGen's decoder run by a loop of our own: a key/value cache allocated once for the whole window,
classifier-free guidance as one batch (conditioned rows, then their unconditioned twins, which skip
cross-attention: it gives them exactly zero), the delay pattern over the codebooks, and top-k sampling
with a generator per job so a seed means the same music.

transformers' `generate` rebuilds masks, cache objects and logits processors every step; at 24 layers on
a CPU that costs as much as the arithmetic. Here a step is the layers' own calls and nothing else.
The modules are the model's (quantised or cast as `fast.py` chose), so the weights are read in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from . import attend
from .fast import Int8Linear

StepCallback = Callable[[int, int], None]             # (steps done, steps in all)
FramesCallback = Callable[[torch.Tensor, int], None]  # (codes (batch, codebooks, frames) so far, frames final)


@dataclass
class Condition:
    """What the decoder attends to, for the guided batch (2 x jobs rows: conditioned, then unconditioned)."""

    cross: torch.Tensor | None = None        # (rows, S, hidden): text states for cross-attention (musicgen)
    cross_mask: torch.Tensor | None = None   # (rows, 1, 1, S) bool: which of them are real tokens
    prefix: torch.Tensor | None = None       # (rows, P, hidden): melody + text before the codes (musicgen-melody)


class Decoder:
    """One model's decoder, stepped by hand. `lm` is a MusicgenForCausalLM or its melody twin."""

    def __init__(self, lm: torch.nn.Module, cache_dtype: torch.dtype | None = None) -> None:
        inner = lm.model.decoder
        self.layers = list(inner.layers)
        self.embed = list(inner.embed_tokens)
        self.positions = inner.embed_positions
        self.norm = inner.layer_norm
        self.heads = list(lm.lm_heads)
        config = lm.config
        self.codebooks, self.vocab, self.hidden = config.num_codebooks, config.vocab_size, config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = self.hidden // self.num_heads
        self.pad = config.pad_token_id
        self.gelu = config.activation_function == "gelu"
        self.cross_kv: list[tuple[torch.Tensor, torch.Tensor]] = []
        self.cross_mask: torch.Tensor | None = None
        self.cache_dtype = cache_dtype   # None: the model's own

    @property
    def dtype(self) -> torch.dtype:
        return self.norm.weight.dtype

    def position(self, start: int, length: int) -> torch.Tensor:
        if start + length > self.positions.weights.shape[0]:
            self.positions.make_weights(start + length, self.hidden)
        return self.positions.weights[start:start + length]

    @torch.inference_mode()
    def begin(self, condition: Condition, rows: int, length: int) -> int:
        """Allocate the cache for the condition and `length` code positions, and take the condition in;
        returns the first position for codes."""
        device = self.norm.weight.device
        prefix = condition.prefix.shape[1] if condition.prefix is not None else 0
        length += prefix
        shape = (rows, self.num_heads, length, self.head_dim)
        self.step_kernel = device.type == "cpu" and self.dtype == torch.float32 and attend.kernel() is not None
        dtype = self.cache_dtype if self.step_kernel and self.cache_dtype else self.dtype
        self.cache = [(torch.zeros(shape, dtype=dtype, device=device),
                       torch.zeros(shape, dtype=dtype, device=device)) for _ in self.layers]
        # an int8 cache keeps a scale per (row, head, position), for its keys and for its values
        self.scales = [(torch.zeros(shape[:3], device=device), torch.zeros(shape[:3], device=device))
                       for _ in self.layers] if dtype == torch.int8 else None
        self.cross_kv, self.cross_mask, self.cross_lengths = [], None, None
        self.heard = heard_rows(condition.cross, [layer.encoder_attn for layer in self.layers]) if condition.cross \
            is not None else 0
        if self.heard:
            states = condition.cross[:self.heard].to(self.dtype)
            self.cross_kv = [(self.split(layer.encoder_attn.k_proj(states)).contiguous(),
                              self.split(layer.encoder_attn.v_proj(states)).contiguous()) for layer in self.layers]
            self.cross_mask = condition.cross_mask[:self.heard]
            self.cross_lengths = attend.prefix_lengths(self.cross_mask) if self.step_kernel else None
        if condition.prefix is not None:
            self.run(condition.prefix.to(self.dtype), 0)
            return condition.prefix.shape[1]
        return 0

    def split(self, x: torch.Tensor) -> torch.Tensor:
        """(rows, T, hidden) -> (rows, heads, T, head_dim)"""
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)

    def embed_codes(self, codes: torch.Tensor) -> torch.Tensor:
        """(rows, codebooks, T) token ids -> (rows, T, hidden)"""
        return sum(self.embed[k](codes[:, k]) for k in range(self.codebooks))

    @torch.inference_mode()
    def run(self, x: torch.Tensor, start: int) -> torch.Tensor:
        """Hidden states (rows, T, hidden) at positions start.. through the layers, filling the cache."""
        length = x.shape[1]
        x = x + self.position(start, length).to(x.dtype)
        end = start + length
        mask = None
        if length > 1:   # a chunk sees the cache and itself causally; a single step sees everything
            mask = torch.ones(length, end, dtype=torch.bool, device=x.device).tril(diagonal=start)
        for i, layer in enumerate(self.layers):
            x = self.self_attention(layer, x, i, start, end, mask)
            if self.cross_kv:
                x = self.cross_attention(layer, x, *self.cross_kv[i])
            x = x + self.feed_forward(layer, x)
        return self.norm(x)

    def feed_forward(self, layer, x: torch.Tensor) -> torch.Tensor:
        if self.gelu and isinstance(layer.fc1, Int8Linear):   # int8: norm, fc1 and GELU in one call
            return layer.fc2(layer.fc1(x, layer.final_layer_norm, gelu=True))
        return layer.fc2(layer.activation_fn(normed(layer.fc1, layer.final_layer_norm, x)))

    def self_attention(self, layer, x, i, start, end, mask):
        attn = layer.self_attn
        if hasattr(attn, "qkv"):   # int8: the three in one call (fast.quantise)
            q, k, v = normed(attn.qkv, layer.self_attn_layer_norm, x).split(self.hidden, dim=-1)
        else:
            h = layer.self_attn_layer_norm(x)
            q, k, v = attn.q_proj(h), attn.k_proj(h), attn.v_proj(h)
        keys, values = self.cache[i]
        scales = self.scales[i] if self.scales else None
        if scales:
            attend.store(k, keys, scales[0], start)
            attend.store(v, values, scales[1], start)
        else:
            keys[:, :, start:end] = self.split(k)
            values[:, :, start:end] = self.split(v)
        q = self.split(q)
        if mask is None and self.step_kernel:
            return x + attn.out_proj(attend.step(q, keys, values, end, scales=scales))
        if scales:   # a chunk (a prompt, a melody prefix): torch's attention over the cache made float again
            keys, values = (c[:, :, :end].float() * s[:, :, :end, None] for c, s in zip((keys, values), scales))
        out = F.scaled_dot_product_attention(q, keys[:, :, :end].to(q.dtype), values[:, :, :end].to(q.dtype),
                                             attn_mask=mask)
        return x + attn.out_proj(out.transpose(1, 2).reshape(x.shape))

    def cross_attention(self, layer, x, keys, values):
        """x plus its attention to the text, computed for the first `heard` rows: the rest get zero from it."""
        attn, heard = layer.encoder_attn, x[:self.heard]
        q = self.split(normed(attn.q_proj, layer.encoder_attn_layer_norm, heard))
        if x.shape[1] == 1 and self.cross_lengths is not None:
            out = attend.step(q, keys, values, keys.shape[2], self.cross_lengths)
        else:
            out = F.scaled_dot_product_attention(q, keys, values, attn_mask=self.cross_mask)
            out = out.transpose(1, 2).reshape(heard.shape)
        heard = heard + attn.out_proj(out)
        return heard if self.heard == len(x) else torch.cat([heard, x[self.heard:]])

    @torch.inference_mode()
    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Last hidden state (rows, 1, hidden) -> (rows, codebooks, vocab) in float32 (the heads one by one, or
        int8's one head for all codebooks)."""
        last = x[:, -1]
        return torch.cat([head(last) for head in self.heads], dim=-1).view(len(last), self.codebooks, -1).float()


def heard_rows(states: torch.Tensor, attentions: list[torch.nn.Module]) -> int:
    """How many leading rows of the text states (rows, S, hidden) cross-attention must compute. Guidance's
    unconditioned twins come last with states of zeros: where no layer's values or output have a bias
    (MusicGen's have none), their values are zero and so is all they get from the text, whatever they ask."""
    if any(_biased(a.v_proj) or _biased(a.out_proj) for a in attentions):
        return len(states)
    speaks = states.flatten(1).ne(0).any(1).nonzero()
    return int(speaks.max()) + 1 if len(speaks) else 0


def _biased(linear: torch.nn.Module) -> bool:
    bias = getattr(linear, "bias", None)
    bias = bias() if callable(bias) else bias   # torch's quantised Linear keeps its bias behind a method
    return bias is not None and bool(bias.ne(0).any())


def normed(linear: torch.nn.Module, norm: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """linear(norm(x)), the norm inside int8's call where the layer is int8."""
    return linear(x, norm) if isinstance(linear, Int8Linear) else linear(norm(x))


@dataclass
class Sampling:
    guidance: float = 3.0
    top_k: int = 250
    temperature: float = 1.0


def guided(logits: torch.Tensor, jobs: int, guidance: float) -> torch.Tensor:
    """Classifier-free guidance over the stacked batch: uncond + (cond - uncond) * scale."""
    if guidance <= 1 or logits.shape[0] == jobs:
        return logits[:jobs]
    cond, uncond = logits[:jobs], logits[jobs:]
    return uncond + (cond - uncond) * guidance


def sample(logits: torch.Tensor, generators: list[torch.Generator], sampling: Sampling) -> torch.Tensor:
    """Every job's (jobs, codebooks, vocab) logits -> (jobs, codebooks) tokens, top-k at the temperature, in
    one pass over the batch. Each job's uniform draws come from its own generator and pick by inverse CDF,
    row by row, so a job samples the same tokens alone or beside any others."""
    if sampling.temperature <= 0:
        return logits.argmax(-1)
    top, index = logits.topk(min(sampling.top_k, logits.shape[-1]), dim=-1)
    cdf = torch.softmax(top / sampling.temperature, dim=-1).cumsum(-1)
    draws = torch.stack([torch.rand(logits.shape[1], generator=g, device=g.device) for g in generators])
    pick = torch.searchsorted(cdf, (draws * cdf[..., -1]).unsqueeze(-1)).clamp(max=top.shape[-1] - 1)
    return index.gather(-1, pick).squeeze(-1)


def generate_codes(decoder: Decoder, condition: Condition, *, frames: list[int], generators: list[torch.Generator],
                   sampling: Sampling, prompt: list[torch.Tensor | None] | None = None,
                   on_step: StepCallback | None = None, on_frames: FramesCallback | None = None,
                   frames_every: int = 0) -> list[torch.Tensor]:
    """Codes (codebooks, frames[i]) for each job, continuing `prompt[i]` (codebooks, P) where given: the
    prompt's frames are forced in and only the rest are sampled. One step decodes one position of the
    delayed pattern for all jobs at once; the batch runs to its longest job."""
    jobs, K = len(frames), decoder.codebooks
    rows = 2 * jobs if sampling.guidance > 1 else jobs
    total = max(frames)
    steps = total + K                            # the start token, then frames delayed by up to K - 1
    device = decoder.norm.weight.device
    prompt = prompt or [None] * jobs
    # tokens[j, k, p]: the pattern position p of codebook k; frame f of codebook k sits at p = f + 1 + k
    tokens = torch.full((jobs, K, steps), decoder.pad, dtype=torch.long, device=device)
    forced = torch.zeros((jobs, K, steps), dtype=torch.bool, device=device)
    for j, codes in enumerate(prompt):
        if codes is not None:
            for k in range(K):
                tokens[j, k, 1 + k:1 + k + codes.shape[1]] = codes[k]
                forced[j, k, 1 + k:1 + k + codes.shape[1]] = True
    # each job's own frames only: past its end a job sees pads, as it would alone (and as transformers has it)
    valid = torch.zeros((jobs, K, steps), dtype=torch.bool, device=device)
    for j, n in enumerate(frames):
        for k in range(K):
            valid[j, k, 1 + k:1 + k + n] = True
    start = decoder.begin(condition, rows, steps)
    twins = rows // jobs
    with torch.inference_mode():
        # A continuation's prompt: positions whose next tokens are all forced go through as one chunk.
        known = min(int(c.shape[1]) if c is not None else 0 for c in prompt)
        if known:
            decoder.run(decoder.embed_codes(tokens[:, :, :known].repeat(twins, 1, 1)), start)
        for p in range(known, steps - 1):
            x = decoder.run(decoder.embed_codes(tokens[:, :, p:p + 1].repeat(twins, 1, 1)), start + p)
            logits = guided(decoder.logits(x), jobs, sampling.guidance)
            new = sample(logits, generators, sampling)
            here = valid[:, :, p + 1] & ~forced[:, :, p + 1]
            tokens[:, :, p + 1] = torch.where(here, new, tokens[:, :, p + 1])
            if on_step:
                on_step(p + 1 - known, steps - 1 - known)
            done = p + 2 - K          # frames whose every codebook is in
            if on_frames and frames_every and done > 0 and (done % frames_every == 0 or p == steps - 2):
                on_frames(undelay(tokens[:, :, :p + 2], K), done)
    codes = undelay(tokens, K)
    return [codes[j, :, :frames[j]] for j in range(jobs)]


def undelay(tokens: torch.Tensor, K: int) -> torch.Tensor:
    """(jobs, K, positions) in the delay pattern -> (jobs, K, frames) aligned: codebook k shifted back by 1 + k."""
    frames = tokens.shape[-1] - K
    return torch.stack([tokens[:, k, 1 + k:1 + k + frames] for k in range(K)], dim=1)
