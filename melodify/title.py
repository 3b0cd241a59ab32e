"""A track's title, written from the photo and the brief: "Carefree Beach Groove", "해변의 화창함".

Built from what the briefer already knows (the caption's first keyword, else the photo's main colour;
the first mood word; a word for the genre's kind of piece), in a pattern the seed picks, so the same
track always gets the same title and another version usually gets another one.
"""

from __future__ import annotations

import random

from .brief.description_ko import KEYWORD_KO, MOODS_KO
from .brief.keywords import hints
from .contracts import ImageReading, MusicBrief
from .errors import InvalidOption
from .words import main_colours

MAX_TITLE = 80   # a person's own title may be this long

# Kinds of piece per genre (English, Korean); "song" where a genre has none of its own.
PIECES: dict[str, tuple[tuple[str, str], ...]] = {
    "pop": (("Song", "노래"), ("Anthem", "찬가")), "k-pop": (("Song", "노래"), ("Anthem", "찬가")),
    "hip-hop": (("Beat", "비트"), ("Cypher", "사이퍼")), "r&b": (("Slow Jam", "슬로우 잼"), ("Song", "노래")),
    "rock": (("Riff", "리프"), ("Anthem", "찬가")), "metal": (("Riff", "리프"), ("Storm", "폭풍")),
    "punk": (("Riot", "소동"), ("Shout", "외침")), "jazz": (("Standard", "스탠더드"), ("Ballad", "발라드")),
    "blues": (("Blues", "블루스"), ("Shuffle", "셔플")), "funk": (("Groove", "그루브"), ("Strut", "스트럿")),
    "classical": (("Prelude", "전주곡"), ("Nocturne", "야상곡")),
    "cinematic": (("Theme", "테마"), ("Overture", "서곡")),
    "electronic": (("Pulse", "펄스"), ("Circuit", "회로")), "house": (("Groove", "그루브"), ("Night", "밤")),
    "lo-fi": (("Loop", "루프"), ("Daydream", "백일몽")), "ambient": (("Drift", "흐름"), ("Haze", "안개")),
    "synthwave": (("Drive", "드라이브"), ("Neon", "네온")), "folk": (("Ballad", "발라드"), ("Song", "노래")),
    "country": (("Road Song", "길 위의 노래"), ("Ballad", "발라드")),
    "latin": (("Dance", "춤"), ("Fiesta", "축제")),
}
WALTZ = ("Waltz", "왈츠")   # 3/4 is a waltz whatever the genre

EN_PATTERNS = ("{mood} {scene}", "{scene} {piece}", "{mood} {piece}", "The {mood} {scene}")
KO_PATTERNS = ("{scene}의 {mood}", "{scene} {piece}", "{mood}의 {piece}", "{mood}의 {scene}")


def _scene(reading: ImageReading) -> tuple[str, str]:
    """What the photo shows: its first caption keyword, else its main colour, else "Photo"."""
    words = hints(reading).words
    if words:
        return words[0].title(), KEYWORD_KO.get(words[0], words[0])
    colours = main_colours(reading.palette, reading.palette_weights, 1)
    if colours:
        return colours[0].name.title(), colours[0].ko
    return "Photo", "사진"


def _mood(brief: MusicBrief) -> tuple[str, str]:
    word = next((m.strip() for m in brief.mood if m.strip()), "quiet")
    return word.title(), MOODS_KO.get(word.lower(), word)


def make_title(reading: ImageReading, brief: MusicBrief, lang: str = "en") -> str:
    """The title in English ("en") or Korean ("ko"); the brief's seed picks the pattern."""
    rng = random.Random(f"title:{brief.seed}")
    pattern, piece_index = rng.randrange(len(EN_PATTERNS)), rng.randrange(2)
    pieces = PIECES.get(brief.genre) or (("Song", "노래"),) * 2
    piece = WALTZ if brief.time_signature == "3/4" else pieces[piece_index % len(pieces)]
    scene, mood = _scene(reading), _mood(brief)
    korean = lang == "ko"
    text = (KO_PATTERNS if korean else EN_PATTERNS)[pattern].format(
        scene=scene[korean], mood=mood[korean], piece=piece[korean])
    return text[:MAX_TITLE]


def check_title(text: object) -> str:
    """A person's own title: text, trimmed, one line, at most MAX_TITLE characters; "" means automatic."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InvalidOption(f"the title must be text, not {text!r}", code="invalid_title")
    title = " ".join(text.split())
    if len(title) > MAX_TITLE:
        raise InvalidOption(f"the title is {len(title)} characters long; the limit is {MAX_TITLE}. "
                            "Shorten it and save again", code="invalid_title")
    return title
