"""The vision-language reader: a model transformers supports natively (no trust_remote_code) writes a
detailed caption, through `AutoModelForImageTextToText`. Florence-2 takes its task token; chat models
(SmolVLM, Qwen2-VL...) take an instruction through their chat template. The measures come from the
embedded reader."""

from __future__ import annotations

from PIL import Image

from ..captioning import CaptioningReader

FLORENCE_TASK = "<MORE_DETAILED_CAPTION>"
INSTRUCTION = ("Describe this photo in one or two sentences: the people and what they do, the place, the "
               "objects, the weather, the time of day and the mood.")


class VisionLanguageReader(CaptioningReader):
    name = "vlm"
    default_model = "florence-community/Florence-2-base"
    model_class = "AutoModelForImageTextToText"
    what = "vision-language (image-text-to-text) model"
    max_new_tokens = 120

    def inputs(self, image: Image.Image) -> dict:
        if getattr(self.processor, "chat_template", None):
            messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": INSTRUCTION}]}]
            text = self.processor.apply_chat_template(messages, add_generation_prompt=True)
            return dict(self.processor(images=[image], text=text, return_tensors="pt"))
        return dict(self.processor(images=image, text=FLORENCE_TASK, return_tensors="pt"))
