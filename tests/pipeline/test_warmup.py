"""The background warm-up compiles UMAP once per process and never raises."""

from __future__ import annotations

from topicdesk.pipeline import warmup


def test_warm_up_runs_once_on_a_daemon_thread():
    thread = warmup.warm_up_in_background()
    assert thread is not None and thread.daemon
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert warmup.warm_up_in_background() is None
