"""Time video scoring and albums with the embedded engines.

    python bench/bench_video.py [--runs 2] [--photos 10] [--no-baseline]

1. A 30 s 1080p H.264 clip (made once with PyAV, kept in the temp folder) scored and muxed: goal <= 3 s
   on a 2-core machine. Stages: decode (reference frames, luma in place), read (a reading per scene),
   brief, compose + master, mux (video packets copied, AAC encoded).
2. An album of `photos` photos and its 1080x1920 slideshow: goal <= 10 s. Stages: read (decode and read
   the photos), brief, compose + master, slideshow (scaling each photo once, then frames and H.264).
Baselines in the same run: decoding every frame to full-size RGB (what the reduced decode avoids), and a
resample per slideshow frame (what a zoom would cost, from 30 frames).
cpu_s: CPU seconds of all threads (on a shared machine wall time grows with the load; this does not).
The first run of each is cold (imports, SoundFont); the figures are the median of the warm runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CLIP = Path(tempfile.gettempdir()) / "melodify-bench-30s-1080p.mp4"


def clip() -> Path:
    from tests.videos import make_clip

    if not CLIP.exists():
        print(f"making {CLIP} (30 s, 1920x1080, H.264, two cuts)...", flush=True)
        make_clip(CLIP.with_suffix(".part.mp4"), seconds=30.0, size=(1920, 1080), fps=30, cuts=(10.0, 20.0),
                  sound=True).replace(CLIP)
    return CLIP


def cpu() -> float:
    """CPU seconds of this process, all threads: on a shared machine, what the work itself costs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def score_once(path: Path, out: Path) -> dict[str, float]:
    from melodify.video.mux import mux_soundtrack
    from melodify.video.scoring import score_video

    used = cpu()
    start = time.perf_counter()
    result = score_video(path)
    middle = time.perf_counter()
    mux_soundtrack(path, result.performance.audio, out)
    end = time.perf_counter()
    return {**result.timings, "mux": end - middle, "cpu_s": cpu() - used, "total": end - start}


def album_once(photos, out: Path) -> dict[str, float]:
    from melodify.album.making import make_album
    from melodify.album.slideshow import render_slideshow

    used = cpu()
    start = time.perf_counter()
    result = make_album(photos)
    middle = time.perf_counter()
    render_slideshow([p.image for p in result.photos], result.piece.starts, result.performance.audio, out)
    end = time.perf_counter()
    return {**result.timings, "slideshow": end - middle, "total": end - start,
            "cpu_s": cpu() - used, "music_s": result.performance.audio.duration}


def full_decode_seconds(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to decode every frame to full-size RGB."""
    import av

    used = cpu()
    start = time.perf_counter()
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in c.decode(stream):
            frame.to_ndarray(format="rgb24")
    return time.perf_counter() - start, cpu() - used


def resample_per_frame_seconds(image, frames: int) -> float:
    from PIL import Image

    big = image.convert("RGB").resize((1210, 2150))
    start = time.perf_counter()
    for n in range(30):
        z = 1.0 + 0.1 * n / 30
        big.resize((1080, 1920), Image.Resampling.BILINEAR, box=(0, 0, 1210 / z, 2150 / z))
    return (time.perf_counter() - start) / 30 * frames


def report(name: str, runs: list[dict[str, float]], goal: float) -> None:
    keys = [k for k in runs[0] if k != "total"]
    median = {k: statistics.median(r[k] for r in runs) for k in [*keys, "total"]}
    print(f"\n{name}: {median['total']:.2f} s (goal <= {goal:g} s) {'OK' if median['total'] <= goal else 'OVER'}")
    for k in keys:
        share = f"{median[k] / median['total']:5.0%}" if not k.endswith("_s") else ""
        print(f"  {k:<15} {median[k]:7.3f} {share}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    from melodify.album.making import Photo
    from melodify.samples import SCENES, photo_bytes

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; cpu_s "
          "is the work itself)")
    path = clip()
    work = Path(tempfile.mkdtemp(prefix="melodify-bench-"))
    cold = score_once(path, work / "scored.mp4")
    print(f"video cold run: {cold['total']:.2f} s")
    report("30 s 1080p clip scored + muxed", [score_once(path, work / "scored.mp4") for _ in range(args.runs)], 3.0)

    names = list(SCENES)
    photos = [Photo(f"{i}.jpg", photo_bytes(names[i % len(names)], size=(2000, 1500), seed=i))
              for i in range(args.photos)]
    runs = [album_once(photos, work / "album.mp4") for _ in range(args.runs)]
    report(f"album of {args.photos} photos + 1080x1920 slideshow", runs, 10.0)
    if not args.no_baseline:
        from melodify.read.image_loading import load_image

        frames = int(runs[0]["music_s"] * 15)
        print("\nbaselines (same run):")
        wall, used = full_decode_seconds(path)
        print(f"  full-size RGB decode of every frame of the clip: {wall:.2f} s (cpu {used:.2f} s)")
        print(f"  a resample per slideshow frame (a zoom), {frames} frames: "
              f"{resample_per_frame_seconds(load_image(photos[0].data).image, frames):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
