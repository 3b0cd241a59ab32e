"""`Genre`: everything every stage needs to know about one genre, in one entry, checked when made.

The briefer reads its mood centre, tempo range, modes, palette and words; the composer its `Style`
and swing; the effects stage its chain; the web pages its labels. A genre missing any of them fails
here, naming the genre and the field, instead of falling back to something at render time.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..compose.chains import Spec
from ..compose.styles import DRUM_NOTES, Layer, Style
from ..instruments import INSTRUMENTS, KITS, ROLES

MODES: tuple[str, ...] = ("major", "minor")
STEPS_PER_BAR: dict[str, int] = {"4/4": 16, "3/4": 12}   # the metres a brief can have
KEY_FAMILIES: tuple[str, ...] = ("guitar", "horn", "other")


@dataclass(frozen=True)
class Genre:
    name: str                      # the id used everywhere: "k-pop"
    label: str                     # English display name
    label_ko: str                  # Korean display name
    noun: str                      # the name mid-sentence: "lo-fi", but "K-pop", "R&B", "Latin"
    tempo: tuple[int, int]         # bpm range the briefer picks from
    valence: float                 # centre of the genre in mood space, 0..1
    energy: float
    modes: tuple[str, ...]         # preferred modes, first is the usual one
    kit: str | None                # drum kit (a name in melodify.instruments.KITS), None: no drums
    instruments: dict[str, tuple[str, ...]]   # role -> candidates, the usual one first
    words: tuple[str, ...]         # adjectives for descriptions and prompts, at least three
    # A stray instrument from a caption would break its sound (the loud guitar genres, the
    # synthetic ones: a nylon guitar lead is not house), so its palette takes no outsider.
    closed: bool
    key_family: str                # keys comfortable for its usual instruments: "guitar", "horn", "other"
    style: Style                   # how it plays: grooves, progressions, voicings
    effects: tuple[Spec, ...]      # its pedalboard chain after the sampler (melodify.compose.chains)
    swing: float = 0.0             # 0 straight .. 0.33 full triplet swing
    aliases: tuple[str, ...] = ()  # other spellings get_genre accepts: "lofi"

    @property
    def meter(self) -> str:
        """The time signature the briefer writes: the one the style's patterns are written in."""
        return self.style.meter

    def __post_init__(self) -> None:
        problems = [*_identity(self), *_feel(self), *_palette(self), *_style(self.style),
                    *(p for i, layer in enumerate(self.style.layers) for p in _layer(i, layer, self.meter))]
        if not self.effects:
            problems.append("effects is empty")
        if problems:
            raise ValueError(f"genre {self.name!r}: {'; '.join(problems)}")


def _identity(g: Genre) -> list[str]:
    problems = [f"{f} is empty" for f in ("name", "label", "label_ko", "noun") if not getattr(g, f)]
    if len(g.words) < 3:     # the description uses three
        problems.append(f"words has {len(g.words)}, needs at least 3")
    return problems


def _feel(g: Genre) -> list[str]:
    problems = [f"{f} {getattr(g, f)} is outside 0..1" for f in ("valence", "energy")
                if not 0 <= getattr(g, f) <= 1]
    low, high = g.tempo
    if not 40 <= low <= high <= 220:    # the range a brief's tempo may have
        problems.append(f"tempo {g.tempo} is not a (low, high) range inside 40..220 bpm")
    if not g.modes or not set(g.modes) <= set(MODES):
        problems.append(f"modes {g.modes} are not some of {MODES}")
    if not 0 <= g.swing <= 1 / 3:
        problems.append(f"swing {g.swing} is outside 0..1/3")
    if g.key_family not in KEY_FAMILIES:
        problems.append(f"key_family {g.key_family!r} is not one of {', '.join(KEY_FAMILIES)}")
    return problems


def _palette(g: Genre) -> list[str]:
    problems = [] if g.kit is None or g.kit in KITS else [f"kit {g.kit!r} is not one of {', '.join(KITS)}"]
    if set(g.instruments) != set(ROLES):
        problems.append(f"instruments has roles {tuple(g.instruments)}, not {ROLES}")
    for role, names in g.instruments.items():
        if not names:
            problems.append(f"instruments[{role!r}] is empty")
        problems += [f"instruments[{role!r}] has unknown instrument {n!r}" for n in names if n not in INSTRUMENTS]
    return problems


def _style(style: Style) -> list[str]:
    if style.meter not in STEPS_PER_BAR:
        return [f"style.meter {style.meter!r} is not one of {', '.join(STEPS_PER_BAR)}"]
    # A brief edit can ask for either mode, so the style needs both.
    problems = [f"style.progressions[{m!r}] is missing" for m in MODES if not style.progressions.get(m)]
    problems += [f"style.{f} is empty" for f in ("bass", "comp") if not getattr(style, f)]
    steps = STEPS_PER_BAR[style.meter]
    problems += [f"{where} is not whole bars of {style.meter}" for where, p in _patterns(style) if len(p) % steps]
    lanes = [*style.groove, *style.groove_b]
    problems += [f"style has unknown drum lane {lane!r}" for lane in lanes if lane not in DRUM_NOTES]
    problems += [f"style.mix has {role!r}, not one of {', '.join(MIX_ROLES)}" for role in style.mix if role not in MIX_ROLES]
    problems += [f"style.mix[{role!r}] {v} is outside 0..127" for role, v in style.mix.items() if not 0 <= v <= 127]
    return problems


MIX_ROLES: tuple[str, ...] = (*ROLES, "drums")
SECTION_KINDS: tuple[str, ...] = ("intro", "A", "B", "outro")


def _layer(i: int, layer: Layer, meter: str) -> list[str]:
    where = f"style.layers[{i}]"
    problems = [] if layer.instrument in INSTRUMENTS else [f"{where} has unknown instrument {layer.instrument!r}"]
    if layer.kind not in ("comp", "line"):
        problems.append(f"{where}.kind {layer.kind!r} is not 'comp' or 'line'")
    if layer.kind == "comp" and (not layer.pattern or len(layer.pattern) % STEPS_PER_BAR.get(meter, 1)):
        problems.append(f"{where}.pattern is not whole bars of {meter}")
    problems += [f"{where}.sections has {k!r}, not one of {', '.join(SECTION_KINDS)}"
                 for k in layer.sections if k not in SECTION_KINDS]
    return problems


def _patterns(style: Style) -> list[tuple[str, str]]:
    """(field, pattern) for each step pattern of the style; an empty one (a B lane silenced) is whole."""
    return [("style.bass", style.bass), ("style.comp", style.comp), ("style.comp_b", style.comp_b or ""),
            *((f"style.groove[{lane!r}]", p) for lane, p in style.groove.items()),
            *((f"style.groove_b[{lane!r}]", p) for lane, p in style.groove_b.items())]
