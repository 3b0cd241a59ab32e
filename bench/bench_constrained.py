"""Constrained decoding libraries compared on what the local briefer needs: the brief's JSON schema
(enums, ranges, strings up to 1200 characters) over a tiny random causal LM, whose answers only the
constraint keeps valid. Prints, per library: grammar compile time, tokens, time per token spent on the
mask, total time, and whether each answer validated as a MusicBrief.

    python bench/bench_constrained.py [--runs 3]

Libraries that are not installed are reported as such. Needs torch and transformers (melodify[ml]).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAX_TOKENS = 6200   # the local briefer's bound for this schema (constrained.max_answer_bytes)


class LLGuidance:
    name = "llguidance"

    def __init__(self, tokenizer, schema: dict) -> None:
        import llguidance
        import llguidance.hf
        import llguidance.torch

        self.lib, self.torch = llguidance, llguidance.torch
        self.tok = llguidance.hf.from_tokenizer(tokenizer)
        self.grammar = llguidance.LLMatcher.grammar_from_json_schema(schema, defaults={"whitespace_flexible": False})

    def start(self):
        self.matcher = self.lib.LLMatcher(self.tok, self.grammar)
        self.mask = self.torch.allocate_token_bitmask(1, self.tok.vocab_size)

    def constrain(self, logits) -> None:
        self.torch.fill_next_token_bitmask(self.matcher, self.mask, 0)
        self.torch.apply_token_bitmask_inplace(logits, self.mask.to(logits.device))

    def advance(self, token: int) -> bool:
        self.matcher.consume_token(token)
        return self.matcher.is_stopped()


class XGrammar:
    name = "xgrammar"

    def __init__(self, tokenizer, schema: dict) -> None:
        import xgrammar as xgr

        self.xgr = xgr
        info = xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=len(tokenizer))
        self.compiled = xgr.GrammarCompiler(info).compile_json_schema(json.dumps(schema), any_whitespace=False)
        self.vocab = info.vocab_size

    def start(self):
        self.matcher = self.xgr.GrammarMatcher(self.compiled)
        self.mask = self.xgr.allocate_token_bitmask(1, self.vocab)

    def constrain(self, logits) -> None:
        self.matcher.fill_next_token_bitmask(self.mask)
        self.xgr.apply_token_bitmask_inplace(logits, self.mask)

    def advance(self, token: int) -> bool:
        self.matcher.accept_token(token)
        return self.matcher.is_terminated()


class FormatEnforcer:
    name = "lm-format-enforcer"

    def __init__(self, tokenizer, schema: dict) -> None:
        from lmformatenforcer import JsonSchemaParser, TokenEnforcer
        from lmformatenforcer.tokenenforcer import TokenEnforcerTokenizerData

        # Its own transformers integration does not import under transformers 5 (tokenization_utils moved),
        # so the tokenizer data is built here as that integration builds it.
        zero = tokenizer.encode("0")[-1]
        regular = []
        for index in range(len(tokenizer)):
            if index not in tokenizer.all_special_ids:
                after_zero = tokenizer.decode([zero, index])[1:]
                regular.append((index, after_zero, len(after_zero) > len(tokenizer.decode([index]))))
        self.data = TokenEnforcerTokenizerData(regular, lambda ids: tokenizer.decode(ids).rstrip("\ufffd"),
                                               tokenizer.eos_token_id, False, len(tokenizer))
        self.make = lambda: TokenEnforcer(self.data, JsonSchemaParser(schema))
        self.eos = tokenizer.eos_token_id

    def start(self):
        self.enforcer, self.tokens = self.make(), []

    def constrain(self, logits) -> None:
        import torch

        allowed = self.enforcer.get_allowed_tokens(self.tokens).allowed_tokens
        keep = torch.full_like(logits, float("-inf"))
        keep[..., allowed] = 0
        logits += keep

    def advance(self, token: int) -> bool:
        self.tokens.append(token)
        return token == self.eos


class Outlines:
    name = "outlines-core"

    def __init__(self, tokenizer, schema: dict) -> None:
        from outlines_core import Guide, Index, Vocabulary
        from outlines_core.json_schema import build_regex_from_schema

        regex = build_regex_from_schema(json.dumps(schema), whitespace_pattern=r"[ ]?")
        to_byte = {char: byte for byte, char in byte_alphabet().items()}
        vocab: dict[bytes, list[int]] = {}
        eos = tokenizer.eos_token_id
        for token, index in tokenizer.get_vocab().items():
            if token not in tokenizer.all_special_tokens:
                vocab.setdefault(bytes(to_byte[c] for c in token), []).append(index)
        self.Guide, self.index = Guide, Index(regex, Vocabulary(eos, vocab))
        self.eos = eos

    def start(self):
        self.guide = self.Guide(self.index)

    def constrain(self, logits) -> None:
        import torch

        keep = torch.full_like(logits, float("-inf"))
        keep[..., self.guide.get_tokens()] = 0
        logits += keep

    def advance(self, token: int) -> bool:
        if token == self.eos:
            return True
        self.guide.advance(token)
        return False


def byte_alphabet() -> dict[int, str]:
    """GPT-2's byte-level BPE alphabet: each byte as a printable character."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, extra = {b: chr(b) for b in printable}, 0
    for b in range(256):
        if b not in chars:
            chars[b], extra = chr(256 + extra), extra + 1
    return chars


