"""Caption keywords as hints for the briefer: what a word in the caption or tags says about the music.

Each keyword carries genre votes, small valence/energy shifts, mood words, preferred instruments and
a short phrase for descriptions. `hints(reading)` matches whole words of `reading.caption` and
`reading.tags` (English with simple plurals and synonyms, and Korean with common particles), so a
better captioner plugged in later changes the music through this table alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..contracts import ImageReading

# A caption's keywords may nudge valence and energy, but never more than this: the photo's own
# measures stay in charge, so a dark, empty photo never reads as a bright, busy one.
MAX_SHIFT = 0.2


@dataclass(frozen=True)
class Keyword:
    genres: dict[str, float]                 # genre -> vote weight (0..1)
    valence: float = 0.0                     # shift in mood space
    energy: float = 0.0
    moods: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()        # names from melodify.instruments.INSTRUMENTS
    phrase: str = ""                         # "the hush of falling snow"


def _k(genres: dict[str, float], valence: float, energy: float, moods: tuple[str, ...],
       instruments: tuple[str, ...], phrase: str) -> Keyword:
    return Keyword(genres, valence, energy, moods, instruments, phrase)


KEYWORDS: dict[str, Keyword] = {
    # places and landscapes
    "beach": _k({"latin": 1, "pop": 0.8}, 0.12, 0.08, ("carefree", "sunny"),
                ("nylon guitar", "marimba"), "a sun-warmed beach with waves rolling in"),
    "sea": _k({"ambient": 1, "latin": 0.6}, 0.05, -0.05, ("serene", "expansive"),
              ("harp", "new age pad"), "the slow breathing of the open sea"),
    "lake": _k({"ambient": 1, "classical": 0.7, "folk": 0.5}, 0.05, -0.12, ("still", "serene"),
               ("piano", "harp"), "the still mirror of a lake"),
    "river": _k({"folk": 0.9, "ambient": 0.8, "classical": 0.6}, 0.05, -0.05, ("flowing", "calm"),
                ("harp", "acoustic guitar"), "a river winding through the land"),
    "forest": _k({"folk": 1, "ambient": 0.8, "classical": 0.6}, 0.05, -0.1, ("earthy", "peaceful"),
                 ("flute", "acoustic guitar"), "dappled light between forest trees"),
    "garden": _k({"classical": 0.9, "folk": 0.8, "pop": 0.5}, 0.1, -0.05, ("gentle", "tender"),
                 ("harp", "flute"), "a garden in quiet bloom"),
    "field": _k({"country": 1, "folk": 1}, 0.1, 0.0, ("open", "homely"),
                ("banjo", "fiddle", "acoustic guitar"), "open fields stretching away"),
    "mountain": _k({"cinematic": 1, "folk": 0.7, "country": 0.6}, 0.02, 0.05, ("majestic", "open"),
                   ("french horn", "strings"), "mountains rising into the sky"),
    "desert": _k({"cinematic": 0.9, "country": 0.8, "blues": 0.7}, -0.05, 0.0, ("vast", "lonely"),
                 ("harmonica", "acoustic guitar"), "a vast, sun-bleached desert"),
    "sky": _k({"ambient": 0.9, "cinematic": 0.6, "pop": 0.4}, 0.05, -0.05, ("airy", "open"),
              ("halo pad", "strings"), "a wide open sky"),
    "castle": _k({"cinematic": 1, "classical": 0.8}, 0.0, 0.05, ("majestic", "grand"),
                 ("french horn", "harp"), "an ancient castle standing guard"),
    "church": _k({"classical": 1, "cinematic": 0.6, "blues": 0.3}, 0.0, -0.1, ("reverent", "solemn"),
                 ("organ", "choir"), "the hush of an old church"),
    "ruins": _k({"cinematic": 1, "ambient": 0.7, "metal": 0.4}, -0.15, -0.05, ("haunting", "desolate"),
                ("cello", "bowed pad"), "crumbling, abandoned ruins"),
    "tropical": _k({"latin": 1, "pop": 0.5}, 0.12, 0.1, ("carefree", "sunny"),
                   ("steel drums", "marimba"), "palm trees swaying in a warm breeze"),
    # city life
    "city": _k({"hip-hop": 1, "house": 0.7, "synthwave": 0.7}, 0.0, 0.1, ("urban", "restless"),
               ("electric piano",), "the restless pulse of city streets"),
    "street": _k({"hip-hop": 1, "lo-fi": 0.6, "blues": 0.5}, 0.0, 0.05, ("urban", "gritty"),
                 ("electric piano",), "a busy street corner"),
    "neon": _k({"synthwave": 1, "electronic": 0.9}, 0.08, 0.2, ("retro", "electric"),
               ("polysynth", "synth lead"), "neon signs glowing in the dark"),
    "cafe": _k({"jazz": 1, "lo-fi": 0.9}, 0.05, -0.1, ("cozy", "relaxed"),
               ("electric piano", "piano"), "a cozy cafe on a slow afternoon"),
    "coffee": _k({"lo-fi": 0.8, "jazz": 0.8}, 0.05, -0.1, ("cozy", "relaxed"),
                 ("electric piano", "piano"), "a steaming cup of coffee"),
    "bar": _k({"blues": 1, "jazz": 0.9, "country": 0.5, "r&b": 0.5}, -0.03, 0.0, ("smoky", "soulful"),
              ("tenor sax", "organ"), "a dim, smoky bar late in the evening"),
    "club": _k({"house": 1, "electronic": 0.9, "hip-hop": 0.6}, 0.1, 0.25, ("euphoric", "hypnotic"),
               ("synth lead", "polysynth"), "a club awash in pulsing lights"),
    "subway": _k({"hip-hop": 0.9, "lo-fi": 0.7, "electronic": 0.6}, -0.05, 0.05, ("restless", "urban"),
                 ("electric piano",), "a subway car rushing underground"),
    "graffiti": _k({"hip-hop": 1, "punk": 0.7}, 0.0, 0.12, ("gritty", "defiant"),
                   ("muted guitar",), "walls covered in graffiti"),
    "seoul": _k({"k-pop": 1, "hip-hop": 0.5}, 0.05, 0.12, ("glossy", "restless"),
                ("polysynth",), "the glow of Seoul after dark"),
    "desk": _k({"lo-fi": 1, "electronic": 0.5}, -0.03, -0.08, ("focused", "calm"),
               ("electric piano",), "a desk lit by a glowing screen"),
    "book": _k({"lo-fi": 1, "classical": 0.8, "jazz": 0.4}, 0.0, -0.12, ("calm", "pensive"),
               ("piano",), "the pages of a well-read book"),
    # travel
    "road": _k({"rock": 1, "country": 0.9}, 0.05, 0.1, ("free", "adventurous"),
               ("clean electric guitar", "acoustic guitar"), "an open road stretching to the horizon"),
    "car": _k({"rock": 0.9, "country": 0.6, "synthwave": 0.5}, 0.03, 0.1, ("restless", "free"),
              ("clean electric guitar",), "a car ready for the long drive"),
    "train": _k({"blues": 1, "folk": 0.7, "country": 0.6}, 0.0, 0.05, ("wandering", "nostalgic"),
                ("harmonica",), "a train rolling down the line"),
    # weather, seasons, sky
    "night": _k({"lo-fi": 1, "synthwave": 0.8, "jazz": 0.6}, -0.05, -0.05, ("nocturnal", "wistful"),
                ("electric piano",), "a quiet night under dim lights"),
    "rain": _k({"lo-fi": 1, "jazz": 0.6, "ambient": 0.6}, -0.12, -0.1, ("melancholic", "reflective"),
               ("piano",), "the soft patter of rain on the window"),
    "snow": _k({"ambient": 1, "classical": 0.8}, 0.0, -0.15, ("serene", "hushed"),
               ("celesta", "music box"), "the hush of falling snow"),
    "storm": _k({"cinematic": 1, "metal": 0.8, "rock": 0.6}, -0.15, 0.22, ("stormy", "tense"),
                ("timpani", "strings"), "a storm gathering overhead"),
    "cloud": _k({"lo-fi": 0.8, "ambient": 0.7, "folk": 0.5}, -0.06, -0.05, ("pensive", "hazy"),
                ("warm pad",), "a sky heavy with clouds"),
    "lamp": _k({"jazz": 0.8, "lo-fi": 0.8, "r&b": 0.5}, 0.05, -0.08, ("cozy", "intimate"),
               ("electric piano",), "the warm glow of lamplight"),
    "fog": _k({"ambient": 1, "cinematic": 0.6}, -0.08, -0.12, ("mysterious", "hazy"),
              ("bowed pad",), "a veil of drifting fog"),
    "sun": _k({"pop": 0.8, "latin": 0.8, "country": 0.5}, 0.15, 0.08, ("sunny", "radiant"),
              (), "bright, warm sunshine"),
    "sunset": _k({"synthwave": 1, "r&b": 0.8}, 0.05, -0.05, ("nostalgic", "warm"),
                 ("warm pad",), "the last golden light of a sunset"),
    "dawn": _k({"ambient": 0.7, "classical": 0.7, "pop": 0.5}, 0.08, 0.0, ("hopeful", "fresh"),
               ("flute",), "the first light of dawn"),
    "moon": _k({"ambient": 0.9, "lo-fi": 0.7, "jazz": 0.5}, -0.05, -0.12, ("dreamy", "nocturnal"),
               ("vibraphone", "celesta"), "the pale glow of the moon"),
    "star": _k({"ambient": 1, "synthwave": 0.6, "electronic": 0.5}, 0.0, -0.08, ("dreamy", "wondrous"),
               ("celesta", "glockenspiel"), "a sky full of stars"),
    "spring": _k({"pop": 0.8, "folk": 0.8, "classical": 0.7}, 0.12, 0.05, ("fresh", "hopeful"),
                 ("flute",), "the first blossoms of spring"),
    "summer": _k({"latin": 0.9, "pop": 0.9, "funk": 0.5}, 0.12, 0.12, ("carefree", "sunny"),
                 (), "a long, bright summer day"),
    "autumn": _k({"folk": 1, "jazz": 0.7, "lo-fi": 0.6}, -0.05, -0.05, ("wistful", "nostalgic"),
                 ("acoustic guitar",), "autumn leaves drifting down"),
    "winter": _k({"ambient": 0.9, "classical": 0.9, "cinematic": 0.5}, -0.08, -0.1, ("frosty", "hushed"),
                 ("celesta", "music box"), "a still winter landscape"),
    "fire": _k({"folk": 1, "country": 0.7}, 0.05, 0.05, ("warm", "intimate"),
               ("acoustic guitar",), "the glow of a crackling fire"),
    # people, animals, things
    "party": _k({"house": 1, "k-pop": 0.9, "funk": 0.8}, 0.15, 0.2, ("euphoric", "playful"),
                (), "a party in full swing"),
    "dance": _k({"k-pop": 1, "house": 0.8, "funk": 0.8, "latin": 0.7}, 0.15, 0.25, ("energetic", "playful"),
                ("slap bass",), "dancers caught in motion"),
    "fireworks": _k({"k-pop": 1, "pop": 0.8, "electronic": 0.7}, 0.15, 0.25, ("euphoric", "dazzling"),
                    ("synth lead",), "fireworks bursting overhead"),
    "concert": _k({"rock": 1, "metal": 0.8, "punk": 0.6}, 0.05, 0.25, ("electric", "fierce"),
                  ("overdriven guitar",), "the roar of a crowd before a lit stage"),
    "skate": _k({"punk": 1, "hip-hop": 0.6, "rock": 0.5}, 0.05, 0.25, ("rebellious", "restless"),
                ("overdriven guitar",), "a skateboarder mid-trick"),
    "game": _k({"rock": 1, "punk": 0.7, "electronic": 0.5}, 0.05, 0.25, ("energetic", "determined"),
               (), "the rush of a game in play"),
    "wedding": _k({"classical": 1, "pop": 0.7}, 0.15, 0.0, ("romantic", "joyful"),
                  ("strings", "harp", "piano"), "a wedding day full of promise"),
    "love": _k({"r&b": 1, "pop": 0.7, "jazz": 0.5}, 0.1, -0.05, ("romantic", "tender"),
               ("electric piano",), "two people close together"),
    "friends": _k({"pop": 1, "k-pop": 0.6, "funk": 0.5}, 0.15, 0.12, ("joyful", "carefree"),
                  (), "friends laughing together"),
    "child": _k({"pop": 1, "folk": 0.8, "classical": 0.4}, 0.15, 0.05, ("innocent", "playful"),
                ("glockenspiel", "music box"), "a child's carefree laughter"),
    "smile": _k({"pop": 1, "funk": 0.4}, 0.15, 0.05, ("cheerful", "bright"),
                (), "a bright, open smile"),
    "portrait": _k({"r&b": 0.8, "pop": 0.6, "jazz": 0.4}, 0.0, -0.05, ("intimate", "reflective"),
                   (), "a face caught in a quiet moment"),
    "dog": _k({"pop": 1, "folk": 0.8, "country": 0.4}, 0.15, 0.1, ("playful", "cheerful"),
              ("acoustic guitar",), "a dog bounding with joy"),
    "cat": _k({"lo-fi": 0.8, "pop": 0.7, "jazz": 0.5}, 0.1, -0.1, ("playful", "cozy"),
              ("pizzicato strings", "vibraphone"), "a cat lazing in the light"),
    "horse": _k({"country": 1, "folk": 0.6, "cinematic": 0.4}, 0.05, 0.1, ("free", "spirited"),
                ("banjo", "fiddle"), "a horse running free"),
    "flower": _k({"pop": 1, "folk": 0.8}, 0.12, 0.0, ("tender", "fresh"),
                 ("flute", "harp"), "flowers in full bloom"),
    "food": _k({"jazz": 0.7, "funk": 0.6, "latin": 0.6}, 0.1, 0.0, ("warm", "inviting"),
               (), "a table laid with good food"),
    "guitar": _k({"rock": 0.8, "folk": 0.8, "blues": 0.7, "country": 0.6}, 0.0, 0.05, ("soulful",),
                 ("acoustic guitar",), "a guitar waiting to be played"),
    "piano": _k({"classical": 1, "jazz": 0.7}, 0.0, -0.05, ("elegant",),
                ("piano",), "a piano in soft light"),
}

# Other words, and plurals that simple suffix rules miss, mapped to a keyword above.
SYNONYMS: dict[str, str] = {
    "shore": "beach", "coast": "beach", "sand": "beach", "seaside": "beach", "surf": "beach",
    "ocean": "sea", "wave": "sea", "waves": "sea", "pond": "lake", "stream": "river", "waterfall": "river",
    "woods": "forest", "wood": "forest", "tree": "forest", "jungle": "forest",
    "park": "garden", "meadow": "field", "farm": "field", "countryside": "field",
    "mountains": "mountain", "hill": "mountain", "peak": "mountain", "alps": "mountain", "valley": "mountain",
    "dune": "desert", "cathedral": "church", "temple": "church", "palace": "castle", "ruin": "ruins",
    "abandoned": "ruins", "palm": "tropical", "island": "tropical",
    "downtown": "city", "skyline": "city", "skyscraper": "city", "urban": "city", "building": "city",
    "alley": "street", "sidewalk": "street", "crosswalk": "street", "café": "cafe", "coffeeshop": "cafe",
    "espresso": "coffee", "latte": "coffee", "pub": "bar", "nightclub": "club", "disco": "club",
    "metro": "subway", "laptop": "desk", "computer": "desk", "office": "desk",
    "library": "book", "study": "book", "highway": "road", "roadtrip": "road", "truck": "car",
    "railway": "train", "station": "train",
    "nighttime": "night", "midnight": "night", "evening": "night", "rainy": "rain", "raining": "rain",
    "drizzle": "rain", "umbrella": "rain", "snowy": "snow", "snowing": "snow", "snowfall": "snow",
    "thunder": "storm", "lightning": "storm", "thunderstorm": "storm", "stormy": "storm",
    "clouds": "cloud", "cloudy": "cloud", "overcast": "cloud", "lamplight": "lamp", "lantern": "lamp",
    "candle": "lamp", "candlelight": "lamp", "greenery": "garden", "mist": "fog", "misty": "fog", "foggy": "fog", "haze": "fog",
    "sunny": "sun", "sunshine": "sun", "sunlight": "sun", "noon": "sun",
    "sundown": "sunset", "dusk": "sunset", "twilight": "sunset", "sunrise": "dawn", "morning": "dawn",
    "moonlight": "moon", "moonlit": "moon", "starry": "star", "galaxy": "star", "milky": "star",
    "autumnal": "autumn", "leaves": "autumn", "wintry": "winter", "campfire": "fire", "bonfire": "fire",
    "celebration": "party", "birthday": "party", "festival": "party", "dancing": "dance",
    "dancer": "dance", "firework": "fireworks", "stage": "concert", "gig": "concert", "crowd": "concert",
    "skateboard": "skate", "skater": "skate", "skateboarding": "skate", "stadium": "game",
    "football": "game", "soccer": "game", "basketball": "game", "sport": "game",
    "bride": "wedding", "groom": "wedding", "couple": "love", "kiss": "love", "heart": "love",
    "friend": "friends", "kid": "child", "children": "child", "baby": "child", "toddler": "child",
    "smiling": "smile", "laughing": "smile", "laughter": "smile", "happy": "smile",
    "face": "portrait", "selfie": "portrait", "woman": "portrait", "man": "portrait", "girl": "portrait",
    "boy": "portrait", "person": "portrait", "people": "friends", "men": "portrait", "women": "portrait",
    "puppy": "dog", "kitten": "cat", "rose": "flower", "tulip": "flower", "blossom": "flower",
    "bouquet": "flower", "meal": "food", "dinner": "food", "lunch": "food", "restaurant": "food",
    "cake": "food", "dish": "food",
}

# Two-word names read before single words ("a sun setting" is a sunset, "sand dunes" a desert).
PHRASES: dict[str, str] = {
    "sun setting": "sunset", "setting sun": "sunset", "sun sets": "sunset", "sun rising": "dawn",
    "rising sun": "dawn", "sand dune": "desert", "sand dunes": "desert", "coffee shop": "cafe",
    "night club": "club", "rock concert": "concert", "live music": "concert",
    "skate park": "skate", "city lights": "city", "street lights": "street",
}

# Korean nouns (a Korean captioner may come later) -> keyword.
KOREAN: dict[str, str] = {
    "바다": "sea", "해변": "beach", "해수욕장": "beach", "밤": "night", "야경": "night", "비": "rain",
    "도시": "city", "숲": "forest", "눈": "snow", "노을": "sunset", "석양": "sunset", "카페": "cafe",
    "커피": "coffee", "산": "mountain", "꽃": "flower", "파티": "party", "사막": "desert", "길": "road",
    "도로": "road", "하늘": "sky", "별": "star", "달": "moon", "강": "river", "호수": "lake",
    "거리": "street", "골목": "street", "강아지": "dog", "개": "dog", "고양이": "cat", "아이": "child",
    "아기": "child", "결혼식": "wedding", "가을": "autumn", "봄": "spring", "겨울": "winter",
    "여름": "summer", "태양": "sun", "햇살": "sun", "폭풍": "storm", "기차": "train", "음식": "food",
    "공연": "concert", "콘서트": "concert", "네온": "neon", "자동차": "car", "안개": "fog",
    "정원": "garden", "공원": "garden", "친구": "friends", "사랑": "love", "미소": "smile",
    "얼굴": "portrait", "교회": "church", "성": "castle", "불꽃놀이": "fireworks", "서울": "seoul", "구름": "cloud", "램프": "lamp", "등불": "lamp", "촛불": "lamp",
    "책": "book", "춤": "dance", "일출": "dawn", "새벽": "dawn", "클럽": "club", "술집": "bar",
}

# Particles that may follow a Korean noun without a space ("바다에서", "밤의").
PARTICLES: tuple[str, ...] = (
    "", "은", "는", "이", "가", "을", "를", "에", "에서", "의", "와", "과", "로", "으로", "도", "만",
    "처럼", "에게", "까지", "부터", "들", "들이", "들의", "속", "속의", "위", "위의", "이다", "입니다",
)

_WORD = re.compile(r"[a-zà-ÿ]+|[가-힣]+")


@dataclass(frozen=True)
class Hints:
    """What a reading's words add: matched keywords, in the order they appear, and their sum."""

    words: tuple[str, ...] = ()                              # keyword names, first seen first
    genre_votes: dict[str, float] = field(default_factory=dict)
    valence: float = 0.0                                     # clipped to +-MAX_SHIFT
    energy: float = 0.0
    moods: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


