"""native.py: MusicGen's C++ kernels built on first use, each process's build safe from the others'."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BUILD = "from melodify.compose.musicgen import native; print(native.build('attend') is not None)"


def test_a_build_killed_half_way_does_not_stop_the_next_one_which_says_it_is_compiling(tmp_path):
    """A worker killed while it compiled (stopped, timed out) leaves torch's `lock` file behind, and torch
    waits for that file to go before it builds: every later worker would hang at its first step."""
    env = {**os.environ, "TORCH_EXTENSIONS_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[2])}
    killed = subprocess.Popen([sys.executable, "-c", BUILD], env=env, stdout=subprocess.DEVNULL,
                              start_new_session=True)   # its compiler dies with it, as in a stopped container
    stale = None
    for _ in range(600):   # at most a minute for torch to start compiling
        stale = next(tmp_path.glob("**/melodify_attend_*/lock"), None)
        if stale or killed.poll() is not None:
            break
        time.sleep(0.1)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    assert stale is not None and stale.exists(), "the killed build left torch's lock file"

    after = subprocess.run([sys.executable, "-c", BUILD], env=env, capture_output=True, text=True, timeout=300)
    assert after.stdout.strip() == "True", after.stderr
    assert "Compiling MusicGen's CPU kernel attend.cpp" in after.stderr   # the wait is not silent

    built = subprocess.run([sys.executable, "-c", BUILD], env=env, capture_output=True, text=True, timeout=300)
    assert built.stdout.strip() == "True", built.stderr
    assert "Compiling" not in built.stderr   # a built kernel loads without a word


def test_prepare_builds_every_kernel_at_once_not_one_after_another(monkeypatch):
    """Each build waits on a compiler of its own: three at once take the time of the longest (on 2 cores
    about 60 s, against 100 s in a row)."""
    from melodify.compose.musicgen import native

    running, most, asked = [0], [0], []

    def build(stem):
        running[0] += 1
        most[0] = max(most[0], running[0])
        time.sleep(0.3)
        asked.append(stem)
        running[0] -= 1

    monkeypatch.setattr(native, "build", build)
    native.prepare()
    assert sorted(asked) == sorted(native.KERNELS) == ["attend", "codec", "linear8"]
    assert most[0] == 3
