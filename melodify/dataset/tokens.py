"""Counting tokens: with a real tokenizer when one is given (a transformers folder or hub id on disk),
else an estimate that errs high, so a limit check never passes a file the provider would refuse.

The estimate: Google and OpenAI both say a token is about four characters of English text
(https://ai.google.dev/gemini-api/docs/tokens, https://help.openai.com/en/articles/4936856); Hangul and
other non-ASCII characters are counted a token each, since their tokenizers rarely merge them further.
An image part costs what Gemini charges a small image: 258 tokens
(https://ai.google.dev/gemini-api/docs/vision#technical-details-image).
"""

from __future__ import annotations

import math
from collections.abc import Callable

IMAGE_TOKENS = 258
CHARS_PER_TOKEN = 4

Counter = Callable[[str], int]


def estimate(text: str) -> int:
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return math.ceil(ascii_chars / CHARS_PER_TOKEN) + (len(text) - ascii_chars)


def counter(tokenizer: str | None = None) -> tuple[Counter, str]:
    """A function that counts a text's tokens, and what it counts with (for the report)."""
    if not tokenizer:
        return estimate, "estimated: 4 characters a token, a token per non-ASCII character"
    from transformers import AutoTokenizer

    from ..hf import load_pretrained

    tok = load_pretrained(AutoTokenizer, tokenizer, "tokenizer")
    return (lambda text: len(tok(text, add_special_tokens=False)["input_ids"])), f"counted with {tokenizer}"
