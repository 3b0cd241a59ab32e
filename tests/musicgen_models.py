"""Tiny, randomly initialised MusicGen and MusicGen-melody models built from configs and saved to a folder,
as the real checkpoints are laid out (config.json, generation_config.json, weights, tokenizer): no downloads.

They keep the real models' shape of things (a T5 text encoder, an EnCodec codec, a decoder over 4 delayed
codebooks, guidance) at a size a test can run in a second: an 8 kHz codec at 12.5 frames a second, so a
second of audio is 13 decoding steps."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tiny_models import tokenizer

SAMPLE_RATE = 8000
CODEBOOK = 32           # codes per codebook (the real ones: 2048)
HOP = (8, 5, 4, 4)      # 640 samples a frame, as musicgen-small's EnCodec: 12.5 frames a second at 8 kHz


def _parts(tok, *, hidden: int = 32):
    from transformers import EncodecConfig, MusicgenDecoderConfig, T5Config

    text = T5Config(vocab_size=len(tok), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_heads=2,
                    pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, decoder_start_token_id=0)
    codec = EncodecConfig(sampling_rate=SAMPLE_RATE, audio_channels=1, hidden_size=16, num_filters=4,
                          upsampling_ratios=list(HOP), codebook_size=CODEBOOK, codebook_dim=16, num_lstm_layers=1,
                          target_bandwidths=[1.0])
    decoder = dict(vocab_size=CODEBOOK, num_codebooks=4, hidden_size=hidden, num_hidden_layers=2,
                   num_attention_heads=2, ffn_dim=64, max_position_embeddings=2048, pad_token_id=CODEBOOK,
                   bos_token_id=CODEBOOK, dropout=0.0)
    return text, codec, decoder, MusicgenDecoderConfig


def _generation(model, max_length: int = 400) -> None:
    config = model.generation_config
    config.update(do_sample=True, guidance_scale=3.0, top_k=25, max_length=max_length, pad_token_id=CODEBOOK,
                  decoder_start_token_id=CODEBOOK, bos_token_id=CODEBOOK)


def _randomise(model) -> None:
    """Random heads give nearly flat logits; wider ones make sampling and agreement checks mean something.
    EnCodec's codebooks start at zero (they are learnt by k-means): random ones make each code sound."""
    import torch

    with torch.no_grad():
        for head in model.decoder.lm_heads:
            head.weight.normal_(0.0, 0.15)
        for layer in model.audio_encoder.quantizer.layers:
            layer.codebook.embed.normal_(0.0, 1.0)


def musicgen(folder: Path, *, seed: int = 0) -> Path:
    """A text-to-music MusicGen: T5 (1 layer, 16 wide), EnCodec at 8 kHz, a 2-layer decoder 32 wide."""
    import torch
    from transformers import MusicgenConfig, MusicgenForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(folder)
    text, codec, decoder, decoder_config = _parts(tok)
    torch.manual_seed(seed)
    config = MusicgenConfig(text_encoder=text, audio_encoder=codec, decoder=decoder_config(**decoder))
    model = MusicgenForConditionalGeneration(config).eval()
    _randomise(model)
    _generation(model)
    model.save_pretrained(folder)
    return folder


def musicgen_melody(folder: Path, *, seed: int = 0) -> Path:
    """A MusicGen-melody of the same size: the chroma of a melody (12 pitch classes, 1 frame per 512 samples)
    and the text go before the codes in the decoder's own sequence."""
    import torch
    from transformers import MusicgenMelodyConfig, MusicgenMelodyDecoderConfig, MusicgenMelodyForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(folder)
    text, codec, decoder, _ = _parts(tok)
    torch.manual_seed(seed)
    config = MusicgenMelodyConfig(text_encoder=text, audio_encoder=codec,
                                  decoder=MusicgenMelodyDecoderConfig(**decoder), num_chroma=12, chroma_length=40)
    model = MusicgenMelodyForConditionalGeneration(config).eval()
    _randomise(model)
    _generation(model)
    model.save_pretrained(folder)
    # The feature extractor's settings, as the real checkpoint's preprocessor_config.json holds them.
    (folder / "preprocessor_config.json").write_text(json.dumps({
        "feature_extractor_type": "MusicgenMelodyFeatureExtractor", "feature_size": 12, "num_chroma": 12,
        "sampling_rate": SAMPLE_RATE, "hop_length": 512, "n_fft": 1024, "chunk_length": 30}))
    return folder
