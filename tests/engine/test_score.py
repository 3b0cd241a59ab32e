"""write_score: a brief becomes a score with form, harmony, a returning motif, bass, comping and drums."""

from __future__ import annotations

import itertools
import statistics

import pytest

from melodify.compose.score import assign_instruments, write_score
from melodify.contracts import PITCH_CLASSES, MusicBrief, Score
from melodify.genres import GENRE_NAMES, GENRES
from melodify.instruments import INSTRUMENTS, KITS


def brief(genre: str = "pop", *, seed: int = 7, energy: float | None = None, valence: float | None = None,
          tempo: int | None = None, key: str = "D", mode: str | None = None, duration: float = 15.0,
          instruments: list[str] | None = None, time_signature: str | None = None) -> MusicBrief:
    g = GENRES[genre]
    return MusicBrief(
        genre=genre, mood=["calm"], valence=g.valence if valence is None else valence,
        energy=g.energy if energy is None else energy, tempo=tempo or sum(g.tempo) // 2, key=key,
        mode=mode or g.modes[0], time_signature=time_signature or g.meter,
        instruments=instruments or [g.instruments[r][0] for r in ("lead", "chords", "bass", "pad")],
        duration=duration, seed=seed, description="d", prompt="p")


def part(score: Score, name: str):
    return next((p for p in score.parts if p.name == name), None)


def chords_heard(score: Score) -> list[frozenset[int]]:
    """Pitch-class sets of the chords part, two beats at a time (arpeggios add up to their chord)."""
    window = 2 * 60.0 / score.tempo
    notes = part(score, "chords").notes
    out, t = [], 0.0
    while t < score.duration:
        pcs = frozenset(n.pitch % 12 for n in notes if n.start < t + window - 0.02 and n.end > t + 0.02)
        if len(pcs) >= 2:
            out.append(pcs)
        t += window
    return out


def motif_returns(score: Score) -> int:
    """How often the lead's opening 3-note shape (rhythm in 16ths, within a third of a 16th for swing and
    humanising, and up/down contour) occurs in the lead."""
    lead = sorted(part(score, "lead").notes, key=lambda n: n.start)
    sixteenth = 60.0 / score.tempo / 4
    sign = lambda x: (x > 0) - (x < 0)  # noqa: E731

    def shape(a, b, c):
        return ((b.start - a.start) / sixteenth, (c.start - b.start) / sixteenth,
                sign(b.pitch - a.pitch), sign(c.pitch - b.pitch))

    def same(x, y) -> bool:
        return abs(x[0] - y[0]) < 0.35 and abs(x[1] - y[1]) < 0.35 and x[2:] == y[2:]
    shapes = [shape(*lead[i:i + 3]) for i in range(len(lead) - 2)]
    return sum(same(shapes[0], s) for s in shapes)


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_every_genre_writes_a_valid_score_with_a_drum_part_iff_it_has_a_kit(genre):
    b = brief(genre)
    score = write_score(b)
    names = [p.name for p in score.parts]
    assert names[:4] == ["lead", "chords", "bass", "pad"]
    drums = part(score, "drums")
    if GENRES[genre].kit is None:
        assert drums is None
    else:
        assert drums.is_drum and drums.program == KITS[GENRES[genre].kit].program and len(drums.notes) > 10
    for p in score.parts:
        assert p.notes, f"{genre}: empty {p.name} part"
        for n in p.notes:
            assert 0 <= n.start < n.end <= b.duration + 1e-6, (genre, p.name, n)
            assert 1 <= n.velocity <= 127 and 0 <= n.pitch <= 127
        if not p.is_drum:
            assert p.program in {i.program for i in INSTRUMENTS.values()}
    assert (score.tempo, score.beats_per_bar, score.key, score.mode) == (b.tempo, b.beats_per_bar, b.key, b.mode)


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_every_genre_has_chords_that_change_and_a_motif_that_returns(genre):
    score = write_score(brief(genre))
    assert len(set(chords_heard(score))) >= 3, f"{genre}: chords {set(chords_heard(score))}"
    assert motif_returns(score) >= 2, genre


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_the_piece_has_an_intro_a_b_a_and_an_ending_that_rings_on_the_tonic(genre):
    b = brief(genre, key="E")
    score = write_score(b)
    assert [s.name for s in score.sections] == ["intro", "A", "B", "A'", "outro"] or genre == "ambient"
    assert score.sections[0].start == 0 and score.sections[-1].end == b.duration
    for a, c in zip(score.sections, score.sections[1:]):
        assert a.end == pytest.approx(c.start)
    tonic = PITCH_CLASSES.index("E")
    outro = score.sections[-1].start
    for name in ("chords", "bass", "lead"):
        last = [n for n in part(score, name).notes if n.start >= outro - 0.05]
        assert last, f"{genre}: {name} silent in the outro"
        assert max(n.end for n in last) == pytest.approx(b.duration), f"{genre}: {name} cut before the end"
    assert part(score, "bass").notes[-1].pitch % 12 == tonic
    assert max(part(score, "lead").notes, key=lambda n: n.start).pitch % 12 == tonic


