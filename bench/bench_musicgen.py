"""MusicGen's speed on this machine: the real musicgen-small architecture built from its config with random
weights (speed does not depend on the weights' values; nothing is downloaded).

    nice -n 10 python bench/bench_musicgen.py [--steps 60] [--batch-seconds 10] [--jobs 20] [--codec-only]

Prints, in one run: the codec's decode (codes -> audio) in transformers beside ours (codec.py), for one
`--batch-seconds` job and 4 at once, their max difference, and each one's peak memory for a
`--memory-seconds` job; ms per decoding step (batch 1, guidance as a batch of 2) for plain transformers
`generate` in float32 beside our decode loop in fp32, bf16, int8 (ours) and torch-int8 (torch's own
quantize_dynamic, for comparison); the next-token agreement of each
fast path with float32 (mean KL, top-50 overlap) and the threshold (melodify.compose.musicgen.fast);
a decoding step's self-attention at 8 rows over the int8 cache (attend.cpp), with ordinary scores and with
sharp heads whose far-off weights are subnormal floats; the batching ratio (4 concurrent jobs through the
engine's Batcher vs one, best of `--repeats` turns each, in a process of its own where torch works only on
the batcher's thread, as in a worker); and resident memory over `--jobs` short jobs. Goals: >= 6x per step (aim 10x), batching <= 1.5x, memory flat.
"""

from __future__ import annotations

import argparse
import functools
import copy
import resource
import subprocess  # nosec B404 - this script, run again
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from melodify.compose.musicgen import attend  # noqa: E402
from melodify.compose.musicgen.batching import Batcher  # noqa: E402
from melodify.compose.musicgen.decode import Sampling, generate_codes  # noqa: E402
from melodify.compose.musicgen.fast import AGREEMENT, PRECISIONS, agreement, agrees, cpu_default  # noqa: E402
from melodify.compose.musicgen.generate import Job, generate  # noqa: E402
from melodify.compose.musicgen.model import Loaded  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - each figure shows as soon as it is measured


def musicgen_small():
    """facebook/musicgen-small's architecture: a t5-base text encoder, EnCodec at 32 kHz and 50 frames a
    second with 4 codebooks of 2048, and a decoder of 24 layers, 1024 wide, 16 heads."""
    from transformers import EncodecConfig, MusicgenConfig, MusicgenDecoderConfig, MusicgenForConditionalGeneration, T5Config

    text = T5Config(vocab_size=32128, d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_heads=12,
                    relative_attention_num_buckets=32, dropout_rate=0.1, feed_forward_proj="relu")
    codec = small_codec()
    decoder = MusicgenDecoderConfig(vocab_size=2048, num_codebooks=4, hidden_size=1024, num_hidden_layers=24,
                                    num_attention_heads=16, ffn_dim=4096, max_position_embeddings=2048,
                                    activation_function="gelu", dropout=0.1, pad_token_id=2048, bos_token_id=2048)
    torch.manual_seed(0)
    net = MusicgenForConditionalGeneration(MusicgenConfig(text_encoder=text, audio_encoder=codec, decoder=decoder))
    net.generation_config.update(do_sample=True, guidance_scale=3.0, top_k=250, max_length=1500, pad_token_id=2048,
                                 decoder_start_token_id=2048, bos_token_id=2048)
    with torch.no_grad():   # random heads give flat logits: widen them so agreement is measured on peaked ones
        for head in net.decoder.lm_heads:
            head.weight.normal_(0.0, 0.1)
    return net.eval()


def small_codec():
    """musicgen-small's EnCodec config (facebook/encodec_32khz, as transformers' conversion script sets it):
    32 kHz, 640 samples a frame, a 2-layer LSTM 1024 wide, residual blocks with identity shortcuts."""
    from transformers import EncodecConfig

    return EncodecConfig(sampling_rate=32000, audio_channels=1, num_filters=64, hidden_size=128,
                         upsampling_ratios=[8, 5, 4, 4], codebook_size=2048, codebook_dim=128,
                         target_bandwidths=[2.2], num_lstm_layers=2, use_causal_conv=False, normalize=False,
                         norm_type="weight_norm", pad_mode="reflect", compress=2, trim_right_ratio=1.0,
                         use_conv_shortcut=False)


