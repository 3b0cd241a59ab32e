"""The MusicGen composer on tiny random MusicGen and MusicGen-melody models built from configs, saved to a
folder and loaded by path (tests/musicgen_models.py): the decode loop against plain transformers, the fast
CPU path's agreement, seeds, progress, continuation past one window, the melody condition, batching,
streaming and mastering, and the CLI. The music is noise; what is checked is what the engine promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf
import torch

from melodify.brief.engines.embedded import RuleBriefer
from melodify.compose.engines.musicgen import MusicgenComposer
from melodify.compose.musicgen import attend, decode, fast, native
from melodify.compose.musicgen import generate as gen
from melodify.compose.musicgen.batching import Batcher
from melodify.compose.musicgen.chroma import score_chroma
from melodify.compose.musicgen.decode import Sampling, generate_codes
from melodify.compose.musicgen.fast import AGREEMENT, Int8Linear, agreement, agrees
from melodify.compose.musicgen.generate import Job, generate
from melodify.compose.musicgen.joins import measure
from melodify.compose.musicgen.model import load
from melodify.compose.theory import pitch_class, scale_of
from melodify.engines import EngineChoice, check_choice, get_spec
from melodify.errors import InvalidOption
from melodify.samples import photo_bytes
from tests import musicgen_models, tiny_models
from tests.kernel_builds import kernel_builds
from tests.factories import reading

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}   # the subprocess runs this checkout's code


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-musicgen")
    return {"musicgen": musicgen_models.musicgen(root / "musicgen"),
            "melody": musicgen_models.musicgen_melody(root / "musicgen-melody")}


@pytest.fixture(scope="module")
def exact(folders):
    return {kind: load(str(folder), "cpu", "fp32") for kind, folder in folders.items()}


@pytest.fixture(scope="module")
def composer(folders):
    return MusicgenComposer(model=str(folders["musicgen"]), device="cpu")


def brief(seed: int = 1, duration: float = 5.0, **measures):
    return RuleBriefer().write(reading("a night sea", **measures), seed=seed, duration=duration)


def transformers_logits(loaded, texts, codes):
    """Plain transformers' guided-batch logits (rows, codebooks, positions, vocab) for teacher-forced codes."""
    net, tok = loaded.net, loaded.tokenizer
    inputs = tok(texts, padding=True, return_tensors="pt")
    mask = torch.cat([inputs.attention_mask, torch.zeros_like(inputs.attention_mask)])
    rows, positions = 2 * len(texts), codes.shape[-1]
    with torch.inference_mode():
        states = net.text_encoder(**inputs).last_hidden_state
        if loaded.melody:
            states = net.enc_to_dec_proj(states) if hasattr(net, "enc_to_dec_proj") else states
            states = torch.cat([states, torch.zeros_like(states)]) * mask[..., None]
            null = torch.zeros(rows, 1, 12)
            null[:, :, 0] = 1
            melody = net.audio_enc_to_dec_proj(null).repeat(1, net.config.chroma_length, 1)
            out = net.decoder(input_ids=codes.repeat(2, 1, 1).reshape(-1, positions),
                              encoder_hidden_states=torch.cat([melody, states], 1))
            return out.logits.reshape(rows, 4, -1, out.logits.shape[-1])[:, :, -positions:]
        out = net(encoder_outputs=(torch.cat([states, torch.zeros_like(states)]),), attention_mask=mask,
                  decoder_input_ids=codes.repeat(2, 1, 1).reshape(-1, positions))
        return out.logits.reshape(rows, 4, positions, -1)


def our_logits(loaded, texts, codes):
    d = loaded.decoder
    start = d.begin(loaded.condition(texts, None, 3.0), 2 * len(texts), codes.shape[-1])
    steps = [d.logits(d.run(d.embed_codes(codes[:, :, p:p + 1].repeat(2, 1, 1)), start + p))
             for p in range(codes.shape[-1])]
    return torch.stack(steps, dim=2)


def random_codes(jobs: int = 2, positions: int = 12, seed: int = 0) -> torch.Tensor:
    codes = torch.randint(0, musicgen_models.CODEBOOK, (jobs, 4, positions), generator=torch.Generator().manual_seed(seed))
    codes[:, :, 0] = musicgen_models.CODEBOOK   # the start token
    return codes


TEXTS = ["calm piano at night", "loud drums and bass"]


