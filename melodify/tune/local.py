"""`melodify finetune`: LoRA fine-tuning of a local causal LM on the data set (peft, with trl's
SFTTrainer), so that it writes the brief the way the teacher did; the adapter it saves is what the
local briefer loads (`--briefer local --briefer-model BASE --briefer-option adapter=DIR`).

Each example is the OpenAI chat line split into the question (system and user turns) and the answer
(the assistant's JSON): the loss is on the answer alone, and the question is put through the model's
chat template exactly as the local briefer puts it at inference (or, for a model without one, the same
plain text), so the tuned model sees at inference what it was trained on.

Checkpoints go to DIR/checkpoints every few steps; run the same command again and it carries on from
the last one. The loss of every step is kept in DIR/training.json.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import InvalidOption, NotConfigured
from ..hf import dtype_for, load_pretrained, pick_device

TRAIN, VALIDATION = "openai-train.jsonl", "openai-validation.jsonl"
RECORD = "training.json"


@dataclass(frozen=True)
class TuneSettings:
    epochs: float = 3.0
    steps: int | None = None          # stops after this many steps, whatever the epochs
    learning_rate: float = 2e-4
    batch_size: int = 1
    rank: int = 16
    save_every: int = 50
    device: str = "auto"
    seed: int = 0
    resume: bool = True


def data_files(data: Path) -> tuple[Path, Path | None]:
    """The training file (and the validation file, where there is one) of a data set folder or a file."""
    if data.is_dir():
        train, validation = data / TRAIN, data / VALIDATION
        if not train.is_file():
            raise InvalidOption(f"{str(data)!r} has no {TRAIN}; build one with `melodify dataset build`")
        return train, validation if validation.is_file() else None
    if not data.is_file():
        raise InvalidOption(f"no such data set: {str(data)!r}; give a folder from `melodify dataset build` or an "
                            "OpenAI chat JSONL")
    return data, None


def conversations(path: Path, plain: bool) -> list[dict]:
    """The file's examples as prompt and completion, after checking the file is a valid OpenAI chat file."""
    from ..dataset.validate import validate
    from ..brief.engines.local import plain_prompt

    report = validate(path, provider_limits=False)
    if report.format != "openai" or not report.valid:
        first = "; ".join(f"line {n}: {p}" if n else p for n, p in report.errors[:3]) or f"a {report.format} file"
        raise InvalidOption(f"{str(path)!r} is not a valid OpenAI chat file for tuning ({first}); check it with "
                            "`melodify dataset validate`")
    rows = []
    for text in path.read_text(encoding="utf-8").splitlines():
        messages = json.loads(text)["messages"]
        question, answer = messages[:-1], messages[-1]["content"]
        rows.append({"prompt": plain_prompt(question), "completion": answer} if plain
                    else {"prompt": question, "completion": [{"role": "assistant", "content": answer}]})
    return rows


def finetune(data: Path, model: str, out: Path, settings: TuneSettings = TuneSettings()) -> dict:
    """Tune `model` on `data`, save the adapter in `out`; returns what was recorded (losses, steps...)."""
    try:
        from datasets import Dataset
        from peft import LoraConfig
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.trainer_utils import get_last_checkpoint
        from trl import SFTConfig, SFTTrainer
    except ImportError as exc:
        raise NotConfigured(f"fine-tuning needs {exc.name}, which is not installed; pip install 'melodify[ml]'",
                            code="engine_unavailable") from None
    train_file, validation_file = data_files(data)
    device = pick_device(settings.device)
    tokenizer = load_pretrained(AutoTokenizer, model, "causal language model with a fast tokenizer")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    plain = not tokenizer.chat_template
    train = Dataset.from_list(conversations(train_file, plain))
    validation = Dataset.from_list(conversations(validation_file, plain)) if validation_file else None
    lm = load_pretrained(AutoModelForCausalLM, model, "causal language model", dtype=dtype_for(device))
    checkpoints = out / "checkpoints"
    config = SFTConfig(
        output_dir=str(checkpoints), num_train_epochs=settings.epochs, max_steps=settings.steps or -1,
        per_device_train_batch_size=settings.batch_size, learning_rate=settings.learning_rate,
        logging_steps=1, save_strategy="steps", save_steps=settings.save_every, save_total_limit=2,
        eval_strategy="epoch" if validation is not None else "no", per_device_eval_batch_size=settings.batch_size,
        max_length=None, completion_only_loss=True, report_to="none", seed=settings.seed,
        use_cpu=device == "cpu", bf16=device == "cuda" and str(lm.dtype) == "torch.bfloat16",
        disable_tqdm=False, dataloader_pin_memory=device == "cuda")
    lora = LoraConfig(r=settings.rank, lora_alpha=2 * settings.rank, lora_dropout=0.0, target_modules="all-linear",
                      task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=lm, args=config, train_dataset=train, eval_dataset=validation,
                         processing_class=tokenizer, peft_config=lora)
    last = get_last_checkpoint(str(checkpoints)) if settings.resume and checkpoints.is_dir() else None
    trainer.train(resume_from_checkpoint=last)
    out.mkdir(parents=True, exist_ok=True)
    trainer.model.save_pretrained(str(out))
    history = trainer.state.log_history
    record = {"base_model": model, "data": str(train_file), "adapter": str(out), "steps": trainer.state.global_step,
              "resumed_from": last, "losses": [round(e["loss"], 4) for e in history if "loss" in e],
              "validation_loss": next((round(e["eval_loss"], 4) for e in reversed(history) if "eval_loss" in e), None),
              "settings": asdict(settings), "device": device}
    (out / RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return record
