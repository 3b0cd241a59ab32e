"""Effect chains as data: the pedalboard plugins a genre's `effects` lists, and the shared ones.

A spec is (pedalboard class name, its parameters), or ("vinyl", {...}) for lo-fi's record noise;
`melodify.compose.effects` plays a chain. This module imports nothing, so every genre can use it.
"""

from __future__ import annotations

from typing import Any

Spec = tuple[str, dict[str, Any]]

RUMBLE: Spec = ("HighpassFilter", {"cutoff_frequency_hz": 30.0})
# pedalboard's (JUCE's) Reverb scales dry by 2 and wet by 3: dry_level 0.5 leaves the music at unity.
ROOM: Spec = ("Reverb", {"room_size": 0.35, "damping": 0.6, "wet_level": 0.06, "dry_level": 0.5, "width": 0.9})
GLUE: Spec = ("Compressor", {"threshold_db": -18.0, "ratio": 2.5, "attack_ms": 15.0, "release_ms": 150.0})
AIR: Spec = ("HighShelfFilter", {"cutoff_frequency_hz": 9000.0, "gain_db": 1.5})
