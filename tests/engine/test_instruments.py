"""The instruments and drum kits: one complete entry each; an incomplete one fails naming the field."""

from __future__ import annotations

import dataclasses
import re

import pytest

from melodify.instruments import INSTRUMENTS, KITS, ROLES, Instrument, Kit

HANGUL = re.compile("[가-힣]")


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_every_instrument_entry_is_complete(name):
    instrument = INSTRUMENTS[name]
    assert instrument.name == name and 0 <= instrument.program <= 127
    assert HANGUL.search(instrument.label_ko), instrument.label_ko
    assert set(instrument.roles) <= set(ROLES)


@pytest.mark.parametrize("name", KITS)
def test_every_kit_entry_is_complete(name):
    kit = KITS[name]
    assert kit.name == name and 0 <= kit.program <= 127
    assert "drums" in kit.phrase and kit.prompt and HANGUL.search(kit.phrase_ko)   # plural: "drums keep..."


def test_bass_capable_instruments_are_exactly_the_basses_cello_and_timpani():
    basses = {name for name, instrument in INSTRUMENTS.items() if "bass" in instrument.roles}
    assert basses == {"acoustic bass", "electric bass", "picked bass", "fretless bass", "slap bass", "synth bass",
                      "cello", "timpani"}


def test_every_instrument_has_its_own_program():
    programs = [instrument.program for instrument in INSTRUMENTS.values()]
    assert len(set(programs)) == len(programs)


PIANO = INSTRUMENTS["piano"]
BRUSH = KITS["brush"]


@pytest.mark.parametrize("entry, changes, message", [
    (PIANO, {"label_ko": ""}, "instrument 'piano': label_ko is empty"),
    (PIANO, {"name": ""}, "instrument '': name is empty"),
    (PIANO, {"program": 128}, "instrument 'piano': program 128 is outside 0..127"),
    (PIANO, {"program": -1}, "instrument 'piano': program -1"),
    (PIANO, {"roles": ("lead", "drums")}, "instrument 'piano': roles has 'drums'"),
    (BRUSH, {"phrase": ""}, "kit 'brush': phrase is empty"),
    (BRUSH, {"prompt": ""}, "kit 'brush': prompt is empty"),
    (BRUSH, {"phrase_ko": ""}, "kit 'brush': phrase_ko is empty"),
    (BRUSH, {"program": 300}, "kit 'brush': program 300"),
])
def test_an_incomplete_entry_fails_naming_the_field(entry: Instrument | Kit, changes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        dataclasses.replace(entry, **changes)
