"""The command line's progress lines in a log: every tenth of a stage, and once a minute."""

import io
from types import SimpleNamespace

from topicdesk import cli


def _event(fraction: float, message: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        index=1, total=7, stage="Embedding documents", fraction=fraction, message=message
    )


def test_a_log_gets_a_line_per_tenth_and_one_a_minute_between(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    progress = cli.StderrProgress(stream)

    progress(_event(0.001, "2,048 of 1,000,000 documents"))
    progress(_event(0.002, "4,096 of 1,000,000 documents"))  # same tenth, a second later
    clock[0] += 30
    progress(_event(0.01, "10,240 of 1,000,000 documents"))
    clock[0] += 31  # a minute since the last line
    progress(_event(0.02, "20,480 of 1,000,000 documents"))
    progress(_event(0.1, "100,352 of 1,000,000 documents"))  # the next tenth

    lines = stream.getvalue().splitlines()
    assert lines == [
        "[2/7] Embedding documents:   0% (2,048 of 1,000,000 documents)",
        "[2/7] Embedding documents:   2% (20,480 of 1,000,000 documents)",
        "[2/7] Embedding documents:  10% (100,352 of 1,000,000 documents)",
    ]
