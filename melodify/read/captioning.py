"""What the local captioning engines share: the model loaded once on a chosen device, one caption per
photo, and the measured reading with the caption merged in (or the measures' own caption, with the
reason, when the model writes nothing)."""

from __future__ import annotations

import threading
import unicodedata

from PIL import Image

from ..contracts import ImageReading, Usage
from ..errors import InvalidOption
from ..hf import dtype_for, load_pretrained, pick_device
from ..llm.calls import stopwatch
from ..progress import ProgressCallback, no_progress
from .sight import measured, with_sight

MAX_NEW_TOKENS = 60


class CaptioningReader:
    """Subclasses set `name`, `default_model`, `model_class` (a transformers Auto class name), `what`,
    and `inputs(image)` -> the processor's tensors."""

    name: str
    default_model: str
    model_class: str
    what: str
    model_types: tuple[str, ...] = ()     # config model types it takes (empty: whatever its Auto class takes)
    max_new_tokens = MAX_NEW_TOKENS

    def __init__(self, model: str | None = None, device: str | None = "auto") -> None:
        import transformers

        self.model = model or self.default_model
        self.device = pick_device(device)
        self.dtype = dtype_for(self.device)
        config = load_pretrained(transformers.AutoConfig, self.model, self.what)
        if self.model_types and config.model_type not in self.model_types:
            raise InvalidOption(f"the model {self.model!r} is a {config.model_type!r} model, not a {self.what}; "
                                f"give a {self.what}", code="wrong_model")
        self.processor = load_pretrained(transformers.AutoProcessor, self.model, self.what)
        self.net = load_pretrained(getattr(transformers, self.model_class), self.model, self.what,
                                   dtype=self.dtype).to(self.device).eval()
        self.lock = threading.Lock()

    def inputs(self, image: Image.Image) -> dict:
        raise NotImplementedError

    def caption(self, image: Image.Image) -> tuple[str, Usage]:
        import torch

        inputs = {k: v.to(self.device, self.dtype) if v.is_floating_point() else v.to(self.device)
                  for k, v in self.inputs(image.convert("RGB")).items()}
        length = inputs["input_ids"].shape[1] if "input_ids" in inputs else 0
        with self.lock, stopwatch() as took, torch.no_grad():
            out = self.net.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False, num_beams=1)
        new = out[0, length:] if self.prompt_in_output() else out[0]
        text = self.processor.batch_decode([new], skip_special_tokens=True)[0]
        return self.clean(text), Usage(engine=self.name, model=self.model, seconds=took[0], input_tokens=length,
                                       output_tokens=int(new.shape[0]))

    def prompt_in_output(self) -> bool:
        """Whether generate() returns the prompt before the caption (decoder-only models do)."""
        return not getattr(self.net.config, "is_encoder_decoder", False)

    def clean(self, text: str) -> str:
        text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c.isspace())
        text = " ".join(text.split()).strip(" .")
        return f"{text[:1].upper()}{text[1:]}." if text else ""

    def read(self, image: Image.Image, *, format: str, size: tuple[int, int],
             progress: ProgressCallback = no_progress) -> ImageReading:
        reading = measured(image, format=format, size=size)
        progress("read", 0.2)
        caption, usage = self.caption(image)
        progress("read", 0.9)
        if not caption:
            return reading.model_copy(update={"usage": [usage], "fallback": f"the {self.name} reader wrote no "
                                              "caption; the caption was written from the photo's measures"})
        return with_sight(reading, engine=self.name, model=self.model, caption=caption, usage=[usage])
