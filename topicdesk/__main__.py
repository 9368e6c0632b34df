"""``topicdesk`` and ``python -m topicdesk``: the command line, or the desktop app.

The commands of :mod:`topicdesk.cli` (``fit``, ``check``, ``export``, ``report``, ``info``)
run headless; anything else (no arguments, a file to open, ``--screenshot``) starts the
desktop app, whose Qt modules load only then.
"""

from __future__ import annotations

import sys

CLI_WORDS = {"fit", "check", "export", "report", "info", "--version", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CLI_WORDS:
        from topicdesk.cli import main as cli_main

        return cli_main(args)
    from topicdesk.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
