"""Fuzz target: the image door (melodify.read.image_loading.load_image). Any bytes must give a LoadedImage
or an InvalidImage: another exception is a crash; libFuzzer's -timeout and -rss_limit_mb catch hangs and
memory over the limit.

    python -m tests.fuzz.image_loading CORPUS_DIR -max_total_time=600 -rss_limit_mb=1024 -timeout=10
"""

from __future__ import annotations

import sys

import atheris

from tests.fuzz import check_memory

with atheris.instrument_imports(include=["melodify", "PIL", "pillow_heif"]):
    from melodify.errors import InvalidImage
    from melodify.read.image_loading import MAX_SIDE, load_image


def test_one_input(data: bytes) -> None:
    try:
        photo = load_image(data)
    except InvalidImage as refused:
        assert refused.code and len(refused.message) > 20, refused
        return
    finally:
        check_memory()
    assert photo.image.mode == "RGB" and max(photo.image.size) <= MAX_SIDE, photo


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
