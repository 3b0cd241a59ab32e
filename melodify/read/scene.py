"""Scene words from measures and layout: honest heuristics until a real captioner plugs in.

Each tag has one small rule over the working copy: where the colours sit (sky on top, sea below
a flat horizon, sand at the bottom), how bright, how busy, and small bright points in the dark.
The words match the briefer's keywords where they can ("night", "sea", "sky", "sunset", "snow").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .measures import Measures, Pixels, gradient

# Hue ranges in degrees (start inclusive); pixels must also be chromatic (see _hue_shares).
HUES: dict[str, tuple[float, float]] = {
    "red": (345, 15), "orange": (15, 40), "yellow": (40, 70), "green": (70, 165),
    "cyan": (165, 195), "blue": (195, 255), "purple": (255, 290), "magenta": (290, 345),
}
WARM_HUES = ("red", "orange", "yellow", "magenta")


@dataclass(frozen=True)
class Blob:
    area: float          # share of the image
    fill: float          # share of its bounding box it fills (a disc fills ~0.79)
    aspect: float        # bounding box width / height
    cx: float            # centre, 0..1 of width and height
    cy: float
    touches_edge: bool


def hue_mask(px: Pixels, name: str, *, min_sat: float = 0.25, min_value: float = 0.12) -> np.ndarray:
    start, end = HUES[name]
    inside = (px.hue >= start) & (px.hue < end) if start < end else (px.hue >= start) | (px.hue < end)
    return inside & (px.sat >= min_sat) & (px.value >= min_value)


def share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


def rows(array: np.ndarray, top: float, bottom: float) -> np.ndarray:
    h = array.shape[0]
    return array[int(top * h): max(int(top * h) + 1, int(bottom * h))]


def blobs(mask: np.ndarray) -> list[Blob]:
    """Connected regions of a mask, largest first."""
    labels, count = ndimage.label(mask)
    if count == 0:
        return []
    h, w = mask.shape
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    found = []
    for area, (ys, xs) in zip(areas, ndimage.find_objects(labels)):
        bh, bw = ys.stop - ys.start, xs.stop - xs.start
        found.append(Blob(area=area / mask.size, fill=area / (bh * bw), aspect=bw / bh,
                          cx=(xs.start + xs.stop) / 2 / w, cy=(ys.start + ys.stop) / 2 / h,
                          touches_edge=ys.start == 0 or xs.start == 0 or ys.stop == h or xs.stop == w))
    return sorted(found, key=lambda b: -b.area)


def horizons(px: Pixels, band: int = 3, columns: int = 16) -> list[float]:
    """Heights (0..1) of flat horizontal boundaries: the colour changes the same way from the
    rows above to the rows below across nearly the whole width (sea against sky, not a head)."""
    h, w = px.shape
    if h < 8 * band or w < columns:
        return []
    blocks = px.rgb[:, : w - w % columns].reshape(h, columns, -1, 3).mean(axis=2)
    summed = np.concatenate([np.zeros((1, columns, 3)), np.cumsum(blocks, axis=0)])
    ys = np.arange(band, h - band - 1)
    above = (summed[ys] - summed[ys - band]) / band               # rows y-band .. y-1
    below = (summed[ys + 1 + band] - summed[ys + 1]) / band       # rows y+1 .. y+band
    change = above - below                                         # (rows, columns, rgb)
    mean = change.mean(axis=1)
    strength = np.linalg.norm(mean, axis=1)
    along = (change * mean[:, None, :]).sum(axis=2) / np.maximum(strength, 1e-9)[:, None]
    agreeing = (along > 0.5 * strength[:, None]).mean(axis=1)
    inside = (ys >= 0.2 * h) & (ys <= 0.8 * h)
    candidates = np.nonzero(inside & (strength > 0.05) & (agreeing >= 0.8))[0]
    found: list[float] = []
    for group in np.split(candidates, np.nonzero(np.diff(candidates) > 1)[0] + 1):
        if group.size:
            found.append(float(ys[group[np.argmax(strength[group])]]) / h)
    return found


def scene_tags(px: Pixels, m: Measures) -> list[str]:
    """Scene words, most telling first."""
    dark = m.brightness < 0.3
    tags: list[str] = []
    top, bottom = (lambda a: rows(a, 0, 1 / 3)), (lambda a: rows(a, 2 / 3, 1))
    blue = hue_mask(px, "blue") | hue_mask(px, "cyan")

    if m.brightness < 0.2 and float(top(px.luma).mean()) < 0.2:
        tags.append("night")
    if _is_sunset(px, m):
        tags.append("sunset")
    if share(top(blue)) >= 0.3 and float(top(px.luma).mean()) > 0.35 and _brightens_downwards(px):
        tags.append("sky")
    if _has_sea(px):
        tags.append("sea")
    sand = _sand(px)
    if share(bottom(sand)) >= 0.5:
        tags.append("beach" if "sea" in tags else "sand")
        if "sea" not in tags and share(sand) >= 0.45 and m.texture < 0.3:
            tags.append("desert")
    if m.brightness >= 0.7 and m.saturation <= 0.15 and float(bottom(px.luma).mean()) >= 0.8:
        tags.append("snow")
    tags += _lights(px, m, dark)
    green = share(hue_mask(px, "green"))
    if green >= 0.45 and share(top(hue_mask(px, "green"))) >= 0.3 and m.texture >= 0.35:
        tags.append("forest")
    elif green >= 0.3:
        tags.append("greenery")
    if _has_flowers(px, m, green):
        tags.append("flowers")
    if _has_face(px):
        tags.append("portrait")
    if _is_overcast(px, m):
        tags.append("overcast")
    tags += _feel(m)
    return list(dict.fromkeys(tags))


def _brightens_downwards(px: Pixels) -> bool:
    """A daytime sky is no brighter at the top than lower down (a backdrop often is)."""
    return float(rows(px.luma, 0, 0.06).mean()) <= float(rows(px.luma, 0.12, 0.2).mean()) + 0.02


def _is_sunset(px: Pixels, m: Measures) -> bool:
    """Warm colours fill the upper half and it brightens towards the horizon."""
    warm_sky = sum(share(rows(hue_mask(px, name), 0, 0.5)) for name in WARM_HUES)
    upper, lower = float(rows(px.luma, 0, 0.15).mean()), float(rows(px.luma, 0.35, 0.55).mean())
    orange = share(rows(hue_mask(px, "orange") | hue_mask(px, "yellow"), 0, 0.6))
    return warm_sky >= 0.5 and orange >= 0.15 and 0.15 <= m.brightness <= 0.7 and lower > upper + 0.1


def _has_sea(px: Pixels) -> bool:
    """Blue water right below a flat horizon (dark blue counts: the sea at night)."""
    water = (hue_mask(px, "blue", min_sat=0.2, min_value=0.08)
             | hue_mask(px, "cyan", min_sat=0.2, min_value=0.08))
    edges = gradient(px.luma)

    def calm_water_below(y: float) -> bool:   # water is smooth; a lit city below a roofline is not
        return (share(rows(water, y + 0.01, y + 0.1)) >= 0.5
                and float(rows(edges, y + 0.01, y + 0.1).mean()) < 0.045)

    return any(calm_water_below(y) for y in horizons(px))


def _sand(px: Pixels) -> np.ndarray:
    return ((px.hue >= 20) & (px.hue < 50) & (px.sat >= 0.2) & (px.sat <= 0.7) & (px.value >= 0.6))


def _lights(px: Pixels, m: Measures, dark: bool) -> list[str]:
    """The moon or the sun (a round bright disc up high); stars or city lights (many small
    bright points in the dark); lamps (a few round warm lights in a dim room)."""
    tags: list[str] = []
    h = px.shape[0]
    upper = np.zeros(px.shape, dtype=bool)
    upper[: h // 2] = True
    threshold = 0.85 if dark else 0.95   # the moon is a pale disc; the sun is blinding
    discs = [b for b in blobs((px.luma > threshold) & upper)
             if 0.001 <= b.area <= 0.1 and b.fill >= 0.5 and 0.6 <= b.aspect <= 1.6]
    # one or two discs standing out from a darker sky; a grid of lit windows is not a moon
    if 1 <= len(discs) <= 2 and float(px.luma[upper].mean()) < 0.8:
        tags.append("moon" if dark else "sun")
    if m.brightness < 0.22:
        local = px.luma - ndimage.uniform_filter(px.luma, size=7)   # brighter than around it
        lit_points = [b for b in blobs((local > 0.15) & (px.luma > 0.5)) if b.area <= 0.001]
        faint = [b for b in blobs((local > 0.08) & (px.luma > 0.2)) if b.area <= 0.001 and b.cy < 0.5]
        if len(lit_points) >= 60:
            tags.append("city lights")
        elif len(faint) >= 3:
            tags.append("stars")
    if 0.2 <= m.brightness < 0.5 and m.warmth > 0.3:
        glowing = (px.luma > 0.6) & (hue_mask(px, "orange") | hue_mask(px, "yellow")) & upper
        lamps = [b for b in blobs(glowing) if b.area >= 0.0005 and b.fill >= 0.55 and not b.touches_edge]
        if len(lamps) >= 2:
            tags.append("lamplight")
    if dark and _has_neon(px):
        tags.append("neon")
    return tags


def _has_neon(px: Pixels) -> bool:
    vivid = (px.sat > 0.6) & (px.value > 0.7)
    cold_pink = vivid & (hue_mask(px, "magenta") | hue_mask(px, "purple") | hue_mask(px, "cyan")
                         | hue_mask(px, "blue"))
    return share(vivid) >= 0.02 and cold_pink.sum() >= 0.5 * vivid.sum()


def _has_flowers(px: Pixels, m: Measures, green: float) -> bool:
    """Many small spots of several vivid hues among green."""
    vivid = [name for name in ("red", "orange", "yellow", "magenta", "purple")
             if share(hue_mask(px, name, min_sat=0.35, min_value=0.4)) >= 0.02]
    return len(vivid) >= 3 and green >= 0.1 and m.texture >= 0.5 and m.colourfulness >= 0.6


def _has_face(px: Pixels) -> bool:
    """A single skin-coloured, roughly oval region, inside the frame, near the middle."""
    skin = (px.hue >= 5) & (px.hue < 35) & (px.sat >= 0.2) & (px.sat <= 0.6) & (px.value >= 0.35)
    found = blobs(ndimage.binary_opening(skin, iterations=1))
    if not found:
        return False
    face = found[0]
    return (0.015 <= face.area <= 0.25 and not face.touches_edge and 0.25 <= face.cx <= 0.75
            and face.cy <= 0.7 and face.fill >= 0.5 and 0.4 <= face.aspect <= 1.2)


def _is_overcast(px: Pixels, m: Measures) -> bool:
    """A grey sky above a photo that has colour elsewhere: in a black-and-white photo grey says nothing."""
    upper = rows(px.luma, 0, 1 / 3)
    return (m.saturation >= 0.04 and float(rows(px.sat, 0, 1 / 3).mean()) < 0.15 and 0.45 <= float(upper.mean()) <= 0.8
            and m.brightness < 0.6)


def _feel(m: Measures) -> list[str]:
    tags = []
    if m.texture >= 0.5:
        tags.append("busy")
    elif m.texture < 0.15:
        tags.append("sparse")
    if m.colourfulness >= 0.6 and m.saturation >= 0.35:
        tags.append("colourful")
    if m.saturation < 0.08 or m.colourfulness < 0.08:
        tags.append("monochrome")
    elif m.colourfulness < 0.15:
        tags.append("muted")
    return tags
