"""score_to_midi writes a Standard MIDI File that pretty_midi and mido read back unchanged."""

import io

import mido
import pretty_midi

from melodify.compose.midi import score_to_midi, score_to_pretty_midi, with_title
from melodify.contracts import Note, Part, Score
from melodify.instruments import KITS


def two_part_score() -> Score:
    piano = Part("chords", program=0, volume=90, pan=40, reverb=50,
                 notes=[Note(60, 80, 0.0, 0.5), Note(64, 70, 0.5, 1.0), Note(67, 90, 1.0, 2.0)])
    drums = Part("drums", program=KITS["brush"].program, is_drum=True, volume=100, pan=64, reverb=20,
                 notes=[Note(36, 110, 0.0, 0.1), Note(38, 100, 0.5, 0.6), Note(42, 60, 0.75, 0.8)])
    return Score(tempo=96.0, beats_per_bar=3, key="Eb", mode="minor", duration=2.0, parts=[piano, drums])


def read_back(score: Score) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(io.BytesIO(score_to_midi(score)))


def test_midi_round_trip_keeps_notes_programs_and_drum_flag():
    score = two_part_score()
    pm = read_back(score)
    assert [(i.name, i.program, i.is_drum) for i in pm.instruments] == [
        ("chords", 0, False), ("drums", KITS["brush"].program, True)]
    tick = 60 / 96 / 480
    for part, instrument in zip(score.parts, pm.instruments):
        assert [(n.pitch, n.velocity) for n in instrument.notes] == [(n.pitch, n.velocity) for n in part.notes]
        for got, want in zip(instrument.notes, part.notes):       # times survive to within a tick
            assert abs(got.start - want.start) <= tick and abs(got.end - want.end) <= tick


def test_midi_keeps_tempo_metre_and_key():
    pm = read_back(two_part_score())
    _, tempi = pm.get_tempo_changes()
    assert abs(tempi[0] - 96.0) < 0.01
    assert [(t.numerator, t.denominator) for t in pm.time_signature_changes] == [(3, 4)]
    assert pm.key_signature_changes[0].key_number == pretty_midi.key_name_to_key_number("Eb minor")


def test_midi_sets_volume_pan_reverb_at_the_start():
    pm = read_back(two_part_score())
    controls = {(c.number, c.value) for c in pm.instruments[0].control_changes if c.time == 0}
    assert {(7, 90), (10, 40), (91, 50)} <= controls


def test_drum_kit_is_a_program_change_on_channel_10():
    midi = mido.MidiFile(file=io.BytesIO(score_to_midi(two_part_score())))
    programs = [(m.channel, m.program) for track in midi.tracks for m in track if m.type == "program_change"]
    assert (9, KITS["brush"].program) in programs
    drum_notes = {m.note for track in midi.tracks for m in track if m.type == "note_on" and m.channel == 9}
    assert drum_notes == {36, 38, 42}
    assert midi.type == 1


def test_pretty_midi_object_matches_the_score():
    pm = score_to_pretty_midi(two_part_score())
    assert len(pm.instruments) == 2
    assert abs(pm.get_end_time() - 2.0) < 1e-6


def conductor_meta(data: bytes, kind: str) -> list:
    midi = mido.MidiFile(file=io.BytesIO(data), charset="utf-8")
    return [m for m in midi.tracks[0] if m.type == kind]


def test_the_key_signature_is_spelled_as_the_score_spells_it_eb_minor_not_d_sharp_minor():
    assert [m.key for m in conductor_meta(score_to_midi(two_part_score()), "key_signature")] == ["Ebm"]
    for key, mode, name in (("Ab", "minor", "Abm"), ("Bb", "major", "Bb"), ("F#", "minor", "F#m"),
                            ("C#", "major", "C#")):
        score = two_part_score()
        score.key, score.mode = key, mode
        data = score_to_midi(score)
        assert [m.key for m in conductor_meta(data, "key_signature")] == [name]
        assert pretty_midi.PrettyMIDI(io.BytesIO(data)).key_signature_changes[0].key_number == \
            pretty_midi.key_name_to_key_number(f"{key} {mode}")


def test_a_title_names_the_sequence_in_utf8_once():
    data = with_title(with_title(score_to_midi(two_part_score()), "Old name"), "해변의 활기")
    assert [m.name for m in conductor_meta(data, "track_name")] == ["해변의 활기"]
    assert len(pretty_midi.PrettyMIDI(io.BytesIO(data)).instruments) == 2   # the parts are untouched
