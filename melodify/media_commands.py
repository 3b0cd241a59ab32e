"""The command line for video and albums: `melodify score clip.mp4 -o clip-scored.mp4` and
`melodify album a.jpg b.jpg ... -o album.mp4`. Parsing and printing only; the work is in melodify.video,
melodify.album and melodify.suite."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import InvalidOption, MelodifyError


def add_commands(sub, *, progress_bar, read_photo) -> None:
    """`score` and `album` on melodify's sub-command parser; the command line passes in its progress bar
    and its photo reader (this module does not import melodify.cli back)."""
    from .album.making import DEFAULT_SECONDS
    from .album.slideshow import SIZES

    s = sub.add_parser("score", help="give a video its own soundtrack",
                       description="Give a video its own soundtrack: a section per scene, changes on the cuts; "
                                   "the picture is copied as it is, not re-encoded.")
    s.add_argument("video", help="MP4, MOV, WebM or MKV video")
    s.add_argument("-o", "--output", help="video to write, the same kind as the input's picture allows: .mp4, "
                   ".webm or .mkv (default: <video name>-scored.<ext> here)")
    s.add_argument("--keep-original", type=float, default=0.0, metavar="LEVEL",
                   help="keep the video's own sound under the music at this level, 0 to 1 (default 0: dropped)")
    _common(s)

    a = sub.add_parser("album", help="make one piece of music and a slideshow from photos",
                       description="Make one piece of music from 2 to 30 photos, a section per photo, "
                                   "and a slideshow video of them with the music.")
    a.add_argument("photos", nargs="+", help="the photos, in order")
    a.add_argument("-o", "--output", default="album.mp4", help="slideshow video to write (.mp4; default album.mp4)")
    a.add_argument("--size", default="story", choices=list(SIZES),
                   help="story: 1080x1920 (default), square: 1080x1080")
    a.add_argument("--seconds", default=DEFAULT_SECONDS, help=f"seconds per photo (default {DEFAULT_SECONDS:g})")
    _common(a)
    for p in (s, a):
        p.set_defaults(progress_bar=progress_bar, read_photo=read_photo)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audio", metavar="OUT.mp3", help="also write the music alone: .mp3, .wav, .ogg or .flac")
    p.add_argument("--midi", metavar="OUT.mid", help="also write the score as a MIDI file")
    p.add_argument("--genre", help="a genre, or auto (default: chosen from the pictures)")
    p.add_argument("--seed", help="seed for another version, 0 to 4294967295")
    p.add_argument("--json", action="store_true", help="print what was made as JSON")


def cmd_score(args: argparse.Namespace) -> int:
    from .video.mux import mux_soundtrack, output_format
    from .video.probe import probe
    from .video.scoring import score_video

    video = _existing(Path(args.video))
    if not 0.0 <= args.keep_original <= 1.0:
        raise InvalidOption(f"--keep-original must be 0 to 1; got {args.keep_original:g}")
    request = _request(args)
    info = probe(video)                               # refuse a bad video before any work
    wanted = output_format(info.codec)
    output = Path(args.output) if args.output else Path(f"{video.stem}-scored.{wanted}")
    if output.suffix.lower().lstrip(".") not in (wanted, "mkv"):
        raise InvalidOption(f"-o {str(output)!r}: a {info.codec} video can be written as .{wanted} or .mkv")
    return _run(args, lambda bar: score_video(video, request, progress=bar),
                lambda result: mux_soundtrack(video, result.performance.audio, output,
                                              original_level=args.keep_original), output, "video")


def cmd_album(args: argparse.Namespace) -> int:
    from .album.making import Photo, check_count, check_seconds, make_album
    from .album.slideshow import render_slideshow

    output = Path(args.output)
    if output.suffix.lower() != ".mp4":
        raise InvalidOption(f"-o {str(output)!r} should end in .mp4 (the slideshow video)")
    check_count(len(args.photos))
    seconds = check_seconds(args.seconds)
    request = _request(args)
    photos = [Photo(Path(p).name, args.read_photo(Path(p))) for p in args.photos]
    return _run(args, lambda bar: make_album(photos, request, seconds=seconds, progress=bar),
                lambda result: render_slideshow([p.image for p in result.photos], result.piece.starts,
                                                result.performance.audio, output, size=args.size),
                output, "slideshow")


def _request(args: argparse.Namespace):
    from .pipeline import AUDIO_FORMATS, MIDI, file_format
    from .request import parse_request

    if args.audio and file_format(args.audio) not in AUDIO_FORMATS:
        raise InvalidOption(f"--audio {args.audio!r} should be an audio file (.mp3, .wav, .ogg or .flac)")
    if args.midi and file_format(args.midi) != MIDI:
        raise InvalidOption(f"--midi {args.midi!r} should end in .mid")
    return parse_request(genre=args.genre, seed=args.seed)


def _run(args, make, write, output: Path, kind: str) -> int:
    from .pipeline import export_to

    bar = args.progress_bar(enabled=not args.json and sys.stderr.isatty())
    started = time.perf_counter()
    try:
        result = make(bar)
        outputs = {kind: str(write(result))}
        for flag, name in ((args.audio, "audio"), (args.midi, "midi")):
            if flag:
                outputs[name] = str(export_to(result, flag))
    except OSError as exc:
        raise MelodifyError(f"cannot write {exc.filename!r}: {exc.strerror}; choose another place") from None
    finally:
        bar.close()
    elapsed = time.perf_counter() - started
    brief = result.piece.brief
    summary = {"brief": brief.model_dump(), "sections": result.piece.starts, "outputs": outputs,
               "seconds": round(elapsed, 3)}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"Music    {brief.genre}, {', '.join(brief.mood)}; {brief.tempo} bpm, {brief.key_name}; "
              f"{brief.duration:.1f} s, {len(result.piece.starts)} sections at "
              + ", ".join(f"{s:.1f}" for s in result.piece.starts) + " s")
        for name, path in outputs.items():
            print(f"Wrote    {path} ({name})")
        print(f"Done in  {elapsed:.2f} s")
    return 0


def _existing(path: Path) -> Path:
    if not path.exists():
        raise MelodifyError(f"no such file: {str(path)!r}")
    if not path.is_file():
        raise MelodifyError(f"{str(path)!r} is not a regular file; give a video file")
    return path


COMMANDS = {"score": cmd_score, "album": cmd_album}
