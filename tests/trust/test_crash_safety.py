"""Crash safety: saves killed at random moments, full disks, read-only folders, app crashes.

A project must always be either the old or the new version on disk, a failed save must
say why and keep both the file and the unsaved work, and a crash of the app must leave a
recovery file that the next start offers back.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.factories import curated_project
from topicdesk.errors import TopicDeskError
from topicdesk.project import store
from topicdesk.project.store import open_project, save_project

REPO = Path(__file__).resolve().parents[2]
KILLS = 60

# A long-lived helper process: it builds a big project once (imports and data take most
# of a second), then for every "go" forks a saver that writes the project over and over
# until the test SIGKILLs it. Each save flips the label old/new and counts in the note.
SAVER_SERVER = r"""
import os, sys, time
from dataclasses import replace

import numpy as np
import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project, StageCache
from topicdesk.core.state import Topic, TopicState
from topicdesk.project.store import save_project

path, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
words = np.array(["tax", "vote", "goal", "film", "chip", "rate", "match", "court"])
table = pd.DataFrame({
    "id": range(n),
    "text": [f"document {i} " + " ".join(rng.choice(words, 40)) for i in range(n)],
})
corpus = Corpus(table, "text", source_name="big.csv")
texts, _ = corpus.unique_texts()
cache = StageCache(
    embeddings=(rng.normal(size=(len(texts), 384)).astype(np.float32), "e"),
    reduced=(rng.normal(size=(len(texts), 5)).astype(np.float32), "r"),
    coords=(rng.normal(size=(len(texts), 2)).astype(np.float32), "c"),
)
state = TopicState.empty(n)
state.assignments[:] = rng.integers(0, 6, n)
for tid in range(6):
    state.topics[tid] = Topic(id=tid, label=f"topic {tid}", keywords=["w"], weights=[0.1])
project = Project(corpus, state=state, cache=cache)
project.fitted = True


def write(rnd, k):
    topic = project.state.topics[0]
    label = "old" if k % 2 == 0 else "new"
    project.state.topics[0] = replace(topic, label=label, note=f"round {rnd} save {k}")
    save_project(project, path)


times = []
for k in range(4):
    start = time.perf_counter()
    write(-1, 0)
    times.append(time.perf_counter() - start)
print("ready", sorted(times)[1], os.path.getsize(path), flush=True)
for line in sys.stdin:
    if not line.startswith("go"):
        break
    rnd = int(line.split()[1])
    pid = os.fork()
    if pid == 0:
        try:
            k = 0
            while True:
                k += 1
                write(rnd, k)
        except BaseException:
            os._exit(3)
    print(pid, flush=True)
    print("reaped", os.waitpid(pid, 0)[1], flush=True)
"""


def _child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.update(extra)
    return env


def _leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name != keep)


def test_saves_killed_at_random_moments_leave_old_or_new_project(tmp_path):
    path = tmp_path / "big.topicdesk"
    server = subprocess.Popen(
        [sys.executable, "-c", SAVER_SERVER, str(path), "3000"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_child_env(),
    )
    watchdog = threading.Timer(120, server.kill)  # a hang fails the test instead of blocking
    watchdog.start()
    try:
        _, save_seconds, size = server.stdout.readline().split()
        save_seconds = float(save_seconds)
        print(
            f"\none save of the {int(size) / 1e6:.1f} MB project takes {save_seconds * 1000:.0f} ms"
        )
        baseline = open_project(path)
        assert baseline.state.topics[0].note == "round -1 save 0"
        embeddings = baseline.cache.embeddings
        rng = random.Random(20240605)
        counts = {"old": 0, "new": 0}
        mid_save = 0
        last = (-1, 0)
        start = time.perf_counter()
        for rnd in range(KILLS):
            server.stdin.write(f"go {rnd}\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.0, 4 * save_seconds))
            os.kill(pid, signal.SIGKILL)
            status = int(server.stdout.readline().split()[1])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"round {rnd}: the saver ended by itself (status {status})"
            )
            temps = _leftovers(tmp_path, path.name)
            assert len(temps) <= 1, f"temporary files pile up: {temps}"
            assert all(re.fullmatch(r"\.big\.topicdesk\.[0-9a-f]{8}\.saving", t) for t in temps)
            mid_save += len(temps)

            project = open_project(path)  # never a broken file
            check = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            check.close()
            topic = project.state.topics[0]
            found = re.fullmatch(r"round (-?\d+) save (\d+)", topic.note)
            assert found, topic.note
            written = (int(found[1]), int(found[2]))
            assert topic.label == ("old" if written[1] % 2 == 0 else "new"), (topic.label, written)
            assert written >= last, f"an older state {written} came back after {last}"
            assert written[0] in (rnd, last[0])
            assert (project.cache.embeddings == embeddings).all()
            assert len(project.corpus) == 3000 and len(project.state.topics) == 6
            last = written
            counts[topic.label] += 1
        elapsed = time.perf_counter() - start
        server.stdin.write("quit\n")
        server.stdin.flush()
        assert server.wait(timeout=10) == 0
    finally:
        watchdog.cancel()
        if server.poll() is None:
            server.kill()
            server.wait()
    print(
        f"{KILLS} kills, {KILLS} opened intact, {counts['old']} old-state, {counts['new']} "
        f"new-state, {mid_save} killed mid-save (temporary file left), {elapsed:.1f} s"
    )
    assert counts["old"] > 0 and counts["new"] > 0
    assert mid_save >= KILLS // 3, "too few kills landed during a write to test anything"

    save_project(open_project(path), path)  # the next save clears what killed saves left
    assert _leftovers(tmp_path, path.name) == []


def test_leftover_of_a_running_save_is_not_removed(tmp_path, sotu_slice):
    """Two saves of one file at once: the cleanup must not delete the other's file."""
    fcntl = pytest.importorskip("fcntl")
    path = tmp_path / "p.topicdesk"
    busy = tmp_path / ".p.topicdesk.0123abcd.saving"
    stale = tmp_path / ".p.topicdesk.89abcdef.saving"
    unrelated = tmp_path / ".p.topicdesk.bak.0123abcd.saving"
    for name in (busy, stale, unrelated):
        name.write_bytes(b"half a project")
    with busy.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        save_project(curated_project(sotu_slice.head(40)), path)
        assert busy.exists() and unrelated.exists()
        assert not stale.exists()
    assert open_project(path).state.topics[0].label.startswith("Economy")


