"""Decoding constrained by a JSON schema, so that even a poor local model writes JSON that fits.

llguidance computes, token by token, which tokens keep the answer inside the schema's grammar; the
others are masked out of the logits before the next token is picked. Chosen by measuring four libraries
(bench/bench_constrained.py): over the brief's schema it was the one whose answers always validated
(enums, number ranges and string lengths all held), at 1 to 2 ms a token for its mask.
"""

from __future__ import annotations

import json
from typing import Any


NUMBER_BYTES = 24        # a number's digits, at most (numbers are held to two decimals: with_short_numbers)
BYTES_PER_CHAR = 3       # UTF-8: Hangul and most scripts take 3 bytes; 4-byte characters are rare here


def max_answer_bytes(schema: dict) -> int:
    """The most bytes an answer that fits `schema` can take, every string at its maxLength: a token is at
    least one byte, so generating this many tokens always lets the grammar finish the JSON."""
    kind = schema.get("type")
    if "enum" in schema:
        return max(len(json.dumps(v, ensure_ascii=False).encode()) for v in schema["enum"])
    if kind == "string":
        return BYTES_PER_CHAR * schema.get("maxLength", 200) + 2
    if kind in ("number", "integer"):
        return NUMBER_BYTES
    if kind == "array":
        return schema.get("maxItems", 8) * (max_answer_bytes(schema["items"]) + 2) + 2
    if kind == "object":
        return sum(len(name) + 4 + max_answer_bytes(value) for name, value in schema["properties"].items()) + 2
    return 64


def with_short_numbers(schema: dict, step: float = 0.01) -> dict:
    """The schema with every JSON number a multiple of `step`: a grammar alone lets fraction digits run on,
    and a poor model writes 0.4812481248... until it runs out of tokens."""
    if isinstance(schema, dict):
        schema = {k: with_short_numbers(v, step) for k, v in schema.items()}
        if schema.get("type") == "number":
            schema.setdefault("multipleOf", step)
        return schema
    return [with_short_numbers(v, step) for v in schema] if isinstance(schema, list) else schema


class JsonGrammar:
    """A schema compiled for one tokenizer: built once per loaded model (it takes about a second)."""

    def __init__(self, tokenizer: Any, schema: dict, vocab_size: int | None = None) -> None:
        import llguidance
        import llguidance.hf

        self.lib = llguidance
        self.tokenizer = llguidance.hf.from_tokenizer(tokenizer, n_vocab=vocab_size)
        schema = with_short_numbers(schema)
        self.grammar = llguidance.LLMatcher.grammar_from_json_schema(
            schema, defaults={"whitespace_flexible": False})
        error = llguidance.LLMatcher.validate_grammar(self.grammar, self.tokenizer)
        if error:
            raise ValueError(f"the schema does not compile: {error}")
        self.max_tokens = max_answer_bytes(schema)

    def matcher(self):
        return self.lib.LLMatcher(self.tokenizer, self.grammar)


class Constraint:
    """One answer's constraint, as transformers' generate() takes it: the logits processor masks the
    tokens the grammar forbids; the stopping criterion feeds each new token to the grammar and stops
    when the JSON is complete."""

    def __init__(self, grammar: JsonGrammar, prompt_length: int) -> None:
        import llguidance.torch

        self.torch = llguidance.torch
        self.matcher = grammar.matcher()
        self.mask = llguidance.torch.allocate_token_bitmask(1, grammar.tokenizer.vocab_size)
        self.seen = prompt_length

    def processor(self):
        from transformers import LogitsProcessor

        constraint = self

        class Mask(LogitsProcessor):
            def __call__(self, input_ids, scores):
                constraint.torch.fill_next_token_bitmask(constraint.matcher, constraint.mask, 0)
                constraint.torch.apply_token_bitmask_inplace(scores, constraint.mask.to(scores.device))
                return scores

        return Mask()

    def stopper(self):
        import torch
        from transformers import StoppingCriteria

        constraint = self

        class Done(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                for token in input_ids[0, constraint.seen:].tolist():
                    constraint.matcher.consume_token(token)
                constraint.seen = input_ids.shape[1]
                stopped = constraint.matcher.is_stopped() or bool(constraint.matcher.get_error())
                return torch.full((input_ids.shape[0],), stopped, dtype=torch.bool, device=input_ids.device)

        return Done()

    @property
    def error(self) -> str:
        return self.matcher.get_error()
