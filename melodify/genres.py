"""The 20 genres, as data.

A genre here holds what every stage needs to agree on: where it sits in mood space (for the
briefer), its tempo range, modes and metre, its drum kit, and the instruments it may use per role
(names from `melodify.instruments`). How a genre *plays* (grooves, progressions, voicings) lives in
`melodify.compose.styles`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InvalidOption
from .instruments import ROLES


@dataclass(frozen=True)
class Genre:
    name: str                      # the id used everywhere: "k-pop"
    label: str                     # English display name
    label_ko: str                  # Korean display name
    tempo: tuple[int, int]         # bpm range the briefer picks from
    valence: float                 # centre of the genre in mood space, 0..1
    energy: float
    modes: tuple[str, ...]         # preferred modes, first is the usual one
    kit: str | None                # drum kit (a KITS name), None where the genre has no drums
    instruments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> candidates
    meter: str = "4/4"
    swing: float = 0.0             # 0 straight .. 0.33 full triplet swing
    words: tuple[str, ...] = ()    # adjectives for descriptions and prompts


def _g(name, label, label_ko, tempo, valence, energy, modes, kit, lead, chords, bass, pad, *,
       meter="4/4", swing=0.0, words=()) -> Genre:
    return Genre(name, label, label_ko, tempo, valence, energy, modes, kit,
                 {"lead": lead, "chords": chords, "bass": bass, "pad": pad}, meter, swing, words)


GENRES: dict[str, Genre] = {g.name: g for g in [
    _g("pop", "Pop", "팝", (100, 124), 0.75, 0.65, ("major",), "standard",
       ("synth lead", "bright piano", "flute"), ("piano", "clean electric guitar", "electric piano"),
       ("electric bass", "synth bass"), ("warm pad", "strings"), words=("bright", "catchy", "polished")),
    _g("k-pop", "K-pop", "케이팝", (112, 128), 0.72, 0.85, ("minor", "major"), "electronic",
       ("square lead", "synth lead", "bright piano"), ("polysynth", "piano", "electric piano"),
       ("synth bass", "slap bass"), ("synth strings", "warm pad"), words=("glossy", "punchy", "dazzling")),
    _g("hip-hop", "Hip-hop", "힙합", (82, 96), 0.45, 0.6, ("minor",), "808",
       ("electric piano", "flute", "vibraphone"), ("electric piano", "piano", "muted guitar"),
       ("synth bass", "electric bass"), ("strings", "warm pad"), swing=0.18,
       words=("laid-back", "head-nodding", "gritty")),
    _g("r&b", "R&B", "알앤비", (68, 88), 0.55, 0.45, ("minor", "major"), "standard",
       ("electric piano", "alto sax", "vibraphone"), ("electric piano", "clean electric guitar", "organ"),
       ("fretless bass", "electric bass"), ("warm pad", "slow strings"), swing=0.12,
       words=("smooth", "silky", "soulful")),
    _g("rock", "Rock", "록", (110, 140), 0.55, 0.85, ("major", "minor"), "power",
       ("overdriven guitar", "rock organ"), ("overdriven guitar", "distortion guitar", "rock organ"),
       ("picked bass", "electric bass"), ("rock organ", "strings"), words=("driving", "raw", "anthemic")),
    _g("metal", "Metal", "메탈", (140, 168), 0.18, 0.97, ("minor",), "power",
       ("distortion guitar", "overdriven guitar"), ("distortion guitar",),
       ("picked bass",), ("choir", "strings"), words=("crushing", "relentless", "dark")),
    _g("punk", "Punk", "펑크 록", (168, 196), 0.6, 0.95, ("major",), "standard",
       ("overdriven guitar",), ("distortion guitar", "overdriven guitar"),
       ("picked bass",), ("rock organ",), words=("fast", "loud", "rebellious")),
    _g("jazz", "Jazz", "재즈", (100, 150), 0.6, 0.45, ("major", "minor"), "jazz",
       ("tenor sax", "trumpet", "vibraphone", "piano"), ("piano", "jazz guitar", "electric piano"),
       ("acoustic bass",), ("slow strings",), swing=0.3, words=("swinging", "sophisticated", "warm")),
    _g("blues", "Blues", "블루스", (72, 96), 0.38, 0.5, ("major",), "room",
       ("harmonica", "clean electric guitar", "tenor sax"), ("piano", "organ", "clean electric guitar"),
       ("electric bass", "acoustic bass"), ("organ",), swing=0.3, words=("soulful", "weary", "gritty")),
    _g("funk", "Funk", "펑크", (96, 116), 0.78, 0.8, ("minor", "major"), "standard",
       ("brass", "clean electric guitar", "synth lead"), ("muted guitar", "electric piano", "organ"),
       ("slap bass", "electric bass"), ("brass", "synth brass"), swing=0.08,
       words=("groovy", "tight", "funky")),
    _g("classical", "Classical", "클래식", (64, 100), 0.55, 0.3, ("major", "minor"), None,
       ("violin", "flute", "piano"), ("piano", "strings", "harp"), ("cello",), ("strings", "french horn"),
       words=("elegant", "graceful", "lyrical")),
    _g("cinematic", "Cinematic", "시네마틱", (70, 100), 0.35, 0.6, ("minor",), "orchestra",
       ("french horn", "strings", "piano"), ("strings", "piano", "harp"), ("cello", "timpani"),
       ("choir", "slow strings"), words=("epic", "sweeping", "dramatic")),
    _g("electronic", "Electronic", "일렉트로닉", (120, 132), 0.58, 0.8, ("minor",), "electronic",
       ("synth lead", "square lead"), ("polysynth", "electric piano"), ("synth bass",),
       ("sweep pad", "warm pad"), words=("pulsing", "futuristic", "shimmering")),
    _g("house", "House", "하우스", (120, 126), 0.72, 0.78, ("minor", "major"), "808",
       ("electric piano", "synth lead"), ("piano", "organ", "polysynth"), ("synth bass",),
       ("warm pad", "strings"), words=("four-on-the-floor", "euphoric", "uplifting")),
    _g("lo-fi", "Lo-fi", "로파이", (70, 88), 0.5, 0.28, ("major", "minor"), "brush",
       ("electric piano", "vibraphone", "muted guitar"), ("electric piano", "piano", "nylon guitar"),
       ("electric bass", "acoustic bass"), ("warm pad",), swing=0.2,
       words=("dusty", "mellow", "cozy")),
    _g("ambient", "Ambient", "앰비언트", (60, 76), 0.48, 0.1, ("major", "minor"), None,
       ("celesta", "music box", "flute"), ("piano", "harp", "electric piano"), ("synth bass", "cello"),
       ("halo pad", "new age pad", "bowed pad"), words=("floating", "spacious", "serene")),
    _g("synthwave", "Synthwave", "신스웨이브", (84, 110), 0.55, 0.68, ("minor",), "electronic",
       ("synth lead", "square lead"), ("polysynth", "synth brass"), ("synth bass",),
       ("warm pad", "synth strings"), words=("retro", "neon-lit", "nostalgic")),
    _g("folk", "Folk", "포크", (88, 116), 0.6, 0.35, ("major",), "brush",
       ("flute", "violin", "harmonica"), ("acoustic guitar", "nylon guitar", "accordion"),
       ("acoustic bass",), ("strings",), meter="3/4", words=("earthy", "gentle", "homespun")),
    _g("country", "Country", "컨트리", (96, 124), 0.72, 0.58, ("major",), "standard",
       ("fiddle", "banjo", "harmonica"), ("acoustic guitar", "clean electric guitar", "piano"),
       ("electric bass",), ("strings", "organ"), words=("twangy", "open-road", "heartfelt")),
    _g("latin", "Latin", "라틴", (92, 112), 0.82, 0.78, ("minor", "major"), "standard",
       ("trumpet", "nylon guitar", "flute"), ("nylon guitar", "piano", "marimba"),
       ("acoustic bass", "electric bass"), ("brass", "strings"), words=("fiery", "rhythmic", "sun-drenched")),
]}

GENRE_NAMES: tuple[str, ...] = tuple(GENRES)
assert len(GENRES) == 20


def get_genre(name: str) -> Genre:
    """Look a genre up by name, forgiving case and spaces ("K-Pop", "lo fi"); clear error otherwise."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = {"hiphop": "hip-hop", "kpop": "k-pop", "lofi": "lo-fi", "rnb": "r&b", "r-and-b": "r&b"}.get(key, key)
    if key not in GENRES:
        raise InvalidOption(
            f"unknown genre {name!r}; choose one of: {', '.join(GENRE_NAMES)}", code="unknown_genre")
    return GENRES[key]
