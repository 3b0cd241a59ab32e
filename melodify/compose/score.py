"""write_score: a MusicBrief becomes a Score (the embedded composer's notes).

The form (arrangement.py) and the chords (harmony.py) come first; then each part is written against
them in beats (melody.py, bass.py, comping.py, drums.py), swung, turned into seconds and humanised.
How each genre plays is data: the `Style` in its module in melodify.genres. Deterministic: one
Random(brief.seed) is threaded through.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from ..contracts import MusicBrief, Note, Part, Score, Section
from ..genres import ROLES, Genre, get_genre
from ..instruments import INSTRUMENTS, KITS
from .arrangement import SectionPlan, bar_count, plan_sections
from .bass import bass_part
from .comping import comp_part, pad_part
from .drums import drum_part
from .grid import swing_warp
from .harmony import chord_timeline, pick_progressions
from .humanise import humanise
from .melody import melody_part
from .styles import FALLBACK, Layer, Style
from .theory import pitch_class, scale_of

# role -> (volume CC7, pan CC10, reverb send scale): bass and drums centred, chords a little left,
# lead a little right, pad low in the mix. A style's `mix` sets its own volumes.
MIX = {"lead": (112, 76, 1.0), "chords": (100, 50, 1.0), "bass": (104, 64, 0.3), "pad": (84, 64, 1.3),
       "drums": (86, 64, 0.5)}


def write_score(brief: MusicBrief, plan: list[SectionPlan] | None = None) -> Score:
    """The score of a brief, in the composer's own form, or in `plan` (see arrangement.plan_scenes)."""
    genre = get_genre(brief.genre)
    style = genre.style
    rng = random.Random(brief.seed)
    bpb = brief.beats_per_bar
    steps_per_bar = bpb * 4
    tonic, mode = pitch_class(brief.key), brief.mode
    scale = scale_of(mode)
    bass_pattern, comp_pattern, groove = _patterns(style, brief.time_signature)

    plan = plan or plan_sections(bar_count(brief.duration, brief.tempo, bpb))
    spans = chord_timeline(plan, style, tonic, mode, bpb, pick_progressions(style, mode, brief.valence, rng))
    energy = brief.energy
    parts_in_beats: dict[str, list[Note]] = {
        "lead": melody_part(plan, spans, style, tonic, style.melody.scale or scale, steps_per_bar, energy,
                            brief.valence, rng),
        "chords": comp_part(plan, spans, style, comp_pattern, steps_per_bar, energy, tonic),
        "bass": bass_part(plan, spans, style, bass_pattern, steps_per_bar, energy, tonic,
                          tuple((tonic + s) % 12 for s in scale)),
        "pad": pad_part(plan, spans, style, bpb, energy),
    }
    if genre.kit is not None:
        parts_in_beats["drums"] = drum_part(plan, style, groove, steps_per_bar, energy)
    programs = assign_instruments(genre, brief.instruments)
    layers = {layer.instrument: layer for layer in style.layers
              if layer.instrument in brief.instruments and layer.instrument not in programs.values()}
    for name, layer in layers.items():
        parts_in_beats[name] = _layer_part(layer, plan, spans, style, brief, comp_pattern, tonic, scale)

    parts_in_beats = {role: fit_to_plan(notes, role, plan, bpb) for role, notes in parts_in_beats.items()}
    seconds = 60.0 / brief.tempo
    parts = []
    for role, notes in parts_in_beats.items():
        timed = [_timed(n, genre.swing, style.swing_unit, seconds, brief.duration) for n in notes]
        timed = [n for n in timed if n is not None]
        if role != "drums":
            timed = humanise(timed, style.humanise_ms, rng)
        elif style.humanise_ms:
            timed = humanise(timed, style.humanise_ms * 0.5, rng, velocity_jitter=4)
        timed = [Note(n.pitch, n.velocity, n.start, min(n.end, brief.duration)) for n in timed]
        timed.sort(key=lambda n: (n.start, n.pitch))
        if role in layers:
            volume, pan, wet, program = layers[role].volume, layers[role].pan, 1.0, INSTRUMENTS[role].program
        else:
            volume, pan, wet = MIX[role]
            volume = style.mix.get(role, volume)
            program = KITS[genre.kit].program if role == "drums" else INSTRUMENTS[programs[role]].program
        parts.append(Part(role, program, role == "drums", timed, volume, pan, min(127, round(style.reverb * wet))))
    beat = beat_map(plan, bpb)
    sections = [Section(s.name, min(brief.duration, beat(s.start_bar * bpb) * seconds),
                        min(brief.duration, beat(s.end_bar * bpb) * seconds)) for s in plan]
    sections[-1] = Section(sections[-1].name, sections[-1].start, brief.duration)
    return Score(float(brief.tempo), bpb, brief.key, mode, brief.duration, parts, sections)


