"""Synthetic photos for demos, tests and benchmarks: procedural scenes drawn with NumPy and Pillow.

Each scene is painted at a small base size (longest side <= 960 px), scaled up to the size asked
for, and given a fixed film grain, so a 12-megapixel photo takes well under a second. The same
scene, size and seed always give the same pixels.
"""

from __future__ import annotations

import io
from typing import Callable

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .errors import InvalidOption

RGB = tuple[int, int, int]
Painter = Callable[[int, int, np.random.Generator], Image.Image]

BASE_SIDE = 960          # scenes are painted at most this big, then scaled up
GRAIN_TILE = (263, 257)  # film grain tile (odd sizes, so the repeat is not on a grid)
DEFAULT_SIZE = (1024, 768)


# --- drawing helpers ---------------------------------------------------------------------------

def _gradient(w: int, h: int, stops: list[tuple[float, RGB]]) -> Image.Image:
    """A vertical gradient through (y fraction, colour) stops."""
    ys = np.linspace(0.0, 1.0, h)
    positions = [p for p, _ in stops]
    rows = np.stack([np.interp(ys, positions, [c[i] for _, c in stops]) for i in range(3)], axis=1)
    return Image.fromarray(np.repeat(rows[:, None, :], w, axis=1).round().astype(np.uint8), "RGB")


def _paste_band(img: Image.Image, top: float, stops: list[tuple[float, RGB]]) -> None:
    """Fill the image from `top` (fraction of height) down with a gradient (stops local to the band)."""
    w, h = img.size
    y0 = int(top * h)
    img.paste(_gradient(w, h - y0, stops), (0, y0))


def _glow(img: Image.Image, xy: tuple[float, float], radius: float, color: RGB, spread: float = 3.0) -> Image.Image:
    """A soft light: a blurred disc added onto the image, then the disc itself."""
    layer = Image.new("RGB", img.size)
    draw = ImageDraw.Draw(layer)
    x, y = xy
    r = radius * spread
    draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(c // 3 for c in color))
    layer = layer.filter(ImageFilter.GaussianBlur(radius * spread * 0.6))
    img = ImageChops.add(img, layer)
    ImageDraw.Draw(img).ellipse((x - radius, y - radius, x + radius, y + radius), fill=color)
    return img


def _jitter(color: RGB, rng: np.random.Generator, amount: int) -> RGB:
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in color)  # type: ignore[return-value]


def _blend_layer(img: Image.Image, layer: Image.Image, mask: Image.Image, blur: float = 0.0) -> Image.Image:
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    return Image.composite(layer, img, mask)


# --- scenes ------------------------------------------------------------------------------------

