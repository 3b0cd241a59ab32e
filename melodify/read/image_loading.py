"""Photo bytes in, a small RGB image out, or an InvalidImage that says what was wrong.

The type is decided from the bytes (never a file name). Everything refused gets its own `code`:
empty_file, truncated_image, image_too_large, unsupported_format, not_an_image, image_too_small.
Size limits guard memory: a baseline JPEG decodes at 1/8 scale inside libjpeg, so phone photos up to
MAX_JPEG_PIXELS pass; everything else (PNG, progressive JPEG, ...) is decoded whole and capped at MAX_PIXELS.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pillow_heif
from PIL import Image, JpegImagePlugin

from ..errors import InvalidImage
from .sniff import ACCEPTED as ACCEPTED_CATEGORY
from .sniff import PICTURE, declared_size, describe_bytes

# The one global side effect: Pillow learns to open HEIC/HEIF (iPhone photos).
pillow_heif.register_heif_opener()

ACCEPTED: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "HEIF", "AVIF")
OPENERS: tuple[str, ...] = ("PNG", "WEBP", "GIF", "BMP", "HEIF", "AVIF")   # JPEG and MPO: _parse_header
ACCEPTED_WORDS = "a JPEG, PNG, WebP, GIF, BMP, HEIC or AVIF image"
MAX_PIXELS = 50_000_000          # decoded whole: 50 MP is 150 MB of RGB, far below a decompression bomb
MAX_JPEG_PIXELS = 250_000_000    # a baseline JPEG decoded at 1/8 scale: a 200 MP phone photo is 3 MP
MIN_SIDE = 16                # smaller than this is an icon, not a photo
MAX_SIDE = 1600              # longest side kept after loading: plenty for reading and for the web page
MIN_DETAIL = 1000            # a JPEG's fast scaled decode keeps at least this longest side
ROTATING_ORIENTATIONS = {5, 6, 7, 8}   # EXIF orientations that swap width and height
# EXIF orientation -> the turn that makes the picture upright. Done here rather than by
# ImageOps.exif_transpose, which rewrites the EXIF too and raises on a broken one (found by fuzzing).
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


@dataclass
class LoadedImage:
    image: Image.Image                 # RGB, upright, longest side <= MAX_SIDE
    format: str                        # decoded type, one of ACCEPTED
    size: tuple[int, int]              # (width, height) upright, before downscaling
    icc_profile: bytes | None = None   # colour profile of the original, kept so colours stay right

    def jpeg(self, quality: int = 88) -> bytes:
        """The (downscaled) photo as a clean JPEG: no EXIF, no metadata but the colour profile."""
        out = io.BytesIO()
        extra = {"icc_profile": self.icc_profile} if self.icc_profile else {}
        self.image.save(out, "JPEG", quality=quality, **extra)
        return out.getvalue()

    def thumbnail(self, side: int) -> Image.Image:
        """A copy whose longest side is at most `side` pixels."""
        small = self.image.copy()
        small.thumbnail((side, side), Image.Resampling.LANCZOS)
        return small


class _WatchedBytes(io.BytesIO):
    """Bytes that notice when a decoder asks for more data than the file has.

    Pillow only raises on truncated files while the process-wide ImageFile.LOAD_TRUNCATED_IMAGES
    is False; any library may set it True. A read attempted at the very end of the data means the
    decoder wanted more, so the file was cut short, whatever that flag says.
    """

    ran_out = False

    def read(self, size: int | None = -1) -> bytes:
        if size != 0 and self.tell() >= len(self.getbuffer()):
            self.ran_out = True
        return super().read(size)


def load_image(data: bytes) -> LoadedImage:
    """Decode photo bytes into an upright RGB image, or raise InvalidImage saying why not."""
    if not data:
        raise InvalidImage("the file is empty (0 bytes); upload " + ACCEPTED_WORDS,
                           code="empty_file")
    stream = _WatchedBytes(data)
    im = _open(data, stream)
    orientation = _orientation(im)
    width, height = im.size
    if orientation in ROTATING_ORIENTATIONS:
        width, height = height, width
    _check_size(width, height, MAX_JPEG_PIXELS if _scales_down(im) else MAX_PIXELS)
    icc = _rgb_profile(im.info.get("icc_profile"))
    decoded = _decode(im, stream, data)
    turn = UPRIGHT.get(_orientation(decoded))   # a HEIF comes upright from libheif, its EXIF says so
    image = _to_rgb(decoded.transpose(turn) if turn is not None else decoded)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    image.info = {}   # no EXIF or other metadata travels on
    return LoadedImage(image=image, format=str(im.format), size=(width, height), icc_profile=icc)


def _open(data: bytes, stream: io.BytesIO) -> Image.Image:
    """Read the header only; refuse bytes that are not one of the accepted types."""
    im = _parse_header(data, stream)
    if im is not None:
        return im
    kind, category = describe_bytes(data)
    declared = declared_size(data)
    if declared and min(declared) == 0:   # a header that parses but describes no picture at all
        _check_size(*declared, MAX_PIXELS)
    if category == ACCEPTED_CATEGORY:   # the right magic bytes, but the header itself is unreadable
        raise InvalidImage(f"the file starts like {kind} but is damaged or cut short; "
                           "upload the complete photo again", code="truncated_image")
    if kind is None:
        raise InvalidImage("the file is not an image (its bytes match no picture format); upload "
                           + ACCEPTED_WORDS, code="not_an_image")
    code = "unsupported_format" if category == PICTURE else "not_an_image"
    raise InvalidImage(f"the file is {kind}, not a photo we can read; upload {ACCEPTED_WORDS}",
                       code=code)


def _parse_header(data: bytes, stream: io.BytesIO) -> Image.Image | None:
    """The opened image, or None when no accepted format can parse the header (_open says why)."""
    try:
        if data.startswith(b"\xff\xd8\xff"):
            # Not through Image.open: its bomb check (at 179 MP) would refuse a 200 MP phone photo
            # that we decode at 1/8 scale; _check_size applies our own limits.
            return JpegImagePlugin.jpeg_factory(stream)
        return Image.open(stream, formats=OPENERS)
    except Image.DecompressionBombError as exc:   # Pillow's own limit, far above MAX_PIXELS
        raise InvalidImage(_too_large_message(_pixels_in(str(exc)), limit=MAX_PIXELS),
                           code="image_too_large") from None
    except Exception:  # noqa: BLE001 - any failure to parse the header means "not readable as that"
        return None


def _rgb_profile(profile: bytes | None) -> bytes | None:
    """The ICC profile, if it describes RGB (bytes 16..20 of its header): a CMYK or grey profile
    would be wrong on the RGB JPEG we write."""
    return profile if profile and profile[16:20] == b"RGB " else None


def _orientation(im: Image.Image) -> int:
    try:
        value = int(im.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - broken EXIF is common on phones; treat it as upright
        return 1
    return value if 1 <= value <= 8 else 1


def _scales_down(im: Image.Image) -> bool:
    """A baseline JPEG: libjpeg decodes it at 1/8 scale, never holding the full-size picture. A
    progressive one keeps every coefficient of the full picture in memory, so it gets the lower limit."""
    return im.format in ("JPEG", "MPO") and "progressive" not in im.info


def _check_size(width: int, height: int, limit: int) -> None:
    if width * height > limit:
        raise InvalidImage(_too_large_message(width * height, f"{width}x{height} pixels", limit=limit),
                           code="image_too_large")
    if min(width, height) < MIN_SIDE:
        raise InvalidImage(f"the image is only {width}x{height} pixels; upload a photo at least "
                           f"{MIN_SIDE}x{MIN_SIDE} pixels", code="image_too_small")


def _too_large_message(pixels: int | None, dims: str | None = None, *, limit: int) -> str:
    megapixels = f"{pixels / 1e6:.1f} megapixels" if pixels else "too many pixels"
    what = f"{dims}, {megapixels}" if dims else megapixels
    advice = ("or save it as a baseline (not progressive) JPEG, which may have up to "
              f"{MAX_JPEG_PIXELS // 1_000_000} megapixels") if limit == MAX_PIXELS else "(for example 16000x12000)"
    return (f"the image is too large ({what}); upload a photo of at most {limit // 1_000_000} megapixels "
            + advice)


def _pixels_in(message: str) -> int | None:
    match = re.search(r"\((\d+) pixels\)", message)
    return int(match.group(1)) if match else None


def _decode(im: Image.Image, stream: _WatchedBytes, data: bytes) -> Image.Image:
    """Decode every byte of the first frame (a cut file is refused, whatever Pillow's settings)."""
    if im.format in ("JPEG", "MPO"):
        # libjpeg scales by 1/2, 1/4 or 1/8 while decoding, almost for free: take the largest
        # step that keeps MIN_DETAIL px, so a 12 MP photo (4000 -> 1000 px) needs no resampling.
        step = max((d for d in (1, 2, 4, 8) if max(im.size) / d >= MIN_DETAIL), default=1)
        im.draft("RGB", (max(1, im.size[0] // step), max(1, im.size[1] // step)))
    try:
        if im.format == "HEIF":
            # pillow-heif's plugin returns a blank picture for a cut file when LOAD_TRUNCATED_IMAGES
            # is set; its own API always raises. libheif has already turned the picture upright.
            return pillow_heif.open_heif(data, convert_hdr_to_8bit=True).to_pillow()
        im.load()
    except Exception:  # noqa: BLE001 - OSError, SyntaxError, ValueError... all mean broken data
        stream.ran_out = True
    if stream.ran_out:
        kind = describe_bytes(data)[0] or "an image"
        raise InvalidImage(f"the file is {kind} that is cut short or damaged (its picture data "
                           "ends early); upload the complete photo again", code="truncated_image")
    return im


def _to_rgb(im: Image.Image) -> Image.Image:
    """Any mode to RGB: transparency over white, 16-bit and float scaled, palettes expanded."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(im, dtype=np.float32)
        if im.mode.startswith("I;16") or values.max(initial=0) > 255:   # 16-bit: 65535 is white
            values = values / 257.0
        im = Image.fromarray(np.clip(values + 0.5, 0, 255).astype(np.uint8), "L")
    if im.mode == "P" and "transparency" in im.info or im.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if im.mode in ("L", "1") and "transparency" in im.info:
        return _to_rgb(im.convert("LA"))
    return im.convert("RGB")   # also for RGB: a plain image, detached from the decoder