@pytest.mark.parametrize("kind", ["musicgen", "melody"])
def test_our_decode_loop_steps_to_the_same_logits_as_transformers(exact, kind):
    loaded = exact[kind]
    codes = random_codes()
    theirs, ours = transformers_logits(loaded, TEXTS, codes), our_logits(loaded, TEXTS, codes)
    assert torch.allclose(ours, theirs, atol=1e-4), (ours - theirs).abs().max()


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_the_unconditioned_twins_skip_the_text_and_the_logits_do_not_move(folders, monkeypatch, precision):
    """Their text states are zeros and MusicGen's attention has no biases: the text adds exactly nothing to
    them, so only the conditioned rows ask it (half the rows through cross-attention's layers). int8 gives a
    row the same bits in any batch; float32's matmuls may round the last bit otherwise at other row counts."""
    loaded, codes = load(str(folders["musicgen"]), "cpu", precision), random_codes()
    seen = []
    hook = loaded.decoder.layers[0].encoder_attn.q_proj.register_forward_hook(lambda m, a, out: seen.append(len(a[0])))
    skipped = our_logits(loaded, TEXTS, codes)
    hook.remove()
    monkeypatch.setattr(decode, "heard_rows", lambda states, attentions: len(states))
    every = our_logits(loaded, TEXTS, codes)
    assert set(seen) == {len(TEXTS)}
    assert torch.equal(every, skipped) if precision == "int8" else torch.allclose(every, skipped, rtol=0, atol=1e-5)


def test_rows_of_zero_text_are_skipped_only_where_no_layer_has_a_bias_to_give_them():
    states = torch.cat([torch.randn(2, 3, 8), torch.zeros(2, 3, 8)])
    plain = SimpleNamespace(v_proj=torch.nn.Linear(8, 8, bias=False), out_proj=torch.nn.Linear(8, 8, bias=False))
    biased = SimpleNamespace(v_proj=torch.nn.Linear(8, 8), out_proj=plain.out_proj)
    quantised = SimpleNamespace(**{name: torch.ao.nn.quantized.dynamic.Linear(8, 8, bias_=False)
                                   for name in ("v_proj", "out_proj")})   # its bias is a method
    assert decode.heard_rows(states, [plain, quantised]) == 2
    assert decode.heard_rows(states, [plain, biased]) == 4
    assert decode.heard_rows(torch.zeros(2, 3, 8), [plain]) == 0


def test_greedy_decoding_makes_the_same_audio_as_transformers_generate(exact):
    loaded = exact["musicgen"]
    inputs = loaded.tokenizer(TEXTS[:1], return_tensors="pt")
    with torch.inference_mode():
        theirs = loaded.net.generate(**inputs, do_sample=False, guidance_scale=3.0, max_new_tokens=20)
    frames = theirs.shape[-1] // int(np.prod(musicgen_models.HOP))
    codes = generate_codes(loaded.decoder, loaded.condition(TEXTS[:1], None, 3.0), frames=[frames],
                           generators=[torch.Generator()], sampling=Sampling(temperature=0))
    ours = loaded.decode(codes[0][None])
    assert ours.shape == theirs.shape and torch.allclose(ours, theirs, atol=1e-5)


@pytest.mark.parametrize("precision,kind", [("int8", "musicgen"), ("int8", "melody"), ("bf16", "musicgen")])
def test_the_fast_cpu_paths_next_token_distributions_agree_with_plain_transformers(folders, exact, precision, kind):
    fast = load(str(folders[kind]), "cpu", precision)
    codes = random_codes(positions=24)
    reference = transformers_logits(exact[kind], TEXTS, codes)
    got = our_logits(fast, TEXTS, codes)
    guided = lambda x: x[2:] + (x[:2] - x[2:]) * 3.0   # noqa: E731
    kl, overlap = agreement(guided(reference).transpose(1, 2), guided(got).transpose(1, 2), top_k=10)
    assert fast.precision == precision
    assert agrees(kl, overlap, AGREEMENT.__class__(kl=AGREEMENT.kl, top_k=10, overlap=AGREEMENT.overlap)), (kl, overlap)