def small_encodec():
    """musicgen-small's codec alone, random weights and codebooks (zero codebooks would decode silence)."""
    from transformers import EncodecModel

    torch.manual_seed(0)
    codec = EncodecModel(small_codec()).eval()
    with torch.no_grad():
        for layer in codec.quantizer.layers:
            layer.codebook.embed.normal_(0.0, 1.0)
    return codec


def codec_codes(jobs: int, seconds: float) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    return [torch.randint(0, 2048, (4, round(seconds * 50)), generator=generator) for _ in range(jobs)]


def codec_timing(repeats: int, seconds: float) -> None:
    """transformers' EnCodec decode beside ours (codec.py), one job and 4 at once, best of `repeats` in turns."""
    from melodify.compose.musicgen.codec import FastDecoder

    codec = small_encodec()
    ours, codes = FastDecoder(codec), codec_codes(4, seconds)

    def theirs(jobs: list[torch.Tensor]) -> torch.Tensor:
        with torch.inference_mode():
            return codec.decode(torch.stack(jobs)[None], audio_scales=[None]).audio_values

    runs = {"transformers, 1 job": lambda: theirs(codes[:1]), "ours, 1 job": lambda: ours.decode(codes[:1]),
            "transformers, 4 jobs": lambda: theirs(codes), "ours, 4 jobs": lambda: ours.decode(codes)}
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    reference, mine = theirs(codes), torch.stack(ours.decode(codes))
    print(f"codec decode, {seconds:g} s jobs, best of {repeats}: "
          f"1 job transformers {best['transformers, 1 job']:.2f} s, ours {best['ours, 1 job']:.2f} s "
          f"({best['transformers, 1 job'] / best['ours, 1 job']:.1f}x); "
          f"4 jobs transformers {best['transformers, 4 jobs']:.2f} s, ours {best['ours, 4 jobs']:.2f} s "
          f"({best['transformers, 4 jobs'] / best['ours, 4 jobs']:.1f}x; ours 4 jobs / 1 job "
          f"{best['ours, 4 jobs'] / best['ours, 1 job']:.2f}x); max |difference| "
          f"{(reference - mine).abs().max().item() / reference.abs().max().item():.1e} of the peak")


def codec_memory(which: str, seconds: float) -> None:
    """Peak resident memory a decode adds, in a process of its own (the peak is the process's)."""
    from melodify.compose.musicgen.codec import FastDecoder, TransformersDecoder

    codec = small_encodec()
    decoder = FastDecoder(codec) if which == "ours" else TransformersDecoder(codec)
    codes = codec_codes(1, seconds)
    before = rss_mb()
    decoder.decode(codes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"codec decode, one {seconds:g} s job, {which}: peak memory {peak - before:.0f} MB over the model")


def codec(repeats: int, seconds: float, memory_seconds: float) -> None:
    codec_timing(repeats, seconds)
    for which in ("transformers", "ours"):
        subprocess.run([sys.executable, __file__, "--codec-memory", which, "--memory-seconds", str(memory_seconds)],
                       check=True)


PATHS = ("fp32", "bf16", "int8", "torch-int8")   # torch-int8: torch's quantize_dynamic, 7-bit activations


