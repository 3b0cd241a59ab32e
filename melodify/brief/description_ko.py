"""The brief in Korean, for the Korean web UI: a short paragraph from the brief and the reading alone.

Korean particles change with the last syllable ("바다와" but "노을과"), so they are chosen by
`melodify.words.josa` from the word they follow rather than written into the templates.
"""

from __future__ import annotations

from ..contracts import ImageReading, MusicBrief
from ..genres import GENRES, ROLES
from ..instruments import INSTRUMENTS, KITS
from ..words import join_ko, josa, main_colours
from .keywords import KOREAN, hints

# Korean note names: A = 가, B = 나, C = 다 ...; sharps 올림, flats 내림.
KEY_KO: dict[str, str] = {
    "C": "다", "C#": "올림다", "D": "라", "Eb": "내림마", "E": "마", "F": "바", "F#": "올림바",
    "G": "사", "Ab": "내림가", "A": "가", "Bb": "내림나", "B": "나",
}

MOODS_KO: dict[str, str] = {   # mood words as nouns, which take particles simply
    "euphoric": "황홀함", "playful": "장난기", "exuberant": "활기", "joyful": "기쁨", "serene": "평온함",
    "tender": "다정함", "content": "만족감", "gentle": "부드러움", "brooding": "무거운 긴장",
    "tense": "긴장감", "defiant": "반항심", "restless": "들뜬 기운", "wistful": "아련함",
    "melancholic": "쓸쓸함", "pensive": "사색", "lonely": "외로움", "reflective": "성찰",
    "nostalgic": "그리움", "dreamy": "몽환", "carefree": "자유로움", "sunny": "화창함", "expansive": "광활함",
    "still": "고요함", "flowing": "흐름", "calm": "차분함", "earthy": "소박함", "peaceful": "평화로움",
    "open": "탁 트인 느낌", "homely": "포근함", "majestic": "장엄함", "vast": "광활함", "airy": "가벼움",
    "grand": "웅장함", "reverent": "경건함", "solemn": "엄숙함", "haunting": "잊히지 않는 여운",
    "desolate": "황량함", "urban": "도시의 감성", "gritty": "거친 질감", "retro": "레트로 감성",
    "electric": "짜릿함", "cozy": "아늑함", "relaxed": "여유", "smoky": "자욱한 분위기", "soulful": "소울",
    "hypnotic": "최면 같은 반복", "glossy": "세련됨", "focused": "집중", "free": "자유", "adventurous": "모험심",
    "wandering": "방랑", "nocturnal": "밤의 정취", "hushed": "숨죽인 고요", "stormy": "격정",
    "mysterious": "신비로움", "hazy": "흐릿함", "radiant": "눈부심", "hopeful": "희망", "fresh": "싱그러움",
    "wondrous": "경이로움", "frosty": "차가운 공기", "warm": "따뜻함", "intimate": "친밀함",
    "energetic": "에너지", "dazzling": "화려함", "fierce": "맹렬함", "rebellious": "반항심",
    "determined": "결연함", "romantic": "낭만", "innocent": "순수함", "cheerful": "명랑함", "bright": "밝음",
    "spirited": "생기", "inviting": "따스한 환대", "elegant": "우아함", "evocative": "여운",
}

# Korean mood words as people type them (adjectives mostly) -> the engine's English mood word, so an
# edit in Korean reads right in both languages. The nouns above map back too (first word wins), and
# "-한"/"-운" adjectives find their "-함"/"-움" noun (평온한 -> 평온함, 외로운 -> 외로움).
MOODS_FROM_KO: dict[str, str] = {
    "행복한": "joyful", "행복": "joyful", "기쁜": "joyful", "즐거운": "cheerful", "신나는": "energetic",
    "신남": "energetic", "활기찬": "exuberant", "경쾌한": "playful", "슬픈": "melancholic", "슬픔": "melancholic",
    "우울한": "melancholic", "우울": "melancholic", "화난": "fierce", "분노": "fierce", "격렬한": "fierce",
    "잔잔한": "calm", "편안한": "relaxed", "설레는": "hopeful", "희망찬": "hopeful", "사랑스러운": "romantic",
    "낭만적인": "romantic", "어두운": "brooding", "밝은": "bright", "몽환적인": "dreamy", "몽환적": "dreamy",
    "그리운": "nostalgic", "긴장된": "tense", "무서운": "tense", "눈부신": "radiant", "신비한": "mysterious",
    "평온한": "serene", "따뜻한": "warm", "시원한": "fresh", "상쾌한": "fresh", "웅장한": "grand",
}
for _english, _korean in MOODS_KO.items():
    MOODS_FROM_KO.setdefault(_korean, _english)