def test_int8_quantises_every_linear_layer_a_step_reads_and_keeps_cross_attention_keys_in_float32(folders):
    lm = load(str(folders["musicgen"]), "cpu", "int8").net.decoder
    layer, hidden = lm.model.decoder.layers[0], lm.config.hidden_size
    assert isinstance(layer.encoder_attn.k_proj, torch.nn.Linear) and isinstance(layer.encoder_attn.v_proj, torch.nn.Linear)
    quantised = [layer.self_attn.qkv, layer.self_attn.out_proj, layer.encoder_attn.q_proj, layer.encoder_attn.out_proj,
                 layer.fc1, layer.fc2, *lm.lm_heads]
    assert all(isinstance(m, Int8Linear) for m in quantised)
    # layers that share an input are one: queries, keys and values; the codebooks' heads
    assert layer.self_attn.qkv.splits == [hidden] * 3 and not hasattr(layer.self_attn, "q_proj")
    assert len(lm.lm_heads) == 1 and lm.lm_heads[0].splits == [lm.config.vocab_size] * lm.config.num_codebooks


def test_a_model_loaded_on_the_cpu_builds_its_kernels_before_its_first_job(folders, monkeypatch):
    asked = []
    monkeypatch.setattr(native, "prepare", lambda: asked.append(native.KERNELS))
    load(str(folders["musicgen"]), "cpu", "fp32")
    assert asked == [("linear8", "attend", "codec")]


@pytest.mark.parametrize("kernel", ["linear8.cpp", "torch's fbgemm (no compiler)"])
def test_an_int8_layer_gives_a_row_the_same_bits_alone_as_in_any_batch(kernel, monkeypatch):
    if kernel == "linear8.cpp":
        assert native.build("linear8") is not None, "the kernel builds on this machine (it has a C++ compiler)"
    else:
        monkeypatch.setattr(native, "build", lambda stem: None)
    g = torch.Generator().manual_seed(0)
    parts = [torch.nn.Linear(65, 96), torch.nn.Linear(65, 13, bias=False)]   # odd widths: padded pairs, blocks
    norm = torch.nn.LayerNorm(65)
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5, generator=g)
        norm.bias.uniform_(-0.5, 0.5, generator=g)
    quantised = Int8Linear(*parts)
    assert (quantised.kernel is not None) == (kernel == "linear8.cpp")
    rows = torch.randn(11, 1, 65, generator=g) * torch.arange(1, 12)[:, None, None]   # 11: tiles of 8, 2 and 1
    with torch.inference_mode():
        together, normed = quantised(rows), quantised(rows, norm)
        for i in range(11):
            assert torch.equal(quantised(rows[i:i + 1]), together[i:i + 1])
            assert torch.equal(quantised(rows[i:i + 1], norm), normed[i:i + 1])
        activated = quantised(rows, norm, gelu=True)
        for got, x, act in ((together, rows, False), (normed, norm(rows), False), (activated, norm(rows), True)):
            exact = torch.cat([part(x) for part in parts], dim=-1)
            exact = torch.nn.functional.gelu(exact) if act else exact
            assert torch.allclose(got, exact, atol=0.02 * exact.abs().max().item()), (got - exact).abs().max()


def test_every_build_of_the_int8_kernel_computes_the_same_layer(monkeypatch):
    g = torch.Generator().manual_seed(1)
    parts = [torch.nn.Linear(1030, 70), torch.nn.Linear(1030, 35)]   # widths that are not whole groups or blocks
    rows = torch.randn(21, 1030, generator=g) * 3   # 21: VNNI's tiles of 8, 4 and 1; AMX's of 16 and 5
    norm = torch.nn.LayerNorm(1030)
    build, results, layouts = native.build, {}, {}
    for path, isa in kernel_builds().items():
        assert build("linear8", isa) is not None, f"linear8.cpp builds with {' '.join(isa)} on this machine"
        monkeypatch.setattr(native, "build", lambda stem, isa=isa: build(stem, isa))
        layer = Int8Linear(*parts)   # packed in that build's layout
        layouts[path] = layer.kernel.layout()
        with torch.inference_mode():
            results[path] = torch.cat([layer(rows), layer(rows, norm, gelu=True)])
    reference = results["native"]
    for path, got in results.items():   # exact integer sums: only the float epilogue may round differently
        assert torch.allclose(got, reference, rtol=1e-5, atol=1e-6 * reference.abs().max().item()), path
    assert layouts.get("plain", (8, 2, 1)) == layouts.get("AVX2", (8, 2, 1)) == (8, 2, 1)
    assert layouts.get("AVX-512 VNNI", (16, 4, 16)) == (16, 4, 16)