def torch_int8(net, tok) -> Loaded:
    """The decoder's every linear layer through torch's own quantize_dynamic (what int8 was before)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.ao.quantization.quantize_dynamic(net.decoder, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    return Loaded(net, tok, model="musicgen-small", device="cpu", precision="fp32")


def tokenizer():
    from tests.tiny_models import tokenizer as tiny

    return tiny(Path(tempfile.mkdtemp()))


PROMPT = "calm ambient piano with soft pads, 70 bpm, E minor"


def plain_run(net, tok, steps: int):
    inputs = tok([PROMPT], return_tensors="pt")

    def run() -> None:
        with torch.inference_mode():
            net.generate(**inputs, max_new_tokens=steps)
    return run


def loop_run(loaded: Loaded, steps: int):
    condition = loaded.condition([PROMPT], None, 3.0)

    def run() -> None:
        generate_codes(loaded.decoder, condition, frames=[steps - 4], generators=[torch.Generator().manual_seed(0)],
                       sampling=Sampling())
    return run


def best_ms(runs: dict, steps: int, repeats: int) -> dict[str, float]:
    """ms per step of each run, the best of `repeats` taken in turns, so a busy moment on a shared machine
    slows every path alike rather than one."""
    for run in runs.values():
        run()   # warm
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], (time.perf_counter() - start) / steps * 1000)
    return best


def guided_logits(loaded: Loaded, tokens: torch.Tensor) -> torch.Tensor:
    """Guided logits (positions, codebooks, vocab) for a fixed code sequence, teacher-forced."""
    d = loaded.decoder
    start = d.begin(loaded.condition([PROMPT], None, 3.0), 2, tokens.shape[-1] + 1)
    out = []
    for p in range(tokens.shape[-1]):
        logits = d.logits(d.run(d.embed_codes(tokens[:, :, p:p + 1].repeat(2, 1, 1)), start + p))
        out.append(logits[1] + (logits[0] - logits[1]) * 3.0)
    return torch.stack(out)


def attention_timing(repeats: int, rows: int = 8, end: int = 150) -> None:
    """24 layers of musicgen-small's self-attention for one step at `rows` rows and position `end`, over an
    int8 cache; sharp heads (queries 50x larger) put most weights under float32's smallest normal."""
    heads, dim, length = 16, 64, 510
    g = torch.Generator().manual_seed(0)
    caches = [(torch.randint(-127, 128, (rows, heads, length, dim), dtype=torch.int8, generator=g),
               torch.randint(-127, 128, (rows, heads, length, dim), dtype=torch.int8, generator=g),
               torch.rand(rows, heads, length, generator=g) * 0.02, torch.rand(rows, heads, length, generator=g) * 0.02)
              for _ in range(24)]
    q = torch.randn(rows, heads, 1, dim, generator=g)
    times = {"ordinary": [], "sharp": []}
    for _ in range(repeats):
        for name, query in (("ordinary", q), ("sharp", q * 50)):
            start = time.perf_counter()
            for keys, values, key_scales, value_scales in caches:
                attend.step(query, keys, values, end, scales=(key_scales, value_scales))
            times[name].append(time.perf_counter() - start)
    print(f"self-attention, 24 layers x {rows} rows at position {end}, int8 cache, best of {repeats}: ordinary heads "
          f"{min(times['ordinary']) * 1e3:.2f} ms, sharp heads {min(times['sharp']) * 1e3:.2f} ms")


