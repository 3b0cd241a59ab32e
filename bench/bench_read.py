"""Time the read stage: load a 12-megapixel photo, then read it with the embedded reader.

    python bench/bench_read.py [--runs 5] [--scenes night-sea flower-field city-night]

Prints, per scene, the median of `runs` for load_image (a 4000x3000 JPEG, then PNG and HEIC) and
for EmbeddedReader.read, and a baseline: the same JPEG decoded at full size and resized to 1600 px.
Goals: load < 100 ms, read < 30 ms on a 2-core machine. Not a test: speed goals live here.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from melodify.read.engines.embedded import EmbeddedReader  # noqa: E402
from melodify.read.image_loading import load_image  # noqa: E402
from melodify.samples import photo_bytes  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def full_decode_baseline(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    image.convert("RGB").thumbnail((1600, 1600), Image.Resampling.BICUBIC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenes", nargs="+", default=["night-sea", "flower-field", "city-night"])
    args = parser.parse_args()
    reader = EmbeddedReader()
    print(f"{'scene':14s} {'format':6s} {'bytes':>9s} {'load ms':>8s} {'read ms':>8s} {'baseline ms':>11s}")
    for scene in args.scenes:
        for fmt in ("JPEG", "PNG", "HEIF"):
            data = photo_bytes(scene, fmt, size=(4000, 3000))
            photo = load_image(data)
            load = median_ms(lambda: load_image(data), args.runs)
            read = median_ms(lambda: reader.read(photo.image, format=photo.format, size=photo.size,
                                                 progress=lambda *a: None), args.runs)
            baseline = median_ms(lambda: full_decode_baseline(data), args.runs) if fmt == "JPEG" else float("nan")
            print(f"{scene:14s} {fmt:6s} {len(data):9d} {load:8.1f} {read:8.1f} {baseline:11.1f}")


if __name__ == "__main__":
    main()
