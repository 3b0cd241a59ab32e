"""Test data built by hand, shared by the engine and web tests: readings, PNG bytes, refusals."""

from __future__ import annotations

import struct
import zlib

import pytest

from melodify.contracts import ImageReading
from melodify.errors import InvalidImage
from melodify.read.image_loading import load_image


def reading(caption: str = "a photo", *, level: float = 0.5, tags=(), palette=("#406080", "#202020"),
            engine: str = "embedded", **measures: float) -> ImageReading:
    """A reading with every measure at `level` (warmth running -1..+1 as level runs 0..1), unless a
    measure is given by name (brightness=0.9)."""
    values = {"brightness": level, "contrast": level, "saturation": level, "colourfulness": level,
              "texture": level, "warmth": level * 2 - 1, **measures}
    return ImageReading(width=640, height=480, format="JPEG", caption=caption, tags=list(tags),
                        palette=list(palette), palette_weights=[1 / len(palette)] * len(palette) if palette else [],
                        engine=engine, **values)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_header_only(width: int, height: int, bit_depth: int = 1, colour_type: int = 0) -> bytes:
    """A tiny, valid-looking PNG that declares `width` x `height` (a decompression bomb's header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + png_chunk(b"IEND", b""))


def gif_frame_offsets(data: bytes) -> list[int]:
    """Where each image descriptor (0x2C) of a GIF starts, walking its blocks."""
    at = 13 + (3 * 2 ** ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    frames = []
    while at < len(data) and data[at] != 0x3B:
        if data[at] == 0x2C:
            frames.append(at)
            packed = data[at + 9]
            at += 10 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0) + 1   # + LZW code size
        else:   # an extension: introducer and label
            at += 2
        while data[at]:   # data sub-blocks, up to the empty one
            at += data[at] + 1
        at += 1
    return frames


def refusal(data: bytes) -> InvalidImage:
    """What the engine says of bytes it refuses (the web must pass on the same code and words)."""
    with pytest.raises(InvalidImage) as refused:
        load_image(data)
    return refused.value
