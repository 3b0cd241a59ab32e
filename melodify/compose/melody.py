"""The lead melody: a seeded motif (rhythm + contour) that returns and varies, phrase by phrase.

Each phrase is a call (the motif, then free notes) and a response (a variation of the motif: sequenced
onto the new chord, inverted, displaced or extended) that ends on a held chord tone: open (third/fifth)
after a call, closed (the root) at the end of a section. Strong beats take chord tones; weak ones may
pass between them. Pitches are scale degrees of the key until the very end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..contracts import Note
from .arrangement import SectionPlan
from .harmony import ChordSpan, chord_at
from .styles import Style
from .theory import Chord, degree_of, scale_pitch

VARIATIONS = ("sequence", "invert", "displace", "extend")


@dataclass(frozen=True)
class Motif:
    onsets: tuple[int, ...]     # steps from the motif's start
    lengths: tuple[int, ...]    # steps
    contour: tuple[int, ...]    # scale-degree offsets from the first note (first is 0)
    grid: int

    @property
    def span(self) -> int:
        return self.onsets[-1] + self.lengths[-1]


def make_motif(grid: int, span: int, syncopation: float, rng: random.Random) -> Motif:
    """3 or 4 notes inside `span` 16th steps, with a contour that moves (never all repeats).
    Onsets favour beats, then off-beat 8ths, then (syncopated styles) 16ths; a slow style (grid 4)
    never uses 16ths, so its notes are longer."""
    def weight(step: int) -> float:
        if step % 4 == 0:
            return 3.0
        if step % 2 == 0:
            return 1.5 if grid <= 2 else 0.8
        return 2.0 * syncopation if grid <= 2 else 0.0
    count = rng.choice((3, 3, 4))
    free = [s for s in range(1, span) if weight(s) > 0]
    inner: list[int] = []
    while len(inner) < count - 1 and free:
        total = sum(weight(s) for s in free)
        pick, r = free[-1], rng.random() * total
        for s in free:
            r -= weight(s)
            if r <= 0:
                pick = s
                break
        inner.append(pick)
        free.remove(pick)
    onsets = [0] + sorted(inner)
    lengths = [b - a for a, b in zip(onsets, onsets[1:])] + [max(2, span - onsets[-1])]
    steps = [rng.choice((1, 1, 2, -1, -1, -2, 3, -3, 0)) for _ in range(len(onsets) - 1)]
    if steps[0] == 0:
        steps[0] = rng.choice((1, -1, 2))
    contour = [0]
    for s in steps:
        contour.append(contour[-1] + s)
    return Motif(tuple(onsets), tuple(lengths), tuple(contour), max(1, min(grid, 2)))


def vary(motif: Motif, how: str, room: int) -> Motif:
    """A variation that fits in `room` steps."""
    if how == "invert":
        return Motif(motif.onsets, motif.lengths, tuple(-c for c in motif.contour), motif.grid)
    if how == "displace" and motif.span + motif.grid <= room:
        return Motif(tuple(o + motif.grid for o in motif.onsets), motif.lengths, motif.contour, motif.grid)
    if how == "extend" and motif.span + 2 * motif.grid <= room:
        last, step = motif.contour[-1], (1 if motif.contour[-1] <= 0 else -1)
        end = motif.onsets[-1] + motif.lengths[-1]
        g = motif.grid
        return Motif(motif.onsets + (end, end + g), motif.lengths[:-1] + (motif.lengths[-1], g, g),
                     motif.contour + (last + step, last + 2 * step), g)
    return motif


class _Writer:
    def __init__(self, spans: list[ChordSpan], tonic: int, scale: tuple[int, ...], steps_per_bar: int,
                 rng: random.Random):
        self.spans, self.tonic, self.scale, self.rng = spans, tonic, scale, rng
        self.steps_per_bar = steps_per_bar
        self.notes: list[tuple[int, int, int, int]] = []    # (step, length, degree, velocity)

    def chord(self, step: int) -> Chord:
        return chord_at(self.spans, step / 4).chord

    def is_chord_tone(self, degree: int, step: int) -> bool:
        return scale_pitch(degree, self.tonic, self.scale) % 12 in self.chord(step).pitch_classes

    def home_tone(self, degree: int, step: int, closes: bool = False) -> int:
        """A chord tone near `degree`: the key's tonic when the chord has it (the key stays clear),
        else the chord's root when a phrase closes, else the nearest chord tone."""
        if self.tonic in self.chord(step).pitch_classes:
            tonic = round(degree / len(self.scale)) * len(self.scale)
            if abs(tonic - degree) <= 3:
                return tonic
        return self.nearest_chord_tone(degree, step, root=closes)

    def nearest_chord_tone(self, degree: int, step: int, direction: int = 0, root: bool = False) -> int:
        chord = self.chord(step)
        for distance in range(0, 5):
            options = [degree + distance, degree - distance]
            if direction < 0:
                options.reverse()
            for d in options:
                pc = scale_pitch(d, self.tonic, self.scale) % 12
                if (pc == chord.root) if root else (pc in chord.pitch_classes):
                    return d
        return degree

    def strong(self, step: int) -> bool:
        return step % self.steps_per_bar == 0 or (self.steps_per_bar == 16 and step % 8 == 0)

    def add(self, step: int, length: int, degree: int, velocity: int) -> None:
        self.notes.append((step, length, degree, velocity))

    def place(self, motif: Motif, at: int, anchor: int, velocity: int) -> int:
        """Play the motif from `at`, first note on `anchor`; strong beats snap to chord tones."""
        previous = None
        for onset, length, offset in zip(motif.onsets, motif.lengths, motif.contour):
            step = at + onset
            degree = anchor + offset
            if self.strong(step) and not self.is_chord_tone(degree, step):
                direction = 0 if previous is None else (1 if degree > previous else -1)
                degree = self.nearest_chord_tone(degree, step, direction)
            self.add(step, length, degree, velocity + (8 if self.strong(step) else 0))
            previous = degree
        return previous if previous is not None else anchor

    def wander(self, start: int, stop: int, degree: int, home: int, density: float, grid: int,
               velocity: int) -> int:
        """Free notes on the grid between start and stop: steps, leaps home, chord tones on strong beats."""
        step = start + (-start) % grid
        while step < stop:
            if self.rng.random() < density:
                move = self.rng.choice((-1, 1, -1, 1, -2, 2, 0))
                if degree - home > 3:
                    move = -abs(move) or -1
                elif home - degree > 3:
                    move = abs(move) or 1
                degree += move
                if self.strong(step):
                    degree = self.nearest_chord_tone(degree, step, move)
                self.add(step, grid, degree, velocity)
            step += grid
        return degree


