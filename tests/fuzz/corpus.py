"""Seed inputs for the fuzzers, from the input catalogue (tests/web/badfiles.py): every hostile file and
every odd but valid photo small enough to mutate quickly, plus one small photo per accepted format."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

MAX_SEED_BYTES = 200_000
REGRESSIONS = Path(__file__).parent / "regressions"   # inputs that once crashed a target, one folder each


def regressions(target: str) -> list[Path]:
    return sorted((REGRESSIONS / target).iterdir())


def image_seeds() -> list[bytes]:
    from tests.web.badfiles import BAD_FILES, ODD_FILES

    seeds = [build() for build, *_ in (*BAD_FILES.values(), *ODD_FILES.values())]
    picture = Image.linear_gradient("L").resize((48, 32)).convert("RGB")
    for fmt in ("JPEG", "PNG", "WEBP", "GIF", "BMP", "HEIF", "AVIF"):
        out = io.BytesIO()
        picture.save(out, fmt)
        seeds.append(out.getvalue())
    out = io.BytesIO()
    picture.save(out, "JPEG", progressive=True)
    seeds.append(out.getvalue())
    seeds += [path.read_bytes() for path in regressions("image_loading")]
    return [seed for seed in seeds if len(seed) <= MAX_SEED_BYTES]


# Field values as people and programs send them, good and bad (tests/web/test_bad_input.py has more).
FIELD_SEEDS = ["auto", "lo-fi", "jazz", "polka", "", "5", "15", "60", "61", "nan", "-1", "4294967296", "lucky",
               "120", "90.5", "C", "Eb", "H", "major", "dorian", "4/4", "7/8", "calm, dreamy", "a,b,c,d,e,f",
               "piano, bass", "embedded", "nope", "x" * 40, "바다", "\x00", "1e308"]


def request_seeds() -> list[bytes]:
    """Each seed: the fields joined by NUL, as request.py's fuzz target splits them."""
    import itertools

    rows = itertools.islice(itertools.product(FIELD_SEEDS[:8], FIELD_SEEDS[8:16], FIELD_SEEDS[16:]), 200)
    return (["\x00".join(row).encode() for row in rows] + [value.encode() for value in FIELD_SEEDS]
            + [path.read_bytes() for path in regressions("request")])


def write(seeds: list[bytes], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)   # noqa: S324 - a file name, not security
    return folder
