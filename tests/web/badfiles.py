"""The catalogue of hostile and odd uploads, one builder each, for the web tests (API and the upload form).

BAD_FILES must be refused with a clear 4xx and leave nothing behind; ODD_FILES are valid photos that look
strange (formats, frames, orientation, metadata, size) and must be accepted; FILE_NAMES are names a
client may send with a good photo, never used for anything. Names are what a user would call the file."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from melodify.errors import InvalidImage
from melodify.samples import photo_bytes
from tests.factories import gif_frame_offsets, png_chunk, png_header_only, refusal


def _pillow(fmt: str, size: tuple[int, int] = (200, 150), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt, **options)
    return out.getvalue()


def _cut(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * fraction)]


def _png_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(_pillow("JPEG", (64, 64)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _gif_zero_height() -> bytes:
    data = bytearray(_pillow("GIF", (40, 30)))
    frame = gif_frame_offsets(bytes(data))[0]
    data[8:10] = data[frame + 7:frame + 9] = bytes(2)   # the screen's height and the frame's
    return bytes(data)


def _fits() -> bytes:
    cards = ("SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = 100", "NAXIS2  = 100", "END")
    return b"".join(f"{card:<80}".encode() for card in cards).ljust(2880) + bytes(10000)


def _psd() -> bytes:
    """The start of a Photoshop file: signature, version 1, 3 channels, 150x200, 8 bits, RGB."""
    return b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 150, 200, 8, 3) + b"\x00" * 64


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
       b'<script>alert(1)</script><circle cx="100" cy="100" r="80" fill="orange"/></svg>\n')


def _photo(fmt: str = "JPEG", size: tuple[int, int] = (640, 480)) -> bytes:
    return photo_bytes("forest", fmt, size=size)


# name -> (builder, file name the user sent, the refusal code the engine gives)
BAD_FILES = {
    "zero-byte": (lambda: b"", "empty.jpg", "empty_file"),
    "truncated-jpeg": (lambda: _cut(_photo()), "cut.jpg", "truncated_image"),
    "truncated-png": (lambda: _cut(_photo("PNG")), "cut.png", "truncated_image"),
    "truncated-webp": (lambda: _cut(_photo("WEBP")), "cut.webp", "truncated_image"),
    "truncated-heic": (lambda: _cut(_photo("HEIF")), "cut.heic", "truncated_image"),
    "truncated-avif": (lambda: _cut(_pillow("AVIF")), "cut.avif", "truncated_image"),
    "jpeg-magic-then-garbage": (lambda: b"\xff\xd8\xff\xe0" + b"\x13" * 200, "photo.jpg", "truncated_image"),
    "bomb-png-1600mp": (lambda: png_header_only(40000, 40000, bit_depth=8, colour_type=2), "bomb.png",
                        "image_too_large"),
    "bomb-png-56mp": (lambda: png_header_only(8000, 7000), "big.png", "image_too_large"),
    "bomb-jpeg-3600mp": (lambda: _jpeg_claiming(60000, 60000), "bomb.jpg", "image_too_large"),
    "zero-width-png": (lambda: _png_claiming(0, 100), "zero.png", "image_too_small"),
    "zero-height-gif": (_gif_zero_height, "zero.gif", "image_too_small"),
    "zero-width-jpeg": (lambda: _jpeg_claiming(0, 64), "zero.jpg", "image_too_small"),
    "15x15": (lambda: _pillow("PNG", size=(15, 15)), "icon.png", "image_too_small"),
    "2000x12": (lambda: _pillow("PNG", size=(2000, 12)), "strip.png", "image_too_small"),
    "svg-with-script": (lambda: SVG, "drawing.svg", "unsupported_format"),
    "pdf": (lambda: _pillow("PDF"), "scan.pdf", "unsupported_format"),
    "psd": (_psd, "design.psd", "unsupported_format"),
    "eps": (lambda: _pillow("EPS"), "logo.eps", "unsupported_format"),
    "tiff": (lambda: _pillow("TIFF"), "scan.tiff", "unsupported_format"),
    "tiff-renamed-jpg": (lambda: _pillow("TIFF"), "scan.jpg", "unsupported_format"),
    "jpeg-2000": (lambda: _pillow("JPEG2000"), "photo.jp2", "unsupported_format"),
    "jpeg-2000-codestream": (lambda: _pillow("JPEG2000", no_jp2=True), "photo.j2k", "unsupported_format"),
    "jpeg-xl": (lambda: b"\xff\x0a" + bytes(200), "photo.jxl", "unsupported_format"),
    "jpeg-xl-box": (lambda: b"\x00\x00\x00\x0cJXL \r\n\x87\n" + bytes(200), "photo.jxl", "unsupported_format"),
    "fits": (_fits, "nebula.fits", "unsupported_format"),
    "ico": (lambda: _pillow("ICO", size=(64, 64)), "favicon.ico", "unsupported_format"),
    "html-renamed-jpg": (lambda: b"<!doctype html><html><script>alert(1)</script></html>", "page.jpg", "not_an_image"),
    "php-renamed-jpg": (lambda: b"<?php system($_GET['c']); ?>\n", "shell.php.jpg", "not_an_image"),
    "text-renamed-jpg": (lambda: b"These are my holiday notes, saved as holiday.jpg by mistake.\n" * 4,
                         "holiday.jpg", "not_an_image"),
    "zip": (lambda: b"PK\x03\x04" + bytes(100), "photos.zip", "not_an_image"),
    "wav": (lambda: b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "song.wav", "not_an_image"),
    "elf-program": (lambda: b"\x7fELF\x02\x01\x01" + bytes(120), "photo.jpg", "not_an_image"),
    "random-bytes": (lambda: bytes((i * 7919 + 13) % 251 for i in range(4096)), "noise.jpg", "not_an_image"),
}


def bad_file(kind: str) -> tuple[bytes, str, InvalidImage]:
    """The bytes of a bad upload, the name the user sent it under, and the engine's refusal of it."""
    build, name, code = BAD_FILES[kind]
    data = build()
    refused = refusal(data)
    assert refused.code == code, (kind, refused.code, refused.message)
    return data, name, refused


