"""Bad uploads, one builder each, for the web tests (API and pages): every one must be refused with a
clear 4xx and leave nothing behind. Names are what a user would call the file."""

from __future__ import annotations

import io
import struct

from PIL import Image

from melodify.errors import InvalidImage
from melodify.samples import photo_bytes
from tests.factories import png_header_only, refusal


def zero_byte() -> bytes:
    return b""


def truncated_jpeg() -> bytes:
    data = photo_bytes("forest", "JPEG", size=(640, 480))
    return data[: len(data) // 2]


def decompression_bomb() -> bytes:
    """A tiny PNG whose header claims 40000x40000 RGB pixels (1.6 gigapixels)."""
    return png_header_only(40000, 40000, bit_depth=8, colour_type=2)


def svg() -> bytes:
    return (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
            b'<circle cx="100" cy="100" r="80" fill="orange"/></svg>\n')


def _pillow(fmt: str, size: tuple[int, int] = (200, 150)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


def pdf() -> bytes:
    return _pillow("PDF")


def psd() -> bytes:
    """The start of a Photoshop file: signature, version 1, 3 channels, 150x200, 8 bits, RGB."""
    return b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 150, 200, 8, 3) + b"\x00" * 64


def eps() -> bytes:
    return _pillow("EPS")


def tiff() -> bytes:
    return _pillow("TIFF")


def text_named_jpg() -> bytes:
    return b"These are my holiday notes, saved as holiday.jpg by mistake.\n" * 4


def tiny_15x15() -> bytes:
    return _pillow("PNG", size=(15, 15))


# name -> (builder, file name the user sent, the refusal code the engine gives)
BAD_FILES = {
    "zero-byte": (zero_byte, "empty.jpg", "empty_file"),
    "truncated": (truncated_jpeg, "cut.jpg", "truncated_image"),
    "bomb": (decompression_bomb, "bomb.png", "image_too_large"),
    "svg": (svg, "drawing.svg", "unsupported_format"),
    "pdf": (pdf, "scan.pdf", "unsupported_format"),
    "psd": (psd, "design.psd", "unsupported_format"),
    "eps": (eps, "logo.eps", "unsupported_format"),
    "tiff": (tiff, "scan.tiff", "unsupported_format"),
    "text-renamed-jpg": (text_named_jpg, "holiday.jpg", "not_an_image"),
    "15x15": (tiny_15x15, "icon.png", "image_too_small"),
}


def bad_file(kind: str) -> tuple[bytes, str, InvalidImage]:
    """The bytes of a bad upload, the name the user sent it under, and the engine's refusal of it."""
    build, name, code = BAD_FILES[kind]
    data = build()
    refused = refusal(data)
    assert refused.code == code, (kind, refused.code)
    return data, name, refused
