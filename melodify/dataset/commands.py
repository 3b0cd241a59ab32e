"""The command line of the tuning loop: `melodify dataset build|validate|from-ratings|eval`,
`melodify finetune` and `melodify tune vertex`. Argument parsing and printing only; the work is in the
modules beside this one and in melodify.tune."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InvalidOption

DATASET_HELP = "build, check and measure the tuning data set (see the README's tuning loop)"


def add_commands(sub, rated_tracks=None) -> None:
    """The `dataset`, `finetune` and `tune` commands, on melodify's sub-command parser. `rated_tracks`
    (database URL or None -> rows) reads the web app's ratings: the command line passes it in."""
    d = sub.add_parser("dataset", help=DATASET_HELP, description=DATASET_HELP.capitalize() + ".")
    steps = d.add_subparsers(dest="dataset_command", required=True, metavar="STEP")

    b = steps.add_parser("build", help="write a data set balanced over the 20 genres",
                         description="Write a tuning data set balanced over the 20 genres: Vertex AI, OpenAI "
                                     "and plain JSONL, train and validation splits. Run it again with the same "
                                     "options to finish a build that stopped.")
    b.add_argument("--count", type=int, required=True, help="how many examples")
    b.add_argument("--out", required=True, metavar="DIR", help="folder to write the data set in")
    b.add_argument("--seed", type=int, default=0, help="the same seed makes the same data set (default 0)")
    b.add_argument("--captions", metavar="FILE", help="captions to use, one a line (or JSON lines with a "
                   "caption and measures); default: made-up scenes")
    b.add_argument("--photos", metavar="DIR", help="a folder of photos, read by --reader")
    b.add_argument("--validation", type=float, default=0.1, help="share kept for validation (default 0.1)")
    b.add_argument("--photo-uri", metavar="gs://BUCKET/DIR", help="where --photos are in Cloud Storage: the "
                   "Vertex AI lines then carry each photo as a fileData part")
    b.add_argument("--include", metavar="FILE", action="append", default=[],
                   help="a plain JSONL of examples to take as they are (from-ratings' plain-*.jsonl); repeatable")
    _engine_args(b, "reader", "the reader of --photos")
    _engine_args(b, "briefer", "the teacher that writes the briefs")
    b.add_argument("--json", action="store_true", help="print the manifest as JSON")

    v = steps.add_parser("validate", help="check tuning files against their format and the providers' limits")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--tokenizer", metavar="MODEL", help="count tokens with this tokenizer (a folder); "
                   "default: an estimate that errs high")
    v.add_argument("--split", choices=("train", "validation"), help="default: validation when the name says so")
    v.add_argument("--json", action="store_true", help="print the reports as JSON")

    r = steps.add_parser("from-ratings", help="examples from the tracks listeners rated in the web app",
                         description="Tracks rated up become examples; rated down ones are kept as negatives.")
    r.add_argument("--out", required=True, metavar="DIR")
    r.add_argument("--database", metavar="URL", help="the web app's database (default: its DATABASE_URL, "
                   "else the SQLite file in MELODIFY_DATA_DIR)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--validation", type=float, default=0.1)
    r.add_argument("--json", action="store_true")
    r.set_defaults(rated_tracks=rated_tracks)

    e = steps.add_parser("eval", help="measure a briefer on a held-out split",
                         description="Run a briefer on a plain-*.jsonl split and compare it with the teacher.")
    e.add_argument("file", metavar="PLAIN.jsonl")
    e.add_argument("--limit", type=int, help="at most this many examples")
    e.add_argument("--report", metavar="OUT.json", help="also write the report as JSON")
    _engine_args(e, "briefer", "the briefer to measure")

    f = sub.add_parser("finetune", help="LoRA-tune a local language model on the data set",
                       description="LoRA fine-tuning (peft, trl's SFTTrainer) of a local causal LM; the adapter "
                                   "it saves is the local briefer's adapter option.")
    f.add_argument("--data", required=True, metavar="DIR|FILE", help="a data set folder (its openai-*.jsonl) "
                   "or an OpenAI chat JSONL")
    f.add_argument("--model", required=True, help="the base model: a folder or a hub id")
    f.add_argument("--out", required=True, metavar="DIR", help="where the adapter goes (checkpoints inside)")
    f.add_argument("--epochs", type=float, default=3.0)
    f.add_argument("--steps", type=int, help="stop after this many steps (overrides --epochs)")
    f.add_argument("--learning-rate", type=float, default=2e-4)
    f.add_argument("--batch-size", type=int, default=1)
    f.add_argument("--rank", type=int, default=16, help="LoRA rank (default 16)")
    f.add_argument("--save-every", type=int, default=50, metavar="STEPS", help="checkpoint interval")
    f.add_argument("--device", default="auto", help="cpu, cuda, mps or auto")
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--fresh", action="store_true", help="start again instead of resuming from a checkpoint")

    t = sub.add_parser("tune", help="tune a model at a provider")
    where = t.add_subparsers(dest="tune_command", required=True, metavar="PROVIDER")
    x = where.add_parser("vertex", help="a supervised tuning job on Vertex AI (google-genai)",
                         description="Submit a Gemini supervised tuning job on Vertex AI, follow it, and print the "
                                     "tuned model's endpoint. Needs GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION and "
                                     "Google Cloud credentials; the files must be in Cloud Storage.")
    x.add_argument("--train", metavar="gs://...", help="the vertex-train.jsonl in Cloud Storage")
    x.add_argument("--validation", metavar="gs://...", help="the vertex-validation.jsonl in Cloud Storage")
    x.add_argument("--check", metavar="FILE", action="append", default=[],
                   help="the local copy of a file: validated before the job is sent; repeatable")
    x.add_argument("--base-model", help="the model to tune (default: $MELODIFY_VERTEX_TUNING_MODEL, else "
                   "gemini-3.5-flash-lite)")
    x.add_argument("--name", default="melodify-briefer", help="the tuned model's display name")
    x.add_argument("--epochs", type=int)
    x.add_argument("--adapter-size", type=int, choices=(1, 2, 4, 8, 16))
    x.add_argument("--learning-rate-multiplier", type=float)
    x.add_argument("--poll", type=float, default=60.0, metavar="SECONDS", help="how often to ask (default 60)")
    x.add_argument("--no-wait", action="store_true", help="submit and print the job's name, without waiting")
    x.add_argument("--job", metavar="NAME", help="follow a job already submitted instead of sending one")