def batching(seconds: float, repeats: int) -> None:
    """One job through the engine's Batcher, then 4 at once, in turns, the best of `repeats` of each; the
    model is built on the batches' thread. The batcher waits as a worker's does by default (0.1 s), which
    a lone job pays too: the four threads start within a millisecond and fill the batch at once."""
    made: dict[str, Loaded] = {}
    batcher = Batcher(lambda jobs: generate(made["int8"], jobs), max_batch=4)
    made["int8"] = batcher.call(lambda: Loaded(musicgen_small(), tokenizer(), model="musicgen-small", device="cpu",
                                               precision="int8"))
    job = lambda seed: Job(text=PROMPT, seconds=seconds, seed=seed)  # noqa: E731
    batcher.submit(Job(text=PROMPT, seconds=0.5, seed=0))   # warm
    ones, fours = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        batcher.submit(job(0))
        ones.append(time.perf_counter() - start)
        threads = [threading.Thread(target=batcher.submit, args=(job(s),)) for s in range(4)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fours.append(time.perf_counter() - start)
    one, four = min(ones), min(fours)
    turns = lambda times: ", ".join(f"{t:.2f}" for t in times)  # noqa: E731
    print(f"batching, int8, best of {repeats}: one {seconds:g} s job {one:.2f} s; 4 concurrent {four:.2f} s "
          f"(batches {sorted(set(batcher.batches[1:]))}) = {four / one:.2f}x (goal <= 1.5x); "
          f"turns: one {turns(ones)}, four {turns(fours)}")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30, help="decoding steps timed per path and turn")
    parser.add_argument("--repeats", type=int, default=3, help="turns per path (the best counts)")
    parser.add_argument("--batch-seconds", type=float, default=10.0, help="seconds of audio per batching job")
    parser.add_argument("--jobs", type=int, default=20, help="jobs for the memory check")
    parser.add_argument("--job-seconds", type=float, default=0.5, help="seconds of audio per memory-check job")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own)")
    parser.add_argument("--batching-only", action="store_true", help=argparse.SUPPRESS)   # main() runs it
    parser.add_argument("--codec-only", action="store_true", help="only the codec line (transformers vs ours)")
    parser.add_argument("--memory-seconds", type=float, default=30.0, help="seconds of the codec memory job")
    parser.add_argument("--codec-memory", choices=("transformers", "ours"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.batching_only:
        return batching(args.batch_seconds, args.repeats)
    if args.codec_memory:
        return codec_memory(args.codec_memory, args.memory_seconds)
    codec(args.repeats, args.batch_seconds, args.memory_seconds)
    if args.codec_only:
        return
    attention_timing(args.repeats)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; building musicgen-small (random weights)...")
    net, tok = musicgen_small(), tokenizer()
    paths = {precision: Loaded(copy.deepcopy(net) if precision != "fp32" else net, tok, model="musicgen-small",
                               device="cpu", precision=precision) for precision in ("bf16", "int8", "fp32")}
    paths["torch-int8"] = torch_int8(copy.deepcopy(net), tok)
    runs = {"plain": plain_run(net, tok, args.steps),
            **{precision: loop_run(loaded, args.steps) for precision, loaded in paths.items()}}
    ms = best_ms(runs, args.steps, args.repeats)
    plain = ms["plain"]
    print(f"{args.steps} steps, best of {args.repeats} taken in turns; 50 steps = 1 s of audio")
    print(f"plain transformers generate, fp32     {plain:7.1f} ms/step   {1000 / plain / 50:5.2f} s audio/s   1.0x")
    for precision in PATHS:
        print(f"own loop + preallocated cache, {precision:10s}  {ms[precision]:7.1f} ms/step   "
              f"{1000 / ms[precision] / 50:5.2f} s audio/s  {plain / ms[precision]:4.1f}x")
    torch.manual_seed(1)
    tokens = torch.randint(0, 2048, (1, 4, 48))
    tokens[:, :, 0] = 2048
    reference = guided_logits(paths["fp32"], tokens)
    print(f"agreement with fp32 over {tokens.shape[-1]} positions x 4 codebooks (threshold: KL <= {AGREEMENT.kl}, "
          f"top-{AGREEMENT.top_k} overlap >= {AGREEMENT.overlap}):")
    passing = ["fp32"]
    for precision in PATHS[1:]:
        kl, overlap = agreement(reference, guided_logits(paths[precision], tokens))
        ok = agrees(kl, overlap)
        passing += [precision] if ok and precision in PRECISIONS else []
        print(f"  {precision:10s}: KL {kl:.4f} nats, top-{AGREEMENT.top_k} overlap {overlap:.3f}  {'passes' if ok else 'FAILS'}")
    best = min(passing, key=lambda p: ms[p])
    print(f"the fastest path that agrees: {best} (the CPU default here: {cpu_default()!r})")
    del paths["fp32"], paths["bf16"], paths["torch-int8"], net, runs
    fast = paths["int8"]

    # in a process of its own, where torch works only on the batches' thread, as in a worker (batching.py)
    subprocess.run([sys.executable, __file__, "--batching-only", "--batch-seconds", str(args.batch_seconds),
                    "--threads", str(args.threads), "--repeats", str(args.repeats)], check=True)

    sizes = []
    for seed in range(args.jobs):
        generate(fast, [Job(text=PROMPT, seconds=args.job_seconds, seed=seed)])
        sizes.append(rss_mb())
    print(f"resident memory over {args.jobs} jobs: first {sizes[0]:.0f} MB, after 5 {sizes[min(4, len(sizes) - 1)]:.0f} MB, "
          f"last {sizes[-1]:.0f} MB, max {max(sizes):.0f} MB")


if __name__ == "__main__":
    main()
