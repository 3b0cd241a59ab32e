"""Listening sets: render 19 genres x 2 photos (15 s WAVs) for the outside ear (../shared/ear), with the
tempo, key and loudness heard from the outside, and the key/tempo spread over photos.

    python tools/listen.py render tune-a /tmp/ear/tune-a      # WAVs + manifest.json + figures
    ../shared/ear/ear $(cat /tmp/ear/tune-a/ear-args.txt)     # the ear, one call over the set
    python tools/listen.py spread                             # auto genre: genre, key, tempo per photo

Sets: tune-a and tune-b (tuning: melodify's sample scenes, the tuning half of the real photos, and
tools/photo_like.py's tuning pictures); hold (held out: the other real photos and photo_like pictures,
and seeds used nowhere else: look only at its totals); hold-2 (held out again, once hold had been looked
at: real photos and photo_like seeds in no other set); hold-3 (the held photos again, with request seeds
and photo_like seeds in no other set: for a last look after tuning); hold-4 (the same photos with
seeds again in no other set: a check by someone who did not tune). Real photos are read from $MELODIFY_REAL_PHOTOS
or test-artifacts/real-photos: scikit-image's data folder (`pip download scikit-image --no-deps`,
unzip skimage/data), matplotlib's grace_hopper.jpg and scikit-learn's china.jpg and flower.jpg; sets
leave out those that are missing. The ear is a tool for looking: keep it out of tests and CI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import numpy as np  # noqa: E402
import pyloudnorm  # noqa: E402

from melodify.genres import GENRE_NAMES  # noqa: E402
from melodify.pipeline import export_to, run  # noqa: E402
from melodify.request import Request  # noqa: E402
from melodify.samples import SCENES, photo_bytes  # noqa: E402
from photo_like import photo_like  # noqa: E402

REAL_TUNE = ("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "coins.png", "grass.png",
             "motorcycle_left.png", "hubble_deep_field.jpg", "color.png")
REAL_HOLD = ("brick.png", "camera.png", "gravel.png", "moon.png", "ihc.png", "retina.jpg",
             "grace_hopper.jpg", "china.jpg", "flower.jpg")
OWN_TUNE = ("autumn-leaves", "underwater", "concert", "pastel-bedroom", "library")
OWN_HOLD = ("foggy-hills", "kitchen", "fireworks", "rusty-metal", "green-hills")
# A second held-out set, for after "hold" had been looked at: real photos in no other set, and the
# held photo_like pictures drawn from seeds no other set uses.
REAL_HOLD_2 = ("motorcycle_right.png", "logo.png", "chessboard_RGB.png", "horse.png", "cell.png",
               "phantom.png", "page.png", "microaneurysms.png", "clock_motion.png", "text.png")
EARED = [g for g in GENRE_NAMES if g != "latin"]     # latin has no tag in either tagger
SETS = {   # name -> (photos, first request seed, photo rotation)
    "tune-a": ("tune", 1000, 0),
    "tune-b": ("tune", 2000, 5),
    "hold": ("hold", 7300, 0),
    "hold-2": ("hold-2", 9100, 3),
    "hold-3": ("hold-3", 9700, 7),
    "hold-4": ("hold-4", 12100, 11),   # the lead's own check after hold-3, unseen by the tuning
}
HELD = {   # held-out set -> (real photos, photo_like seeds)
    "hold": (REAL_HOLD, (0, 1)),
    "hold-2": (REAL_HOLD_2, (5, 6)),
    "hold-3": (REAL_HOLD + REAL_HOLD_2, (7, 8)),
    "hold-4": (REAL_HOLD + REAL_HOLD_2, (11, 12)),
}


def real_dir() -> Path:
    return Path(os.environ.get("MELODIFY_REAL_PHOTOS", ROOT / "test-artifacts" / "real-photos"))


def photos(kind: str) -> list[str]:
    """Photo ids: 'scene:NAME:SEED', 'own:NAME:SEED', 'file:NAME' (in real_dir())."""
    folder = real_dir()
    if kind == "tune":
        found = [f"file:{name}" for name in REAL_TUNE if (folder / name).exists()]
        return [f"scene:{s}:{k}" for k in (0, 1) for s in SCENES] + found + [f"own:{n}:0" for n in OWN_TUNE]
    real, seeds = HELD[kind]
    found = [f"file:{name}" for name in real if (folder / name).exists()]
    return found + [f"own:{n}:{k}" for k in seeds for n in OWN_HOLD]


def photo(ident: str) -> bytes:
    kind, name, *seed = ident.split(":")
    if kind == "scene":
        return photo_bytes(name, size=(640, 480), seed=int(seed[0]))
    if kind == "own":
        return photo_like(name, int(seed[0]))
    return (real_dir() / name).read_bytes()


def tracks(name: str) -> list[tuple[str, str, int]]:
    """(genre, photo id, request seed) for the set: two photos per genre."""
    kind, first_seed, rotation = SETS[name]
    pool = photos(kind)
    return [(g, pool[(i * 3 + j * 11 + rotation) % len(pool)], first_seed + 2 * i + j)
            for i, g in enumerate(EARED) for j in range(2)]


def heard(samples: np.ndarray, rate: int) -> dict:
    import librosa

    from tests.engine.test_music_outside import SR, estimate_key, estimate_tempo
    y = librosa.resample(samples.mean(axis=1), orig_sr=rate, target_sr=SR, res_type="soxr_mq")
    return {"tempo": round(estimate_tempo(y, SR), 1), "key": list(estimate_key(y, SR)),
            "lufs": round(float(pyloudnorm.Meter(rate).integrated_loudness(samples)), 2)}


def render(name: str, out: Path, genres: list[str] | None = None) -> None:
    from tests.engine.test_music_outside import key_agrees, tempo_agrees
    out.mkdir(parents=True, exist_ok=True)
    rows, args = [], []
    for genre, ident, seed in tracks(name):
        if genres and genre not in genres:
            continue
        result = run(photo(ident), Request(genre=genre, seed=seed, duration=15.0))
        path = out / f"{genre.replace('&', 'n')}-{seed}.wav"
        export_to(result, path)
        b = result.brief
        h = heard(result.performance.audio.samples, result.performance.audio.sample_rate)
        ok_t, ok_k = tempo_agrees(h["tempo"], b.tempo), key_agrees(tuple(h["key"]), b)
        rows.append({"genre": genre, "photo": ident, "seed": seed, "path": str(path), "tempo": b.tempo,
                     "key": b.key_name, "instruments": b.instruments, "energy": b.energy, "heard": h,
                     "tempo_ok": ok_t, "key_ok": ok_k, "lufs_ok": abs(h["lufs"] + 14) <= 1})
        args.append(f"{genre}={path}")
        print(f"{genre:10s} {ident:28s} {b.tempo:4d} {b.key_name:9s} heard {h['tempo']:6.1f} "
              f"{' '.join(h['key']):9s} {h['lufs']:6.1f} LUFS {'' if ok_t else 'TEMPO?'} {'' if ok_k else 'KEY?'}",
              flush=True)
    (out / "manifest.json").write_text(json.dumps(rows, indent=1))
    (out / "ear-args.txt").write_text(" ".join(args))
    n = len(rows)
    print(f"tempo {sum(r['tempo_ok'] for r in rows)}/{n}  key {sum(r['key_ok'] for r in rows)}/{n}  "
          f"-14 LUFS +-1: {sum(r['lufs_ok'] for r in rows)}/{n}")


def spread() -> None:
    """Auto genre, the photo's own seed: what each photo becomes, and how keys and tempos spread."""
    pool = [f"file:{n}" for n in (*REAL_TUNE, *REAL_HOLD) if (real_dir() / n).exists()]
    pool += [f"scene:{s}:0" for s in SCENES] + [f"own:{n}:0" for n in (*OWN_TUNE, *OWN_HOLD)]
    keys, tempos = Counter(), []
    for ident in pool:
        result = run(photo(ident), Request(duration=15.0))
        b = result.brief
        keys[b.key] += 1
        tempos.append(b.tempo)
        print(f"{ident:28s} {b.genre:10s} {b.tempo:4d} {b.key_name:9s} {', '.join(b.mood)}", flush=True)
    top, count = keys.most_common(1)[0]
    print(f"{len(pool)} photos: {len(keys)} keys, most common {top} x{count}; tempo {min(tempos)}-{max(tempos)} "
          f"bpm, {len(set(tempos))} tempos")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="render a set's WAVs and print tempo/key/loudness heard")
    r.add_argument("set", choices=SETS)
    r.add_argument("out", type=Path)
    r.add_argument("--genres", nargs="+", choices=EARED, help="only these genres (a quick loop)")
    sub.add_parser("spread", help="key and tempo spread over photos, auto genre")
    args = parser.parse_args()
    if args.command == "render":
        render(args.set, args.out, args.genres)
    else:
        spread()


if __name__ == "__main__":
    main()
