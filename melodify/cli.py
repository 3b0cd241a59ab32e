"""`melodify`: compose from the command line, and start the web app or a worker.

    melodify compose photo.jpg -o song.mp3 [--midi song.mid] [--genre lo-fi] [--json]
    melodify serve            # the web app with a worker inside (SQLite, local files)
    melodify worker           # a Celery worker for scale-out mode (needs REDIS_URL)
    melodify genres           # the 20 genres
    melodify sample night-sea -o photo.jpg   # a photo to try it on
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import InvalidOption, MelodifyError
from .progress import overall

STAGE_WORDS = {"read": "reading the photo", "brief": "writing the brief", "compose": "composing",
               "master": "mastering"}


class ProgressBar:
    """A one-line bar on stderr when it is a terminal; silent otherwise (scripts, pipes, --json)."""

    def __init__(self, enabled: bool, width: int = 30) -> None:
        self.enabled, self.width, self.last = enabled, width, ""

    def __call__(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        done = overall(stage, fraction)
        filled = round(done * self.width)
        line = f"\r[{'#' * filled}{'-' * (self.width - filled)}] {done:4.0%} {STAGE_WORDS[stage]:<18}"
        if line != self.last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\r" + " " * len(self.last) + "\r")
            sys.stderr.flush()


def _parser() -> argparse.ArgumentParser:
    from .engines import engine_names

    parser = argparse.ArgumentParser(prog="melodify", description="A photo becomes original music.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("compose", help="make music from a photo", description="Make music from a photo.")
    c.add_argument("photo", help="JPEG, PNG, WebP, GIF, BMP or HEIC photo")
    c.add_argument("-o", "--output", help="audio file to write: .mp3, .wav, .ogg or .flac "
                   "(default: <photo name>.mp3 here)")
    c.add_argument("--midi", metavar="OUT.mid", help="also write the score as a MIDI file")
    c.add_argument("--genre", help="force a genre (default: chosen from the photo); see `melodify genres`")
    c.add_argument("--duration", type=float, default=15.0, help="length in seconds, 5 to 60 (default 15)")
    c.add_argument("--seed", type=int, help="seed for another version (default: derived from the photo)")
    c.add_argument("--tempo", help="change the brief's tempo, in bpm (40 to 220)")
    c.add_argument("--key", help="change the brief's key: C, C#, D, Eb, E, F, F#, G, Ab, A, Bb or B")
    c.add_argument("--mode", help="change the brief's mode: major or minor")
    c.add_argument("--mood", help="change the brief's mood: 1 to 5 words separated by commas")
    for stage in ("reader", "briefer", "composer"):
        c.add_argument(f"--{stage}", default="embedded", choices=engine_names(stage),
                       help=f"{stage} engine (default: embedded)")
        c.add_argument(f"--{stage}-model", metavar="MODEL", help=f"model name or path for the {stage}")
    c.add_argument("--json", action="store_true", help="print the reading, brief and outputs as JSON")

    s = sub.add_parser("serve", help="start the web app (with a worker inside unless REDIS_URL is set)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)

    w = sub.add_parser("worker", help="start a Celery worker (scale-out mode: needs REDIS_URL)")
    w.add_argument("--concurrency", type=int, default=1)
    w.add_argument("--name", help="worker node name (default: celery@<host>)")

    sub.add_parser("genres", help="list the 20 genres")

    p = sub.add_parser("sample", help="write a made-up photo to try Melodify on")
    p.add_argument("scene", help="scene name; `melodify sample list` lists them")
    p.add_argument("-o", "--output", help="JPEG file to write (default: <scene>.jpg)")
    return parser


def cmd_compose(args: argparse.Namespace) -> int:
    from .genres import get_genre
    from .pipeline import Request, check_duration, check_edits, compose, export_audio, export_midi, output_format

    photo = Path(args.photo)
    output = Path(args.output) if args.output else Path(photo.stem + ".mp3")
    # Refuse bad options before any work.
    output_format(output)
    check_duration(args.duration)
    if args.genre:
        get_genre(args.genre)
    edits = check_edits({name: getattr(args, name) for name in ("tempo", "key", "mode", "mood")})
    if args.midi and Path(args.midi).suffix.lower() not in (".mid", ".midi"):
        raise InvalidOption(f"--midi {args.midi!r} should end in .mid")
    try:
        data = photo.read_bytes()
    except FileNotFoundError:
        raise MelodifyError(f"no such file: {str(photo)!r}") from None
    except IsADirectoryError:
        raise MelodifyError(f"{str(photo)!r} is a folder; give a photo file") from None
    except PermissionError:
        raise MelodifyError(f"cannot read {str(photo)!r}: permission denied") from None

    request = Request(image=data, genre=args.genre, duration=args.duration, seed=args.seed,
                      edits=edits, reader=args.reader, briefer=args.briefer, composer=args.composer,
                      reader_model=args.reader_model, briefer_model=args.briefer_model,
                      composer_model=args.composer_model)
    bar = ProgressBar(enabled=not args.json and sys.stderr.isatty())
    started = time.perf_counter()
    try:
        result = compose(request, progress=bar)
    finally:
        bar.close()
    try:
        outputs = {"audio": str(export_audio(result, output))}
        if args.midi:
            outputs["midi"] = str(export_midi(result, args.midi))
    except OSError as exc:
        raise MelodifyError(f"cannot write {exc.filename!r}: {exc.strerror}; choose another place") from None
    elapsed = time.perf_counter() - started

    if args.json:
        print(json.dumps({"reading": result.reading.model_dump(), "brief": result.brief.model_dump(),
                          "outputs": outputs, "soundfont": result.performance.soundfont,
                          "timings": {**result.timings, "total": elapsed}}, ensure_ascii=False, indent=2))
    else:
        _print_summary(result, outputs, elapsed)
    return 0


def _print_summary(result, outputs: dict[str, str], elapsed: float) -> None:
    r, b = result.reading, result.brief
    from .genres import GENRES

    print(f"Photo    {r.width}x{r.height} {r.format}: {r.caption}")
    print(f"Palette  {' '.join(r.palette)}")
    print(f"Brief    {GENRES[b.genre].label}, {', '.join(b.mood)}; {b.tempo} bpm, {b.key_name}, "
          f"{b.time_signature}; {', '.join(b.instruments)}; {b.duration:g} s, seed {b.seed}")
    print(f"         {b.description}")
    for kind, path in outputs.items():
        print(f"Wrote    {path} ({kind})")
    print(f"Done in  {elapsed:.2f} s")


def cmd_genres(args: argparse.Namespace) -> int:
    from .genres import GENRES

    for g in GENRES.values():
        drums = g.kit or "no drums"
        print(f"{g.name:<11} {g.label_ko:<8} {g.tempo[0]}-{g.tempo[1]} bpm, {g.meter}, {drums}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from .pipeline import write_atomic
    from .samples import SCENES, photo_bytes

    if args.scene == "list":
        for name, text in SCENES.items():
            print(f"{name:<14} {text}")
        return 0
    if args.scene not in SCENES:
        raise MelodifyError(f"unknown scene {args.scene!r}; choose one of: {', '.join(SCENES)}")
    path = write_atomic(Path(args.output or f"{args.scene}.jpg"), photo_bytes(args.scene))
    print(path)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from melodify_web.server import serve

    serve(host=args.host, port=args.port)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from melodify_web.server import worker

    worker(concurrency=args.concurrency, name=args.name)
    return 0


COMMANDS = {"compose": cmd_compose, "genres": cmd_genres, "sample": cmd_sample, "serve": cmd_serve,
            "worker": cmd_worker}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except MelodifyError as exc:
        print(f"melodify: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("melodify: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