def _engine_args(parser: argparse.ArgumentParser, stage: str, what: str) -> None:
    parser.add_argument(f"--{stage}", default="embedded", metavar="ENGINE", help=f"{what} (default: embedded)")
    parser.add_argument(f"--{stage}-model", metavar="MODEL", help="its model: a hub id, a path or an endpoint")
    parser.add_argument(f"--{stage}-device", metavar="DEVICE", help="its device: cpu, cuda, mps or auto")
    parser.add_argument(f"--{stage}-option", metavar="KEY=VALUE", action="append", default=[],
                        help="an option for it (repeatable)")


def _choice(args: argparse.Namespace, stage: str):
    from ..request import choice_from_args

    return choice_from_args(args, stage)


class Counting:
    """'built 12/40' on stderr when it is a terminal."""

    def __init__(self, what: str) -> None:
        self.what, self.enabled = what, sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.enabled:
            sys.stderr.write(f"\r{self.what} {done}/{total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def cmd_dataset(args: argparse.Namespace) -> int:
    return {"build": cmd_build, "validate": cmd_validate, "from-ratings": cmd_from_ratings,
            "eval": cmd_eval}[args.dataset_command](args)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import Plan, build
    from .sources import Captions, Photos, Scenes

    if args.captions and args.photos:
        raise InvalidOption("give --captions or --photos, not both")
    if not 0 <= args.validation < 1:
        raise InvalidOption(f"--validation {args.validation} should be a share from 0 to below 1")
    if args.photo_uri and not args.photo_uri.startswith("gs://"):
        raise InvalidOption(f"--photo-uri {args.photo_uri!r} should be a Cloud Storage folder: gs://bucket/folder")
    if args.captions:
        source, described = Captions(Path(args.captions), args.seed), f"captions:{args.captions}"
    elif args.photos:
        reader = _choice(args, "reader")
        source, described = Photos(Path(args.photos), reader, args.seed), f"photos:{args.photos} ({reader.name})"
    else:
        source, described = Scenes(args.seed), "scenes"
    plan = Plan(count=args.count, seed=args.seed, teacher=_choice(args, "briefer"), source=described,
                validation=args.validation, photo_uri=args.photo_uri, include=tuple(args.include))
    progress = Counting("built")
    try:
        manifest = build(plan, Path(args.out), source, progress=progress)
    finally:
        progress.close()
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False, indent=2))
        return 0
    tokens = manifest["tokens_estimated"]
    print(f"Built    {manifest['examples']} examples in {args.out} ({manifest['splits']['train']} train, "
          f"{manifest['splits']['validation']} validation), {manifest['attempts']} tries")
    print(f"Tokens   about {tokens['total']:,} ({tokens['answers_total']:,} in answers), at most "
          f"{tokens['per_example_max']:,} in one example")
    print(f"Genres   {', '.join(f'{g} {n}' for g, n in manifest['genres'].items())}")
    for name in manifest["files"]:
        print(f"Wrote    {Path(args.out) / name}")
    if manifest["examples"] < args.count:
        print(f"melodify: warning: only {manifest['examples']} of {args.count} examples: the source ran out of "
              "candidates the teacher could use; give more captions or photos", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    reports = [validate(Path(f), tokenizer=args.tokenizer, split=args.split) for f in args.files]
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            _print_report(report)
    return 0 if all(r.valid for r in reports) else 1


def _print_report(report) -> None:
    state = "valid" if report.valid else f"NOT valid ({len(report.errors)} problem{'s' * (len(report.errors) != 1)})"
    print(f"{report.path}: {state}")
    print(f"  {report.format or 'unknown'} format, {report.split} split: {report.examples} examples, "
          f"{report.tokens:,} tokens, at most {report.tokens_max:,} in one ({report.tokens_how})")
    if report.genres:
        print(f"  genres: {', '.join(f'{g} {n}' for g, n in sorted(report.genres.items()))}")
    for label, items in (("error", report.errors), ("warning", report.warnings)):
        for number, problem in items:
            print(f"  {label}: {f'line {number}: ' if number else ''}{problem}")


def cmd_from_ratings(args: argparse.Namespace) -> int:
    from .ratings import export

    if not 0 <= args.validation < 1:
        raise InvalidOption(f"--validation {args.validation} should be a share from 0 to below 1")
    manifest = export(Path(args.out), args.rated_tracks(args.database), seed=args.seed, validation=args.validation)
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False, indent=2))
        return 0
    print(f"Rated    {manifest['ratings']['up']} up, {manifest['ratings']['down']} down "
          f"({manifest['ratings']['skipped']} skipped: no reading or brief)")
    for name in manifest["files"]:
        print(f"Wrote    {Path(args.out) / name}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, table

    report = evaluate(Path(args.file), _choice(args, "briefer"), limit=args.limit, progress=Counting("briefed"))
    print(table(report))
    if args.report:
        from ..pipeline import write_atomic

        write_atomic(Path(args.report), (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode())
        print(f"Wrote    {args.report}")
    return 0


def cmd_finetune(args: argparse.Namespace) -> int:
    from ..tune.local import TuneSettings, finetune

    settings = TuneSettings(epochs=args.epochs, steps=args.steps, learning_rate=args.learning_rate,
                            batch_size=args.batch_size, rank=args.rank, save_every=args.save_every,
                            device=args.device, seed=args.seed, resume=not args.fresh)
    result = finetune(Path(args.data), args.model, Path(args.out), settings)
    losses = result["losses"]
    print(f"Loss     {losses[0]:.3f} -> {losses[-1]:.3f} over {result['steps']} steps"
          + (f" (validation {result['validation_loss']:.3f})" if result.get("validation_loss") is not None else ""))
    print(f"Adapter  {result['adapter']}")
    print(f"Use it   melodify compose photo.jpg --briefer local --briefer-model {args.model} "
          f"--briefer-option adapter={result['adapter']}")
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    from ..tune.vertex import JobSettings, follow, submit

    for local in args.check:
        from .validate import validate

        report = validate(Path(local))
        if not report.valid:
            _print_report(report)
            raise InvalidOption(f"{local!r} is not a valid tuning file; fix it before sending a job")
    if args.job:
        name = args.job
    elif not args.train:
        raise InvalidOption("give --train gs://bucket/vertex-train.jsonl (or --job NAME to follow a job)")
    else:
        settings = JobSettings(train=args.train, validation=args.validation, base_model=args.base_model,
                               name=args.name, epochs=args.epochs, adapter_size=args.adapter_size,
                               learning_rate_multiplier=args.learning_rate_multiplier)
        name = submit(settings)
        print(f"Job      {name}")
        if args.no_wait:
            print(f"Follow   melodify tune vertex --job {name}")
            return 0
    job = follow(name, poll=args.poll, report=lambda state: print(f"State    {state}", flush=True))
    print(f"Model    {job['model']}")
    print(f"Endpoint {job['endpoint']}")
    print(f"Use it   MELODIFY_BRIEFER=gemini MELODIFY_BRIEFER_MODEL={job['endpoint']} "
          f"(or --briefer gemini --briefer-model {job['endpoint']})")
    return 0


COMMANDS = {"dataset": cmd_dataset, "finetune": cmd_finetune, "tune": cmd_tune}
