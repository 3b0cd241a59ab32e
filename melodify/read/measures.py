"""What a photo measures: light, colour, warmth and busyness, from a small copy, with NumPy.

Every measure is 0..1 (warmth -1..1) and computed on a copy whose longest side is WORK_SIDE px,
so a measure does not depend on the photo's resolution, and reading stays a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .palette import dominant_colours

WORK_SIDE = 256
PALETTE_SIZE = 5

# Hasler & Süsstrunk (2003) rate M >= 109 "extremely colourful"; we map 0..110 onto 0..1.
COLOURFULNESS_FULL = 110.0
# Mean gradient and the share of edge pixels of a very busy photo (a meadow of flowers) at 256 px.
GRADIENT_FULL, EDGE_FULL, EDGE_STEP = 0.1, 0.45, 0.06
# How warm each hue feels (degrees -> -1..1): orange warmest, azure coldest; yellow-greens and
# magentas near neutral, greens a little cool.
HUE_WARMTH = ((0, 0.8), (30, 1.0), (60, 0.6), (90, 0.1), (120, -0.2), (180, -0.8), (210, -1.0),
              (240, -0.9), (270, -0.4), (300, 0.1), (330, 0.5), (360, 0.8))
WARMTH_DAMPING = 0.05    # keeps near-grey photos near neutral: their hue says little


@dataclass(frozen=True)
class Pixels:
    """The working copy as float arrays (rows, columns), 0..1; hue in degrees."""

    rgb: np.ndarray
    luma: np.ndarray
    hue: np.ndarray
    sat: np.ndarray
    value: np.ndarray
    chroma: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.luma.shape  # type: ignore[return-value]


@dataclass(frozen=True)
class Measures:
    brightness: float
    contrast: float
    saturation: float
    warmth: float
    colourfulness: float
    texture: float
    palette: list[str]
    palette_weights: list[float]


def working_copy(image: Image.Image, side: int = WORK_SIDE) -> Image.Image:
    """An RGB copy whose longest side is `side`: box filtering averages away grain and JPEG noise."""
    image = image if image.mode == "RGB" else image.convert("RGB")
    scale = side / max(image.size)
    if scale >= 1:
        return image.copy()
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BOX)


def analyse(small: Image.Image) -> Pixels:
    rgb = np.asarray(small, dtype=np.float32) / 255.0
    hsv = np.asarray(small.convert("HSV"), dtype=np.float32) / 255.0
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = np.maximum(np.maximum(r, g), b)          # faster than max(axis=2) on a 3-wide axis
    chroma = value - np.minimum(np.minimum(r, g), b)
    luma = rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    # Saturation of near-black pixels is noise, so divide by at least 0.15.
    sat = chroma / np.maximum(value, 0.15)
    return Pixels(rgb=rgb, luma=luma, hue=hsv[..., 0] * 360.0, sat=sat, value=value, chroma=chroma)


def brightness(px: Pixels) -> float:
    return float(px.luma.mean())


def contrast(px: Pixels) -> float:
    """RMS contrast of luma; 0.5 is the largest possible standard deviation on 0..1."""
    return float(min(1.0, px.luma.std() / 0.5))


def saturation(px: Pixels) -> float:
    return float(px.sat.mean())


def warmth(px: Pixels) -> float:
    """-1 cold .. +1 warm: each pixel's hue votes (HUE_WARMTH), weighted by its chroma, so
    strong colours count and greys barely do."""
    hues, feel = zip(*HUE_WARMTH)
    votes = np.interp(px.hue, hues, feel) * px.chroma
    return float(np.clip(votes.mean() / (px.chroma.mean() + WARMTH_DAMPING), -1.0, 1.0))


def colourfulness(px: Pixels) -> float:
    """Hasler & Süsstrunk's M on the opponent channels rg and yb, scaled to 0..1."""
    r, g, b = (px.rgb[..., i] * 255.0 for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    m = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    return float(min(1.0, m / COLOURFULNESS_FULL))


def gradient(luma: np.ndarray) -> np.ndarray:
    """Gradient magnitude of luma (forward differences), one row and column shorter."""
    gx = np.diff(luma, axis=1)[:-1, :]
    gy = np.diff(luma, axis=0)[:, :-1]
    return np.hypot(gx, gy)


def texture(px: Pixels) -> float:
    """Visual busyness: half mean gradient energy, half the share of edge pixels."""
    magnitude = gradient(px.luma)
    if magnitude.size == 0:
        return 0.0
    energy = min(1.0, float(magnitude.mean()) / GRADIENT_FULL)
    edges = min(1.0, float((magnitude > EDGE_STEP).mean()) / EDGE_FULL)
    return 0.5 * energy + 0.5 * edges


def measure(small: Image.Image, px: Pixels | None = None) -> Measures:
    px = px or analyse(small)
    hexes, weights = dominant_colours(small, PALETTE_SIZE)
    return Measures(
        brightness=brightness(px), contrast=contrast(px), saturation=saturation(px),
        warmth=warmth(px), colourfulness=colourfulness(px), texture=texture(px),
        palette=hexes, palette_weights=weights)