# ----- failing saves: full disk, write limit, read-only folder --------------------------


@pytest.fixture
def saved(sotu_slice, tmp_path):
    """A saved project, its bytes, and the project with one more (unsaved) edit."""
    from topicdesk.core.edits import RenameTopic

    project = curated_project(sotu_slice.head(120))
    path = tmp_path / "study.topicdesk"
    save_project(project, path)
    project.history.do(RenameTopic(topic_id=1, label="newer work"))
    return path, path.read_bytes(), project


def _unchanged(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert open_project(path).state.topics[1].label == "topic 1"
    assert _leftovers(path.parent, path.name) == []


def _full_disk_on_flush(monkeypatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.os, "fsync", fsync)


def _full_disk_in_sqlite(monkeypatch) -> None:
    real = store._write

    def write(db, project) -> None:
        real(db, project)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_write", write)


def _read_only_folder(monkeypatch) -> None:
    real = os.open

    def refuse(name, flags, mode=0o777, **kwargs):
        if str(name).endswith(".saving"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))
        return real(name, flags, mode, **kwargs)

    monkeypatch.setattr(store.os, "open", refuse)


FAULTS = {
    "full disk on flush": (_full_disk_on_flush, "No space left on device"),
    "full disk while writing": (_full_disk_in_sqlite, "database or disk is full"),
    "read-only folder": (_read_only_folder, "Permission denied"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_save_explains_and_keeps_the_old_file(fault, saved, monkeypatch):
    path, before, project = saved
    make_fault, reason = FAULTS[fault]
    make_fault(monkeypatch)
    with pytest.raises(TopicDeskError) as caught:
        save_project(project, path)
    message = str(caught.value)
    assert message == (
        f"Could not save study.topicdesk: {reason}; choose another folder or free some disk space."
    )
    monkeypatch.undo()
    _unchanged(path, before)


WRITE_LIMIT = r"""
import resource, signal, sys
from topicdesk.errors import TopicDeskError
from topicdesk.project.store import open_project, save_project

project = open_project(sys.argv[1])
project.state.topics[1].label = "newer work"
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a killed process
resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))
try:
    save_project(project, sys.argv[1])
    print("saved")
except TopicDeskError as exc:
    print(exc)
"""


def test_real_write_failure_in_the_middle_of_a_save(saved):
    """Files may not grow past 50 kB: SQLite's own writes fail, as on a full disk."""
    pytest.importorskip("resource")
    path, before, _ = saved
    assert len(before) > 100_000
    out = subprocess.run(
        [sys.executable, "-c", WRITE_LIMIT, str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "Could not save study.topicdesk: disk I/O error; choose another folder or free some disk space."
    )
    _unchanged(path, before)


def test_really_read_only_folder(saved):
    path, before, project = saved
    path.parent.chmod(0o555)
    try:
        probe = path.parent / "probe"
        try:
            probe.write_bytes(b"")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("running as a user who may write to read-only folders (root)")
        with pytest.raises(
            TopicDeskError, match="Could not save study.topicdesk: Permission denied"
        ):
            save_project(project, path)
    finally:
        path.parent.chmod(0o755)
    _unchanged(path, before)


def test_save_keeps_the_permissions_of_the_file(saved):
    path, _, project = saved
    path.chmod(0o640)
    save_project(project, path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert open_project(path).state.topics[1].label == "newer work"


# ----- the same faults in the app ----------------------------------------------------------


@pytest.fixture
def messages(qapp, monkeypatch):
    """Message boxes recorded instead of shown; recovery files under a test folder."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QMessageBox

    QStandardPaths.setTestModeEnabled(True)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda self: shown.append(self.text()) or QMessageBox.Ok
    )
    return shown


@pytest.fixture
def window(messages, qtbot, tmp_path, saved):
    from PySide6.QtCore import QSettings

    from topicdesk.gui.main_window import MainWindow

    path, _, _ = saved
    win = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(win)
    win.session.replace(open_project(path), path)
    win.session.rename(1, "newer work")
    assert win.isWindowModified()
    return win


@pytest.mark.parametrize("fault", FAULTS)
def test_app_save_with_a_fault_shows_why_and_stays_unsaved(
    fault, window, messages, saved, monkeypatch
):
    path, before, _ = saved
    make_fault, reason = FAULTS[fault]
    with monkeypatch.context() as patch:
        make_fault(patch)
        window.actions["save"].trigger()
    assert messages == [
        f"Could not save study.topicdesk: {reason}; choose another folder or free some disk space."
    ]
    assert window.session.dirty and window.isWindowModified()
    assert window.windowTitle().startswith("study.topicdesk[*]")
    assert window.session.project.state.topics[1].label == "newer work"
    _unchanged(path, before)

    window.actions["save"].trigger()  # the fault is gone: the same work saves
    assert not window.session.dirty and not window.isWindowModified()
    assert open_project(path).state.topics[1].label == "newer work"


def test_closing_with_a_failing_save_keeps_the_window_open(window, messages, saved, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path, before, _ = saved
    window.show()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Save))
    with monkeypatch.context() as patch:
        _full_disk_on_flush(patch)
        assert window.close() is False
    assert window.isVisible() and window.session.dirty
    assert "No space left on device" in messages[-1]
    _unchanged(path, before)


# ----- a crash of the app --------------------------------------------------------------------

CRASHING_APP = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import topicdesk.gui.worker as worker
from topicdesk.gui import app, main_window

main_window.AUTOSAVE_MS = 200  # a minute in real use
worker.FitController.warm_up = lambda self: None  # no fit in this session
project_path, label = sys.argv[1], sys.argv[2]


def edit_and_wait_for_autosave():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.MainWindow)]
    if not windows or windows[0].session.project is None:
        QTimer.singleShot(20, edit_and_wait_for_autosave)
        return
    window = windows[0]
    window.session.rename(1, label)
    print("edited", window.session.undo_stack.count(), window.isWindowModified(), flush=True)

    def report():
        if window.autosaver.pending() is None:
            QTimer.singleShot(20, report)
            return
        print("autosaved", window.autosaver.path, flush=True)

    report()


app.make_application([])
QTimer.singleShot(0, edit_and_wait_for_autosave)
sys.exit(app.run_app([project_path]))
"""


@pytest.fixture
def app_data(tmp_path, qapp, monkeypatch):
    """The app's own data folder, shared by the crashing app and the next start here."""
    from PySide6.QtCore import QStandardPaths

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    was_test_mode = QStandardPaths.isTestModeEnabled()
    names = qapp.applicationName(), qapp.organizationName()
    QStandardPaths.setTestModeEnabled(False)
    qapp.setApplicationName("TopicDesk")
    qapp.setOrganizationName("TopicDesk")
    yield tmp_path / "data"
    qapp.setApplicationName(names[0])
    qapp.setOrganizationName(names[1])
    QStandardPaths.setTestModeEnabled(was_test_mode)


def test_unsaved_rename_comes_back_after_the_app_is_killed(
    app_data, saved, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from topicdesk.gui import app
    from topicdesk.gui.main_window import MainWindow
    from topicdesk.gui.recovery import recovery_file

    path, before, _ = saved
    label = "Renamed just before the crash"
    errors = tmp_path / "app-stderr.txt"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CRASHING_APP, str(path), label],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=_child_env(
                QT_QPA_PLATFORM="offscreen",
                XDG_DATA_HOME=str(tmp_path / "data"),
                XDG_CONFIG_HOME=str(tmp_path / "config"),
            ),
        )
    watchdog = threading.Timer(60, child.kill)  # a hung app fails the test instead of blocking
    watchdog.start()
    try:
        assert child.stdout.readline().split() == ["edited", "1", "True"], errors.read_text()
        line = child.stdout.readline().split(maxsplit=1)
        assert line and line[0] == "autosaved", errors.read_text()
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
    recovery = Path(line[1].strip())
    assert recovery == recovery_file() and recovery.is_relative_to(app_data)
    assert recovery.is_file()
    assert path.read_bytes() == before  # the project itself was never saved

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    )
    window = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    app._offer_recovery(window)
    assert len(asked) == 1 and f"working on {path.name}" in asked[0]
    assert "last autosaved today at" in asked[0] and "If you choose No" in asked[0]
    project = window.session.project
    assert project is not None and project.state.topics[1].label == label
    assert project.history.log[-1].kind == "rename_topic"
    assert window.session.dirty and window.isWindowModified()
    assert window.session.path == path.resolve()  # saving goes back to the project it came from
    assert window.windowTitle() == f"{path.name}[*] — TopicDesk"
    assert window.autosaver.pending() == recovery  # kept until the work is saved
