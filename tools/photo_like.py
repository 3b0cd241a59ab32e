"""Photo-like pictures unlike melodify.samples' scenes, for listening sets (tools/listen.py): painted
with Pillow and NumPy, blurred and grained a little so they measure like photos, the same pixels for
the same name and seed.

    python tools/photo_like.py autumn-leaves 3 /tmp/leaves.jpg
"""

from __future__ import annotations

import io
import sys
from typing import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H = 640, 480
Painter = Callable[[np.random.Generator], Image.Image]


def _vertical(stops: list[tuple[float, tuple[int, int, int]]]) -> Image.Image:
    ys = np.linspace(0, 1, H)
    rows = np.stack([np.interp(ys, [p for p, _ in stops], [c[i] for _, c in stops]) for i in range(3)], axis=1)
    return Image.fromarray(np.repeat(rows[:, None, :], W, axis=1).astype(np.uint8), "RGB")


def _near(colour: tuple[int, int, int], rng: np.random.Generator, amount: int = 18) -> tuple[int, int, int]:
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in colour)  # type: ignore[return-value]


def autumn_leaves(rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (W, H), (92, 64, 40))
    draw = ImageDraw.Draw(img)
    colours = [(196, 72, 28), (226, 132, 34), (236, 186, 52), (150, 48, 30), (120, 84, 44), (176, 110, 40)]
    for _ in range(1800):
        x, y, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(6, 22)
        draw.ellipse((x - r, y - r * 0.6, x + r, y + r * 0.6), fill=_near(colours[rng.integers(0, 6)], rng))
    return img


def underwater(rng: np.random.Generator) -> Image.Image:
    img = _vertical([(0, (70, 190, 210)), (0.5, (20, 110, 160)), (1, (6, 40, 80))])
    draw = ImageDraw.Draw(img)
    for _ in range(7):                       # light rays from above
        x = rng.uniform(0, W)
        draw.polygon([(x, 0), (x + 30, 0), (x + 120, H), (x + 60, H)], fill=(60, 170, 200))
    img = img.filter(ImageFilter.GaussianBlur(12))
    draw = ImageDraw.Draw(img)
    for _ in range(80):                      # bubbles
        x, y, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(2, 7)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(200, 240, 250))
    for _ in range(9):                       # a few yellow fish
        x, y = rng.uniform(0.1, 0.9) * W, rng.uniform(0.3, 0.8) * H
        draw.ellipse((x - 18, y - 8, x + 18, y + 8), fill=(240, 200, 40))
    return img


def concert(rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (W, H), (10, 6, 18))
    layer = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(layer)
    for colour in ((230, 30, 120), (40, 80, 240), (250, 180, 40), (160, 40, 220)):
        x = rng.uniform(0.1, 0.9) * W
        draw.polygon([(x - 10, 0), (x + 10, 0), (x + rng.uniform(-200, 200) + 120, H * 0.8),
                      (x + rng.uniform(-200, 200) - 120, H * 0.8)], fill=colour)
    img = Image.blend(img, layer.filter(ImageFilter.GaussianBlur(18)), 0.55)
    draw = ImageDraw.Draw(img)
    for _ in range(60):                      # the crowd's heads and raised hands
        x, y = rng.uniform(0, W), rng.uniform(0.78, 0.95) * H
        draw.ellipse((x - 16, y - 18, x + 16, y + 18), fill=(6, 4, 10))
        if rng.random() < 0.3:
            draw.line((x, y, x + rng.uniform(-20, 20), y - 70), fill=(6, 4, 10), width=6)
    draw.rectangle((0, 0.93 * H, W, H), fill=(6, 4, 10))
    return img


def pastel_bedroom(rng: np.random.Generator) -> Image.Image:
    img = _vertical([(0, (236, 206, 214)), (0.62, (226, 196, 210)), (0.63, (214, 196, 226)), (1, (200, 184, 214))])
    draw = ImageDraw.Draw(img)
    draw.rectangle((0.6 * W, 0.1 * H, 0.9 * W, 0.5 * H), fill=(250, 246, 236))        # window
    draw.line((0.75 * W, 0.1 * H, 0.75 * W, 0.5 * H), fill=(220, 210, 200), width=5)
    draw.rectangle((0.08 * W, 0.52 * H, 0.62 * W, 0.82 * H), fill=(246, 240, 244))      # bed
    draw.rectangle((0.1 * W, 0.46 * H, 0.28 * W, 0.56 * H), fill=(250, 224, 230))       # pillow
    draw.ellipse((0.72 * W, 0.7 * H, 0.84 * W, 0.8 * H), fill=_near((190, 220, 200), rng))  # a plant pot
    return img.filter(ImageFilter.GaussianBlur(2))


def library(rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (W, H), (70, 40, 22))
    draw = ImageDraw.Draw(img)
    spines = [(140, 30, 30), (30, 60, 120), (30, 90, 50), (180, 140, 60), (90, 40, 80), (200, 190, 170)]
    for shelf in range(5):
        top = 10 + shelf * 94
        x = 8.0
        while x < W - 8:
            width = rng.uniform(9, 22)
            height = rng.uniform(60, 82)
            draw.rectangle((x, top + 84 - height, x + width, top + 84), fill=_near(spines[rng.integers(0, 6)], rng, 22))
            x += width + rng.uniform(0, 2)
        draw.rectangle((0, top + 84, W, top + 94), fill=(96, 58, 30))
    return img


