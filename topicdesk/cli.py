"""Headless commands over the same application layer as the desktop app: fit, check,
export, report, info.

Progress goes to stderr; a failure is one ``error: …`` line and a non-zero exit code,
never a traceback, so the commands can run in scripts and batch jobs. The fit options
are made from the same setting declarations as the fit dialog.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NoReturn, TextIO

from topicdesk.core.settings import SPECS, SettingSpec
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.embed import DEVICES


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as one ``error:`` line with a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}; run '{self.prog} --help' for usage\n")


def _add_setting(parser: argparse.ArgumentParser, spec: SettingSpec) -> None:
    """One option per fit setting; unset options keep the project's or suggested value."""
    help_text = spec.help.rstrip(".").replace("%", "%%")
    if spec.kind == "bool":
        parser.add_argument(spec.flag, action=argparse.BooleanOptionalAction, help=help_text)
    elif spec.kind == "choice":
        parser.add_argument(spec.flag, choices=[c for c, _ in spec.choices], help=help_text)
    elif spec.kind == "int":
        parser.add_argument(spec.flag, type=int, metavar="N", help=help_text)
    elif spec.kind == "float":
        parser.add_argument(spec.flag, type=float, metavar="X", help=help_text)
    else:
        parser.add_argument(spec.flag, metavar="NAME_OR_FOLDER", help=help_text)


