"""How far apart the genres sound: the sweep of tests/engine/test_music_outside.py (every genre, two
seeds, different photos), its key-independent audio features standardised over the sweep, and the
distance between genre means; prints the closest pairs (the test asks the closest to be >= 0.6).

    python tools/closest.py        # closest five pairs and the median distance
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from melodify.genres import GENRE_NAMES  # noqa: E402
from melodify.samples import SCENES  # noqa: E402
from tests.engine.test_music_outside import SEEDS, render_track  # noqa: E402


def main() -> None:
    scenes = list(SCENES)
    sweep = [render_track(genre, seed, scenes[(i * 5 + j * 7) % len(scenes)])
             for i, genre in enumerate(GENRE_NAMES) for j, seed in enumerate(SEEDS)]
    names = list(sweep[0].features)
    table = np.array([[t.features[n] for n in names] for t in sweep])
    z = (table - table.mean(axis=0)) / table.std(axis=0)
    by_genre = {g: z[[i for i, t in enumerate(sweep) if t.genre == g]].mean(axis=0) for g in GENRE_NAMES}
    pairs = sorted((float(np.linalg.norm(by_genre[a] - by_genre[b])), a, b)
                   for a, b in itertools.combinations(GENRE_NAMES, 2))
    for d, a, b in pairs[:5]:
        print(f"{a:10s} {b:10s} {d:.2f}")
    print(f"closest {pairs[0][0]:.2f} ({pairs[0][1]}/{pairs[0][2]}), median {np.median([p[0] for p in pairs]):.2f}")


if __name__ == "__main__":
    main()
