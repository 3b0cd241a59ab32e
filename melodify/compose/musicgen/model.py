"""A MusicGen checkpoint loaded for our decode loop: the network on its device and precision, its tokenizer,
what its codec says about time (sample rate, frames per second), and the conditioning it takes (text for
cross-attention, or melody chroma and text before the codes for musicgen-melody)."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from ...errors import InvalidOption
from ...hf import dtype_for, load_pretrained, pick_device
from . import native
from .codec import codec_decoder
from .decode import Condition, Decoder
from .fast import speed_up

MODEL_TYPES = ("musicgen", "musicgen_melody")
WHAT = "MusicGen model"


@dataclass
class Chroma:
    """How musicgen-melody's feature extractor turns audio into chroma (from preprocessor_config.json)."""

    sample_rate: int = 32000
    n_fft: int = 16384
    hop: int = 4096
    length: int = 235          # chroma frames the model takes (30 s at 32 kHz)


def load(model: str, device: str | None = "auto", precision: str | None = None) -> Loaded:
    """A checkpoint (hub id or folder) on `device`, its decoder in `precision` (None: the device's default)."""
    import transformers

    device = pick_device(device)
    with start_token_unflagged():
        config = load_pretrained(transformers.AutoConfig, model, WHAT)
        if config.model_type not in MODEL_TYPES:
            raise InvalidOption(f"the model {model!r} is a {config.model_type!r} model, not a {WHAT}; give a "
                                "facebook/musicgen-* checkpoint or a folder holding one", code="wrong_model")
        melody = config.model_type == "musicgen_melody"
        cls = (transformers.MusicgenMelodyForConditionalGeneration if melody
               else transformers.MusicgenForConditionalGeneration)
        tokenizer = load_pretrained(transformers.AutoTokenizer, model, WHAT)
        net = load_pretrained(cls, model, WHAT, dtype=dtype_for(device)).to(device).eval()
    return Loaded(net, tokenizer, model=model, device=device, precision=precision,
                  chroma=read_chroma(model, config) if melody else None)


