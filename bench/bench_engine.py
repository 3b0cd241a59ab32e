"""Time the embedded engine end to end: a 12-megapixel JPEG to a 15 s MP3.

    python bench/bench_engine.py [--runs 5] [--scene sunset] [--genre lo-fi] [--no-baseline]

Prints the cold first run (imports, SoundFont load, caches) separately, then the median of `runs`
warm runs with each stage's share, then baselines measured in the same process: the previous
approach to each costly stage (pretty_midi.fluidsynth for the render, soundfile's LAME for MP3).
Goal: <= 1 s per track on a 2-core machine, aim 0.3 s. Not a test: speed goals live here.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STAGES = ("read", "brief", "score", "render", "effects", "master", "peaks", "mp3")


def photo(scene: str) -> bytes:
    from melodify.samples import photo_bytes

    return photo_bytes(scene, size=(4000, 3000))


def one_track(image: bytes, genre: str | None, duration: float) -> tuple[dict[str, float], object]:
    """The pipeline's stages called one by one (as melodify.pipeline.run does), each timed."""
    from melodify import pipeline
    from melodify.compose.effects import apply_effects
    from melodify.compose.render import render_score
    from melodify.compose.score import write_score
    from melodify.genres import get_genre
    from melodify.master.encode import encode
    from melodify.master.mastering import master_audio
    from melodify.master.peaks import waveform_peaks
    from melodify.request import Request

    times: dict[str, float] = {}

    def timed(stage, fn, *args, **kwargs):
        start = time.perf_counter()
        value = fn(*args, **kwargs)
        times[stage] = time.perf_counter() - start
        return value

    request = pipeline.resolve_seed(Request(genre=genre, duration=duration), image)
    reading = timed("read", pipeline.read_photo, image)
    brief = timed("brief", pipeline.write_brief, reading, request)
    score = timed("score", write_score, brief)
    audio, _ = timed("render", render_score, score)
    audio = timed("effects", apply_effects, audio, get_genre(brief.genre), seed=brief.seed)
    audio = timed("master", master_audio, audio, duration=brief.duration)
    timed("peaks", waveform_peaks, audio)
    timed("mp3", encode, audio, "mp3")
    times["total"] = sum(times[s] for s in STAGES)
    return times, (score, audio, brief)


def end_to_end(image: bytes, genre: str | None, duration: float) -> float:
    """melodify.pipeline.run + export, untouched, as the CLI runs it."""
    from melodify.pipeline import export, run
    from melodify.request import Request

    start = time.perf_counter()
    result = run(image, Request(genre=genre, duration=duration))
    export(result, "mp3")
    return time.perf_counter() - start


def baselines(score, audio) -> None:
    import pretty_midi
    import soundfile as sf

    from melodify.compose.midi import score_to_pretty_midi
    from melodify.compose.render import render_score
    from melodify.compose.soundfont import find_soundfont
    from melodify.master.encode import encode

    print("\nbaselines (same process, same track):")
    ours = median_of(3, lambda: render_score(score))
    pm = score_to_pretty_midi(score)
    theirs = median_of(1, lambda: pm.fluidsynth(fs=44100, sf2_path=str(find_soundfont())))
    print(f"  render  pyfluidsynth one pass, stereo  {ours:6.3f} s   "
          f"pretty_midi.fluidsynth (mono, synth per part) {theirs:6.3f} s   x{theirs / ours:.1f}")
    ours = median_of(3, lambda: encode(audio, "mp3"))

    def soundfile_mp3():
        buffer = io.BytesIO()
        sf.write(buffer, audio.samples, audio.sample_rate, format="MP3")
        return buffer

    theirs = median_of(3, soundfile_mp3)
    print(f"  mp3     lameenc q7 192k + LAME tag    {ours:6.3f} s   soundfile (libsndfile LAME)          "
          f"{theirs:6.3f} s   x{theirs / ours:.1f}")
    del pretty_midi


def median_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, times: dict[str, float]) -> None:
    total = times["total"]
    shares = "  ".join(f"{s} {times[s] * 1000:.0f} ms ({times[s] / total:.0%})" for s in STAGES)
    print(f"{label}: {total:.3f} s   {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scene", default="sunset")
    parser.add_argument("--genre", default=None, help="force a genre (default: the briefer picks)")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()

    image = photo(args.scene)
    print(f"photo: {args.scene}, 4000x3000 JPEG, {len(image) / 1e6:.1f} MB; {args.duration:g} s track")
    cold, (score, audio, brief) = one_track(image, args.genre, args.duration)
    print(f"genre {brief.genre}, {len(score.parts)} parts, "
          f"{sum(len(p.notes) for p in score.parts)} notes, tempo {brief.tempo}")
    report("cold first run", cold)
    runs = [one_track(image, args.genre, args.duration)[0] for _ in range(args.runs)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    report(f"median of {args.runs} warm runs", median)
    # On a shared machine the median carries other people's load; the minimum is the engine's own cost.
    report(f"minimum of {args.runs} warm runs", {key: min(run[key] for run in runs) for key in runs[0]})
    whole = [end_to_end(image, args.genre, args.duration) for _ in range(args.runs)]
    print(f"pipeline.run + mp3, median of {args.runs}: {statistics.median(whole):.3f} s "
          f"(min {min(whole):.3f}, max {max(whole):.3f})")
    if not args.no_baseline:
        baselines(score, audio)


if __name__ == "__main__":
    main()
