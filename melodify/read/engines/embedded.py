"""The embedded reader: Pillow + NumPy measures, scene words and a caption written from them."""

from __future__ import annotations

from PIL import Image

from ...contracts import ImageReading
from ...progress import ProgressCallback, no_progress
from ..caption import write_caption, write_caption_ko
from ..measures import analyse, measure, working_copy
from ..scene import scene_tags


class EmbeddedReader:
    """Reads a photo in a few milliseconds, with no model: deterministic, always installed."""

    name = "embedded"

    def read(self, image: Image.Image, *, format: str, size: tuple[int, int],
             progress: ProgressCallback = no_progress) -> ImageReading:
        small = working_copy(image)
        pixels = analyse(small)
        progress("read", 0.3)
        m = measure(small, pixels)
        progress("read", 0.6)
        tags = scene_tags(pixels, m)
        progress("read", 0.9)
        return ImageReading(
            width=int(size[0]), height=int(size[1]), format=format,
            caption=write_caption(m, tags), caption_ko=write_caption_ko(m, tags), tags=tags,
            palette=m.palette, palette_weights=m.palette_weights,
            brightness=_unit(m.brightness), contrast=_unit(m.contrast), saturation=_unit(m.saturation),
            warmth=round(max(-1.0, min(1.0, m.warmth)), 4), colourfulness=_unit(m.colourfulness),
            texture=_unit(m.texture), engine=self.name)


def _unit(value: float) -> float:
    """Clamped to 0..1 and rounded, so the stored JSON is short and stable."""
    return round(max(0.0, min(1.0, float(value))), 4)
