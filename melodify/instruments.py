"""The instruments and drum kits a brief may name: one entry each, complete.

An `Instrument` is its name (the id a brief uses, and its English label), its General MIDI program,
its Korean label (web pages and the Korean description) and the roles it can take where a genre's
palette does not place it. A `Kit` is a General MIDI 2 drum kit and the words that describe it.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("lead", "chords", "bass", "pad")


@dataclass(frozen=True)
class Instrument:
    name: str                  # the id a brief uses, and its English label
    program: int               # General MIDI program, 0-based
    label_ko: str              # Korean label
    # Where it fits outside a genre's palette: a caption's instrument takes a lead, chords or pad
    # role only where it fits; a brief's bass-capable instrument goes to the bass.
    roles: tuple[str, ...]

    def __post_init__(self) -> None:
        unknown = [f"roles has {r!r}, not one of {', '.join(ROLES)}" for r in self.roles if r not in ROLES]
        _refuse(f"instrument {self.name!r}", [*_empty(self, "name", "label_ko"), *_program(self), *unknown])


@dataclass(frozen=True)
class Kit:
    name: str                  # the id a genre uses: "brush"
    program: int               # GM2 drum kit: the bank 128 preset in GM SoundFonts such as FluidR3_GM
    phrase: str                # the description's words, plural so "... keep a steady pulse" reads right
    prompt: str                # the prompt's words
    phrase_ko: str             # the Korean description's words

    def __post_init__(self) -> None:
        _refuse(f"kit {self.name!r}", [*_empty(self, "name", "phrase", "prompt", "phrase_ko"), *_program(self)])


def _empty(entry: Instrument | Kit, *fields: str) -> list[str]:
    return [f"{field} is empty" for field in fields if not getattr(entry, field)]


def _program(entry: Instrument | Kit) -> list[str]:
    return [] if 0 <= entry.program <= 127 else [f"program {entry.program} is outside 0..127"]


def _refuse(what: str, problems: list[str]) -> None:
    if problems:
        raise ValueError(f"{what}: {'; '.join(problems)}")


def _by_name(entries: list) -> dict:
    names = [e.name for e in entries]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"listed twice: {', '.join(twice)}")
    return {e.name: e for e in entries}


INSTRUMENTS: dict[str, Instrument] = _by_name([
    Instrument("piano", 0, "피아노", ("lead", "chords")),
    Instrument("bright piano", 1, "브라이트 피아노", ("lead", "chords")),
    Instrument("electric piano", 4, "일렉트릭 피아노", ("lead", "chords")),
    Instrument("harpsichord", 6, "하프시코드", ("chords",)),
    Instrument("clavinet", 7, "클라비넷", ("chords",)),
    Instrument("celesta", 8, "첼레스타", ("lead",)),
    Instrument("glockenspiel", 9, "글로켄슈필", ("lead",)),
    Instrument("music box", 10, "오르골", ("lead",)),
    Instrument("vibraphone", 11, "비브라폰", ("lead", "chords")),
    Instrument("marimba", 12, "마림바", ("lead", "chords")),
    Instrument("organ", 16, "오르간", ("chords", "pad")),
    Instrument("rock organ", 18, "록 오르간", ()),
    Instrument("accordion", 21, "아코디언", ("lead", "chords")),
    Instrument("harmonica", 22, "하모니카", ("lead",)),
    Instrument("nylon guitar", 24, "나일론 기타", ("lead", "chords")),
    Instrument("acoustic guitar", 25, "어쿠스틱 기타", ("lead", "chords")),
    Instrument("jazz guitar", 26, "재즈 기타", ("lead", "chords")),
    Instrument("clean electric guitar", 27, "클린 일렉트릭 기타", ("lead", "chords")),
    Instrument("muted guitar", 28, "뮤트 기타", ("chords",)),
    Instrument("overdriven guitar", 29, "오버드라이브 기타", ()),
    Instrument("distortion guitar", 30, "디스토션 기타", ()),
    Instrument("acoustic bass", 32, "어쿠스틱 베이스", ("bass",)),
    Instrument("electric bass", 33, "일렉트릭 베이스", ("bass",)),
    Instrument("picked bass", 34, "피크 베이스", ("bass",)),
    Instrument("fretless bass", 35, "프렛리스 베이스", ("bass",)),
    Instrument("slap bass", 36, "슬랩 베이스", ("bass",)),
    Instrument("synth bass", 38, "신스 베이스", ("bass",)),
    Instrument("violin", 40, "바이올린", ("lead",)),
    Instrument("cello", 42, "첼로", ("bass",)),
    Instrument("pizzicato strings", 45, "피치카토 현악", ("chords",)),
    Instrument("harp", 46, "하프", ("chords",)),
    Instrument("timpani", 47, "팀파니", ("bass",)),
    Instrument("strings", 48, "현악 합주", ("chords", "pad")),
    Instrument("slow strings", 49, "느린 현악", ("pad",)),
    Instrument("synth strings", 50, "신스 스트링", ("pad",)),
    Instrument("choir", 52, "합창", ("pad",)),
    Instrument("trumpet", 56, "트럼펫", ("lead",)),
    Instrument("trombone", 57, "트롬본", ()),
    Instrument("french horn", 60, "호른", ("lead",)),
    Instrument("brass", 61, "브라스", ()),
    Instrument("synth brass", 62, "신스 브라스", ()),
    Instrument("alto sax", 65, "알토 색소폰", ("lead",)),
    Instrument("tenor sax", 66, "테너 색소폰", ("lead",)),
    Instrument("clarinet", 71, "클라리넷", ("lead",)),
    Instrument("flute", 73, "플루트", ("lead",)),
    Instrument("pan flute", 75, "팬플루트", ("lead",)),
    Instrument("square lead", 80, "스퀘어 리드", ("lead",)),
    Instrument("synth lead", 81, "신스 리드", ("lead",)),
    Instrument("new age pad", 88, "뉴에이지 패드", ("pad",)),
    Instrument("warm pad", 89, "웜 패드", ("pad",)),
    Instrument("polysynth", 90, "폴리신스", ("chords",)),
    Instrument("choir pad", 91, "코러스 패드", ("pad",)),
    Instrument("bowed pad", 92, "보우드 패드", ("pad",)),
    Instrument("halo pad", 94, "헤일로 패드", ("pad",)),
    Instrument("sweep pad", 95, "스윕 패드", ("pad",)),
    Instrument("banjo", 105, "밴조", ("lead",)),
    Instrument("fiddle", 110, "피들", ("lead",)),
    Instrument("steel drums", 114, "스틸 드럼", ("lead",)),
])

KITS: dict[str, Kit] = _by_name([
    Kit("standard", 0, "crisp drums", "punchy drums", "선명한 드럼"),
    Kit("room", 8, "roomy, live-sounding drums", "live drums", "울림이 있는 라이브 드럼"),
    Kit("power", 16, "hard-hitting drums", "powerful drums", "묵직한 드럼"),
    Kit("electronic", 24, "tight electronic drums", "electronic drums", "타이트한 전자 드럼"),
    Kit("808", 25, "booming 808 drums", "808 drums", "깊게 울리는 808 드럼"),
    Kit("jazz", 32, "light jazz drums on the ride cymbal", "jazz drums", "라이드 심벌 위의 재즈 드럼"),
    Kit("brush", 40, "soft brushed drums", "brushed drums", "부드러운 브러시 드럼"),
    Kit("orchestra", 48, "orchestral drums and timpani", "orchestral percussion", "오케스트라 타악기"),
])
