"""`melodify`: compose from the command line, and start the web app or a worker.

    melodify compose photo.jpg -o song.mp3 [--midi song.mid] [--genre lo-fi] [--json]
    melodify engines          # every engine, its licence, and whether it runs here
    melodify serve            # the web app with a worker inside (SQLite, local files)
    melodify worker           # a Celery worker for scale-out mode (needs REDIS_URL)
    melodify genres           # the 20 genres
    melodify sample night-sea -o photo.jpg   # a photo to try it on
    melodify score clip.mp4 -o clip-scored.mp4   # a video's own soundtrack
    melodify album a.jpg b.jpg c.jpg -o album.mp4   # one piece and a slideshow
    melodify dataset build|validate|from-ratings|eval, finetune, tune vertex   # the tuning loop
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .dataset.commands import COMMANDS as TUNING_COMMANDS
from .dataset.commands import add_commands as add_tuning_commands
from .errors import InvalidOption, MelodifyError
from .media_commands import COMMANDS as MEDIA_COMMANDS
from .media_commands import add_commands as add_media_commands
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


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors on one line like every other error here."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


EDIT_HELP = {
    "tempo": "change the brief's tempo, in bpm (40 to 220)",
    "key": "change the brief's key: C, C#, D, Eb, E, F, F#, G, Ab, A, Bb or B",
    "mode": "change the brief's mode: major or minor",
    "mood": "change the brief's mood: 1 to 5 words separated by commas",
    "time_signature": "change the brief's metre: 4/4 or 3/4",
    "instruments": "change the brief's instruments: lead, chords, bass, pad, separated by commas",
    "prompt": "the brief's text for a text-to-music composer (MusicGen), up to 300 characters",
}


def _parser() -> argparse.ArgumentParser:
    from .contracts import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION
    from .engines import STAGES, engine_names

    parser = Parser(prog="melodify", description="A photo becomes original music.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("compose", help="make music from a photo", description="Make music from a photo.")
    c.add_argument("photo", help="JPEG, PNG, WebP, GIF, BMP, HEIC or AVIF photo")
    c.add_argument("-o", "--output", help="audio file to write: .mp3, .wav, .ogg or .flac "
                   "(default: <photo name>.mp3 here)")
    c.add_argument("--midi", metavar="OUT.mid", help="also write the score as a MIDI file")
    c.add_argument("--genre", help="a genre, or auto (default: chosen from the photo); see `melodify genres`")
    c.add_argument("--duration", default=DEFAULT_DURATION,
                   help=f"length in seconds, {MIN_DURATION:g} to {MAX_DURATION:g} (default {DEFAULT_DURATION:g})")
    c.add_argument("--seed", help="seed for another version, 0 to 4294967295 (default: derived from the photo)")
    for name, text in EDIT_HELP.items():
        c.add_argument("--" + name.replace("_", "-"), dest=name, help=text)
    for stage in STAGES:
        c.add_argument(f"--{stage}", default="embedded", metavar="ENGINE",
                       help=f"{stage} engine: {', '.join(engine_names(stage))} (default: embedded); "
                            "see `melodify engines`")
        c.add_argument(f"--{stage}-model", metavar="MODEL", help=f"model for the {stage}: a hub id or a path")
        c.add_argument(f"--{stage}-device", metavar="DEVICE", help=f"device for the {stage}: cpu, cuda, mps or auto")
        c.add_argument(f"--{stage}-option", metavar="KEY=VALUE", action="append", default=[],
                       help=f"an option for the {stage} engine (repeatable)")
    c.add_argument("--json", action="store_true", help="print the reading, brief and outputs as JSON")

    e = sub.add_parser("engines", help="list the engines, their licences and whether they run here")
    e.add_argument("--json", action="store_true", help="print them as JSON")

    s = sub.add_parser("serve", help="start the web app (with a worker inside unless REDIS_URL is set)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)

    w = sub.add_parser("worker", help="start a Celery worker (scale-out mode: needs REDIS_URL)")
    w.add_argument("--concurrency", type=int, default=1)
    w.add_argument("--name", help="worker node name (default: celery@<host>)")
    w.add_argument("--engines", metavar="NAMES",
                   help="composer engines whose jobs it takes, comma-separated (default: $MELODIFY_COMPOSER "
                        "and embedded); e.g. musicgen on a GPU machine. Model engines run in threads sharing "
                        "one loaded model")

    sub.add_parser("genres", help="list the 20 genres")

    p = sub.add_parser("sample", help="write a made-up photo to try Melodify on")
    p.add_argument("scene", help="scene name; `melodify sample list` lists them")
    p.add_argument("-o", "--output", help="JPEG file to write (default: <scene>.jpg)")
    add_tuning_commands(sub, rated_tracks=_rated_tracks)
    add_media_commands(sub, progress_bar=ProgressBar, read_photo=_read_photo)
    return parser


def _engine_choice(args: argparse.Namespace, stage: str):
    from .request import choice_from_args

    return choice_from_args(args, stage)


MAX_PHOTO_BYTES = 200 * 1024 * 1024   # far above any photo; a device or a huge file is not read at all


def _read_photo(photo: Path) -> bytes:
    try:
        if photo.exists() and not photo.is_dir() and not photo.is_file():
            raise MelodifyError(f"{str(photo)!r} is not a regular file; give a photo file")
        if photo.is_file() and photo.stat().st_size > MAX_PHOTO_BYTES:
            raise MelodifyError(f"{str(photo)!r} is {photo.stat().st_size / 1048576:.0f} MB; "
                                f"photos can be at most {MAX_PHOTO_BYTES // 1048576} MB")
        return photo.read_bytes()
    except FileNotFoundError:
        raise MelodifyError(f"no such file: {str(photo)!r}") from None
    except IsADirectoryError:
        raise MelodifyError(f"{str(photo)!r} is a folder; give a photo file") from None
    except PermissionError:
        raise MelodifyError(f"cannot read {str(photo)!r}: permission denied") from None


def cmd_compose(args: argparse.Namespace) -> int:
    from .engines import STAGES
    from .pipeline import AUDIO_FORMATS, MIDI, export_to, file_format, run
    from .request import parse_request

    photo = Path(args.photo)
    output = Path(args.output) if args.output else Path(photo.stem + ".mp3")
    # Refuse bad options before any work.
    if file_format(output) not in AUDIO_FORMATS:
        raise InvalidOption(f"-o {str(output)!r} should be an audio file; write the score with --midi")
    if args.midi and file_format(args.midi) != MIDI:
        raise InvalidOption(f"--midi {args.midi!r} should end in .mid")
    request = parse_request(genre=args.genre, duration=args.duration, seed=args.seed,
                            edits={name: getattr(args, name) for name in EDIT_HELP},
                            **{stage: _engine_choice(args, stage) for stage in STAGES})
    data = _read_photo(photo)

    bar = ProgressBar(enabled=not args.json and sys.stderr.isatty())
    started = time.perf_counter()
    try:
        result = run(data, request, progress=bar)
    finally:
        bar.close()
    try:
        outputs = {"audio": str(export_to(result, output))}
        if args.midi:
            outputs["midi"] = str(export_to(result, args.midi))
    except OSError as exc:
        raise MelodifyError(f"cannot write {exc.filename!r}: {exc.strerror}; choose another place") from None
    elapsed = time.perf_counter() - started

    if args.json:
        print(json.dumps({"reading": result.reading.model_dump(), "brief": result.brief.model_dump(),
                          "outputs": outputs, "credits": [c.to_json() for c in result.credits],
                          "timings": {**result.timings, "total": round(elapsed, 4)}},
                         ensure_ascii=False, indent=2))
    else:
        _print_summary(result, outputs, elapsed)
    return 0


def _print_summary(result, outputs: dict[str, str], elapsed: float) -> None:
    from .engines import commercial_use, terms
    from .genres import GENRES

    r, b = result.reading, result.brief
    print(f"Photo    {r.width}x{r.height} {r.format}: {r.caption}")
    print(f"Palette  {' '.join(r.palette)}")
    print(f"Brief    {GENRES[b.genre].label}, {', '.join(b.mood)}; {b.tempo} bpm, {b.key_name}, "
          f"{b.time_signature}; {', '.join(b.instruments)}; {b.duration:g} s, seed {b.seed}")
    print(f"         {b.description}")
    for credit in result.credits:
        print(f"Credit   {credit.stage}: {credit.work} ({credit.licence.name})")
    print(f"Licence  {terms(commercial_use(result.credits))}")
    for kind, path in outputs.items():
        print(f"Wrote    {path} ({kind})")
    print(f"Done in  {elapsed:.2f} s")


def cmd_engines(args: argparse.Namespace) -> int:
    from .engines import ENGINES

    rows = [(spec, spec.problem()) for spec in ENGINES.values()]
    if args.json:
        print(json.dumps([{"stage": spec.stage, "name": spec.name, "summary": spec.summary, "usable": not problem,
                           "problem": problem, "extra": spec.extra, "settings": list(spec.settings),
                           "model": spec.model, "devices": list(spec.devices),
                           "credit": spec.credit().to_json()} for spec, problem in rows], indent=2))
        return 0
    for spec, problem in rows:
        state = "usable" if problem is None else "not usable here"
        print(f"{spec.stage:<9} {spec.name:<10} {state}")
        print(f"{'':<20}{spec.summary}")
        print(f"{'':<20}licence: {spec.licence.name}, {spec.licence.terms} ({spec.work})")
        for model, licence in spec.model_licences.items():
            print(f"{'':<20}  with {model}: {licence.name}, {licence.terms}")
        if spec.model:
            print(f"{'':<20}model: {spec.model}")
        if problem:
            print(f"{'':<20}why not: it {problem}")
    return 0


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


def _rated_tracks(database: str | None) -> list[dict]:
    from melodify_web.tracks.ratings import rated_tracks

    return rated_tracks(database)


def cmd_worker(args: argparse.Namespace) -> int:
    from melodify_web.server import worker

    from .engines import get_spec

    default = os.environ.get("MELODIFY_COMPOSER") or "embedded"   # the site's own composer, as it queues
    chosen = args.engines if args.engines is not None else f"{default},embedded"
    names = list(dict.fromkeys(n.strip() for n in chosen.split(",") if n.strip()))
    for name in names:
        get_spec("composer", name)   # an unknown engine is refused, naming the known ones
    worker(concurrency=args.concurrency, name=args.name, engines=names)
    return 0


COMMANDS = {"compose": cmd_compose, "engines": cmd_engines, "genres": cmd_genres, "sample": cmd_sample,
            "serve": cmd_serve, "worker": cmd_worker}

COMMANDS.update(TUNING_COMMANDS)   # dataset, finetune, tune
COMMANDS.update(MEDIA_COMMANDS)    # score (video), album


def main(argv: list[str] | None = None) -> int:
    from .engines import load_plugins

    try:
        load_plugins()
        args = _parser().parse_args(argv)
        code = COMMANDS[args.command](args)
        sys.stdout.flush()   # inside the try: a closed pipe is met here, not at interpreter exit
        return code
    except MelodifyError as exc:
        print(f"melodify: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("melodify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `melodify engines | head` closed our stdout: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
