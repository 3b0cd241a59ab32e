"""Tiny, randomly initialised models built from configs, saved to a folder and loaded by path, as the
real ones are: no downloads. Their outputs are nonsense, so the tests check what the engine guarantees
(a valid reading, a valid brief), not what the words say.

The tokenizer is a byte-level BPE trained here on Melodify's own prompt words (English and Korean), so
it has the multi-byte tokens a real one has."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

CHAT_TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>\n{% endif %}")
SPECIALS = ["<pad>", "<s>", "</s>", "<unk>", "<|system|>", "<|user|>", "<|assistant|>"]


@contextmanager
def one_torch_thread():
    """Tiny models on a busy 2-core machine: one torch thread is several times faster."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


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


def causal_lm(folder: Path, *, seed: int = 0, initializer_range: float = 0.02) -> Path:
    """A two-layer Llama with a hidden size of 32 and its tokenizer, in `folder`. With the default
    initialisation its logits are nearly flat; a wider one (0.5) gives fine-tuning room to move them."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(folder)
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=8192,
                         bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                         initializer_range=initializer_range)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


WORDS = ("a photography of the sea night city dog cat woman man beach street light dark blue red green "
         "sky tree flower car rain snow sun moon people sitting standing with and in on at").split()


def bert_tokenizer(folder: Path):
    """A WordPiece tokenizer over a few dozen words, as BLIP's BERT tokenizer is."""
    from transformers import BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[DEC]", ".", ",", *WORDS]
    return BertTokenizerFast(vocab={word: index for index, word in enumerate(vocab)}, bos_token="[DEC]")


def blip(folder: Path, *, seed: int = 0) -> Path:
    """A BLIP captioner with a 32 px vision tower and a two-layer text decoder, with its processor."""
    import torch
    from transformers import (BlipConfig, BlipForConditionalGeneration, BlipImageProcessor, BlipProcessor,
                              BlipTextConfig, BlipVisionConfig)

    tok = bert_tokenizer(folder)
    processor = BlipProcessor(image_processor=BlipImageProcessor(size={"height": 32, "width": 32}), tokenizer=tok)
    text = BlipTextConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=2, encoder_hidden_size=32, max_position_embeddings=64,
                          bos_token_id=tok.convert_tokens_to_ids("[DEC]"), pad_token_id=tok.pad_token_id,
                          sep_token_id=tok.sep_token_id, eos_token_id=tok.sep_token_id)
    vision = BlipVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                              image_size=32, patch_size=8)
    torch.manual_seed(seed)
    model = BlipForConditionalGeneration(BlipConfig(text_config=text.to_dict(), vision_config=vision.to_dict(),
                                                    projection_dim=32))
    with torch.no_grad():   # random weights would mostly say [UNK] and [PAD]: make it say words
        model.text_decoder.cls.predictions.decoder.bias[:6] = -100.0
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def florence2(folder: Path, *, seed: int = 0) -> Path:
    """A Florence-2 (DaViT vision tower, one-layer BART) for 64 px images, with its processor."""
    import torch
    from transformers import (BartConfig, CLIPImageProcessorPil, Florence2Config, Florence2ForConditionalGeneration,
                              Florence2Processor, Florence2VisionConfig, PreTrainedTokenizerFast)

    folder.mkdir(parents=True, exist_ok=True)
    base = tokenizer(folder / "bpe")
    tok = PreTrainedTokenizerFast(tokenizer_object=base.backend_tokenizer, bos_token="<s>", eos_token="</s>",
                                  pad_token="<pad>", unk_token="<unk>", extra_special_tokens={"image_token": "<image>"})
    images = CLIPImageProcessorPil(size={"height": 64, "width": 64}, do_center_crop=False, image_seq_length=5)
    processor = Florence2Processor(image_processor=images, tokenizer=tok)
    text = BartConfig(vocab_size=len(tok), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                      decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=128,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                      decoder_start_token_id=tok.eos_token_id, forced_bos_token_id=tok.bos_token_id)
    vision = Florence2VisionConfig(depths=(1, 1, 1, 1), embed_dim=(8, 16, 32, 32), num_heads=(1, 1, 2, 2),
                                   num_groups=(1, 1, 2, 2), window_size=2, projection_dim=32, drop_path_rate=0.0)
    torch.manual_seed(seed)
    model = Florence2ForConditionalGeneration(Florence2Config(text_config=text.to_dict(), vision_config=vision.to_dict(),
                                                              image_token_id=tok.image_token_id))
    # Random weights would end at once: a real model's generation config would not let them.
    model.generation_config.min_new_tokens = 8
    model.generation_config.no_repeat_ngram_size = 1
    model.generation_config.suppress_tokens = [i for i in tok.all_special_ids if i != tok.eos_token_id]
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def lora(folder: Path, base: Path, *, seed: int = 0) -> Path:
    """A LoRA adapter (rank 2, non-zero) for the tiny causal LM in `base`, as the data set issue trains one."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=2, lora_alpha=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    model.save_pretrained(folder)
    return folder
