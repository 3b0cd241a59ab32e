"""A Score as MIDI: a pretty_midi object (for code) and a Standard MIDI File (for a DAW).

Drum parts go on channel 10 with their GM2 kit number as the program change, which GS/GM2 synths
(FluidSynth included) read as the kit choice.

pretty_midi spells key signatures from its key number alone (Eb minor becomes "D#m", six sharps), so
the file's key signature is rewritten with the score's own spelling ("Ebm", six flats).
"""

from __future__ import annotations

import io

import mido
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


def key_name(key: str, mode: str) -> str:
    """The key signature as MIDI files name it: "Eb" major, "Ebm" minor, as the score spells it."""
    return key + ("m" if mode == "minor" else "")


def score_to_midi(score: Score) -> bytes:
    """A type-1 Standard MIDI File. pretty_midi writes the program change on every channel,
    drums included, so channel 10's program is the kit."""
    buffer = io.BytesIO()
    score_to_pretty_midi(score).write(buffer)
    return _edit_conductor(buffer.getvalue(), key=key_name(score.key, score.mode))


def with_title(data: bytes, title: str) -> bytes:
    """A MIDI file with its sequence named `title` (UTF-8, as DAWs read Korean names)."""
    return _edit_conductor(data, title=title)


def _edit_conductor(data: bytes, *, key: str | None = None, title: str | None = None) -> bytes:
    """Rewrite the first track's key signature and sequence name."""
    midi = mido.MidiFile(file=io.BytesIO(data), charset="utf-8")
    conductor = midi.tracks[0]
    for index, message in enumerate(conductor):
        if message.type == "key_signature" and key:
            conductor[index] = message.copy(key=key)
    if title:
        conductor[:] = [m for m in conductor if m.type != "track_name"]
        conductor.insert(0, mido.MetaMessage("track_name", name=title, time=0))
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()
