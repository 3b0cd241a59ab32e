"""bandit finds nothing in the engine or the web app (its settings and the reasons for what it skips are in
pyproject.toml's [tool.bandit])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bandit_finds_no_issue_in_the_code():
    done = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", "melodify", "melodify_web",
                           "-c", "pyproject.toml"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
