"""Loading transformers models for the local engines: the device chosen explicitly (diffusers-style),
a dtype that fits it, and errors that say what to do instead of a traceback.

A model is a folder (as tests make them) or a Hugging Face hub id, which transformers downloads once
into its cache on first use; where that cannot happen the error says how to get the files.
"""

from __future__ import annotations

from typing import Any

from .errors import InvalidOption, NotConfigured


def pick_device(device: str | None) -> str:
    """'auto' (or None): CUDA, then Apple's MPS, then the CPU. A device asked for must be there."""
    import torch

    cuda, mps = torch.cuda.is_available(), torch.backends.mps.is_available()
    if device in (None, "", "auto"):
        return "cuda" if cuda else "mps" if mps else "cpu"
    if (device == "cuda" and not cuda) or (device == "mps" and not mps):
        raise NotConfigured(f"device {device!r} was asked for, but torch finds none on this machine; "
                            "choose cpu or auto", code="no_device")
    return device


def dtype_for(device: str):
    """Half precision on a GPU (bfloat16 where it has it), full precision on the CPU and MPS."""
    import torch

    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def load_pretrained(loader: Any, model: str, what: str, **kwargs: Any) -> Any:
    """`loader.from_pretrained(model)`, with the reasons it fails in words: the files cannot be had, or
    they are another kind of model than `what` (a "BLIP captioner")."""
    try:
        return loader.from_pretrained(model, **kwargs)
    except OSError as exc:
        first = str(exc).strip().splitlines()[0][:240] if str(exc).strip() else type(exc).__name__
        raise NotConfigured(f"cannot load the model {model!r} ({first}); give a folder that holds its files, "
                            "or a hub id this machine can download (or has in its Hugging Face cache)",
                            code="model_unavailable") from None
    except (ValueError, KeyError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0][:240] if str(exc).strip() else type(exc).__name__
        raise InvalidOption(f"the model {model!r} is not a {what} ({first}); give a {what}",
                            code="wrong_model") from None
