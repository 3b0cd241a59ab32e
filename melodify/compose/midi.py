"""A Score as MIDI: a pretty_midi object (for code) and a Standard MIDI File (for a DAW).

Drum parts go on channel 10 with their GM2 kit number as the program change, which GS/GM2 synths
(FluidSynth included) read as the kit choice.
"""

from __future__ import annotations

import io

import pretty_midi

from ..contracts import PITCH_CLASSES, Score

RESOLUTION = 480          # ticks per beat: 1 ms steps at 125 bpm, finer than any humanising
CC_VOLUME, CC_PAN, CC_REVERB = 7, 10, 91


def key_number(key: str, mode: str) -> int:
    """pretty_midi's key number: 0-11 major (C..B), 12-23 minor."""
    return PITCH_CLASSES.index(key) + (12 if mode == "minor" else 0)


def score_to_pretty_midi(score: Score) -> pretty_midi.PrettyMIDI:
    pm = pretty_midi.PrettyMIDI(resolution=RESOLUTION, initial_tempo=float(score.tempo))
    pm.time_signature_changes.append(pretty_midi.TimeSignature(score.beats_per_bar, 4, 0.0))
    pm.key_signature_changes.append(pretty_midi.KeySignature(key_number(score.key, score.mode), 0.0))
    for part in score.parts:
        instrument = pretty_midi.Instrument(program=part.program, is_drum=part.is_drum, name=part.name)
        instrument.control_changes = [
            pretty_midi.ControlChange(CC_VOLUME, part.volume, 0.0),
            pretty_midi.ControlChange(CC_PAN, part.pan, 0.0),
            pretty_midi.ControlChange(CC_REVERB, part.reverb, 0.0),
        ]
        instrument.notes = [
            pretty_midi.Note(velocity=n.velocity, pitch=n.pitch, start=n.start, end=n.end)
            for n in sorted(part.notes, key=lambda n: (n.start, n.pitch))
        ]
        pm.instruments.append(instrument)
    return pm


def score_to_midi(score: Score) -> bytes:
    """A type-1 Standard MIDI File. pretty_midi writes the program change on every channel,
    drums included, so channel 10's program is the kit."""
    buffer = io.BytesIO()
    score_to_pretty_midi(score).write(buffer)
    return buffer.getvalue()
