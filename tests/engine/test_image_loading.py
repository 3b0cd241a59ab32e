"""load_image: every accepted format loads upright in RGB; every bad file is refused with its own code."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from melodify.errors import InvalidImage
from melodify.read.image_loading import MAX_JPEG_PIXELS, MAX_PIXELS, MAX_SIDE, LoadedImage, load_image
from melodify.samples import photo_bytes
from tests.factories import gif_frame_offsets, png_header_only, refusal

RED, BLUE = (220, 30, 30), (30, 30, 220)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def red_left_blue_right(size: tuple[int, int] = (64, 48)) -> Image.Image:
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def assert_close(pixel, expected, tolerance=40):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, expected)), (pixel, expected)


# --- refused -----------------------------------------------------------------------------------

def test_empty_file_is_refused_as_empty():
    error = refusal(b"")
    assert error.code == "empty_file"
    assert "empty" in error.message and "upload" in error.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "BMP", "WEBP", "HEIF", "AVIF"])
def test_truncated_file_is_refused_as_truncated(fmt):
    data = encode(red_left_blue_right((200, 150)), fmt)
    error = refusal(data[: len(data) * 2 // 3])
    assert error.code == "truncated_image"
    assert "cut short" in error.message and "complete photo" in error.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "BMP", "HEIF", "AVIF"])
def test_truncated_file_is_refused_even_when_pillow_is_told_to_accept_truncated_images(fmt, monkeypatch):
    # Any library in the process may flip this global; a cut photo must still be refused.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = encode(red_left_blue_right((200, 150)), fmt)
    assert refusal(data[: len(data) - 40]).code == "truncated_image"


def test_truncated_large_jpeg_is_detected_while_decoding_at_reduced_scale():
    data = photo_bytes("forest", size=(2400, 1800))
    assert load_image(data).image.size == (1200, 900), "the fast scaled JPEG decode should be in use"
    error = refusal(data[: int(len(data) * 0.8)])
    assert error.code == "truncated_image"
    assert "JPEG" in error.message


def test_file_with_jpeg_magic_but_garbage_header_is_refused_as_damaged():
    error = refusal(b"\xff\xd8\xff\xe0" + b"\x13" * 200)
    assert error.code == "truncated_image"
    assert "JPEG" in error.message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("width, height", [(8000, 7000), (10000, 10000), (20000, 20000)])
def test_decompression_bomb_header_is_refused_before_decoding(width, height):
    # 56 MP (over our limit, under Pillow's), 100 MP (Pillow only warns), 400 MP (Pillow raises)
    data = png_header_only(width, height)
    assert len(data) < 200
    error = refusal(data)
    assert error.code == "image_too_large"
    assert "megapixels" in error.message and f"{MAX_PIXELS // 1_000_000} megapixels" in error.message
    assert f"{width * height / 1e6:.1f} megapixels" in error.message


def test_image_just_under_the_pixel_limit_is_not_refused_for_size():
    # 7000 x 7000 = 49 MP: the header passes the size check (its fake pixel data then fails to decode)
    error = refusal(png_header_only(7000, 7000))
    assert error.code != "image_too_large"


MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
MINIMAL_SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
               b'width="100" height="100"><circle cx="50" cy="50" r="40" fill="red"/></svg>\n')
MINIMAL_PSD = (b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 100, 100, 8, 3)
               + struct.pack(">I", 0) * 3 + struct.pack(">H", 0) + bytes(100 * 100 * 3))
MINIMAL_EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
               b"newpath 50 50 40 0 360 arc fill\nshowpage\n%%EOF\n")


@pytest.mark.parametrize("data, named", [
    (MINIMAL_PDF, "PDF"),
    (MINIMAL_SVG, "SVG"),
    (b"  \n<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    (MINIMAL_PSD, "Photoshop (PSD)"),
    (MINIMAL_EPS, "EPS"),
    (encode(red_left_blue_right(), "TIFF"), "TIFF"),
    (encode(red_left_blue_right(), "TIFF", compression="tiff_lzw", byteorder=">"), "TIFF"),
    (encode(red_left_blue_right(), "ICO"), "icon"),
    (encode(red_left_blue_right(), "JPEG2000"), "JPEG 2000"),
    (encode(red_left_blue_right(), "JPEG2000", no_jp2=True), "JPEG 2000"),
    (b"\xff\x0a" + bytes(64), "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n" + bytes(64), "JPEG XL"),
    (b"".join(f"{card:<80}".encode() for card in ("SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 0", "END")), "FITS"),
], ids=["pdf", "svg-xml", "svg-bare", "psd", "eps", "tiff-le", "tiff-be", "ico", "jp2", "j2k", "jxl-bare",
        "jxl-box", "fits"])
def test_other_picture_formats_are_refused_naming_the_format(data, named):
    error = refusal(data)
    assert error.code == "unsupported_format"
    assert named in error.message
    assert "JPEG, PNG, WebP, GIF, BMP, HEIC or AVIF" in error.message


def test_text_file_named_jpg_is_refused_as_not_an_image(tmp_path: Path):
    path = tmp_path / "holiday.jpg"
    path.write_text("Dear diary, today we went to the beach.\n" * 20)
    error = refusal(path.read_bytes())   # the name is never looked at: only the bytes count
    assert error.code == "not_an_image"
    assert "text" in error.message and "not a photo" in error.message


def test_random_bytes_are_refused_as_not_an_image():
    data = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    error = refusal(b"\x00\x01" + data)
    assert error.code == "not_an_image"
    assert "not an image" in error.message


def test_audio_file_is_refused_naming_what_it_is():
    error = refusal(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64))
    assert error.code == "not_an_image"
    assert "WAV audio" in error.message


@pytest.mark.parametrize("size", [(15, 15), (2000, 12), (10, 400)])
def test_tiny_image_is_refused_as_too_small(size):
    error = refusal(encode(Image.new("RGB", size, RED), "PNG"))
    assert error.code == "image_too_small"
    assert f"{size[0]}x{size[1]}" in error.message and "16x16" in error.message


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "JPEG"])
@pytest.mark.parametrize("side", ["width", "height"])
def test_zero_width_or_height_header_is_refused_as_too_small_saying_its_size(fmt, side):
    data = bytearray(encode(Image.new("RGB", (40, 30), RED), fmt))
    if fmt == "PNG":
        at = 16 if side == "width" else 20          # IHDR: width, height, 4 bytes each
        data[at:at + 4] = bytes(4)
    elif fmt == "GIF":
        at = 6 if side == "width" else 8            # logical screen and the first image descriptor
        data[at:at + 2] = bytes(2)
        frame = gif_frame_offsets(bytes(data))[0] + 5 + (0 if side == "width" else 2)
        data[frame:frame + 2] = bytes(2)
    else:
        sof = data.index(b"\xff\xc0")
        at = sof + 7 if side == "width" else sof + 5
        data[at:at + 2] = bytes(2)
    error = refusal(bytes(data))
    assert error.code == "image_too_small", error.message
    assert ("0x30" if side == "width" else "40x0") in error.message and "16x16" in error.message


def test_16_by_16_image_is_just_big_enough():
    assert load_image(encode(Image.new("RGB", (16, 16), RED), "PNG")).size == (16, 16)


# --- accepted ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, options", [
    ("JPEG", {"quality": 95}), ("PNG", {}), ("WEBP", {"quality": 95}), ("GIF", {}), ("BMP", {}),
    ("HEIF", {"quality": 95}), ("AVIF", {"quality": 95}),
])
def test_every_accepted_format_loads_as_upright_rgb(fmt, options):
    photo = load_image(encode(red_left_blue_right(), fmt, **options))
    assert isinstance(photo, LoadedImage)
    assert photo.format == fmt
    assert photo.size == (64, 48) and photo.image.size == (64, 48)
    assert photo.image.mode == "RGB"
    assert_close(photo.image.getpixel((8, 24)), RED)
    assert_close(photo.image.getpixel((56, 24)), BLUE)


def test_phone_mpo_jpeg_loads_its_first_picture():
    first, second = red_left_blue_right(), Image.new("RGB", (64, 48), (0, 200, 0))
    data = encode(first, "MPO", save_all=True, append_images=[second])
    photo = load_image(data)
    assert photo.format == "MPO"
    assert_close(photo.image.getpixel((8, 24)), RED)


def test_transparent_png_is_composited_over_white():
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))            # fully transparent
    image.paste((255, 0, 0, 128), (16, 0, 32, 32))                # half-transparent red
    photo = load_image(encode(image, "PNG"))
    assert photo.image.mode == "RGB"
    assert_close(photo.image.getpixel((4, 4)), (255, 255, 255), 2)
    assert_close(photo.image.getpixel((24, 4)), (255, 127, 127), 3)


def test_transparent_webp_is_composited_over_white():
    image = Image.new("RGBA", (32, 32), (0, 0, 255, 0))
    photo = load_image(encode(image, "WEBP", lossless=True))
    assert_close(photo.image.getpixel((4, 4)), (255, 255, 255), 2)


def test_palette_gif_with_transparent_colour_is_composited_over_white():
    image = Image.new("P", (32, 32), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (16, 0, 32, 32))
    photo = load_image(encode(image, "GIF", transparency=0))
    assert_close(photo.image.getpixel((4, 4)), (255, 255, 255), 2)
    assert_close(photo.image.getpixel((24, 4)), (255, 0, 0), 2)


def test_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (32, 32), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    photo = load_image(data)
    assert photo.format == "GIF"
    assert_close(photo.image.getpixel((16, 16)), (255, 0, 0), 5)


def test_animated_webp_gives_its_first_frame():
    frames = [Image.new("RGB", (32, 32), color) for color in ((255, 0, 0), (0, 255, 0))]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, lossless=True)
    assert_close(load_image(data).image.getpixel((16, 16)), (255, 0, 0), 5)


@pytest.mark.parametrize("mode, fill, expected", [
    ("L", 128, (128, 128, 128)),
    ("LA", (200, 255), (200, 200, 200)),
    ("1", 1, (255, 255, 255)),
    ("P", None, (255, 0, 0)),
    ("I;16", 65535, (255, 255, 255)),
    ("I;16", 32896, (128, 128, 128)),
    ("CMYK", (0, 255, 255, 0), (255, 0, 0)),
])
def test_other_pixel_modes_become_rgb(mode, fill, expected):
    if mode == "P":
        image = Image.new("RGB", (32, 32), (255, 0, 0)).convert("P")
    else:
        image = Image.new(mode, (32, 32), fill)
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    photo = load_image(encode(image, fmt))
    assert photo.image.mode == "RGB"
    assert_close(photo.image.getpixel((16, 16)), expected, 6)


def test_exif_orientation_is_applied_before_anything_else():
    image = red_left_blue_right((40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6   # "rotate 90° clockwise to display"
    photo = load_image(encode(image, "JPEG", exif=exif.tobytes(), quality=95))
    assert photo.size == (20, 40) and photo.image.size == (20, 40)
    # turned clockwise, the red left half ends up on top
    assert_close(photo.image.getpixel((10, 5)), RED)
    assert_close(photo.image.getpixel((10, 35)), BLUE)


def test_exif_orientation_also_applies_to_large_downscaled_jpegs():
    exif = Image.Exif()
    exif[0x0112] = 8
    image = red_left_blue_right((3000, 2000))
    photo = load_image(encode(image, "JPEG", exif=exif.tobytes()))
    assert photo.size == (2000, 3000)
    assert max(photo.image.size) <= MAX_SIDE and photo.image.width < photo.image.height
    # turned anticlockwise, the red left half ends up at the bottom
    assert_close(photo.image.getpixel((photo.image.width // 2, photo.image.height - 20)), RED)


def test_heic_orientation_is_honoured():
    image = red_left_blue_right((40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = load_image(encode(image, "HEIF", exif=exif.tobytes(), quality=95))
    assert photo.size == (20, 40)
    assert_close(photo.image.getpixel((10, 5)), RED)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_big_photo_is_downscaled_but_reports_its_original_size(fmt):
    data = photo_bytes("desert", fmt, size=(4000, 3000))
    photo = load_image(data)
    assert photo.size == (4000, 3000)
    assert max(photo.image.size) <= MAX_SIDE
    assert photo.image.size[0] * 3 == photo.image.size[1] * 4


def test_reencoded_jpeg_is_clean_and_shows_the_same_picture():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"        # camera make
    exif[0x0112] = 6
    original = encode(red_left_blue_right((80, 40)), "JPEG", exif=exif.tobytes())
    photo = load_image(original)
    clean = photo.jpeg()
    assert clean.startswith(b"\xff\xd8") and b"Exif" not in clean and b"PhoneMaker" not in clean
    reopened = Image.open(io.BytesIO(clean))
    assert reopened.format == "JPEG" and reopened.size == (40, 80)
    assert reopened.getexif().get(0x0112) is None
    assert_close(reopened.convert("RGB").getpixel((20, 10)), RED)
    assert photo.jpeg() == clean, "re-encoding is deterministic"
    assert len(photo.jpeg(quality=30)) < len(photo.jpeg(quality=95))


def test_thumbnail_keeps_aspect_ratio_within_the_side():
    photo = load_image(photo_bytes("forest", size=(800, 600)))
    thumb = photo.thumbnail(200)
    assert thumb.size == (200, 150) and thumb.mode == "RGB"
    assert photo.image.size == (800, 600), "the loaded image itself is left alone"


def test_loading_leaves_pillow_global_settings_alone(night_sea_jpeg):
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    load_image(night_sea_jpeg)
    with pytest.raises(InvalidImage):
        load_image(png_header_only(20000, 20000))
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


def test_same_bytes_load_to_the_same_pixels(flower_field_jpeg):
    a, b = load_image(flower_field_jpeg), load_image(flower_field_jpeg)
    assert a.image.tobytes() == b.image.tobytes() and a.size == b.size == (640, 480)


def test_colour_profile_is_kept_only_when_it_describes_rgb():
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = load_image(encode(red_left_blue_right(), "JPEG", icc_profile=srgb))
    assert photo.icc_profile == srgb
    assert Image.open(io.BytesIO(photo.jpeg())).info.get("icc_profile") == srgb
    grey = srgb[:16] + b"GRAY" + srgb[20:]   # a profile for another colour space is dropped
    assert load_image(encode(red_left_blue_right(), "JPEG", icc_profile=grey)).icc_profile is None
    assert load_image(encode(red_left_blue_right(), "JPEG")).icc_profile is None


def test_dark_sixteen_bit_png_keeps_its_darkness():
    photo = load_image(encode(Image.new("I;16", (32, 32), 200), "PNG"))   # 200 / 65535: near black
    assert photo.image.getpixel((16, 16)) == (1, 1, 1)


# --- frames, orientation, metadata, large phone photos ---------------------------------------------

def test_bomb_in_a_later_gif_frame_is_never_decoded():
    """Frame 2 claims 60000x60000 pixels: only the first frame is decoded, so it costs nothing."""
    frames = [Image.new("RGB", (64, 48), colour) for colour in (RED, BLUE)]
    data = bytearray(encode(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    second = gif_frame_offsets(bytes(data))[1]
    data[second + 5:second + 9] = struct.pack("<HH", 60000, 60000)
    photo = load_image(bytes(data))
    assert photo.size == (64, 48)
    assert_close(photo.image.getpixel((8, 8)), RED, 5)


def test_animated_webp_with_thousands_of_frames_gives_its_first_frame():
    frames = [Image.new("RGB", (32, 32), (i % 256, 90, 40)) for i in range(3000)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=10, lossless=True)
    assert Image.open(io.BytesIO(data)).n_frames == 3000
    photo = load_image(data)
    assert photo.size == (32, 32)
    assert_close(photo.image.getpixel((16, 16)), (0, 90, 40), 5)


def four_colours(size: tuple[int, int] = (64, 32)) -> Image.Image:
    """Red top left, blue top right, green bottom left, yellow bottom right."""
    image = Image.new("RGB", size)
    w, h = size[0] // 2, size[1] // 2
    for (x, y), colour in {(0, 0): RED, (w, 0): BLUE, (0, h): (30, 200, 30), (w, h): (230, 220, 30)}.items():
        image.paste(colour, (x, y, x + w, y + h))
    return image


# EXIF orientation -> what turns the stored pixels upright (EXIF 2.32, tag 0x0112)
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", sorted(UPRIGHT))
def test_every_exif_orientation_is_applied(fmt, orientation):
    stored = four_colours()
    exif = Image.Exif()
    exif[0x0112] = orientation
    photo = load_image(encode(stored, fmt, exif=exif.tobytes(), quality=95))
    upright = stored.transpose(UPRIGHT[orientation])
    assert photo.size == upright.size == photo.image.size
    w, h = upright.size
    for x, y in ((w // 4, h // 4), (3 * w // 4, h // 4), (w // 4, 3 * h // 4), (3 * w // 4, 3 * h // 4)):
        assert_close(photo.image.getpixel((x, y)), upright.getpixel((x, y)))


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (37.0, 33.0, 59.25), 3: "E", 4: (126.0, 58.0, 40.5)})
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF", "AVIF"])
def test_gps_position_is_not_in_the_clean_copy(fmt):
    data = encode(red_left_blue_right(), fmt, exif=exif_with_gps(), quality=95)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo should carry GPS"
    clean = load_image(data).jpeg()
    reopened = Image.open(io.BytesIO(clean))
    assert not reopened.getexif() and not reopened.getexif().get_ifd(0x8825)
    assert b"Exif" not in clean and b"PhoneMaker" not in clean and b"XMP" not in clean


@pytest.fixture(scope="module")
def phone_jpeg_54mp() -> bytes:
    """A 9000x6000 photo as a phone saves it (baseline JPEG, a gradient so it stays small)."""
    image = Image.linear_gradient("L").resize((9000, 6000)).convert("RGB")
    return encode(image, "JPEG", quality=85)


def test_large_phone_jpeg_is_decoded_at_reduced_scale_and_accepted(phone_jpeg_54mp):
    photo = load_image(phone_jpeg_54mp)
    assert photo.size == (9000, 6000) and photo.format == "JPEG"
    assert max(photo.image.size) <= MAX_SIDE


def test_large_progressive_jpeg_keeps_the_limit_for_whole_decodes():
    """A progressive JPEG holds every coefficient of the full picture while decoding: 50 MP at most."""
    image = Image.linear_gradient("L").resize((9000, 6000)).convert("RGB")
    error = refusal(encode(image, "JPEG", quality=85, progressive=True))
    assert error.code == "image_too_large"
    assert "9000x6000" in error.message and "baseline" in error.message


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("RGB", (64, 64), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize("width, height", [(16320, 12240), (12000, 9000)])
def test_200_and_108_megapixel_jpegs_pass_the_size_check(width, height):
    """200 MP is over Pillow's own bomb limit (179 MP): ours for baseline JPEGs is higher, as they
    decode at 1/8 scale (libjpeg fills the picture the short data leaves out)."""
    photo = load_image(jpeg_claiming(width, height))
    assert photo.size == (width, height) and max(photo.image.size) <= MAX_SIDE


def test_jpeg_bomb_over_the_jpeg_limit_is_refused_before_decoding():
    error = refusal(jpeg_claiming(60000, 60000))
    assert error.code == "image_too_large"
    assert "60000x60000" in error.message and f"{MAX_JPEG_PIXELS // 1_000_000} megapixels" in error.message