class Loaded:
    def __init__(self, net, tokenizer, *, model: str, device: str, precision: str | None = None,
                 chroma: Chroma | None = None) -> None:
        config = net.config
        self.model, self.device, self.tokenizer = model, device, tokenizer
        self.melody = config.model_type == "musicgen_melody"
        if device == "cpu":   # its kernels all at once, not each at the first use that needs it
            native.prepare()
        self.precision = speed_up(net, device, precision)
        self.net = net
        # int8's key/value cache in int8 too: a step at 8 rows reads mostly the cache (attend.py); KL with it
        # 0.0122 against 0.0112 with a bfloat16 one (bench/bench_musicgen.py's agreement; the limit is 0.02)
        self.decoder = Decoder(net.decoder, torch.int8 if self.precision == "int8" else None)
        codec = config.audio_encoder
        self.sample_rate = int(codec.sampling_rate)
        self.frame_rate = codec.sampling_rate / codec.hop_length   # codes a second, from the codec's config
        self.channels = int(config.decoder.audio_channels)
        self.codec = codec_decoder(net.audio_encoder)
        self.max_positions = int(config.decoder.max_position_embeddings)
        self.chroma = chroma or (Chroma(length=int(config.chroma_length)) if self.melody else None)

    def frames(self, seconds: float) -> int:
        return max(1, math.ceil(seconds * self.frame_rate))

    def condition(self, texts: list[str], chroma: list[torch.Tensor | None] | None, guidance: float) -> Condition:
        """The guided batch's condition: each job's text (and melody chroma), then the unconditioned twins."""
        net, twins = self.net, guidance > 1
        with torch.inference_mode():
            states, mask = self._texts(texts)
            if twins:   # the unconditioned rows see zeros, as transformers and audiocraft give them
                states = torch.cat([states, torch.zeros_like(states)])
            if not self.melody:
                full = torch.cat([mask, torch.ones_like(mask)]) if twins else mask
                return Condition(cross=states, cross_mask=full.bool()[:, None, None, :])
            return Condition(prefix=torch.cat([self._melody(chroma or [None] * len(texts), twins), states], dim=1))

    def _texts(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """(jobs, tokens, hidden) text states, zero past each text's end, and (jobs, tokens) their mask. Each
        text is encoded alone, not padded beside its batch mates, so its states are the same bits in any batch
        (with int8 a last-bit difference can move a rounding and so a sampled token)."""
        net, encoded = self.net, []
        for text in texts:
            ids = self.tokenizer([text], return_tensors="pt")["input_ids"].to(self.device)
            states = net.text_encoder(input_ids=ids).last_hidden_state[0]
            encoded.append(net.enc_to_dec_proj(states) if hasattr(net, "enc_to_dec_proj") else states)
        longest = max(len(e) for e in encoded)
        states = torch.stack([F.pad(e, (0, 0, 0, longest - len(e))) for e in encoded])
        mask = torch.tensor([[1] * len(e) + [0] * (longest - len(e)) for e in encoded], device=self.device)
        return states, mask

    def _melody(self, chroma: list[torch.Tensor | None], twins: bool) -> torch.Tensor:
        """(rows, chroma_length, hidden): each job's one-hot chroma, or the null melody (all in pitch class 0)."""
        net, length = self.net, self.chroma.length
        null = torch.zeros(length, net.config.num_chroma, device=self.device)
        null[:, 0] = 1
        rows = [null if c is None else fit(c.to(self.device), length) for c in chroma]
        if twins:
            rows += [null] * len(chroma)
        melody = torch.stack(rows)
        proj = getattr(net, "audio_enc_to_dec_proj", None)
        return proj(melody.to(proj.weight.dtype)) if proj is not None else melody

    def decode(self, codes: torch.Tensor) -> torch.Tensor:
        """(jobs, codebooks, frames) -> (jobs, channels, samples) float32 audio from the codec."""
        return torch.stack(self.decode_jobs(list(codes)))

    def decode_jobs(self, codes: list[torch.Tensor]) -> list[torch.Tensor]:
        """Each job's (codebooks, frames) codes -> its (channels, samples) float32 audio (codec.py). Stereo
        codes interleave the channels' codebooks: each channel is decoded as a mono stream of its own."""
        if self.channels == 1:
            return [a.float() for a in self.codec.decode(codes)]
        audio = self.codec.decode([c[::2] for c in codes] + [c[1::2] for c in codes])
        return [torch.cat([left, right]).float() for left, right in zip(audio[:len(codes)], audio[len(codes):])]


class StartTokenNotice(logging.Filter):
    """transformers' generic config check says MusicGen's pad and bos ids lie outside the vocabulary: they
    are its start token, vocab_size itself, and MusicGen's embeddings have a row for it (its own config's
    check allows it; the composite config's does not). Every checkpoint would print that to the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("_token_id must be `None` or an integer within the vocabulary" in message
                    and any(f"{name}_token_id" in message for name in ("pad", "bos", "decoder_start")))


@contextmanager
def start_token_unflagged() -> Iterator[None]:
    notice, logger = StartTokenNotice(), logging.getLogger("transformers.configuration_utils")
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)


def fit(chroma: torch.Tensor, length: int) -> torch.Tensor:
    """Chroma frames repeated or cut to the model's length, as transformers does."""
    if chroma.shape[0] < length:
        chroma = chroma.repeat(math.ceil(length / chroma.shape[0]), 1)
    return chroma[:length]


def read_chroma(model: str, config) -> Chroma:
    """The chroma settings of a melody checkpoint's feature extractor."""
    path = Path(model).expanduser() / "preprocessor_config.json"
    if not path.exists():
        from huggingface_hub import hf_hub_download

        try:
            # the same model id as the weights it describes, loaded the same way (nosec: no pin of our own)
            path = Path(hf_hub_download(model, "preprocessor_config.json"))  # nosec B615
        except Exception:   # noqa: BLE001 - without the file, the released checkpoint's settings hold
            return Chroma(length=int(config.chroma_length))
    data = json.loads(path.read_text())
    return Chroma(sample_rate=int(data.get("sampling_rate", 32000)), n_fft=int(data.get("n_fft", 16384)),
                  hop=int(data.get("hop_length", 4096)), length=int(config.chroma_length))
