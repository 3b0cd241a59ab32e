"""The embedded reader: measures that follow the photo, scene words, a caption, all deterministic."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from melodify.contracts import ImageReading
from melodify.pipeline import read_photo
from melodify.read.engines.embedded import EmbeddedReader
from melodify.read.image_loading import load_image
from melodify.read.measures import analyse, colourfulness, contrast, texture, warmth, working_copy
from melodify.read.palette import dominant_colours
from melodify.samples import SCENES, photo_bytes

HEX = re.compile(r"^#[0-9a-f]{6}$")


def read(data: bytes, progress=lambda stage, fraction: None) -> ImageReading:
    photo = load_image(data)
    return EmbeddedReader().read(photo.image, format=photo.format, size=photo.size, progress=progress)


def read_scene(scene: str, seed: int = 0, size=(640, 480)) -> ImageReading:
    return read(photo_bytes(scene, size=size, seed=seed))


def pixels(image: Image.Image):
    return analyse(working_copy(image))


# --- the reading as a whole -----------------------------------------------------------------------

def test_reading_fills_every_field(night_sea_jpeg):
    reading = read(night_sea_jpeg)
    ImageReading.model_validate(reading.model_dump())   # every value within its contract range
    assert (reading.width, reading.height, reading.format, reading.engine) == (640, 480, "JPEG", "embedded")
    assert reading.caption.endswith(".") and reading.caption[0].isupper()
    assert reading.tags and all(isinstance(tag, str) and tag for tag in reading.tags)


def test_reading_is_deterministic(flower_field_jpeg):
    assert read(flower_field_jpeg).model_dump() == read(flower_field_jpeg).model_dump()


def test_palette_has_five_hex_colours_most_dominant_first(flower_field_jpeg):
    reading = read(flower_field_jpeg)
    assert len(reading.palette) == 5 == len(reading.palette_weights)
    assert all(HEX.match(colour) for colour in reading.palette)
    assert len(set(reading.palette)) == 5
    assert reading.palette_weights == sorted(reading.palette_weights, reverse=True)
    assert sum(reading.palette_weights) == pytest.approx(1.0, abs=0.01)


def test_palette_finds_the_colours_that_are_there():
    image = Image.new("RGB", (200, 100), (0, 40, 200))      # 75% blue
    image.paste((250, 200, 0), (150, 0, 200, 100))          # 25% yellow
    hexes, weights = dominant_colours(image)
    assert hexes == ["#0028c8", "#fac800"]
    assert weights == pytest.approx([0.75, 0.25], abs=0.02)


def test_dark_cold_sparse_scene_measures_below_bright_warm_busy_ones():
    night = read_scene("night-sea")
    for busy in ("sunny-beach", "flower-field"):
        bright = read_scene(busy)
        assert night.brightness + 0.3 < bright.brightness, busy
        assert night.warmth + 0.4 < bright.warmth, busy
        assert night.texture < bright.texture, busy
        assert night.colourfulness < bright.colourfulness, busy
    assert read_scene("flower-field").texture > 0.6 > 0.2 > night.texture


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_measures_rank_the_scenes_as_a_person_would(seed):
    r = {scene: read_scene(scene, seed) for scene in SCENES}
    assert r["snow"].brightness == max(x.brightness for x in r.values())
    assert r["snow"].saturation < 0.15 and r["rainy-street"].saturation < 0.2
    assert r["cafe"].warmth > 0.5 and r["desert"].warmth > 0.5 and r["sunset"].warmth > 0.3
    assert r["portrait-blue"].warmth < -0.5 and r["night-sea"].warmth < -0.5
    assert r["flower-field"].texture == max(x.texture for x in r.values())
    assert r["city-night"].texture > r["night-sea"].texture + 0.2
    assert r["flower-field"].colourfulness > 0.8 > 0.15 > r["snow"].colourfulness


@pytest.mark.parametrize("scene, expected", [
    ("night-sea", {"night", "sea", "moon", "stars", "sparse"}),
    ("city-night", {"night", "city lights"}),
    ("sunny-beach", {"beach", "colourful"}),
    ("forest", {"forest"}),
    ("sunset", {"sunset"}),
    ("snow", {"snow", "monochrome"}),
    ("flower-field", {"flowers", "busy", "colourful"}),
    ("rainy-street", {"overcast", "muted"}),
    ("desert", {"desert", "sand"}),
    ("neon", {"neon", "night"}),
    ("cafe", {"lamplight"}),
    ("portrait-blue", {"portrait"}),
])
@pytest.mark.parametrize("seed, size", [(0, (640, 480)), (3, (1024, 768))])
def test_scene_words_fit_the_scene(scene, expected, seed, size):
    tags = set(read_scene(scene, seed, size).tags)
    assert expected <= tags, f"{scene}: {sorted(tags)}"


@pytest.mark.parametrize("scene, absent", [
    ("night-sea", {"city lights", "sun", "busy"}),
    ("city-night", {"sea", "sun", "stars"}),
    ("portrait-blue", {"sea", "night"}),
    ("snow", {"night", "sun", "colourful"}),
    ("cafe", {"night", "sea", "snow"}),
    ("forest", {"sea", "night", "snow"}),
])
def test_scene_words_do_not_claim_what_is_not_there(scene, absent):
    tags = set(read_scene(scene).tags)
    assert not absent & tags, f"{scene}: {sorted(tags)}"


def test_captions_differ_and_use_the_right_words():
    captions = {scene: read_scene(scene).caption for scene in SCENES}
    assert len(set(captions.values())) == len(SCENES)
    night, beach = captions["night-sea"].lower(), captions["sunny-beach"].lower()
    assert "dark" in night and "cold" in night and "sea" in night and "sparse" in night and "blue" in night
    assert "warm" in beach and "bright" in beach and "beach" in beach
    assert "sunset" in captions["sunset"] and "snow" in captions["snow"]
    assert "flowers" in captions["flower-field"] and "busy" in captions["flower-field"]
    assert "lights" in captions["city-night"] and "neon" in captions["neon"]
    assert "lamplight" in captions["cafe"]
    for caption in captions.values():
        assert caption.count(".") == 1 and caption.endswith("."), caption


COLOUR_WORDS = ("red", "orange", "yellow", "green", "blue", "teal", "purple", "pink", "brown", "grey", "white",
                "black", "beige", "cream", "violet", "cyan")


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("seed", [0, 4])
def test_captions_read_as_a_person_would_write_them(scene, seed):
    caption = read_scene(scene, seed).caption
    words = re.findall(r"[a-z]+", caption.lower())
    doubled = [w for w in COLOUR_WORDS if words.count(w) > 1]
    assert not doubled, caption                               # never "deep blues and blues"
    assert not re.search(r"\b(glowing warm|neutral-toned|tones? (dramatic|lively|calm|quiet))\b", caption), caption
    assert re.fullmatch(r"An? [a-z][^.;]+ — [a-z ,]+\.", caption), caption


@pytest.mark.parametrize("scene", SCENES)
def test_the_caption_is_written_in_korean_too(scene):
    reading = read_scene(scene)
    korean = reading.caption_ko
    assert korean.endswith("다.") and "사진" in korean, korean
    assert not re.search("[A-Za-z]", korean), korean         # Korean pages show no English
    assert korean.count(".") == 1


def test_korean_captions_name_the_scene_and_its_light():
    assert "밤바다" in read_scene("night-sea").caption_ko and "달" in read_scene("night-sea").caption_ko
    cafe = read_scene("cafe").caption_ko
    assert "램프 불빛" in cafe and "촛불" not in cafe          # lamplight, not candlelight
    assert "노을" in read_scene("sunset").caption_ko and "눈" in read_scene("snow").caption_ko
    assert "네온" in read_scene("neon").caption_ko


def test_a_black_and_white_photo_is_called_one_and_claims_no_sky():
    grey = Image.fromarray(np.random.default_rng(3).integers(60, 200, (240, 320), dtype=np.uint8)).convert("RGB")
    reading = EmbeddedReader().read(grey, format="PNG", size=grey.size, progress=lambda *a: None)
    assert "black-and-white" in reading.caption and "흑백" in reading.caption_ko
    assert "overcast" not in reading.tags and "sky" not in reading.caption


def test_progress_is_reported_for_the_read_stage(night_sea_jpeg):
    calls: list[tuple[str, float]] = []
    read(night_sea_jpeg, progress=lambda stage, fraction: calls.append((stage, fraction)))
    assert len(calls) >= 2
    assert {stage for stage, _ in calls} == {"read"}
    fractions = [fraction for _, fraction in calls]
    assert fractions == sorted(fractions) and all(0 <= f <= 1 for f in fractions)


@pytest.mark.parametrize("image", [
    Image.new("RGB", (64, 64), (128, 128, 128)),
    Image.new("RGB", (16, 16), (0, 0, 0)),
    Image.new("RGB", (300, 20), (255, 255, 255)),
    Image.new("L", (50, 40), 90),
    Image.new("RGBA", (50, 40), (255, 0, 0, 255)),
], ids=["flat-grey", "tiny-black", "strip-white", "greyscale-mode", "rgba-mode"])
def test_degenerate_pictures_still_read(image):
    reading = EmbeddedReader().read(image, format="PNG", size=image.size, progress=lambda *a: None)
    assert reading.caption and len(reading.palette) >= 1
    assert sum(reading.palette_weights) == pytest.approx(1.0, abs=0.01)
    assert reading.texture < 0.05


def test_flat_grey_reads_as_neutral_and_monochrome():
    image = Image.new("RGB", (64, 64), (128, 128, 128))
    reading = EmbeddedReader().read(image, format="PNG", size=(64, 64), progress=lambda *a: None)
    assert reading.warmth == 0 and reading.colourfulness == 0 and reading.saturation == 0
    assert reading.palette == ["#808080"] and reading.palette_weights == [1.0]
    assert "monochrome" in reading.tags and "black-and-white" in reading.caption


def test_pipeline_reads_a_photo_through_the_engine_registry():
    calls: list[float] = []
    reading = read_photo(photo_bytes("sunset", "PNG", size=(800, 600)),
                         progress=lambda stage, fraction: calls.append(fraction))
    assert reading.format == "PNG"
    assert (reading.width, reading.height) == (800, 600)
    assert "sunset" in reading.tags
    assert calls[0] == 0.0 and calls[-1] == 1.0


# --- single measures ------------------------------------------------------------------------------

@pytest.mark.parametrize("colour, low, high", [
    ((255, 128, 0), 0.9, 1.0),       # orange: warmest
    ((220, 40, 30), 0.7, 1.0),       # red
    ((0, 128, 255), -1.0, -0.9),     # azure: coldest
    ((30, 60, 200), -1.0, -0.7),     # blue
    ((128, 128, 128), 0.0, 0.0),     # grey: neutral
])
def test_warmth_follows_hue(colour, low, high):
    value = warmth(pixels(Image.new("RGB", (32, 32), colour)))
    assert low <= value <= high


def test_contrast_is_full_for_half_black_half_white_and_zero_for_flat():
    image = Image.new("RGB", (64, 64), (0, 0, 0))
    image.paste((255, 255, 255), (0, 0, 64, 32))
    assert contrast(pixels(image)) == pytest.approx(1.0, abs=0.01)
    assert contrast(pixels(Image.new("RGB", (64, 64), (90, 90, 90)))) == 0


def test_colourfulness_is_zero_for_greys_and_high_for_saturated_mixtures():
    assert colourfulness(pixels(Image.new("RGB", (64, 64), (200, 200, 200)))) == 0
    image = Image.fromarray(np.repeat(np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]],
                                               dtype=np.uint8), 16, axis=1).repeat(64, axis=0))
    assert colourfulness(pixels(image)) > 0.9


def test_texture_grows_with_detail():
    flat = Image.new("RGB", (256, 256), (120, 120, 120))
    checks = Image.fromarray(((np.indices((256, 256)).sum(axis=0) // 4 % 2) * 255).astype(np.uint8)).convert("RGB")
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 256, (256, 256, 3), dtype=np.uint8))
    assert texture(pixels(flat)) == 0
    assert texture(pixels(checks)) > 0.7 and texture(pixels(noise)) > 0.9