def fit_to_plan(notes: list[Note], role: str, plan: list[SectionPlan], beats_per_bar: int) -> list[Note]:
    """Notes (in beats) as the plan's sections ask: each section's level and parts, and its short bar's
    missing beats taken out (the notes there dropped, the later ones moved up)."""
    if all(s.short == 0 and s.level == 1.0 and s.roles is None for s in plan):
        return notes
    beat = beat_map(plan, beats_per_bar)
    out = []
    for n in notes:
        section = next((s for s in plan if n.start < s.end_bar * beats_per_bar), plan[-1])
        if section.roles is not None and role not in section.roles:
            continue
        if n.start >= section.end_bar * beats_per_bar - section.short:      # in the beats taken out
            continue
        velocity = max(1, min(127, round(n.velocity * section.level)))
        out.append(Note(n.pitch, velocity, beat(n.start), n.end if n.end == float("inf") else beat(n.end)))
    return out


def beat_map(plan: list[SectionPlan], beats_per_bar: int) -> Callable[[float], float]:
    """Beat on the composer's grid of whole bars -> beat in the piece, once short bars are short."""
    cuts = [(s.end_bar * beats_per_bar - s.short, s.short) for s in plan if s.short]

    def beat(b: float) -> float:
        moved = b
        for start, length in cuts:
            if b >= start + length:
                moved -= length
            elif b > start:
                moved -= b - start
        return moved

    return beat


def _layer_part(layer: Layer, plan, spans, style: Style, brief: MusicBrief, comp_pattern: str, tonic: int,
                scale: tuple[int, ...]) -> list[Note]:
    """A layer's notes in beats: the chords by its own pattern, or a second melody from its own seed."""
    steps_per_bar = brief.beats_per_bar * 4
    sections = [s for s in plan if s.kind in layer.sections]
    if layer.kind == "line":
        rng = random.Random(f"{brief.seed}:{layer.instrument}")
        return melody_part(sections, spans, replace(style, melody=layer.melody), tonic, layer.melody.scale or scale,
                           steps_per_bar, brief.energy, brief.valence, rng)
    pattern = layer.pattern if brief.time_signature == style.meter else comp_pattern
    own = replace(style, comp_b=None, comp_centre=layer.centre, power=layer.power)
    return comp_part(sections, spans, own, pattern, steps_per_bar, brief.energy, tonic)


def assign_instruments(genre: Genre, names: list[str]) -> dict[str, str]:
    """Role -> instrument name. Each name goes to the first free role whose palette has it, else (an
    instrument that can be a bass to the bass) the first free melodic role; roles left empty get the
    genre's default."""
    roles: dict[str, str] = {}
    for name in names:
        if name in roles.values():
            continue
        fitting = [r for r in ROLES if r not in roles and name in genre.instruments[r]]
        if not fitting:
            bass_like = "bass" in INSTRUMENTS[name].roles
            fitting = [r for r in ROLES if r not in roles and (r == "bass") == bass_like]
        if fitting:
            roles[fitting[0]] = name
    for role in ROLES:
        roles.setdefault(role, genre.instruments[role][0])
    return roles


def _patterns(style: Style, meter: str) -> tuple[str, str, dict[str, str]]:
    if meter == style.meter:
        return style.bass, style.comp, style.groove
    alt = FALLBACK[meter]
    return alt["bass"], alt["comp"], alt["groove"]


def _timed(n: Note, swing: float, unit: int, seconds_per_beat: float, duration: float) -> Note | None:
    """Beats -> seconds (swung), clipped to the piece; the last notes ring to the end."""
    start = swing_warp(n.start, swing, unit) * seconds_per_beat
    if start >= duration - 0.05:
        return None
    end = duration if n.end == float("inf") else swing_warp(n.end, swing, unit) * seconds_per_beat
    return Note(n.pitch, n.velocity, round(start, 6), round(min(end, duration), 6))
