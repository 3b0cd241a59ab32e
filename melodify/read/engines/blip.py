"""The BLIP reader: Salesforce's BLIP captioner (`BlipForConditionalGeneration`, base or large) writes an
English caption; the measures come from the embedded reader."""

from __future__ import annotations

from PIL import Image

from ..captioning import CaptioningReader

PROMPT = "a photography of"   # BLIP's conditional captioning prefix, as its model card uses


class BlipReader(CaptioningReader):
    name = "blip"
    default_model = "Salesforce/blip-image-captioning-base"
    model_class = "BlipForConditionalGeneration"
    what = "BLIP captioning model"
    model_types = ("blip",)

    def inputs(self, image: Image.Image) -> dict:
        return dict(self.processor(images=image, text=PROMPT, return_tensors="pt"))

    def prompt_in_output(self) -> bool:
        return False    # it does return the prompt, but one token short: `clean` cuts it as text

    def clean(self, text: str) -> str:
        text = text.strip()
        if text.lower().startswith(PROMPT):
            text = text[len(PROMPT):]
        return super().clean(text)
