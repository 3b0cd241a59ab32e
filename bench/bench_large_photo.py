"""Memory and time to load a large phone photo: 54, 108 and 200 megapixel baseline JPEGs.

    nice -n 10 python bench/bench_large_photo.py [--sizes 9000x6000 12000x9000 16320x12240]

Each figure comes from a fresh process (peak resident memory is per process): load_image, which decodes
at 1/8 scale inside libjpeg, against the baseline of a full-size decode (Pillow's default, its bomb check
off). Goal: a 108 MP photo loads in well under 1 s and 100 MB. Not a test: speed goals live here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MAKE = """
import sys
from PIL import Image, ImageFilter
from melodify.samples import photo_bytes
import io
w, h = int(sys.argv[1]), int(sys.argv[2])
small = Image.open(io.BytesIO(photo_bytes("flower-field", size=(w // 8, h // 8)))).convert("RGB")
big = small.resize((w, h), Image.Resampling.BICUBIC)
big = Image.blend(big, Image.effect_noise((w, h), 40).convert("RGB"), 0.15)   # a sensor's grain
big.save(sys.argv[3], "JPEG", quality=88)
"""

MEASURE = """
import resource, sys, time
from PIL import Image
data = open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if sys.argv[1] == "load_image":
    from melodify.read.image_loading import load_image
    load_image(data)
else:
    import io
    Image.MAX_IMAGE_PIXELS = None
    im = Image.open(io.BytesIO(data)); im.load(); im.convert("RGB").thumbnail((1600, 1600))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{seconds:.3f} {(peak - before) / 1024:.0f}")
"""


def run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["9000x6000", "12000x9000", "16320x12240"])
    args = parser.parse_args()
    print(f"{'photo':>12s} {'MP':>5s} {'file MB':>7s} {'load s':>7s} {'load +MB':>8s} {'full s':>7s} {'full +MB':>8s}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            w, h = (int(n) for n in size.split("x"))
            path = Path(tmp) / f"{size}.jpg"
            run(MAKE, str(w), str(h), str(path))
            load_s, load_mb = run(MEASURE, "load_image", str(path)).split()
            full_s, full_mb = run(MEASURE, "full", str(path)).split()
            print(f"{size:>12s} {w * h / 1e6:5.0f} {path.stat().st_size / 1e6:7.1f} {float(load_s):7.2f} "
                  f"{load_mb:>8s} {float(full_s):7.2f} {full_mb:>8s}")


if __name__ == "__main__":
    main()
