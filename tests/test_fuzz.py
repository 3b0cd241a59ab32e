"""A bounded coverage-guided fuzzing run (atheris / libFuzzer) of the two doors strangers knock on, seeded
from the input catalogue: 0 crashes, 0 hangs (-timeout), 0 runs over the memory limit (-rss_limit_mb).
A longer run: `python -m tests.fuzz.image_loading DIR -max_total_time=600` (see tests/fuzz/)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz import corpus

REPO = Path(__file__).resolve().parents[1]
# Memory over 1 GB is found by the targets themselves (tests.fuzz.check_memory, the current RSS); libFuzzer's
# peak-RSS limit is only a backstop, as a forked fuzzer starts with pytest's own peak.
LIMITS = ["-rss_limit_mb=8192", "-timeout=10", "-max_len=65536"]


def fuzz(target: str, seeds: list[bytes], seconds: int, tmp_path: Path) -> str:
    folder = corpus.write(seeds, tmp_path / "corpus")
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    done = subprocess.run([sys.executable, "-m", f"tests.fuzz.{target}", str(folder), f"-max_total_time={seconds}",
                           f"-artifact_prefix={artifacts}/", *LIMITS], cwd=REPO, capture_output=True, text=True,
                          timeout=seconds + 120)
    found = sorted(p.name for p in artifacts.iterdir())
    assert done.returncode == 0 and not found, f"{found}\n{done.stderr[-4000:]}"
    return done.stderr


@pytest.mark.parametrize("target", ["image_loading", "request"])
def test_inputs_that_once_crashed_a_target_pass_now(target):
    """Found by the long runs: a broken EXIF that exif_transpose could not rewrite (a 500 before), an
    unknown instrument echoed back whole. libFuzzer runs each file given once."""
    files = [str(path) for path in corpus.regressions(target)]
    done = subprocess.run([sys.executable, "-m", f"tests.fuzz.{target}", *files, *LIMITS], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and f"Executed {files[-1]}" in done.stderr, done.stderr[-4000:]


@pytest.mark.parametrize("target, seeds, seconds", [("image_loading", corpus.image_seeds, 50),
                                                     ("request", corpus.request_seeds, 25)])
def test_fuzzing_finds_no_crash_hang_or_memory_blowup(tmp_path, target, seeds, seconds):
    log = fuzz(target, seeds(), seconds, tmp_path)
    runs = int(re.search(r"Done (\d+) runs", log).group(1))
    assert runs > 1000, log[-2000:]
    print(f"{target}: {runs} runs in {seconds} s, 0 crashes")
