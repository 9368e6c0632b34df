"""Headless commands over the same core as the desktop app: fit, export, info.

Progress goes to stderr; a failure is one ``error: …`` line and a non-zero exit code,
never a traceback, so the commands can run in scripts and batch jobs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import NoReturn, TextIO

from topicdesk.errors import Cancelled, TopicDeskError

PROJECT_SUFFIX = ".topicdesk"


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as one ``error:`` line with a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}; run '{self.prog} --help' for usage\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="topicdesk",
        description="Find, inspect and curate topics in your own text data, offline. "
        "Run without a command to open the desktop app.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    fit = sub.add_parser("fit", help="fit topics on a spreadsheet or refit a project")
    fit.add_argument(
        "input", type=Path, help="spreadsheet (.csv .tsv .txt .xlsx .xlsm .ods) or project"
    )
    fit.add_argument(
        "-o", "--output", type=Path, required=True, help="project file to write (.topicdesk)"
    )
    fit.add_argument("--sheet", help="worksheet to read (default: the first)")
    fit.add_argument(
        "--text-column", help="column holding the texts (default: the one with the longest texts)"
    )
    fit.add_argument(
        "--min-topic-size",
        type=int,
        help="smallest topic, in documents (default: suggested from corpus size)",
    )
    fit.add_argument("--seed", type=int, help="random seed (default 42)")
    fit.add_argument("--no-reduce-outliers", action="store_true", help="leave outliers unassigned")
    fit.add_argument(
        "--language", choices=("english", "german", "none"), help="stop words for keywords"
    )
    fit.add_argument(
        "--model",
        help="local sentence-transformers model folder (default: the bundled all-MiniLM-L6-v2)",
    )
    fit.add_argument(
        "--allow-download", action="store_true", help="allow fetching --model from the internet"
    )

    export = sub.add_parser("export", help="write the annotated spreadsheet of a project")
    export.add_argument("project", type=Path)
    export.add_argument("-o", "--output", type=Path, required=True, help="OUT.xlsx or OUT.csv")

    info = sub.add_parser("info", help="print a project's topics")
    info.add_argument("project", type=Path)
    return parser


class StderrProgress:
    """Prints pipeline progress: rewrites one line on a terminal, else a line per step."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._last: tuple[str, int] = ("", -1)
        self._start = time.monotonic()

    def __call__(self, event) -> None:
        step = int(event.fraction * 10)
        if not self.tty and (event.stage, step) == self._last:
            return
        self._last = (event.stage, step)
        text = f"[{event.index + 1}/{event.total}] {event.stage}: {event.fraction:4.0%}"
        if event.message:
            text += f" ({event.message})"
        if self.tty:
            self.stream.write("\r\033[K" + text)
            if event.fraction >= 1.0:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def done(self, what: str) -> None:
        self.stream.write(f"{what} in {time.monotonic() - self._start:.1f} s\n")


def _is_project(path: Path) -> bool:
    if path.suffix.lower() == PROJECT_SUFFIX:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _fit(args: argparse.Namespace) -> int:
    from topicdesk.core.project import Project
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.io.readers import load_corpus
    from topicdesk.pipeline.progress import Progress
    from topicdesk.pipeline.runner import apply_fit, fit_project
    from topicdesk.project.store import open_project, save_project

    if args.output.suffix.lower() != PROJECT_SUFFIX:
        raise TopicDeskError(
            f"The output must be a {PROJECT_SUFFIX} file, for example results{PROJECT_SUFFIX}."
        )
    if _is_project(args.input):
        if args.sheet or args.text_column:
            raise TopicDeskError(
                "--sheet and --text-column apply to spreadsheets; a project already has its text column."
            )
        project = open_project(args.input)
        settings = project.settings
    else:
        corpus = load_corpus(args.input, sheet=args.sheet, text_column=args.text_column)
        project = Project(corpus)
        settings = FitSettings(min_topic_size=suggest_min_topic_size(int(corpus.has_text.sum())))
    changes: dict = {}
    if args.min_topic_size is not None:
        changes["min_topic_size"] = args.min_topic_size
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.no_reduce_outliers:
        changes["reduce_outliers"] = False
    if args.language:
        changes["language"] = args.language
    if args.model:
        changes["model"] = args.model
    if args.allow_download:
        changes["allow_download"] = True
    settings = settings.replace(**changes)

    corpus = project.corpus
    print(
        f"{corpus.source_name or args.input.name}: {len(corpus):,} rows, text column "
        f"'{corpus.text_column}', {int((~corpus.has_text).sum()):,} empty texts",
        file=sys.stderr,
    )
    reporter = StderrProgress()
    result = fit_project(project, settings, Progress(reporter))
    apply_fit(project, result)
    save_project(project, args.output)
    reporter.done(f"Wrote {args.output}")
    _print_topics(project, sys.stdout)
    return 0


def _export(args: argparse.Namespace) -> int:
    from topicdesk.io.export import export_project
    from topicdesk.project.store import open_project

    project = open_project(args.project)
    export_project(project, args.output)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def _info(args: argparse.Namespace) -> int:
    from topicdesk.project.store import open_project

    project = open_project(args.project)
    corpus = project.corpus
    print(
        f"{args.project.name}: {len(corpus):,} documents from {corpus.source_name}, text column '{corpus.text_column}'"
    )
    if not project.fitted:
        print("No topics yet: run 'topicdesk fit' on this project.")
        return 0
    _print_topics(project, sys.stdout)
    return 0


def _print_topics(project, out: TextIO) -> None:
    """Topic table: id, size, label and keywords, then the unassigned count."""
    state = project.state
    sizes = state.sizes()
    has_text = project.corpus.has_text
    print(f"{'id':>4}  {'size':>6}  {'label':<40}  keywords", file=out)
    for topic in state.sorted_topics():
        label = topic.label if len(topic.label) <= 40 else topic.label[:39] + "…"
        print(
            f"{topic.id:>4}  {sizes.get(topic.id, 0):>6}  {label:<40}  {', '.join(topic.keywords)}",
            file=out,
        )
    unassigned = int(((state.assignments < 0) & has_text).sum())
    print(
        f"{len(state.topics)} topics; {unassigned:,} documents unassigned, {int((~has_text).sum()):,} empty",
        file=out,
    )


COMMANDS = {"fit": _fit, "export": _export, "info": _info}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the command line; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already reported in one line
        return int(exc.code or 0)
    if args.version:
        from topicdesk import __version__

        print(f"topicdesk {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return COMMANDS[args.command](args)
    except TopicDeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print("error: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("\nerror: interrupted; nothing was written", file=sys.stderr)
        return 130
    except MemoryError:
        print(
            "error: not enough memory for this corpus; close other programs or use fewer documents",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # noqa: BLE001 - the CLI promises no tracebacks
        print(
            f"error: unexpected {type(exc).__name__}: {exc}; please report this with the command you ran",
            file=sys.stderr,
        )
        return 1
