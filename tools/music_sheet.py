"""Draw a sheet of tracks to LOOK at the music: per track a mel spectrogram (beats are vertical stripes,
sections are density changes, the melody a line on top) and a chromagram (chords are blocks that change),
with the score's sections marked, and the tempo and key librosa hears next to the brief's.

    python tools/music_sheet.py                     # every genre, one photo each -> /tmp/sheet.png
    python tools/music_sheet.py --genres jazz funk --seeds 1 2 3 --out /tmp/jazz_funk.png
    python tools/music_sheet.py --table --seeds 1 2 3 4 5     # per-genre tempo/key agreement, no drawing
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import librosa  # noqa: E402
import librosa.display  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from melodify.genres import GENRE_NAMES  # noqa: E402
from melodify.pipeline import run  # noqa: E402
from melodify.request import Request  # noqa: E402
from melodify.samples import SCENES, photo_bytes  # noqa: E402
from tests.engine.test_music_outside import (  # noqa: E402
    SR, estimate_key, estimate_tempo, key_agrees, tempo_agrees)


def render(genre: str, seed: int, scene: str):
    result = run(photo_bytes(scene, size=(320, 240)), Request(genre=genre, seed=seed))
    audio = result.performance.audio
    y = librosa.resample(audio.samples.mean(axis=1), orig_sr=audio.sample_rate, target_sr=SR, res_type="soxr_mq")
    return result, y


def table(genres: list[str], seeds: list[int]) -> None:
    scenes = list(SCENES)
    total_t = total_k = n = 0
    print(f"{'genre':11s} tempo-ok key-ok  misses")
    for i, genre in enumerate(genres):
        ok_t = ok_k = 0
        misses = []
        for j, seed in enumerate(seeds):
            result, y = render(genre, seed, scenes[(i * 5 + j * 7) % len(scenes)])
            b = result.brief
            tempo, key = estimate_tempo(y), estimate_key(y)
            ok_t += tempo_agrees(tempo, b.tempo)
            ok_k += key_agrees(key, b)
            if not tempo_agrees(tempo, b.tempo):
                misses.append(f"tempo {b.tempo}->{tempo:.0f}")
            if not key_agrees(key, b):
                misses.append(f"key {b.key_name}->{' '.join(key)}")
        total_t, total_k, n = total_t + ok_t, total_k + ok_k, n + len(seeds)
        print(f"{genre:11s} {ok_t}/{len(seeds)}      {ok_k}/{len(seeds)}     {'; '.join(misses)}", flush=True)
    print(f"{'all':11s} tempo {total_t}/{n} ({100 * total_t / n:.0f}%)  key {total_k}/{n} ({100 * total_k / n:.0f}%)")


def sheet(genres: list[str], seeds: list[int], out: Path) -> None:
    scenes = list(SCENES)
    rows = [(g, s, scenes[(i * 5 + j * 7) % len(scenes)]) for i, g in enumerate(genres) for j, s in enumerate(seeds)]
    fig, axes = plt.subplots(len(rows), 2, figsize=(18, 1.9 * len(rows)), gridspec_kw={"width_ratios": [3, 1.3]},
                             squeeze=False)
    for (genre, seed, scene), (ax_mel, ax_chroma) in zip(rows, axes):
        result, y = render(genre, seed, scene)
        b = result.brief
        mel = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, n_mels=96, fmax=8000), ref=np.max)
        librosa.display.specshow(mel, sr=SR, x_axis="time", y_axis="mel", fmax=8000, ax=ax_mel, cmap="magma")
        for section in result.performance.score.sections:
            ax_mel.axvline(section.start, color="cyan", lw=1)
            ax_mel.text(section.start + 0.05, 6000, section.name, color="cyan", fontsize=8)
        tempo, key = estimate_tempo(y), estimate_key(y)
        ax_mel.set_title(f"{genre} / {scene} / seed {seed}: {b.tempo} bpm {b.key_name}, energy {b.energy:.2f} "
                         f"valence {b.valence:.2f}  |  heard {tempo:.0f} bpm {' '.join(key)}  "
                         f"[{', '.join(b.instruments)}]", fontsize=9, loc="left")
        ax_mel.set_xlabel("")
        chroma = librosa.feature.chroma_cqt(y=y, sr=SR)
        librosa.display.specshow(chroma, sr=SR, x_axis="time", y_axis="chroma", ax=ax_chroma, cmap="Greys")
        ax_chroma.set_xlabel("")
        print(f"{genre:11s} {scene:13s} brief {b.tempo} {b.key_name:9s} heard {tempo:5.1f} {' '.join(key)}", flush=True)
    fig.tight_layout()
    fig.savefig(out, dpi=55)
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--genres", nargs="*", default=list(GENRE_NAMES))
    parser.add_argument("--seeds", nargs="*", type=int, default=[1])
    parser.add_argument("--out", type=Path, default=Path("/tmp/sheet.png"))
    parser.add_argument("--table", action="store_true", help="print per-genre tempo/key agreement instead")
    args = parser.parse_args()
    bad = [g for g in args.genres if g not in GENRE_NAMES]
    if bad:
        parser.error(f"unknown genre(s) {bad}; choose from {', '.join(GENRE_NAMES)}")
    if args.table:
        table(args.genres, args.seeds)
    else:
        sheet(args.genres, args.seeds, args.out)


if __name__ == "__main__":
    main()