def test_same_brief_gives_the_identical_score_and_another_seed_another():
    assert write_score(brief("jazz", seed=3)) == write_score(brief("jazz", seed=3))
    assert write_score(brief("jazz", seed=3)).parts != write_score(brief("jazz", seed=4)).parts


def test_the_intro_is_sparser_and_b_busier_than_a():
    score = write_score(brief("pop", energy=0.7))
    sec = {s.name: s for s in score.sections}

    def rate(name: str) -> float:
        s = sec[name]
        count = sum(1 for p in score.parts for n in p.notes if s.start <= n.start < s.end)
        return count / (s.end - s.start)
    assert rate("intro") < rate("A") < rate("B")


def test_energy_is_audible_in_drums_velocity_and_density():
    calm, wild = write_score(brief("funk", energy=0.1)), write_score(brief("funk", energy=0.95))
    assert len(part(wild, "drums").notes) > len(part(calm, "drums").notes)
    assert len(part(wild, "lead").notes) > len(part(calm, "lead").notes)
    for name in ("drums", "bass", "chords", "lead"):
        assert statistics.mean(n.velocity for n in part(wild, name).notes) > \
            statistics.mean(n.velocity for n in part(calm, name).notes) + 8, name


def test_a_dark_photo_and_a_bright_photo_get_different_music():
    dark = write_score(brief("pop", energy=0.1, valence=0.1, mode="minor", tempo=100))
    bright = write_score(brief("pop", energy=0.9, valence=0.95, mode="major", tempo=122))
    assert statistics.mean(n.pitch for n in part(bright, "lead").notes) > \
        statistics.mean(n.pitch for n in part(dark, "lead").notes)
    assert sum(len(p.notes) for p in bright.parts) > 1.3 * sum(len(p.notes) for p in dark.parts)


def test_the_lead_sits_on_top_of_the_mix():
    for genre in GENRE_NAMES:
        score = write_score(brief(genre))
        lead, chords, bass = part(score, "lead"), part(score, "chords"), part(score, "bass")
        assert lead.volume > chords.volume and lead.volume > part(score, "pad").volume, genre
        assert lead.pan > 64 > chords.pan and bass.pan == 64, genre
        mean_velocity = lambda p: statistics.mean(n.velocity for n in p.notes)  # noqa: E731
        assert mean_velocity(lead) > mean_velocity(chords), genre


def test_instruments_map_to_roles_by_the_genre_palette_whatever_the_order():
    jazz = GENRES["jazz"]
    roles = assign_instruments(jazz, ["acoustic bass", "jazz guitar", "tenor sax"])
    assert roles == {"lead": "tenor sax", "chords": "jazz guitar", "bass": "acoustic bass", "pad": "slow strings"}
    roles = assign_instruments(jazz, ["banjo"])                 # not in jazz's palette: still played
    assert roles["lead"] == "banjo" and roles["bass"] == "acoustic bass"
    roles = assign_instruments(jazz, ["fretless bass", "flute", "flute", "harp", "choir", "organ", "violin", "cello"])
    assert roles["bass"] == "fretless bass" and set(roles) == {"lead", "chords", "bass", "pad"}
    score = write_score(brief("jazz", instruments=["banjo"]))
    assert part(score, "lead").program == INSTRUMENTS["banjo"].program


def test_waltz_metre_puts_the_kick_on_every_third_beat():
    b = brief("folk", tempo=90)
    assert b.beats_per_bar == 3
    score = write_score(b)
    beat = 60.0 / 90
    kicks = [n.start for n in part(score, "drums").notes if n.pitch == 36]
    assert kicks and all(abs(t / (3 * beat) - round(t / (3 * beat))) < 0.05 for t in kicks)


def test_a_four_four_edit_of_a_waltz_genre_and_a_waltz_edit_of_rock_still_work():
    for genre, ts in (("folk", "4/4"), ("rock", "3/4")):
        score = write_score(brief(genre, time_signature=ts))
        assert score.beats_per_bar == int(ts[0]) and part(score, "drums").notes


def test_swing_delays_off_beat_eighths_and_electronic_grids_stay_tight():
    jazz = write_score(brief("jazz", tempo=120))
    beat = 0.5
    ride = [n.start / beat % 1 for n in part(jazz, "drums").notes if n.pitch == 51]
    offbeats = [f for f in ride if 0.3 < f < 0.9]
    assert offbeats and statistics.mean(offbeats) > 0.6          # swung: near 2/3, not 1/2
    electronic = write_score(brief("electronic", tempo=120))
    for p in electronic.parts:
        for n in p.notes:
            assert abs(n.start / (beat / 4) - round(n.start / (beat / 4))) < 1e-3, (p.name, n)