def foggy_hills(rng: np.random.Generator) -> Image.Image:
    img = _vertical([(0, (196, 204, 210)), (1, (170, 180, 188))])
    draw = ImageDraw.Draw(img)
    for layer in range(5):                   # ridges, darker and sharper nearer
        base = 0.35 + layer * 0.13
        shade = int(170 - layer * 28)
        xs = np.linspace(0, W, 40)
        ys = base * H + np.cumsum(rng.normal(0, 6, 40))
        draw.polygon([(0, H)] + list(zip(xs, ys)) + [(W, H)], fill=(shade - 10, shade, shade + 6))
    return img.filter(ImageFilter.GaussianBlur(3))


def kitchen(rng: np.random.Generator) -> Image.Image:
    img = Image.new("RGB", (W, H), (238, 236, 228))
    draw = ImageDraw.Draw(img)
    for y in range(0, int(0.6 * H), 40):     # white tiles and grout
        draw.line((0, y, W, y), fill=(196, 196, 190), width=2)
    for x in range(0, W, 40):
        draw.line((x, 0, x, 0.6 * H), fill=(196, 196, 190), width=2)
    draw.rectangle((0, 0.6 * H, W, H), fill=(150, 120, 90))                              # worktop
    draw.ellipse((0.15 * W, 0.4 * H, 0.35 * W, 0.68 * H), fill=(200, 30, 36))            # a red kettle
    for _ in range(6):                                                                     # fruit in a bowl
        x, y = rng.uniform(0.55, 0.8) * W, rng.uniform(0.52, 0.6) * H
        draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=_near((240, 160, 40), rng, 30))
    draw.chord((0.5 * W, 0.5 * H, 0.85 * W, 0.72 * H), 0, 180, fill=(60, 110, 160))
    return img


def fireworks(rng: np.random.Generator) -> Image.Image:
    img = _vertical([(0, (4, 4, 16)), (1, (16, 12, 30))])
    draw = ImageDraw.Draw(img)
    for _ in range(5):
        cx, cy, r = rng.uniform(0.15, 0.85) * W, rng.uniform(0.15, 0.55) * H, rng.uniform(50, 110)
        colour = [(250, 80, 60), (80, 220, 120), (250, 220, 90), (120, 140, 255), (240, 90, 220)][rng.integers(0, 5)]
        for angle in np.linspace(0, 2 * np.pi, 48, endpoint=False):
            length = r * rng.uniform(0.7, 1.0)
            draw.line((cx, cy, cx + length * np.cos(angle), cy + length * np.sin(angle)), fill=colour, width=2)
    draw.rectangle((0, 0.88 * H, W, H), fill=(8, 8, 12))                                # the skyline
    return img


def rusty_metal(rng: np.random.Generator) -> Image.Image:
    noise = rng.normal(0, 1, (H // 8, W // 8))
    big = np.array(Image.fromarray(noise.astype(np.float32)).resize((W, H), Image.Resampling.BICUBIC))
    fine = rng.normal(0, 0.5, (H, W))
    t = np.clip(0.5 + 0.25 * big + 0.15 * fine, 0, 1)[..., None]
    rust, steel = np.array([150, 70, 30]), np.array([110, 110, 112])
    img = Image.fromarray((steel * (1 - t) + rust * t).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for x in range(40, W, 120):              # rivets
        for y in (40, H - 40):
            draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=(90, 80, 74))
    return img


def green_hills(rng: np.random.Generator) -> Image.Image:
    img = _vertical([(0, (110, 170, 240)), (0.45, (200, 226, 250))])
    draw = ImageDraw.Draw(img)
    for layer, colour in enumerate(((120, 180, 80), (90, 160, 60), (70, 140, 50))):
        xs = np.linspace(0, W, 30)
        ys = (0.45 + 0.12 * layer) * H + 30 * np.sin(xs / W * 6 + rng.uniform(0, 6))
        draw.polygon([(0, H)] + list(zip(xs, ys)) + [(W, H)], fill=colour)
    for _ in range(30):                      # sheep
        x, y = rng.uniform(0, W), rng.uniform(0.7, 0.95) * H
        draw.ellipse((x - 7, y - 5, x + 7, y + 5), fill=(245, 245, 240))
    return img


PAINTERS: dict[str, Painter] = {
    "autumn-leaves": autumn_leaves, "underwater": underwater, "concert": concert,
    "pastel-bedroom": pastel_bedroom, "library": library, "foggy-hills": foggy_hills, "kitchen": kitchen,
    "fireworks": fireworks, "rusty-metal": rusty_metal, "green-hills": green_hills,
}


def photo_like(name: str, seed: int = 0) -> bytes:
    """The picture as JPEG bytes, a little blurred and grained like a photo."""
    rng = np.random.default_rng([seed, list(PAINTERS).index(name)])
    img = PAINTERS[name](rng).filter(ImageFilter.GaussianBlur(0.8))
    grain = rng.normal(0, 3.0, (H, W, 3))
    img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float64) + grain, 0, 255).astype(np.uint8), "RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


if __name__ == "__main__":
    name, seed, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "wb") as f:
        f.write(photo_like(name, seed))
