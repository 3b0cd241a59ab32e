"""A teacher briefer for the data set tests, registered in a build's process by
MELODIFY_ENGINE_MODULES=tests.dataset_engines: the rules, a little slowly (MELODIFY_TEST_BRIEF_DELAY
seconds a brief, default 0.05), so that a build can be stopped half-way."""

from __future__ import annotations

import os
import time

from melodify.brief.engines.embedded import RuleBriefer
from melodify.engines import EngineSpec, Licence


class SlowBriefer(RuleBriefer):
    name = "slow"

    def write(self, reading, *, seed, duration, genre=None):
        time.sleep(float(os.environ.get("MELODIFY_TEST_BRIEF_DELAY", "0.05")))
        return super().write(reading, seed=seed, duration=duration, genre=genre).model_copy(update={"engine": "slow"})


SPECS = (EngineSpec("briefer", "slow", "tests.dataset_engines:SlowBriefer", summary="the rules, slowly",
                    work="Melodify's own brief rules", licence=Licence("MIT")),)