@pytest.mark.parametrize("duration", [5.0, 9.5, 30.0, 60.0])
def test_any_duration_from_5_to_60_seconds_is_filled_and_ends_on_time(duration):
    for genre in ("ambient", "punk", "jazz"):
        score = write_score(brief(genre, duration=duration))
        end = max(n.end for p in score.parts for n in p.notes)
        assert end == pytest.approx(duration) and score.sections[-1].end == duration
        assert len(score.sections) >= (2 if duration < 10 else 5)


def test_every_style_has_progressions_for_both_modes_and_valid_patterns():
    for genre in GENRES.values():
        style = genre.style
        assert set(style.progressions) == {"major", "minor"}, genre.name
        steps = 12 if style.meter == "3/4" else 16
        for pattern in [style.bass, style.comp, *(style.groove.values())]:
            assert len(pattern) % steps == 0, (genre.name, pattern)


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_any_mode_metre_duration_and_energy_gives_a_valid_score(genre):
    for mode, ts, duration, energy, seed in itertools.product(
            ("major", "minor"), ("4/4", "3/4"), (5.0, 15.0, 60.0), (0.0, 1.0), (1,)):
        b = brief(genre, mode=mode, time_signature=ts, duration=duration, energy=energy, valence=energy,
                  seed=seed, tempo=GENRES[genre].tempo[energy > 0.5])
        score = write_score(b)
        assert score.sections[-1].end == duration
        for p in score.parts:
            assert p.notes, (genre, mode, ts, duration, energy, p.name)
            assert all(0 <= n.start < n.end <= duration + 1e-9 for n in p.notes), (genre, mode, ts, duration, p.name)


def _with_style(monkeypatch, genre: str, **changes):
    import dataclasses
    g = GENRES[genre]
    monkeypatch.setitem(GENRES, genre, dataclasses.replace(g, style=dataclasses.replace(g.style, **changes)))


def test_a_layer_plays_when_the_brief_names_its_instrument_in_its_own_sections(monkeypatch):
    from melodify.compose.styles import Layer
    _with_style(monkeypatch, "country", layers=(Layer("banjo", pattern="0124210401242104", centre=67, sections=("B",),
                                                      volume=77, pan=30),))
    plain = brief("country", instruments=["fiddle", "acoustic guitar", "electric bass", "organ"])
    assert part(write_score(plain), "banjo") is None              # not named: not played
    score = write_score(plain.model_copy(update={"instruments": [*plain.instruments, "banjo"]}))
    banjo = part(score, "banjo")
    b = next(s for s in score.sections if s.name == "B")
    assert banjo.program == INSTRUMENTS["banjo"].program and (banjo.volume, banjo.pan) == (77, 30)
    assert banjo.notes and all(b.start - 0.05 <= n.start < b.end for n in banjo.notes)
    sixteenth = 60 / score.tempo / 4
    assert statistics.median(y.start - x.start for x, y in zip(banjo.notes, banjo.notes[1:])) == pytest.approx(sixteenth, abs=0.02)


def test_a_line_layer_is_a_second_melody_of_its_own(monkeypatch):
    from melodify.compose.styles import Layer, Melody
    _with_style(monkeypatch, "country", layers=(Layer("fiddle", kind="line", melody=Melody(centre=79)),))
    b = brief("country", instruments=["banjo", "acoustic guitar", "electric bass", "organ", "fiddle"])
    score = write_score(b)
    fiddle, lead = part(score, "fiddle"), part(score, "lead")
    assert len(fiddle.notes) >= 6 and [n.pitch for n in fiddle.notes] != [n.pitch for n in lead.notes]
    assert statistics.mean(n.pitch for n in fiddle.notes) > statistics.mean(n.pitch for n in lead.notes)


def test_a_style_sets_its_own_mix_and_hi_hat_rolls(monkeypatch):
    _with_style(monkeypatch, "electronic", mix={"drums": 111, "pad": 40}, groove_b={},
                groove={"hat": "r.......t.......", "kick": "X" + "." * 15})
    score = write_score(brief("electronic", energy=0.6))
    assert part(score, "drums").volume == 111 and part(score, "pad").volume == 40
    hats = sorted(n.start for n in part(score, "drums").notes if n.pitch == 42)
    beat = 60 / score.tempo
    gaps = {round((y - x) / beat * 24) for x, y in zip(hats, hats[1:]) if y - x < beat / 2}
    assert gaps == {2, 3}, gaps      # in 24ths of a beat: a triplet roll (three in a 16th) and a 32nd pair



def test_a_genre_with_its_own_melody_scale_sings_its_blue_notes_over_major_chords():
    blues = GENRES["blues"].style.melody.scale
    assert blues, "blues names its own scale"
    for seed in range(1, 6):
        lead = part(write_score(brief("blues", seed=seed, key="E", mode="major")), "lead")
        heard = {(n.pitch - PITCH_CLASSES.index("E")) % 12 for n in lead.notes}
        assert heard <= set(blues), (seed, sorted(heard))
        assert 3 in heard or 10 in heard, (seed, sorted(heard))     # a minor third or seventh over E major
