"""Which SoundFont plays the score: an explicit path, $MELODIFY_SOUNDFONT, the system's GM font,
or the small TimGM6mb.sf2 that pretty_midi ships (so a pip-only machine still plays).

The font used is recorded with each track: the same score only gives the same bytes on the same font.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InvalidOption, NotConfigured

ENV_VAR = "MELODIFY_SOUNDFONT"

# General MIDI fonts where Debian/Ubuntu, Fedora/Arch and Homebrew put them, best first.
SYSTEM_FONTS: tuple[str, ...] = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/soundfonts/default.sf2",
    "/opt/homebrew/share/soundfonts/default.sf2",
    "/usr/local/share/soundfonts/default.sf2",
    "/opt/homebrew/share/fluid-synth/sf2/VintageDreamsWaves-v2.sf2",
)


def bundled_soundfont() -> Path:
    """pretty_midi's TimGM6mb.sf2: small and rough, but always there."""
    import pretty_midi

    return Path(pretty_midi.__file__).with_name("TimGM6mb.sf2")


def find_soundfont(explicit: str | os.PathLike | None = None) -> Path:
    """The SoundFont to play with. A path that was asked for but is missing is an error, never skipped:
    bad input when the request named it, a set-up problem when the environment did."""
    for asked, origin, error in ((explicit, "the SoundFont", InvalidOption),
                                 (os.environ.get(ENV_VAR) or None, f"${ENV_VAR}", NotConfigured)):
        if asked:
            path = Path(asked).expanduser()
            if not path.is_file():
                raise error(f"{origin} {str(asked)!r} is not a file; give the path of a .sf2 SoundFont "
                            f"or leave it unset to use the system's General MIDI font", code="invalid_soundfont")
            return path
    for candidate in SYSTEM_FONTS:
        if os.path.isfile(candidate):
            return Path(candidate)
    return bundled_soundfont()


def soundfont_name(path: str | os.PathLike) -> str:
    """What a track records: the font's file name ("FluidR3_GM.sf2")."""
    return Path(path).name
