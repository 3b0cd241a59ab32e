"""Name a file's type from its first bytes, so a refusal can say what the file actually is."""

from __future__ import annotations

import struct
from typing import Literal

Category = Literal["accepted", "picture", "other"]
ACCEPTED: Category = "accepted"   # a type we decode
PICTURE: Category = "picture"     # a picture or document format we do not take (PDF, SVG, TIFF...)
OTHER: Category = "other"         # not a picture at all (text, audio, video, archives, programs)

SVG = "an SVG drawing"

# (magic bytes at offset 0, what the file is, its category)
MAGIC: tuple[tuple[bytes, str, Category], ...] = (
    (b"\xff\xd8\xff", "a JPEG image", ACCEPTED),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", ACCEPTED),
    (b"GIF87a", "a GIF image", ACCEPTED),
    (b"GIF89a", "a GIF image", ACCEPTED),
    (b"%PDF", "a PDF document", PICTURE),
    (b"8BPS", "a Photoshop (PSD) document", PICTURE),
    (b"%!PS-Adobe", "an EPS (PostScript) drawing", PICTURE),
    (b"%!", "a PostScript document", PICTURE),
    (b"\xc5\xd0\xd3\xc6", "an EPS (PostScript) drawing", PICTURE),
    (b"II*\x00", "a TIFF image", PICTURE),
    (b"MM\x00*", "a TIFF image", PICTURE),
    (b"II+\x00", "a BigTIFF image", PICTURE),
    (b"\x00\x00\x01\x00", "an icon (ICO) file", PICTURE),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image", PICTURE),
    (b"\xffO\xffQ", "a JPEG 2000 image", PICTURE),
    (b"\xff\n", "a JPEG XL image", PICTURE),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "a JPEG XL image", PICTURE),
    (b"SIMPLE  =", "a FITS (astronomy) image", PICTURE),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)", OTHER),
    (b"\x1f\x8b", "a gzip archive", OTHER),
    (b"Rar!", "a RAR archive", OTHER),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", OTHER),
    (b"ID3", "an MP3 audio file", OTHER),
    (b"OggS", "an Ogg audio file", OTHER),
    (b"fLaC", "a FLAC audio file", OTHER),
    (b"\x1aE\xdf\xa3", "a WebM/Matroska video", OTHER),
    (b"\x7fELF", "a program (ELF executable)", OTHER),
    (b"MZ", "a Windows program", OTHER),
)

# ISO-BMFF ("....ftypXXXX") brands: HEIF/AVIF stills and videos share this container.
FTYP_BRANDS: dict[bytes, tuple[str, Category]] = {
    b"heic": ("a HEIC image", ACCEPTED), b"heix": ("a HEIC image", ACCEPTED), b"heim": ("a HEIC image", ACCEPTED),
    b"heis": ("a HEIC image", ACCEPTED), b"hevc": ("a HEIC image sequence", ACCEPTED),
    b"mif1": ("a HEIF image", ACCEPTED), b"msf1": ("a HEIF image sequence", ACCEPTED),
    b"avif": ("an AVIF image", ACCEPTED), b"avis": ("an AVIF image sequence", ACCEPTED),
    b"qt  ": ("a QuickTime video", OTHER),
}

# A BMP's "BM" is followed, at offset 14, by the size of one of the known info headers.
BMP_HEADER_SIZES = {n.to_bytes(4, "little") for n in (12, 16, 40, 52, 56, 64, 108, 124)}

RIFF_KINDS: dict[bytes, tuple[str, Category]] = {
    b"WEBP": ("a WebP image", ACCEPTED), b"WAVE": ("a WAV audio file", OTHER),
    b"AVI ": ("an AVI video", OTHER),
}


def describe_bytes(data: bytes) -> tuple[str | None, Category]:
    """(what the bytes look like, its category); (None, "other") when nothing matches."""
    head = data[:64]
    if head[:4] == b"RIFF" and len(head) >= 12:
        return RIFF_KINDS.get(head[8:12], ("a RIFF file", OTHER))
    if head[4:8] == b"ftyp":
        return FTYP_BRANDS.get(head[8:12], ("an MP4 video", OTHER))
    if head[:2] == b"BM" and head[14:18] in BMP_HEADER_SIZES:
        return "a BMP image", ACCEPTED
    for magic, kind, category in MAGIC:
        if head.startswith(magic):
            return kind, category
    kind = _describe_text(data[:4096])
    return kind, PICTURE if kind == SVG else OTHER


def declared_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) as a PNG, GIF or JPEG header states it, read without a decoder (which refuses
    a zero width as merely broken), so a refusal can say what the header claims; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_frame_size(data)
    return None


def _jpeg_frame_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's segments to its frame header (SOF0..SOF15, but not DHT/JPG/DAC)."""
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _describe_text(head: bytes) -> str | None:
    """Text files: SVG, HTML, JSON, or plain text (a .txt renamed .jpg)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the 4 KiB boundary is still text
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in stripped[:2048] and stripped.startswith(("<svg", "<?xml", "<!doctype svg", "<!--")):
        return SVG
    if stripped.startswith(("<!doctype html", "<html")):
        return "an HTML page"
    if stripped.startswith("<?xml"):
        return "an XML document"
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    if not text or printable / len(text) < 0.95:
        return None
    if stripped.startswith(("{", "[")):
        return "a JSON or other text file"
    return "plain text"
