"""Time the web app as a person feels it: from pressing "make my music" to the result page ready to
play (the <audio> element has enough data to play, readyState >= 3, and the player is shown).

    python bench/bench_web.py [--runs 7] [--scene sunny-beach] [--poll-trace]

Starts the real server (melodify_web.server.serve, embedded worker, SQLite in a temp data dir) on a free
loopback port and drives Debian's Chromium with Playwright. One warm-up run (imports, SoundFont load)
is shown apart; then the median of `runs`, split into: the upload request (POST /api/v1/tracks until
the making page is loaded), waiting for the job, and swapping in the result and buffering the audio.
The job's own stage timings (from the track JSON) are printed beside. Goal: <= 1.5 s at the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.live import CHROMIUM, CHROMIUM_ARGS, serving  # noqa: E402  (the tests' server helper)

READY = ("() => { const a = document.getElementById('audio'); const r = document.getElementById('result');"
         " return a && r && !r.hidden && a.readyState >= 3; }")
# Timestamps taken inside the page (ms since the epoch, same clock across navigations).
MARKS = """
  document.addEventListener('DOMContentLoaded', () => { sessionStorage.setItem('dom', Date.now());
    const result = document.getElementById('result');
    if (result) new MutationObserver(() => { if (!result.hidden && !sessionStorage.getItem('swap'))
      sessionStorage.setItem('swap', Date.now()); }).observe(result, {attributes: true}); });
"""


def one_run(browser, base: str, photo: Path) -> dict:
    import json

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.add_init_script(MARKS)
    page.goto(base + "/")
    page.set_input_files("#photo-input", str(photo))
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)   # the preview is not timed
    pressed = page.evaluate("() => { const t = Date.now(); document.getElementById('make-button').click(); return t; }")
    page.wait_for_url("**/tracks/**", wait_until="domcontentloaded", timeout=30_000)
    page.wait_for_function(READY, timeout=60_000, polling="raf")
    ready = page.evaluate("Date.now()")
    marks = page.evaluate("() => ({dom: +sessionStorage.getItem('dom'), swap: +sessionStorage.getItem('swap')})")
    track_id = page.url.rstrip("/").rsplit("/", 1)[1]
    with urllib.request.urlopen(f"{base}/api/v1/tracks/{track_id}") as response:
        track = json.load(response)
    context.close()
    swap = marks["swap"] or marks["dom"]   # already done when the page loaded: no swap needed
    return {"total": (ready - pressed) / 1000, "to_page": (marks["dom"] - pressed) / 1000,
            "waiting": (swap - marks["dom"]) / 1000, "to_ready": (ready - swap) / 1000,
            "job": track["timings"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scene", default="sunny-beach")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from melodify.samples import photo_bytes

    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium`")
    with tempfile.TemporaryDirectory(prefix="melodify-bench-web-") as tmp:
        data_dir = Path(tmp)
        photo = data_dir / f"{args.scene}.jpg"
        photo.write_bytes(photo_bytes(args.scene))
        with serving(data_dir) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = one_run(browser, base, photo)
            print(f"warm-up: {warm['total']:.2f} s (imports, SoundFont load)")
            runs = []
            for i in range(args.runs):
                run = one_run(browser, base, photo)
                runs.append(run)
                job = " ".join(f"{k}={v:.2f}" for k, v in run["job"].items() if isinstance(v, (int, float)))
                print(f"run {i + 1}: {run['total']:.2f} s  (upload+page {run['to_page']:.2f}, waiting "
                      f"{run['waiting']:.2f}, result+audio {run['to_ready']:.2f}; job: {job})")
            browser.close()
    median = statistics.median(r["total"] for r in runs)
    parts = {k: statistics.median(r[k] for r in runs) for k in ("to_page", "waiting", "to_ready")}
    parts["job"] = statistics.median(r["job"].get("total", 0.0) for r in runs)
    parts["web overhead (total - job)"] = statistics.median(r["total"] - r["job"].get("total", 0.0) for r in runs)
    print(f"\nload average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"make -> ready to play, median of {len(runs)}: {median:.2f} s "
          f"(min {min(r['total'] for r in runs):.2f}, max {max(r['total'] for r in runs):.2f}); goal <= 1.5 s")
    print("  medians: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))


if __name__ == "__main__":
    main()
