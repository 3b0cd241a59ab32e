"""The local briefer: a transformers causal LM (a small instruct model from the hub, or a folder), with an
optional LoRA adapter, writing the brief under decoding constrained by the brief's JSON schema, so that
even a poor model returns one that fits. No account, no network once the model is on disk."""

from __future__ import annotations

import threading

from ...contracts import Usage
from ...errors import NotConfigured
from ...hf import dtype_for, load_pretrained, pick_device
from ...llm.answers import repair_text
from ...llm.calls import Prompt, Repair, Reply, stopwatch
from ...llm.constrained import Constraint, JsonGrammar
from ...llm.prompts import BriefDraft, full_schema
from ..asking import AskingBriefer

DEFAULT_MODEL = "Qwen/Qwen2.5-1.5B-Instruct"
REPETITION_PENALTY = 1.1     # greedy decoding of a small model otherwise loops on a phrase


def plain_prompt(messages: list[dict]) -> str:
    """The turns as plain text, for a base model without a chat template (fine-tuning asks the same)."""
    return "\n\n".join(m["content"] for m in messages) + "\n\nJSON:"


class LocalChat:
    """The model, its tokenizer and the compiled schema, loaded once; one answer at a time."""

    def __init__(self, engine: str, model: str | None, device: str | None, adapter: str | None = None) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.engine, self.model = engine, model or DEFAULT_MODEL
        self.device = pick_device(device)
        self.tokenizer = load_pretrained(AutoTokenizer, self.model, "causal language model with a fast tokenizer")
        self.lm = load_pretrained(AutoModelForCausalLM, self.model, "causal language model",
                                  dtype=dtype_for(self.device)).to(self.device).eval()
        if adapter:
            self._load_adapter(adapter)
        self.grammar = JsonGrammar(self.tokenizer, full_schema(BriefDraft), self.lm.config.get_text_config().vocab_size)
        self.lock = threading.Lock()

    def _load_adapter(self, adapter: str) -> None:
        try:
            self.lm.load_adapter(adapter)
        except ImportError:
            raise NotConfigured("a LoRA adapter needs peft, which is not installed; pip install peft",
                                code="engine_unavailable") from None
        except (OSError, ValueError) as exc:
            raise NotConfigured(f"cannot load the adapter {adapter!r}: {str(exc).splitlines()[0][:200]}",
                                code="model_unavailable") from None
        self.model = f"{self.model}+{adapter}"

    def ask(self, prompt: Prompt, repair: Repair | None = None, *, seed: int | None = None) -> Reply:
        import torch

        inputs = self._inputs(prompt, repair)
        length = inputs["input_ids"].shape[1]
        constraint = Constraint(self.grammar, length)
        with self.lock, stopwatch() as took, torch.no_grad():
            out = self.lm.generate(**inputs, do_sample=False, max_new_tokens=self.grammar.max_tokens,
                                   repetition_penalty=REPETITION_PENALTY, logits_processor=[constraint.processor()],
                                   stopping_criteria=[constraint.stopper()],
                                   pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id)
        new = out[0, length:].tolist()
        text = self.tokenizer.decode(new, skip_special_tokens=True)
        return Reply(text, Usage(engine=self.engine, model=self.model, seconds=took[0], input_tokens=length,
                                 output_tokens=len(new)))

    def _inputs(self, prompt: Prompt, repair: Repair | None) -> dict:
        messages = [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.text}]
        if repair:
            messages += [{"role": "assistant", "content": repair.answer},
                         {"role": "user", "content": repair_text(repair)}]
        if self.tokenizer.chat_template:
            inputs = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                        return_dict=True)
        else:
            inputs = self.tokenizer(plain_prompt(messages), return_tensors="pt")
        return {k: v.to(self.device) for k, v in inputs.items()}


class LocalBriefer(AskingBriefer):
    name = "local"
    schema = full_schema(BriefDraft)

    def __init__(self, model: str | None = None, device: str | None = "auto", adapter: str | None = None) -> None:
        self.chat = LocalChat(self.name, model, device, adapter)