def _night_sea(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    horizon = 0.58
    img = _gradient(w, h, [(0, (4, 7, 22)), (horizon, (24, 40, 78)), (horizon + 0.002, (12, 26, 55)),
                           (1, (3, 8, 20))])
    draw = ImageDraw.Draw(img)
    for _ in range(22):   # a few stars
        x, y = rng.uniform(0, w), rng.uniform(0, horizon * h * 0.9)
        r = rng.uniform(0.5, 1.5) * w / 1000
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_jitter((225, 230, 245), rng, 25))
    for i in range(14):   # gentle swell lines on the sea
        y = (horizon + (1 - horizon) * (i + rng.uniform(0.2, 0.8)) / 14) * h
        draw.line((0, y, w, y + rng.uniform(-4, 4)), fill=(18, 34, 66), width=max(1, w // 500))
    moon_x, moon_y, moon_r = 0.72 * w, 0.2 * h, 0.035 * w
    img = _glow(img, (moon_x, moon_y), moon_r, (236, 232, 212))
    draw = ImageDraw.Draw(img)
    for i in range(12):   # the moon's path on the water
        y = horizon * h + (i + 1) * (1 - horizon) * h / 14
        half = moon_r * (0.6 + i * 0.18) * rng.uniform(0.7, 1.2)
        draw.line((moon_x - half, y, moon_x + half, y), fill=(110, 115, 130), width=max(1, h // 300))
    return img


def _sunny_beach(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    sea_top, sand_top = 0.34, 0.46
    img = _gradient(w, h, [(0, (112, 172, 230)), (sea_top, (238, 226, 200))])
    _paste_band(img, sea_top, [(0, (30, 130, 170)), (1, (70, 185, 190))])
    _paste_band(img, sand_top, [(0, (248, 214, 146)), (1, (230, 170, 96))])
    draw = ImageDraw.Draw(img)
    for _ in range(5):    # clouds
        cx, cy = rng.uniform(0, w), rng.uniform(0.05, 0.25) * h
        for _ in range(4):
            rx, ry = rng.uniform(0.03, 0.07) * w, rng.uniform(0.015, 0.03) * h
            ox = cx + rng.uniform(-0.05, 0.05) * w
            draw.ellipse((ox - rx, cy - ry, ox + rx, cy + ry), fill=(248, 248, 245))
    for i in range(6):    # surf
        y = (sand_top - 0.004 * i - rng.uniform(0, 0.01)) * h
        draw.line((0, y, w, y + rng.uniform(-3, 3)), fill=(240, 245, 240), width=max(1, h // 250))
    for _ in range(700):  # pebbles, footprints, shells
        x, y = rng.uniform(0, w), rng.uniform(sand_top + 0.03, 1) * h
        r = rng.uniform(1, 4) * w / 1000 * (0.5 + (y / h - sand_top) * 2)
        draw.ellipse((x - r, y - r * 0.6, x + r, y + r * 0.6), fill=_jitter((196, 142, 88), rng, 30))
    stripes = [(230, 50, 40), (250, 220, 60), (40, 120, 220), (250, 250, 250), (250, 130, 40)]
    for _ in range(14):   # people: a body and a head
        x, y = rng.uniform(0.02, 0.98) * w, rng.uniform(sand_top + 0.02, 0.8) * h
        s = (0.006 + (y / h - sand_top) * 0.03) * w
        draw.rectangle((x - s, y - s * 3, x + s, y), fill=stripes[int(rng.integers(0, len(stripes)))])
        draw.ellipse((x - s, y - s * 5, x + s, y - s * 3), fill=_jitter((200, 150, 110), rng, 20))
    for _ in range(9):    # parasols and towels
        x, y = rng.uniform(0.05, 0.95) * w, rng.uniform(sand_top + 0.1, 0.9) * h
        size = (0.04 + (y / h - sand_top) * 0.08) * w
        color = stripes[int(rng.integers(0, len(stripes)))]
        draw.line((x, y - size, x, y + size * 0.6), fill=(90, 70, 50), width=max(1, w // 400))
        draw.pieslice((x - size, y - size * 1.4, x + size, y - size * 0.4), 180, 360, fill=color)
        draw.rectangle((x + size * 0.3, y + size * 0.3, x + size * 1.3, y + size * 0.6),
                       fill=stripes[int(rng.integers(0, len(stripes)))])
    return _glow(img, (0.18 * w, 0.12 * h), 0.04 * w, (255, 248, 215), spread=4.0)


def _forest(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (70, 105, 60)), (0.5, (40, 75, 38)), (0.75, (48, 52, 30)), (1, (38, 32, 22))])
    draw = ImageDraw.Draw(img)
    for _ in range(30):   # sky glimpsed through the canopy
        x, y, r = rng.uniform(0, w), rng.uniform(0, 0.3) * h, rng.uniform(0.01, 0.03) * w
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_jitter((190, 215, 150), rng, 20))
    for _ in range(28):   # trunks, thin far away and thick near
        x, half = rng.uniform(0, w), rng.uniform(0.004, 0.025) * w
        bottom = rng.uniform(0.65, 1.0) * h
        draw.rectangle((x - half, 0, x + half, bottom), fill=_jitter((72, 56, 38), rng, 14))
    greens = [(34, 88, 34), (58, 118, 42), (90, 140, 52), (26, 68, 30), (110, 150, 60)]
    for _ in range(700):  # leaves
        x, y = rng.uniform(0, w), rng.uniform(-0.05, 0.7) * h
        rx, ry = rng.uniform(0.006, 0.035) * w, rng.uniform(0.006, 0.03) * w
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=_jitter(greens[int(rng.integers(0, 5))], rng, 12))
    for _ in range(500):  # ferns on the floor
        x, y = rng.uniform(0, w), rng.uniform(0.72, 1.0) * h
        length = rng.uniform(0.01, 0.04) * w
        angle = rng.uniform(-2.4, -0.7)
        draw.line((x, y, x + length * np.cos(angle), y + length * np.sin(angle)),
                  fill=_jitter((60, 110, 40), rng, 20), width=max(1, w // 400))
    return img


def _city_night(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (8, 10, 30)), (0.6, (48, 34, 66)), (1, (20, 16, 28))])
    draw = ImageDraw.Draw(img)
    x = -rng.uniform(0, 0.05) * w
    lights = [(255, 204, 110), (255, 230, 160), (255, 180, 90), (205, 222, 255)]
    while x < w:
        bw, top = rng.uniform(0.06, 0.13) * w, rng.uniform(0.12, 0.55) * h
        draw.rectangle((x, top, x + bw, h), fill=_jitter((22, 24, 40), rng, 6))
        cell_w, cell_h = 0.011 * w, 0.022 * h
        lit_share = rng.uniform(0.25, 0.55)
        for wy in np.arange(top + cell_h, 0.9 * h, cell_h * 1.6):
            for wx in np.arange(x + cell_w, x + bw - cell_w, cell_w * 1.7):
                if rng.random() < lit_share:
                    color = _jitter(lights[int(rng.integers(0, len(lights)))], rng, 20)
                    draw.rectangle((wx, wy, wx + cell_w, wy + cell_h), fill=color)
        x += bw + rng.uniform(0, 0.015) * w
    draw.rectangle((0, 0.9 * h, w, h), fill=(16, 16, 22))
    for _ in range(16):   # car lights
        y, x0 = rng.uniform(0.92, 0.99) * h, rng.uniform(0, w)
        color = (255, 60, 50) if rng.random() < 0.5 else (255, 245, 220)
        draw.line((x0, y, x0 + rng.uniform(0.03, 0.12) * w, y), fill=color, width=max(1, h // 300))
    return img


def _sunset(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    horizon = 0.62
    img = _gradient(w, h, [(0, (48, 32, 92)), (0.22, (150, 62, 112)), (0.45, (244, 112, 62)),
                           (horizon, (255, 190, 96))])
    img = _glow(img, (0.5 * w, horizon * h), 0.06 * w, (255, 228, 150), spread=4.0)
    draw = ImageDraw.Draw(img)
    for _ in range(9):    # thin clouds lit from below
        y, x0 = rng.uniform(0.12, 0.5) * h, rng.uniform(-0.2, 0.8) * w
        draw.ellipse((x0, y, x0 + rng.uniform(0.2, 0.45) * w, y + rng.uniform(0.008, 0.02) * h),
                     fill=_jitter((120, 48, 88), rng, 20))
    _paste_band(img, horizon, [(0, (96, 44, 60)), (1, (22, 10, 26))])
    draw = ImageDraw.Draw(img)
    sun_r = 0.06 * w   # half the sun still above the water
    draw.pieslice((0.5 * w - sun_r, horizon * h - sun_r, 0.5 * w + sun_r, horizon * h + sun_r), 180, 360,
                  fill=(255, 228, 150))
    for i in range(22):   # the sun's path on the water
        y = (horizon + (1 - horizon) * (i + 0.5) / 22) * h
        half = (0.03 + i * 0.006) * w * rng.uniform(0.6, 1.3)
        draw.line((0.5 * w - half, y, 0.5 * w + half, y), fill=_jitter((255, 160, 80), rng, 25),
                  width=max(1, h // 250))
    hill = [(0, horizon * h)] + [(x, horizon * h - (0.09 - 0.09 * x / (0.3 * w)) * h * rng.uniform(0.9, 1.1))
                                 for x in np.linspace(0, 0.3 * w, 12)] + [(0.3 * w, horizon * h)]
    draw.polygon(hill, fill=(30, 14, 34))
    for _ in range(5):    # birds
        x, y, s = rng.uniform(0.55, 0.9) * w, rng.uniform(0.15, 0.35) * h, rng.uniform(0.006, 0.012) * w
        draw.line((x - s, y - s * 0.5, x, y, x + s, y - s * 0.5), fill=(40, 20, 40), width=max(1, w // 600))
    return img


def _snow(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (200, 210, 226)), (0.45, (236, 239, 244)), (0.452, (246, 248, 251)),
                           (1, (230, 236, 245))])
    draw = ImageDraw.Draw(img)
    for i in range(7):    # drifts: soft blue shadows
        y = (0.5 + i * 0.07) * h
        draw.ellipse((rng.uniform(-0.3, 0.5) * w, y, rng.uniform(0.6, 1.3) * w, y + 0.03 * h),
                     fill=_jitter((214, 224, 240), rng, 5))
    for _ in range(9):    # small pines near the horizon
        x, base, tall = rng.uniform(0, w), rng.uniform(0.43, 0.5) * h, rng.uniform(0.05, 0.11) * h
        for k in range(3):
            top, width = base - tall * (0.45 + 0.28 * k), tall * (0.42 - 0.1 * k)
            draw.polygon([(x, top), (x - width, top + tall * 0.5), (x + width, top + tall * 0.5)],
                         fill=(34, 54, 48))
            draw.line((x - width * 0.7, top + tall * 0.45, x + width * 0.7, top + tall * 0.45),
                      fill=(240, 243, 248), width=max(1, w // 500))
    for _ in range(350):  # falling snow
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.6, 2.0) * w / 1000
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(252, 252, 255))
    return img


def _flower_field(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    horizon = 0.22
    img = _gradient(w, h, [(0, (100, 165, 235)), (horizon, (190, 222, 246))])
    _paste_band(img, horizon, [(0, (96, 150, 60)), (1, (40, 104, 30))])
    draw = ImageDraw.Draw(img)
    for _ in range(1500):  # grass blades
        x, y = rng.uniform(0, w), rng.uniform(horizon, 1) * h
        length = (0.005 + 0.03 * (y / h - horizon)) * h
        draw.line((x, y, x + rng.uniform(-0.3, 0.3) * length, y - length),
                  fill=_jitter((50, 120, 36), rng, 25), width=max(1, w // 600))
    petals = [(230, 40, 52), (250, 212, 40), (222, 52, 162), (142, 72, 204), (250, 132, 30),
              (250, 250, 244), (250, 150, 192)]
    for _ in range(4500):  # flowers, smaller towards the horizon
        depth = rng.uniform(0, 1) ** 0.7
        x, y = rng.uniform(0, w), (horizon + (1 - horizon) * depth) * h
        r = (0.6 + 9 * depth) * rng.uniform(0.6, 1.3) * w / 1000
        color = _jitter(petals[int(rng.integers(0, len(petals)))], rng, 18)
        draw.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=color)
        if r > 3:
            draw.ellipse((x - r * 0.3, y - r * 0.25, x + r * 0.3, y + r * 0.25), fill=(240, 190, 40))
    return img


def _rainy_street(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    vanish_x, vanish_y = 0.5 * w, 0.45 * h
    img = _gradient(w, h, [(0, (138, 144, 156)), (0.45, (168, 172, 180)), (0.46, (78, 82, 92)),
                           (1, (58, 62, 72))])
    draw = ImageDraw.Draw(img)
    for side in (-1, 1):  # façades receding to the vanishing point
        edge = 0 if side < 0 else w
        for k in range(5):
            near, far = k / 5, (k + 1) / 5
            xs = [edge + (vanish_x - edge) * f * 0.8 for f in (near, far)]
            tops = [0.05 * h + (vanish_y - 0.25 * h) * f for f in (near, far)]
            bottoms = [h * 0.95 - (h * 0.95 - vanish_y) * f for f in (near, far)]
            color = _jitter((96, 100, 112), rng, 12)
            draw.polygon([(xs[0], tops[0]), (xs[1], tops[1]), (xs[1], bottoms[1]), (xs[0], bottoms[0])],
                         fill=color)
            for j in range(1, 4):   # window rows
                f = j / 4
                y0 = tops[0] + (bottoms[0] - tops[0]) * f * 0.7
                y1 = tops[1] + (bottoms[1] - tops[1]) * f * 0.7
                draw.line((xs[0], y0, xs[1], y1), fill=(70, 74, 86), width=max(1, h // 200))
    for _ in range(14):   # reflections on the wet road
        x = rng.uniform(0.2, 0.8) * w
        draw.line((x, 0.6 * h, x + rng.uniform(-0.02, 0.02) * w, h), fill=_jitter((120, 126, 140), rng, 15),
                  width=max(1, w // 200))
    for _ in range(5):    # umbrellas
        x, y, s = rng.uniform(0.3, 0.7) * w, rng.uniform(0.55, 0.75) * h, rng.uniform(0.025, 0.045) * w
        draw.pieslice((x - s, y - s, x + s, y + s), 180, 360, fill=_jitter((36, 42, 64), rng, 10))
        draw.line((x, y, x, y + s * 1.6), fill=(30, 30, 36), width=max(1, w // 400))
    rain = Image.new("RGB", img.size, (205, 210, 222))
    mask = Image.new("L", img.size, 0)
    mask_draw = ImageDraw.Draw(mask)
    for _ in range(1400):
        x, y, length = rng.uniform(-0.1, 1) * w, rng.uniform(0, 1) * h, rng.uniform(0.015, 0.04) * h
        mask_draw.line((x, y, x + length * 0.25, y + length), fill=110, width=1)
    return Image.composite(rain, img, mask)


def _desert(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (150, 185, 225)), (0.33, (238, 222, 192))])
    img = _glow(img, (0.8 * w, 0.1 * h), 0.025 * w, (255, 250, 230), spread=5.0)
    draw = ImageDraw.Draw(img)
    xs = np.linspace(0, w, 64)
    for k in range(5):    # dunes, far to near
        base = (0.33 + 0.14 * k) * h
        phase, period = rng.uniform(0, 6.3), rng.uniform(0.5, 1.1) * w
        crest = base - (0.04 + 0.02 * k) * h * (0.6 + 0.4 * np.sin(2 * np.pi * xs / period + phase))
        light = _jitter((236 - 6 * k, 178 - 8 * k, 108 - 8 * k), rng, 6)
        shade = tuple(int(c * 0.8) for c in light)
        # the shadowed lee side shows where the lit slope starts below the crest
        lit = crest + 0.025 * h * (1 + np.sin(2 * np.pi * xs / period + phase + 1.2))
        draw.polygon([(0, h)] + list(zip(xs, crest)) + [(w, h)], fill=shade)
        draw.polygon([(0, h)] + list(zip(xs, lit)) + [(w, h)], fill=light)
    return img


def _neon(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (14, 6, 24)), (1, (28, 10, 36))])
    draw = ImageDraw.Draw(img)
    for y in np.arange(0, h, 0.04 * h):   # faint brick courses
        draw.line((0, y, w, y), fill=(34, 16, 42), width=max(1, h // 400))
    tubes = Image.new("RGB", img.size)
    tube_draw = ImageDraw.Draw(tubes)
    magenta, cyan = (255, 40, 200), (40, 232, 255)
    line = max(2, w // 110)
    tube_draw.ellipse((0.12 * w, 0.18 * h, 0.42 * w, 0.58 * h), outline=magenta, width=line)
    tube_draw.rectangle((0.52 * w, 0.15 * h, 0.88 * w, 0.42 * h), outline=cyan, width=line)
    zig = [(0.55 * w + i * 0.045 * w, (0.55 if i % 2 else 0.65) * h) for i in range(8)]
    tube_draw.line(zig, fill=magenta, width=line, joint="curve")
    for i in range(6):   # sign letters: short strokes
        x = (0.14 + i * 0.06) * w
        tube_draw.line((x, 0.7 * h, x + rng.uniform(-0.02, 0.03) * w, 0.84 * h), fill=cyan, width=line)
    glow = tubes.filter(ImageFilter.GaussianBlur(0.015 * w))
    img = ImageChops.add(img, glow)
    img = ImageChops.add(img, glow)
    return ImageChops.lighter(img, tubes)


def _cafe(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    table = 0.68
    img = _gradient(w, h, [(0, (96, 60, 34)), (table, (64, 38, 22))])
    draw = ImageDraw.Draw(img)
    for x in np.arange(0, w, 0.05 * w):   # panelling
        draw.line((x, 0.35 * h, x, table * h), fill=(54, 32, 18), width=max(1, w // 300))
    window = Image.new("RGB", img.size, (236, 196, 136))
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rectangle((0.04 * w, 0.06 * h, 0.3 * w, 0.5 * h), fill=255)
    img = _blend_layer(img, window, mask, blur=0.01 * w)
    for x in (0.45, 0.65, 0.85):           # hanging lamps
        ImageDraw.Draw(img).line((x * w, 0, x * w, 0.16 * h), fill=(40, 26, 16), width=max(1, w // 500))
        img = _glow(img, (x * w, 0.18 * h), 0.022 * w, (255, 196, 110), spread=4.0)
    _paste_band(img, table, [(0, (142, 88, 50)), (1, (104, 60, 32))])
    draw = ImageDraw.Draw(img)
    for _ in range(60):   # wood grain
        y = rng.uniform(table, 1) * h
        draw.line((0, y, w, y + rng.uniform(-6, 6)), fill=_jitter((118, 70, 38), rng, 12), width=1)
    for x in (0.3, 0.56, 0.78):            # cups on saucers
        cx, cy, r = x * w, 0.8 * h, 0.06 * w
        draw.ellipse((cx - r * 1.5, cy - r * 0.35, cx + r * 1.5, cy + r * 0.45), fill=(232, 222, 204))
        draw.rectangle((cx - r, cy - r * 1.4, cx + r, cy), fill=(238, 228, 210))
        draw.ellipse((cx - r, cy - r * 1.6, cx + r, cy - r * 1.2), fill=(72, 42, 22))
    return img


def _portrait_blue(w: int, h: int, rng: np.random.Generator) -> Image.Image:
    img = _gradient(w, h, [(0, (96, 170, 242)), (1, (58, 132, 226))])
    draw = ImageDraw.Draw(img)
    unit = min(w, h)
    cx, cy = 0.5 * w + rng.uniform(-0.03, 0.03) * w, 0.42 * h
    shirt = _jitter((236, 236, 230), rng, 8)
    draw.ellipse((cx - 0.42 * unit, 0.78 * h, cx + 0.42 * unit, 0.78 * h + 0.7 * unit), fill=shirt)
    draw.rectangle((cx - 0.06 * unit, cy + 0.12 * unit, cx + 0.06 * unit, 0.84 * h), fill=(214, 164, 134))
    draw.ellipse((cx - 0.16 * unit, cy - 0.24 * unit, cx + 0.16 * unit, cy + 0.12 * unit), fill=(58, 38, 28))
    draw.ellipse((cx - 0.13 * unit, cy - 0.18 * unit, cx + 0.13 * unit, cy + 0.2 * unit), fill=(226, 180, 150))
    for side in (-1, 1):
        ex = cx + side * 0.05 * unit
        draw.ellipse((ex - 0.012 * unit, cy - 0.02 * unit, ex + 0.012 * unit, cy + 0.005 * unit), fill=(40, 30, 26))
    draw.arc((cx - 0.05 * unit, cy + 0.04 * unit, cx + 0.05 * unit, cy + 0.12 * unit), 20, 160,
             fill=(170, 90, 90), width=max(1, unit // 250))
    return img.filter(ImageFilter.GaussianBlur(unit / 900))


_SCENES: dict[str, tuple[str, Painter, float]] = {
    "night-sea": ("a dark blue sea under a night sky, a moon and a few stars", _night_sea, 4.0),
    "sunny-beach": ("a sunny beach: sky, sun, surf, sand and parasols", _sunny_beach, 3.0),
    "forest": ("a green forest of trunks and leaves", _forest, 3.5),
    "city-night": ("a city skyline at night with many lit windows", _city_night, 4.0),
    "sunset": ("a sun setting over the water, purple to orange sky", _sunset, 3.0),
    "snow": ("a snowy field with a few small pines, snow falling", _snow, 2.5),
    "flower-field": ("a meadow full of flowers of every colour", _flower_field, 3.0),
    "rainy-street": ("a grey street in the rain, umbrellas and wet reflections", _rainy_street, 3.5),
    "desert": ("sand dunes under a hazy sky", _desert, 2.5),
    "neon": ("magenta and cyan neon signs on a dark wall", _neon, 3.5),
    "cafe": ("a warm café: wooden table, cups, lamps and a window", _cafe, 3.0),
    "portrait-blue": ("a person in a white shirt against a bright blue background", _portrait_blue, 2.5),
}

SCENES: dict[str, str] = {name: description for name, (description, _, _) in _SCENES.items()}


# --- public API --------------------------------------------------------------------------------

def make_photo(scene: str, size: tuple[int, int] = DEFAULT_SIZE, seed: int = 0) -> Image.Image:
    """A synthetic RGB photo of `scene` at `size` (width, height). Same arguments, same pixels."""
    if scene not in _SCENES:
        raise InvalidOption(f"unknown sample scene {scene!r}; choose one of: {', '.join(SCENES)}",
                            code="unknown_scene")
    width, height = int(size[0]), int(size[1])
    if width < 1 or height < 1:
        raise InvalidOption(f"sample size {size!r} must be positive (width, height)", code="invalid_size")
    _, paint, grain = _SCENES[scene]
    scale = min(1.0, BASE_SIDE / max(width, height))
    base_w, base_h = max(16, round(width * scale)), max(16, round(height * scale))
    rng = np.random.default_rng([seed, list(_SCENES).index(scene)])
    img = paint(base_w, base_h, rng)
    if img.size != (width, height):
        img = img.resize((width, height), Image.Resampling.BICUBIC)
    return _add_grain(img, grain, rng)


def photo_bytes(scene: str, fmt: str = "JPEG", size: tuple[int, int] = DEFAULT_SIZE, seed: int = 0,
                quality: int = 90) -> bytes:
    """`make_photo` encoded as a file: JPEG (default), PNG, WEBP, GIF, BMP, HEIF..."""
    fmt = {"JPG": "JPEG", "HEIC": "HEIF"}.get(fmt.upper(), fmt.upper())
    if fmt == "HEIF":
        from .read import image_loading  # noqa: F401 - registers the HEIF plugin with Pillow
    out = io.BytesIO()
    options = {"quality": quality} if fmt in ("JPEG", "WEBP", "HEIF") else {}
    make_photo(scene, size, seed).save(out, fmt, **options)
    return out.getvalue()


def _add_grain(img: Image.Image, sigma: float, rng: np.random.Generator) -> Image.Image:
    """Sensor-like grain from one small tile, repeated: cheap even at 12 megapixels."""
    tile_w, tile_h = GRAIN_TILE
    noise = np.clip(128 + rng.normal(0, sigma, (tile_h, tile_w, 3)), 0, 255).astype(np.uint8)
    tile = Image.fromarray(noise, "RGB")
    grain = Image.new("RGB", img.size)
    for y in range(0, img.size[1], tile_h):
        for x in range(0, img.size[0], tile_w):
            grain.paste(tile, (x, y))
    return ImageChops.add(img, grain, scale=1.0, offset=-128)
