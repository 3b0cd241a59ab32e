"""Play a Score on FluidSynth: stereo float32 audio, deterministic to the byte.

Each SoundFont is loaded once per process (FluidR3_GM: 140 MB, 0.13 s warm), and every render
plays it on a fresh synth, so renders never hear each other and the same score gives the same bytes.

Why not pretty_midi.fluidsynth: it renders each instrument separately, in mono, through a fresh
synth. Here the whole score goes through one synth in one pass, written straight into a NumPy
buffer with fluid_synth_write_float (float: no 16-bit clipping, and no dither, whose running state
would make two renders of the same score differ).
"""

from __future__ import annotations

import ctypes
import io
import threading
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..contracts import Audio, Part, Score
from ..errors import NotConfigured
from .soundfont import find_soundfont, soundfont_name

BLOCK = 64                 # FluidSynth's internal block: events take effect on block boundaries
TAIL = 1.5                 # seconds rendered after the last note-off: release and reverb
DRUM_CHANNEL, DRUM_BANK = 9, 128
CHANNELS = 32              # 16 MIDI channels and room for more parts in the synth
MELODIC_CHANNELS = [c for c in range(CHANNELS) if c != DRUM_CHANNEL]
CHORUS_SEND = 12           # CC93 for melodic parts: a little width, never a wobble
GAIN = 0.4                 # headroom for five parts; mastering sets the final level

# The synth's own reverb and chorus (the parts' CC91/CC93 sends feed them): a medium room.
SETTINGS: dict[str, Any] = {
    "synth.cpu-cores": 1,              # one thread: the same order of float sums every time
    "synth.polyphony": 256,
    "synth.reverb.active": 1,
    "synth.reverb.room-size": 0.55,
    "synth.reverb.damp": 0.35,
    "synth.reverb.width": 0.8,
    "synth.reverb.level": 0.7,
    "synth.chorus.active": 1,
    "synth.chorus.nr": 3,
    "synth.chorus.level": 1.2,
    "synth.chorus.speed": 0.3,
    "synth.chorus.depth": 6.0,
}

INSTALL_HINT = ("install FluidSynth: `apt-get install libfluidsynth3` on Debian/Ubuntu or "
                "`brew install fluid-synth` on macOS, then `pip install pyfluidsynth`")


def load_fluidsynth():
    """The pyfluidsynth module, or a message naming what to install."""
    try:
        # pyfluidsynth prints where it found the library when $CI is set: keep stdout for our output
        # (`melodify compose --json`).
        with redirect_stdout(io.StringIO()):
            import fluidsynth
    except (ImportError, OSError) as exc:   # no module, or no libfluidsynth behind it
        raise NotConfigured(f"the embedded composer needs FluidSynth ({exc}); {INSTALL_HINT}",
                            code="fluidsynth_missing") from None
    return fluidsynth


def fluidsynth_problem() -> str | None:
    """Why the sampler cannot play here (the registry's check for the embedded composer), or None."""
    try:
        load_fluidsynth()
    except NotConfigured:
        return f"needs the FluidSynth library; {INSTALL_HINT}"
    return None


@dataclass
class LoadedFont:
    """A SoundFont loaded once by a holder synth that never plays; render synths borrow it."""

    holder: Any
    sfont: int              # fluid_sfont_t*, shared with each render's synth
    lock: threading.Lock    # one render at a time per font: the font's presets keep refcounts


_fonts: dict[str, LoadedFont] = {}
_fonts_lock = threading.Lock()


def declare(fluidsynth) -> None:
    """ctypes signatures for the C calls pyfluidsynth does not wrap."""
    lib = fluidsynth._fl
    ptr, i = ctypes.c_void_p, ctypes.c_int
    for name, restype, argtypes in (
        ("fluid_synth_write_float", i, [ptr, i, ptr, i, i, ptr, i, i]),
        ("fluid_synth_get_sfont_by_id", ptr, [ptr, i]),
        ("fluid_synth_add_sfont", i, [ptr, ptr]),
        ("fluid_synth_remove_sfont", i, [ptr, ptr]),
    ):
        getattr(lib, name).restype, getattr(lib, name).argtypes = restype, argtypes


def load_font(path: Path) -> LoadedFont:
    key = str(path.resolve())
    with _fonts_lock:
        if key not in _fonts:
            fluidsynth = load_fluidsynth()
            declare(fluidsynth)
            holder = fluidsynth.Synth()
            sfid = holder.sfload(key)
            if sfid < 0:
                holder.delete()
                raise NotConfigured(f"FluidSynth could not load the SoundFont {str(path)!r}; "
                                    f"check that it is a valid .sf2 file", code="invalid_soundfont")
            sfont = fluidsynth._fl.fluid_synth_get_sfont_by_id(holder.synth, sfid)
            _fonts[key] = LoadedFont(holder, sfont, threading.Lock())
        return _fonts[key]