def _add_output(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Every command that writes a file names it with ``-o``/``--output``."""
    parser.add_argument("-o", "--output", type=Path, required=True, help=help_text)


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
    _add_output(fit, "project file to write (.topicdesk)")
    fit.add_argument("--sheet", help="worksheet to read (default: the first)")
    fit.add_argument(
        "--text-column", help="column holding the texts (default: the one with the longest texts)"
    )
    fit.add_argument(
        "--stop-words",
        type=Path,
        metavar="FILE",
        help="your own stop words: a text file with one word or phrase per line "
        "(lines starting with # are skipped), left out of every topic's keywords",
    )
    fit.add_argument("--date-column", help="column of dates, to see topics over time")
    fit.add_argument("--group-column", help="column of groups (party, outlet, wave) to compare")
    fit.add_argument(
        "--day-first",
        action=argparse.BooleanOptionalAction,
        help="dates such as 03/04/2015 put the day first (only asked when the column cannot tell)",
    )
    fit.add_argument(
        "--resume",
        action="store_true",
        help="continue a fit of the same corpus and settings that was stopped or killed, "
        "from the embeddings it had written to disk (without it a fit starts fresh)",
    )
    where = fit.add_argument_group("where the fit runs", "not fit settings: the project keeps none")
    where.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="embed the chunks on the workers of this Dask scheduler (such as "
        "tcp://10.0.0.5:8786) and run the rest here; needs pip install \"topicdesk[cluster]\" "
        "and workers with the same package versions and model (docs/cluster.md)",
    )
    where.add_argument(
        "--device",
        choices=DEVICES,
        default="cpu",
        help="embed on the CPU (default), on a GPU that PyTorch can use (cuda), or on the GPU "
        "where there is one (auto); with --cluster, on the workers",
    )
    settings = fit.add_argument_group(
        "fit settings", "default: the project's own settings, or those suggested for a new corpus"
    )
    for spec in SPECS:
        _add_setting(settings, spec)

    export = sub.add_parser(
        "export", help="write a project as an annotated spreadsheet, for QDA software, or a report"
    )
    export.add_argument("project", type=Path)
    _add_output(
        export, "OUT.xlsx or OUT.csv (annotated table), OUT.qdpx or OUT.qdc (REFI-QDA), OUT.html"
    )

    check = sub.add_parser(
        "check",
        help="check how stable a project's topics are (Topics › Check stability): the "
        "clustering again with other seeds, and with a tenth of the documents left out",
    )
    check.add_argument("project", type=Path)
    _add_output(
        check, "project file to write with the figures (.topicdesk; may be the project itself)"
    )

    report = sub.add_parser("report", help="write a project's methods report (one HTML file)")
    report.add_argument("project", type=Path)
    _add_output(report, "REPORT.html")

    info = sub.add_parser("info", help="print a project's topics")
    info.add_argument("project", type=Path)
    return parser


class StderrProgress:
    """Prints pipeline progress: rewrites one line on a terminal, else a line per tenth of
    a stage and at least one a minute (a million texts embed for hours: a log that waits
    for the next tenth would say nothing for half an hour)."""

    QUIET_S = 60.0  # longest silence in a log

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr  # looked up now: tests and callers may replace it
        self.tty = self.stream.isatty()
        self._last: tuple[str, int] = ("", -1)
        self._start = self._written = time.monotonic()

    def __call__(self, event) -> None:
        step = int(event.fraction * 10)
        now = time.monotonic()
        if (
            not self.tty
            and (event.stage, step) == self._last
            and now - self._written < self.QUIET_S
        ):
            return
        self._last, self._written = (event.stage, step), now
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


def _setting_changes(args: argparse.Namespace) -> dict:
    return {
        spec.name: getattr(args, spec.name)
        for spec in SPECS
        if getattr(args, spec.name, None) is not None
    }


def _fit(args: argparse.Namespace) -> int:
    from topicdesk.application.files import require_project_output
    from topicdesk.application.fitting import fit_and_adopt
    from topicdesk.application.languages import for_language, language_of
    from topicdesk.application.projects import open_any, summarize
    from topicdesk.pipeline.progress import Progress
    from topicdesk.project.store import save_project

    output = require_project_output(args.output)
    encoders = _encoders_for(args.cluster, args.device)
    project, from_project = open_any(args.input, sheet=args.sheet, text_column=args.text_column)
    if args.date_column or args.group_column or args.day_first is not None:
        _set_variables(project, args)
    if args.stop_words:
        from topicdesk.application.curation import read_stop_words, use_stop_words

        use_stop_words(project, read_stop_words(args.stop_words))
    settings = project.settings.replace(**_setting_changes(args))
    if args.language and not args.model:  # the model follows a language the user chose
        settings = for_language(settings, args.language)
    corpus = project.corpus
    if not from_project:
        print(
            f"{language_of(corpus).sentence()} Stop words: {settings.language}; "
            f"embedding model: {settings.model}.",
            file=sys.stderr,
        )
    summary = summarize(project, before_fit=True, settings=settings)
    print(
        f"{corpus.source_name or args.input.name}: text column '{corpus.text_column}'; "
        f"{summary.documents_sentence()}",
        file=sys.stderr,
    )
    reporter = StderrProgress()
    adopted, plan = fit_and_adopt(
        project, settings, Progress(reporter), encoders, args.resume, args.cluster
    )
    save_project(project, output)
    reporter.done(f"Wrote {output}")
    for line in [*adopted.warnings, *(plan.summary_lines() if plan is not None else [])]:
        print(line, file=sys.stderr)
    _print_topics(project, sys.stdout)
    return 0


def _check(args: argparse.Namespace) -> int:
    """Topics › Check stability without the window: the figures are stored as the same
    undoable step and the project written to ``--output``."""
    from topicdesk.application import stability_check
    from topicdesk.application.files import require_project_output
    from topicdesk.application.projects import open_project
    from topicdesk.pipeline.progress import Progress
    from topicdesk.project.store import save_project

    output = require_project_output(args.output)
    project = open_project(args.project)
    reporter = StderrProgress()
    report = stability_check.check(project, Progress(reporter))
    project.history.do(report.edit())
    save_project(project, output)
    reporter.done(f"Wrote {output}")
    for line in report.summary_lines():
        print(line, file=sys.stderr)
    _print_topics(project, sys.stdout)
    return 0


def _encoders_for(cluster: str | None, device: str):
    """The encoders for ``--device``, checked before the corpus is read: a GPU asked for
    here must be visible here, and ``--cluster`` needs Dask installed (the workers check
    their own GPUs)."""
    from topicdesk.pipeline import dask_embedding, embed
    from topicdesk.pipeline.encoders import ENCODERS, EncoderCache

    if cluster:
        dask_embedding.require_dask()
    else:
        embed.device_for(device)
    return ENCODERS if device == "cpu" else EncoderCache(device=device)


def _set_variables(project, args: argparse.Namespace) -> None:
    """Apply --date-column/--group-column (keeping the project's other one) and report them."""
    from topicdesk.application.variables import set_variables

    corpus = project.corpus
    report = set_variables(
        project,
        args.date_column or corpus.date_column,
        args.group_column or corpus.group_column,
        args.day_first,
    )
    if report.needs_order and args.day_first is None:
        raise TopicDeskError(
            f"The dates in '{report.date_column}' could be day/month or month/day; "
            "say which with --day-first or --no-day-first."
        )
    for sentence in report.sentences():
        print(sentence, file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from topicdesk.application.projects import open_project
    from topicdesk.application.publishing import export_any

    export_any(open_project(args.project), args.output)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from topicdesk.application.projects import open_project
    from topicdesk.application.publishing import write_report

    if args.output.suffix.lower() not in (".html", ".htm"):
        raise TopicDeskError("The report is a web page: choose a name ending in .html.")
    write_report(open_project(args.project), args.output)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def _info(args: argparse.Namespace) -> int:
    from topicdesk.application.projects import open_project, summarize

    project = open_project(args.project)
    corpus = project.corpus
    print(
        f"{args.project.name}: {len(corpus):,} documents from {corpus.source_name}, "
        f"text column '{corpus.text_column}'"
    )
    print(summarize(project).documents_sentence())
    if not project.fitted:
        print("No topics yet: run 'topicdesk fit' on this project.")
        return 0
    _print_topics(project, sys.stdout)
    return 0


def _print_topics(project, out: TextIO) -> None:
    """Topic table: id, size, the runs that found it (where measured), label and keywords,
    then the unassigned count."""
    from topicdesk.application.projects import summarize

    state = project.state
    sizes = state.sizes()
    found = {t.id: t.found_short() for t in state.sorted_topics()}
    width = max(map(len, found.values()), default=0)
    head = f"{'found':>{width}}  " if width else ""
    print(f"{'id':>4}  {'size':>6}  {head}{'label':<40}  keywords", file=out)
    for topic in state.sorted_topics():
        label = topic.label if len(topic.label) <= 40 else topic.label[:39] + "…"
        runs = f"{found[topic.id] or '-':>{width}}  " if width else ""
        print(
            f"{topic.id:>4}  {sizes.get(topic.id, 0):>6}  {runs}{label:<40}  "
            f"{', '.join(topic.keywords)}",
            file=out,
        )
    if any(t.left_out for t in state.topics.values()):
        print(
            "found: re-runs with other seeds that found the topic · the same with a part of "
            "the documents left out (Topics › Check stability)",
            file=out,
        )
    elif width:
        print("found: clustering runs of the fit that found the topic", file=out)
    summary = summarize(project)
    print(f"{summary.topics_sentence()}, {summary.empty_texts:,} empty", file=out)


COMMANDS = {"fit": _fit, "check": _check, "export": _export, "report": _report, "info": _info}


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``topicdesk info P | head``): stop quietly.

    Standard output is pointed at /dev/null so Python's final flush does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it)
        pass
    return 0


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
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except TopicDeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print("error: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        again = "; run the same command with --resume to continue" if args.command == "fit" else ""
        print(f"\nerror: interrupted; nothing was written{again}", file=sys.stderr)
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