def english_mood(word: str) -> str:
    """The engine's English mood word for a Korean one a person typed; any other word as it was."""
    word = word.strip()
    nouns = {"한": "함", "운": "움"}   # adjective ending -> noun ending
    for candidate in (word, word[:-1] + nouns.get(word[-1:], "")):
        if candidate in MOODS_FROM_KO:
            return MOODS_FROM_KO[candidate]
    return word


# keyword -> the Korean noun a description uses (the first Korean word for it, plus a few more).
KEYWORD_KO: dict[str, str] = {}
for _noun, _keyword in KOREAN.items():
    KEYWORD_KO.setdefault(_keyword, _noun)
KEYWORD_KO.update({"beach": "해변", "dog": "강아지", "child": "아이", "sun": "햇살", "river": "강",
                   "ruins": "폐허", "tropical": "열대의 풍경", "subway": "지하철", "graffiti": "그래피티",
                   "desk": "책상", "skate": "스케이트보드", "game": "경기", "field": "들판", "horse": "말",
                   "guitar": "기타", "piano": "피아노", "fire": "모닥불", "portrait": "인물",
                   "club": "클럽", "bar": "바", "lamp": "램프 불빛"})


def _scene_ko(reading: ImageReading) -> str:
    nouns = [KEYWORD_KO[w] for w in hints(reading).words if w in KEYWORD_KO][:2]
    if not nouns:
        return "풍경"
    return nouns[0] if len(nouns) == 1 else f"{josa(nouns[0], '과', '와')} {nouns[1]}"


def _colours_ko(reading: ImageReading) -> str:
    names = [c.ko for c in main_colours(reading.palette, reading.palette_weights, 2)]
    return join_ko(names) if names else "빛과 그림자"


def describe_ko(brief: MusicBrief, reading: ImageReading) -> str:
    """A Korean paragraph for the brief: genre label, photo, mood, tempo, key, instruments, shape."""
    genre = GENRES[brief.genre]
    moods = [MOODS_KO.get(m.strip().lower(), m.strip()) for m in brief.mood if m.strip()] or ["여운"]
    mood = moods[0] if len(moods) == 1 else f"{josa(moods[0], '과', '와')} {moods[1]}"
    names = [INSTRUMENTS[i].label_ko for i in brief.instruments]
    named = dict(zip(ROLES, names))
    lead = named["lead"]
    key = f"{KEY_KO[brief.key]}{'장조' if brief.mode == 'major' else '단조'}"
    sentences = [
        f"{genre.label_ko}: 사진 속 {_scene_ko(reading)}에서 영감을 받아, {josa(mood, '이', '가')} "
        f"어우러진 {genre.label_ko} 곡입니다.",
        f"{_colours_ko(reading)}의 색감이 곡 전체의 빛깔을 정합니다.",
    ]
    if "chords" in named and "bass" in named:
        sentences.append(f"{josa(lead, '이', '가')} 짧은 모티프로 문을 열고, {josa(named['chords'], '이', '가')} "
                         f"화음을, {josa(named['bass'], '이', '가')} 낮은 음을 받쳐 줍니다.")
    else:
        sentences.append(f"{josa(lead, '이', '가')} 짧은 모티프로 문을 엽니다.")
    if genre.kit is None:
        sentences.append(f"{brief.tempo} BPM, {key}({brief.key_name})로, 드럼 없이 화음과 베이스가 흐름을 이끕니다.")
    else:
        sentences.append(f"{brief.tempo} BPM, {key}({brief.key_name})로, "
                         f"{josa(KITS[genre.kit].phrase_ko, '이', '가')} 일정한 리듬을 이어 갑니다.")
    if len(names) > len(ROLES):       # the genre's layers, and a person's own additions
        sentences.append(f"{josa(join_ko(names[len(ROLES):]), '이', '가')} 곳곳에 색을 더합니다.")
    pad = named.get("pad")
    fill = f"{josa(pad, '이', '가')} 공간을 채우고 " if pad else ""
    if brief.energy > 0.7:
        ending = "마지막 화음이 힘차게 울리며 끝납니다"
    elif brief.energy > 0.4:
        ending = "악기들이 하나씩 빠지며 마무리됩니다"
    else:
        ending = "천천히 잦아들며 고요 속으로 사라집니다"
    sentences.append(f"곡이 전개되면서 {fill}모티프가 변주되어 돌아오고, {ending}.")
    return " ".join(sentences)