def test_the_int8_kernels_gelu_is_torchs_to_float32_precision():
    identity = torch.nn.Linear(1, 1)   # one input: its row's range is a point, so the layer passes it on
    with torch.no_grad():
        identity.weight.fill_(1.0)
        identity.bias.zero_()
    layer = Int8Linear(identity)
    x = torch.linspace(-9, 9, 20001)[:, None]
    with torch.inference_mode():
        passed = layer(x)
        assert torch.allclose(passed, x, atol=1e-6)
        assert torch.allclose(layer(x, gelu=True), torch.nn.functional.gelu(passed), atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("head_dim", [64, 8])   # 64: musicgen's heads, the vectorised path; 8: the plain loop
def test_the_cpu_attention_step_matches_torchs_and_gives_a_row_the_same_bits_alone_as_in_a_batch(head_dim):
    assert attend.kernel() is not None, "the kernel builds on this machine (it has a C++ compiler)"
    g = torch.Generator().manual_seed(0)
    rows, heads, length, end = 4, 3, 40, 33
    q = torch.randn(rows, heads, 1, head_dim, generator=g)
    keys, values = (torch.randn(rows, heads, length, head_dim, generator=g) for _ in range(2))
    lengths = torch.tensor([33, 5, 1, 20])
    mask = (torch.arange(length) < lengths[:, None])[:, None, None, :]
    torch_out = torch.nn.functional.scaled_dot_product_attention(q, keys[:, :, :end], values[:, :, :end])
    masked = torch.nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask=mask)
    ours = attend.step(q, keys, values, end)
    assert torch.allclose(ours, torch_out.transpose(1, 2).reshape(rows, 1, -1), atol=1e-5)
    assert torch.allclose(attend.step(q, keys, values, length, lengths), masked.transpose(1, 2).reshape(rows, 1, -1),
                          atol=1e-5)
    half = attend.step(q, keys.bfloat16(), values.bfloat16(), end)
    assert torch.allclose(half, ours, atol=0.02) and not torch.equal(half, ours)
    # the int8 path's cache: written through store (a position, then a chunk), read with its scales
    flat = lambda x: x.transpose(1, 2).reshape(rows, -1, heads * head_dim)   # noqa: E731 - as the projections give them
    scales = torch.zeros(2, rows, heads, length)
    int8_keys, int8_values = (torch.zeros(rows, heads, length, head_dim, dtype=torch.int8) for _ in range(2))
    for cache, scale, x in ((int8_keys, scales[0], keys), (int8_values, scales[1], values)):
        attend.store(flat(x[:, :, :1]), cache, scale, 0)
        attend.store(flat(x[:, :, 1:]), cache, scale, 1)
        assert torch.allclose(cache.float() * scale[..., None], x, atol=x.abs().max().item() / 254 + 1e-6)
    quarter = attend.step(q, int8_keys, int8_values, end, scales=(scales[0], scales[1]))
    assert torch.allclose(quarter, ours, atol=0.05)
    for i in range(rows):
        alone = attend.step(q[i:i + 1], keys[i:i + 1], values[i:i + 1], end)
        assert torch.equal(alone, ours[i:i + 1])
        alone = attend.step(q[i:i + 1], int8_keys[i:i + 1], int8_values[i:i + 1], end,
                            scales=(scales[0, i:i + 1], scales[1, i:i + 1]))
        assert torch.equal(alone, quarter[i:i + 1])
    assert torch.equal(attend.prefix_lengths(mask), lengths) and attend.prefix_lengths(~mask) is None


