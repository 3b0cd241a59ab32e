"""Synthetic sample photos: every scene draws, at any size, the same for a seed, and looks its part."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from melodify.errors import InvalidOption
from melodify.read.image_loading import load_image
from melodify.samples import SCENES, make_photo, photo_bytes

REQUIRED = {"night-sea", "sunny-beach", "forest", "city-night", "sunset", "snow", "flower-field",
            "rainy-street", "desert", "neon", "cafe", "portrait-blue"}


def test_all_required_scenes_exist_with_a_description():
    assert REQUIRED <= set(SCENES)
    assert all(isinstance(text, str) and len(text) > 10 for text in SCENES.values())


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_scene_draws_at_the_size_asked_and_is_deterministic(scene):
    image = make_photo(scene, size=(320, 200), seed=3)
    assert image.mode == "RGB" and image.size == (320, 200)
    assert image.tobytes() == make_photo(scene, size=(320, 200), seed=3).tobytes()
    assert np.asarray(image).std() > 5, "a scene is not a flat colour"


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_another_seed_gives_another_photo(scene):
    assert make_photo(scene, (160, 120), seed=0).tobytes() != make_photo(scene, (160, 120), seed=1).tobytes()


def test_scenes_differ_from_each_other():
    means = {scene: tuple(np.asarray(make_photo(scene, (160, 120))).reshape(-1, 3).mean(axis=0).round())
             for scene in SCENES}
    assert len(set(means.values())) == len(SCENES)


def test_scenes_look_their_part():
    def rgb(scene):
        return np.asarray(make_photo(scene, (320, 240)), dtype=float)

    assert rgb("night-sea").mean() < 50 and rgb("city-night").mean() < 70
    assert rgb("snow").mean() > 200
    night = rgb("night-sea")
    assert night[..., 2].mean() > night[..., 0].mean() + 10, "the night sea is blue"
    desert = rgb("desert")
    assert desert[..., 0].mean() > desert[..., 2].mean() + 40, "the desert is warm"
    neon = rgb("neon").reshape(-1, 3)
    magenta = (neon[:, 0] > 180) & (neon[:, 2] > 150) & (neon[:, 1] < 120)
    cyan = (neon[:, 1] > 180) & (neon[:, 2] > 180) & (neon[:, 0] < 120)
    assert magenta.mean() > 0.005 and cyan.mean() > 0.005


@pytest.mark.parametrize("fmt", ["JPEG", "jpg", "PNG", "WEBP", "GIF", "BMP", "HEIC"])
def test_photo_bytes_encodes_a_file_the_loader_accepts(fmt):
    data = photo_bytes("sunset", fmt, size=(200, 150))
    photo = load_image(data)
    assert photo.size == (200, 150)
    assert photo.format == {"jpg": "JPEG", "HEIC": "HEIF"}.get(fmt, fmt)


def test_photo_bytes_is_byte_for_byte_reproducible():
    assert photo_bytes("forest", size=(300, 200), seed=9) == photo_bytes("forest", size=(300, 200), seed=9)


def test_twelve_megapixel_benchmark_photo():
    data = photo_bytes("flower-field", size=(4000, 3000))
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (4000, 3000)
    assert len(data) > 500_000, "grain and detail make a realistic file size"


def test_portrait_and_small_sizes_work():
    assert make_photo("portrait-blue", (600, 800)).size == (600, 800)
    assert make_photo("cafe", (16, 16)).size == (16, 16)


def test_unknown_scene_is_refused_listing_the_known_ones():
    with pytest.raises(InvalidOption) as caught:
        make_photo("moonbase")
    assert caught.value.code == "unknown_scene"
    assert "'moonbase'" in caught.value.message and "night-sea" in caught.value.message


def test_non_positive_size_is_refused():
    with pytest.raises(InvalidOption) as caught:
        make_photo("snow", (0, 100))
    assert "(0, 100)" in caught.value.message
