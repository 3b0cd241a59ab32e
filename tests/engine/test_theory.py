"""Music theory helpers: chord symbols, scales, voicings and voice leading."""

from __future__ import annotations

import pytest

from melodify.compose.theory import (
    MAJOR_SCALE, MINOR_SCALE, degree_of, lead_voicing, nearest_pitch, parse_chord, parse_progression,
    pitch_class, scale_pitch, voicings)


def test_roman_numerals_name_the_right_chords_in_c():
    assert parse_chord("I", 0).pitch_classes == (0, 4, 7)
    assert parse_chord("vi", 0).pitch_classes == (9, 0, 4)
    assert parse_chord("V7", 0).pitch_classes == (7, 11, 2, 5)
    assert parse_chord("ii7", 0).pitch_classes == (2, 5, 9, 0)
    assert parse_chord("Imaj7", 0).pitch_classes == (0, 4, 7, 11)
    assert parse_chord("bVII", 0).pitch_classes == (10, 2, 5)
    assert parse_chord("bVI5", 0).pitch_classes == (8, 3)
    assert parse_chord("iim7b5", 0).pitch_classes == (2, 5, 8, 0)


def test_chords_transpose_with_the_key():
    in_a = parse_progression("i bVI bIII bVII", pitch_class("A"))
    assert [c.root for c in in_a] == [9, 5, 0, 7]
    assert in_a[0].intervals == (0, 3, 7)


@pytest.mark.parametrize("bad", ["", "VIII", "I13", "x"])
def test_bad_chord_symbols_are_refused_with_the_symbol_quoted(bad):
    with pytest.raises(ValueError, match=repr(bad)):
        parse_chord(bad, 0)


def test_unknown_key_is_refused():
    with pytest.raises(ValueError, match="'H'"):
        pitch_class("H")


def test_scale_degrees_round_trip_through_pitches():
    for scale in (MAJOR_SCALE, MINOR_SCALE):
        for tonic in (0, 5, 11):
            for degree in range(-10, 15):
                assert degree_of(scale_pitch(degree, tonic, scale), tonic, scale) == degree


def test_nearest_pitch_stays_within_a_tritone_of_the_target():
    for pc in range(12):
        p = nearest_pitch(pc, 60)
        assert p % 12 == pc and abs(p - 60) <= 6


def test_voicings_hold_the_chord_and_fit_the_register():
    chord = parse_chord("IVmaj7", 2)
    options = voicings(chord, 55, 76)
    assert options
    for v in options:
        assert {p % 12 for p in v} == set(chord.pitch_classes)
        assert 55 <= min(v) and max(v) <= 76


def test_voice_leading_moves_by_small_steps_through_a_progression():
    previous, moves = None, []
    for chord in parse_progression("I V vi IV I", 0):
        v = lead_voicing(chord, previous, 64)
        if previous:
            moves.append(sum(min(abs(p - q) for q in previous) for p in v))
        previous = v
    # Root-position block chords would move 5-7 semitones per voice; led voices move a few in all.
    assert max(moves) <= 6, moves


def test_power_chords_are_root_fifth_octave():
    v = lead_voicing(parse_chord("bVI5", 9), None, 55)
    assert (v[1] - v[0], v[2] - v[0]) == (7, 12) and v[0] % 12 == 5