def test_every_build_of_the_attention_kernel_reads_the_int8_cache_as_torch_reads_it_made_float():
    """The int8 cache read four ways where this CPU runs them: plain loops, AVX2 and AVX-512 in float32, and
    VNNI's integer sums (q and the weights in 16 bits, the sums moved to float every 64 pairs). Each against
    torch's attention over the same cache made float again, to 1e-3 of the largest output: far inside the
    cache's own rounding (1/254 of a head's largest value), where a wrong lane, pair or scale is off by the
    values' own size. 290 positions: whole blocks of 16 and a ragged one, more than 64 pairs, an odd end."""
    g = torch.Generator().manual_seed(5)
    rows, heads, length, dim = 3, 4, 300, 64
    q = torch.randn(rows, heads, 1, dim, generator=g) * 3
    x = [torch.randn(rows, length, heads * dim, generator=g) * s for s in (1.0, 2.0)]
    caches = [torch.zeros(rows, heads, length, dim, dtype=torch.int8) for _ in range(2)]
    scales = [torch.zeros(rows, heads, length) for _ in range(2)]
    for xi, cache, scale in zip(x, caches, scales):
        attend.store(xi, cache, scale, 0)
    keys, values = (c.float() * s[..., None] for c, s in zip(caches, scales))
    lengths = torch.tensor([290, 17, 1])
    mask = (torch.arange(length) < lengths[:, None])[:, None, None, :]
    expected = torch.nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask=mask).reshape(rows * heads, dim)
    for path, isa in kernel_builds(float_avx512=True).items():
        kernel = native.build("attend", isa)
        assert kernel is not None, f"attend.cpp builds with {' '.join(isa)} on this machine"
        got = kernel.attend(q.reshape(rows * heads, dim), caches[0].view(rows * heads, length, dim),
                            caches[1].view(rows * heads, length, dim), length, lengths,
                            scales[0].view(rows * heads, length), scales[1].view(rows * heads, length))
        assert (got - expected).abs().max() <= 1e-3 * expected.abs().max(), path


def test_a_sharp_head_attends_as_torchs_and_the_callers_subnormals_are_left_alone():
    """Scores spread by hundreds of nats: most weights fall under float32's smallest normal, which the kernel
    flushes to zero (a subnormal product costs a microcode assist) on its own threads only."""
    g = torch.Generator().manual_seed(3)
    q = torch.randn(2, 4, 1, 64, generator=g) * 30
    keys, values = (torch.randn(2, 4, 50, 64, generator=g) for _ in range(2))
    weights = torch.softmax((q @ keys.transpose(-1, -2)) / 8, dim=-1)
    assert ((weights > 0) & (weights < torch.finfo(torch.float32).tiny)).any(), "the scores make subnormal weights"
    expected = torch.nn.functional.scaled_dot_product_attention(q, keys, values)
    assert torch.allclose(attend.step(q, keys, values, 50), expected.transpose(1, 2).reshape(2, 1, -1), atol=1e-5)
    assert (torch.tensor([1e-40]) * 2).item() > 0, "subnormals still exist on the caller's thread"


def test_int8_jobs_in_one_batch_get_the_same_codes_as_alone_with_their_seeds(folders):
    fast = load(str(folders["musicgen"]), "cpu", "int8")
    jobs = [("calm piano", 20, 1), ("loud drums and bass", 14, 2), ("a slow waltz", 26, 3)]

    def codes(batch):
        condition = fast.condition([text for text, _, _ in batch], None, 3.0)
        return generate_codes(fast.decoder, condition, frames=[n for _, n, _ in batch],
                              generators=[torch.Generator().manual_seed(seed) for _, _, seed in batch],
                              sampling=Sampling())

    together = codes(jobs)
    for job, got in zip(jobs, together):
        assert torch.equal(codes([job])[0], got), job


def test_the_cpu_default_is_the_fast_path_that_agreed_and_frames_per_second_come_from_the_codec(composer):
    loaded = composer.loaded
    assert loaded.precision == "int8" and loaded.device == "cpu"
    assert loaded.frame_rate == 12.5 and loaded.sample_rate == musicgen_models.SAMPLE_RATE   # 8000 / 640
    assert loaded.frames(2.0) == 25


@pytest.mark.parametrize("vnni", [True, False])
def test_without_a_compiler_int8_is_the_default_only_where_torchs_kernel_keeps_8_bit_activations(vnni, monkeypatch):
    monkeypatch.setattr(native, "build", lambda stem: None)
    monkeypatch.setattr(fast, "vnni", lambda: vnni)
    assert fast.cpu_default() == ("int8" if vnni else "bf16")


def test_a_seed_gives_the_same_music_and_another_seed_other_music(exact):
    loaded = exact["musicgen"]
    one, again, other = (generate(loaded, [Job("calm piano", 1.5, seed)])[0].audio for seed in (5, 5, 6))
    assert np.array_equal(one, again) and not np.array_equal(one, other)
    assert abs(len(one) / musicgen_models.SAMPLE_RATE - 1.5) < 0.1


