"""The fast EnCodec decoder (melodify/compose/musicgen/codec.py) against transformers' own decode: on the tiny
MusicGen models and on codec configs varied one setting at a time, at odd lengths; jobs of different
lengths decoded together get the audio each gets alone; a codec it does not cover falls back.

Tolerance: a fraction 1e-5 of the signal's peak. Both sides compute the same float32 products in another
order (oneDNN's convolution against our matmuls), which moves a sample by a few float32 roundings of
sums over at most a few thousand terms, about 1e-6 of the peak; a wrong tap, pad or trim moves samples by
the signal's own size."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from melodify.compose.musicgen import native
from melodify.compose.musicgen.codec import FastDecoder, TransformersDecoder, activate, codec_decoder, together
from melodify.compose.musicgen.model import load
from tests import musicgen_models, tiny_models
from tests.kernel_builds import kernel_builds

TOLERANCE = 1e-5


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-musicgen-codec")
    return {"musicgen": load(str(musicgen_models.musicgen(root / "musicgen")), "cpu", "fp32"),
            "melody": load(str(musicgen_models.musicgen_melody(root / "melody")), "cpu", "fp32")}


def encodec(seed: int = 0, **changes):
    """A tiny EnCodec with random weights, biases and codebooks; not causal, as musicgen's (transformers'
    default is causal)."""
    from transformers import EncodecConfig, EncodecModel

    settings = dict(sampling_rate=8000, audio_channels=1, hidden_size=16, num_filters=4,
                    upsampling_ratios=[5, 4, 2], codebook_size=32, codebook_dim=16, num_lstm_layers=1,
                    target_bandwidths=[24.0], compress=2, use_causal_conv=False)
    torch.manual_seed(seed)
    model = EncodecModel(EncodecConfig(**{**settings, **changes})).eval()
    with torch.no_grad():
        for name, p in model.decoder.named_parameters():
            if "lstm" not in name:
                p.normal_(0.0, 0.5)
        for layer in model.quantizer.layers:
            layer.codebook.embed.normal_(0.0, 1.0)
    return model


def theirs(model, codes: torch.Tensor) -> torch.Tensor:
    """transformers' audio for one job's (codebooks, frames) codes: (channels, samples)."""
    with torch.inference_mode():
        return model.decode(codes[None, None], audio_scales=[None]).audio_values[0]


def random_codes(frames: int, codebooks: int = 4, size: int = 32, seed: int = 1) -> torch.Tensor:
    return torch.randint(0, size, (codebooks, frames), generator=torch.Generator().manual_seed(seed))


def close(ours: torch.Tensor, reference: torch.Tensor) -> bool:
    return ours.shape == reference.shape and bool(
        (ours - reference).abs().max() <= TOLERANCE * reference.abs().max())


@pytest.mark.parametrize("kind", ["musicgen", "melody"])
def test_the_tiny_models_decode_with_ours_to_transformers_audio_at_odd_lengths(loaded, kind):
    model = loaded[kind]
    assert isinstance(model.codec, FastDecoder)
    codec = model.net.audio_encoder
    for frames in (1, 2, 3, 7, 33):
        codes = random_codes(frames)
        ours = model.decode(codes[None])[0]
        assert close(ours, theirs(codec, codes)), frames


CONFIGS = {
    "causal": dict(use_causal_conv=True),
    "causal, trim right half": dict(use_causal_conv=True, trim_right_ratio=0.5),
    "zero padding": dict(pad_mode="constant"),
    "causal, zero padding": dict(use_causal_conv=True, pad_mode="constant"),
    "dilations 1, 3, 9": dict(num_residual_layers=3, dilation_growth_rate=3),
    "shortcut conv": dict(use_conv_shortcut=True),
    "2 LSTM layers": dict(num_lstm_layers=2),
    "no compress, kernels 5": dict(compress=1, residual_kernel_size=5, kernel_size=5, last_kernel_size=5),
    "even kernels": dict(residual_kernel_size=4, kernel_size=4, last_kernel_size=2),
    "causal, even kernels": dict(use_causal_conv=True, residual_kernel_size=4, kernel_size=2),
    "ratios 3, 1, 6": dict(upsampling_ratios=[3, 1, 6]),
    "stereo codec": dict(audio_channels=2),
}


@pytest.mark.parametrize("changes", CONFIGS.values(), ids=CONFIGS.keys())
def test_a_varied_codec_decodes_with_ours_to_transformers_audio(changes):
    model = encodec(**changes)
    decoder = codec_decoder(model)
    assert isinstance(decoder, FastDecoder)
    for frames in (1, 4, 9, 50):
        codes = random_codes(frames)
        (ours,) = decoder.decode([codes])
        assert close(ours, theirs(model, codes)), frames


def test_chunks_of_time_change_nothing(monkeypatch):
    """Long enough that every layer after the LSTM runs in many chunks, each with its neighbours' context."""
    from melodify.compose.musicgen import codec

    model = encodec(num_residual_layers=2, dilation_growth_rate=2)
    codes = random_codes(40)
    monkeypatch.setattr(codec, "CHUNK", 64)
    monkeypatch.setattr(codec, "FEWEST_ROWS", 64)    # 64 rows a chunk
    assert codec.rows_for(16) == 64
    (ours,) = codec_decoder(model).decode([codes])
    assert close(ours, theirs(model, codes))


