"""What a model saw, merged into the measured reading: the embedded measures are always computed, and a
captioning or vision model adds its caption, objects, scene, time of day and mood words.

`AskingReader` is the reader of the engines that ask a service for JSON (OpenAI, Gemini): one question,
one repair if the answer does not fit, and the measured reading (with the reason) if it still does not.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image

from ..contracts import ImageReading, Usage
from ..llm.answers import InvalidAnswer, ask_valid, parse_json
from ..llm.prompts import ReadingDraft, read_prompt
from ..progress import ProgressCallback, no_progress
from .engines.embedded import EmbeddedReader

MODEL_SIDE = 1024          # the photo a model sees: enough for detail, few image tokens
MAX_TAGS = 16
QUIET_WORDS = {"", "unknown", "indoors", "none", "unclear"}


def measured(image: Image.Image, *, format: str, size: tuple[int, int]) -> ImageReading:
    return EmbeddedReader().read(image, format=format, size=size)


def model_jpeg(image: Image.Image, side: int = MODEL_SIDE) -> bytes:
    """The photo as a JPEG of at most `side` px, for a service."""
    copy = image.convert("RGB")
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=88)
    return out.getvalue()


def with_sight(reading: ImageReading, *, engine: str, model: str, caption: str, caption_ko: str = "",
               objects: Iterable[str] = (), scene: str = "", time_of_day: str = "", weather: str = "",
               mood: Iterable[str] = (), usage: Iterable[Usage] = ()) -> ImageReading:
    """The measured reading with a model's words: its caption, and its objects, weather and time of day
    among the tags (which the briefer's keywords read)."""
    objects = [o.strip().lower() for o in objects if o.strip()]
    extra = [w.strip().lower() for w in (weather, time_of_day) if w.strip().lower() not in QUIET_WORDS]
    tags = list(dict.fromkeys([*reading.tags, *extra, *objects]))[:MAX_TAGS]
    return ImageReading.model_validate({
        **reading.model_dump(), "caption": " ".join(caption.split()), "caption_ko": " ".join(caption_ko.split()),
        "objects": objects, "scene": scene.strip(), "time_of_day": time_of_day.strip(), "tags": tags,
        "mood": [m.strip().lower() for m in mood if m.strip()], "engine": engine, "model": model,
        "usage": [u.model_dump() for u in usage]})


class AskingReader:
    """A reader that asks a service (`self.chat`: OpenAIChat, GeminiChat) what the photo shows."""

    name: str
    chat: object

    def read(self, image: Image.Image, *, format: str, size: tuple[int, int],
             progress: ProgressCallback = no_progress) -> ImageReading:
        reading = measured(image, format=format, size=size)
        progress("read", 0.2)
        prompt = read_prompt(model_jpeg(image))
        try:
            draft, usage = ask_valid(lambda repair: self.chat.ask(prompt, repair),
                                     lambda text: parse_json(text, ReadingDraft))
        except InvalidAnswer as bad:
            return reading.model_copy(update={
                "usage": bad.usage, "fallback": f"the {self.name} reader's answers did not fit ({bad.reason}); "
                                                "the caption was written from the photo's measures"})
        progress("read", 0.9)
        return with_sight(reading, engine=self.name, model=self.chat.model, usage=usage, **draft.model_dump())