def test_progress_moves_with_every_decoding_step_and_ends_at_the_end(composer):
    seen: list[tuple[str, float]] = []
    composer.compose(brief(duration=5.0), progress=lambda stage, f: seen.append((stage, f)))
    fractions = [f for stage, f in seen]
    assert {stage for stage, _ in seen} == {"compose"}
    assert len(fractions) >= composer.loaded.frames(5.0)          # one report per step, at least
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(0.95)


def test_a_piece_longer_than_a_window_continues_and_its_joins_cannot_be_heard(exact):
    made = generate(exact["musicgen"], [Job("calm piano", 40.0, 3)])[0]
    assert abs(len(made.audio) / made.sample_rate - 40.0) < 0.2
    assert len(made.joins) == 1 and 29 < made.joins[0] < 31              # a second window from 30 s on
    join = measure(made.audio, made.sample_rate, made.joins[0])
    assert join.level_jump_db < 3.0 and join.click < 1.5, join


def test_the_continuation_prompt_is_the_first_windows_last_codes(exact, monkeypatch):
    prompts = []
    real = gen.generate_codes

    def spy(*args, **kwargs):
        prompts.append([None if p is None else p.clone() for p in kwargs["prompt"]])
        return real(*args, **kwargs)

    monkeypatch.setattr(gen, "generate_codes", spy)
    generate(exact["musicgen"], [Job("calm piano", 35.0, 3)])
    first_window = exact["musicgen"].frames(gen.WINDOW)
    assert prompts[0] == [None]
    assert prompts[1][0].shape[1] == first_window - exact["musicgen"].frames(gen.STRIDE)


def test_the_melody_condition_reaches_the_model_and_comes_from_the_embedded_score(exact):
    loaded = exact["melody"]
    e_minor = brief(seed=2, duration=5.0)
    chroma = score_chroma(e_minor, loaded.chroma)
    # the score's loudest pitch classes are the brief's key's own
    counts = chroma.sum(0)
    top = set(counts.argsort(descending=True)[:5].tolist())
    assert len(top & {(pitch_class(e_minor.key) + step) % 12 for step in scale_of(e_minor.mode)}) >= 4, (top, e_minor.key, e_minor.mode)
    plain, melodic = (generate(loaded, [Job("calm piano", 2.0, 7, chroma=c)])[0].audio for c in (None, chroma))
    assert not np.array_equal(plain, melodic)      # the same seed and text: only the melody differs


def test_the_melody_composer_passes_its_score_and_masters_like_any_engine(folders, night_sea_jpeg):
    from melodify import pipeline
    from melodify.request import Request

    request = Request(duration=5.0, seed=4, composer=EngineChoice("musicgen", model=str(folders["melody"]),
                                                                  device="cpu"))
    result = pipeline.run(night_sea_jpeg, request)
    audio = result.performance.audio
    assert audio.sample_rate == 44100 and audio.channels == 2 and abs(audio.duration - 5.0) < 0.05
    assert result.performance.engine == "musicgen" and result.performance.score is None
    assert result.credits[2].licence.name == "CC-BY-NC-4.0" and result.credits[2].licence.commercial is False
    assert "midi" not in result.formats


def test_concurrent_jobs_are_made_in_one_batch_each_with_its_own_seed_text_and_length(exact):
    loaded = exact["musicgen"]
    batcher = Batcher(lambda jobs: generate(loaded, jobs), max_batch=4, max_wait=2.0)
    jobs = [Job("calm piano", 1.0, 1), Job("calm piano", 1.0, 1), Job("loud drums", 2.0, 2)]
    results: dict[int, np.ndarray] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, batcher.submit(jobs[i]).audio))
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert batcher.batches == [3]
    rate = musicgen_models.SAMPLE_RATE
    assert [round(len(results[i]) / rate) for i in range(3)] == [1, 1, 2]
    assert np.array_equal(results[0], results[1]) and not np.array_equal(results[0], results[2][:len(results[0])])
    alone = generate(loaded, [jobs[2]])[0].audio      # a batch mate does not change a job's music
    assert np.allclose(alone, results[2], atol=1e-4)


def test_a_failing_batch_tells_every_job_why(exact):
    def broken(jobs):
        raise RuntimeError("out of memory")

    batcher = Batcher(broken, max_batch=2, max_wait=0.0)
    with pytest.raises(RuntimeError, match="out of memory"):
        batcher.submit(Job("x", 1.0, 1))


