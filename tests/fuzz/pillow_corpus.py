"""Every file under a folder through the image door, as a stranger's upload: Pillow's own test images
(its sdist's Tests/images: valid, odd and broken files) give 0 crashes, 0 hangs. Prints the counts.

    pip download --no-binary :all: --no-deps pillow==13.0.0 && tar xzf pillow-13.0.0.tar.gz
    python -m tests.fuzz.pillow_corpus pillow-13.0.0/Tests/images
"""

from __future__ import annotations

import collections
import resource
import signal
import sys
import time
from pathlib import Path

from melodify.errors import InvalidImage
from melodify.read.image_loading import load_image

SECONDS = 10   # one file taking longer is a hang


def _hang(signum, frame):
    raise TimeoutError


def main(folder: str) -> int:
    outcomes: collections.Counter[str] = collections.Counter()
    bad: list[str] = []
    slowest = (0.0, "")
    signal.signal(signal.SIGALRM, _hang)
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        start = time.perf_counter()
        signal.alarm(SECONDS)
        try:
            outcomes[f"accepted {load_image(path.read_bytes()).format}"] += 1
        except InvalidImage as refused:
            outcomes[f"refused {refused.code}"] += 1
        except TimeoutError:
            bad.append(f"HANG {path}")
        except Exception as exc:  # noqa: BLE001 - anything else is what this looks for
            bad.append(f"CRASH {path}: {type(exc).__name__}: {exc}")
        finally:
            signal.alarm(0)
        slowest = max(slowest, (time.perf_counter() - start, path.name))
    for outcome, count in sorted(outcomes.items()):
        print(f"{count:5d} {outcome}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{sum(outcomes.values()) + len(bad)} files, {len(bad)} crashes or hangs; slowest {slowest[0]:.2f} s "
          f"({slowest[1]}); peak memory {peak:.0f} MB")
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