def decode(model, tokenizer, prompt_ids, lib, seed: int) -> tuple[str, int, float]:
    """Sampled tokens under the constraint: text, count, seconds spent constraining."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    lib.start()
    ids, past, out, masking = prompt_ids, None, [], 0.0
    with torch.no_grad():
        for _ in range(MAX_TOKENS):
            result = model(input_ids=ids, past_key_values=past, use_cache=True)
            past = result.past_key_values
            logits = result.logits[:, -1, :].float()
            start = time.perf_counter()
            lib.constrain(logits)
            masking += time.perf_counter() - start
            token = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=generator))
            start = time.perf_counter()
            stopped = lib.advance(token)
            masking += time.perf_counter() - start
            if token == tokenizer.eos_token_id:
                break
            out.append(token)
            if stopped:
                break
            ids = torch.tensor([[token]])
    return tokenizer.decode(out, skip_special_tokens=True), len(out), masking


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="library names to run (default: all)")
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from melodify.brief.asking import finished
    from melodify.llm.answers import parse_json
    from melodify.llm.constrained import with_short_numbers
    from melodify.llm.prompts import BriefDraft, full_schema
    from tests.factories import reading
    from tests.tiny_models import causal_lm

    torch.set_num_threads(1)
    folder = causal_lm(Path(tempfile.mkdtemp()) / "tiny-lm")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    schema = with_short_numbers(full_schema(BriefDraft))   # the schema the local briefer decodes with
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": "Write the brief."}],
                                           add_generation_prompt=True, return_tensors="pt", return_dict=True)
    prompt_ids = prompt["input_ids"]
    print(f"tiny Llama: vocab {len(tokenizer)}, {sum(p.numel() for p in model.parameters())} parameters; "
          f"{args.runs} runs per library, at most {MAX_TOKENS} tokens")
    print(f"{'library':<20} {'compile s':>9} {'tokens':>7} {'mask ms/tok':>11} {'total s':>8}  valid")
    for cls in [c for c in (LLGuidance, XGrammar, FormatEnforcer, Outlines) if not args.only or c.name in args.only]:
        try:
            start = time.perf_counter()
            lib = cls(tokenizer, schema)
            compiled = time.perf_counter() - start
        except ImportError as exc:
            print(f"{cls.name:<20} not installed ({exc.name})")
            continue
        except Exception as exc:  # noqa: BLE001 - a library that cannot take the schema is a result too
            print(f"{cls.name:<20} cannot compile the schema: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        tokens = masking = total = 0.0
        valid = 0
        for run in range(args.runs):
            start = time.perf_counter()
            text, count, spent = decode(model, tokenizer, prompt_ids, lib, seed=run)
            total += time.perf_counter() - start
            tokens, masking = tokens + count, masking + spent
            try:
                finished(parse_json(text, BriefDraft), seed=1, duration=15, genre=None, fixed={},
                         engine="local", model="tiny")
                valid += 1
            except ValueError as exc:
                print(f"    run {run}: {str(exc)[:160]}")
        print(f"{cls.name:<20} {compiled:>9.3f} {tokens / args.runs:>7.0f} {1000 * masking / max(tokens, 1):>11.3f} "
              f"{total / args.runs:>8.2f}  {valid}/{args.runs}")


if __name__ == "__main__":
    main()