def test_a_closed_batcher_makes_what_was_queued_then_its_thread_ends_and_it_takes_no_more():
    batcher = Batcher(lambda jobs: [job * 2 for job in jobs], max_batch=2, max_wait=0.0)
    assert batcher.submit(21) == 42
    thread = batcher._thread
    batcher.close()
    assert not thread.is_alive()        # the thread, and the model its `run` holds, are gone
    with pytest.raises(RuntimeError, match="closed"):
        batcher.submit(1)


def test_the_first_seconds_stream_while_the_rest_is_made(composer):
    chunks: list[tuple[int, float]] = []
    progress = [0.0]
    performance = composer.compose(brief(duration=6.0), progress=lambda s, f: progress.__setitem__(0, f),
                                   on_audio=lambda samples, rate: chunks.append((len(samples), progress[0])))
    assert len(chunks) >= 3
    assert chunks[0][1] < 0.5                               # the first chunk came before half was made
    streamed = sum(n for n, _ in chunks) / musicgen_models.SAMPLE_RATE      # chunks come at the codec's rate
    assert abs(streamed - performance.audio.duration) < 0.1


def test_compose_cli_makes_an_mp3_with_a_musicgen_folder_and_says_it_is_non_commercial(folders, tmp_path):
    """Nor does it pass on transformers' notice that MusicGen's start token is outside its vocabulary (by
    design: its embeddings have a row for it), which every checkpoint would print."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_bytes("night-sea", size=(320, 240)))
    proc = subprocess.run([sys.executable, "-m", "melodify", "compose", str(photo), "--composer", "musicgen",
                           "--composer-model", str(folders["musicgen"]), "--duration", "5", "-o", "song.mp3",
                           "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "within the vocabulary" not in proc.stderr, proc.stderr
    data, rate = sf.read(tmp_path / "song.mp3")
    assert rate == 44100 and abs(len(data) / rate - 5.0) < 0.06 and np.abs(data).max() > 0.05
    composer = json.loads(proc.stdout)["credits"][2]
    assert composer["engine"] == "musicgen" and composer["licence"] == "CC-BY-NC-4.0"
    assert composer["commercial_use"] is False and composer["terms"] == "for non-commercial use only"


def test_engines_lists_musicgen_with_its_non_commercial_licence(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "melodify", "engines", "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=ENV)
    listed = {(e["stage"], e["name"]): e for e in json.loads(proc.stdout)}
    musicgen = listed["composer", "musicgen"]
    assert musicgen["usable"] and musicgen["credit"]["licence"] == "CC-BY-NC-4.0"
    assert musicgen["credit"]["commercial_use"] is False
    text = subprocess.run([sys.executable, "-m", "melodify", "engines"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=ENV).stdout
    assert "musicgen" in text and "CC-BY-NC-4.0" in text


def test_without_torch_or_transformers_the_error_names_the_install_command(tmp_path):
    code = ("import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
            "from melodify.engines import EngineChoice, check_choice\n"
            "from melodify.errors import NotConfigured\n"
            "try:\n    check_choice('composer', EngineChoice('musicgen'))\n"
            "except NotConfigured as e:\n    print(e.message)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, env=ENV)
    assert "needs torch, transformers, which are not installed; pip install 'melodify[ml]'" in proc.stdout, proc.stderr


def test_a_model_folder_that_does_not_exist_is_named_in_the_error(tmp_path):
    missing = tmp_path / "no-such-musicgen"
    with pytest.raises(InvalidOption) as error:
        check_choice("composer", EngineChoice("musicgen", model=str(missing)))
    assert str(missing) in error.value.message and error.value.code == "model_not_found"
    assert "hub" in error.value.message


def test_a_folder_that_holds_another_kind_of_model_is_refused(tmp_path):
    folder = tiny_models.causal_lm(tmp_path / "llama")
    with pytest.raises(InvalidOption) as error:
        MusicgenComposer(model=str(folder), device="cpu")
    assert "'llama' model, not a MusicGen model" in error.value.message


def test_the_registry_row_carries_the_licence_and_the_ml_extra():
    spec = get_spec("composer", "musicgen")
    assert spec.extra == "ml" and spec.licence.commercial is False and spec.licence.name == "CC-BY-NC-4.0"
    assert spec.credit("facebook/musicgen-melody").licence.terms == "for non-commercial use only"