def keyword_for(token: str) -> str | None:
    """The keyword a single lower-case word stands for, or None."""
    if token in KEYWORDS:
        return token
    if token in SYNONYMS:
        return SYNONYMS[token]
    if "가" <= token[:1] <= "힣":
        return _korean_keyword(token)
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):   # beaches, cities, dogs
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            stem = token[: -len(suffix)] + repl
            if stem in KEYWORDS:
                return stem
            if stem in SYNONYMS:
                return SYNONYMS[stem]
    return None


def _korean_keyword(token: str) -> str | None:
    # Longest noun first, so "바다" wins over nothing and "해수욕장" over "해".
    for noun in sorted(KOREAN, key=len, reverse=True):
        if token.startswith(noun) and token[len(noun):] in PARTICLES:
            return KOREAN[noun]
    return None


def matched_keywords(reading: ImageReading) -> tuple[str, ...]:
    """Keywords found in the caption and tags, each once, in order of first appearance."""
    text = " ".join([reading.caption, *reading.tags]).lower()
    for phrase, word in PHRASES.items():       # a phrase becomes its keyword, in place
        text = re.sub(rf"\b{phrase}\b", word, text)
    found: list[str] = []
    for token in _WORD.findall(text):
        word = keyword_for(token)
        if word and word not in found:
            found.append(word)
    return tuple(found)


def hints(reading: ImageReading) -> Hints:
    words = matched_keywords(reading)
    votes: dict[str, float] = {}
    valence = energy = 0.0
    moods: list[str] = []
    instruments: list[str] = []
    for word in words:
        kw = KEYWORDS[word]
        for genre, weight in kw.genres.items():
            votes[genre] = votes.get(genre, 0.0) + weight
        valence += kw.valence
        energy += kw.energy
        moods += [m for m in kw.moods if m not in moods]
        instruments += [i for i in kw.instruments if i not in instruments]
    return Hints(
        words=words, genre_votes=votes,
        valence=max(-MAX_SHIFT, min(MAX_SHIFT, valence)), energy=max(-MAX_SHIFT, min(MAX_SHIFT, energy)),
        moods=tuple(moods), instruments=tuple(instruments),
        phrases=tuple(KEYWORDS[w].phrase for w in words),
    )