# --- accepted ----------------------------------------------------------------------------------

def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _exif(orientation: int = 1, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = orientation
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 33.0, 59.25), 3: "E", 4: (126.0, 58.0, 40.5)})
    return exif.tobytes()


def _later_frame_bomb_gif() -> bytes:
    """Frame 2's descriptor claims 60000x60000: never decoded, as only the first frame is."""
    frames = [Image.new("RGB", (64, 48), colour) for colour in ((220, 30, 30), (30, 30, 220))]
    data = bytearray(_save(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    second = gif_frame_offsets(bytes(data))[1]
    data[second + 5:second + 9] = struct.pack("<HH", 60000, 60000)
    return bytes(data)


def _thousands_of_frames_webp() -> bytes:
    frames = [Image.new("RGB", (32, 32), (i % 256, 90, 40)) for i in range(3000)]
    return _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=10, lossless=True)


def _phone_jpeg(size: tuple[int, int] = (9000, 6000)) -> bytes:
    return _save(Image.linear_gradient("L").resize(size).convert("RGB"), "JPEG", quality=85)


def oriented(orientation: int) -> bytes:
    """A 64x32 photo, red left and blue right as stored, with an EXIF orientation (and a GPS position)."""
    image = Image.new("RGB", (64, 32), (30, 30, 220))
    image.paste((220, 30, 30), (0, 0, 32, 32))
    return _save(image, "JPEG", exif=_exif(orientation, gps=True), quality=95)


# name -> (builder, file name, (width, height) as stored upright)
ODD_FILES = {
    "avif": (lambda: _pillow("AVIF", (200, 150)), "photo.avif", (200, 150)),
    "heic": (lambda: _photo("HEIF"), "IMG_0001.HEIC", (640, 480)),
    "gif-later-frame-bomb": (_later_frame_bomb_gif, "party.gif", (64, 48)),
    "webp-3000-frames": (_thousands_of_frames_webp, "loop.webp", (32, 32)),
    "jpeg-54mp-phone": (_phone_jpeg, "IMG_9000x6000.jpg", (9000, 6000)),
    "png-with-html-appended": (lambda: _photo("PNG") + b"<html><script>alert(1)</script></html>", "x.png",
                               (640, 480)),
    "jpeg-with-gps": (lambda: _save(Image.new("RGB", (120, 80), (90, 140, 60)), "JPEG", exif=_exif(1, gps=True)),
                      "where.jpg", (120, 80)),
    **{f"exif-orientation-{n}": ((lambda n=n: oriented(n)), f"turned-{n}.jpg", (64, 32) if n < 5 else (32, 64))
       for n in range(2, 9)},
}

# Names a client may send: stored files are always named by us (tracks/<id>/photo.jpg).
FILE_NAMES = {
    "dot-dot-slash": "../../../etc/passwd.jpg",
    "windows-path": "C:\\Users\\me\\Pictures\\..\\photo.jpg",
    "300-characters": "a" * 296 + ".jpg",
    "control-characters": "bad\x01\x07\x1b[31mname\t.jpg",
    "unicode": "바다 사진 🌊 Ünïcødé ‮gpj.exe",
    "null-byte": "photo.jpg\x00.php",
}
