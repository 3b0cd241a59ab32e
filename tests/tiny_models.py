"""Tiny, randomly initialised models built from configs, saved to a folder and loaded by path, as the
real ones are: no downloads. Their outputs are nonsense, so the tests check what the engine guarantees
(a valid reading, a valid brief), not what the words say.

The tokenizer is a byte-level BPE trained here on Melodify's own prompt words (English and Korean), so
it has the multi-byte tokens a real one has."""

from __future__ import annotations

from pathlib import Path

CHAT_TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>\n{% endif %}")
SPECIALS = ["<pad>", "<s>", "</s>", "<unk>", "<|system|>", "<|user|>", "<|assistant|>"]


def corpus() -> list[str]:
    from melodify.brief import description, description_ko
    from melodify.llm import prompts

    texts = [prompts.BRIEF_SYSTEM, prompts.READ_SYSTEM, '{"genre": "pop", "mood": ["calm"], "tempo": 100}']
    for module in (description, description_ko):
        texts += [v for v in vars(module).values() if isinstance(v, str)]
        texts += [s for v in vars(module).values() if isinstance(v, tuple) for s in v if isinstance(s, str)]
        texts += [s for v in vars(module).values() if isinstance(v, dict) for s in v.values() if isinstance(s, str)]
    return texts


def tokenizer(folder: Path, vocab_size: int = 800):
    """A byte-level BPE tokenizer with a chat template, saved in `folder`."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE(unk_token=None))
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    raw.train_from_iterator(corpus(), trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                  unk_token="<unk>", additional_special_tokens=SPECIALS[4:])
    tok.chat_template = CHAT_TEMPLATE
    tok.save_pretrained(folder)
    return tok


def causal_lm(folder: Path, *, seed: int = 0) -> Path:
    """A two-layer Llama with a hidden size of 32 and its tokenizer, in `folder`."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(folder)
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=4096,
                         bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder
