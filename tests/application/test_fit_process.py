"""The fitting process: jobs and results intact through the pipe, Cancel, a dying process,
and the offline switches on inside it. Fits here use the toy encoder (no model)."""

from __future__ import annotations

import os
import threading
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from tests import toy_fit
from topicdesk.application import fit_messages
from topicdesk.application.fit_process import FitFailed, FitProcess
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.state import TopicState
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import FitResult, apply_fit, fit_project

HERE = "tests.application.test_fit_process"


def toy(project, settings, progress):
    """Run in the fitting process: the real pipeline with the toy encoder."""
    return fit_project(project, settings, progress, toy_fit.ENCODERS)


def waits_for_cancel(project, settings, progress: Progress):
    progress.begin("Embedding documents", 1, 6)
    for i in range(600):
        progress.check()
        threading.Event().wait(0.05)
        progress.update(i / 600)
    raise AssertionError("not cancelled")


def dies(project, settings, progress):
    os._exit(9)


def tells_its_switches(project, settings, progress):
    switches = ",".join(
        os.environ.get(name, "-") for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )
    raise TopicDeskError(f"switches {switches}")


def _project(n: int = 120) -> Project:
    texts = toy_fit.toy_texts(n)
    texts[3] = ""  # an empty row
    texts[7] = texts[8]  # and a repeated text
    texts[0] += " odd \ud800 surrogate, emoji 🙂 and ünïcödé"
    return Project(Corpus(pd.DataFrame({"words": texts, "n": range(n)}), "words"))


def _through_a_pipe(header: dict, arrays: list) -> tuple[dict, list]:
    import multiprocessing

    ours, theirs = multiprocessing.Pipe()
    sender = threading.Thread(target=fit_messages.send, args=(theirs, header, arrays))
    sender.start()  # arrays larger than the pipe's buffer wait for the reader
    received = fit_messages.receive(ours)
    sender.join()
    return received


def test_the_messages_carry_every_field_of_a_result():
    assert set(fit_messages.STATE_FIELDS) == {f.name for f in fields(TopicState)}
    assert set(fit_messages.RESULT_FIELDS) == {f.name for f in fields(FitResult)}


def test_a_result_arrives_intact():
    project = _project()
    result = fit_project(project, toy_fit.SETTINGS, None, toy_fit.ENCODERS)
    result.state.doc_notes[5] = "a note\nover two lines ✓"
    back = fit_messages.decode_result(*_through_a_pipe(*fit_messages.encode_result(result)))
    assert back.state.equals(result.state)
    assert back.state.assignments.flags.writeable  # curation edits them in place
    assert [(n, e.key) for n, e in back.cache.items()] == [
        (n, e.key) for n, e in result.cache.items()
    ]
    for name, entry in result.cache.items():
        assert np.array_equal(back.cache.array(name), entry.array)
        assert back.cache.array(name).dtype == entry.array.dtype
    assert back.provenance == result.provenance and back.settings == result.settings
    assert back.timings == result.timings and back.warnings == result.warnings


def test_a_job_carries_the_texts_the_saved_outputs_and_the_stop_words():
    project = _project()
    apply_fit(project, fit_project(project, toy_fit.SETTINGS, None, toy_fit.ENCODERS))
    project.state.stop_words = ("alpha", "beta gamma")
    header, arrays = _through_a_pipe(*fit_messages.encode_job(project, toy_fit.SETTINGS, "m:f"))
    copy, settings, target = fit_messages.decode_job(header, arrays)
    assert copy.corpus.texts == project.corpus.texts
    assert copy.corpus.text_hash == project.corpus.text_hash
    assert copy.corpus.source_hash == project.corpus.source_hash
    assert copy.state.stop_words == ("alpha", "beta gamma")
    assert copy.provenance == project.provenance
    for name, entry in project.cache.items():
        assert copy.cache.key(name) == entry.key
        assert np.array_equal(copy.cache.array(name), entry.array)
    assert settings == toy_fit.SETTINGS and target == "m:f"


def test_arrays_of_other_types_are_refused():
    header = {"kind": "result"}
    with pytest.raises(ValueError, match="object"):
        conn = _FakeConn([b'{"kind": "x", "arrays": [{"dtype": "object", "shape": [2]}]}'])
        fit_messages.receive(conn)
    assert header == {"kind": "result"}


class _FakeConn:
    def __init__(self, messages: list[bytes]) -> None:
        self.messages = messages

    def recv_bytes(self) -> bytes:
        return self.messages.pop(0)


@pytest.fixture
def process():
    fits = FitProcess()
    yield fits
    fits.close()
    assert not fits.alive


def test_a_fit_in_the_process_equals_one_here_and_refits_reuse_its_outputs(process):
    project = _project()
    here = fit_project(project, toy_fit.SETTINGS, None, toy_fit.ENCODERS)
    events = []
    there = process.fit(project, toy_fit.SETTINGS, events.append, f"{HERE}:toy")
    assert np.array_equal(there.state.assignments, here.state.assignments)
    assert np.array_equal(there.cache.coords, here.cache.coords)
    assert events[0].stage == "Loading the language model" and events[-1].fraction == 1.0
    apply_fit(project, there)
    events.clear()
    process.fit(project, toy_fit.SETTINGS.replace(min_topic_size=16), events.append, f"{HERE}:toy")
    assert any(e.message.startswith("reused") for e in events)


def test_a_warmed_up_process_runs_the_first_fit(process):
    process.warm_up()
    assert process.alive
    result = process.fit(_project(), toy_fit.SETTINGS, lambda e: None, f"{HERE}:toy")
    assert result.state.topics


def test_cancel_stops_at_the_next_batch_and_the_process_takes_the_next_job(process):
    events = []
    timer = threading.Timer(1.5, process.cancel)
    timer.start()
    with pytest.raises(Cancelled):
        process.fit(_project(), toy_fit.SETTINGS, events.append, f"{HERE}:waits_for_cancel")
    assert len(events) < 100
    with pytest.raises(FitFailed, match="switches 1,1"):  # same process, the switches on
        process.fit(_project(), toy_fit.SETTINGS, events.append, f"{HERE}:tells_its_switches")


def test_a_process_that_dies_is_a_readable_failure_and_the_next_fit_starts_another(process):
    with pytest.raises(FitFailed, match="process ended unexpectedly") as failure:
        process.fit(_project(), toy_fit.SETTINGS, lambda e: None, f"{HERE}:dies")
    assert "exit code 9" in failure.value.message and failure.value.details == ""
    result = process.fit(_project(), toy_fit.SETTINGS, lambda e: None, f"{HERE}:toy")
    assert result.state.topics


def test_unexpected_errors_come_back_with_their_traceback(process):
    with pytest.raises(FitFailed) as failure:
        process.fit(_project(), toy_fit.SETTINGS, lambda e: None, f"{HERE}:no_such_function")
    assert failure.value.message.startswith("The fit stopped because of an unexpected problem")
    assert "Traceback" in failure.value.details