@contextmanager
def fresh_synth(font: LoadedFont, sample_rate: int):
    """A new synth (5 ms) per render: a reused one keeps state that a reset does not clear
    (effect modulators, voices still being switched off), so its renders differ."""
    fluidsynth = load_fluidsynth()
    lib = fluidsynth._fl
    with font.lock:
        synth = fluidsynth.Synth(gain=GAIN, samplerate=sample_rate, channels=CHANNELS, **SETTINGS)
        sfid = lib.fluid_synth_add_sfont(synth.synth, font.sfont)
        try:
            yield synth, sfid, lib.fluid_synth_write_float
        finally:
            for channel in range(CHANNELS):      # unset first, or removing the font warns per channel
                synth.program_unset(channel)
            lib.fluid_synth_remove_sfont(synth.synth, font.sfont)   # or delete() would free the font
            synth.delete()


def assign_channels(parts: list[Part]) -> list[int]:
    """Drums on channel 10 (index 9), melodic parts on the others in order; extra drum parts
    (rare) take the next free channel and still play a bank-128 kit."""
    melodic = iter(MELODIC_CHANNELS)
    channels, drum_taken = [], False
    for part in parts:
        if part.is_drum and not drum_taken:
            channels.append(DRUM_CHANNEL)
            drum_taken = True
        else:
            try:
                channels.append(next(melodic))
            except StopIteration:
                raise ValueError(f"a score can have at most {CHANNELS} parts, "
                                 f"this one has {len(parts)}") from None
    return channels


def set_up_channel(synth: Any, sfid: int, channel: int, part: Part) -> None:
    bank = DRUM_BANK if part.is_drum else 0
    # A font without this kit/program falls back to the standard kit / grand piano, never silence.
    if synth.program_select(channel, sfid, bank, part.program) != 0:
        synth.program_select(channel, sfid, bank, 0)
    synth.cc(channel, 7, part.volume)
    synth.cc(channel, 10, part.pan)
    synth.cc(channel, 91, part.reverb)
    is_bass = "bass" in part.name.lower()
    synth.cc(channel, 93, 0 if part.is_drum or is_bass else CHORUS_SEND)


def note_events(score: Score, channels: list[int], sample_rate: int) -> list[tuple[int, int, int, int, int]]:
    """(block, on?, channel, pitch, velocity), sorted: note-offs before note-ons in the same block,
    so a repeated note is released and struck again rather than cut."""
    per_block = sample_rate / BLOCK
    events = []
    for part, channel in zip(score.parts, channels):
        for note in part.notes:
            start = max(0, int(round(note.start * per_block)))
            end = max(start + 1, int(round(note.end * per_block)))   # never a zero-length note
            velocity = min(127, max(1, int(note.velocity)))
            events.append((start, 1, channel, int(note.pitch), velocity))
            events.append((end, 0, channel, int(note.pitch), 0))
    events.sort()
    return events


def render_score(score: Score, soundfont: str | None = None, sample_rate: int = 44100) -> tuple[Audio, str]:
    """The score played on FluidSynth: (stereo float32 Audio, the SoundFont's name)."""
    path = find_soundfont(soundfont)
    font = load_font(path)
    channels = assign_channels(score.parts)
    events = note_events(score, channels, sample_rate)
    last = events[-1][0] if events else 0
    total_blocks = max(last + int(np.ceil(TAIL * sample_rate / BLOCK)),
                       int(np.ceil(score.duration * sample_rate / BLOCK)))
    out = np.zeros((total_blocks * BLOCK, 2), dtype=np.float32)
    pointer = out.ctypes.data
    with fresh_synth(font, sample_rate) as (synth, sfid, write_float):
        for part, channel in zip(score.parts, channels):
            set_up_channel(synth, sfid, channel, part)

        def write_until(block: int, cursor: int) -> int:
            if block > cursor:
                offset = cursor * BLOCK * 2      # straight into `out`, interleaved L R
                write_float(synth.synth, (block - cursor) * BLOCK, pointer, offset, 2, pointer, offset + 1, 2)
            return max(block, cursor)

        cursor = 0
        for block, on, channel, pitch, velocity in events:
            cursor = write_until(block, cursor)
            if on:
                synth.noteon(channel, pitch, velocity)
            else:
                synth.noteoff(channel, pitch)
        write_until(total_blocks, cursor)
    return Audio(out, sample_rate), soundfont_name(path)
