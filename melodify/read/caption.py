"""The caption, in English and Korean, written from what was measured: light, warmth, scene,
colours and feel, as a person would describe the photo in one sentence.

    A very dark, cold photo of the sea at night, with a moon and a few stars, in deep blue — hushed and sparse.
    달과 별 몇 개가 뜬 밤바다를 담은 아주 어둡고 차가운 사진으로, 짙은 파란색이 주를 이루며 고요하고 여백이 많습니다.

The vocabulary follows the measures, so different photos read differently; nothing is random, so
the same photo always gets the same sentence. Scene words are the briefer's keywords ("sea",
"sunset", "lamplight"), which is how the caption steers the music.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..words import join_en, join_ko, josa, main_colours
from .measures import Measures


@dataclass(frozen=True)
class Word:
    en: str
    ko: str          # the Korean as it ends a clause: "어둡고" (light), "차가운" (warmth), "고요하고" (mood)
    ko_noun: str = ""   # light's Korean before a noun when no warmth word follows: "어두운"


# (upper bound, word): the first bound above the value picks the word.
LIGHT = ((0.12, Word("very dark", "아주 어둡고", "아주 어두운")), (0.25, Word("dim", "어둑하고", "어둑한")),
         (0.4, Word("dimly lit", "조금 어둡고", "조금 어두운")), (0.55, Word("softly lit", "은은하게 밝고", "은은하게 밝은")),
         (0.72, Word("bright", "밝고", "밝은")), (1.01, Word("very bright", "아주 밝고", "아주 밝은")))
WARMTH = ((-0.5, Word("cold", "차가운")), (-0.15, Word("cool", "서늘한")), (0.15, Word("", "")),
          (1.01, Word("warm", "따뜻한")))
BUSYNESS = ((0.15, Word(" and sparse", "여백이 많습니다")), (0.3, Word(" and simple", "단순합니다")),
            (0.5, Word(", with plenty of detail", "디테일이 풍부합니다")),
            (1.01, Word(" and busy with detail", "빽빽합니다")))
MONOCHROME = 0.04      # below this saturation, a black-and-white photo

# Scene tags, in the order they are worth mentioning: what the photo is of (a subject), or where
# and how it is lit (a setting). Korean settings are written to stand before a noun.
SUBJECTS = (
    ("sunset", Word("a sunset", "노을")), ("beach", Word("a sandy beach", "모래사장")),
    ("sea", Word("the sea", "바다")), ("desert", Word("sand dunes", "모래 언덕")),
    ("snow", Word("a snowy landscape", "눈 덮인 풍경")), ("forest", Word("dense trees", "울창한 숲")),
    ("flowers", Word("a mass of flowers", "가득 핀 꽃")),
)
SETTINGS = (
    ("city lights", Word("with many scattered lights", "수많은 불빛이 흩어진")),
    ("neon", Word("lit by neon", "네온 불빛이 비치는")),
    ("lamplight", Word("under warm lamplight", "따뜻한 램프 불빛 아래의")),
    ("portrait", Word("with a face at its centre", "가운데에 얼굴이 있는")),
    ("overcast", Word("on an overcast day", "흐린 날의")),
    ("sky", Word("under an open sky", "탁 트인 하늘 아래의")),
    ("greenery", Word("with greenery", "초록이 어우러진")),
)


def pick(scale: tuple[tuple[float, Word], ...], value: float) -> Word:
    return next(word for bound, word in scale if value < bound)


def _mood(m: Measures) -> Word:
    if m.brightness < 0.2:
        return Word("hushed", "고요하고")
    if m.contrast >= 0.45:
        return Word("dramatic", "극적이고")
    if m.colourfulness >= 0.75:
        return Word("vivid", "선명하고")
    if m.saturation < 0.15:
        return Word("quiet", "잔잔하고")
    if m.brightness > 0.7:
        return Word("airy", "산뜻하고")
    return Word("calm", "차분하고") if m.texture < 0.3 else Word("lively", "생기 있고")


def _scene(tags: list[str]) -> tuple[Word | None, list[Word]]:
    """(what it is of, up to two settings), from the scene tags."""
    subjects = [w for tag, w in SUBJECTS if tag in tags]
    settings = [w for tag, w in SETTINGS if tag in tags]
    if "beach" in tags:
        subjects = [w for w in subjects if w.en != "the sea"]
    if "night" in tags and subjects and subjects[0].en == "the sea":
        subjects[0] = Word("the sea at night", "밤바다")
    if "moon" in tags or "stars" in tags:
        lights = [w for tag, w in (("moon", Word("a moon", "달")), ("stars", Word("a few stars", "별 몇 개")))
                  if tag in tags]
        settings.insert(0, Word(f"with {join_en([w.en for w in lights])}",
                                f"{josa(join_ko([w.ko for w in lights]), '이', '가')} 뜬"))
    elif "sun" in tags and "sunset" not in tags:
        settings.append(Word("in bright sunshine", "햇살이 밝게 비치는"))
    if "overcast" in tags or "sunset" in tags:       # not "overcast" and "open sky" at once
        settings = [w for w in settings if w.en != "under an open sky"]
    subject = subjects[0] if subjects else None
    return subject, settings[: 2 if subject is None else 1]


def write_caption(m: Measures, tags: list[str]) -> str:
    """One English sentence about the photo."""
    subject, settings = _scene(tags)
    light, warmth = pick(LIGHT, m.brightness).en, pick(WARMTH, m.warmth).en
    if any("lamplight" in w.en for w in settings):
        warmth = ""                       # "warm lamplight" says it
    if m.saturation < MONOCHROME:
        look = f"{light} black-and-white"
    else:
        look = f"{light}, {warmth}" if warmth else light
    article = "An" if look[0] in "aeiou" else "A"
    # "of the sea at night, with a moon, in deep blue", but "under warm lamplight, in brown"
    scene = f" of {subject.en}{''.join(f', {w.en}' for w in settings)}" if subject else (
        f" {', '.join(w.en for w in settings)}" if settings else "")
    names = [c.name for c in main_colours(m.palette, m.palette_weights, _colour_count(m))]
    if names:
        scene += ("," if settings else "") + f" in {join_en(names)}"
    feel = f"{_mood(m).en}{pick(BUSYNESS, m.texture).en}"
    return f"{article} {look} photo{scene} — {feel}."


def write_caption_ko(m: Measures, tags: list[str]) -> str:
    """The same sentence in Korean."""
    subject, settings = _scene(tags)
    light, warmth = pick(LIGHT, m.brightness), pick(WARMTH, m.warmth).ko
    if any("lamplight" in w.en for w in settings):
        warmth = ""
    if m.saturation < MONOCHROME:
        look = f"{light.ko_noun} 흑백"
    else:
        look = f"{light.ko} {warmth}" if warmth else light.ko_noun
    lead = " ".join(w.ko for w in settings)
    if subject:
        lead = f"{lead} {josa(subject.ko, '을', '를')} 담은".strip()
    names = [c.ko for c in main_colours(m.palette, m.palette_weights, _colour_count(m))]
    colours = f"{josa(join_ko(names), '이', '가')} 주를 이루며 " if names else ""
    feel = f"{_mood(m).ko} {pick(BUSYNESS, m.texture).ko}"
    return f"{lead + ' ' if lead else ''}{look} 사진으로, {colours}{feel}."


def _colour_count(m: Measures) -> int:
    """Two colours for most photos, three for a colourful one."""
    return 3 if m.colourfulness >= 0.6 else 2