def melody_part(plan: list[SectionPlan], spans: list[ChordSpan], style: Style, tonic: int,
                scale: tuple[int, ...], steps_per_bar: int, energy: float, valence: float,
                rng: random.Random) -> list[Note]:
    params = style.melody
    home = degree_of(params.centre + round((valence - 0.5) * 10), tonic, scale)   # bright photo: higher line
    phrase_steps = 2 * steps_per_bar
    # The motif fits half of the shortest phrase (one bar), so a call and its answer both have room.
    motif = make_motif(params.grid, min(steps_per_bar // 2, 8), params.syncopation, rng)
    writer = _Writer(spans, tonic, scale, steps_per_bar, rng)
    density = params.density * (0.6 + 0.8 * energy)
    base_velocity = round(84 + 22 * energy)
    degree, phrase_index = home, 0
    for section in plan:
        lo, hi = section.start_bar * steps_per_bar, section.end_step(steps_per_bar)
        if section.kind == "intro":
            continue
        if section.kind == "outro":
            final = round(degree / len(scale)) * len(scale)    # the tonic, nearest where the line is
            writer.add(lo, 10**6, final, base_velocity)
            continue
        lift = 2 if section.kind == "B" else 0
        busy = min(0.95, density + (0.15 if section.kind == "B" else 0.0))
        start = lo
        while start < hi:
            length = min(phrase_steps if hi - start >= phrase_steps else steps_per_bar, hi - start)
            closes = start + length >= hi
            degree = _phrase(writer, motif, start, length, home + lift, busy, params.grid,
                             VARIATIONS[phrase_index % len(VARIATIONS)], closes, base_velocity + 2 * lift)
            phrase_index += 1
            start += length
    return [_to_note(writer, step, length, degree, velocity, params.legato)
            for step, length, degree, velocity in _tidy(writer.notes)]


def _phrase(writer: _Writer, motif: Motif, start: int, length: int, home: int, density: float,
            grid: int, variation: str, closes: bool, velocity: int) -> int:
    half = length // 2
    anchor = writer.home_tone(home, start)
    degree = writer.place(motif, start, anchor, velocity)
    degree = writer.wander(start + motif.span, start + half, degree, home, density * 0.7, grid, velocity - 6)
    answer = vary(motif, variation, half)
    anchor = writer.nearest_chord_tone(degree + (1 if variation == "sequence" else 0), start + half)
    degree = writer.place(answer, start + half, anchor, velocity - 4)
    end_len = max(grid * 2, min(8, length // 4))
    end_at = start + length - end_len
    degree = writer.wander(start + half + answer.span, end_at, degree, home, density, grid, velocity - 8)
    if end_at >= start + half + answer.span:
        degree = writer.home_tone(degree, end_at, closes) if closes else writer.nearest_chord_tone(degree, end_at)
        writer.add(end_at, end_len, degree, velocity)
    return degree


def _tidy(notes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Sort, keep one note per onset, and cut each note where the next one starts (a monophonic line)."""
    by_step: dict[int, tuple[int, int, int, int]] = {}
    for n in notes:
        by_step[n[0]] = n
    ordered = [by_step[k] for k in sorted(by_step)]
    out = []
    for i, (step, length, degree, velocity) in enumerate(ordered):
        if i + 1 < len(ordered):
            length = min(length, ordered[i + 1][0] - step)
        out.append((step, length, degree, velocity))
    return out


def _to_note(writer: _Writer, step: int, length: int, degree: int, velocity: int, legato: float) -> Note:
    pitch = scale_pitch(degree, writer.tonic, writer.scale)
    start = step / 4
    end = float("inf") if length >= 10**6 else start + max(0.2, length * legato) / 4
    return Note(pitch, max(1, min(127, velocity)), start, end)