def test_jobs_batched_through_the_lstm_get_the_states_torch_gives_each_alone():
    """At ragged lengths: a shorter job's padding comes after its frames and never reaches them; a width
    that is not whole vectors of 16."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(24, 24, 2).eval()
    xs = [torch.randn(frames, 24) for frames in (5, 1, 17, 5)]
    with torch.inference_mode():
        for x, states in zip(xs, together(lstm, xs)):
            alone = lstm(x[:, None])[0][:, 0]
            assert states.shape == alone.shape and torch.allclose(states, alone, atol=1e-6)


def test_every_build_of_the_lstm_kernel_is_torchs_lstm_and_a_job_gets_the_same_bits_in_any_batch():
    """Batches of 1 to 9 (the kernel takes rows 4 at a time), units in whole vectors and not, gates driven
    far into saturation and near 0."""
    torch.manual_seed(0)
    for hidden in (32, 40):
        lstm = torch.nn.LSTM(hidden, hidden, 1).eval()
        with torch.no_grad():
            lstm.weight_hh_l0.mul_(4.0)
        w = lstm.weight_hh_l0.detach()
        for path, isa in kernel_builds().items():
            kernel = native.build("codec", isa)
            assert kernel is not None, f"codec.cpp builds with {' '.join(isa)} on this machine"
            for batch in (1, 3, 4, 9):
                x = torch.randn(12, batch, hidden) * 3.0
                with torch.inference_mode():
                    expected = lstm(x)[0]
                    gates = F.linear(x, lstm.weight_ih_l0, lstm.bias_ih_l0 + lstm.bias_hh_l0)
                    got = kernel.lstm(gates.clone(), w.contiguous())   # the kernel adds into its gates
                    alone = kernel.lstm(gates[:, -1:].clone(), w.contiguous())
                assert torch.allclose(got, expected, atol=2e-6), (path, hidden, batch)
                assert torch.equal(got[:, -1:], alone), (path, hidden, batch)


def test_without_a_compiler_the_codec_decodes_the_same_audio_with_torchs_lstm_and_elu(monkeypatch):
    decoder = codec_decoder(encodec(num_lstm_layers=2))
    jobs = [random_codes(frames, seed=frames) for frames in (13, 40)]
    built = decoder.decode(jobs)
    monkeypatch.setattr(native, "build", lambda stem: None)
    for ours, plain in zip(built, decoder.decode(jobs)):
        assert close(ours, plain)


def test_jobs_of_different_lengths_decoded_together_get_the_audio_each_gets_alone(monkeypatch):
    from melodify.compose.musicgen import codec

    decoder = codec_decoder(encodec(num_lstm_layers=2))
    jobs = [random_codes(frames, seed=frames) for frames in (13, 1, 40, 13, 7)]
    batches = []
    batched = codec.together
    monkeypatch.setattr(codec, "together", lambda lstm, xs: batches.append(len(xs)) or batched(lstm, xs))
    together_ = decoder.decode(jobs)
    monkeypatch.setattr(codec, "together", batched)
    assert batches == [5], "the five jobs went through the LSTM as one batch"
    for codes, audio in zip(jobs, together_):
        (alone,) = decoder.decode([codes])
        assert close(audio, alone)


def test_generate_decodes_a_batchs_jobs_in_one_call(loaded, monkeypatch):
    from melodify.compose.musicgen.generate import Job, generate

    model = loaded["musicgen"]
    calls = []
    decode = model.codec.decode
    monkeypatch.setattr(model.codec, "decode", lambda codes: calls.append(len(codes)) or decode(codes))
    made = generate(model, [Job("calm piano", 1.0, 1), Job("loud drums", 2.0, 2)])
    assert calls == [2] and [len(m.audio) for m in made] == [8000, 16000]


def test_stereo_decodes_each_channels_codebooks_as_a_mono_stream(loaded, monkeypatch):
    model = loaded["musicgen"]
    monkeypatch.setattr(model, "channels", 2)
    codes = torch.stack([random_codes(9, codebooks=8, seed=s) for s in (1, 2)])
    audio = model.decode(codes)
    codec = model.net.audio_encoder
    for job, c in enumerate(codes):
        assert close(audio[job, :1], theirs(codec, c[::2])) and close(audio[job, 1:], theirs(codec, c[1::2]))


def test_a_codec_with_another_norm_falls_back_to_transformers_decode():
    model = encodec(norm_type="time_group_norm")
    decoder = codec_decoder(model)
    assert isinstance(decoder, TransformersDecoder)
    jobs = [random_codes(5), random_codes(8, seed=2), random_codes(5, seed=3)]
    for codes, audio in zip(jobs, decoder.decode(jobs)):
        assert torch.allclose(audio, theirs(model, codes), atol=1e-6)


def test_every_build_of_the_elu_kernel_is_torchs_elu_to_float32_precision():
    """Over the whole float range a layer's input takes: large negatives (exp underflows: -1), the tiny ones
    near 0 where exp(x) - 1 keeps its relative precision, positives passed on, at a length that is not whole
    vectors; in place as well."""
    x = torch.cat([torch.linspace(-100, 30, 100_003), -torch.logspace(-30, 0, 1001), torch.logspace(-30, 0, 1001),
                   torch.tensor([0.0, -0.0, -87.3, -88.0, -1e-38])])
    expected = F.elu(x.double())
    tolerance = 1e-7 * expected.abs() + 1e-12
    for path, isa in kernel_builds().items():
        kernel = native.build("codec", isa)
        assert kernel is not None, f"codec.cpp builds with {' '.join(isa)} on this machine"
        out = torch.empty_like(x)
        kernel.elu(x, out)
        assert ((out.double() - expected).abs() <= tolerance).all(), path
    inplace = x.clone()
    assert activate(inplace, inplace=True) is inplace and torch.equal(inplace, activate(x))
